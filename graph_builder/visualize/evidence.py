"""A measure's own text, cut into pieces that say which evidence covers them.

The explorer shows what a measure says with the evidence the extractor found highlighted in
place: units (agency mentions), targets, instruments, the cue words of its measure type and
policy-instrument tags, places, and the responsibility clause. Every piece of evidence keeps
its offsets into ``plan.text`` (see :class:`~graph_builder.model.Span`), so highlighting is
cutting the measure's span at every evidence boundary, never searching for words again: a
word that occurs twice is marked only where the extractor read it.

Evidence spans may overlap (a unit inside a clause, a target's value inside an instrument's
quote); a piece carries every kind that covers it, and the page styles each kind on its own
(background, underline, outline), so overlaps stay visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph_builder.model import Instrument, Measure, Plan, Span, Target

__all__ = ["KINDS", "Mark", "Piece", "measure_marks", "pieces", "measure_pieces", "unique_texts"]

#: Evidence kinds, in the order a piece lists them (CSS class ``ev-<kind>``).
KINDS = ("clause", "unit", "target", "instrument", "cue", "place")


@dataclass(frozen=True)
class Mark:
    """One piece of evidence: its kind, its span and what it stands for (a tooltip)."""

    kind: str
    span: Span
    note: str = ""


@dataclass(frozen=True)
class Piece:
    """A run of text and the evidence covering all of it (empty: plain text)."""

    text: str
    start: int
    kinds: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def css(self) -> str:
        return " ".join(f"ev-{k}" for k in self.kinds)

    @property
    def title(self) -> str:
        return " · ".join(dict.fromkeys(n for n in self.notes if n))


def _target_note(t: Target) -> str:
    value = f"{t.value:g}" + (f"–{t.value_max:g}" if t.value_max is not None else "")
    year = f" ({t.year})" if t.year else ""
    return f"目标 target: {t.indicator} {t.comparator} {value}{t.unit}{year}"


def _instrument_note(i: Instrument) -> str:
    parts = [i.type]
    if i.rate_pct is not None:
        parts.append(f"{i.rate_pct:g}%")
    if i.amount is not None:
        cap = "≤ " if i.amount_is_cap else ""
        per = f" / {i.per}" if i.per else ""
        parts.append(f"{cap}{i.amount:g}{i.amount_unit or ''}{per}")
    if i.product:
        parts.append(i.product)
    return "工具 instrument: " + " · ".join(parts)


def measure_marks(
    plan: Plan, measure: Measure, targets: Iterable[Target], instruments: Iterable[Instrument]
) -> list[Mark]:
    """Every piece of evidence the model keeps for ``measure`` (inside its span or not)."""
    marks: list[Mark] = []
    if measure.clause:
        marks.append(Mark("clause", measure.clause, "责任条款 responsibility clause"))
    for a in [*measure.responsibilities, *measure.implementers]:
        agency = plan.agencies.get(a.agency_key) if a.agency_key else None
        function = f" · {agency.label_zh} {agency.label_en}" if agency else ""
        marks.append(Mark("unit", a.span, f"单位 unit: {a.name} ({a.role}){function}"))
    for t in targets:
        marks.append(Mark("target", t.value_span or t.span, _target_note(t)))
    for i in instruments:
        marks.append(Mark("instrument", i.span, _instrument_note(i)))
    if measure.measure_type is not None:
        for s in measure.measure_type.spans:
            marks.append(Mark("cue", s, f"类型依据 type cue: {measure.measure_type.concept}"))
    for tag in measure.instrument_tags:
        marks.append(Mark("cue", tag.span, f"工具类型 instrument type: {tag.concept}"))
    for p in measure.places:
        marks.append(Mark("place", p.span, f"地点 place: {p.name} {p.adcode}"))
    return marks


def pieces(text: str, offset: int, marks: Iterable[Mark]) -> list[Piece]:
    """``text`` (which starts at ``offset`` of the plan) cut at every boundary of ``marks``.

    Marks outside the text are ignored and marks reaching over its edges are clipped, so the
    pieces always join back to ``text`` exactly.
    """
    end = offset + len(text)
    inside = [
        m for m in marks if m.span.end > offset and m.span.start < end and m.span.end > m.span.start
    ]
    cuts = sorted(
        {offset, end}
        | {min(max(m.span.start, offset), end) for m in inside}
        | {min(max(m.span.end, offset), end) for m in inside}
    )
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        over = [m for m in inside if m.span.start <= a and m.span.end >= b]
        kinds = tuple(k for k in KINDS if any(m.kind == k for m in over))
        out.append(Piece(text[a - offset : b - offset], a, kinds, tuple(m.note for m in over)))
    return out


def measure_pieces(
    plan: Plan, measure: Measure, targets: Iterable[Target], instruments: Iterable[Instrument]
) -> list[Piece]:
    """The measure's full text (``plan.text`` over ``measure.span``) with its evidence."""
    span = measure.span
    return pieces(
        plan.text[span.start : span.end], span.start, measure_marks(plan, measure, targets, instruments)
    )


def unique_texts(spans: Iterable[Span]) -> list[str]:
    """The distinct texts of ``spans`` in first-seen order (cue words shown once each)."""
    return list(dict.fromkeys(s.text for s in spans))
