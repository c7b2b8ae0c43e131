"""Load the bundled corpus into a real Virtuoso (Debian's virtuoso-opensource-7-bin) twice
through the SPARQL 1.1 Graph Store Protocol and compare it with the local graph.

Not part of `make test` (Virtuoso is a large install); run it by hand:

    apt-get install -y virtuoso-opensource-7-bin
    .venv/bin/python scripts/check_virtuoso.py

It starts a private Virtuoso on loopback ports in a temporary folder, grants SPARQL update
to the anonymous SPARQL user of that private instance, runs `policykg load` twice against
/sparql-graph-crud, prints the triple counts and whether every canned query gives the same
rows from Virtuoso as locally, then stops the server.
"""

from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 4
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
"""
GRAPHS = 'FILTER(STRSTARTS(STR(?g), "https://w3id.org/graph-builder/"))'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def select(url: str, query: str) -> list[list[str]]:
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=data, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(req, timeout=300) as resp:
        rows = list(csv.reader(io.StringIO(resp.read().decode("utf-8"))))
    return rows[1:]


def main() -> int:
    if not shutil.which("virtuoso-t"):
        print("virtuoso-t not found: apt-get install -y virtuoso-opensource-7-bin", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="gb-virtuoso-"))
    sql, http = free_port(), free_port()
    (work / "virtuoso.ini").write_text(INI.format(d=work, sql=sql, http=http))
    server = subprocess.Popen(
        ["virtuoso-t", "+configfile", str(work / "virtuoso.ini"), "+foreground"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sparql = f"http://127.0.0.1:{http}/sparql"
    try:
        for _ in range(120):
            try:
                select(sparql, "SELECT ?x WHERE { BIND(1 AS ?x) }")
                break
            except OSError:
                time.sleep(0.5)
        grant = 'GRANT SPARQL_UPDATE TO "SPARQL";'
        subprocess.run(["isql-vt", f"127.0.0.1:{sql}", "dba", "dba", f"exec={grant}"], check=True,
                       capture_output=True)  # fmt: skip
        policykg = [sys.executable, "-m", "graph_builder"]
        store = f"http://127.0.0.1:{http}/sparql-graph-crud"
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {GRAPHS} }}"
        counts = []
        for _ in range(2):
            subprocess.run(
                [*policykg, "load", "corpus", "--endpoint", store, "-q"], check=True, cwd=ROOT
            )
            counts.append(int(select(sparql, count)[0][0]))
        from graph_builder.batch import extract_all
        from graph_builder.query.runner import list_queries, load_graph, run_query
        from graph_builder.store.embedded import add_plans, graph_sizes, open_store

        local = open_store(None)
        add_plans(local, extract_all([str(ROOT / "corpus")]).plans)
        print(f"Virtuoso triples after load 1: {counts[0]}, after load 2: {counts[1]}, "
              f"local: {sum(graph_sizes(local).values())}")  # fmt: skip
        graph = load_graph(ROOT / "outputs" / "graph.nq")
        for q in list_queries():
            mine = run_query(q.text, graph)
            theirs = select(sparql, q.text)
            a = sorted(map(_norm, theirs))
            b = sorted(_norm(["" if v is None else v for v in r]) for r in mine.rows)
            same = a == b
            if not same and "--diff" in sys.argv:
                print("  Virtuoso only:", sorted(set(a) - set(b))[:2])
                print("  local only:   ", sorted(set(b) - set(a))[:2])
            print(
                f"{q.name:34} local {len(mine.rows):4} rows, Virtuoso {len(theirs):4} rows, same: {same}"
            )
        return 0 if counts[0] == counts[1] else 1
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def _norm(row) -> tuple:
    """Cells compared by value: numbers as floats, booleans as 1.0/0.0 (Virtuoso's CSV writes
    true as 1), everything else as text."""
    out = []
    for v in row:
        if isinstance(v, bool):
            v = float(v)
        s = {"true": "1", "false": "0"}.get(str(v), str(v))
        try:
            s = repr(float(s))
        except ValueError:
            pass
        out.append(s)
    return tuple(out)


if __name__ == "__main__":
    sys.exit(main())
