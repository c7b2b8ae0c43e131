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
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from graph_builder import errors
from graph_builder import lexicon as lx
from graph_builder.model import Diagnostic, Span
from graph_builder.read.script import simplified_view

__all__ = [
    "ReadError",
    "SourceText",
    "decode_bytes",
    "read_path",
    "load_bytes",
    "make_source",
    "safe_doc_id",
    "display_name",
    "normalise_line_ends",
    "MAX_BYTES",
    "MAX_CHARS",
]

#: Files larger than this are refused: no plan is anywhere near it, and reading one whole
#: into memory to find out would be the bug.
MAX_BYTES = 20 * 1024 * 1024
#: Longest text accepted after decoding or conversion (spaCy's default ``max_length``). A plan
#: has some 10,000 characters; a million is a data dump or many documents glued together.
MAX_CHARS = 1_000_000
#: Longest document identifier in UTF-8 bytes: output names add ``.json`` and the atomic
#: writer's temporary prefix and suffix, and a file name may have 255 bytes at most.
_MAX_ID_BYTES = 120

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


# Line ends other than LF and CRLF: a lone CR (old Mac files), U+2028/U+2029 (line and
# paragraph separators from some converters and web editors), NEL, vertical tab and form
# feed. Each becomes LF, one character for one, so offsets hold and every reader of the text
# sees the lines (a plan in CR-only text was read as one line: no measure). Applied to the
# masked text the structure parser reads; the text itself stays the source's.
_LINE_ENDS = re.compile("\r(?!\n)|[\u2028\u2029\x85\x0b\x0c]")

# No-break, en/em/thin and other fixed-width spaces; one character each, so offsets hold.
_ODD_SPACES = {c: " " for c in (0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F)}


class ReadError(errors.CodedError):
    """A file that cannot be read as a plan; the message names the reason."""


@dataclass
class SourceText:
    """A decoded document: its text, how it was decoded, and what to skip in it."""

    source: str
    text: str
    encoding: str
    sha256: str
    ignored: list[Span] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    #: Set when two inputs would get the same identifier (see :func:`safe_doc_id`).
    doc_id_override: str | None = None

    @property
    def doc_id(self) -> str:
        """A file-name-safe identifier: the file's stem, or ``stdin-<sha256 prefix>``."""
        if self.doc_id_override:
            return self.doc_id_override
        if self.source == "-":
            return f"stdin-{self.sha256[:12]}"
        return safe_doc_id(Path(self.source).stem)

    @property
    def masked(self) -> str:
        """The text with ignored spans replaced by spaces (same length, same offsets).

        No-break and other typographic spaces (common in text from web pages and Word)
        become plain spaces too, so ``&nbsp;`` indentation does not hide a heading; every
        line end but LF and CRLF (a lone CR, U+2028, U+2029 …) becomes LF, so the structure
        parser sees the lines of a plan whatever convention it was saved with.
        """
        # line ends first (a lone CR is a line end for the flattening test too)
        text = _unflatten(simplified_view(normalise_line_ends(self.text.translate(_ODD_SPACES))))
        if not self.ignored:
            return text
        chars = list(text)
        for s in self.ignored:
            for i in range(s.start, s.end):
                if chars[i] not in "\r\n":
                    chars[i] = " "
        return "".join(chars)


def _flat_label() -> str:
    num = lx.CN_DIGITS + lx.CN_TEN
    return (
        r"[ \u3000](?=(?:"
        + lx.alternation(lx.document_words("ordinal_prefix"))
        + rf"[{num}]+"
        + lx.char_class(lx.document_words("flat_chapter_char"))
        + rf"|[{num}]{{1,3}}、|[（(][{num}]{{1,3}}[）)]"
        r"|[0-9０-９]{1,2}[.．、](?![0-9０-９])|[（(][0-9０-９]{1,2}[）)])[ \u3000]?[\u4e00-\u9fff])"
    )


#: A numbered label after a space, inside a long line: where a re-post that flattened the
#: document onto one line had its line breaks (``… 一、加快… (一)高效统筹…``).
_FLAT_LABEL = lx.LazyPattern(_flat_label)
#: A line this long with numbered labels inside it was flattened.
_FLAT_LINE = 600


def _unflatten(text: str) -> str:
    """Give a flattened line its paragraph breaks back, in the masked text only.

    The space before each numbered label inside a long line becomes a line break: the same
    length, so every offset still points into the original text.
    """
    if len(text) < _FLAT_LINE or "\n" in text and max(map(len, text.split("\n"))) < _FLAT_LINE:
        return text
    chars = None
    pos = 0
    for line in text.split("\n"):
        if len(line) >= _FLAT_LINE:
            hits = [m.start() for m in _FLAT_LABEL.finditer(line)]
            if len(hits) >= 2:
                chars = chars if chars is not None else list(text)
                for h in hits:
                    chars[pos + h] = "\n"
        pos += len(line) + 1
    return text if chars is None else "".join(chars)


def _decode(data: bytes) -> tuple[str, str, list[Diagnostic]]:
    if data.startswith(codecs.BOM_UTF8):
        text, notes = _utf8_allowing_cut_end(data[len(codecs.BOM_UTF8) :])
        return text, "utf-8-sig", notes
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16(data)
    if b"\x00" in data[:4096]:
        raise ReadError(errors.E002, "binary file (NUL bytes), not a text document")
    try:
        text, notes = _utf8_allowing_cut_end(data)
        return text, "utf-8", notes
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReadError(
            errors.E003, f"not UTF-8, UTF-16 or GB18030 text (bad byte at {exc.start})"
        ) from None
    _check_gb18030_quality(text)
    return text, "gb18030", []


#: Share of a GB18030 text's non-ASCII characters that may lie outside GB2312 (the 6,763
#: common hanzi and the punctuation every simplified-Chinese plan is written in).
_MAX_RARE_SHARE = 0.2


def _check_gb18030_quality(text: str) -> None:
    """Refuse bytes that GB18030 decodes but that are not GB18030 text.

    GB18030 maps almost every byte pair to some character, so Big5 (or random high bytes)
    decodes "successfully" into mojibake. Real plans use the common characters of GB2312
    nearly only; Big5's trail bytes 0x40–0x7E and noise land in GBK's rare extension, the
    private-use area and four-byte sequences. Above :data:`_MAX_RARE_SHARE` of rare
    characters the text is refused with ``GB-E074``.
    """
    wide = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if len(wide) < 20:
        return
    rare = 0
    for c in wide:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    if rare > _MAX_RARE_SHARE * len(wide):
        raise ReadError(
            errors.E074,
            f"not GB18030 text: {rare / len(wide):.0%} of its characters are rare or private "
            "use (Big5, another encoding, or binary noise?); convert it to UTF-8",
        )


def _utf8_allowing_cut_end(data: bytes) -> tuple[str, list[Diagnostic]]:
    """UTF-8, tolerating a multi-byte character cut off by truncation at the very end.

    Without this a UTF-8 file that lost its last byte fails UTF-8 and is then decoded as
    GB18030 into nonsense; here the cut character is dropped and the truncation reported.
    """
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data" or exc.start < len(data) - 3:
            raise
        text = data[: exc.start].decode("utf-8")
        if text.isascii() and _is_gb18030(data):
            # No complete multi-byte character before the cut, so nothing says this is UTF-8:
            # GB18030 text whose only Chinese character is last looks the same. Bytes that
            # decode cleanly as GB18030 are read as GB18030.
            raise

        note = Diagnostic(
            errors.W003,
            "warning",
            "file ends in the middle of a character: truncated download or copy?",
            len(text),
        )
        return text, [note]


def _is_gb18030(data: bytes) -> bool:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _utf16(data: bytes) -> tuple[str, str, list[Diagnostic]]:
    try:
        return data.decode("utf-16"), "utf-16", []
    except UnicodeDecodeError as exc:
        if (
            exc.reason in ("truncated data", "unexpected end of data")
            and exc.start >= len(data) - 3
        ):
            text = data[: exc.start].decode("utf-16")
            note = Diagnostic(
                errors.W003,
                "warning",
                "file ends in the middle of a character: truncated download or copy?",
                len(text),
            )
            return text, "utf-16", [note]
        raise ReadError(
            errors.E003, f"invalid UTF-16 text after its byte-order mark (byte {exc.start})"
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
        if line and _RESIDUE_LINE.match(line) and not line.endswith(lx.document_words("residue_title_end")):
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
        raise ReadError(errors.E001, "empty file")
    text, encoding, notes = _decode(data)
    if _looks_binary(text):
        raise ReadError(errors.E002, "binary content (control characters), not a text document")
    return make_source(text, source, encoding, data, notes)


def make_source(
    text: str,
    source: str,
    encoding: str,
    data: bytes,
    diagnostics: list[Diagnostic] | None = None,
) -> SourceText:
    """The :class:`SourceText` of a decoded or converted document, after the checks all
    formats share: not empty, not too long, no lone surrogates, artefacts marked.

    ``text`` becomes the plain-text rendition every offset points into; ``data`` are the
    original bytes (their SHA-256 is recorded with the document).
    """
    diagnostics = list(diagnostics or [])
    if not text.strip():
        raise ReadError(errors.E001, "empty file (only white space)")
    if len(text) > MAX_CHARS:
        raise ReadError(
            errors.E006,
            f"text has {len(text):,} characters, over the {MAX_CHARS:,} limit: "
            "several documents in one file?",
        )
    if _SURROGATE.search(text):
        # Converters can hand out halves of UTF-16 pairs; they cannot be written as UTF-8.
        text = _SURROGATE.sub("\ufffd", text)
    if "\ufffd" in text:
        diagnostics.append(
            Diagnostic(
                errors.W001,
                "warning",
                "text contains replacement characters (U+FFFD): some characters were unreadable",
                text.index("\ufffd"),
            )
        )
    return SourceText(
        source=source,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        ignored=find_artefacts(text),
        diagnostics=diagnostics,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def normalise_line_ends(text: str) -> str:
    """Every line end but LF and CRLF made LF, one character for one (offsets hold)."""
    return _LINE_ENDS.sub("\n", text)


def load_bytes(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``, refusing files over ``limit`` before reading them.

    The size is checked on the file's metadata, and the read itself is bounded, so a huge
    file (or a pipe that never ends) is never pulled into memory whole.
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        if p.is_symlink():
            raise ReadError(
                errors.E004, "broken symbolic link (its target does not exist)"
            ) from None
        raise ReadError(errors.E004, f"cannot read file: {exc.strerror}") from None
    if p.is_dir():
        try:
            with os.scandir(p):
                pass
        except OSError as exc:
            raise ReadError(
                errors.E076, f"cannot read folder ({exc.strerror}): the plans in it are skipped"
            ) from None
        raise ReadError(errors.E004, "is a folder with no plan files in it")
    if not stat.S_ISREG(st.st_mode):
        # opening a FIFO waits for a writer forever; a device may never end
        raise ReadError(
            errors.E075,
            "not a regular file (a FIFO, socket or device): not read; pipe a plan in with -",
        )
    if st.st_size > limit:
        raise ReadError(
            errors.E005,
            f"file is {st.st_size / 2**20:.0f} MB, over the {limit // 2**20} MB limit; not read",
        )
    try:
        with open(p, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ReadError(errors.E004, f"cannot read file: {exc.strerror}") from None
    if len(data) > limit:
        raise ReadError(errors.E005, f"input is over the {limit // 2**20} MB limit; not read")
    return data


def read_path(path: str | Path) -> SourceText:
    """Read one plain-text file from disk."""
    return decode_bytes(load_bytes(path), display_name(str(path)))


def display_name(name: str) -> str:
    """``name`` as it can be printed and written to UTF-8 files.

    File names on Linux are bytes; Python hands undecodable ones over as lone surrogates,
    which no UTF-8 output (JSON, Turtle, the manifest) can hold. They become U+FFFD here.
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_UNSAFE_ID = re.compile(r"[\x00-\x1f\x7f/\\\ufffd]|[\ud800-\udfff]")


def safe_doc_id(stem: str, salt: str | None = None) -> str:
    """A document identifier made from a file name that is safe as a file name itself.

    Kept readable (Chinese, spaces, ``#`` and ``?`` stay: output file names may hold them and
    IRIs are minted from it by percent-encoding elsewhere). Controls, path separators and
    undecodable bytes become ``_``; leading dots are dropped so outputs are not hidden files;
    a long name is cut and given a hash so two long names stay apart. ``salt`` (the full
    input path) disambiguates two inputs with the same stem.
    """
    ident = unicodedata.normalize("NFC", display_name(stem))
    ident = _UNSAFE_ID.sub("_", ident).strip().lstrip(".") or "document"
    digest = hashlib.sha256(display_name(stem + "\x1f" + (salt or "")).encode()).hexdigest()
    if len(ident.encode("utf-8")) > _MAX_ID_BYTES:
        cut = ident.encode("utf-8")[: _MAX_ID_BYTES - 9].decode("utf-8", "ignore")
        return f"{cut}-{digest[:8]}"
    if salt is not None:
        return f"{ident}-{digest[:8]}"
    return ident
