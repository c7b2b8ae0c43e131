"""Priced instruments read from probe sentences: caps, per-unit amounts, rates, tiers, ranges,
totals, payment words, and the amounts that price nothing."""

from __future__ import annotations

import pytest

from graph_builder.extract.instruments import find_instruments, priced_numbers
from graph_builder.extract.promise_spans import PromiseSpan


def instruments(text: str):
    found = find_instruments(text, [PromiseSpan(0, len(text), None, None)])
    for i in found:
        assert text[i.span.start : i.span.end] == i.span.text
    return found


def rows(text: str):
    return [
        (i.type, i.rate_pct, i.amount, i.amount_unit, i.amount_is_cap, i.per)
        for i in instruments(text)
    ]


def test_instruments_per_unit_cap():
    assert rows("对购买一级能效家电的消费者，每件最高补贴500元。") == [
        ("subsidy", None, 500, "元", True, "件")
    ]


def test_instruments_cap_in_next_clause_belongs_to_the_rate():
    (i,) = instruments("按最终销售价格的15%给予补贴，每件最高不超过500元。")
    assert (i.rate_pct, i.amount, i.amount_is_cap, i.per) == (15, 500, True, "件")
    assert i.span.text == "按最终销售价格的15%给予补贴，每件最高不超过500元"


def test_instruments_tiers_share_their_cap():
    got = rows("1级、2级能效产品分别按最终销售价格的20%、15%给予补贴，最高补贴2000元。")
    assert got == [
        ("subsidy", 20, 2000, "元", True, None),
        ("subsidy", 15, 2000, "元", True, None),
    ]


def test_instruments_rate_range_is_one_instrument_with_a_minimum_and_a_maximum():
    (i,) = instruments("给予门票价格的10%-50%补贴。")
    assert (i.type, i.rate_pct, i.rate_pct_max, i.rate, i.rate_max) == (
        "subsidy", 10, 50, 0.1, 0.5
    )  # fmt: skip


def test_instruments_range_is_written_as_the_two_tiers_gold_writes():
    # one instrument in the model, two objects in the gold-schema JSON (any scorer reads them)
    from graph_builder.export.json_export import _instruments

    text = "区分能效标准按实际销售价格的15%—20%给予补贴，每件产品补贴不超过2000元。"
    (i,) = instruments(text)
    tiers = _instruments(i)
    assert [(t["rate_pct"], t["rate"], t["amount"], t["range_tier"]) for t in tiers] == [
        (15, 0.15, 2000, "min"),
        (20, 0.2, 2000, "max"),
    ]


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("报废旧车并购买新能源乘用车最高补贴2万元。", 20000),
        ("对首店给予一次性奖励0.35万元。", 3500),
        ("发放住房购新配送券1.6亿元。", 160_000_000),
        ("每件最高补贴500元。", 500),
    ],
)
def test_instruments_amount_is_also_given_in_yuan(text, yuan):
    (i,) = instruments(text)
    assert i.amount_yuan == yuan and isinstance(i.amount_yuan, float)


def test_instruments_foreign_currency_is_not_converted():
    (i,) = instruments("对出口企业给予奖励，每家最高奖励10万美元。")
    assert (i.amount, i.amount_unit, i.amount_yuan) == (10, "万美元", None)


@pytest.mark.parametrize(
    ("text", "per", "units"),
    [
        ("长春市城区按2400元/年/孩补助。", "孩", ("年", "孩")),
        ("平均资助标准提高到每生每年2300元。", "生", ("生", "年")),
        ("每件最高补贴500元。", "件", ("件",)),
    ],
)
def test_instruments_per_keeps_every_unit_written(text, per, units):
    (i,) = instruments(text)
    assert (i.per, i.per_units) == (per, units)


def test_instruments_amount_list_with_bare_number_takes_the_list_unit():
    got = rows("按发票金额分四档给予3000元、7000元、11000、13000元不同额度的补贴。")
    assert [(r[2], r[3], r[4]) for r in got] == [
        (3000, "元", False),
        (7000, "元", False),
        (11000, "元", False),
        (13000, "元", False),
    ]


def test_instruments_respectively_list_shares_one_cap_word():
    got = rows("按照首店类型分别给予最高100万元、50万元奖励。")
    assert got == [
        ("reward", None, 100, "万元", True, None),
        ("reward", None, 50, "万元", True, None),
    ]


def test_instruments_each_list_item_with_its_own_cap_keeps_its_own_text():
    found = instruments("报废旧车并购买新能源乘用车最高补贴2万元、燃油乘用车最高补贴1.5万元。")
    assert [(i.amount, i.span.text) for i in found] == [
        (2, "报废旧车并购买新能源乘用车最高补贴2万元"),
        (1.5, "燃油乘用车最高补贴1.5万元"),
    ]


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("长春市城区按2400元/年/孩补助。", "孩"),
        ("平均资助标准提高到每生每年2300元。", "生"),
        ("按每年每人不超过500元的标准发放工会消费券。", "人"),
        ("单个主体年度补贴金额不超过100万元。", "主体"),
        ("城市社区助老餐厅每年不超过2万元运营补贴。", "年"),
    ],
)
def test_instruments_per_unit_is_what_the_amount_is_paid_for(text, per):
    (i,) = instruments(text)
    assert i.per == per


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("发放住房购新配送券1.6亿元。", "voucher"),
        ("给予1个百分点的贴息，单笔贴息不超过3000元。", "loan_interest_subsidy"),
        ("对年营业额首次突破5000万元的企业，一次性奖励20万元。", "reward"),
        ("设立10亿元消费引导基金。", "fund_support"),
        ("利用专项资金按照实际发生费用的30%给予补贴。", "subsidy"),  # the word after the rate
        ("按销售额的0.5%给予财政资金奖励，最高不超过100万元。", "reward"),
    ],
)
def test_instruments_type_comes_from_the_payment_word(text, kind):
    (i,) = instruments(text)
    assert i.type == kind


def test_instruments_voucher_total_is_not_a_cap_and_not_a_price():
    text = "发放文旅、电影、图书类消费券合计超过5000万元。"
    (i,) = instruments(text)
    assert (i.amount, i.amount_unit, i.amount_is_cap, i.per) == (5000, "万元", False, None)
    assert priced_numbers(text, 0, len(text)) == set()  # it may also be a target


@pytest.mark.parametrize(
    "text",
    [
        "消费品以旧换新带动汽车、家电销售超过25亿元。",  # no payment word
        "融资租赁支持设备更新超过250亿元。",
        "对网络销售农产品达到2万元及以上的企业和个体工商户，给予支持。",  # a threshold
        "安排不低于55%的社会福利事业彩票公益金用于支持发展养老服务。",  # a share, not a rate
        "运用财政补贴、贷款贴息等政策工具。",  # no amount
        "给予“多子女家庭”住房公积金贷款额度上限上浮20%-40%的支持。",
        "按照5000人次和10000人次及以上标准，给予适当奖补。",
    ],
)
def test_instruments_not_read_without_a_priced_payment(text):
    assert instruments(text) == []


def test_instruments_threshold_amount_is_not_the_payment():
    got = rows(
        "对省内网络销售农产品达到2万元及以上、快递单量1000单及以上的企业，给予每件1元的资金补助。"
    )
    assert got == [("subsidy", None, 1, "元", False, "件")]


def test_instruments_object_names_who_or_what_is_paid():
    (i,) = instruments("对差额补助公办托育服务机构，长春市城区按2400元/年/孩补助。")
    assert i.object == "差额补助公办托育服务机构（长春市城区）"
    (j,) = instruments("交售报废老旧电动自行车并换购合格新车的，最高补贴500元。")
    assert j.object == "交售报废老旧电动自行车并换购合格新车"


def test_fund_set_up_is_a_fund_instrument():
    from graph_builder.extract.instruments import read_sentence

    text = "整合部门资金，设立1.2亿元文旅产业发展引导资金。"
    drafts = read_sentence(text, 0, len(text))
    assert [(d.type, d.amount, d.amount_unit) for d in drafts] == [("fund_support", 1.2, "亿元")]


def test_rate_as_a_share_with_its_cap_in_the_next_clause():
    from graph_builder.extract.instruments import read_sentence

    text = "按项目实际投资额5%的比例予以补助，最高补助300万元。"
    drafts = read_sentence(text, 0, len(text))
    assert [(d.type, d.rate_pct, d.amount, d.amount_is_cap) for d in drafts] == [
        ("subsidy", 5, 300, True)
    ]
