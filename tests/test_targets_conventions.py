"""Targets read from probe sentences, one convention per test (numerals, units, comparators,
ranges, years, lists), and the numbers that are not targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder.extract.promise_spans import PromiseSpan
from graph_builder.extract.targets import read_targets

PROBES = Path(__file__).resolve().parent / "probes"


def targets(text: str, plan_year: int | None = 2025):
    found = read_targets(text, PromiseSpan(0, len(text), None, None), plan_year)
    for t in found:
        assert text[t.span.start : t.span.end] == t.span.text
    return found


def one(text: str, plan_year: int | None = 2025):
    found = targets(text, plan_year)
    assert len(found) == 1, [t.span.text for t in found]
    t = found[0]
    return t.value, t.unit, t.comparator, t.year


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("新增限额以上企业220家。", 220, "家"),
        ("新增高技能人才1.4万人。", 1.4, "万人"),
        ("社会消费品零售总额达到１５００亿元。", 1500, "亿元"),  # full-width digits
        ("同比增长５．５％。", 5.5, "%"),  # full-width point and percent
        ("新增限额以上商贸企业二十家。", 20, "家"),  # Chinese numeral
        ("收入增速高于经济增速两个百分点。", 2, "个百分点"),  # 两 + 个百分点
        ("旅游总人次突破7000万。", 7000, "万"),  # 万 alone is the unit
        ("新建公共充电桩1,000个。", 1000, "个"),  # thousands separator
        ("完成设备更新1.5万台(套)。", 1.5, "万台(套)"),  # bracketed alternative kept
    ],
)
def test_targets_normalise_numerals_and_keep_wan_yi_in_unit(text, value, unit):
    v, u, _, _ = one(text)
    assert (v, u) == (value, unit)


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("新增企业220家以上。", ">="),
        ("建设不少于3个多功能运动场。", ">="),
        ("最低工资标准增幅不低于5%。", ">="),
        ("新增城镇就业超20万人。", ">"),
        ("销售超过25亿元。", ">"),
        ("旅游总花费突破740亿。", ">"),
        ("举办促消费活动100余场。", ">"),
        ("建成社区食堂50多个。", ">"),
        ("完成汽车报废更新6000辆左右。", "~"),
        ("城镇调查失业率控制在5.5%以内。", "<="),
        ("失业率不超过5.5%。", "<="),
        ("千人口托位数达到4.8个。", "="),
    ],
)
def test_targets_read_comparators_before_and_after_the_number(text, comparator):
    assert one(text)[2] == comparator


def test_targets_range_keeps_both_bounds():
    (t,) = targets("旅游收入增长8%-10%。")
    assert (t.value, t.value_max, t.unit, t.comparator) == (8, 10, "%", ">=")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2025年，新增城镇就业超20万人。", 2025),
        ("到2026年底，参保人数超过820万人。", 2026),
        ("全年开展体育赛事500场以上。", 2025),  # the plan year
        ("力争年底全市累计建成充电桩超3万个。", 2025),
        ("筹建保障性租赁住房3万套。", None),  # no year written
        ("力争3年组织各类培训240万人次以上。", None),  # a duration, not a year
    ],
)
def test_targets_take_the_year_of_their_sentence(text, year):
    assert one(text)[3] == year


def test_targets_plan_year_word_holds_for_the_whole_sentence():
    found = targets("新能源车占比达40%以上，力争年底建成充电桩超3万个。")
    assert [(t.value, t.year) for t in found] == [(40, 2025), (3, 2025)]


def test_targets_plan_year_words_need_a_plan_year():
    assert one("全年开展体育赛事500场以上。", plan_year=None)[3] is None


def test_targets_continued_sentence_keeps_the_previous_year():
    found = targets("2025年推动15个敬老院转型。同时，完成450户老年人家庭适老化改造。")
    assert [(t.value, t.year) for t in found] == [(15, 2025), (450, 2025)]


def test_targets_a_new_sentence_does_not_inherit_a_year():
    found = targets("2025年推动15个敬老院转型。培育5个电商品牌。")
    assert [(t.value, t.year) for t in found] == [(15, 2025), (5, None)]


def test_targets_past_results_and_baseline_years_are_not_promises():
    found = targets("2024年全市社会消费品零售总额增长5.2%。到2025年，总额比2020年增长20%。")
    assert [(t.value, t.year) for t in found] == [(20, 2025)]


def test_targets_list_items_each_get_their_own_text():
    found = targets("2025年，创建1条省级高品质步行街、1个省级商业特色街区。")
    assert [(t.span.text, t.unit) for t in found] == [
        ("创建1条省级高品质步行街", "条"),
        ("1个省级商业特色街区", "个"),
    ]


def test_targets_list_item_without_number_joins_the_next():
    (t,) = targets("新、改建农村公路300公里以上。")
    assert t.span.text == "新、改建农村公路300公里以上"
    assert t.indicator == "新、改建农村公路里程"


def test_targets_respectively_list_keeps_the_clause_and_pairs_subjects():
    found = targets("餐饮业、住宿业营业额分别增长10%、5%。")
    assert [t.value for t in found] == [10, 5]
    assert {t.span.text for t in found} == {"餐饮业、住宿业营业额分别增长10%、5%"}
    assert found[0].indicator.endswith("（餐饮业）")


def test_targets_share_with_a_bound_before_it_is_a_target():
    v, u, c, _ = one("按照不低于上年度最低生活保障标准的1.3倍提高特困人员基本生活标准。")
    assert (v, u, c) == (1.3, "倍", ">=")


def test_targets_per_unit_level_raised_to_is_a_target():
    v, u, c, _ = one("平均资助标准提高到每生每年2300元。")
    assert (v, u, c) == (2300, "元", "=")


def test_targets_voucher_total_is_also_a_target():
    v, u, _, y = one("2025年，发放消费券5000万元。")
    assert (v, u, y) == (5000, "万元", 2025)


@pytest.mark.parametrize(
    "text",
    [
        "对非专业演出场馆举办单场售票3000人至1万人的营业性演出活动，按收入的3%给予奖励。",
        "对年拆解5000辆以上的报废机动车回收拆解企业给予最高不超过100万元奖励。",
        "对网络销售农产品达到2万元及以上、快递单量1000单及以上的企业，给予每件1元的补助。",
        "年二手车销售额超过500万元且当年增速达到10%以上的，按销售额的0.5%给予奖励。",
        "2025年5月底前出台实施方案。",
        "建立12315数据分析专报制度。",
        "形成我市“1+X”政策体系。",
        "办好第四届旅游发展大会。",
        "出台促消费二十条措施。",
        "推动5G应用。",
        "推动某公司投资10亿元建设物流配送中心项目。",
        "对多子女家庭可提高20%的贷款额度。",
        "每人每次限领1张。",
        "家电以旧换新范围增加微波炉、洗碗机等4类家电。",
        "聚焦粮油、畜牧等5大产业集群。",
        "支持幼儿园招收2—3岁幼儿。",
        "培育夜间24小时“不打烊”店。",
        "推进“30分钟职业技能培训圈”建设。",
        "支持100万人口以上城市建设步行街。",
        "争取商贸流通体系、零售业创新提升和汽车流通消费改革三项国家级试点。",
        "健全最低工资标准调整机制，每两年至少调整一次最低工资标准。",
        "按25元/人的标准赠送互助保障项目。",
        "按照5000人次和10000人次及以上标准，给予适当奖补。",
        "其他收益的50%于年末核算完成后向成员分红。",
        "每季度开展1次专项检查。",
        "给予“多子女家庭”住房公积金贷款额度上限上浮20%-40%的支持。",
        "允许连续足额缴存住房公积金6个月（含）以上的灵活就业人员申请贷款。",
        "A级以上景区幅度在5折（含）以上的，给予补贴。",
        "轨道交通7号线、8号线开通初期运营。",
    ],
)
def test_targets_not_read_from_thresholds_dates_codes_names_and_rules(text):
    assert targets(text) == []


def test_targets_probe_plan_goals_stand_outside_measures():
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import read_input

    plan = extract_plan(read_input(str(PROBES / "promises_yangquan_city.txt")))
    goals = [t for t in plan.targets if t.measure_index is None]
    assert [(t.action, t.value, t.unit, t.year) for t in goals] == [
        ("一", 520, "亿元", 2025),
        ("一", 5.5, "%", 2025),
        ("一", 3000, "万人次", 2025),
        ("一", 20, "家", 2025),
        ("一", 2, "个百分点", 2025),
    ]
    in_measures = {
        (plan.measure_label(t), t.value, t.unit)
        for t in plan.targets
        if t.measure_index is not None
    }
    assert ("1.", 800, "个") in in_measures
    assert ("4.", 3000, "万元") in in_measures  # 发放消费券3000万元
    assert not any(t.unit == "张" for t in plan.targets)  # 每人每次限领1张


def test_targets_probe_province_preamble_goals_have_no_chapter():
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import read_input

    plan = extract_plan(read_input(str(PROBES / "promises_province_goals.txt")))
    got = [
        (t.action, plan.measure_label(t), t.value, t.unit, t.comparator, t.year)
        for t in plan.targets
    ]
    assert got == [
        (None, None, 5, "%", ">=", 2025),
        (None, None, 500, "万人次", ">", 2025),
        ("一", "(一)", 50, "场", ">=", 2025),
        ("一", "(二)", 150, "家", ">=", 2025),
        ("一", "(二)", 10, "个", "=", 2025),  # 同时，… in the same sentence
        ("二", "(三)", 1.5, "万家", "=", 2025),
    ]


# Numbers of real plans that are not targets, each probed in another wording.
@pytest.mark.parametrize(
    "text",
    [
        "在已落实批发业等5个行业减税政策的基础上，进一步扩大范围。",  # 等N个: scope of a rule
        "某某县惠企政策汇编（2024年版，126条）",  # the size of a list of policies
        "其中就业支持政策42条、金融支持政策30条。",  # counts of a policy list
        "2.对新落户企业年营业收入超过5000万元（含5000万元），按其地方贡献给予奖励。",  # threshold
        "市财政统筹安排资金12.5亿元，用于支持产业发展。",  # a fund set up: an instrument
        "审批时限压缩至15个工作日。",  # a duration: 个工作日 stays whole, no count target
    ],
)
def test_real_numbers_that_are_not_targets(text):
    assert [t.span.text for t in targets(text)] == []


def test_scope_count_with_a_goal_verb_is_a_target():
    assert one("打造餐饮、零售、家政等8条特色消费街区。")[:2] == (8, "条")


def test_investment_the_plan_completes_is_a_target():
    assert one("2025年力争完成交通项目投资45亿元。")[:2] == (45, "亿元")


def test_fund_total_with_a_bound_is_still_a_target():
    assert one("全年发放创业担保贷款10亿元以上。")[:2] == (10, "亿元")
