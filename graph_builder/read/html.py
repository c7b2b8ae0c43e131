"""Web pages: keep the plan's text, drop navigation, scripts and page residue.

Government sites publish plans as pages where the plan is one block among menus, breadcrumbs,
share buttons and footers. The page is parsed with lxml (a well-kept, lenient HTML parser that
copes with the broken markup of older sites); the charset declared in the page is found with
BeautifulSoup's ``EncodingDetector``. Then:

1. elements that never hold document text are removed (script, style, nav, header, footer,
   aside, forms, hidden elements, ARIA navigation/banner/contentinfo regions);
2. the *main block* is the deepest element that still holds nearly all of the page's prose
   (lines with Chinese sentence punctuation), so link lists and footers around it fall away,
   however the site names its classes; a heading just before it (the title) is kept;
3. the block is written out one line per paragraph, so the structure parser sees the same
   paragraphs as in a text file; data tables become one tab-led line per cell with a blank
   line between rows (the form :mod:`graph_builder.segment.tables` reads).

General-purpose article extractors (trafilatura, readability) were not used: they are tuned
for news pages, score paragraphs by length and commas, and drop short numbered headings and
tables, which are exactly what a plan's structure is made of.
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager

from graph_builder import errors
from graph_builder import lexicon as lx
from graph_builder.read.text import ReadError, SourceText, decode_bytes, make_source

__all__ = ["from_bytes", "html_to_text", "detect_charset"]

_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "head",
    "title",
    "meta",
    "link",
    "map",
    "audio",
    "video",
}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu"}
_BLOCK_TAGS = {
    "address",
    "article",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "html",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "ul",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_PROSE = re.compile(r"[。；，：！？]")
# White space that HTML collapses (not U+3000 or no-break space, which are kept as written).
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s/>]|!--|!doctype)", re.IGNORECASE)
_CRUMB = lx.LazyPattern(lambda: r"[>»›]|" + lx.alternation(lx.document_words("breadcrumb")))
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# GB2312 and GBK pages use characters outside their declared set; GB18030 is the superset.
_WESTERN = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"}
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def _wide(c: str) -> bool:
    return (
        "\u2e80" <= c <= lx.HAN_LAST
        or lx.HAN_COMPAT_FIRST <= c <= lx.HAN_COMPAT_LAST
        or "\uff00" <= c <= "\uffef"
    )


def detect_charset(data: bytes) -> str | None:
    """The charset the page declares (``<meta charset>``, http-equiv or XML declaration)."""
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(data[:8192], is_html=True)
    if not declared:
        return None
    declared = declared.lower()
    return _CHARSET_ALIASES.get(declared, declared)


def _decode_page(data: bytes) -> tuple[str, str]:
    """Decode the page: a byte-order mark, else the declared charset, else UTF-8, else GB18030."""
    import codecs

    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    declared = detect_charset(data)
    if declared in _WESTERN:
        # A Chinese page declaring a Western charset is mislabelled (or a template default);
        # those charsets decode any bytes, so they can only come last.
        candidates = ["utf-8", "gb18030", declared]
    else:
        candidates = [c for c in (declared, "utf-8", "gb18030") if c]
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    # Every candidate failed somewhere: keep the declared (or UTF-8) reading, marking the
    # bad bytes with U+FFFD; make_source reports them.
    enc = declared if declared and _known(declared) else "utf-8"
    return data.decode(enc, "replace"), enc


def _known(enc: str) -> bool:
    import codecs

    try:
        codecs.lookup(enc)
        return True
    except LookupError:
        return False


def _clean(root) -> None:
    """Remove elements that never hold document text."""
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            doomed.append(el)
            continue
        tag = el.tag.lower()
        if (
            tag in _DROP_TAGS
            or el.get("hidden") is not None
            or (el.get("role") or "").lower() in _DROP_ROLES
            or el.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(el.get("style") or "")
        ):
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        # Keep the text that follows the removed element (its tail) in place.
        tail = el.tail
        prev = el.getprevious()
        parent.remove(el)
        if tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail


class _Lines:
    """Collects inline text into lines; a block boundary ends the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.parts: list[str] = []

    def text(self, s: str) -> None:
        if s:
            self.parts.append(s)

    def newline(self) -> None:
        line = _collapse("".join(self.parts))
        self.parts = []
        if line:
            self.lines.append(line)

    def raw(self, line: str) -> None:
        self.newline()
        self.lines.append(line)


def _collapse(s: str) -> str:
    """Collapse HTML white space; a line break between two Chinese characters vanishes
    (as CSS Text 3 prescribes for Chinese), other runs become one space."""

    def repl(m: re.Match) -> str:
        a = s[m.start() - 1] if m.start() > 0 else ""
        b = s[m.end()] if m.end() < len(s) else ""
        if "\n" in m.group() and a and b and _wide(a) and _wide(b):
            return ""
        return " "

    s = _HTML_SPACE.sub(repl, s)
    return s.strip(" \t\u3000\xa0")


def _is_data_table(table) -> bool:
    """A table of data (rows of cells), not a page-layout table holding the page itself."""
    if table.xpath(".//table"):
        return False
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    if len(rows) < 2:
        return False
    for cell in table.xpath(".//td|.//th"):
        if len(cell.text_content()) > 600:
            return False
    return any(len(r.xpath("./td|./th")) >= 2 for r in rows)


def _cell_text(cell) -> str:
    inner = _Lines()
    _render(cell, inner)
    inner.newline()
    return "\n".join(line.lstrip("\t") for line in inner.lines)


def _render_table(table, out: _Lines) -> None:
    out.newline()
    out.lines.append("")
    for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells = row.xpath("./td|./th")
        if not cells:
            continue
        for cell in cells:
            out.lines.append("\t" + _cell_text(cell))
        out.lines.append("")


def _render(el, out: _Lines, tail: bool = True) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag == "br":
        out.newline()
    elif tag == "table" and _is_data_table(el):
        _render_table(el, out)
    elif tag == "pre":
        out.newline()
        for line in el.text_content().split("\n"):
            out.raw(line.strip(" \t\r\u3000\xa0"))
    else:
        block = tag in _BLOCK_TAGS
        if block:
            out.newline()
        out.text(el.text or "")
        for child in el:
            _render(child, out)
        if block:
            out.newline()
    if tail and el.tail:
        out.text(el.tail)


def _weights(root) -> dict:
    """Characters of prose (lines with sentence punctuation) under each element.

    Iterative (children before parents), so a page of any nesting depth is weighed.
    """
    weight: dict = {}
    order = []
    stack = [root]
    while stack:
        el = stack.pop()
        order.append(el)
        stack.extend(c for c in el if isinstance(c.tag, str))
    for el in reversed(order):
        own = 0
        for piece in (el.text or "",) + tuple(c.tail or "" for c in el):
            own += len(piece) if _PROSE.search(piece) else 0
        weight[el] = own + sum(weight[c] for c in el if isinstance(c.tag, str))
    return weight


#: libxml2's HTML parser keeps no element deeper than this, even with ``huge_tree`` (without
#: it, 255: a page with an unclosed ``<font>`` per paragraph lost its text after paragraph
#: 126). A page that reaches it is refused rather than read in part.
MAX_DEPTH = 2048


def _depth(root) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        el, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((c, d + 1) for c in el)
    return deepest


@contextmanager
def _recursion_for(depth: int):
    """Room for :func:`_render`'s recursion over ``depth`` nested elements."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 3 * depth + 1000))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _own_prose(el) -> bool:
    """Whether ``el`` holds prose itself (its text or its children's tails)."""
    return any(_PROSE.search(p) for p in (el.text or "",) + tuple(c.tail or "" for c in el))


#: Going down this many levels in a row, each leaving prose behind, is not a page's layout
#: but a tag left open on every paragraph: each level holds one paragraph and the rest.
_CHAIN = 4


def _main_block(body):
    """The deepest element that holds at least 90% of the page's prose.

    Where every paragraph opens an element it never closes (``<p>…<font>``,
    ``<font><p>…</p>``), each paragraph holds the rest of the page, and going down would
    drop the first paragraphs one level at a time: an element with prose of its own is not
    left for a child, and a run of levels that each leave prose behind ends at its top.
    """
    weight = _weights(body)
    total = weight.get(body, 0)
    node = body
    if total == 0:
        return body
    run_top, run = None, 0
    while True:
        if node is not body and _own_prose(node):
            return node
        heavy = [c for c in node if isinstance(c.tag, str) and weight.get(c, 0) >= 0.9 * total]
        if not heavy:
            return node
        if weight.get(node, 0) > weight.get(heavy[0], 0):  # prose left behind
            run_top, run = (run_top, run + 1) if run else (node, 1)
            if run >= _CHAIN:
                return run_top
        else:
            run_top, run = None, 0
        node = heavy[0]


def _lead_in(main, body) -> list[str]:
    """Short blocks just before the main block: the title and the publication line.

    Walking back from ``main`` (and up through its ancestors), short blocks are kept until a
    link list (navigation, breadcrumbs), a table or a long block is met, or 300 characters
    are collected.
    """
    lines: list[str] = []
    budget = 300
    node = main
    while node is not body and node is not None:
        sib = node.getprevious()
        while sib is not None:
            if isinstance(sib.tag, str):
                text = _collapse(sib.text_content())
                if text:
                    linked = sum(len(_collapse(a.text_content())) for a in sib.iter("a"))
                    crumbs = linked and _CRUMB.search(text)
                    if (
                        linked > 0.5 * len(text)
                        or crumbs
                        or len(text) > budget
                        or sib.xpath(".//table")
                    ):
                        return lines
                    sub = _Lines()
                    _render(sib, sub, tail=False)
                    sub.newline()
                    lines[:0] = sub.lines
                    budget -= len(text)
            sib = sib.getprevious()
        node = node.getparent()
    return lines


def html_to_text(page: str) -> str:
    """The plain-text rendition of an HTML page (main block only)."""
    import lxml.html

    # Control characters are invisible in a browser and refused by lxml's tree API.
    page = _CONTROLS.sub("", _XML_DECL.sub("", page, count=1))
    if not page.strip():
        return ""
    try:
        # huge_tree: keep elements nested deeper than 255 (libxml2's default limit).
        parser = lxml.html.HTMLParser(huge_tree=True)
        root = lxml.html.document_fromstring(page, parser=parser)
    except Exception as exc:  # lxml.etree.ParserError and friends
        raise ReadError(errors.E020, f"not a readable web page: {exc}") from None
    depth = _depth(root)
    if depth >= MAX_DEPTH - 1:
        raise ReadError(
            errors.E022,
            f"web page nests its elements {MAX_DEPTH} deep, the HTML parser's limit: the "
            "text past it would be lost; not read (an unclosed tag on every paragraph?)",
        )
    body = root.find("body")
    if body is None:
        body = root
    _clean(root)
    main = _main_block(body)
    out = _Lines()
    for line in _lead_in(main, body):
        out.raw(line)
    with _recursion_for(depth):
        _render(main, out, tail=False)
    out.newline()
    text = "\n".join(out.lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""


def from_bytes(data: bytes, source: str) -> SourceText:
    """Read a web page; raises :class:`ReadError` when it holds no text."""
    if not data.strip():
        raise ReadError(errors.E001, "empty file")
    page, encoding = _decode_page(data)
    if not _TAG.search(page):
        # Named .html but without a single tag: plain text saved under the wrong name.
        return decode_bytes(data, source)
    text = html_to_text(page)
    if not text.strip():
        raise ReadError(errors.E021, "web page has no text (only markup, scripts or images)")
    return make_source(text, source, f"html/{encoding}", data)
