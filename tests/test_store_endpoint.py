"""`policykg serve`: a SPARQL 1.1 Protocol endpoint, queried with a real client (SPARQLWrapper)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper

from graph_builder.store.embedded import add_plans, open_store

from .conftest import ROOT
from .store_support import endpoint, free_port, wait_for

COUNT_MEASURES = (
    "PREFIX gbo: <https://w3id.org/graph-builder/ontology#> "
    "SELECT (COUNT(?m) AS ?n) WHERE { ?m a gbo:Measure }"
)


@pytest.fixture(scope="module")
def store(corpus_plans):
    s = open_store(None)
    add_plans(s, corpus_plans)
    return s


@pytest.fixture(scope="module")
def url(store):
    with endpoint(store) as u:
        yield u


def client(url, fmt, query=COUNT_MEASURES):
    c = SPARQLWrapper(url)
    c.setQuery(query)
    c.setReturnFormat(fmt)
    return c.query()


def test_select_as_json_counts_every_measure(url):
    data = client(url, JSON).convert()
    assert int(data["results"]["bindings"][0]["n"]["value"]) == 125


def test_select_as_xml(url):
    doc = client(url, XML).convert()
    assert doc.getElementsByTagName("literal")[0].firstChild.data == "125"


@pytest.mark.parametrize("fmt, sep", [(CSV, ","), (TSV, "\t")])
def test_select_as_csv_and_tsv(url, fmt, sep):
    text = client(url, fmt).convert().decode("utf-8").splitlines()
    assert text[0].lstrip("?") == "n"
    assert text[1].strip('"').split("^^")[0].strip('"') == "125"


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD])
def test_construct_as_turtle_and_json_ld(url, fmt):
    q = (
        "PREFIX gbo: <https://w3id.org/graph-builder/ontology#> "
        "CONSTRUCT { ?m a gbo:Measure } WHERE { ?m a gbo:Measure }"
    )
    g = client(url, fmt, q).convert()
    from rdflib import Graph

    if not isinstance(g, Graph):
        g = Graph().parse(data=g, format="json-ld" if fmt == JSONLD else "turtle")
    assert len(g) == 125


def test_post_query_and_ask(url):
    c = SPARQLWrapper(url)
    c.setMethod("POST")
    c.setQuery("ASK { ?s ?p ?o }")
    c.setReturnFormat(JSON)
    assert c.query().convert()["boolean"] is True


def test_update_is_refused_by_default(url, store):
    before = len(store)
    c = SPARQLWrapper(url)
    c.setMethod("POST")
    c.setQuery("INSERT DATA { <urn:x> <urn:y> <urn:z> }")
    with pytest.raises(Exception) as e:
        c.query()
    assert "403" in str(e.value) or "Forbidden" in str(e.value)
    assert len(store) == before


def test_bad_query_is_a_400_with_the_reason(url):
    req = urllib.request.Request(url + "?query=SELEC%20*", headers={"Accept": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.code == 400
    assert "syntax" in e.value.read().decode()


def test_query_page_is_self_contained(url):
    base = url.rsplit("/", 1)[0]
    page = urllib.request.urlopen(base + "/").read().decode()
    # YASGUI from the package, loaded from this server by relative paths
    assert '<script src="yasgui/yasgui.min.js">' in page and 'href="yasgui/yasgui.min.css"' in page
    for path in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css", "yasgui/LICENSE"):
        with urllib.request.urlopen(f"{base}/{path}") as resp:
            assert resp.status == 200 and len(resp.read()) > 1000
    assert "src=\"http" not in page and "href=\"http" not in page


@pytest.mark.slow
def test_serve_command_serves_the_built_graph_file(tmp_path):
    nq = ROOT / "outputs" / "graph.nq"
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "graph_builder", "serve", str(nq), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        data = client(f"http://127.0.0.1:{port}/sparql", JSON).convert()
        assert int(data["results"]["bindings"][0]["n"]["value"]) == 125
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_serve_names_a_missing_graph_file():
    r = subprocess.run(
        [sys.executable, "-m", "graph_builder", "serve", "missing.nq", "--port", "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert r.returncode == 1
    assert r.stderr.startswith("missing.nq: error GB-E004")
    json.dumps(r.stderr)
