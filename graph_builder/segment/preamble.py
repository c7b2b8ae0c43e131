"""Document-level facts read from the text before the first heading (and the signature).

Title: the last standalone line of the preamble that names a plan genre (方案, 计划, 措施 …).
Status: draft when the text says 征求意见稿 / 草案 / 讨论稿 / 送审稿; issued when it carries a
document number, a publication line or an issuing office with a date; otherwise unknown.
Region: the first place of the gazetteer named in the title, else the issuer, else the
preamble, else the most frequent province or city in the text.
"""

from __future__ import annotations

import re
from collections import Counter

from graph_builder import lexicon as lx
from graph_builder.model import PlanMeta, Span
from graph_builder.normalize.places import gazetteer
from graph_builder.segment.numerals import cn_to_int

__all__ = ["read_meta"]

_alt = lx.document_pattern


_HAN = r"[\u4e00-\u9fa5]"
#: The brackets a document number's year stands in (国办发〔2019〕39号, 〔2019〕 or (2019)).
_NO_OPEN = re.escape("".join(lx.SQUARE_BRACKETS) + "".join(lx.ROUND_BRACKETS))
_NO_CLOSE = re.escape("".join(lx.SQUARE_BRACKETS.values()) + "".join(lx.ROUND_BRACKETS.values()))
_GENRE = re.compile(_alt("genre") + r"[）)]?$")
_DRAFT = re.compile(_alt("draft_marker"))
_DOCNO = re.compile(
    _HAN + "{1,12}[" + _NO_OPEN + r"]\s*\d{4}\s*[" + _NO_CLOSE + r"]\s*\d{1,4}\s*" + _alt("number_suffix")
)
_SOURCE = re.compile(
    _alt("source_label")
    + rf"\s*[:：]\s*(?P<issuer>{_HAN}{{2,30}}?)(?=\s|$|"
    + "|".join(map(re.escape, lx.document_words("source_stop")))
    + ")"
)
_ISO_DATE = re.compile(
    _alt("date_label")
    + rf"\s*[:：]\s*(?P<y>\d{{4}})[-/.{lx.YEAR}](?P<m>\d{{1,2}})[-/.{lx.MONTH}](?P<d>\d{{1,2}})"
)
_CN_YEAR_DIGITS = lx.CN_ZERO + lx.CN_ZERO_ALT + lx.CN_DIGITS
_CN_DAY_DIGITS = "0-9" + lx.CN_DIGITS + lx.CN_TEN
_CN_DATE = re.compile(
    rf"(?m)^[ \t\u3000]*(?P<y>\d{{4}}|[{_CN_YEAR_DIGITS}]{{4}}){lx.YEAR}"
    rf"(?P<m>[{_CN_DAY_DIGITS}]{{1,3}}){lx.MONTH}(?P<d>[{_CN_DAY_DIGITS}]{{1,3}}){lx.DAY}[ \t\u3000]*$"
)
_ISSUER_LINE = re.compile(
    rf"(?m)^[ \t\u3000]*(?P<issuer>{_HAN}{{2,25}}" + _alt("issuer_line_head") + r")[ \t\u3000]*$"
)
_PUBLISHED = re.compile(_alt("published_marker"))
_TITLE_ISSUER = re.compile(
    "(?P<issuer>" + _alt("state_council") + rf"|{_HAN}{{2,25}}?" + _alt("title_issuer_head") + ")"
    + _alt("title_issuer_verb")
)
#: Words before a document number that cite another document.
_CITING = re.compile("(?:》|" + _alt("citing_word") + r")[^\n。]{0,4}$")
#: 关于 opens a title; 关于…的通知 is a title whatever its topic.
_ABOUT = lx.document_words("about")
_COVER_TITLE = re.compile("^" + _alt("about") + ".*" + _alt("cover_genre") + "$")


def _cited(text: str, pos: int) -> bool:
    """Whether the document number at ``pos`` cites another document: it stands in
    brackets after a title (《…》（国办发〔2019〕39号）) or after 根据, 按照, 落实 …"""
    before = text[max(0, pos - 8) : pos].rstrip(" \t\u3000")
    if before.endswith(("（", "(")):
        return True
    return bool(_CITING.search(before))


def _lines(text: str, start: int, end: int):
    pos = start
    for line in text[start:end].split("\n"):
        a = pos + len(line) - len(line.lstrip(" \t\u3000\ufeff"))
        b = pos + len(line.rstrip(" \t\u3000\r"))
        if b > a:
            yield a, b
        pos += len(line) + 1


def _year(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    digits = lx.CN_ZERO + lx.CN_DIGITS
    s = s.replace(lx.CN_ZERO_ALT, lx.CN_ZERO)
    return int("".join(str(digits.index(c)) for c in s)) if all(c in digits for c in s) else None


def _date(m) -> str | None:
    y, mo, d = _year(m.group("y")), cn_to_int(m.group("m")), cn_to_int(m.group("d"))
    if not (y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _join_broken_title(text: str, meta: PlanMeta) -> None:
    """A title broken over two lines (``国务院办公厅关于促进全民健身和体育消费`` /
    ``推动体育产业高质量发展的意见``): the line before, when it opens the title (关于, or an
    issuer before 关于) and ends without punctuation, is its first half."""
    a = meta.title_span.start
    prev_end = text.rfind("\n", 0, a)
    while prev_end > 0 and not text[text.rfind("\n", 0, prev_end) + 1 : prev_end].strip():
        prev_end = text.rfind("\n", 0, prev_end)  # blank lines between the halves
    if prev_end <= 0:
        return
    prev_start = text.rfind("\n", 0, prev_end) + 1
    ps, pe = prev_start, prev_end
    while ps < pe and text[ps] in " \t\u3000":
        ps += 1
    while pe > ps and text[pe - 1] in " \t\u3000\r":
        pe -= 1
    prev = text[ps:pe]
    if not (4 <= len(prev) <= 60) or re.search(r"[。，,；;：:！？]$", prev) or not any(w in prev for w in _ABOUT):
        return
    if any(w in meta.title for w in _ABOUT) or _GENRE.search(prev):
        return
    meta.title = prev + meta.title
    meta.title_span = Span(ps, meta.title_span.end, text[ps : meta.title_span.end])


def read_meta(text: str, preamble_end: int) -> PlanMeta:
    """Metadata of the document; ``preamble_end`` is where the first heading starts."""
    meta = PlanMeta()
    end = max(preamble_end, 0)
    tail_start = max(len(text) - 400, end)
    # Title.
    for a, b in _lines(text, 0, end):
        line = text[a:b]
        if "。" in line or len(line) < 6 or len(line) > 80 or _SOURCE.search(line):
            continue
        if (
            _GENRE.search(line)
            and not line.startswith((*_ABOUT, "《"))
            or _COVER_TITLE.match(line)
        ):
            meta.title, meta.title_span = line, Span(a, b, line)
    if meta.title_span:
        _join_broken_title(text, meta)
    # Status.
    m = _DRAFT.search(text, 0, end)
    if m:
        meta.status, meta.status_span = "draft", Span.of(text, m.start(), m.end())
    # Document number: the plan's own, not one it cites (《…》（国办发〔2019〕39号）).
    for m in _DOCNO.finditer(text, 0, end):
        if _cited(text, m.start()):
            continue
        meta.doc_number, meta.doc_number_span = m.group(), Span.of(text, m.start(), m.end())
        break
    # Issuer and date: a source line, or an office and a date line (preamble or signature).
    m = _SOURCE.search(text, 0, end)
    if m:
        meta.issuer = m.group("issuer")
        meta.issuer_span = Span.of(text, m.start("issuer"), m.end("issuer"))
    if not meta.issuer and meta.title_span:
        # 国务院关于…的通知, 某某县人民政府印发…的通知: the title names its issuer.
        t = _TITLE_ISSUER.match(text, meta.title_span.start, meta.title_span.end)
        if t:
            meta.issuer = t.group("issuer")
            meta.issuer_span = Span.of(text, t.start("issuer"), t.end("issuer"))
    m = _ISO_DATE.search(text, 0, end)
    if m and _date(m):
        meta.date, meta.date_span = _date(m), Span.of(text, m.start(), m.end())
    for region_start, region_end in ((0, end), (tail_start, len(text))):
        d = _CN_DATE.search(text, region_start, region_end)
        if d and not meta.date and _date(d):
            meta.date, meta.date_span = _date(d), Span.of(text, d.start("y"), d.end())
            if not meta.issuer:
                before = [i for i in _ISSUER_LINE.finditer(text, region_start, d.start())]
                if before:
                    i = before[-1]
                    meta.issuer = i.group("issuer")
                    meta.issuer_span = Span.of(text, i.start("issuer"), i.end("issuer"))
    if meta.status is None and (
        meta.doc_number or _PUBLISHED.search(text, 0, end) or (meta.issuer and meta.date)
    ):
        meta.status = "issued"
        anchor = meta.doc_number_span or meta.date_span or meta.issuer_span
        meta.status_span = anchor
    _region(text, end, meta)
    return meta


#: A central issuer: the State Council, the Party centre's offices, a ministry or a national
#: bureau, opening the title or the issuer line (国务院关于…, 商务部等13部门关于…).
_CENTRAL = re.compile(
    "^(?:" + _alt("central_issuer")
    + "|" + _alt("national_prefix") + f"{_HAN}{{1,12}}?" + _alt("national_body_head")
    + f"|{_HAN}{{1,10}}?" + _alt("ministry_head") + ")"
    + _alt("general_office") + "?(?=" + "|".join(map(re.escape, lx.document_words("central_issuer_follow"))) + "|$)"
)
#: The national level: GB/T 2260 has no row for the country; 100000 is its customary code.
NATIONAL = (lx.document_words("country")[0], "national", "100000")


#: The salutation of a document the State Council or a ministry sends to every province.
_NATIONAL_ADDRESS = re.compile(
    r"^[ \t\u3000]*" + _alt("national_address")
    + "(?:" + "|".join(map(re.escape, lx.document_words("national_addressee")))
    + f"|{_HAN}{{0,12}}" + _alt("provincial_department") + ")",
    re.M,
)
#: A one-character level prefix opening a central match names a region's body (省商务厅).
_LEVEL_CHAR = re.compile(lx.char_class(w for w in lx.level_prefixes() if len(w) == 1))
#: GB/T 2260 rows that group places without being one: a parent region skips them.
_FILLER_ROWS = frozenset(lx.document_words("gazetteer_filler"))


def _national(text: str, meta: PlanMeta, end: int) -> bool:
    """A plan issued by a central body for the whole country (a level above province): its
    title or issuer is a central body, or it is addressed to every province."""
    g = gazetteer()
    m = _NATIONAL_ADDRESS.search(text, 0, min(end, 1500))
    if m and not (meta.title_span and any(True for _ in g.find(meta.title_span.text))):
        meta.region, meta.region_level, meta.adcode = NATIONAL
        meta.parent_region = None
        meta.region_span = Span.of(text, m.start(), m.end())
        return True
    for span in (meta.issuer_span, meta.title_span):
        if span is None:
            continue
        m = _CENTRAL.match(text, span.start, span.end)
        if not m or _LEVEL_CHAR.match(m.group()):
            continue
        if any(True for _ in g.find(text[span.start : span.end])):
            continue  # 某某省商务厅关于… names a region
        meta.region, meta.region_level, meta.adcode = NATIONAL
        meta.parent_region = None
        meta.region_span = Span.of(text, m.start(), m.end())
        return True
    return False


def _region(text: str, end: int, meta: PlanMeta) -> None:
    g = gazetteer()
    if _national(text, meta, end):
        return
    sources: list[tuple[int, int]] = []
    if meta.title_span:
        sources.append((meta.title_span.start, meta.title_span.end))
    if meta.issuer_span:
        sources.append((meta.issuer_span.start, meta.issuer_span.end))
    sources.append((0, end))
    for a, b in sources:
        for s, e, name in g.find(text[a:b]):
            p = g.resolve_in_context(name, text)
            if p and p.level in ("province", "city") or (p and (s == 0)):
                _set_region(meta, p, Span.of(text, a + s, a + e))
                return
        for s, e, name in g.find(text[a:b], short=True):
            if s == 0:
                p = g.resolve_in_context(name, text)
                if p:
                    _set_region(meta, p, Span.of(text, a + s, a + e))
                    return
    counts = Counter()
    first = {}
    for s, e, name in g.find(text):
        p = g.resolve(name)
        if p and p.level in ("province", "city"):
            counts[p.adcode] += 1
            first.setdefault(p.adcode, (s, e))
    if counts:
        code, _n = max(counts.items(), key=lambda kv: (kv[1], -first[kv[0]][0]))
        s, e = first[code]
        _set_region(meta, g.by_code[code], Span.of(text, s, e))


def _set_region(meta: PlanMeta, place, span: Span) -> None:
    g = gazetteer()
    meta.region = place.name
    meta.adcode = place.adcode
    meta.region_level = place.level
    parent = g.parent(place)
    while parent and parent.name in _FILLER_ROWS:
        parent = g.parent(parent)
    meta.parent_region = parent.name if parent else None
    meta.region_span = span
