"""A deterministic radial layout for the agency × measure-type network.

Positions are computed here, once, from the aggregate, and written into the page with physics
off: the picture is the same on every reload and on every machine, and nothing moves unless
the reader drags it. No random seed is involved.

- Measure types sit on the outer ring in the order of the national plan (area 一 … 八, items
  (一) … (三十)), with a gap between areas, so each area is one coloured arc.
- Agency functions that lead anything sit on two staggered middle rings, each as close as even
  spacing allows to the weighted mean direction of the types it leads; agencies that only take
  part sit on two staggered inner rings, placed the same way by the types they join.
"""

from __future__ import annotations

import math

from graph_builder.visualize.aggregate import AgencyMeasureAggregate

__all__ = ["radial_layout", "OUTER_RADIUS", "ASPECT"]

#: Radius of the measure-type ring, in vis-network canvas units.
OUTER_RADIUS = 600.0
#: Rings are ellipses this much wider than tall: screens are wide, and captions are
#: horizontal, so neighbours at the top and bottom of a ring need the room.
ASPECT = 1.4
_LEAD_RINGS = (0.56, 0.68)
_INNER_RINGS = (0.28, 0.40)
_START = -math.pi / 2  # first type at twelve o'clock, clockwise


def _circular_mean(angles_weights: list[tuple[float, float]]) -> float:
    x = sum(w * math.cos(a) for a, w in angles_weights)
    y = sum(w * math.sin(a) for a, w in angles_weights)
    return math.atan2(y, x)


def _spread(prefs: list[tuple[str, float]]) -> dict[str, float]:
    """Evenly spaced angles in the order of the preferred ones, rotated to fit them best."""
    n = len(prefs)
    if not n:
        return {}
    rel = sorted(((a - _START) % (2 * math.pi), key) for key, a in prefs)
    step = 2 * math.pi / n
    offset = _circular_mean([(a - i * step, 1.0) for i, (a, _k) in enumerate(rel)])
    return {key: _START + offset + i * step for i, (_a, key) in enumerate(rel)}


def radial_layout(
    agg: AgencyMeasureAggregate, radius: float = OUTER_RADIUS
) -> dict[str, tuple[float, float]]:
    """Canvas position of every node that has an edge (lead or participant) anywhere."""
    drawn = {e.source for e in agg.edges.values()} | {e.target for e in agg.edges.values()}
    types = [n for n in agg.nodes.values() if n.kind == "measure_type" and n.id in drawn]
    types.sort(key=lambda n: n.order)

    slots: list[str | None] = []
    area = object()
    for node in types:
        if node.area != area and slots:
            slots.append(None)  # gap between two areas
        area = node.area
        slots.append(node.id)
    if len(slots) > 1:
        slots.append(None)  # and between the last area and the first
    angle: dict[str, float] = {}
    for i, nid in enumerate(slots):
        if nid is not None:
            angle[nid] = _START + 2 * math.pi * i / len(slots)

    leaders: dict[str, list[tuple[float, float]]] = {}
    joiners: dict[str, list[tuple[float, float]]] = {}
    for e in agg.edges.values():
        target = leaders if e.role == "lead" else joiners
        target.setdefault(e.source, []).append((angle[e.target], float(e.count())))
    joiners = {k: v for k, v in joiners.items() if k not in leaders}

    pos: dict[str, tuple[float, float]] = {nid: (radius, a) for nid, a in angle.items()}
    for group, rings in ((leaders, _LEAD_RINGS), (joiners, _INNER_RINGS)):
        placed = _spread([(k, _circular_mean(v)) for k, v in sorted(group.items())])
        for i, (nid, a) in enumerate(sorted(placed.items(), key=lambda kv: kv[1])):
            pos[nid] = (radius * rings[i % len(rings)], a)
    return {
        k: (round(ASPECT * r * math.cos(a), 1), round(r * math.sin(a), 1))
        for k, (r, a) in sorted(pos.items())
    }
