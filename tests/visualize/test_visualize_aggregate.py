"""The agency-function × measure-type aggregate: what every picture counts."""

from __future__ import annotations

from viz_support import probe_plan

from graph_builder.visualize.aggregate import UNCLASSIFIED, aggregate, measure_types


def _two_region_probe():
    a = probe_plan(
        "probe_a",
        "甲市",
        [
            (
                "推动以旧换新",
                [("市商务局", "commerce", "lead"), ("市财政局", "finance", "participant")],
                "trade_in",
            ),
            (
                "发展汽车消费",
                [("市商务局", "commerce", "lead"), ("区商务局", "commerce", "participant")],
                "automobile",
            ),
            (
                "促进就业增收",
                [("市人社局", "human_resources_social_security", "lead")],
                "wage_income",
            ),
            ("尚未分类的措施", [("市财政局", "finance", "lead")], None),
        ],
    )
    b = probe_plan(
        "probe_b",
        "乙省",
        [
            (
                "支持以旧换新",
                [("省商务厅", "commerce", "lead"), ("省财政厅", "finance", "participant")],
                "trade_in",
            ),
            ("没有牵头单位", [("省财政厅", "finance", "participant")], "trade_in"),
        ],
    )
    return aggregate([a, b])


def test_aggregate_counts_distinct_measures_led_per_function_type_and_region():
    agg = _two_region_probe()
    lead = agg.edges[("agency:commerce", "type:trade_in", "lead")]
    assert lead.count() == 2
    assert lead.count("甲市") == 1 and lead.count("乙省") == 1
    assert agg.regions == ["甲市", "乙省"]
    assert agg.lead_matrix("甲市") == {
        ("agency:commerce", "type:trade_in"): 1,
        ("agency:commerce", "type:automobile"): 1,
        ("agency:human_resources_social_security", "type:wage_income"): 1,
        ("agency:finance", f"type:{UNCLASSIFIED}"): 1,
    }


def test_aggregate_participation_excludes_functions_that_also_lead_the_measure():
    agg = _two_region_probe()
    # 区商务局 takes part in a measure 市商务局 leads: commerce counts as leading it only.
    assert ("agency:commerce", "type:automobile", "participant") not in agg.edges
    finance = agg.edges[("agency:finance", "type:trade_in", "participant")]
    assert finance.count() == 3  # 甲市 once, 乙省 twice (one of them has no lead at all)


def test_aggregate_puts_untyped_measures_in_the_unclassified_bucket_and_reports_unled():
    agg = _two_region_probe()
    node = agg.nodes[f"type:{UNCLASSIFIED}"]
    assert node.area == UNCLASSIFIED and node.label_en == "Unclassified"
    assert agg.classified == {"甲市": 3, "乙省": 2}
    assert [m.title for m in agg.unled] == ["没有牵头单位"]


def test_aggregate_groups_measure_types_under_their_national_action_area():
    agg = _two_region_probe()
    mt = measure_types()
    for node in agg.nodes.values():
        if node.kind == "measure_type" and node.key != UNCLASSIFIED:
            assert node.area == mt.top(node.key)
            assert mt[node.area].broader is None
    assert agg.nodes["type:trade_in"].area == "big_ticket"
    assert agg.nodes["type:wage_income"].label_zh == "提高工资性收入"  # parenthetical dropped
    assert agg.nodes["type:wage_income"].full_label_zh.startswith("提高工资性收入（")


def test_aggregate_graph_view_holds_only_nodes_with_a_shown_edge():
    agg = _two_region_probe()
    g = agg.graph("乙省")
    assert sorted(g.nodes) == ["agency:commerce", "type:trade_in"]
    g = agg.graph("乙省", participation=True)
    assert sorted(g.nodes) == ["agency:commerce", "agency:finance", "type:trade_in"]
    assert g.number_of_edges() == 2
    assert g.edges["agency:finance", "type:trade_in", "participant"]["count"] == 2


def test_aggregate_of_corpus_counts_every_led_measure_once_with_faithful_quotes(gold_typed_plans):
    agg = aggregate(gold_typed_plans)
    led = sum(1 for p in gold_typed_plans for m in p.measures if m.leads)
    # every measure here has exactly one lead unit, hence one function and one type
    assert sum(n for n in agg.lead_matrix().values()) == led == 125
    assert sum(agg.measures.values()) == 125 and sum(agg.classified.values()) == 125
    texts = {p.doc_id: p.text for p in gold_typed_plans}
    for edge in agg.edges.values():
        for ref in edge.measures:
            assert texts[ref.doc_id][ref.start : ref.end] == ref.quote
    for region in agg.regions:
        per_region = sum(agg.lead_matrix(region).values())
        assert per_region == agg.measures[region] - sum(1 for m in agg.unled if m.region == region)
    assert f"type:{UNCLASSIFIED}" not in agg.nodes


def test_aggregate_of_untyped_corpus_draws_every_measure_in_one_bucket(corpus_plans):
    if any(m.measure_type for p in corpus_plans for m in p.measures):
        # The classifier has landed: the bucket holds only what it leaves untyped.
        untyped = sum(1 for p in corpus_plans for m in p.measures if m.measure_type is None)
        assert aggregate(corpus_plans).type_count(f"type:{UNCLASSIFIED}") == untyped
        return
    agg = aggregate(corpus_plans)
    types = [n for n in agg.nodes.values() if n.kind == "measure_type"]
    assert [t.key for t in types] == [UNCLASSIFIED]
    assert agg.type_count(f"type:{UNCLASSIFIED}") == 125
