"""Document fields on real layouts: the plan's own number, an issuer the title names, a title
broken over two lines, and plans issued at national level (a level above province)."""

from __future__ import annotations

from .conftest import extract_text

BODY = "一、重点任务\n（一）扩大消费。开展促消费活动。（商务部牵头，财政部等按职责分工负责）\n"


def test_national_plan_by_its_issuer():
    p = extract_text("国家发展改革委关于做好促消费工作的通知\n发改就业〔2024〕9号\n" + BODY)
    assert (p.meta.region, p.meta.region_level, p.meta.adcode) == (
        "中华人民共和国",
        "national",
        "100000",
    )
    assert p.meta.issuer == "国家发展改革委"


def test_national_plan_by_its_salutation():
    p = extract_text("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n为促进消费，现提出以下措施。\n" + BODY)
    assert p.meta.region_level == "national"


def test_provincial_ministry_name_is_not_national():
    p = extract_text("浙江省商务厅关于做好促消费工作的通知\n" + BODY.replace("商务部", "省商务厅"))
    assert p.meta.region == "浙江省" and p.meta.region_level == "province"


def test_cited_number_is_not_the_plans_own():
    p = extract_text(
        "某市促进消费若干措施\n为贯彻《国务院办公厅关于促进消费的意见》（国办发〔2023〕5号），制定本措施。\n"
        + BODY
    )
    assert p.meta.doc_number is None


def test_own_number_after_a_cited_one_is_found():
    p = extract_text(
        "某市人民政府关于印发促进消费若干措施的通知\n某政发〔2024〕3号\n根据《意见》（国办发〔2023〕5号）……\n"
        + BODY
    )
    assert p.meta.doc_number == "某政发〔2024〕3号"


def test_issuer_named_by_the_title():
    p = extract_text("株洲市人民政府关于推动消费提质的实施意见\n" + BODY)
    assert p.meta.issuer == "株洲市人民政府"


def test_title_broken_over_two_lines_is_joined_and_quoted_as_written():
    p = extract_text("國務院辦公廳關于促進文化消費\n\n推動旅遊業發展的意見\n" + BODY)
    assert p.meta.title == "國務院辦公廳關于促進文化消費推動旅遊業發展的意見"
    assert p.text[p.meta.title_span.start : p.meta.title_span.end] == p.meta.title_span.text
