"""The lean graph: facts in each document's graph, evidence in its own graph, every fact
still traceable to its offsets; and a plan that cites one huge sentence thousands of times
does not copy it thousands of times (output amplification)."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

from graph_builder.cli import main
from graph_builder.graph.iris import Iris
from graph_builder.graph.namespace import GBO, OA, RDF
from graph_builder.graph.rdf import plan_graph
from tests.graph_support import FIXED_TIME, corpus_plans, probe_plan

IRIS = Iris()


def _graphs(plan, provenance):
    facts, evidence = Graph(), Graph()
    plan_graph(plan, IRIS, FIXED_TIME, facts, evidence, provenance)
    return facts, evidence


def _offsets(g: Graph, span) -> tuple[int, int, str] | None:
    """(start, end, quote) of a span, compact (on the span) or full (on its selectors)."""
    for node in [span, *g.objects(span, OA.hasSelector)]:
        if g.value(node, OA.start) is not None:
            pos = node
    for node in [span, *g.objects(span, OA.hasSelector)]:
        if g.value(node, OA.exact) is not None:
            quote = node
    try:
        return int(g.value(pos, OA.start)), int(g.value(pos, OA.end)), str(g.value(quote, OA.exact))
    except NameError:
        return None


@pytest.mark.slow
@pytest.mark.parametrize("provenance", ["compact", "full"])
def test_every_measure_responsibility_target_and_instrument_has_offsets(provenance):
    plans = [*corpus_plans(), probe_plan()]
    counted = dict.fromkeys(("Measure", "Responsibility", "Target", "PricedInstrument"), 0)
    for plan in plans:
        facts, evidence = _graphs(plan, provenance)
        for cls in counted:
            for item in facts.subjects(RDF.type, GBO[cls]):
                counted[cls] += 1
                spans = list(evidence.objects(item, GBO.evidence))
                assert spans, (cls, item)
                for span in spans:
                    start, end, quote = _offsets(evidence, span)
                    assert plan.text[start:end] == quote, (item, span)
    assert all(counted.values()), counted  # each kind present, so the check means something


@pytest.mark.slow
def test_facts_graph_holds_no_evidence_and_is_the_same_for_every_provenance():
    plan = corpus_plans()[1]
    compact, ev_compact = _graphs(plan, "compact")
    full, ev_full = _graphs(plan, "full")
    none, ev_none = _graphs(plan, "none")
    assert set(compact) == set(full) == set(none)
    assert not list(compact.triples((None, GBO.evidence, None)))
    assert not list(compact.triples((None, RDF.type, OA.SpecificResource)))
    assert len(ev_none) == 0
    # compact: one node per span (5 triples) instead of three (9 triples)
    spans = set(ev_compact.subjects(RDF.type, OA.SpecificResource))
    assert spans == set(ev_full.subjects(RDF.type, OA.SpecificResource))
    assert len(ev_compact) < len(ev_full)


def test_facts_per_seed_plan_are_lean():
    sizes = [len(_graphs(p, "compact")[0]) for p in corpus_plans()]
    assert sum(sizes) / len(sizes) <= 3000, sizes


@pytest.mark.slow
def test_one_long_sentence_cited_by_thousands_of_instruments_is_stored_once(tmp_path):
    sentence = "补贴1000元" * 4000
    src = tmp_path / "in" / "amp.txt"
    src.parent.mkdir()
    src.write_text(f"关于促进消费的实施方案\n一、加大支持力度\n（一）实施补贴。{sentence}。\n",
                   encoding="utf-8")  # fmt: skip
    out = tmp_path / "out"
    assert main(["build", str(src.parent), "--out", str(out), "--formats", "json,nq", "-q"]) in (0, 1)
    doc = json.loads(next((out / "json").glob("*.json")).read_text(encoding="utf-8"))
    # the 4,000 repeats are one instrument read 4,000 times (tests/test_output_amplification)
    assert [i["mention_count"] for i in doc["instruments"]] == [4000]
    raw = next((out / "json").glob("*.json")).read_text(encoding="utf-8")
    # once per span that holds it (the instruments' sentence, the measure), in the table
    assert raw.count(sentence) == len(doc["quotes"]) <= 3
    cited = doc["instruments"][0]["evidence"]
    assert doc["quotes"][cited["quote"]].startswith("补贴1000元")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert (out / "graph.nq").read_bytes().count(sentence.encode()) == 0
    assert (out / "evidence.nq").read_bytes().count(sentence.encode()) == len(doc["quotes"])
    # Before: 400 MB of JSON and 218 MB of N-Quads. Now linear in the instruments.
    assert total < 2 * 10**6, total
