"""The measure-type scheme mirrors the shared taxonomy, and the cue classifier is transparent."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph_builder.extract.measure_types import MeasureTypeClassifier
from graph_builder.model import Measure, Span
from graph_builder.vocab import measure_types

TSV = Path(__file__).resolve().parent / "data" / "taxonomy" / "measure_types.tsv"


def _rows():
    with TSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["key"])
def test_measure_types_every_tsv_row_is_a_concept_with_same_labels_and_broader(row):
    scheme = measure_types()
    c = scheme[row["key"]]
    assert c.label_zh == row["label_zh"]
    assert c.label_en == row["label_en"]
    assert c.broader == (None if row["broader"] == "-" else row["broader"])
    assert c.notation == (None if row["national_item"] == "-" else row["national_item"])


def test_measure_types_scheme_has_no_concept_outside_the_tsv():
    assert {c.key for c in measure_types()} == {r["key"] for r in _rows()}


def test_measure_types_every_leaf_has_cue_words_and_tops_have_none():
    for c in measure_types():
        assert bool(c.cues) == bool(c.broader), c.key


def _measure(text: str, title: str, clause: str | None = None) -> Measure:
    start = text.index(title)
    c = text.index(clause) if clause else None
    return Measure(
        index=0,
        action=None,
        label="(一)",
        label_span=Span.of(text, 0, 3),
        title=title,
        title_span=Span.of(text, start, start + len(title)),
        span=Span.of(text, 0, len(text)),
        clause=Span.of(text, c, c + len(clause)) if clause else None,
    )


def test_measure_types_title_cue_outweighs_a_few_body_cues():
    text = "(一)稳定住房消费。给予补贴，实施贴息，安排专项资金。"
    primary, also = MeasureTypeClassifier(measure_types()).classify(
        text, _measure(text, "稳定住房消费")
    )
    assert (primary.concept, primary.score) == ("housing", 4.0)
    assert [s.text for s in primary.spans] == ["住房"]
    assert [(a.concept, a.score) for a in also] == [("fiscal_support", 3.0)]


def test_measure_types_repeated_cue_votes_once():
    text = "(一)推进以旧换新。汽车以旧换新补贴，家电补贴，家居补贴，手机补贴，电动车补贴。"
    primary, _ = MeasureTypeClassifier(measure_types()).classify(
        text, _measure(text, "推进以旧换新")
    )
    assert primary.concept == "trade_in"


def test_measure_types_responsibility_clause_does_not_vote():
    text = "(一)办好节会。举办促销活动。（责任单位：市文化广电旅游局、市体育局）"
    m = _measure(text, "办好节会", "（责任单位：市文化广电旅游局、市体育局）")
    primary, also = MeasureTypeClassifier(measure_types()).classify(text, m)
    assert primary.concept == "promotion_events"
    assert all(not (m.clause.start <= s.start < m.clause.end) for s in primary.spans)


def test_measure_types_only_leaves_are_assigned_and_evidence_quotes_the_text():
    text = "(一)扩大服务消费。发展养老服务、托育服务，培育冰雪消费，发展家政、餐饮。"
    primary, also = MeasureTypeClassifier(measure_types()).classify(
        text, _measure(text, "扩大服务消费")
    )
    scheme = measure_types()
    for ev in [primary, *also]:
        assert scheme[ev.concept].broader
        assert all(text[s.start : s.end] == s.text for s in ev.spans)


def test_measure_types_secondary_needs_enough_evidence():
    text = "(一)提振汽车消费。开展二手车交易，建设充电桩，鼓励汽车消费信贷，举办车展促销。"
    primary, also = MeasureTypeClassifier(measure_types(), secondary_min=3).classify(
        text, _measure(text, "提振汽车消费")
    )
    assert primary.concept == "automobile"
    assert all(a.score >= 3 for a in also)


def test_measure_types_no_cue_no_type():
    text = "(一)其他事项。做好相关工作。"
    assert MeasureTypeClassifier(measure_types()).classify(text, _measure(text, "其他事项")) == (
        None,
        [],
    )
