"""Try each attack of issue 13 on a `policykg serve` started here, and print a Markdown table.

Not part of `make test` (the tests in tests/test_store_endpoint_hardening.py check the same
things with short limits); this is how the before/after table of the issue was measured:

    .venv/bin/python scripts/probe_endpoint_attacks.py [--repo DIR] [--memory-cap-mb N]

``--repo`` names a checkout whose ``.venv/bin/python -m graph_builder serve`` is probed (the
default is this one), so an older version can be measured the same way. ``--memory-cap-mb``
runs that server under ``ulimit -v`` so an unbounded query cannot take the machine's memory.
Everything happens on loopback; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.server
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASK = "ASK { ?s ?p ?o }"


def call(url, query=None, method="GET", data=None, headers=None, timeout=30.0):
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
    except OSError as exc:
        return None, {}, f"{type(exc).__name__}: {exc}"


def family(pid: int) -> list[int]:
    """``pid`` and its child processes (started by any of its threads)."""
    pids = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            pids += [int(p) for p in children.read_text().split()]
        except OSError:
            pass
    return pids


def rss_mb(pid: int, children: bool = True) -> float:
    """Resident memory of ``pid`` and (unless told) its children (the query workers), in MB."""
    total = 0
    for p in family(pid) if children else [pid]:
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return total * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


def cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and its live children."""
    total = 0
    for p in family(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


class Target(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - stdlib name
        Target.seen.append(self.path)
        body = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"SECRET"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815 - stdlib name

    def log_message(self, *args):
        pass


class Server:
    started: list[Server] = []

    def __init__(self, repo: Path, cap_mb: int, extra: list[str]):
        Server.started.append(self)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        cmd = (
            f"exec {repo}/.venv/bin/python -m graph_builder serve outputs/graph.nq "
            f"--port {self.port} {' '.join(extra)}"
        )
        if cap_mb:
            cmd = f"ulimit -v {cap_mb * 1024}; {cmd}"
        self.proc = subprocess.Popen(
            ["bash", "-c", cmd], cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        deadline = time.monotonic() + 120
        while call(self.url, ASK, timeout=2)[0] != 200:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.3)

    def alive(self) -> bool:
        return self.proc.poll() is None and call(self.url, ASK, timeout=5)[0] == 200

    def state(self) -> str:
        if self.proc.poll() is not None:
            return f"server died (exit {self.proc.returncode})"
        return "server answers" if self.alive() else "server does not answer"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def attacks(repo: Path, cap_mb: int):
    rows = _Rows()
    target = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Target)
    threading.Thread(target=target.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{target.server_port}"

    s = Server(repo, cap_mb, [])
    q = f"SELECT * WHERE {{ SERVICE <http://{host}/secret> {{ ?s ?p ?o }} }}"
    status, headers, body = call(s.url, q, headers={"Origin": "http://attacker.example"})
    rows.append(
        (
            "SERVICE to a local service, from a foreign Origin",
            f"{status}; target saw {len(Target.seen)} request(s); secret in answer: "
            f"{'SECRET' in body}; Access-Control-Allow-Origin: "
            f"{headers.get('Access-Control-Allow-Origin')}",
        )
    )

    deep = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    status, _, body = call(s.url, deep, method="POST")
    rows.append(("5,000 nested parentheses (POST)", f"{status} {body[:60].strip()!r}; {s.state()}"))
    if s.proc.poll() is not None:
        s.stop()
        s = Server(repo, cap_mb, [])

    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result: dict = {}

    def long():
        t = time.monotonic()
        result["answer"] = call(s.url, cross, timeout=15)
        result["took"] = time.monotonic() - t

    thread = threading.Thread(target=long)
    thread.start()
    time.sleep(1)
    t = time.monotonic()
    second = call(s.url, ASK, timeout=15)[0]
    second_took = time.monotonic() - t
    thread.join()
    cpu0 = cpu_seconds(s.proc.pid)
    time.sleep(3)
    busy = (cpu_seconds(s.proc.pid) - cpu0) / 3
    status, _, body = result["answer"]
    rows.append(
        (
            "cross join (3 patterns), client waits 15 s",
            f"{status} {body[:50].strip()!r} after {result['took']:.1f} s; second client {second} in "
            f"{second_took:.2f} s; CPU after the client left: {busy * 100:.0f} %",
        )
    )
    if busy > 0.5:  # the old server keeps a core busy: start a fresh one
        s.stop()
        s = Server(repo, cap_mb, [])

    before = rss_mb(s.proc.pid)
    peak = [before]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb(s.proc.pid))
            time.sleep(0.01)

    threading.Thread(target=watch, daemon=True).start()
    t = time.monotonic()
    status, _, body = call(
        s.url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f", timeout=60
    )
    done.set()
    rows.append(
        (
            f"ORDER BY over a cross join (server capped at {cap_mb} MB by ulimit -v)",
            f"{status} {body[:60].strip()!r} after {time.monotonic() - t:.1f} s; peak RSS "
            f"{peak[0]:.0f} MB (from {before:.0f}); {s.state()}",
        )
    )
    if s.proc.poll() is not None or not s.alive():
        s.stop()
        s = Server(repo, cap_mb, [])

    before = rss_mb(s.proc.pid, children=False)
    sent = [0]
    with socket.create_connection(("127.0.0.1", s.port)) as conn:
        conn.sendall(
            f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\nContent-Length: -1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode()
        )

        def flood():
            chunk = b"q" * (1 << 16)
            try:
                for _ in range(3200):
                    conn.sendall(chunk)
                    sent[0] += len(chunk)
                conn.shutdown(socket.SHUT_WR)
            except OSError:
                pass

        ft = threading.Thread(target=flood, daemon=True)
        ft.start()
        conn.settimeout(30)
        answer = b""
        try:
            while chunk := conn.recv(4096):
                answer += chunk
        except OSError:
            pass
        ft.join(timeout=60)
    time.sleep(0.5)
    rows.append(
        (
            "Content-Length: -1 with a 200 MB body (MB the client got to send)",
            f"{answer.split(b' ', 2)[1].decode() if answer else 'no answer'}; server took "
            f"{sent[0] / (1 << 20):.0f} MB; server process RSS {before:.0f} -> "
            f"{rss_mb(s.proc.pid, children=False):.0f} MB",
        )
    )
    s.stop()

    s = Server(repo, cap_mb, ["--allow-update"])
    form = urllib.parse.urlencode({"update": "INSERT DATA { <urn:x> <urn:y> <urn:z> }"}).encode()
    status, _, _ = call(
        s.url,
        method="POST",
        data=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": "http://attacker.example",
        },
    )
    inserted = '"boolean":true' in call(s.url, "ASK { <urn:x> <urn:y> <urn:z> }")[2]
    rows.append(
        (
            "cross-origin form POST of an update (--allow-update)",
            f"{status}; triple inserted: {inserted}",
        )
    )
    s.stop()

    s = Server(repo, cap_mb, [])
    status = call(s.url, ASK, headers={"Host": f"rebind.attacker.example:{s.port}"})[0]
    rows.append(("Host: rebind.attacker.example (DNS rebinding)", f"{status}"))

    faults = {
        "Content-Length: abc": dict(method="POST", data=b"x", headers={"Content-Length": "abc"}),
        "body not UTF-8": dict(
            method="POST", data=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}
        ),
        "default-graph-uri 'a b'": dict(),
        "PUT": dict(method="PUT", data=b""),
    }
    answers = []
    for name, kw in faults.items():
        url = s.url
        if name.startswith("default-graph"):
            url += "?" + urllib.parse.urlencode({"query": ASK, "default-graph-uri": "a b"})
        answers.append(f"{name}: {call(url, **kw)[0]}")
    rows.append(("client faults", "; ".join(answers)))

    def client(i):
        out = []
        for _ in range(20):
            out.append(call(s.url, f"ASK {{ ?s ?p {i} }}", timeout=30)[0])
        return out

    t = time.monotonic()
    with ThreadPoolExecutor(50) as pool:
        statuses = [x for batch in pool.map(client, range(50)) for x in batch]
    took = time.monotonic() - t
    bad = sum(1 for x in statuses if x != 200)
    rows.append(("50 concurrent clients x 20 queries", f"{bad} of 1000 failed; {took:.1f} s"))

    with socket.create_connection(("127.0.0.1", s.port)) as conn:
        conn.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n")
        t, closed = time.monotonic(), False
        while time.monotonic() - t < 30:
            try:
                conn.sendall(b"X")
            except OSError:
                closed = True
                break
            time.sleep(0.5)
        rows.append(
            (
                "slow client: a header byte every 0.5 s",
                f"cut off after {time.monotonic() - t:.0f} s"
                if closed
                else "still open after 30 s",
            )
        )
    s.stop()
    target.shutdown()
    return rows


class _Rows(list):
    """Rows printed as they come, so a probe that hangs still shows the earlier ones."""

    def append(self, row) -> None:
        print(f"| {row[0]} | {row[1]} |", flush=True)
        super().append(row)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repo", type=Path, default=ROOT)
    p.add_argument("--memory-cap-mb", type=int, default=3000)
    args = p.parse_args()
    print("| attack | result |\n|---|---|")
    try:
        attacks(args.repo.resolve(), args.memory_cap_mb)
    finally:
        for server in Server.started:
            server.stop()


if __name__ == "__main__":
    main()
