"""Shared data for the graph, RDF, shapes and query tests (imported, not a conftest).

The corpus is extracted and its dataset built once per test session; probe plans are small
hand-built :class:`~graph_builder.model.Plan` objects for conventions the corpus (or the
extractor of this branch) lacks: measure types, instrument tags, targets, priced instruments
and place mentions.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from graph_builder.model import (
    Action,
    Agency,
    AgencyMention,
    Instrument,
    InstrumentTag,
    Measure,
    PlaceMention,
    Plan,
    PlanMeta,
    Span,
    Target,
    TypeEvidence,
)

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
GOLD = REPO / "tests" / "data" / "gold"
TAXONOMY = REPO / "tests" / "data" / "taxonomy" / "measure_types.tsv"

#: A fixed extraction time, so graphs built in tests are comparable.
FIXED_TIME = datetime(2025, 1, 1, tzinfo=timezone.utc)


@cache
def corpus_result():
    """The bundled corpus extracted once per session (conftest's ``corpus_result`` fixture and
    the visualization tests share it: extraction is the costliest step of most tests)."""
    from graph_builder.batch import extract_all

    return extract_all([str(CORPUS)], progress=False)


@cache
def corpus_plans() -> tuple[Plan, ...]:
    result = corpus_result()
    assert not result.failures, result.failures
    return tuple(result.plans)


@cache
def corpus_dataset():
    from graph_builder.graph.rdf import build_dataset

    return build_dataset(corpus_plans(), generated_at=FIXED_TIME)


@cache
def gold_docs() -> dict[str, dict]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(GOLD.glob("*.json"))
        if p.name != "agencies.json"
    }


@cache
def gold_same_entity() -> tuple[frozenset, ...]:
    data = json.loads((GOLD / "agencies.json").read_text(encoding="utf-8"))
    return tuple(frozenset(group) for group in data["same_entity_within_region"])


def stem(plan: Plan) -> str:
    return Path(plan.source).stem


def find(text: str, needle: str, after: int = 0) -> Span:
    """The span of the first ``needle`` at or after ``after`` (fails loudly when absent)."""
    i = text.index(needle, after)
    return Span(i, i + len(needle), needle)


def mention(text: str, name: str, role: str, position: int, after: int = 0, key=None):
    s = find(text, name, after)
    return AgencyMention(name=name, span=s, role=role, position=position, agency_key=key)


PROBE_TEXT = (
    "株洲市提振消费专项行动方案\n"
    "一、扩大商品消费\n"
    "（一）汽车以旧换新。对报废旧车并购买新能源乘用车的，给予最高2万元补贴。"
    "发放汽车消费券500万元。到2025年，新能源汽车销量增长10%以上。"
    "（市商务局、市财政局、醴陵市人民政府负责）\n"
    "（二）数码换新。对购买手机、平板、智能手表（手环）给予售价20%补贴，最高1000元。（市商务局负责）\n"
    "二、保障措施\n"
    "全市社会消费品零售总额2025年增长6%左右。\n"
)


def probe_plan(text: str = PROBE_TEXT, source: str = "probe/zhuzhou.txt") -> Plan:
    """A hand-built plan of 株洲 with every kind of item the graph maps."""
    t = text
    a1, a2 = find(t, "一、扩大商品消费"), find(t, "二、保障措施")
    m1 = find(t, "（一）汽车以旧换新。")
    m1 = Span(m1.start, t.index("\n", m1.start), t[m1.start : t.index("\n", m1.start)])
    m2 = find(t, "（二）数码换新。")
    m2 = Span(m2.start, t.index("\n", m2.start), t[m2.start : t.index("\n", m2.start)])
    keys = {"市商务局": "k-commerce", "市财政局": "k-finance", "醴陵市人民政府": "k-liling"}
    plan = Plan(
        doc_id=Path(source).stem,
        source=source,
        text=t,
        sha256=hashlib.sha256(t.encode("utf-8")).hexdigest(),
        encoding="utf-8",
        meta=PlanMeta(
            title="株洲市提振消费专项行动方案",
            title_span=find(t, "株洲市提振消费专项行动方案"),
            region="株洲市",
            region_level="city",
            parent_region="湖南省",
            adcode="430200",
            region_span=find(t, "株洲市"),
            status="draft",
        ),
    )
    plan.actions = [
        Action("一", "扩大商品消费", a1, find(t, "扩大商品消费")),
        Action("二", "保障措施", a2, find(t, "保障措施", a2.start)),
    ]
    measure1 = Measure(
        index=0,
        action="一",
        label="(一)",
        label_span=find(t, "（一）"),
        title="汽车以旧换新",
        title_span=find(t, "汽车以旧换新"),
        span=m1,
        clause=find(t, "（市商务局、市财政局、醴陵市人民政府负责）"),
        responsibilities=[
            mention(t, "市商务局", "lead", 0, m1.start, keys["市商务局"]),
            mention(t, "市财政局", "participant", 1, m1.start, keys["市财政局"]),
            mention(t, "醴陵市人民政府", "participant", 2, m1.start, keys["醴陵市人民政府"]),
        ],
        measure_type=TypeEvidence("automobile", 2.5, [find(t, "新能源乘用车")]),
        measure_type_also=[TypeEvidence("trade_in", 1.0, [])],
        instrument_tags=[
            InstrumentTag("voucher", find(t, "消费券"), "消费券"),
            InstrumentTag("subsidy", find(t, "补贴"), "补贴"),
        ],
        places=[
            PlaceMention("醴陵市", "430281", "county", "430200", find(t, "醴陵市")),
        ],
    )
    measure2 = Measure(
        index=1,
        action="一",
        label="(二)",
        label_span=find(t, "（二）"),
        title="数码换新",
        title_span=find(t, "数码换新"),
        span=m2,
        clause=find(t, "（市商务局负责）"),
        responsibilities=[mention(t, "市商务局", "lead", 0, m2.start, keys["市商务局"])],
        measure_type=TypeEvidence("trade_in", 1.0, [find(t, "手机", m2.start)]),
    )
    plan.measures = [measure1, measure2]
    plan.agencies = {
        keys["市商务局"]: Agency(keys["市商务局"], "市商务局", ["市商务局"], "commerce", "商务", "Commerce", "商务", "city"),
        keys["市财政局"]: Agency(keys["市财政局"], "市财政局", ["市财政局"], "finance", "财政", "Finance", "财政", "city"),
        keys["醴陵市人民政府"]: Agency(
            keys["醴陵市人民政府"], "醴陵市人民政府", ["醴陵市人民政府"], "local_government",
            "地方人民政府", "Local government", "人民政府", "county",
        ),
    }  # fmt: skip
    plan.targets = [
        Target(
            action="一",
            measure_index=0,
            span=find(t, "到2025年，新能源汽车销量增长10%以上"),
            indicator="新能源汽车销量增长率",
            value=10,
            unit="%",
            comparator=">=",
            year=2025,
            value_span=find(t, "10%"),
        ),
        Target(
            action="二",
            measure_index=None,
            span=find(t, "全市社会消费品零售总额2025年增长6%左右"),
            indicator="社会消费品零售总额增长率",
            value=6.0,
            unit="%",
            comparator="~",
            year=2025,
        ),
    ]
    plan.instruments = [
        Instrument(
            action="一",
            measure_index=0,
            span=find(t, "对报废旧车并购买新能源乘用车的，给予最高2万元补贴"),
            type="subsidy",
            object="报废旧车并购买新能源乘用车",
            rate_pct=None,
            amount=2.0,
            amount_unit="万元",
            amount_is_cap=True,
            per="辆",
        ),
        Instrument(
            action="一",
            measure_index=0,
            span=find(t, "发放汽车消费券500万元"),
            type="voucher",
            object="汽车",
            rate_pct=None,
            amount=500,
            amount_unit="万元",
            amount_is_cap=False,
            per=None,
        ),
        Instrument(
            action="一",
            measure_index=1,
            span=find(t, "对购买手机、平板、智能手表（手环）给予售价20%补贴，最高1000元"),
            type="subsidy",
            object="手机、平板、智能手表（手环）",
            rate_pct=20,
            amount=1000,
            amount_unit="元",
            amount_is_cap=True,
            per="件",
            product="digital_product",
            product_span=find(t, "手机"),
        ),
    ]
    plan.places = [PlaceMention("醴陵市", "430281", "county", "430200", find(t, "醴陵市"))]
    return plan


def second_probe_plan() -> Plan:
    """Another region (长春) pricing the same product, and naming its units fully."""
    text = (
        "长春市提振消费专项行动实施方案\n"
        "（一）数码产品补贴。对手机、平板、智能手表（手环）给予售价15%补贴，最高500元。"
        "（长春市商务局负责）\n"
    )
    t = text
    m = find(t, "（一）数码产品补贴。")
    m = Span(m.start, t.index("\n", m.start), t[m.start : t.index("\n", m.start)])
    plan = Plan(
        doc_id="changchun",
        source="probe/changchun.txt",
        text=t,
        sha256=hashlib.sha256(t.encode("utf-8")).hexdigest(),
        encoding="utf-8",
        meta=PlanMeta(
            title="长春市提振消费专项行动实施方案",
            title_span=find(t, "长春市提振消费专项行动实施方案"),
            region="长春市",
            region_level="city",
            parent_region="吉林省",
            adcode="220100",
            region_span=find(t, "长春市"),
            status="issued",
        ),
    )
    plan.measures = [
        Measure(
            index=0,
            action=None,
            label="(一)",
            label_span=find(t, "（一）"),
            title="数码产品补贴",
            title_span=find(t, "数码产品补贴"),
            span=m,
            clause=find(t, "（长春市商务局负责）"),
            responsibilities=[mention(t, "长春市商务局", "lead", 0, m.start, "k-cc-commerce")],
            measure_type=TypeEvidence("trade_in", 1.0, [find(t, "手机")]),
        )
    ]
    plan.agencies = {
        "k-cc-commerce": Agency(
            "k-cc-commerce", "长春市商务局", ["长春市商务局"], "commerce", "商务", "Commerce",
            "商务", "city",
        )
    }  # fmt: skip
    plan.instruments = [
        Instrument(
            action=None,
            measure_index=0,
            span=find(t, "对手机、平板、智能手表（手环）给予售价15%补贴，最高500元"),
            type="subsidy",
            object="手机、平板、智能手表（手环）",
            rate_pct=15,
            amount=500,
            amount_unit="元",
            amount_is_cap=True,
            per="件",
            product="digital_product",
            product_span=find(t, "手机"),
        )
    ]
    return plan


def probe_dataset(*plans: Plan, with_ontology: bool = True):
    from graph_builder.graph.rdf import build_dataset

    plans = plans or (probe_plan(), second_probe_plan())
    return build_dataset(plans, generated_at=FIXED_TIME, with_ontology=with_ontology)
