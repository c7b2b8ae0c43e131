"""The extraction core meets the issue's bar on the five seed documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder.evaluate import evaluate_docs, format_report
from graph_builder.export.json_export import plan_to_dict


@pytest.fixture(scope="module")
def report(corpus_plans, gold_docs, gold_agencies):
    pairs = [(plan_to_dict(p), gold_docs[Path(p.source).stem]) for p in corpus_plans]
    assert len(pairs) == 5
    r = evaluate_docs(pairs, gold_agencies)
    print(format_report(r))
    return r


def test_every_seed_document_is_read_without_failure(corpus_result):
    assert corpus_result.failures == []
    assert len(corpus_result.plans) == 5


def test_measures_f1_is_perfect(report):
    assert report.scores["measures"].f1 == 1.0


def test_actions_f1_is_perfect(report):
    assert report.scores["actions"].f1 == 1.0


def test_lead_accuracy_is_perfect(report):
    assert report.accuracies["lead"].value == 1.0
    assert report.accuracies["lead"].total == 125


def test_agencies_f1_at_least_099(report):
    assert report.scores["agencies"].f1 >= 0.99


def test_implementers_f1_at_least_095(report):
    assert report.scores["implementers"].f1 >= 0.95
    assert report.scores["implementers"].tp > 0


def test_agency_grouping_pairwise_f1_at_least_095(report):
    s = report.scores["agency_grouping_pairwise"]
    assert s.tp + s.fn > 50
    assert s.f1 >= 0.95


def test_same_entity_forms_are_merged(report):
    acc = report.accuracies["same_entity_within_region"]
    assert acc.total == 3
    assert acc.value == 1.0


@pytest.mark.parametrize(
    "field",
    ["region", "adcode", "region_level", "parent_region", "title", "status", "issuer", "date",
     "doc_number", "coordinator"],
)  # fmt: skip
def test_document_fields_are_right(report, field):
    assert report.accuracies[field].value == 1.0


def test_planned_policies_of_appendix_table(report):
    assert report.scores["planned_policies"].f1 == 1.0
