"""The ``text`` format: each document's plain-text rendition, the text every offset points
into (``text/<doc>.txt``, UTF-8)."""

from __future__ import annotations

from graph_builder.model import Plan

__all__ = ["text_files"]


def text_files(plan: Plan) -> dict[str, bytes]:
    """Document writer of ``text`` (see :mod:`.formats`): path under the output folder → bytes."""
    return {f"text/{plan.doc_id}.txt": plan.text.encode("utf-8")}
