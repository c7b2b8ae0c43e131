"""English labels: every agency and region of the graph has one, built from the ontology's
English labels and the gazetteer's names romanised."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SKOS

from graph_builder.graph.namespace import GBO
from graph_builder.graph.rdf import build_dataset
from graph_builder.normalize.english import agency_label_en, region_name_en, romanise
from graph_builder.vocab import agency_functions


@pytest.mark.parametrize(
    ("name", "code", "english"),
    [
        ("宁波市", "330200", "Ningbo City"),
        ("山西省", "140000", "Shanxi Province"),
        ("陕西省", "610000", "Shaanxi Province"),  # established name, from the ontology
        ("西安市", "610100", "Xi'an City"),  # syllable boundary marked
        ("海曙区", "330203", "Haishu District"),
        ("新疆维吾尔自治区", "650000", "Xinjiang Uygur Autonomous Region"),  # longest kind first
        ("吕梁市", "141100", "Lüliang City"),
    ],
)
def test_region_names_are_romanised_with_their_kind(name, code, english):
    assert region_name_en(name, code) == english


def test_romanise_capitalises_one_word():
    assert romanise("三门峡") == "Sanmenxia"


def test_agency_label_is_function_and_region():
    label = agency_functions()["commerce"].label_en
    assert agency_label_en("commerce", "Ningbo City") == f"{label} (Ningbo City)"
    assert agency_label_en("commerce", None) == label
    assert agency_label_en("no-such-function", "Ningbo City") is None


def test_every_agency_and_region_of_the_graph_has_an_english_label(corpus_plans):
    ds = build_dataset(corpus_plans)
    g = ds  # quads of every named graph
    agencies = set(g.subjects(RDF.type, GBO.Agency))
    regions = set(g.subjects(RDF.type, GBO.Region))
    assert agencies and regions

    def english(node, prop):
        return [o for o in g.objects(node, prop) if isinstance(o, Literal) and o.language == "en"]

    assert [a for a in agencies if len(english(a, RDFS.label)) != 1] == []
    assert [r for r in regions if len(english(r, SKOS.prefLabel)) != 1] == []
    # an agency's preferred label stays its one Chinese name
    assert all(
        [o.language for o in g.objects(a, SKOS.prefLabel)] == ["zh"] for a in agencies
    )
