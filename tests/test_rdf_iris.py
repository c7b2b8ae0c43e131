"""IRIs: one minting module, deterministic, valid, configurable base, one node per agency."""

from __future__ import annotations

import dataclasses
import re

import pytest
from rdflib import URIRef

from graph_builder.graph.identity import agency_identity
from graph_builder.graph.iris import DEFAULT_BASE, Iris
from graph_builder.graph.namespace import GBO, RDF, SKOS

from .graph_support import corpus_dataset, corpus_plans, probe_dataset, probe_plan

# Characters RFC 3987 forbids in an IRI, and a Turtle PN_LOCAL without escapes.
_BAD_IRI = re.compile(r'[\s<>"{}|\\^`]')
_PN_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_\-]$|^[A-Za-z0-9_]$")


def _iris(ds):
    for s, p, o, _g in ds.quads((None, None, None, None)):
        for t in (s, p, o):
            if isinstance(t, URIRef):
                yield str(t)


def test_iris_of_corpus_are_valid_and_local_names_are_turtle_prefixed_names():
    iris = Iris()
    namespaces = sorted(iris.prefixes().values(), key=len, reverse=True)
    seen = 0
    for iri in set(_iris(corpus_dataset())):
        assert not _BAD_IRI.search(iri), iri
        if iri.startswith(DEFAULT_BASE):
            ns = next(n for n in namespaces if iri.startswith(n))
            assert _PN_LOCAL.match(iri[len(ns) :]), iri
            seen += 1
    assert seen > 1000


def test_iris_hash_document_text_so_odd_unit_names_give_valid_iris():
    plan = probe_plan()
    plan.agencies["k-commerce"].name = '市商务局 <旧称> {"x"}'
    for m in plan.iter_mentions():
        if m.agency_key == "k-commerce":
            m.name = plan.agencies["k-commerce"].name
    ds = probe_dataset(plan, with_ontology=False)
    agencies = set(ds.subjects(RDF.type, GBO.Agency))
    assert agencies
    for a in agencies:
        assert not _BAD_IRI.search(str(a)), a


def test_iris_base_is_configurable_by_argument_and_environment(monkeypatch):
    assert str(Iris("https://example.org/kg/").region("430200")) == (
        "https://example.org/kg/region/430200"
    )
    monkeypatch.setenv("GB_IRI_BASE", "https://example.org/env/")
    from graph_builder.graph.rdf import build_dataset

    ds = build_dataset([probe_plan()], with_ontology=False)
    subjects = {str(s) for s in ds.subjects(RDF.type, GBO.Measure)}
    assert subjects and all(s.startswith("https://example.org/env/measure/") for s in subjects)


@pytest.mark.parametrize(
    "base", ["relative/", "https://example.org/no-slash", "https://ex ample.org/"]
)
def test_iris_reject_a_base_that_would_mint_invalid_iris(base):
    with pytest.raises(ValueError):
        Iris(base)


def test_iris_are_content_addressed_and_repeatable():
    a, b = Iris(), Iris()
    plan = probe_plan()
    key = a.plan_key(plan)
    assert re.fullmatch(r"[0-9a-f]{16}", key) and key == b.plan_key(plan)
    assert a.measure(key, 3) == b.measure(key, 3)
    assert a.span(key, 5, 9) != a.span(key, 5, 10)
    assert str(Iris.concept("measure-type", "trade_in")).endswith("/vocab/measure-type/trade_in")


def test_iris_one_node_per_agency_of_a_region_however_many_measures_name_it():
    ds = corpus_dataset()
    for plan in corpus_plans():
        identities = {agency_identity(a.name, plan) for a in plan.agencies.values()}
        graph = ds.graph(Iris().plan_graph(plan))
        nodes = set(graph.subjects(RDF.type, GBO.Agency))
        issuer = 1 if plan.meta.issuer else 0
        assert len(identities) <= len(nodes) <= len(identities) + issuer, plan.source
        # Every agency node has exactly one preferred label: no two names merged into it.
        for n in nodes:
            assert len(list(graph.objects(n, SKOS.prefLabel))) == 1


def test_iris_same_unit_named_differently_in_two_documents_of_a_region_is_one_node():
    first = probe_plan()
    text = "株洲市促消费若干措施\n（一）促消费。（株洲市商务局负责）\n"
    from graph_builder.model import Agency, Measure, Plan, PlanMeta, Span

    from .graph_support import find, mention

    second = Plan(
        doc_id="second",
        source="probe/second.txt",
        text=text,
        sha256="f" * 64,
        encoding="utf-8",
        meta=PlanMeta(region="株洲市", adcode="430200", region_level="city"),
    )
    m = find(text, "（一）促消费。（株洲市商务局负责）")
    second.measures = [
        Measure(
            0, None, "(一)", find(text, "（一）"), "促消费", find(text, "促消费"),
            Span(m.start, m.end, m.text),
            responsibilities=[mention(text, "株洲市商务局", "lead", 0, key="k")],
        )
    ]  # fmt: skip
    second.agencies = {
        "k": Agency("k", "株洲市商务局", ["株洲市商务局"], "commerce", "商务", "Commerce")
    }
    ds = probe_dataset(first, second, with_ontology=False)
    leads = {
        o
        for s, o in ds.subject_objects(GBO.leadAgency)
        if "商务" in str(ds.value(o, SKOS.prefLabel))
    }
    assert len(leads) == 1
    (node,) = leads
    assert str(ds.value(node, SKOS.prefLabel)) == "株洲市商务局"
    assert {str(x) for x in ds.objects(node, SKOS.altLabel)} == {"市商务局"}


def test_iris_agencies_of_unknown_region_are_scoped_to_their_document():
    a, b = probe_plan(), probe_plan(source="probe/other.txt")
    for p in (a, b):
        p.meta.adcode = None
    b.text = b.text + "另"
    b.sha256 = "0" * 64
    iris = Iris()
    ia = agency_identity("市商务局", a)
    ib = agency_identity("市商务局", b)
    assert ia.adcode is None and ib.adcode is None
    assert iris.agency(ia.qualified_name, None, iris.plan_key(a)) != iris.agency(
        ib.qualified_name, None, iris.plan_key(b)
    )


def test_iris_named_graph_of_a_document_survives_a_revision_of_its_text():
    plan = corpus_plans()[0]
    revised = dataclasses.replace(plan, sha256="f" * 64, text=plan.text + "\n补充一条。")
    assert Iris().plan_graph(revised) == Iris().plan_graph(plan)
    assert Iris().plan_document(revised) == Iris().plan_document(plan)


def test_iris_of_a_document_never_come_from_its_file_name():
    plan = corpus_plans()[0]
    moved = dataclasses.replace(plan, doc_id="index", source="elsewhere/index.html")
    assert Iris().plan_graph(moved) == Iris().plan_graph(plan)
    other = corpus_plans()[1]
    renamed = dataclasses.replace(other, doc_id=plan.doc_id, source=plan.source)
    assert Iris().plan_graph(renamed) != Iris().plan_graph(plan)


def test_iris_of_a_plan_without_region_or_title_come_from_its_normalised_text():
    plan = probe_plan()
    plan.meta.adcode = None
    spaced = dataclasses.replace(plan, text=plan.text.replace("\n", "\r\n") + "\u3000")
    assert Iris().plan_key(spaced) == Iris().plan_key(plan)
    changed = dataclasses.replace(plan, text=plan.text + "另")
    assert Iris().plan_key(changed) != Iris().plan_key(plan)
