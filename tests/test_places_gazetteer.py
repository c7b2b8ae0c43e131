"""Places named inside measures, recognised from the cpca GB/T 2260 table under the plan's
region, with the false friends of short names (老城区, 示范县, 区域) kept out."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder.extract.place_mentions import find_places
from graph_builder.normalize.places import gazetteer

PROBES = Path(__file__).resolve().parent / "probes"


def names(text: str, adcode: str, level: str) -> list[tuple[str, str, str | None]]:
    found = find_places(text, 0, len(text), adcode, level)
    for p in found:
        assert text[p.span.start : p.span.end] == p.span.text == p.name
    return [(p.name, p.adcode, p.parent) for p in found]


def test_places_districts_and_county_cities_of_a_city_plan():
    got = names("支持芦淞区大汉悦中心和醴陵市一江两岸创建夜间文旅消费集聚区。", "430200", "city")
    assert got == [("芦淞区", "430203", "株洲市"), ("醴陵市", "430281", "株洲市")]


def test_places_cities_and_counties_of_a_province_plan():
    got = names("支持厦门市、晋江市、石狮市开展汽车消费季活动。", "350000", "province")
    assert got == [("厦门市", "350200", "福建省"), ("晋江市", "350582", "泉州市"),
                   ("石狮市", "350581", "泉州市")]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "推进老城区改造。",  # 城区 inside 老城区
        "统筹推进示范县建设。",  # 范县 is in Henan, and inside 示范县
        "推动建成县域商业体系。",  # 成县 inside 建成县域
        "优化城区、郊区商业布局。",  # no 城区 or 郊区 in 株洲
    ],
)
def test_places_short_names_inside_ordinary_words_are_not_places(text):
    assert names(text, "430200", "city") == []


def test_places_short_names_count_in_a_list_of_places():
    got = names("支持城区、矿区、郊区各建设1个社区商业中心。", "140300", "city")
    assert [n for n, _, _ in got] == ["城区", "矿区", "郊区"]
    assert {c for _, c, _ in got} == {"140302", "140303", "140311"}


def test_places_outside_the_plan_region_are_not_resolved_elsewhere():
    assert names("学习芦淞区经验。", "140300", "city") == []


def test_places_plan_region_named_again_is_not_a_new_place():
    assert names("制定《株洲市保障性住房管理办法》。", "430200", "city") == []


def test_places_gazetteer_gives_codes_and_parents():
    g = gazetteer()
    (p,) = g.by_name["醴陵市"]
    assert (p.adcode, p.level, g.parent(p).name, g.parent(g.parent(p)).name) == (
        "430281",
        "county",
        "株洲市",
        "湖南省",
    )


def test_places_probe_plan_fills_measure_and_plan_places():
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import read_input

    plan = extract_plan(read_input(str(PROBES / "promises_yangquan_city.txt")))
    assert (plan.places[0].name, plan.places[0].adcode) == ("阳泉市", "140300")
    m3 = plan.measures[2]
    assert [(p.name, p.adcode) for p in m3.places] == [
        ("城区", "140302"),
        ("矿区", "140303"),
        ("郊区", "140311"),
        ("盂县", "140322"),
        ("平定县", "140321"),
    ]
    assert [p.name for p in plan.places[1:]] == [p.name for p in m3.places]
