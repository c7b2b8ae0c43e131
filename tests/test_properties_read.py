"""Property tests of the readers: random and damaged bytes never crash, text round-trips.

Every reader either returns a SourceText whose spans quote its text, or raises ReadError with
a code and a reason. Any other exception would stop a whole corpus build, so it is a bug.
On CI the examples are derandomised (reproducible); locally Hypothesis explores afresh.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from graph_builder.read import ReadError, SourceText, decode_bytes, read_bytes
from graph_builder.read.html import html_to_text

from ._docgen import make_docx, make_html, make_pdf

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "corpus").glob("*.txt"))[0].read_text(encoding="utf-8")

FAST = settings(
    max_examples=200,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
SLOW = settings(FAST, max_examples=40)

# Text a plan might hold: Chinese, full-width forms, brackets, outline labels, odd spaces.
PLAN_CHARS = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.sampled_from(list("（）()、，。；：“”《》【】〔〕①②一二三十0123456789 \u3000\t\n\r\xa0")),
    st.characters(blacklist_categories=("Cs", "Cc")),
)
plan_text = st.text(PLAN_CHARS, min_size=1, max_size=400)


def _check_source(src: SourceText) -> None:
    assert src.text.strip()
    assert not any("\ud800" <= c <= "\udfff" for c in src.text)
    masked = src.masked
    assert len(masked) == len(src.text)
    for s in src.ignored:
        assert 0 <= s.start <= s.end <= len(src.text)
        assert s.text == src.text[s.start : s.end]
    for d in src.diagnostics:
        assert d.start is None or 0 <= d.start <= len(src.text)
    # The rendition can be stored as UTF-8 (text/<doc>.txt) and read back unchanged.
    assert src.text.encode("utf-8").decode("utf-8") == src.text


def _read_or_refuse(data: bytes, name: str, suffix: str) -> SourceText | None:
    try:
        src = read_bytes(data, name, suffix)
    except ReadError as exc:
        assert exc.code.startswith("GB-E") and str(exc)
        return None
    _check_source(src)
    return src


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_are_read_or_refused_with_a_reason(data):
    first = _read_or_refuse(data, "random.txt", ".txt")
    second = _read_or_refuse(data, "random.txt", ".txt")
    assert (first and first.text) == (second and second.text)  # deterministic


@FAST
@given(plan_text, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-be-bom"]))
@example("¡" * 20, "gb18030")  # all outside GB2312: refused as likely Big5 or noise (GB-E074)
@example("提振消费专项行动方案¡" * 3, "gb18030")  # a few rare characters: read
def test_text_round_trips_through_every_supported_encoding(text, encoding):
    assume(text.strip() and not text.startswith("\ufeff"))
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    if encoding == "gb18030":
        # Short GB18030 byte strings can also be valid UTF-8 (茅 = C3 A9 = é); such text is
        # ambiguous by nature and UTF-8 wins. Only unambiguous bytes are checked.
        try:
            data.decode("utf-8")
            assume(False)
        except UnicodeDecodeError:
            pass
    try:
        src = decode_bytes(data, "x.txt")
    except ReadError as exc:
        # Only text that looks binary (many control characters) may be refused, and GB18030
        # text whose characters lie mostly outside GB2312: that is what Big5 or byte noise
        # decoded as GB18030 looks like (GB-E074).
        if exc.code == "GB-E074":
            from graph_builder.read.text import _MAX_RARE_SHARE

            wide = [c for c in text if ord(c) > 0x7F and not c.isspace()]
            rare = sum(1 for c in wide if not _in_gb2312(c))
            assert encoding == "gb18030" and rare > _MAX_RARE_SHARE * len(wide), exc
            return
        assert exc.code == "GB-E002", exc
        return
    assert src.text == text
    _check_source(src)


def _in_gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@FAST
@given(plan_text, st.integers(min_value=1, max_value=3))
def test_utf8_cut_inside_the_last_character_keeps_everything_before_it(text, cut):
    data = text.encode("utf-8")
    assume(len(text[-1].encode("utf-8")) > cut and text[:-1].strip())
    if text[:-1].isascii():
        # With nothing but ASCII before the cut, bytes that are also whole GB18030 text are
        # read as GB18030 (``0`` + E7 BA is 0绾); only the others count as a cut UTF-8 file.
        try:
            data[:-cut].decode("gb18030")
            assume(False)
        except UnicodeDecodeError:
            pass
    try:
        src = decode_bytes(data[:-cut], "cut.txt")
    except ReadError as exc:
        assert exc.code == "GB-E002"
        return
    assert src.text == text[:-1]
    assert "GB-W003" in [d.code for d in src.diagnostics]


TAGS = ["p", "div", "span", "table", "tr", "td", "script", "style", "nav", "br", "a", "h1", "li"]
html_piece = st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "&nbsp;", "&#x0;", "&amp;", "<?xml?>"]),
    plan_text,
)


@FAST
@given(st.lists(html_piece, max_size=40))
def test_random_markup_is_read_or_refused(pieces):
    page = "<html><body>" + "".join(pieces)
    html_to_text(page)
    for enc in ("utf-8", "gb18030"):
        _read_or_refuse(page.encode(enc, "replace"), "page.html", ".html")


@cache
def _container(kind: str, tmp: str) -> bytes:
    path = Path(tmp) / f"seed.{kind}"
    if kind == "docx":
        return make_docx(SEED, path).read_bytes()
    if kind == "pdf":
        return make_pdf(SEED, path).read_bytes()
    return make_html(SEED)


damage = st.lists(
    st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=8
)


def _damaged(data: bytes, flips, keep: float) -> bytes:
    out = bytearray(data[: max(1, int(len(data) * keep))])
    for pos, value in flips:
        out[pos % len(out)] = value
    return bytes(out)


@SLOW
@given(st.sampled_from(["docx", "pdf", "html"]), damage, st.floats(min_value=0.0, max_value=1.0))
@example(kind="html", flips=[(0, 1)], keep=1.0)  # a control character: lxml refused the tree
@example(kind="docx", flips=[(49, 0)], keep=1.0)  # a corrupt deflate stream: zlib.error
def test_damaged_word_pdf_and_html_files_are_read_or_refused(tmp_path_factory, kind, flips, keep):
    data = _container(kind, str(tmp_path_factory.getbasetemp()))
    _read_or_refuse(_damaged(data, flips, keep), f"damaged.{kind}", f".{kind}")
