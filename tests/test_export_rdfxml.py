"""``--formats rdfxml``: graph.rdf holds the union of the graphs as RDF/XML that RDF parsers read
back whole, and text XML cannot hold is written so that the file stays well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph_builder.export.corpus import Corpus, write_corpus
from graph_builder.export.rdf_export import union_graph
from graph_builder.export.rdfxml import rdfxml

from .graph_support import corpus_dataset


def test_graph_rdf_parses_back_to_the_union_of_the_dataset(tmp_path):
    corpus = Corpus()
    corpus.dataset = corpus_dataset()
    [path] = write_corpus(corpus, tmp_path, ["rdfxml"])
    assert path.name == "graph.rdf"
    back = Graph().parse(path, format="application/rdf+xml")
    assert isomorphic(back, union_graph(corpus.dataset))
    assert len(list(ox.parse(path=str(path), format=ox.RdfFormat.RDF_XML))) == len(back)
    root = path.read_text("utf-8").split(">", 2)[1]  # the rdf:RDF tag, with the prefixes
    assert 'xmlns:gbo="https://w3id.org/graph-builder/ontology#"' in root


def test_text_xml_cannot_hold_is_replaced_and_a_carriage_return_survives():
    ds = Dataset()
    g = ds.graph(URIRef("https://example.org/g"))
    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    g.add((s, p, Literal("a\rb & <c> \"d\" \u202ee\x07\x1bf\t", lang="zh")))
    data = rdfxml(ds)
    ET.fromstring(data)  # well-formed XML
    [o] = Graph().parse(data=data, format="application/rdf+xml").objects()
    assert str(o) == "a\rb & <c> \"d\" \u202ee\ufffd\ufffdf\t" and o.language == "zh"


def test_the_same_dataset_gives_the_same_bytes():
    assert rdfxml(corpus_dataset()) == rdfxml(corpus_dataset())
