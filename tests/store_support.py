"""Helpers for the store tests: a real Oxigraph server and an in-process endpoint on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:  # noqa: BLE001 - not up yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def oxigraph_server(location: Path):
    """The `oxigraph` server from PyPI, read-write, on a free loopback port; yields its URL."""
    port = free_port()
    proc = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/query?query=" + urllib.parse.quote("ASK {}"))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def endpoint_app(store, allow_update: bool = False, **options):
    """The project's SPARQL endpoint over ``store`` in a thread; yields (/sparql URL, app).
    ``options`` go to :class:`SparqlApp` (``limits``, ``cors``, ``token``)."""
    from graph_builder.store.endpoint import SparqlApp, make_app_server

    app = SparqlApp(store, allow_update, **options)
    server = make_app_server(app, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sparql", app
    finally:
        server.shutdown()
        server.server_close()
        app.close()


@contextmanager
def endpoint(store, allow_update: bool = False, **options):
    """The project's SPARQL endpoint over ``store`` in a thread; yields the /sparql URL."""
    with endpoint_app(store, allow_update, **options) as (url, _app):
        yield url


@contextmanager
def raw_server(behaviour):
    """A loopback TCP server that runs ``behaviour(conn)`` for each connection (in a thread),
    to play a misbehaving HTTP server; yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=_run, args=(behaviour, conn), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def _run(behaviour, conn: socket.socket) -> None:
    try:
        conn.settimeout(30)
        behaviour(conn)
    except OSError:
        pass
    finally:
        conn.close()


def read_head(conn: socket.socket) -> bytes:
    """Read a request up to the end of its headers."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def remote_select(query_url: str, sparql: str) -> list[tuple]:
    """Run a SELECT over HTTP (union default graph) and return rows as Python values."""
    import pyoxigraph as ox

    from graph_builder.query.runner import _ox_value

    url = query_url + "?" + urllib.parse.urlencode({"query": sparql, "union-default-graph": ""})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        data = resp.read()
    solutions = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    columns = [v.value for v in solutions.variables]
    return [tuple(_ox_value(s[c]) for c in columns) for s in solutions]


def count_quads(query_url: str) -> int:
    rows = remote_select(query_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(rows[0][0])
