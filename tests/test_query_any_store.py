"""`policykg query --endpoint` on a real Oxigraph server whose default graph is empty.

The seed corpus is built to N-Quads, pushed with `policykg load` over the Graph Store
Protocol into a fresh `oxigraph serve` (from PyPI), and every canned query is asked of the
server's /query endpoint with no union-default-graph option: the rows must equal the answers
from the same file read locally. The same holds for the on-disk store of `--store`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graph_builder.cli import EXIT_OK, main
from graph_builder.query.runner import list_queries

from .conftest import CORPUS, ROOT
from .store_support import oxigraph_server

QUERIES = [q.name for q in list_queries()]


def policykg(*args):
    return subprocess.run(
        [sys.executable, "-m", "graph_builder", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    r = policykg("build", str(CORPUS), "--out", str(out), "--formats", "nq", "-q")
    assert r.returncode == 0, r.stderr
    return out / "graph.nq"


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        r = policykg("load", str(built), "--endpoint", url + "/store", "-q")
        assert r.returncode == 0, r.stderr
        yield url


def answer(capsys, *args) -> list[dict]:
    assert main(["query", *args, "--format", "json"]) == EXIT_OK
    return json.loads(capsys.readouterr().out)


def _key(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)


@pytest.mark.slow
@pytest.mark.parametrize("name", QUERIES)
def test_canned_query_on_the_server_equals_the_local_answer(name, built, server, capsys):
    local = answer(capsys, name, str(built))
    remote = answer(capsys, name, "--endpoint", server + "/query")
    assert local, f"{name} answers nothing on the corpus"
    assert _key(remote) == _key(local)


@pytest.mark.slow
def test_server_default_graph_is_really_empty(server, capsys):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert answer(capsys, "-q", q, "--endpoint", server + "/query") == [{"n": 0}]


@pytest.mark.slow
def test_ask_construct_and_describe_on_the_server(server, capsys):
    url = server + "/query"
    gbo = "PREFIX gbo: <https://w3id.org/graph-builder/ontology#> "
    assert main(["query", "-q", gbo + "ASK { GRAPH ?g { ?m a gbo:Measure } }",
                 "--endpoint", url]) == EXIT_OK  # fmt: skip
    assert capsys.readouterr().out == "true\n"
    q = gbo + "CONSTRUCT { ?m a gbo:Measure } WHERE { GRAPH ?g { ?m a gbo:Measure } }"
    assert main(["query", "-q", q, "--endpoint", url, "--format", "nt"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 125 and all(line.endswith(" .") for line in lines)
    # DESCRIBE reads the default graph, which this server keeps empty: said, not an error
    q = gbo + "DESCRIBE ?m WHERE { GRAPH ?g { ?m a gbo:Measure } } LIMIT 1"
    assert main(["query", "-q", q, "--endpoint", url]) == EXIT_OK
    out = capsys.readouterr()
    assert out.out == "" and "GB-W181" in out.err


@pytest.mark.slow
def test_where_matches_what_is_typed_on_the_server(server, capsys):
    rows = answer(capsys, "targets_2025", "--where", "region=宁波", "--endpoint", server + "/query")
    assert rows and {r["region"] for r in rows} == {"宁波市"}


@pytest.mark.slow
def test_query_an_on_disk_store(built, tmp_path, capsys):
    from graph_builder.store.embedded import load_dataset_file, open_store

    store = open_store(tmp_path / "kg")
    load_dataset_file(store, built)
    store.flush()
    del store
    local = answer(capsys, "lead_agencies", str(built))
    assert _key(answer(capsys, "lead_agencies", "--store", str(tmp_path / "kg"))) == _key(local)


def test_unreachable_endpoint_is_one_line_with_its_code(capsys):
    assert main(["query", "lead_agencies", "--endpoint", "http://127.0.0.1:9/query"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "GB-E080" in err and "127.0.0.1:9" in err
