"""Loading into a real Oxigraph server over the Graph Store Protocol, and the embedded store."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time

import pytest

from graph_builder.query.runner import list_queries, run_query
from graph_builder.store.embedded import document_graphs, graph_sizes, open_store

from .conftest import CORPUS, PROBES, ROOT
from .store_support import (
    count_quads,
    free_port,
    oxigraph_server,
    raw_server,
    read_head,
    remote_select,
)


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


@pytest.mark.slow
def test_loading_twice_keeps_the_triple_count_equal_to_the_local_graph(loaded_server, corpus_plans):
    url, after_first = loaded_server
    assert after_first > 20000
    assert count_quads(url + "/query") == after_first == local_quads(corpus_plans)


@pytest.fixture(scope="module")
def local_store(corpus_plans):
    """The same plans as the server holds, in a local store (not the committed outputs, which
    lag the code until they are regenerated)."""
    from graph_builder.store.embedded import put_graph

    store = open_store(None)
    for iri, data in document_graphs(corpus_plans):
        put_graph(store, iri, data)
    return store


@pytest.mark.slow
@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_canned_queries_answer_the_same_from_the_server_as_locally(
    loaded_server, local_store, query
):
    url, _ = loaded_server
    local = run_query(query.text, local_store)
    remote = remote_select(url + "/query", query.text)
    assert sorted(map(repr, remote)) == sorted(map(repr, local.rows))
    assert local.rows, f"{query.name} answers nothing on the corpus"


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_load_to_a_closed_port_is_one_clear_line():
    r = policykg(
        "load",
        str(PROBES / "task_table_only.txt"),
        "--endpoint",
        f"http://127.0.0.1:{free_port()}/store",
    )
    assert r.returncode == 1
    assert "cannot connect" in r.stderr


# -- every way the network can fail is one line with a code, within the deadline ----------


def _drop(conn):
    read_head(conn)  # then close without a word


def _garbage(conn):
    read_head(conn)
    conn.sendall(b"garbage \x1b[2J not http\r\n\r\n")


def _short(conn):
    read_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")


def _error(conn):
    read_head(conn)
    conn.sendall(b"HTTP/1.1 500 Oops\r\nContent-Length: 14\r\n\r\n\x1b[31mboom\nmore")


def _trickle(conn):
    read_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(300):  # a header byte every 0.1 s: never a complete answer
        conn.sendall(b"X")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def tiny_dataset(tmp_path_factory):
    path = tmp_path_factory.mktemp("load") / "tiny.nq"
    path.write_text("<urn:s> <urn:p> <urn:o> <urn:g> .\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "behaviour, code",
    [(None, "GB-E060"), (_drop, "GB-E061"), (_garbage, "GB-E062"), (_short, "GB-E063"),
     (_error, "GB-E301"), (_trickle, "GB-E064")],
    ids=["refused", "dropped", "bad-status-line", "short-body", "http-error", "trickle"],
)  # fmt: skip
def test_every_load_failure_is_one_line_with_a_code_and_no_password(tiny_dataset, behaviour, code):
    def load(port: int):
        url = f"http://alice:s3cret@127.0.0.1:{port}/store"
        started = time.monotonic()
        r = policykg("load", str(tiny_dataset), "--endpoint", url, "--timeout", "1")
        return r, time.monotonic() - started

    if behaviour is None:
        r, took = load(free_port())
    else:
        with raw_server(behaviour) as port:
            r, took = load(port)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"load: error {code}: PUT http://127.0.0.1:")
    assert "Traceback" not in r.stderr and "s3cret" not in r.stderr + r.stdout
    assert "alice" not in r.stderr and "\x1b" not in r.stderr
    assert took < 20  # the 1 s deadline holds although the trickle would last 30 s


def test_load_sends_credentials_from_the_url_but_never_prints_them(tiny_dataset):
    seen = []

    def accept(conn):
        seen.append(read_head(conn))
        conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")

    with raw_server(accept) as port:
        r = policykg(
            "load", str(tiny_dataset), "--endpoint", f"http://alice:s3cret@127.0.0.1:{port}/store"
        )
    assert r.returncode == 0, r.stderr
    assert b"Authorization: Basic YWxpY2U6czNjcmV0" in seen[0]  # base64("alice:s3cret")
    assert "s3cret" not in r.stdout + r.stderr and f"127.0.0.1:{port}/store" in r.stdout
