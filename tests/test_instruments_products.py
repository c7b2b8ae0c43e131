"""Priced instruments name the product they pay for, so regions can be compared."""

from __future__ import annotations

import pytest

from graph_builder.extract.instruments import product_of
from graph_builder.query.runner import load_graph, resolve_query, run_query

from .conftest import ROOT


@pytest.mark.parametrize(
    "sentence, product, cue",
    [
        (
            "实施手机、平板、智能手表（手环）购新补贴，按照最终销售价格的15%给予补贴",
            "digital_product",
            "手环",
        ),
        ("支持换购合格安全的电动自行车，单台补贴不超过600元", "e_bike", "电动自行车"),
        (
            "对购买健康监测手环、跌倒报警器等适老化智能穿戴设备给予30%价格补贴",
            "ageing_friendly",
            "适老化",
        ),
        ("对新开设的首店给予最高50万元奖励", "first_launch", "首店"),
        ("对符合条件的企业给予最高100万元奖励", None, None),
    ],
)
def test_product_is_the_cue_nearest_before_the_amount(sentence, product, cue):
    found = product_of(sentence, 0, len(sentence))
    assert (found[0] if found else None) == product
    if found:
        assert sentence[found[1] : found[2]] == cue


def test_same_product_subsidies_compares_regions_on_one_product():
    result = run_query(
        resolve_query("same_product_subsidies")[1], load_graph(ROOT / "outputs" / "graph.nq")
    )
    rows = result.records()
    digital = {
        (r["region"], r["rate_pct"], r["amount"]) for r in rows if r["product"] == "数码产品"
    }
    assert digital == {("三门峡市", 15.0, 500.0), ("长春市", 15.0, 500.0)}
    assert all(
        len({r["region"] for r in rows if r["product"] == p}) > 1
        for p in {r["product"] for r in rows}
    )
