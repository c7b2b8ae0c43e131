"""Measure types: which of the national plan's items a measure serves.

A transparent cue classifier: the concepts of ``ontology/measure_types.ttl`` that have a
``skos:broader`` (the leaves; their top concepts are the national action areas) carry cue
words as ``skos:hiddenLabel``. Each cue found in the measure's title counts ``title_weight``,
each one in its body counts ``body_weight``, once however often it is repeated (a measure
that says 补贴 ten times while describing a trade-in scheme is still about trade-in); the
responsibility clause is left out (unit names such as 市文化广电旅游局 would vote for tourism). Matching is longest cue first, without
overlaps. The best-scoring concept is the primary type; others that reach
``secondary_ratio`` of the best score and at least ``secondary_min`` are secondary types.
Every decision keeps the cue spans that made it, one per vote (the first occurrence of each
cue, with how often it is written; :class:`~graph_builder.model.TypeEvidence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph_builder.model import Measure, Plan, Span, TypeEvidence
from graph_builder.vocab import ConceptScheme, measure_types

__all__ = ["MeasureTypeClassifier", "classifier", "classify_plan", "national_coverage"]


@dataclass(frozen=True)
class _Hit:
    concept: str
    start: int
    end: int
    in_title: bool


class MeasureTypeClassifier:
    """Score measures against the cue words of a measure-type scheme."""

    def __init__(
        self,
        scheme: ConceptScheme,
        title_weight: float = 4.0,
        body_weight: float = 1.0,
        secondary_ratio: float = 0.5,
        secondary_min: float = 3.0,
    ):
        self.scheme = scheme
        self.title_weight = title_weight
        self.body_weight = body_weight
        self.secondary_ratio = secondary_ratio
        self.secondary_min = secondary_min
        self.leaves = {c.key for c in scheme if c.broader}
        pairs = [(cue, key) for cue, key in scheme.cue_index() if key in self.leaves]
        self.cue_to_concept: dict[str, str] = {}
        for cue, key in pairs:
            self.cue_to_concept.setdefault(cue, key)
        negatives = [n for c in scheme if c.key in self.leaves for n in c.negative_cues]
        words = sorted(set(self.cue_to_concept) | set(negatives), key=lambda w: (-len(w), w))
        self.regex = re.compile("|".join(map(re.escape, words))) if words else None

    def hits(self, text: str, ranges: list[tuple[int, int, bool]]) -> list[_Hit]:
        out = []
        if self.regex is None:
            return out
        for a, b, in_title in ranges:
            for m in self.regex.finditer(text, a, b):
                key = self.cue_to_concept.get(m.group())
                if key:  # a negative cue only blocks what it covers
                    out.append(_Hit(key, m.start(), m.end(), in_title))
        return out

    def classify(
        self, text: str, measure: Measure
    ) -> tuple[TypeEvidence | None, list[TypeEvidence]]:
        """Primary and secondary types of ``measure`` with their evidence."""
        t = measure.title_span
        ranges = [(t.start, t.end, True)]
        body_start = max(t.end, measure.span.start)
        holes = [measure.clause] if measure.clause else []
        cur = body_start
        for h in holes:
            if h.start > cur:
                ranges.append((cur, min(h.start, measure.span.end), False))
            cur = max(cur, h.end)
        if cur < measure.span.end:
            ranges.append((cur, measure.span.end, False))
        scores: dict[str, float] = {}
        spans: dict[str, list[Span]] = {}
        counts: dict[str, list[int]] = {}
        counted: dict[tuple[str, bool], tuple[str, int]] = {}
        for h in self.hits(text, ranges):
            cue = (text[h.start : h.end], h.in_title)
            if cue in counted:
                # a cue repeated in the body (补贴 … 补贴 …) votes once and is cited once,
                # at its first occurrence; the repeat is counted
                concept, at = counted[cue]
                counts[concept][at] += 1
                continue
            counted[cue] = (h.concept, len(spans.get(h.concept, ())))
            spans.setdefault(h.concept, []).append(Span.of(text, h.start, h.end))
            counts.setdefault(h.concept, []).append(1)
            w = self.title_weight if h.in_title else self.body_weight
            scores[h.concept] = scores.get(h.concept, 0.0) + w
        if not scores:
            return None, []
        # Ties go to the concept whose first cue comes first (the measure's own words lead).
        ranked = sorted(scores, key=lambda k: (-scores[k], spans[k][0].start, k))
        best = ranked[0]
        primary = TypeEvidence(best, scores[best], spans[best], counts[best])
        floor = max(self.secondary_min, self.secondary_ratio * scores[best])
        also = [
            TypeEvidence(k, scores[k], spans[k], counts[k])
            for k in ranked[1:]
            if scores[k] >= floor
        ]
        return primary, also


@lru_cache(maxsize=8)
def classifier(
    title_weight: float = 4.0,
    body_weight: float = 1.0,
    secondary_ratio: float = 0.5,
    secondary_min: float = 3.0,
) -> MeasureTypeClassifier:
    return MeasureTypeClassifier(
        measure_types(), title_weight, body_weight, secondary_ratio, secondary_min
    )


def classify_plan(plan: Plan, clf: MeasureTypeClassifier | None = None) -> None:
    """Fill ``measure_type`` and ``measure_type_also`` of every measure of ``plan``."""
    from graph_builder.read.script import simplified_view

    clf = clf or classifier()
    view = simplified_view(plan.text)  # cues are simplified; traditional re-posts match too
    for m in plan.measures:
        primary, also = clf.classify(view, m)
        if view is not plan.text:  # evidence quotes the text as written
            primary = _requote(plan.text, primary) if primary else None
            also = [_requote(plan.text, t) for t in also]
        m.measure_type, m.measure_type_also = primary, also


def _requote(text: str, t: TypeEvidence) -> TypeEvidence:
    spans = [Span.of(text, s.start, s.end) for s in t.spans]
    return TypeEvidence(t.concept, t.score, spans, list(t.counts))


def national_coverage(plan: Plan, scheme: ConceptScheme | None = None) -> dict[str, list[str]]:
    """How the plan covers the national plan's items: for every leaf concept that carries a
    national item number (skos:notation ``(一)`` … ``(三十)``), the labels of the measures
    whose primary or secondary type it is (an empty list: the plan has nothing on it)."""
    scheme = scheme or measure_types()
    cover = {c.key: [] for c in scheme if c.broader and c.notation}
    for m in plan.measures:
        types = ([m.measure_type] if m.measure_type else []) + m.measure_type_also
        for ev in types:
            if ev.concept in cover:
                label = f"{m.action}{m.label}" if m.action else m.label
                if label not in cover[ev.concept]:
                    cover[ev.concept].append(label)
    return cover
