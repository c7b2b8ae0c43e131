"""Probe documents written for conventions the seed corpus lacks (other regions, wording)."""

from __future__ import annotations

import pytest

from .conftest import PROBES, extract_probe, extract_text


def summary(plan):
    return [
        (m.action, m.label, m.title, m.lead, m.agencies, [x.name for x in m.implementers])
        for m in plan.measures
    ]


def test_arabic_measure_numbers_running_through_chapters_with_role_labels():
    p = extract_probe("arabic_measures_lead_labels.txt")
    assert p.meta.region == "洛阳市" and p.meta.adcode == "410300"
    assert [(a.id, a.title) for a in p.actions] == [("一", "扩大服务消费"), ("二", "稳定大宗消费")]
    s = summary(p)
    assert [x[:3] for x in s] == [
        ("一", "1.", "发展家政服务"),
        ("一", "2.", "提升餐饮消费"),
        ("二", "3.", "促进汽车消费"),
        ("二", "4.", "支持住房消费"),
        ("二", "5.", "推进家电以旧换新"),
        ("二", "6.", "发展夜间经济"),
    ]
    assert s[0][4] == ["市商务局", "市人力资源社会保障局", "市妇联"]
    assert s[1][3] == "市商务局"
    assert s[2][3:5] == ("市商务局", ["市商务局", "市公安局", "市财政局"])
    assert s[3][3] == "市住房和城乡建设局"
    # 同上: the measure takes the units of the one before it.
    assert s[4][3:5] == s[3][3:5]
    assert p.measures[4].responsibilities[0].source == "same_as_above"
    # （牵头） marks the lead wherever it stands.
    assert s[5][3] == "市商务局" and s[5][4][0] == "市文化广电和旅游局"
    assert p.lead_rule == "marked"


def test_chinese_numerals_used_as_measures_without_chapters():
    p = extract_probe("county_cn_measures_table_style.txt")
    assert p.meta.region == "长兴县" and p.meta.region_level == "county"
    assert p.meta.parent_region == "湖州市"
    assert p.meta.status == "draft"
    assert p.actions == []
    assert [(m.action, m.label) for m in p.measures] == [
        (None, "一、"),
        (None, "二、"),
        (None, "三、"),
        (None, "四、"),
    ]
    assert p.measures[1].agencies == ["县数字经济发展局〔县经信局〕", "县商务局"]
    funcs = {a.name: a.function for a in p.agencies.values()}
    assert funcs["县数字经济发展局〔县经信局〕"] == "industry_information_technology"
    assert funcs["各街道办事处"] == "local_government"


def test_responsibilities_and_deadlines_from_task_division_table():
    p = extract_probe("task_table_only.txt")
    assert [m.title for m in p.measures] == ["扩大汽车消费", "提升文旅消费", "促进住房消费"]
    assert [m.lead for m in p.measures] == ["市商务局", "市文化和旅游局", "市住房和城乡建设局"]
    assert p.measures[2].agencies == ["市住房和城乡建设局", "市住房公积金管理中心", "市税务局"]
    assert all(r.source == "table" for m in p.measures for r in m.responsibilities)
    assert [m.deadline for m in p.measures] == ["2025-12", "2025-06", "2025-12"]
    assert p.coordinator is not None and p.coordinator.name == "市发展改革委"


def test_half_width_restart_numbering_standing_clause_and_issued_web_page():
    p = extract_probe("halfwidth_restart_standing.txt")
    m = p.meta
    assert (m.region, m.status, m.issuer, m.date, m.doc_number) == (
        "温州市", "issued", "温州市人民政府办公室", "2025-05-20", "温政办〔2025〕27号",
    )  # fmt: skip
    assert [(x.action, x.label) for x in p.measures] == [
        ("一", "(一)"), ("一", "(二)"), ("二", "(一)"), ("二", "(二)"),
    ]  # fmt: skip
    # The standing clause applies to its own measure and every later one.
    assert all([i.name for i in x.implementers] == ["各县(市、区)人民政府"] for x in p.measures)
    assert p.measures[0].agencies == ["市人力社保局", "市财政局"]
    assert p.coordinator.name == "市发展改革委"
    # 人民银行温州市分行 and 中国人民银行温州市分行 are one organisation.
    central = [a for a in p.agencies.values() if a.function == "central_bank"]
    assert len(central) == 1
    assert central[0].surface_forms == ["中国人民银行温州市分行", "人民银行温州市分行"]


def test_gb18030_encoded_plan_reads_like_utf8():
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import decode_bytes

    name = "arabic_measures_lead_labels.txt"
    raw = (PROBES / name).read_text(encoding="utf-8")
    plan = extract_plan(decode_bytes(raw.encode("gb18030"), "gbk.txt"))
    assert plan.encoding == "gb18030"
    assert summary(plan) == summary(extract_probe(name))


def test_nested_brackets_in_clause_and_full_width_labels():
    p = extract_text(
        "某某市提振消费方案\n一、重点任务\n（一）稳就业。内容（含灵活就业）。"
        "（市人社局、市财政局，各县（市、区）人民政府按职责分工负责）\n"
        "（二）促消费。内容。（市商务局牵头）\n"
    )
    assert [m.label for m in p.measures] == ["(一)", "(二)"]
    assert p.measures[0].agencies == ["市人社局", "市财政局", "各县（市、区）人民政府"]
    assert p.measures[1].lead == "市商务局"


def test_chapter_words_clause_deadlines_and_several_clauses_per_measure():
    p = extract_probe("chapter_words_deadlines_multi_clause.txt")
    assert [(a.id, a.title) for a in p.actions] == [
        ("一", "提升生活服务消费"),
        ("二", "扩大文旅体育消费"),
    ]
    m = p.measures
    # Role labels separated by a comma, a deadline inside the clause, a stated lead rule.
    assert m[0].agencies == ["市商务局", "市民政局", "市住房城乡建设局"]
    assert (m[0].deadline, m[0].deadline_span.text) == ("2025-12", "2025年12月底前")
    assert p.lead_rule == "stated"
    # Two clauses in one measure: units in written order, the first clause's lead.
    assert m[1].agencies == ["市民政局", "市卫生健康委", "市教育局"]
    assert m[1].lead == "市民政局"
    # "等市直有关部门" is not a unit; "各有关部门" is a collective unit.
    assert m[2].agencies == ["市文化广电旅游局"]
    assert m[3].agencies == ["市体育局", "各有关部门"]


def test_items_of_a_framing_chapter_are_not_measures_and_clause_forms_vary():
    p = extract_probe("framing_chapter_items.txt")
    assert [a.title for a in p.actions] == ["总体要求", "重点任务", "保障措施"]
    # （一）指导思想 and （二）主要目标 frame the plan; numbering runs on into the tasks.
    assert [(m.action, m.label, m.title) for m in p.measures] == [
        ("二", "(三)", "扩大汽车消费"),
        ("二", "(四)", "提升文旅消费"),
        ("三", "(五)", "加强组织领导"),
    ]
    # An unbracketed clause line, and a clause in 【】.
    assert p.measures[0].agencies == ["市商务局", "市公安局", "市财政局"]
    assert p.measures[1].agencies == ["市文化广电旅游局"]


def test_generic_label_followed_by_lead_and_cooperation_phrases():
    p = extract_text(
        "某市方案\n一、任务\n（一）促消费。内容。（责任单位：市商务局牵头，市财政局、市税务局配合）\n"
        "（二）稳就业。内容。（责任单位：市人社局）\n"
    )
    assert [(r.name, r.role) for r in p.measures[0].responsibilities] == [
        ("市商务局", "lead"),
        ("市财政局", "participant"),
        ("市税务局", "participant"),
    ]


def test_ambiguous_district_name_is_resolved_by_the_parent_the_text_names():
    p = extract_text(
        "鼓楼区促进消费若干措施\n一、发放消费券。福州市鼓楼区将联合商家发放消费券。"
        "（责任单位：区商务局）\n"
    )
    assert (p.meta.region, p.meta.parent_region) == ("鼓楼区", "福州市")
    assert p.meta.adcode.startswith("3501")


def test_one_measure_per_chapter_is_read_at_the_measure_level():
    p = extract_text(
        "某市促消费措施\n一、扩大汽车消费\n（一）开展汽车促销。内容。（责任单位：市商务局）\n"
        "二、提升文旅消费\n（二）举办消费季。内容。（责任单位：市文旅局）\n"
    )
    assert [(m.action, m.label, m.title) for m in p.measures] == [
        ("一", "(一)", "开展汽车促销"),
        ("二", "(二)", "举办消费季"),
    ]


@pytest.mark.parametrize("name", ["task_table_plan.html", "task_table_flattened.txt"])
def test_a_plan_that_is_a_task_table_has_one_measure_per_row(name):
    # A 重点任务分工 plan: no numbered headings with clauses, each table row is a measure and
    # its units come from the unit columns (an HTML table, and the same copied as text with
    # one cell per line).
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import read_input

    p = extract_plan(read_input(str(PROBES / name)))
    assert [m.label for m in p.measures] == ["1.", "2.", "3."]
    assert all(m.lead for m in p.measures)
    assert p.measures[1].agencies[0] in ("市商务局", "县商务局")
    assert len(p.measures[1].agencies) == (3 if name.endswith(".html") else 2)
