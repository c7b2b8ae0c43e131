"""The endpoint under attack (issue 13): every probe on loopback, with short limits.

Each test sends what an attacker or a careless client would and checks both the answer and
that the server (and its engine) is still there, and that nothing it must not do was done.
"""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from graph_builder.store.embedded import add_plans, open_store
from graph_builder.store.query_guard import Limits

from .conftest import ROOT
from .store_support import endpoint, endpoint_app, free_port, raw_server, read_head, wait_for

pytestmark = pytest.mark.slow  # time limits, worker processes and concurrent clients: seconds of waiting by design

ASK = "ASK { ?s ?p ?o }"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SORTED_CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
DEEP = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"


@pytest.fixture(scope="module")
def store(corpus_plans):
    s = open_store(None)
    add_plans(s, corpus_plans)
    return s


@pytest.fixture(scope="module")
def url(store):
    with endpoint(store, limits=Limits(timeout=5)) as u:
        yield u


def call(url, query=None, *, method="GET", data=None, headers=None, timeout=30):
    """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
    if query is not None and method == "GET":
        url += "?" + urllib.parse.urlencode({"query": query})
    elif query is not None:
        data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8", "replace")


class _Target(http.server.BaseHTTPRequestHandler):
    """A local service a SERVICE query would reach; records every request it gets."""

    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - stdlib name
        _Target.seen.append(self.path)
        body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815 - stdlib name

    def log_message(self, *args):
        pass


@pytest.fixture
def target():
    _Target.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Target)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def service_variants(host: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <http://{host}/secret> {{ ?s ?p ?o }} }}",
        f"select * where {{ ?x ?y ?z .service silent <http://{host}/secret>{{?s ?p ?o}} }}",
        f"PREFIX t: <http://{host}/> SELECT * {{ SERVICE t:secret {{ ?s ?p ?o }} }}",
        f"SELECT * {{ # a comment <}}\n SERVICE <http://{host}/secret> {{ ?s ?p ?o }} }}",
        f"BASE <http://{host}/> SELECT * {{ SERVICE <secret> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\u0053ERVICE <http://{host}/secret> {{ ?s ?p ?o }} }}",
        # "<1+'>" reads as an IRI to a naive scan, whose string then hides the SERVICE
        f"SELECT * {{ FILTER(?a<1+'>') SERVICE <http://{host}/s> {{ ?s ?p ?o }} FILTER('x'='x') }}",
    ]


def test_service_is_refused_and_the_target_sees_no_request(url, target):
    for query in service_variants(target):
        for method in ("GET", "POST"):
            status, _, body = call(url, query, method=method)
            assert status == 400 and "GB-E065" in body, (query, status, body)
    time.sleep(0.2)
    assert _Target.seen == []
    assert call(url, ASK)[0] == 200


def test_service_inside_strings_iris_and_comments_is_not_a_service(url):
    query = 'SELECT * { ?s ?p "SERVICE <http://x/>" # SERVICE <http://y/>\n } LIMIT 1'
    assert call(url, query)[0] == 200


def test_query_workers_cannot_open_a_socket_even_if_the_guard_is_fooled(tmp_path, target):
    import json

    import pyoxigraph as ox

    ox.Store(str(tmp_path / "s")).flush()
    query = f"SELECT * {{ SERVICE <http://{target}/x> {{ ?s ?p ?o }} }}"
    answers = {}
    for flags in ([], ["--no-network"]):
        worker = subprocess.Popen(
            [sys.executable, "-m", "graph_builder.store.query_worker", str(tmp_path / "s"), *flags],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        try:
            assert worker.stdout.readline() == b"ready\n"
            worker.stdin.write(json.dumps({"op": "query", "text": query}).encode() + b"\n")
            worker.stdin.flush()
            head = json.loads(worker.stdout.readline())
            answers[bool(flags)] = (len(_Target.seen), worker.stdout.read(head["length"]))
        finally:
            worker.kill()
            worker.wait()
    assert answers[False][0] == 1  # without the wall, the engine did reach the target
    assert answers[True][0] == 1 and b"not permitted" in answers[True][1]


def test_allowed_service_host_is_reached(store, target):
    with endpoint(store, limits=Limits(timeout=5, allowed_services=(target,))) as u:
        status, _, body = call(u, f"SELECT * {{ SERVICE <http://{target}/sparql> {{ ?s ?p ?o }} }}")
    assert status == 200, body
    assert _Target.seen  # the check can fail: the allowed host did see the query


def test_allowed_service_that_never_answers_is_stopped_at_the_time_limit(store):
    def silent(conn):
        read_head(conn)
        time.sleep(20)  # accepts, reads, never answers

    with (
        raw_server(silent) as port,
        endpoint(store, limits=Limits(timeout=1.5, allowed_services=(f"127.0.0.1:{port}",))) as u,
    ):
        started = time.monotonic()
        status, _, body = call(
            u, f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}"
        )
        assert status == 503 and "time limit" in body
        assert time.monotonic() - started < 1.5 + 3
        assert call(u, ASK)[0] == 200


def test_an_engine_crash_past_the_guard_ends_only_its_worker(store):
    # With the depth guard turned off the engine overflows its stack: the worker dies,
    # the request gets a 503, and the endpoint answers the next query.
    with endpoint(store, limits=Limits(timeout=10, max_depth=10**6)) as u:
        status, _, body = call(u, DEEP, method="POST")
        assert status == 503 and "GB-E067" in body
        assert call(u, ASK)[0] == 200


def test_five_thousand_parentheses_get_400_and_the_server_keeps_answering(url):
    for method in ("GET", "POST"):
        status, _, body = call(url, DEEP, method=method)
        assert status == 400 and "GB-E066" in body
    assert call(url, ASK)[0] == 200
    brackets_in_text = 'SELECT * { ?s ?p "' + "((((" * 500 + '" } LIMIT 1'
    assert call(url, brackets_in_text)[0] == 200
    iri_with_brackets = "SELECT * { ?s <urn:x:" + "(" * 300 + "> ?o } LIMIT 1"
    assert call(url, iri_with_brackets)[0] == 200


def test_cross_join_is_stopped_at_the_time_limit_while_a_second_client_is_served(store):
    with endpoint(store, limits=Limits(timeout=2, workers=2)) as u:
        result = {}

        def long():
            started = time.monotonic()
            result["answer"] = call(u, CROSS_JOIN)
            result["took"] = time.monotonic() - started

        thread = threading.Thread(target=long)
        thread.start()
        time.sleep(0.3)
        started = time.monotonic()
        assert call(u, ASK)[0] == 200
        assert time.monotonic() - started < 1.5  # served while the cross join runs
        thread.join(timeout=30)
        status, _, body = result["answer"]
        assert status == 503 and "GB-E067" in body and "time limit" in body
        assert result["took"] < 2 + 3
        assert call(u, ASK)[0] == 200  # a fresh worker took its place


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


def test_memory_hungry_query_is_stopped_under_the_memory_limit(store):
    limit = 250
    with endpoint_app(store, limits=Limits(timeout=20, memory_mb=limit, workers=1)) as (u, app):
        [worker] = list(app.pool._all)
        peak, done = [0.0], threading.Event()

        def watch():
            while not done.is_set():
                try:
                    peak[0] = max(peak[0], _rss_mb(worker.proc.pid))
                except (OSError, ValueError, IndexError):
                    return
                time.sleep(0.005)

        threading.Thread(target=watch, daemon=True).start()
        status, _, body = call(u, SORTED_CROSS_JOIN)
        done.set()
        assert status == 503 and "memory limit" in body, body
        assert worker.proc.poll() is not None  # that process is gone
        assert peak[0] < limit * 1.3
        assert call(u, ASK)[0] == 200


def test_a_client_that_leaves_stops_its_query(store):
    with endpoint_app(store, limits=Limits(timeout=30, workers=1)) as (u, app):
        [worker] = list(app.pool._all)
        port = int(urllib.parse.urlsplit(u).port)
        with socket.create_connection(("127.0.0.1", port)) as conn:
            q = urllib.parse.urlencode({"query": CROSS_JOIN})
            conn.sendall(f"GET /sparql?{q} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            time.sleep(0.5)
        deadline = time.monotonic() + 5
        while worker.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.proc.poll() is not None  # killed long before the 30 s limit
        assert call(u, ASK)[0] == 200


def test_fifty_concurrent_clients_twenty_queries_each_get_no_reset(url):
    def client(i):
        return [call(url, f"ASK {{ ?s ?p {i} }}")[0] for _ in range(20)]

    with ThreadPoolExecutor(50) as pool:
        statuses = [s for batch in pool.map(client, range(50)) for s in batch]
    assert statuses == [200] * 1000


@pytest.mark.parametrize(
    "method, headers, data, status",
    [
        ("PUT", {}, b"", 405),
        ("DELETE", {}, None, 405),
        ("POST", {"Content-Type": "text/plain"}, b"query=ASK{}", 415),
        ("POST", {"Content-Type": "application/x-www-form-urlencoded"}, b"nothing=1", 400),
        ("POST", {"Content-Type": "application/sparql-query"}, b"\xff\xfe", 400),
        ("GET", {}, None, 400),
    ],
    ids=["put", "delete", "bad-content-type", "no-query", "not-utf8", "get-without-query"],
)
def test_client_errors_are_4xx_never_500(url, method, headers, data, status):
    assert call(url, method=method, data=data, headers=headers)[0] == status


def test_bad_graph_iri_and_bad_syntax_are_400(url):
    bad_graph = url + "?" + urllib.parse.urlencode({"query": ASK, "default-graph-uri": "a b"})
    assert call(bad_graph)[0] == 400
    assert call(url, "SELEC *")[0] == 400
    assert call(url.rsplit("/", 1)[0] + "/nothing")[0] == 404


def test_host_header_of_another_name_is_refused(url):
    port = urllib.parse.urlsplit(url).port
    status, _, body = call(url, ASK, headers={"Host": f"attacker.example:{port}"})
    assert status == 421 and "GB-E068" in body
    assert call(url, ASK, headers={"Host": f"localhost:{port}"})[0] == 200


def test_no_cors_header_unless_an_origin_is_allowed(store, url):
    headers = {"Origin": "http://attacker.example"}
    assert call(url, ASK, headers=headers)[1].get("Access-Control-Allow-Origin") is None
    with endpoint(store, cors=("http://app.example",)) as u:
        allowed = call(u, ASK, headers={"Origin": "http://app.example"})[1]
        other = call(u, ASK, headers=headers)[1]
    assert allowed.get("Access-Control-Allow-Origin") == "http://app.example"
    assert other.get("Access-Control-Allow-Origin") is None


def test_cross_origin_form_post_with_allow_update_changes_nothing(store):
    insert = urllib.parse.urlencode({"update": "INSERT DATA { <urn:x> <urn:y> <urn:z> }"})
    inserted = "ASK { <urn:x> <urn:y> <urn:z> }"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with endpoint(store, allow_update=True, token="t0ken") as u:
        origin = "http://127.0.0.1:" + str(urllib.parse.urlsplit(u).port)
        attacks = [
            {**form, "Origin": "http://attacker.example"},  # cross-site form, no token
            {**form, "Origin": "null"},  # sandboxed frame
            {**form, "Origin": "http://attacker.example", "Authorization": "Bearer t0ken"},
            {**form},  # no Origin and no token
            {**form, "Authorization": "Bearer wrong"},
        ]
        for headers in attacks:
            status, _, body = call(u, method="POST", data=insert.encode(), headers=headers)
            assert status in (401, 403), (headers, status, body)
        assert '"boolean":false' in call(u, inserted)[2]
        # The same origin with the token does write: the refusals above were the check.
        same = {**form, "Origin": origin, "Authorization": "Bearer t0ken"}
        assert call(u, method="POST", data=insert.encode(), headers=same)[0] == 204
        assert '"boolean":true' in call(u, inserted)[2]


def test_slow_client_is_cut_off_at_the_request_deadline(store):
    with endpoint(store, limits=Limits(request_deadline=1.0)) as u:
        port = urllib.parse.urlsplit(u).port
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n")
            started, closed = time.monotonic(), False
            while time.monotonic() - started < 8:
                try:
                    conn.sendall(b"X")  # a header that never ends
                except OSError:
                    closed = True
                    break
                time.sleep(0.2)
            closed = closed or conn.recv(1) == b""
        assert closed and time.monotonic() - started < 5
        assert call(u, ASK)[0] == 200


# -- the body limit, measured on a `policykg serve` process -----------------------------


@pytest.fixture(scope="module")
def served():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "graph_builder", "serve", str(ROOT / "outputs" / "graph.nq"),
         "--port", str(port), "--timeout", "5"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/", 120)
        yield port, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize(
    "length_header",
    ["Content-Length: -1", "Content-Length: 99999999999", "Transfer-Encoding: chunked"],
    ids=["negative", "huge", "chunked"],
)
def test_body_over_the_limit_gets_413_and_memory_does_not_grow(served, length_header):
    port, pid = served
    before = _rss_mb(pid)
    sent = [0]
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(
            f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{length_header}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode()
        )

        def flood():  # 200 MB of body, as far as the server lets it in
            chunk = b"q" * (1 << 16)
            try:
                for _ in range(3200):
                    conn.sendall(chunk)
                    sent[0] += len(chunk)
            except OSError:
                pass

        thread = threading.Thread(target=flood, daemon=True)
        thread.start()
        conn.settimeout(10)
        answer = b""
        try:
            while chunk := conn.recv(4096):
                answer += chunk
        except OSError:  # a reset after the answer, for the body it never read
            pass
        thread.join(timeout=30)
    assert answer.startswith(b"HTTP/1.0 413") and b"GB-E068" in answer
    assert sent[0] < 100 << 20  # the server stopped taking the body
    assert _rss_mb(pid) - before < 20
    status, _, _ = call(f"http://127.0.0.1:{port}/sparql", ASK)
    assert status == 200
