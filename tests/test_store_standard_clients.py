"""`policykg serve` answers SPARQLWrapper, the usual Python client, with its default settings.

SPARQLWrapper sends ``format=xml`` (and ``output=xml``, ``results=xml``) with every query and
an Accept header for the query form it detects: XML means SPARQL Results XML for SELECT and
ASK, RDF/XML for CONSTRUCT and DESCRIBE. Nothing is set here but the endpoint and the query.
"""

from __future__ import annotations

import pytest
from rdflib import Graph
from SPARQLWrapper import SPARQLWrapper

from graph_builder.store.embedded import add_plans, open_store
from graph_builder.store.endpoint import negotiate

from .store_support import endpoint

GBO = "PREFIX gbo: <https://w3id.org/graph-builder/ontology#> "


@pytest.fixture(scope="module")
def url(corpus_plans):
    store = open_store(None)
    add_plans(store, corpus_plans)
    with endpoint(store) as u:
        yield u


def default_client(url: str, query: str):
    c = SPARQLWrapper(url)
    c.setQuery(query)
    return c.query()


def test_default_client_select_gets_results_xml(url):
    result = default_client(url, GBO + "SELECT (COUNT(?m) AS ?n) WHERE { ?m a gbo:Measure }")
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+xml")
    doc = result.convert()
    assert doc.getElementsByTagName("literal")[0].firstChild.data == "125"


def test_default_client_ask_gets_a_boolean(url):
    yes = default_client(url, GBO + "ASK { ?m a gbo:Measure }").convert()
    no = default_client(url, GBO + "ASK { ?m a gbo:NoSuchClass }").convert()
    assert yes.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert no.getElementsByTagName("boolean")[0].firstChild.data == "false"


def test_default_client_construct_gets_rdf_xml(url):
    q = GBO + "CONSTRUCT { ?m a gbo:Measure } WHERE { ?m a gbo:Measure }"
    result = default_client(url, q)
    assert result.response.headers["Content-Type"].startswith("application/rdf+xml")
    g = result.convert()
    assert isinstance(g, Graph) and len(g) == 125


def test_default_client_describe_gets_the_resource_as_rdf_xml(url):
    q = GBO + "DESCRIBE ?m WHERE { ?m a gbo:Measure } LIMIT 1"
    g = default_client(url, q).convert()
    assert isinstance(g, Graph)
    subjects = set(g.subjects())
    assert len(subjects) >= 1 and len(g) > 3


@pytest.mark.parametrize(
    "kind, accept, fmt, want",
    [
        ("graph", "application/rdf+xml", "xml", "application/rdf+xml"),
        ("solutions", "application/sparql-results+xml", "xml", "application/sparql-results+xml"),
        ("graph", "", "json", "application/ld+json"),
        ("graph", "text/n3,application/rdf+xml;q=0.5", None, "text/turtle"),
        ("graph", "application/sparql-results+json", None, None),
        ("solutions", "text/turtle", "nonsense", None),
    ],
)
def test_negotiation_reads_format_words_by_the_kind_of_result(kind, accept, fmt, want):
    assert negotiate(kind, accept, fmt) == want
