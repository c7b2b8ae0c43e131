"""Word files (.docx): paragraphs and tables in document order, read with python-docx.

Each paragraph becomes one line (a soft line break inside it starts a new line); each table
becomes one tab-led line per cell with a blank line between rows, the form
:mod:`graph_builder.segment.tables` reads (a cell of several paragraphs continues on lines
without a tab). Numbers that Word draws itself (automatic list numbering such as
``（一）`` or ``1.``) are not in the paragraph text, so they are rendered from the
numbering definitions and written in front of the paragraph, as the reader of the document
sees them.

The ZIP container is checked before python-docx opens it: a damaged or truncated file, and a
file that would unpack to far more than any document (a "zip bomb"), are refused with a reason.
The check streams every part in chunks, counting the bytes it really unpacks (the sizes a ZIP
declares can lie) and, for XML parts, the elements (``iterparse``): it stops at the first cap
passed, so a bomb costs a few megabytes of memory and a fraction of a second, where parsing
it whole took gigabytes (issue 13).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from graph_builder import errors
from graph_builder import lexicon as lx
from graph_builder.model import Diagnostic
from graph_builder.read.text import ReadError, SourceText, make_source

__all__ = ["from_bytes", "docx_to_text", "paragraph_text", "MAX_UNPACKED", "MAX_XML_PART"]

#: Refuse a .docx whose parts unpack to more than this in all (images included).
MAX_UNPACKED = 200 * 1024 * 1024
#: …or one of whose XML parts unpacks to more than this (a plan's document.xml has a few MB).
MAX_XML_PART = 50 * 1024 * 1024
#: …or one of whose XML parts has more elements than this (a 100-page plan has ~100,000).
MAX_ELEMENTS = 2_000_000
_CHUNK = 1 << 20

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = lx.CN_ZERO_ALT + lx.CN_DIGITS
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _check_container(data: bytes) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReadError(
            errors.E030, "not a readable .docx (damaged or truncated ZIP container)"
        ) from None
    with zf:
        names = set(zf.namelist())
        if "word/document.xml" not in names:
            raise ReadError(errors.E031, "ZIP file without word/document.xml: not a Word document")
        unpacked = sum(i.file_size for i in zf.infolist())
        if unpacked > MAX_UNPACKED:
            raise ReadError(
                errors.E032,
                f"unpacks to {unpacked / 2**20:.0f} MB, over the {MAX_UNPACKED // 2**20} MB "
                "limit: not a plain document",
            )
        try:
            total = 0
            for info in zf.infolist():
                total += _check_part(zf, info, MAX_UNPACKED - total)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as exc:
            # A corrupt deflate stream, a part failing its checksum, an encrypted part, an
            # unsupported compression.
            raise ReadError(errors.E030, f"damaged .docx: {exc}") from None
        except NotImplementedError as exc:
            raise ReadError(errors.E030, f"damaged .docx: {exc}") from None


class _Counted(io.RawIOBase):
    """A ZIP member read in chunks that raises once more than ``cap`` bytes came out."""

    def __init__(self, member, name: str, cap: int, total_cap: int) -> None:
        self.member, self.name, self.cap, self.total_cap = member, name, cap, total_cap
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.member.read(min(len(buffer), _CHUNK))
        self.count += len(chunk)
        if self.count > self.total_cap:
            raise ReadError(
                errors.E032,
                f"unpacks to over {MAX_UNPACKED // 2**20} MB (stopped in part {self.name}): "
                "not a plain document",
            )
        if self.count > self.cap:
            raise ReadError(
                errors.E071,
                f"part {self.name} unpacks to over {self.cap // 2**20} MB: not a plain document",
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, room: int) -> int:
    """Unpack one part as a stream (its checksum is verified at its end); count its elements
    if it is XML. Returns the bytes it unpacked; raises at the first cap passed."""
    from lxml import etree

    xml = info.filename.endswith((".xml", ".rels"))
    with zf.open(info) as member:
        counted = _Counted(member, info.filename, MAX_XML_PART if xml else room, room)
        if not xml:
            while counted.read(_CHUNK):
                pass
            return counted.count
        elements = 0
        try:
            # no entities resolved, nothing fetched; each element dropped once counted
            for _, el in etree.iterparse(
                counted, events=("end",), resolve_entities=False, no_network=True, huge_tree=False
            ):
                elements += 1
                if elements > MAX_ELEMENTS:
                    raise ReadError(
                        errors.E072,
                        f"part {info.filename} has over {MAX_ELEMENTS:,} XML elements: "
                        "not a plain document",
                    )
                el.clear()
                while el.getprevious() is not None:  # and its finished siblings
                    del el.getparent()[0]
        except etree.XMLSyntaxError:
            while counted.read(_CHUNK):  # python-docx reports malformed XML when it opens
                pass
        return counted.count


def _cn_number(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return lx.CN_TEN + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + lx.CN_TEN + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "chineseLegalSimplified",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return _cn_number(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Renders Word's automatic list numbers (``w:numPr``) the way Word displays them."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles: dict[str, tuple[str, int]] = {}
        #: Why the numbering definitions were not used, if they were not (``GB-W120``).
        self.unread: str | None = None
        try:
            self._read(document)
        except (ValueError, TypeError) as exc:  # int("x") in a level, a missing attribute
            self.levels, self.styles = {}, {}
            self.unread = f"{type(exc).__name__}: {exc}"

    def _read(self, document) -> None:
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for an in numbering.iter(_W + "abstractNum"):
            levels = {}
            for lvl in an.iter(_W + "lvl"):
                ilvl = int(lvl.get(_W + "ilvl", "0"))
                fmt = _val(lvl.find(_W + "numFmt"), "decimal")
                text = _val(lvl.find(_W + "lvlText"), "")
                start = int(_val(lvl.find(_W + "start"), "1") or 1)
                levels[ilvl] = (fmt, text, start)
            abstract[an.get(_W + "abstractNumId")] = levels
        for num in numbering.iter(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            if ref is not None:
                self.levels[num.get(_W + "numId")] = abstract.get(ref.get(_W + "val"), {})
        try:
            styles = document.styles.element
        except (KeyError, AttributeError):
            return
        for style in styles.iter(_W + "style"):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                num_id = _val(num_pr.find(_W + "numId"), None)
                ilvl = int(_val(num_pr.find(_W + "ilvl"), "0") or 0)
                if num_id:
                    self.styles[style.get(_W + "styleId")] = (num_id, ilvl)

    def label(self, p) -> str:
        """The number Word shows before paragraph ``p`` (a CT_P), or ``""``."""
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        num_id, ilvl = None, 0
        if num_pr is not None:
            num_id = _val(num_pr.find(_W + "numId"), None)
            level = _val(num_pr.find(_W + "ilvl"), "0") or "0"
            ilvl = int(level) if level.isdigit() else 0
        else:
            style = p.find(f"{_W}pPr/{_W}pStyle")
            if style is not None and style.get(_W + "val") in self.styles:
                num_id, ilvl = self.styles[style.get(_W + "val")]
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lf, _, ls = levels.get(k, ("decimal", "", 1))
            return _format_number(counters.get(k, ls), lf)

        return re.sub(r"%([1-9])", sub, text)


def _val(el, default):
    return el.get(_W + "val", default) if el is not None else default


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees whose text is not part of the paragraph as it now reads: deleted or moved-away
# revisions, text boxes (anchored elsewhere on the page), the fallback copy of alternate
# content, field instructions, and properties.
_SKIP = {
    _W + "del",
    _W + "moveFrom",
    _W + "txbxContent",
    _MC + "Fallback",
    _W + "instrText",
    _W + "delText",
    _W + "pPr",
    _W + "rPr",
}


def paragraph_text(p) -> str:
    """The text of a paragraph (a CT_P) as Word shows it with revisions accepted.

    python-docx's ``Paragraph.text`` reads only direct runs and hyperlinks, so the text of
    tracked insertions (``w:ins``), common in drafts sent out for comment, was lost.
    """
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag
        if tag in _SKIP or not isinstance(tag, str):
            return
        if tag == _W + "t":
            parts.append(el.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        else:
            for child in el:
                walk(child)

    walk(p)
    return "".join(parts)


def _paragraph_lines(paragraph, numbering: _Numbering) -> list[str]:
    text = paragraph_text(paragraph._p)
    label = numbering.label(paragraph._p)
    lines = [line.strip(" \t\u3000\xa0\r") for line in text.split("\n")]
    if label and lines:
        lines[0] = label + lines[0]
    return [line for line in lines if line]


def _cell_lines(cell, numbering: _Numbering) -> list[str]:
    lines: list[str] = []
    for block in cell.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                for inner in _unique_cells(row):
                    lines.extend(_cell_lines(inner, numbering))
        else:
            lines.extend(_paragraph_lines(block, numbering))
    return lines


def _unique_cells(row):
    """Cells of a row, a cell merged across columns counted once."""
    seen = []
    for cell in row.cells:
        if not seen or cell._tc is not seen[-1]._tc:
            seen.append(cell)
    return seen


def _table_lines(table, numbering: _Numbering) -> list[str]:
    out = [""]
    for row in table.rows:
        for cell in _unique_cells(row):
            lines = _cell_lines(cell, numbering)
            # A cell line starts with a tab; its further paragraphs continue without one. An
            # empty cell is a lone tab, which keeps the columns of the row in place.
            out.append("\t" + (lines[0] if lines else ""))
            out.extend(lines[1:])
        out.append("")
    return out


def docx_to_text(document, notes: list[Diagnostic] | None = None) -> str:
    """The plain-text rendition of an opened python-docx ``Document``; a warning goes to
    ``notes`` when its numbering definitions cannot be used."""
    numbering = _Numbering(document)
    if numbering.unread and notes is not None:
        notes.append(_plain_numbering(numbering.unread))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            lines.extend(_table_lines(block, numbering))
        else:
            lines.extend(_paragraph_lines(block, numbering))
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""


def from_bytes(data: bytes, source: str) -> SourceText:
    """Read a .docx; raises :class:`ReadError` for damaged or empty files."""
    import docx

    if not data:
        raise ReadError(errors.E001, "empty file")
    _check_container(data)
    readable, notes = _without_malformed_numbering(data)
    try:
        document = docx.Document(io.BytesIO(readable))
    except Exception as exc:  # python-docx raises many kinds for malformed parts
        raise ReadError(errors.E030, f"not a readable .docx: {type(exc).__name__}: {exc}") from None
    text = docx_to_text(document, notes)
    if not text.strip():
        raise ReadError(errors.E033, "Word document has no text (only images or empty)")
    return make_source(text, source, "docx", data, notes)


_NUMBERING_PART = "word/numbering.xml"
_EMPTY_NUMBERING = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
)


def _plain_numbering(reason: str) -> Diagnostic:
    return Diagnostic(
        errors.W120,
        "warning",
        f"{_NUMBERING_PART} is malformed ({reason[:120]}): automatic list numbers "
        f"(（{lx.CN_DIGITS[0]}）, 1.) are not shown, the text is read without them",
    )


def _without_malformed_numbering(data: bytes) -> tuple[bytes, list[Diagnostic]]:
    """The .docx with an empty numbering part in place of one that is not well-formed XML.

    python-docx parses every XML part when it opens a file, so one broken numbering part
    rejected the whole document; its paragraphs read fine without their list numbers.
    """
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if _NUMBERING_PART not in zf.namelist():
            return data, []
        try:
            etree.fromstring(zf.read(_NUMBERING_PART), etree.XMLParser(resolve_entities=False))
            return data, []
        except etree.XMLSyntaxError as exc:
            note = _plain_numbering(str(exc))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
            for info in zf.infolist():
                body = _EMPTY_NUMBERING if info.filename == _NUMBERING_PART else zf.read(info)
                new.writestr(info, body)
    return out.getvalue(), [note]
