"""Find the skeleton of a plan: preamble, chapters (actions), measures and their clauses.

Works on the masked text (artefacts blanked, offsets unchanged). Headings are recognised by
their label style (``一、`` ``（一）`` ``1.`` ``（1）`` ``①`` ``第一章``); which style numbers the
measures is decided per document: the style whose headings carry the responsibility clauses,
or, when responsibilities live only in a table, the second level of the outline. Chapters are
the style one level above. Numbering may restart per chapter or run through.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from graph_builder import lexicon as lx
from graph_builder.segment.numerals import cn_to_int, to_halfwidth
from graph_builder.segment.tables import Table, find_tables

__all__ = ["Clause", "Heading", "MeasureBlock", "Outline", "parse_outline", "labels_past_range"]

_CN = lx.CN_DIGITS + lx.CN_TEN + lx.CN_HUNDRED + lx.CN_ZERO_ALT + lx.CN_ZERO + lx.CN_TWO
_LINE_START = r"(?m)^[ \t\u3000\ufeff]*"

# (style, rank, regex). Rank orders the usual Chinese outline: 第一章 > 一、 > （一） > 1. > （1） > ①.
_STYLES: list[tuple[str, int, re.Pattern]] = [
    (
        "chapter_word",
        0,
        re.compile(
            _LINE_START + "(" + lx.alternation(lx.document_words("ordinal_prefix"))
            + rf"([{_CN}]+|\d+)" + lx.alternation(lx.document_words("chapter_word"))
            + r")[ \t\u3000]*"
        ),
    ),
    ("cn", 1, re.compile(_LINE_START + rf"(([{_CN}]{{1,3}})[、．.])")),
    ("paren_cn", 2, re.compile(_LINE_START + rf"([（(]([{_CN}]{{1,3}})[）)])[、．.]?")),
    (
        "arabic",
        3,
        re.compile(_LINE_START + r"(([0-9０-９]{1,3})(?:[.．](?![0-9０-９])|、|[ \t\u3000]))"),
    ),
    ("paren_arabic", 4, re.compile(_LINE_START + r"([（(]([0-9０-９]{1,3})[）)])[、．.]?")),
    ("circled", 5, re.compile(_LINE_START + r"(([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))")),
]
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
#: A line opening with a bracketed number longer than the styles above read (（1000）,
#: （一百二十三）) or a circled number past ⑳: a label the outline cannot read.
_PAST_RANGE = re.compile(
    _LINE_START
    + rf"([（(](?:[0-9０-９]{{4,8}}|[{_CN}]{{4,8}})[）)]|[㉑-㉟㊱-㊿])"
)
_APPENDIX = re.compile(
    _LINE_START + "(" + "|".join(map(re.escape, lx.document_words("appendix"))) + ")"
    + rf"[ \t\u3000]*[0-9０-９{lx.CN_DIGITS}{lx.CN_TEN}]*[：:]?"
)
#: A closing paragraph addressing every unit (各地各部门要…): the last measure ends before it.
_ADDRESS = re.compile(
    r"\n[ \t\u3000]*(" + lx.alternation(lx.document_words("address_each")) + r"[^\n]{0,30}"
    + lx.alternation(lx.document_words("address_must"))
    + r"|[^\n]{0,4}" + lx.alternation(lx.document_words("address_departments")) + ")"
)
_TITLE_END = re.compile(r"[。！？!?]")


@dataclass
class Heading:
    """A numbered heading: its style, number, label as written and title."""

    style: str
    rank: int
    number: int
    label_start: int
    label_end: int
    title_start: int
    title_end: int
    line_end: int
    label_text: str
    numeral: str = ""

    @property
    def start(self) -> int:
        return self.label_start

    def normalized_label(self) -> str:
        """The label as tests/data/gold/SCHEMA.md writes it: (一), 1., 一、, (1)."""
        core = re.sub(r"[（(）)、．.\s\u3000]", "", self.label_text)
        core = to_halfwidth(core)
        if self.style == "paren_cn":
            return f"({core})"
        if self.style == "paren_arabic":
            return f"({core})"
        if self.style == "arabic":
            return f"{core}."
        if self.style == "cn":
            return f"{core}、"
        return core


class Clause(NamedTuple):
    """A responsibility clause: the whole of it (``start``, ``end``: brackets or label run
    included) and what is read as units (``inner_start``, ``inner_end``). Named, because the
    outline, the reader and the assembly step all pass it on and pick its ends."""

    start: int
    end: int
    inner_start: int
    inner_end: int


@dataclass
class MeasureBlock:
    """A measure heading, the chapter it stands in, and the extent of its text."""

    heading: Heading
    chapter: Heading | None
    start: int
    end: int
    clause_start: int | None = None
    clause_end: int | None = None
    clause_inner: tuple[int, int] | None = None
    #: Every clause of the measure, in order; a measure whose sentences each name their
    #: units has several.
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class Outline:
    """The structure of one document."""

    body_start: int
    body_end: int
    chapters: list[Heading] = field(default_factory=list)
    measures: list[MeasureBlock] = field(default_factory=list)
    measure_style: str | None = None
    chapter_style: str | None = None
    tables: list[Table] = field(default_factory=list)
    appendix_start: int | None = None
    headings: list[Heading] = field(default_factory=list)
    #: Lines labelled in the measures' style that break the numbering and have no clause of
    #: their own; they are read as text of the measure above (and reported).
    dropped: list[Heading] = field(default_factory=list)


def _find_headings(text: str, start: int, end: int, table_ranges) -> list[Heading]:
    found: dict[int, Heading] = {}
    for style, rank, rx in _STYLES:
        for m in rx.finditer(text, start, end):
            pos = m.start(1)
            if any(a <= pos < b for a, b in table_ranges):
                continue
            if pos in found and found[pos].rank <= rank:
                continue
            raw = m.group(2)
            number = _CIRCLED.index(raw) + 1 if style == "circled" else cn_to_int(raw)
            if number is None:
                continue
            line_end = text.find("\n", m.end())
            line_end = end if line_end == -1 or line_end > end else line_end
            t_start = m.end()
            while t_start < line_end and text[t_start] in " \t\u3000":
                t_start += 1
            if t_start >= line_end:
                # A bare label with nothing after it on the line is a table cell, not a heading.
                continue
            stop = _TITLE_END.search(text, t_start, line_end)
            t_end = stop.start() if stop else line_end
            while t_end > t_start and text[t_end - 1] in " \t\u3000\r":
                t_end -= 1
            found[pos] = Heading(
                style, rank, number, m.start(1), m.end(1), t_start, t_end, line_end, m.group(1),
                to_halfwidth(raw),
            )  # fmt: skip
    return [found[k] for k in sorted(found)]


def _extents(headings: list[Heading], end: int) -> list[int]:
    """Where each heading's section ends: the next heading of the same or a higher level.

    One pass with a stack of open sections, so a document with tens of thousands of headings
    is parsed in linear, not quadratic, time."""
    out = [end] * len(headings)
    stack: list[int] = []
    for j, h in enumerate(headings):
        while stack and headings[stack[-1]].rank >= h.rank:
            out[stack.pop()] = h.start
        stack.append(j)
    return out


def _count_between(positions: list[int], a: int, b: int) -> int:
    """How many of the sorted ``positions`` lie in ``[a, b)``."""
    return bisect_left(positions, b) - bisect_left(positions, a)


def _choose_measure_style(headings, clause_positions, body_end, extents=None) -> str | None:
    styles = sorted({h.style for h in headings}, key=lambda s: [x[0] for x in _STYLES].index(s))
    if not styles:
        return None
    extents = extents if extents is not None else _extents(headings, body_end)
    positions = sorted(clause_positions)
    scores = []
    for style in styles:
        idx = [i for i, h in enumerate(headings) if h.style == style]
        with_clause = 0
        exactly_one = 0
        for i in idx:
            n = _count_between(positions, headings[i].start, extents[i])
            with_clause += n > 0
            exactly_one += n == 1
        scores.append((with_clause, exactly_one, style))
    # On a tie (one measure per chapter) the deeper style numbers the measures.
    best = max(scores, key=lambda s: (s[0], s[1], styles.index(s[2])))
    if best[0] > 0:
        return best[2]
    # No clauses (responsibilities in a table, or none at all): the second outline level
    # when there is one with at least two headings, else the first.
    counted = [s for s in styles if sum(h.style == s for h in headings) >= 2]
    if len(counted) >= 2:
        return counted[1]
    return counted[0] if counted else styles[0]


def _plausible_sequence(headings: list[Heading], style: str) -> list[Heading]:
    """Drop headings of ``style`` that break numbering badly (a stray ``3、`` in prose).

    Numbers may restart at 1 (per chapter) or run on; a heading whose number neither follows
    the previous one, nor restarts at 1, nor is within two of it is not kept. A repeated
    number is kept: two measures numbered alike are a typing slip, not prose (the numbering
    check reports it).
    """
    kept: list[Heading] = []
    prev = 0
    for h in headings:
        if h.style != style:
            continue
        n = h.number
        if n == 1 or prev == 0 or 0 <= n - prev <= 2:
            kept.append(h)
            prev = n
    return kept


def _keep_with_clause(headings, style, kept, clauses, body_end, extents=None):
    """Take back headings that break the numbering but carry their own responsibility clause.

    A measure numbered ``（九）`` after ``（四）`` is a skipped number, not a stray label in
    prose, when a clause names who is responsible for it; merging it into the measure above
    would hand that measure the wrong agencies. Returns (measure headings, still dropped).
    """
    extents = extents if extents is not None else _extents(headings, body_end)
    positions = sorted(c.start for c in clauses)
    chosen = {id(h) for h in kept}
    back, dropped = [], []
    for i, h in enumerate(headings):
        if h.style != style or id(h) in chosen:
            continue
        if _count_between(positions, h.start, extents[i]):
            back.append(h)
        else:
            dropped.append(h)
    if not back:
        return kept, dropped
    return sorted(kept + back, key=lambda h: h.start), dropped


def labels_past_range(text: str, start: int = 0, end: int | None = None) -> list[re.Match]:
    """Line-opening labels past the numbers the outline reads (（999）, ⑳), so a plan that
    numbers further is told its later items were not read as measures."""
    return list(_PAST_RANGE.finditer(text, start, len(text) if end is None else end))


def parse_outline(text: str, clause_finder: Callable[[str, int, int], list[Clause]]) -> Outline:
    """Parse ``text`` (masked) into an :class:`Outline`.

    ``clause_finder(text, start, end)`` returns the responsibility clauses of a text range as
    :class:`Clause` records; it is injected so that this module knows the
    outline and :mod:`graph_builder.extract.responsibility` knows what a clause says.
    """
    end = len(text)
    app = _APPENDIX.search(text)
    appendix_start = None
    # An appendix marker only ends the body once numbered content has started.
    tables = find_tables(text)
    table_ranges = [(t.start, t.end) for t in tables]
    headings = _find_headings(text, 0, end, table_ranges)
    if app and headings and app.start() > headings[0].start:
        appendix_start = app.start(1)
    body_end = appendix_start if appendix_start is not None else end
    headings = [h for h in headings if h.start < body_end]
    out = Outline(
        body_start=headings[0].start if headings else 0,
        body_end=body_end,
        tables=tables,
        appendix_start=appendix_start,
        headings=headings,
    )
    if not headings:
        return out
    clauses = sorted(clause_finder(text, out.body_start, body_end))
    extents = _extents(headings, body_end)
    style = _choose_measure_style(headings, [c.start for c in clauses], body_end, extents)
    header_clauses = _header_clauses(headings, style, clauses, extents)
    if header_clauses:
        # The clauses stand in the headings of a level above the measures (一、…政策（由县发改
        # 局牵头实施） over 1. 2. 3.): the next level numbers the measures, which inherit them.
        style = min(
            {h.style for h in headings if h.rank > _rank(style)}, key=_rank
        )
    out.measure_style = style
    measure_heads = _plausible_sequence(headings, style)
    measure_heads, out.dropped = _keep_with_clause(
        headings, style, measure_heads, clauses, body_end, extents
    )
    rank = next(h.rank for h in headings if h.style == style)
    higher = sorted({h.rank for h in headings if h.rank < rank})
    if higher:
        chapter_rank = higher[-1]
        out.chapter_style = next(h.style for h in headings if h.rank == chapter_rank)
        out.chapters = _plausible_sequence(headings, out.chapter_style)
    if clauses:
        measure_heads = _drop_framing_items(text, measure_heads, out.chapters, clauses, body_end)
    # Extents: a measure runs to the next heading of its level or above.
    boundaries = sorted({h.start for h in measure_heads} | {h.start for h in out.chapters})
    chapter_starts = [c.start for c in out.chapters]
    clause_starts = [c.start for c in clauses]
    for h in measure_heads:
        nxt = bisect_right(boundaries, h.start)
        stop = boundaries[nxt] if nxt < len(boundaries) else body_end
        k = bisect_left(chapter_starts, h.start) - 1
        chapter = out.chapters[k] if k >= 0 else None
        block = MeasureBlock(h, chapter, h.start, stop)
        own = clauses[bisect_left(clause_starts, h.start) : bisect_left(clause_starts, stop)]
        if own:
            # The measure ends with its last clause; all its clauses are kept.
            c = own[-1]
            block.clauses = own
            block.clause_start, block.clause_end = c.start, c.end
            block.clause_inner = (c.inner_start, c.inner_end)
            block.end = c.end
        else:
            block.end = _trim_end(text, h, stop)
            inherited = header_clauses.get(id(chapter)) if chapter is not None else None
            if inherited:
                block.clauses = [inherited]
                block.clause_start, block.clause_end = inherited.start, inherited.end
                block.clause_inner = (inherited.inner_start, inherited.inner_end)
        out.measures.append(block)
    return out


def _rank(style: str) -> int:
    return next(r for s, r, _ in _STYLES if s == style)


def _header_clauses(headings, style, clauses, extents) -> dict[int, Clause]:
    """Clauses written in the heading of the ``style`` headings, when that is where all
    of that style's clauses stand and the style has at least two numbered items of a deeper
    level below such a heading: {id(heading): clause}. Empty otherwise."""
    if style is None:
        return {}
    found: dict[int, Clause] = {}
    for i, h in enumerate(headings):
        if h.style != style:
            continue
        mine = [c for c in clauses if h.start <= c.start < extents[i]]
        if not mine:
            continue
        # In the heading itself (一、…政策（由…牵头）), not after its first sentence: a measure
        # written on one line with its clause at the end is no header.
        if any(c.start > h.title_end for c in mine):
            return {}
        below = [
            x for x in headings[i + 1 :] if h.start < x.start < extents[i] and x.rank > h.rank
        ]
        if len(below) < 2:
            return {}
        found[id(h)] = mine[0]
    return found


def _chapter_kind(title: str) -> str | None:
    """The section kind (ontology/section_kinds.ttl) whose cue the chapter title contains."""
    from graph_builder.vocab import load_scheme

    scheme = load_scheme("section_kinds.ttl")
    for cue, key in scheme.cue_index():
        if cue in title:
            return key
    return None


def _drop_framing_items(text, heads, chapters, clauses, body_end):
    """Numbered items of a framing chapter (一、总体要求 （一）指导思想 …) are not measures.

    Only applied to plans that attach clauses to their measures: an item of a framing chapter
    with no clause of its own is then a heading of the plan's rationale, not a measure.
    """
    from graph_builder.vocab import load_scheme

    scheme = load_scheme("section_kinds.ttl")
    kept = []
    for h in heads:
        chapter = None
        for c in chapters:
            if c.start < h.start:
                chapter = c
        if chapter is not None:
            kind = _chapter_kind(text[chapter.title_start : chapter.title_end])
            framing = kind and not scheme[kind].flags.get("holdsMeasures", True)
            nxt = [x.start for x in heads + chapters if x.start > h.start]
            stop = min(nxt) if nxt else body_end
            if framing and not any(h.start <= c.start < stop for c in clauses):
                continue
        kept.append(h)
    return kept


def _trim_end(text: str, h: Heading, stop: int) -> int:
    """End of a measure without a clause: the end of its last paragraph before ``stop``.

    A closing paragraph that is not part of the measure ("各县（市、区）、各部门要……") stands
    after the last measure of a chapter; it starts with 各 and addresses all units, so a
    measure ends before such a paragraph.
    """
    end = stop
    para_end = text.find("\n", h.start)
    para_end = stop if para_end == -1 or para_end > stop else para_end
    rest = text[para_end:stop]
    for m in _ADDRESS.finditer(rest):
        end = para_end + m.start()
        break
    while end > h.start and text[end - 1] in " \t\r\n\u3000":
        end -= 1
    return end
