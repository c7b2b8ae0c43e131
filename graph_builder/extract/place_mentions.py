"""Places named inside measures (districts, counties, county-level cities), with codes.

Names come from the GB/T 2260 gazetteer of :mod:`graph_builder.normalize.places` (cpca's
table), never from a list of our own. Only full names with their administrative suffix are
read (芦淞区, 醴陵市, 攸县), and a name counts only when it resolves inside the plan's own
region (its city, or its province for a provincial plan): 城区 exists in four cities, and
a 长春 plan's 长春市城区 is not 阳泉's 城区. Two-character names (城区, 矿区, 范县, 成县)
are common inside ordinary words (老城区, 示范县, 建成县域), so they count only where a
name can start: after punctuation, a space or the name of their parent, or as the first item
of a list of places (支持城区、矿区、郊区…). A name followed
by 域 (区域, 县域) or 场 (市场) is part of another word.
"""

from __future__ import annotations

import re

from graph_builder import lexicon as lx
from graph_builder.model import PlaceMention, Plan, Span
from graph_builder.normalize.places import Gazetteer, Place, gazetteer

__all__ = ["find_places", "region_mention", "fill_places"]

_BOUNDARY = re.compile(r"[\s，,、；;：:。（(“”《》\[\]【】/]")
#: 、 and the joiners of ``of:collective_joiner`` (和, 及, 与) between places of a list.
_LIST_NEXT = re.compile("[、" + "".join(lx.words("organisation_forms.ttl", "collective_joiner")) + "]")


def _continues() -> dict[str, str]:
    """For a division suffix, the characters that make it part of a common word instead
    (区域, 县城, 市场: ``rn:not_a_division``)."""
    out: dict[str, str] = {}
    for w in sorted(lx.words("region_names.ttl", "not_a_division")):
        out[w[0]] = out.get(w[0], "") + w[1:]
    return out


_CONTINUES = _continues()


def _within_prefix(adcode: str | None, level: str | None) -> str | None:
    if not adcode:
        return None
    if level == "province":
        return adcode[:2]
    return adcode[:4]


def _starts_with_place(g: Gazetteer, text: str, pos: int) -> bool:
    return any(s == 0 for s, _, _ in g.find(text[pos : pos + 12]))


def _mention(g: Gazetteer, place: Place, span: Span) -> PlaceMention:
    parent = g.parent(place)
    return PlaceMention(
        place.name, place.adcode, place.level, parent.name if parent else None, span
    )


def find_places(text: str, start: int, end: int, adcode: str | None, level: str | None,
                g: Gazetteer | None = None) -> list[PlaceMention]:  # fmt: skip
    """Places named in ``text[start:end]`` that lie inside the region ``adcode`` (below it:
    the plan's own region named again is not a new place)."""
    g = g or gazetteer()
    prefix = _within_prefix(adcode, level)
    if prefix is None:
        return []
    out = []
    chunk = text[start:end]
    for s, e, name in g.find(chunk):
        a, b = start + s, start + e
        nxt = text[b : b + 1]
        if nxt and nxt in _CONTINUES.get(name[-1], ""):
            continue
        inside = [
            p for p in g.by_name.get(name, []) if p.adcode.startswith(prefix) and p.adcode != adcode
        ]
        if len(inside) != 1:
            continue  # outside the plan's region, or ambiguous within it
        place = inside[0]
        if len(name) <= 2:
            prev = text[a - 1 : a] if a > 0 else ""
            parent = g.parent(place)
            after_parent = parent is not None and text.endswith(parent.name, 0, a)
            listed = _LIST_NEXT.match(text, b) and _starts_with_place(g, text, b + 1)
            if prev and not _BOUNDARY.match(prev) and not after_parent and not listed:
                continue
        out.append(_mention(g, place, Span.of(text, a, b)))
    return out


def region_mention(plan: Plan, g: Gazetteer | None = None) -> PlaceMention | None:
    """The plan's own region as a place mention (where the text names it)."""
    g = g or gazetteer()
    meta = plan.meta
    if not meta.adcode or meta.region_span is None or meta.adcode not in g.by_code:
        return None
    return _mention(g, g.by_code[meta.adcode], meta.region_span)


def fill_places(plan: Plan, g: Gazetteer | None = None) -> None:
    """Fill ``Measure.places`` and ``Plan.places`` (the region first, then measures)."""
    g = g or gazetteer()
    meta = plan.meta
    places: list[PlaceMention] = []
    own = region_mention(plan, g)
    if own:
        places.append(own)
    for m in plan.measures:
        found = []
        cur = m.title_span.start
        ranges = []
        if m.clause and m.clause.start > cur:
            ranges.append((cur, m.clause.start))
            cur = m.clause.end
        ranges.append((cur, m.span.end))
        for a, b in ranges:
            found += find_places(plan.text, a, b, meta.adcode, meta.region_level, g)
        m.places = found
        places += found
    plan.places = places
