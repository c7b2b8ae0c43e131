"""Incremental builds (``policykg build --incremental``): re-extract only what changed.

A streamed build records in its manifest, per document, the digest of the input file's bytes,
the files it wrote and where its graphs lie in ``graph.nq`` and ``evidence.nq`` (byte offset
and length), and, for the whole build, what its outputs depend on besides the inputs
(:func:`build_settings`: a digest of the extractor's code and vocabulary, the segmenter, the
provenance model, the IRI base, the formats). The next build into the same folder with the
same settings takes an input whose path and bytes are unchanged from that manifest — its
JSON and text files read back from the previous folder, its N-Quads cut from the previous
graph files — and extracts the others. The previous folder is still in place while the new
one is staged (see :mod:`.staging`), so nothing is copied ahead of time and memory holds one
document's bytes at a time.

The outputs are those of a full build with the same ``SOURCE_DATE_EPOCH``; without it, a
reused document keeps the extraction time of the build that extracted it, which is when it
was extracted.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from graph_builder import __version__
from graph_builder.batch import PlanBrief, ReadingCounts
from graph_builder.export.formats import EVIDENCE_FILE, NQ_FILE

__all__ = ["build_settings", "extractor_digest", "input_digest", "PreviousBuild"]

_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def extractor_digest() -> str:
    """SHA-256 of the package's code and vocabulary (every ``.py``, ``.ttl``, ``.rq`` and
    ``.json`` under ``graph_builder/``): the extractor's version, finer than ``__version__``,
    so an edited rule or vocabulary invalidates every reused document."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".ttl", ".rq", ".json") and path.is_file():
            h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def build_settings(formats, provenance: str, base: str, segmenter: str) -> dict:
    """What a document's outputs depend on besides its input (stored in the manifest)."""
    return {
        "extractor": extractor_digest(),
        "segmenter": segmenter,
        "provenance": provenance,
        "iri_base": base,
        "formats": sorted(formats),
    }


def input_digest(name: str) -> str | None:
    """SHA-256 of an input file's bytes; None for standard input or an unreadable file."""
    if name == "-":
        return None
    h = hashlib.sha256()
    try:
        with open(name, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


class PreviousBuild:
    """The documents of the build in ``folder`` that a new build with ``settings`` may reuse.

    ``views``: the record a reused document's bytes come back in
    (:class:`graph_builder.export.stream.DocumentViews`), given rather than imported so that
    this module does not import the streamed build, which imports it.
    """

    def __init__(self, folder: str | Path, settings: dict, views: Callable[..., Any]):
        self.folder = Path(folder)
        self.views = views
        self.entries: dict[str, dict] = {}
        try:
            manifest = json.loads((self.folder / "manifest.json").read_text("utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(manifest, dict) or manifest.get("build") != settings:
            return
        for entry in manifest.get("documents", []):
            if entry.get("input") and entry.get("input_sha256"):
                self.entries[entry["input"]] = entry

    def lookup(self, name: str) -> dict | None:
        """The previous entry of input ``name`` if its bytes are unchanged."""
        from graph_builder.read.text import display_name

        entry = self.entries.get(display_name(name))  # as the manifest, a UTF-8 string
        if entry is None or entry["input_sha256"] != input_digest(name):
            return None
        return entry

    def _range(self, file: str, span) -> bytes | None:
        if not span:
            return None
        offset, length = span
        fd = os.open(self.folder / file, os.O_RDONLY)
        try:
            data = os.pread(fd, length, offset)
        finally:
            os.close(fd)
        if len(data) != length:
            raise OSError(f"{self.folder / file}: shorter than its manifest says")
        return data

    def load(self, entry: dict):
        """(brief, views) of a reused document, read back from the previous folder."""
        files = {rel: (self.folder / rel).read_bytes() for rel in entry.get("doc_files", [])}
        views = self.views(
            files,
            self._range(NQ_FILE, entry.get("nq")),
            self._range(EVIDENCE_FILE, entry.get("evidence_nq")),
            reused=True,
        )
        brief = PlanBrief(
            entry["doc_id"],
            entry["source"],
            entry["sha256"],
            entry["measures"],
            tuple(entry.get("warnings", [])),
            entry["key"],
            entry.get("text_digest", ""),
            ReadingCounts(**entry.get("reading", {})),
        )
        return brief, views
