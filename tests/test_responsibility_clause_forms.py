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


# Wordings of real plans the first grammar dropped whole; each probe is written in another
# wording than the plan that showed the form.
@pytest.mark.parametrize(
    "clause, names, lead",
    [
        # 〔〕 as the clause bracket's content separator and a verb phrase after a label
        ("责任单位：县发展改革局、县市场监管局、县大数据中心按职责分工负责",
         ["县发展改革局", "县市场监管局", "县大数据中心"], "县发展改革局"),
        # 按照职责分工负责 after comma groups that mix departments and collectives
        ("区商务局、区文旅局，各街道办事处、高新区管委会按照职责分工负责",
         ["区商务局", "区文旅局", "各街道办事处", "高新区管委会"], "区商务局"),
        # a collective without a head noun (各镇街, 各乡镇场、街道)
        ("责任单位：市城管局、各镇街", ["市城管局", "各镇街"], "市城管局"),
        ("县农业农村局、各乡镇场、街道负责", ["县农业农村局", "各乡镇场、街道"], "县农业农村局"),
        # a collective whose place words are joined by 、 and 及 before its head
        ("责任单位：省商务厅，各市、州、林区人民政府", ["省商务厅", "各市、州、林区人民政府"], "省商务厅"),
        ("省发展改革委牵头，各州、市人民政府负责", ["省发展改革委", "各州、市人民政府"], "省发展改革委"),
        # lead rule inside a nested bracket after the last unit
        ("区住建局、区财政局（第一责任单位为牵头单位，下同）", ["区住建局", "区财政局"], "区住建局"),
        # a cited number with its closing bracket lost does not swallow the clause
        ("鲁政发〔2021 5号，省财政厅、各市政府负责", ["省财政厅", "各市政府"], "省财政厅"),
        # 分别牵头会同: adverb between unit and connector
        ("省教育厅、省体育局分别牵头会同省公安厅等负责",
         ["省教育厅", "省体育局", "省公安厅"], "省教育厅"),
        # an 等 tail before 及 and a collective
        ("省商务厅、省财政厅等部门及各市、县级政府按职责分工负责",
         ["省商务厅", "省财政厅", "各市、县级政府"], "省商务厅"),
        # a level prefix of an autonomous region, elided after the first unit
        ("责任单位：自治区商务厅、财政厅", ["自治区商务厅", "自治区财政厅"], "自治区商务厅"),
        # a unit name broken by a stray space
        ("责任单位：自治 区文旅厅、商务厅", ["自治区文旅厅", "自治区商务厅"], "自治区文旅厅"),
        # deadlines written as list pieces are not units
        ("牵头单位：市发改委；责任单位：市财政局、市统计局，9月底前完成",
         ["市发改委", "市财政局", "市统计局"], "市发改委"),
        # the stated rule ends a plain list whose last unit has an unknown head (…直属库)
        ("市发改委、市粮食局、中储粮某某直属库。排名第一的为牵头单位，下同",
         ["市发改委", "市粮食局", "中储粮某某直属库"], "市发改委"),
        # a central body known by its short name
        ("人民银行、证监会、金融监管总局按职责分工负责", ["人民银行", "证监会", "金融监管总局"], "人民银行"),
    ],
)  # fmt: skip
def test_real_wordings_give_all_units_and_the_lead(clause, names, lead):
    r = parse_clause(clause, 0, len(clause))
    assert [i.name for i in r.items] == names
    assert next(i.name for i in r.items if i.role == "lead") == lead
    assert r.confident


def test_standing_clause_in_another_wording():
    clause = "责任单位：区发改委、区财政局，各镇（街道）。以下各项措施均需各镇（街道）抓好落实，不再一一列出"
    r = parse_clause(clause, 0, len(clause))
    assert [i.name for i in r.items] == ["区发改委", "区财政局"]
    assert [i.name for i in r.standing] == ["各镇（街道）"]


def test_unknown_unit_under_a_label_is_kept_and_flagged():
    # 青少年宫 ends with no head noun of the vocabulary; under a label it is still a unit.
    clause = "责任单位：市科技局、市青少年宫"
    r = parse_clause(clause, 0, len(clause))
    assert [i.name for i in r.items] == ["市科技局", "市青少年宫"]
    assert [i.known for i in r.items] == [True, False]
    assert r.confident


def test_unplaceable_clause_text_is_kept_as_leftover_not_dropped():
    clause = "责任单位：省发改委、省商务厅按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工"
    r = parse_clause(clause, 0, len(clause))
    assert [i.name for i in r.items] == ["省发改委", "省商务厅"]
    assert [clause[a:b] for a, b in r.leftover] == ["具体任务均涉及相关市（州）人民政府", "不再做分工"]


@pytest.mark.parametrize("text", ["以下简称市商务局", "含市直部门", "由市商务局负责组织"])
def test_prose_in_brackets_naming_a_unit_is_no_clause(text):
    doc = f"（一）某项措施。内容（{text}）。"
    assert find_clauses(doc, 0, len(doc)) == []


@pytest.mark.parametrize("bracket", ["（）", "()", "〔〕", "【】", "[]"])
def test_every_bracket_pair_holds_a_clause(bracket):
    doc = f"（一）某项措施。内容。{bracket[0]}责任单位：市商务局、市财政局{bracket[1]}\n"
    found = find_clauses(doc, 0, len(doc))
    assert len(found) == 1
    a, b, ia, ib = found[0]
    assert doc[ia:ib] == "责任单位：市商务局、市财政局"


def test_alias_bracket_is_not_a_clause_of_its_own():
    doc = "（一）某项措施。内容。\n责任单位：县数字经济局〔县经信局〕、县商务局\n"
    found = find_clauses(doc, 0, len(doc))
    assert [doc[a:b] for a, b, _, _ in found] == ["责任单位：县数字经济局〔县经信局〕、县商务局"]


@pytest.mark.parametrize(
    "doc, clause",
    [
        ("（一）某项措施。内容。\n【责任单位】区商务局、区财政局\n", "【责任单位】区商务局、区财政局"),
        ("（一）某项措施。内容。\n责任单位 县商务局、县财政局\n", "责任单位 县商务局、县财政局"),
        ("（一）某项措施。内容。【牵头单位】市商务局【配合单位】市财政局\n",
         "【牵头单位】市商务局【配合单位】市财政局"),
    ],
)  # fmt: skip
def test_labels_in_brackets_or_followed_by_a_space_open_a_clause(doc, clause):
    found = find_clauses(doc, 0, len(doc))
    assert [doc[a:b] for a, b, _, _ in found] == [clause]
    _, _, ia, ib = found[0]
    r = parse_clause(doc, ia, ib)
    assert [i.role for i in r.items] == ["lead", "participant"]


def test_label_with_a_qualifier_word():
    got, _, _ = roles("主要责任单位：市商务局；协同单位：市财政局")
    assert got == [("市商务局", "lead"), ("市财政局", "participant")]


def test_two_collectives_in_a_row_stay_two_units():
    got, _, _ = roles("各地区、各有关部门按职责分工负责")
    assert got == [("各地区", "lead"), ("各有关部门", "participant")]


def test_a_labelled_run_of_one_unknown_unit_is_a_clause():
    doc = "1.某项工作。\n牵头单位:区发改委\n责任单位:各产业促进中心分部\n"
    found = find_clauses(doc, 0, len(doc))
    assert [doc[a:b] for a, b, _, _ in found] == ["牵头单位:区发改委", "责任单位:各产业促进中心分部"]


@pytest.mark.parametrize(
    "clause, expected",
    [
        # 等省有关部门 closes a list (n_06_guangdong), then 和 + a collective unit follows
        (
            "省交通运输厅、水利厅、能源局等省有关部门和各地级以上市人民政府按职责分工负责",
            [
                ("省交通运输厅", "lead"),
                ("省水利厅", "participant"),
                ("省能源局", "participant"),
                ("各地级以上市人民政府", "participant"),
            ],
        ),
        # the same tail at another level, in another wording
        (
            "区商务局牵头，区财政局、区市场监管局等区有关部门配合",
            [("区商务局", "lead"), ("区财政局", "participant"), ("区市场监管局", "participant")],
        ),
    ],
)
def test_a_wording_added_to_the_ontology_alone_is_read(clause, expected):
    """A new clause wording is one label in ``responsibility_cues.ttl``, no code."""
    assert roles(clause)[0] == expected
