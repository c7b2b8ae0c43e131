"""The SKOS vocabularies keep SKOS's integrity rules, negative cues are no labels, and the
JSON-LD context names only the prefixes the file uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from graph_builder.export.rdf_export import render
from graph_builder.graph.rdf import build_dataset
from graph_builder.vocab import ONTOLOGY_DIR, load_scheme

SCHEMES = sorted(
    p.name for p in Path(ONTOLOGY_DIR).glob("*.ttl") if "skos:ConceptScheme" in p.read_text("utf-8")
)

# SKOS integrity rule S13: prefLabel, altLabel and hiddenLabel are pairwise disjoint.
S13 = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?label WHERE {
  { ?concept skos:prefLabel ?label . ?concept skos:hiddenLabel ?label . }
  UNION { ?concept skos:prefLabel ?label . ?concept skos:altLabel ?label . }
  UNION { ?concept skos:altLabel ?label . ?concept skos:hiddenLabel ?label . }
}
"""


def _s13(g: Graph) -> list[tuple[str, str]]:
    return sorted((str(c), str(lab)) for c, lab in g.query(S13))


def test_the_s13_query_finds_a_label_given_twice():
    g = Graph().parse(
        data="""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <urn:c> a skos:Concept ; skos:prefLabel "商务"@zh ; skos:hiddenLabel "商务"@zh , "商业局"@zh .""",
        format="turtle",
    )
    assert _s13(g) == [("urn:c", "商务")]


@pytest.mark.parametrize("name", SCHEMES)
def test_every_scheme_passes_skos_s13(name):
    assert len(SCHEMES) >= 9
    g = Graph().parse(Path(ONTOLOGY_DIR) / name, format="turtle")
    assert _s13(g) == []


def test_a_preferred_label_marked_as_cue_is_still_matched():
    af = load_scheme("agency_functions.ttl")
    assert "商务" in af["commerce"].cues and "商业局" in af["commerce"].cues
    assert "财政" in af["finance"].cues  # its only cue is its preferred label


def test_negative_cues_are_their_own_property_and_still_read():
    g = Graph().parse(Path(ONTOLOGY_DIR) / "graph_builder.ttl", format="turtle")
    assert not g.query(
        """PREFIX gbo: <https://w3id.org/graph-builder/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        ASK { gbo:negativeCue rdfs:subPropertyOf+ ?p }"""
    ).askAnswer
    it = load_scheme("instrument_types.ttl")
    blocked = [c for c in it if c.negative_cues]
    assert blocked
    for c in blocked:
        assert not set(c.negative_cues) & set(c.cues)


def test_jsonld_context_has_only_the_prefixes_used(corpus_plans):
    text = render(build_dataset(corpus_plans[:1]), ["json-ld"])["json-ld"]
    doc = json.loads(text)
    body = json.dumps(doc["@graph"], ensure_ascii=False)
    unused = [p for p in doc["@context"] if f'"{p}:' not in body]
    assert unused == []
    assert {"gbo", "rdf", "skos"} <= set(doc["@context"])
