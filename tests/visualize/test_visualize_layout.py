"""The radial layout: deterministic, areas as arcs, agencies inside the ring of types."""

from __future__ import annotations

import math

from graph_builder.visualize.aggregate import aggregate
from graph_builder.visualize.layout import ASPECT, OUTER_RADIUS, radial_layout


def _radius(x: float, y: float) -> float:
    return math.hypot(x / ASPECT, y)


def test_layout_is_identical_across_runs_and_independent_of_plan_order(gold_typed_plans):
    first = radial_layout(aggregate(gold_typed_plans))
    again = radial_layout(aggregate(gold_typed_plans))
    assert first == again
    # Node order in the aggregate follows the vocabulary, not the order plans were read.
    assert radial_layout(aggregate(list(reversed(gold_typed_plans)))) == first


def test_layout_places_types_on_the_outer_ring_and_agencies_inside(gold_typed_plans):
    agg = aggregate(gold_typed_plans)
    pos = radial_layout(agg)
    drawn = {e.source for e in agg.edges.values()} | {e.target for e in agg.edges.values()}
    assert set(pos) == drawn
    for nid, (x, y) in pos.items():
        r = _radius(x, y)
        if agg.nodes[nid].kind == "measure_type":
            assert math.isclose(r, OUTER_RADIUS, rel_tol=1e-3)
        else:
            assert r < 0.75 * OUTER_RADIUS
    assert len(set(pos.values())) == len(pos)  # no two nodes on the same spot


def test_layout_keeps_each_action_area_in_one_arc(gold_typed_plans):
    agg = aggregate(gold_typed_plans)
    pos = radial_layout(agg)
    types = [n for n in agg.nodes.values() if n.kind == "measure_type" and n.id in pos]
    clockwise = sorted(
        types, key=lambda n: (math.atan2(pos[n.id][1], pos[n.id][0]) + math.pi / 2) % (2 * math.pi)
    )
    areas = [n.area for n in clockwise]
    runs = [a for i, a in enumerate(areas) if i == 0 or areas[i - 1] != a]
    assert len(runs) == len(set(areas))
