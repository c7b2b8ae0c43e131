"""Policy instrument types of each measure (Hood's NATO classes and their leaves).

The leaves of ``ontology/instrument_types.ttl`` (subsidy, voucher, pilot, deregulation,
publicity, coordination mechanism …) carry cue words as ``skos:hiddenLabel``; a measure uses
an instrument type when one of its cues stands in the measure's title or body (not in its
responsibility clause). Longest cue first, negative cues (``gbo:negativeCue``, e.g. 虚假宣传
is not publicity) block what they cover. Each type is tagged once per measure, with the first
span that shows it; :func:`counts_by_top` sums them up per NATO class.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from graph_builder.model import InstrumentTag, Measure, Plan, Span
from graph_builder.vocab import ConceptScheme, instrument_types

__all__ = ["InstrumentTagger", "tagger", "tag_plan", "counts_by_top"]


class InstrumentTagger:
    """Find instrument-type cues in measures."""

    def __init__(self, scheme: ConceptScheme):
        self.scheme = scheme
        self.cue_to_concept: dict[str, str] = {}
        for cue, key in scheme.cue_index():
            if scheme[key].broader:
                self.cue_to_concept.setdefault(cue, key)
        negatives = {n for c in scheme for n in c.negative_cues}
        words = sorted(set(self.cue_to_concept) | negatives, key=lambda w: (-len(w), w))
        self.regex = re.compile("|".join(map(re.escape, words)))

    def tag(self, text: str, measure: Measure) -> list[InstrumentTag]:
        ranges = []
        cur = measure.title_span.start
        if measure.clause and measure.clause.start > cur:
            ranges.append((cur, measure.clause.start))
            cur = measure.clause.end
        ranges.append((cur, measure.span.end))
        seen: dict[str, InstrumentTag] = {}
        for a, b in ranges:
            for m in self.regex.finditer(text, a, b):
                key = self.cue_to_concept.get(m.group())
                if key and key not in seen:
                    seen[key] = InstrumentTag(key, Span.of(text, m.start(), m.end()), m.group())
        return sorted(seen.values(), key=lambda t: t.span.start)


@lru_cache(maxsize=1)
def tagger() -> InstrumentTagger:
    return InstrumentTagger(instrument_types())


def tag_plan(plan: Plan, t: InstrumentTagger | None = None) -> None:
    """Fill ``instrument_tags`` of every measure of ``plan``."""
    from graph_builder.read.script import simplified_view

    t = t or tagger()
    view = simplified_view(plan.text)  # cues are simplified; traditional re-posts match too
    for m in plan.measures:
        tags = t.tag(view, m)
        if view is not plan.text:  # evidence quotes the text as written
            tags = [
                InstrumentTag(x.concept, Span.of(plan.text, x.span.start, x.span.end), x.cue)
                for x in tags
            ]
        m.instrument_tags = tags


def counts_by_top(plan: Plan, scheme: ConceptScheme | None = None) -> Counter:
    """How many measures of ``plan`` use each NATO class (nodality, authority, …)."""
    scheme = scheme or instrument_types()
    c: Counter = Counter()
    for m in plan.measures:
        for top in {scheme.top(t.concept) for t in m.instrument_tags}:
            c[top] += 1
    return c
