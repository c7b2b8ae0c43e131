"""Where a promise can stand: the text of each measure, and plan-level text around them.

Targets and priced instruments keep the chapter (``action``) and the index of the measure
they stand in (not its label, which two measures may share); text outside every measure (a
chapter of goals, the preamble) is plan-level, with ``measure_index`` None and the chapter it
stands in. Responsibility clauses, tables (an appendix
of policy documents), the appendix itself and the document's heading facts (title, number,
date, issuer) are left out: their numbers are names and dates, not promises.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from graph_builder import lexicon as lx
from graph_builder.model import Plan
from graph_builder.segment.structure import Outline

__all__ = ["PromiseSpan", "promise_spans", "plan_year"]


@dataclass(frozen=True)
class PromiseSpan:
    """A stretch of text that belongs to one chapter and at most one measure."""

    start: int
    end: int
    action: str | None
    measure_index: int | None


def _subtract(a: int, b: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, cur = [], a
    for h0, h1 in sorted(holes):
        if h1 <= cur or h0 >= b:
            continue
        if h0 > cur:
            out.append((cur, h0))
        cur = max(cur, h1)
    if cur < b:
        out.append((cur, b))
    return out


def promise_spans(plan: Plan, outline: Outline | None = None) -> list[PromiseSpan]:
    """The promise spans of ``plan`` in document order (measures and plan-level text).

    Tables and the appendix are known from the ``outline`` the layout component leaves on
    the Doc; without it the whole text is searched."""
    text = plan.text
    body_end = len(text)
    holes: list[tuple[int, int]] = []
    if outline is not None:
        if outline.appendix_start is not None:
            body_end = outline.appendix_start
        holes += [(t.start, t.end) for t in outline.tables]
    meta = plan.meta
    for s in (meta.title_span, meta.doc_number_span, meta.date_span, meta.issuer_span,
              meta.status_span):  # fmt: skip
        if s is not None:
            holes.append((s.start, s.end))
    chapters = [(a.span.start, a.id) for a in plan.actions]

    def chapter_at(pos: int) -> str | None:
        current = None
        for start, cid in chapters:
            if start <= pos:
                current = cid
        return current

    regions: list[PromiseSpan] = []
    measure_ranges = []
    for m in plan.measures:
        measure_ranges.append((m.span.start, m.span.end))
        m_holes = holes + ([(m.clause.start, m.clause.end)] if m.clause else [])
        for a, b in _subtract(m.span.start, min(m.span.end, body_end), m_holes):
            regions.append(PromiseSpan(a, b, m.action, m.index))
    # Plan-level text: outside every measure, cut at chapter headings.
    cuts = sorted({0, body_end, *(s for s, _ in chapters if s < body_end)})
    for a, b in zip(cuts, cuts[1:], strict=False):
        for x, y in _subtract(a, b, holes + measure_ranges):
            if text[x:y].strip():
                regions.append(PromiseSpan(x, y, chapter_at(x), None))
    return sorted(regions, key=lambda r: r.start)


def plan_year(plan: Plan) -> int | None:
    """The year the plan is for: the year its text names most often (a plan issued in
    December for the next year names that year), else the year of its date."""
    years = Counter(int(y) for y in re.findall(r"(20\d\d)\s*" + lx.YEAR, plan.text))
    if years:
        return sorted(years.items(), key=lambda kv: (-kv[1], -kv[0]))[0][0]
    if plan.meta.date:
        m = re.match(r"(\d{4})", plan.meta.date)
        if m:
            return int(m.group(1))
    return None
