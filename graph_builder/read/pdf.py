"""PDFs with a text layer: the typeset lines joined back into paragraphs, tables into cells.

Read with pdfplumber (built on pdfminer.six): it gives each text line with its position and
finds ruled tables with their cells. A PDF has no paragraphs, only lines placed on pages, and
the structure parser needs paragraphs (a measure's heading and its responsibility clause are
one paragraph; brackets do not run across paragraphs). So lines are joined back:

* a line continues the paragraph above when the line above runs to the right margin, this
  one starts at the left margin (not indented as a new paragraph is), and it does not start
  with a chapter or section label; this also holds across a page break;
* page numbers (``— 3 —``, ``第3页``) and running heads repeated at the top or bottom of most
  pages are dropped;
* ruled tables become one tab-led line per cell with a blank line between rows, the form
  :mod:`graph_builder.segment.tables` reads; a table that runs on at the top of the next page
  with as many columns is continued, not started again.

A PDF whose pages carry no text (a scan) is refused with "no text layer (scanned PDF?)"; one
whose fonts map glyphs to no characters is refused too: its text cannot be read without OCR.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import zlib
from collections import Counter
from dataclasses import dataclass, field

from graph_builder import errors
from graph_builder import lexicon as lx
from graph_builder.read.text import ReadError, SourceText, make_source

__all__ = ["from_bytes", "pdf_to_text", "MAX_STREAM", "MAX_DECODED"]

#: Refuse a PDF one of whose compressed streams inflates to more than this (a page's content
#: stream has kilobytes, a scanned page image a few MB)…
MAX_STREAM = 64 * 1024 * 1024
#: …or whose streams inflate to more than this in all.
MAX_DECODED = 256 * 1024 * 1024


class _Inflated(Exception):
    """A FlateDecode stream (or all of them) passed its cap."""


class _BoundedZlib:
    """The part of :mod:`zlib` pdfminer uses, with its output capped.

    pdfminer inflates every FlateDecode stream whole with ``zlib.decompress`` and offers no
    limit, so a 1 MB PDF holding a "zip bomb" stream took gigabytes (issue 13). This stand-in
    for the ``zlib`` name inside ``pdfminer.pdftypes`` inflates with ``max_length`` and stops
    at the cap, for the plain path and for pdfminer's recovery path (``decompressobj``) alike.
    """

    error = zlib.error

    def __init__(self) -> None:
        self.total = 0

    def _spend(self, n: int) -> None:
        self.total += n
        if self.total > MAX_DECODED:
            raise _Inflated(f"its compressed streams inflate to over {MAX_DECODED // 2**20} MB")

    def decompress(self, data: bytes, *args) -> bytes:
        d = zlib.decompressobj()
        out = d.decompress(data, MAX_STREAM + 1)
        if len(out) > MAX_STREAM or d.unconsumed_tail:
            raise _Inflated(f"a compressed stream inflates to over {MAX_STREAM // 2**20} MB")
        self._spend(len(out))
        if not d.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self, *args):
        return _BoundedDecompressor(self, args)


class _BoundedDecompressor:
    def __init__(self, owner: _BoundedZlib, args) -> None:
        self.owner, self.inner, self.count = owner, zlib.decompressobj(*args), 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self.inner.decompress(data, max_length or MAX_STREAM + 1 - self.count)
        self.count += len(out)
        if self.count > MAX_STREAM or (self.inner.unconsumed_tail and not max_length):
            raise _Inflated(f"a compressed stream inflates to over {MAX_STREAM // 2**20} MB")
        self.owner._spend(len(out))
        return out

    def flush(self, *args) -> bytes:
        return self.inner.flush(*args)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _page_number() -> str:
    ordinal = lx.alternation(lx.document_words("ordinal_prefix"))
    page = lx.alternation(lx.document_words("page"))
    total = lx.alternation(lx.document_words("page_total"))
    return (
        rf"^[\s\-—－–_·]*(?:{ordinal}\s*)?[0-9０-９]{{1,4}}(?:\s*{page})?"
        rf"(?:\s*[/／]\s*(?:{total}\s*)?[0-9]{{1,4}}\s*{page}?)?"
        r"[\s\-—－–_·]*$"
    )


def _new_section() -> str:
    num = lx.CN_DIGITS + lx.CN_TEN
    ordinal = lx.alternation(lx.document_words("ordinal_prefix"))
    return (
        rf"^[ \u3000]*(?:[{num}]{{1,3}}[、．.]|[（(][{num}]{{1,3}}[）)]|{ordinal}[{num}\d]+"
        + lx.char_class(lx.document_words("pdf_section_char")) + ")"
    )


_PAGE_NUMBER = lx.LazyPattern(_page_number)
_NEW_SECTION = lx.LazyPattern(_new_section)
_ASCII_LETTER = re.compile(r"[A-Za-z]")


@dataclass
class _Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str


@dataclass
class _Table:
    page: int
    top: float
    bottom: float
    rows: list[list[str]] = field(default_factory=list)


def _join(a: str, b: str) -> str:
    """Join two pieces of one paragraph: no space in Chinese, one between Latin words."""
    if a and b and _ASCII_LETTER.match(a[-1]) and _ASCII_LETTER.match(b[0]):
        return a + " " + b
    return a + b


def _cell_text(value: str | None) -> str:
    if not value:
        return ""
    out = ""
    for piece in value.split("\n"):
        out = _join(out, piece.strip())
    return out


def _inside(obj: dict, boxes: list[tuple]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _page_items(page, number: int) -> tuple[list, int, list[float]]:
    """Lines and tables of one page in reading order; also its character count and sizes."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    sizes = [c.get("size", 0) for c in page.chars if c.get("text", "").strip()]
    text_page = (
        page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
        if boxes
        else page
    )
    items: list = []
    for line in text_page.extract_text_lines(return_chars=False, strip=True):
        if line["text"].strip():
            items.append(
                _Line(number, line["x0"], line["x1"], line["top"], line["bottom"], line["text"])
            )
    for t in tables:
        rows = [[_cell_text(c) for c in row] for row in t.extract()]
        rows = [r for r in rows if any(r)]
        if rows:
            items.append(_Table(number, t.bbox[1], t.bbox[3], rows))
    items.sort(key=lambda it: it.top)
    return items, len(page.chars), sizes


def _drop_page_furniture(pages: list[list], heights: list[float]) -> None:
    """Remove page numbers and running heads/feet (in place)."""
    edge_texts: Counter = Counter()
    for items in pages:
        lines = [it for it in items if isinstance(it, _Line)]
        for line in {id(x): x for x in lines[:1] + lines[-1:]}.values():
            edge_texts[re.sub(r"\d+", "#", line.text.strip())] += 1
    repeated = {t for t, n in edge_texts.items() if len(pages) >= 3 and n >= max(3, len(pages) / 2)}
    for items, height in zip(pages, heights, strict=True):
        keep = []
        for it in items:
            if isinstance(it, _Line):
                near_edge = it.top < 0.1 * height or it.bottom > 0.9 * height
                text = it.text.strip()
                if near_edge and (
                    _PAGE_NUMBER.match(text) or re.sub(r"\d+", "#", text) in repeated
                ):
                    continue
            keep.append(it)
        items[:] = keep


def _reflow(items: list, cw: float) -> list[str]:
    """Join lines into paragraphs and render tables; returns the rendition's lines."""
    lines = [it for it in items if isinstance(it, _Line)]
    if lines:
        left = Counter(round(x.x0) for x in lines).most_common(1)[0][0]
        rights = sorted(x.x1 for x in lines)
        right = rights[int(0.9 * (len(rights) - 1))]
    else:
        left = right = 0.0
    out: list[str] = []
    prev = None
    for it in items:
        if isinstance(it, _Table):
            continued = (
                isinstance(prev, _Table)
                and it.page == prev.page + 1
                and _columns(it) == _columns(prev)
            )
            if not continued:  # a table on the next page with as many columns runs on
                out.append("")
            for row in it.rows:
                for cell in row:
                    out.append("\t" + cell)
                out.append("")
            prev = it
            continue
        text = it.text.strip(" \u3000\t")
        joins = (
            isinstance(prev, _Line)
            and prev.x1 >= right - 1.5 * cw
            and it.x0 <= left + 0.6 * cw
            and not _NEW_SECTION.match(text)
            and (
                (it.page == prev.page and it.top - prev.bottom <= 1.2 * (prev.bottom - prev.top))
                or it.page == prev.page + 1
            )
        )
        if joins and out:
            out[-1] = _join(out[-1], text)
        else:
            out.append(text)
        prev = it
    return out


def _columns(t: _Table) -> int:
    return max((len(r) for r in t.rows), default=0)


def _inflated_in(exc: BaseException | None, depth: int = 0) -> _Inflated | None:
    """The :class:`_Inflated` among ``exc``, its causes and arguments, if any."""
    if exc is None or depth > 5:
        return None
    if isinstance(exc, _Inflated):
        return exc
    for inner in (exc.__cause__, exc.__context__, *exc.args):
        if isinstance(inner, BaseException):
            found = _inflated_in(inner, depth + 1)
            if found is not None:
                return found
    return None


def pdf_to_text(data: bytes) -> str:
    """The plain-text rendition of a PDF; raises :class:`ReadError` when it has no text."""
    import pdfminer.pdftypes
    import pdfplumber

    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pdfminer.pdftypes.zlib = _BoundedZlib()  # type: ignore[attr-defined]  # a fresh total
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages, heights, total_chars, sizes, images = [], [], 0, [], 0
            for number, page in enumerate(pdf.pages):
                items, n, page_sizes = _page_items(page, number)
                pages.append(items)
                heights.append(float(page.height))
                total_chars += n
                sizes.extend(page_sizes)
                images += len(page.images)
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for damaged or encrypted files
        inflated = _inflated_in(exc)
        if inflated is not None:  # pdfplumber wraps what pdfminer raised
            raise ReadError(errors.E073, f"{inflated}: not a plain document") from None
        name = type(exc).__name__
        chain = {name, *(type(a).__name__ for a in exc.args)}
        chain |= {type(e).__name__ for e in (exc.__cause__, exc.__context__) if e is not None}
        if any("Password" in n or "Encrypt" in n for n in chain):
            raise ReadError(errors.E041, "encrypted PDF: a password is needed to read it") from None
        detail = str(exc) or name
        raise ReadError(
            errors.E040, f"damaged or truncated PDF, cannot be read ({detail[:120]})"
        ) from None
    if not pages:
        raise ReadError(errors.E040, "not a readable PDF (no pages)")
    if total_chars == 0:
        what = "pages are images only" if images else "pages carry no characters"
        raise ReadError(errors.E042, f"no text layer (scanned PDF?): the {what}; OCR it first")
    _drop_page_furniture(pages, heights)
    cw = statistics.median(sizes) if sizes else 12.0
    text = "\n".join(_reflow([it for items in pages for it in items], cw))
    cid = len(re.findall(r"\(cid:\d+\)", text))
    if cid and cid * 8 > len(text) * 0.2:
        raise ReadError(
            errors.E043,
            "the PDF's fonts map glyphs to no characters ((cid:N) codes): text cannot be read",
        )
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""


def from_bytes(data: bytes, source: str) -> SourceText:
    """Read a PDF with a text layer."""
    if not data.strip():
        raise ReadError(errors.E001, "empty file")
    text = pdf_to_text(data)
    if not text.strip():
        raise ReadError(errors.E042, "no text layer (scanned PDF?): no readable characters")
    return make_source(text, source, "pdf", data)
