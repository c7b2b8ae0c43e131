"""Read: turn a file (or bytes) into the plain text every offset points into."""

from __future__ import annotations

import sys
from pathlib import Path

from graph_builder.read.text import MAX_BYTES, ReadError, SourceText, decode_bytes, read_path

__all__ = ["ReadError", "SourceText", "decode_bytes", "read_path", "read_input", "READERS"]

#: Readers by file ending; each takes a path and returns a :class:`SourceText`.
READERS = {
    ".txt": read_path,
    ".text": read_path,
    ".md": read_path,
}


def read_input(name: str) -> SourceText:
    """Read a path (any supported format) or ``-`` for standard input."""
    if name == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ReadError("GB-E005", f"standard input is over the {MAX_BYTES // 2**20} MB limit")
        return decode_bytes(data, "-")
    suffix = Path(name).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        if not Path(name).exists():
            raise ReadError("GB-E004", "no such file")
        reader = read_path
    return reader(name)
