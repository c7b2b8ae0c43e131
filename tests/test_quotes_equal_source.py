"""Every extracted item's quote equals the source text at its offsets."""

from __future__ import annotations

import dataclasses

import pytest

from graph_builder.model import Span

from .conftest import PROBES, extract_probe


def iter_spans(obj, path="plan"):
    """Every Span reachable from a model object, with a readable path."""
    if isinstance(obj, Span):
        yield path, obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if f.name == "text":
                continue
            yield from iter_spans(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from iter_spans(v, f"{path}[{k}]")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from iter_spans(v, f"{path}[{i}]")


def assert_quotes(plan):
    n = 0
    for path, span in iter_spans(plan):
        assert 0 <= span.start <= span.end <= len(plan.text), path
        assert plan.text[span.start : span.end] == span.text, path
        n += 1
    return n


def test_every_quote_of_the_corpus_equals_the_source(corpus_plans):
    counted = sum(assert_quotes(p) for p in corpus_plans)
    # measures, titles, clauses, agency mentions, actions, meta … all checked
    assert counted > 1000


@pytest.mark.parametrize("name", sorted(p.name for p in PROBES.glob("*.txt")))
def test_every_quote_of_a_probe_equals_the_source(name):
    assert assert_quotes(extract_probe(name)) > 10


def test_agency_quote_is_the_written_form_and_name_the_restored_one(corpus_plans):
    sanmenxia = next(p for p in corpus_plans if p.meta.region == "三门峡市")
    first = sanmenxia.measures[0]
    edu = first.responsibilities[1]
    assert edu.span.text == "教育局"
    assert edu.name == "市教育局"
    assert edu.restored_prefix == "市"
