"""Each written form of a responsibility clause gives the right units, roles and order."""

from __future__ import annotations

import pytest

from graph_builder.extract.responsibility import find_clauses, parse_clause


def roles(clause: str):
    r = parse_clause(clause, 0, len(clause))
    assert not r.leftover, [clause[a:b] for a, b in r.leftover]
    return [(i.name, i.role) for i in r.items], [i.name for i in r.implementers], r


@pytest.mark.parametrize(
    "clause, expected",
    [
        ("责任单位：市商务局、市财政局", [("市商务局", "lead"), ("市财政局", "participant")]),
        ("责任单位:省人社厅、省财政厅", [("省人社厅", "lead"), ("省财政厅", "participant")]),
        (
            "牵头单位：市商务局；配合单位：市财政局、市发展改革委",
            [("市商务局", "lead"), ("市财政局", "participant"), ("市发展改革委", "participant")],
        ),
        (
            "市商务局牵头，市财政局、市税务局等按职责分工负责",
            [("市商务局", "lead"), ("市财政局", "participant"), ("市税务局", "participant")],
        ),
        (
            "由市民政局负责，市卫生健康委配合",
            [("市民政局", "lead"), ("市卫生健康委", "participant")],
        ),
        ("市体育局会同市教育局负责", [("市体育局", "lead"), ("市教育局", "participant")]),
        (
            "责任单位：区文旅局、区商务局（牵头）",
            [("区文旅局", "participant"), ("区商务局", "lead")],
        ),
        (
            "县农业农村局、县财政局等按职责分工负责",
            [("县农业农村局", "lead"), ("县财政局", "participant")],
        ),
    ],
)
def test_clause_forms_give_units_roles_in_written_order(clause, expected):
    got, _, _ = roles(clause)
    assert got == expected


def test_elided_level_prefix_is_restored_after_first_unit():
    got, _, _ = roles("市人力资源社会保障局、教育局、财政局按职责分工负责")
    assert [n for n, _ in got] == ["市人力资源社会保障局", "市教育局", "市财政局"]


def test_prefix_is_not_restored_on_branches_companies_or_market_regulator():
    got, _, _ = roles("市商务局、人行某某分行、三门峡海关、轨道交通集团、市场监管局按职责分工负责")
    names = [n for n, _ in got]
    assert names == ["市商务局", "人行某某分行", "三门峡海关", "轨道交通集团", "市市场监管局"]


def test_prefix_carries_from_an_earlier_list_of_the_same_clause():
    got, _, _ = roles("牵头单位：省商务厅；配合单位：财政厅、省税务局")
    assert got == [("省商务厅", "lead"), ("省财政厅", "participant"), ("省税务局", "participant")]


def test_alias_in_tortoise_brackets_stays_attached():
    got, _, _ = roles("责任单位:市数字经济局〔市经信局〕、市商务局")
    assert got[0] == ("市数字经济局〔市经信局〕", "lead")


def test_collective_unit_with_inner_commas_is_one_unit():
    got, _, _ = roles("市商务局、各县（市、区）人民政府按职责分工负责")
    assert [n for n, _ in got] == ["市商务局", "各县（市、区）人民政府"]


def test_shared_head_is_distributed_over_zone_names():
    # X负责落实 makes X responsible for this measure (an implementer only by a standing clause).
    got, _, _ = roles("各县（市、区）人民政府和高新区、经开区、文旅示范区管理委员会负责落实")
    assert [n for n, _ in got] == [
        "各县（市、区）人民政府",
        "高新区管理委员会",
        "经开区管理委员会",
        "文旅示范区管理委员会",
    ]


def test_and_inside_a_unit_name_does_not_split_it():
    got, _, _ = roles("市住房和城乡建设局、市工业和信息化局按职责分工负责")
    assert [n for n, _ in got] == ["市住房和城乡建设局", "市工业和信息化局"]


def test_standing_clause_names_implementers_not_agencies():
    clause = "责任单位:省人社厅、省财政厅,各市政府。以下均需各市政府负责,不再一一列出"
    got, _, r = roles(clause)
    assert [n for n, _ in got] == ["省人社厅", "省财政厅"]
    assert [i.name for i in r.standing] == ["各市政府"]


def test_stated_lead_rule_is_recognised():
    _, _, r = roles("市商务局、市财政局等按职责分工负责。排第一的为牵头单位，下同")
    assert r.lead_rule is not None


def test_same_as_above():
    _, _, r = roles("同上")
    assert r.same_as_above


@pytest.mark.parametrize("text", ["含居民用电", "阳光运动会", "2025年", "市商务局举办活动"])
def test_ordinary_brackets_are_not_clauses(text):
    doc = f"（一）某项措施。内容（{text}）。"
    assert find_clauses(doc, 0, len(doc)) == []


def test_unbracketed_responsibility_line_is_a_clause():
    doc = "1．发展家政服务。支持家政企业。\n责任单位：市商务局、市人社局\n"
    found = find_clauses(doc, 0, len(doc))
    assert len(found) == 1
    a, b, _, _ = found[0]
    assert doc[a:b] == "责任单位：市商务局、市人社局"
