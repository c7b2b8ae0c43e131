"""SHACL shapes: the corpus graph conforms, and broken graphs are caught where they break.

pySHACL over the whole corpus is the costliest check of the suite, so it runs once (the
zero-violation test, marked slow). The tests that break one thing and look for the violations
it causes validate one plan's graphs (its facts and evidence, with the ontology) cut from the
same corpus dataset: the shapes look at one document at a time, and "every violation is
at the broken node" says as much on one document as on five, at a fifth of the cost.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from graph_builder.export.rdf_export import union_graph
from graph_builder.graph.iris import Iris
from graph_builder.graph.namespace import GBO, OA, RDF, SKOS
from graph_builder.graph.rdf import ontology_graph
from graph_builder.graph.validate import validate
from graph_builder.vocab import ONTOLOGY_DIR

from .graph_support import corpus_dataset, corpus_plans, probe_dataset, probe_plan

IRIS = Iris()
EX = "https://example.org/kg/"


@pytest.fixture(scope="module")
def corpus_graph() -> Graph:
    return union_graph(corpus_dataset())


@pytest.fixture(scope="module")
def plan_graph() -> Graph:
    """The first corpus plan's facts and evidence with the ontology, as one graph."""
    keys = [IRIS.plan_key(plan) for plan in corpus_plans()[1:]]
    others = {IRIS.graph(k) for k in keys} | {IRIS.evidence_graph(k) for k in keys}
    ds = corpus_dataset()
    g = Graph()
    for s, p, o, c in ds.quads((None, None, None, None)):
        if c not in others:
            g.add((s, p, o))
    assert len(g) < len(union_graph(ds)) / 2
    return g


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def _instrument_scheme_stand_in(g: Graph) -> None:
    """Until ontology/instrument_types.ttl exists, declare the concepts the probes use."""
    if (ONTOLOGY_DIR / "instrument_types.ttl").exists():
        return
    scheme = URIRef("https://w3id.org/graph-builder/vocab/instrument-type/")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    for key in ("voucher", "subsidy"):
        c = Iris.concept("instrument-type", key)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, scheme))


@pytest.mark.slow
def test_shapes_corpus_graph_has_zero_violations(corpus_graph):
    report = validate(corpus_graph)
    assert report.conforms, "\n".join(v.format() for v in report.violations[:20])


def test_shapes_probe_graph_with_types_targets_instruments_and_places_conforms():
    g = union_graph(probe_dataset())
    _instrument_scheme_stand_in(g)
    report = validate(g)
    assert report.conforms, "\n".join(v.format() for v in report.violations)


def test_shapes_valid_example_conforms():
    g = ontology_graph().parse(ONTOLOGY_DIR / "examples" / "valid.ttl")
    assert validate(g).conforms


def test_shapes_invalid_example_fails_exactly_where_its_header_says():
    g = ontology_graph().parse(ONTOLOGY_DIR / "examples" / "invalid.ttl")
    report = validate(g)
    assert not report.conforms
    got = {(str(v.focus), str(v.path) if v.path is not None else None) for v in report.violations}
    ns = str(GBO._NS)
    assert got == {
        (EX + "measure-1", ns + "hasResponsibility"),
        (EX + "measure-1", ns + "leadAgency"),
        (EX + "target-1", ns + "value"),
        (EX + "target-1", ns + "comparator"),
        (EX + "agency-x", "http://www.w3.org/ns/org#classification"),
        (EX + "doc", None),
    }


def _first_measure(g: Graph):
    plan = corpus_plans()[0]
    return plan, IRIS.measure(IRIS.plan_key(plan), 1)


@pytest.mark.slow
def test_shapes_catch_a_measure_with_no_lead(plan_graph):
    g = _copy(plan_graph)
    _plan, m = _first_measure(g)
    for r in list(g.objects(m, GBO.hasResponsibility)):
        if g.value(r, GBO.role) == GBO.Lead:
            g.remove((r, GBO.role, GBO.Lead))
            g.add((r, GBO.role, GBO.Participant))
    g.remove((m, GBO.leadAgency, None))
    report = validate(g)
    assert not report.conforms
    assert {str(v.path) for v in report.violations if v.focus == m} == {
        str(GBO.hasResponsibility),
        str(GBO.leadAgency),
    }
    assert all(v.focus == m for v in report.violations)
    assert any("no lead" in v.message_en for v in report.violations)
    assert any("牵头单位" in v.message_zh for v in report.violations)


@pytest.mark.slow
def test_shapes_catch_a_lead_shortcut_that_disagrees_with_the_responsibilities(plan_graph):
    g = _copy(plan_graph)
    _plan, m = _first_measure(g)
    other = next(a for a in g.objects(m, GBO.responsibleAgency) if a != g.value(m, GBO.leadAgency))
    g.add((m, GBO.leadAgency, other))
    report = validate(g)
    assert [v.focus for v in report.violations] == [m]


def test_shapes_catch_a_target_with_no_value():
    plan = probe_plan()
    g = union_graph(probe_dataset(plan))
    _instrument_scheme_stand_in(g)
    target = IRIS.target(IRIS.plan_key(plan), 1)
    g.remove((target, GBO.value, None))
    report = validate(g)
    assert [(v.focus, v.path) for v in report.violations] == [(target, GBO.value)]
    assert "no value" in report.violations[0].message_en


@pytest.mark.slow
def test_shapes_catch_a_quote_that_does_not_match_its_offsets(plan_graph):
    g = _copy(plan_graph)
    quote = next(iter(g.subjects(OA.exact, None)))  # a compact span carries its quote
    exact = g.value(quote, OA.exact)
    g.set((quote, OA.exact, type(exact)(str(exact) + "多")))
    report = validate(g)
    assert not report.conforms
    assert all(
        v.path is None and (v.focus, RDF.type, GBO.PolicyDocument) in g for v in report.violations
    )
