"""Decode plan files and mark conversion artefacts without moving any offset.

The text handed to the rest of the pipeline is the decoded source, unchanged. Artefacts
(``[bookmark: _GoBack]`` left by Word converters, navigation residue at the end of a saved
web page) are not deleted: they are listed as ignored spans, and :attr:`SourceText.masked`
is a same-length copy with those spans blanked, so structure parsing skips them while every
offset still points into the original.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph_builder.model import Diagnostic, Span

__all__ = ["ReadError", "SourceText", "decode_bytes", "read_path", "MAX_BYTES"]

#: Files larger than this are refused: no plan is anywhere near it, and reading one whole
#: into memory to find out would be the bug.
MAX_BYTES = 20 * 1024 * 1024

# Markers that document converters leave in the text (pandoc/docx2txt style).
_ARTEFACTS = re.compile(
    r"\[(?:bookmark|image|comment|footnote|anchor)[^\]\n]{0,200}\]"
    r"|\{#[^}\n]{0,80}\}"
    r"|<!--.*?-->",
    re.IGNORECASE | re.DOTALL,
)
# A trailing line counts as page residue (热门 / 本周 / 打印本页 …) when it is short and has
# no sentence punctuation; a run of them at the very end of the file is ignored.
_RESIDUE_LINE = re.compile(r"^[^\u3002\uff0c\uff1b,;。，；：:（）()]{1,8}$")


class ReadError(Exception):
    """A file that cannot be read as a plan; the message names the reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class SourceText:
    """A decoded document: its text, how it was decoded, and what to skip in it."""

    source: str
    text: str
    encoding: str
    sha256: str
    ignored: list[Span] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return Path(self.source).stem if self.source != "-" else f"stdin-{self.sha256[:12]}"

    @property
    def masked(self) -> str:
        """The text with ignored spans replaced by spaces (same length, same offsets)."""
        if not self.ignored:
            return self.text
        chars = list(self.text)
        for s in self.ignored:
            for i in range(s.start, s.end):
                if chars[i] not in "\r\n":
                    chars[i] = " "
        return "".join(chars)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise ReadError("GB-E002", "binary file (NUL bytes), not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ReadError(
            "GB-E003", f"not UTF-8, UTF-16 or GB18030 text (bad byte at {exc.start})"
        ) from None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n\f")
    return controls / len(sample) > 0.05


def find_artefacts(text: str) -> list[Span]:
    """Spans of conversion artefacts and trailing web-page residue."""
    spans = [Span.of(text, m.start(), m.end()) for m in _ARTEFACTS.finditer(text)]
    # Trailing residue: walk back over short punctuation-free lines at the end of the text.
    end = len(text.rstrip())
    pos = end
    residue_start = None
    count = 0
    while pos > 0:
        line_start = text.rfind("\n", 0, pos) + 1
        line = text[line_start:pos].strip()
        if line and _RESIDUE_LINE.match(line) and not line.endswith(("方案", "通知", "意见")):
            residue_start = line_start
            count += 1
            pos = max(line_start - 1, 0)
            continue
        if not line and pos > 0 and residue_start is not None:
            pos = max(line_start - 1, 0)
            continue
        break
    # One short closing line (a signature, a date) is normal; navigation residue comes in runs.
    if residue_start is not None and count >= 2:
        spans.append(Span.of(text, residue_start, end))
    return sorted(spans, key=lambda s: s.start)


def decode_bytes(data: bytes, source: str = "-") -> SourceText:
    """Decode raw bytes of a plain-text plan; raises :class:`ReadError` with the reason."""
    if not data.strip():
        raise ReadError("GB-E001", "empty file")
    text, encoding = _decode(data)
    if _looks_binary(text):
        raise ReadError("GB-E002", "binary content (control characters), not a text document")
    if not text.strip():
        raise ReadError("GB-E001", "empty file (only white space)")
    diagnostics = []
    if "\ufffd" in text:
        diagnostics.append(
            Diagnostic("GB-W001", "warning", "text contains replacement characters (U+FFFD)")
        )
    return SourceText(
        source=source,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        ignored=find_artefacts(text),
        diagnostics=diagnostics,
    )


def read_path(path: str | Path) -> SourceText:
    """Read one plain-text file from disk."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ReadError("GB-E004", f"cannot read file: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise ReadError(
            "GB-E005", f"file is {size / 2**20:.0f} MB, over the {MAX_BYTES // 2**20} MB limit"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError("GB-E004", f"cannot read file: {exc.strerror}") from None
    return decode_bytes(data, str(path))
