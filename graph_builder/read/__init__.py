"""Read: turn a file (or bytes) into the plain text every offset points into.

Each format has a module with ``from_bytes(data, source) -> SourceText``: plain text
(:mod:`.text`), web pages (:mod:`.html`), Word files (:mod:`.docx`) and PDFs with a text
layer (:mod:`.pdf`), saved web archives (:mod:`.mhtml`); :data:`INPUT_FORMATS` lists them
with their file endings and size limits. The text of a converted document *is* the plain-text rendition that
``policykg build`` stores beside the graph, so every quote can be checked against it.

The format is decided by the content where the content says it unmistakably (``%PDF-``, a
ZIP container, an HTML doctype): downloads often carry the wrong ending. Otherwise the
file ending decides, and an unknown ending is read as text.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph_builder import errors
from graph_builder.read.text import (
    MAX_BYTES,
    MAX_CHARS,
    ReadError,
    SourceText,
    decode_bytes,
    display_name,
    load_bytes,
    read_path,
    safe_doc_id,
)

__all__ = [
    "ReadError",
    "SourceText",
    "decode_bytes",
    "read_path",
    "read_input",
    "read_bytes",
    "sniff_format",
    "display_name",
    "safe_doc_id",
    "READERS",
    "INPUT_FORMATS",
    "InputFormat",
    "FORMATS",
    "UNSUPPORTED",
    "MAX_BYTES",
    "MAX_CHARS",
    "MAX_CONTAINER_BYTES",
]

#: Word and PDF files carry fonts and images besides the text, so they may be larger.
MAX_CONTAINER_BYTES = 100 * 1024 * 1024

BytesReader = Callable[[bytes, str], SourceText]


@dataclass(frozen=True)
class InputFormat:
    """One input format: the one entry a new format adds (with its module and its test).

    ``reader`` names the module's ``from_bytes(data, source) -> SourceText`` as
    ``"module:function"``, imported when a file of the format is read, so starting the
    command line loads no PDF or Word library. ``endings`` decide when the content does not
    (see :func:`sniff_format`); ``limit`` is the largest file read, in bytes.
    """

    name: str
    endings: tuple[str, ...]
    limit: int
    reader: str
    #: Endings read when a file is named but not picked up from a folder (a README.md
    #: beside the plans is no plan).
    named_only: tuple[str, ...] = ()

    def read(self, data: bytes, source: str) -> SourceText:
        module, _, function = self.reader.partition(":")
        return getattr(importlib.import_module(module), function)(data, source)


#: Every format a plan can be read from, in one table.
INPUT_FORMATS: tuple[InputFormat, ...] = (
    InputFormat("text", (".txt", ".text", ".md"), MAX_BYTES, "graph_builder.read.text:decode_bytes",
                named_only=(".md",)),
    InputFormat("html", (".html", ".htm", ".shtml", ".xhtml"), MAX_BYTES,
                "graph_builder.read.html:from_bytes"),
    InputFormat("docx", (".docx",), MAX_CONTAINER_BYTES, "graph_builder.read.docx:from_bytes"),
    InputFormat("pdf", (".pdf",), MAX_CONTAINER_BYTES, "graph_builder.read.pdf:from_bytes"),
    InputFormat("mhtml", (".mht", ".mhtml"), MAX_CONTAINER_BYTES,
                "graph_builder.read.mhtml:from_bytes"),
)  # fmt: skip

#: Format name -> (bytes reader, size limit): a view of :data:`INPUT_FORMATS`.
FORMATS: dict[str, tuple[BytesReader, int]] = {f.name: (f.read, f.limit) for f in INPUT_FORMATS}

#: File ending -> format name: a view of :data:`INPUT_FORMATS`.
READERS: dict[str, str] = {e: f.name for f in INPUT_FORMATS for e in f.endings}

#: Endings of formats plans are published in that cannot be read, and what to do instead.
UNSUPPORTED: dict[str, str] = {
    ".doc": "old Word format (.doc) is not supported: save it as .docx or PDF",
    ".wps": "WPS format is not supported: save it as .docx or PDF",
    ".ofd": "OFD format is not supported: export it as PDF",
    ".rtf": "RTF is not supported: save it as .docx",
}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office (.doc/.wps) container


def sniff_format(data: bytes) -> str | None:
    """The format the bytes unmistakably are, or ``None`` to go by the file ending."""
    head = data[:1024]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:64]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(_OLE):
        return "ole"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower():
        return "html"
    return None


def read_bytes(data: bytes, source: str, suffix: str = "") -> SourceText:
    """Read ``data`` of any supported format; ``suffix`` is the file ending, if any."""
    fmt = sniff_format(data)
    if fmt == "ole":
        raise ReadError(
            errors.E010,
            UNSUPPORTED.get(suffix)
            or "old Office format (.doc/.wps) is not supported: save it as .docx or PDF",
        )
    if fmt is None:
        fmt = READERS.get(suffix, "text")
    reader, limit = FORMATS[fmt]
    if len(data) > limit:
        raise ReadError(errors.E005, f"input is over the {limit // 2**20} MB limit; not read")
    return reader(data, source)


def read_input(name: str) -> SourceText:
    """Read a path (any supported format) or ``-`` for standard input."""
    if name == "-":
        data = sys.stdin.buffer.read(MAX_CONTAINER_BYTES + 1)
        if len(data) > MAX_CONTAINER_BYTES:
            raise ReadError(
                errors.E005, f"standard input is over the {MAX_CONTAINER_BYTES // 2**20} MB limit"
            )
        return read_bytes(data, "-")
    if not os.path.lexists(name):
        pattern = any(c in name for c in "*?[")
        raise ReadError(
            errors.E004, "no file matches this pattern" if pattern else "no such file or folder"
        )
    suffix = Path(name).suffix.lower()
    if suffix in UNSUPPORTED and Path(name).is_file():
        data = load_bytes(name, MAX_CONTAINER_BYTES)
        if sniff_format(data) in (None, "ole"):
            raise ReadError(errors.E010, UNSUPPORTED[suffix])
        return read_bytes(data, display_name(name), suffix)
    limit = FORMATS[READERS.get(suffix, "text")][1]
    return read_bytes(load_bytes(name, limit), display_name(name), suffix)
