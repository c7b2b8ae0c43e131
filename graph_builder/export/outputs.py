"""Write every view of plans already extracted into an output folder.

The same files as ``policykg build``, which streams the per-document ones as it extracts
(:mod:`.stream`); what is written is the registry of :mod:`.formats`.
"""

from __future__ import annotations

from pathlib import Path

from graph_builder.export.stream import CorpusWriter
from graph_builder.model import Plan

__all__ = ["write_outputs"]


def write_outputs(
    plans: list[Plan], out: str | Path, failures=(), formats: str | None = None
) -> list[Path]:
    """Write all views (or the ``formats`` selected, see :mod:`.formats`); returns the paths
    written (a manifest is written last)."""
    with CorpusWriter(out, formats) as writer:
        for plan in plans:
            writer.add(plan)
        for failure in failures:
            writer.add(failure)
        return writer.finish()
