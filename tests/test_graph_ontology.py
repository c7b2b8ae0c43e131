"""The ontology: closed namespace in sync with the OWL file, labels zh/en, schemes, header."""

from __future__ import annotations

import csv

import pytest
from rdflib import Graph, URIRef

from graph_builder.graph.iris import SCHEMES, Iris
from graph_builder.graph.namespace import DCTERMS, GBO, OWL, RDF, RDFS, SKOS
from graph_builder.graph.rdf import ontology_files
from graph_builder.vocab import ONTOLOGY_DIR, load_scheme

from .graph_support import TAXONOMY, corpus_dataset

NS = str(GBO._NS)


@pytest.fixture(scope="module")
def core() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_DIR / "graph_builder.ttl", format="turtle")
    return g


def _declared(g: Graph) -> set[str]:
    return {str(s)[len(NS) :] for s in g.subjects(RDF.type, None) if str(s).startswith(NS)}


def test_ontology_closed_namespace_raises_on_a_misspelled_term():
    assert GBO.leadAgency == URIRef(NS + "leadAgency")
    with pytest.raises(AttributeError):
        GBO.leadAgencey  # noqa: B018


def test_ontology_namespace_class_lists_exactly_the_terms_the_owl_file_declares(core):
    in_python = set(GBO.__annotations__)
    assert in_python == _declared(core)


def test_ontology_every_gbo_term_used_in_vocabularies_and_corpus_graph_is_declared(core):
    declared = _declared(core)
    used = set()
    for path in ontology_files():
        g = Graph().parse(path, format="turtle")
        used |= {str(t)[len(NS) :] for triple in g for t in triple if str(t).startswith(NS)}
    for s, p, o, _c in corpus_dataset().quads((None, None, None, None)):
        used |= {str(t)[len(NS) :] for t in (s, p, o) if str(t).startswith(NS)}
    used.discard("")
    assert used <= declared, used - declared


def test_ontology_every_term_has_chinese_and_english_label_and_definition(core):
    for local in sorted(_declared(core)):
        term = URIRef(NS + local)
        labels = {lit.language for lit in core.objects(term, RDFS.label)}
        defs = {lit.language for lit in core.objects(term, SKOS.definition)}
        assert {"zh", "en"} <= labels, local
        assert {"zh", "en"} <= defs, local


def test_ontology_header_has_title_version_and_modified(core):
    onto = URIRef("https://w3id.org/graph-builder/ontology")
    assert (onto, RDF.type, OWL.Ontology) in core
    assert {lit.language for lit in core.objects(onto, DCTERMS.title)} == {"zh", "en"}
    assert core.value(onto, OWL.versionInfo) is not None
    assert core.value(onto, DCTERMS.modified) is not None


def test_ontology_reuses_org_prov_and_oa_for_agencies_items_and_evidence(core):
    org, prov = "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#"
    assert (GBO.Agency, RDFS.subClassOf, URIRef(org + "FormalOrganization")) in core
    assert (GBO.ExtractedItem, RDFS.subClassOf, URIRef(prov + "Entity")) in core
    assert (GBO.evidence, RDFS.subPropertyOf, URIRef(prov + "wasDerivedFrom")) in core
    assert core.value(GBO.evidence, RDFS.range) == URIRef(
        "http://www.w3.org/ns/oa#SpecificResource"
    )


def test_ontology_scheme_iris_minted_by_code_match_the_scheme_files():
    for scheme, filename in SCHEMES.items():
        if not (ONTOLOGY_DIR / filename).exists():
            continue  # instrument_types.ttl arrives with the instrument-type work
        s = load_scheme(filename)
        for key, concept in s.concepts.items():
            assert str(Iris.concept(scheme, key)) == concept.iri


def test_ontology_measure_types_hold_every_taxonomy_row_with_broader_area():
    scheme = load_scheme("measure_types.ttl")
    with TAXONOMY.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == len(scheme.concepts)
    for row in rows:
        c = scheme[row["key"]]
        assert (c.label_zh, c.label_en) == (row["label_zh"], row["label_en"])
        assert c.broader == (None if row["broader"] == "-" else row["broader"])
        if row["national_item"] != "-":
            assert c.notation == row["national_item"]
