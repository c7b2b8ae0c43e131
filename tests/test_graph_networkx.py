"""The NetworkX view: typed nodes, labelled edges, the RDF's content, a GraphML round trip."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import networkx
import pytest

from graph_builder.export.graphml import read_graphml, write_graphml
from graph_builder.export.rdf_export import union_graph
from graph_builder.graph.namespace import GBO, RDF
from graph_builder.graph.nx import to_networkx

from .graph_support import corpus_dataset, corpus_plans, probe_dataset


@pytest.fixture(scope="module")
def G() -> networkx.MultiDiGraph:
    return to_networkx(corpus_dataset())


def _edges(G):
    return Counter(
        (u, v, tuple(sorted((k, x) for k, x in d.items() if k != "id")))
        for u, v, d in G.edges(data=True)
    )


@pytest.mark.slow
def test_networkx_nodes_are_typed_and_labelled(G):
    types = Counter(d["type"] for _n, d in G.nodes(data=True))
    assert types["PolicyDocument"] == len(corpus_plans())
    assert types["Measure"] == sum(len(p.measures) for p in corpus_plans())
    assert types["Agency"] > 0 and types["Region"] > 0 and types["AgencyFunction"] > 0
    assert all(d.get("label") for _n, d in G.nodes(data=True))


@pytest.mark.slow
def test_networkx_edges_are_labelled_and_leads_match_the_rdf(G):
    assert all(d.get("label") for _u, _v, d in G.edges(data=True))
    lead_edges = {(u, v) for u, v, d in G.edges(data=True) if d["label"] == "lead"}
    g = union_graph(corpus_dataset())
    rdf_leads = {
        (str(s), str(o))
        for s, o in g.subject_objects(GBO.leadAgency)
        if (s, RDF.type, GBO.Measure) in g or (s, RDF.type, GBO.PlannedPolicy) in g
    }
    assert lead_edges == rdf_leads
    assert len(lead_edges) == sum(len(m.leads) for p in corpus_plans() for m in p.measures) + sum(
        1
        for p in corpus_plans()
        for pp in p.planned_policies
        if any(a.role == "lead" for a in pp.agencies)
    )


def test_networkx_responsibility_edges_carry_position_and_quote(G):
    plan = corpus_plans()[0]
    m = plan.measures[0]
    from graph_builder.graph.iris import Iris

    node = str(Iris().measure(Iris().plan_key(plan), 1))
    out = sorted(
        (d["position"], d["label"], d["quote"])
        for _u, _v, d in G.out_edges(node, data=True)
        if d["label"] in ("lead", "participant")
    )
    assert out == sorted(
        (r.position, "lead" if r.role == "lead" else "participant", r.span.text)
        for r in m.responsibilities
    )


def test_networkx_folds_types_tags_targets_and_places_of_probe_plans():
    H = to_networkx(probe_dataset())
    labels = Counter(d["label"] for _u, _v, d in H.edges(data=True))
    for label in ("measureType", "alsoMeasureType", "usesInstrumentType", "hasTarget",
                  "hasInstrument", "instrumentType", "mentionsPlace", "broader"):  # fmt: skip
        assert labels[label] > 0, label
    types = Counter(d["type"] for _n, d in H.nodes(data=True))
    assert types["Target"] == 2 and types["PricedInstrument"] == 4
    # two instrument types on the probe plans, plus the NATO class above them
    assert types["MeasureType"] >= 2 and types["InstrumentType"] == 3
    target = next(d for _n, d in H.nodes(data=True) if d["type"] == "Target" and d["unit"] == "%")
    assert isinstance(target["value"], float) and target["year"] == 2025


def test_networkx_graphml_round_trip_keeps_nodes_attributes_and_edges(G, tmp_path):
    path = write_graphml(G, tmp_path / "g.graphml")
    back = read_graphml(path)
    assert dict(back.nodes(data=True)) == dict(G.nodes(data=True))
    assert _edges(back) == _edges(G)


def test_networkx_graphml_has_unique_edge_and_key_ids_for_gephi(G, tmp_path):
    path = write_graphml(G, tmp_path / "g.graphml")
    root = ET.parse(path).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    edge_ids = [e.get("id") for e in root.iterfind(".//g:edge", ns)]
    key_ids = [k.get("id") for k in root.iterfind("g:key", ns)]
    assert len(edge_ids) == G.number_of_edges() == len(set(edge_ids))
    assert len(key_ids) == len(set(key_ids))
    assert {k.get("attr.name") for k in root.iterfind("g:key", ns)} >= {"label", "type"}


@pytest.mark.slow
def test_networkx_graphml_is_byte_identical_when_written_twice(G, tmp_path):
    a = write_graphml(to_networkx(corpus_dataset()), tmp_path / "a.graphml")
    b = write_graphml(G, tmp_path / "b.graphml")
    assert a.read_bytes() == b.read_bytes()
