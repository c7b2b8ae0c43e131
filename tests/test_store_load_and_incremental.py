"""Loading into a real Oxigraph server over the Graph Store Protocol, and the embedded store."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading

import pytest

from graph_builder.query.runner import list_queries, load_graph, run_query
from graph_builder.store.embedded import document_graphs, graph_sizes, open_store

from .conftest import CORPUS, PROBES, ROOT
from .store_support import count_quads, free_port, oxigraph_server, remote_select


def policykg(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "graph_builder", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=600, env=env,
    )  # fmt: skip


@pytest.fixture(scope="module")
def loaded_server(tmp_path_factory, corpus_plans):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        first = policykg("load", str(CORPUS), "--endpoint", url + "/store", "-q")
        assert first.returncode == 0, first.stderr
        after_first = count_quads(url + "/query")
        second = policykg("load", str(CORPUS), "--endpoint", url + "/store", "-q")
        assert second.returncode == 0, second.stderr
        yield url, after_first


def local_quads(plans) -> int:
    store = open_store(None)
    from graph_builder.store.embedded import put_graph

    for iri, data in document_graphs(plans):
        put_graph(store, iri, data)
    return sum(graph_sizes(store).values())


def test_loading_twice_keeps_the_triple_count_equal_to_the_local_graph(loaded_server, corpus_plans):
    url, after_first = loaded_server
    assert after_first > 20000
    assert count_quads(url + "/query") == after_first == local_quads(corpus_plans)


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_canned_queries_answer_the_same_from_the_server_as_locally(loaded_server, query):
    url, _ = loaded_server
    local = run_query(query.text, load_graph(ROOT / "outputs" / "graph.nq"))
    remote = remote_select(url + "/query", query.text)
    assert sorted(map(repr, remote)) == sorted(map(repr, local.rows))
    assert local.rows, f"{query.name} answers nothing on the corpus"


def test_adding_a_sixth_document_changes_only_its_named_graph(tmp_path):
    store_dir = tmp_path / "store"
    r = policykg(
        "build", str(CORPUS), "--out", str(tmp_path / "out5"), "--store", str(store_dir), "-q"
    )
    assert r.returncode == 0, r.stderr
    before = graph_sizes(open_store(store_dir))
    probe = PROBES / "halfwidth_restart_standing.txt"
    r = policykg(
        "build", str(probe), "--out", str(tmp_path / "out6"), "--store", str(store_dir), "-q"
    )
    assert r.returncode == 0, r.stderr
    after = graph_sizes(open_store(store_dir))
    new = set(after) - set(before)
    assert len(new) == 2  # its facts and its evidence
    assert all(after[g] > 100 for g in new)
    assert {g: n for g, n in after.items() if g in before} == before


def test_rebuilding_a_revised_document_replaces_its_graph(tmp_path):
    store_dir = tmp_path / "store"
    doc = tmp_path / "plan.txt"

    def build_into_store(out: str) -> dict[str, int]:
        proc = policykg(
            "build", str(doc), "--out", str(tmp_path / out), "--store", str(store_dir), "-q"
        )
        assert proc.returncode == 0, proc.stderr
        return graph_sizes(open_store(store_dir))

    doc.write_text(
        (PROBES / "halfwidth_restart_standing.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    first = build_into_store("o1")
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("(二)发展托育服务", "(二)发展托育服务和家政服务"),
        encoding="utf-8",
    )
    second = build_into_store("o2")
    assert set(second) == set(first)


class _Deny(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_PUT(self):  # noqa: N802 - stdlib name
        _Deny.seen.append(self.headers.get("Authorization"))
        self.send_response(401)
        self.end_headers()
        self.wfile.write(b"authentication required\n")

    def log_message(self, *args):
        pass


def test_load_reads_credentials_from_the_environment_and_names_http_errors():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Deny)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    import os

    env = {**os.environ, "GB_STORE_USER": "alice", "GB_STORE_PASSWORD": "s3cret"}
    try:
        r = policykg(
            "load", str(PROBES / "task_table_only.txt"),
            "--endpoint", f"http://127.0.0.1:{server.server_port}/store", env=env,
        )  # fmt: skip
    finally:
        server.shutdown()
    assert r.returncode == 1
    [line] = [x for x in r.stderr.splitlines() if "GB-E301" in x]
    assert "HTTP 401" in line and "GB_STORE_USER" in line
    assert _Deny.seen and _Deny.seen[0].startswith("Basic ")
    assert "s3cret" not in r.stderr


def test_load_to_a_closed_port_is_one_clear_line():
    r = policykg(
        "load",
        str(PROBES / "task_table_only.txt"),
        "--endpoint",
        f"http://127.0.0.1:{free_port()}/store",
    )
    assert r.returncode == 1
    assert "cannot connect" in r.stderr
