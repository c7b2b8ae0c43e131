"""outputs/ holds what `make run` writes for the bundled corpus: rebuild and compare.

Files our code writes byte by byte (JSON, texts, manifest) must be byte-identical. Files
written by third-party serializers (rdflib Turtle, pyoxigraph N-Triples/N-Quads/TriG,
networkx GraphML) are compared as content, bytes first and then, if the bytes differ, as sets
of quads or as node and edge data: a newer rdflib or networkx may lay the same graph out
differently, and that is not an out-of-date output. The graph carries its build time
(SOURCE_DATE_EPOCH from git in `make run`); the rebuild reuses the time recorded in
outputs/graph.nt, since the time is provenance, not content.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pyoxigraph as ox

from graph_builder.cli import main
from graph_builder.export.graphml import read_graphml

from .graph_support import REPO

OUT = REPO / "outputs"
HINT = "outputs/ is out of date: run `make run` and commit outputs/"
_OX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


def _recorded_epoch() -> int:
    nt = (OUT / "graph.nt").read_text(encoding="utf-8")
    m = re.search(r'<http://www\.w3\.org/ns/prov#startedAtTime> "([^"]+)"', nt)
    assert m, "outputs/graph.nt records no extraction time"
    t = datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
    return int(t.astimezone(timezone.utc).timestamp())


def _quads(path) -> set[str]:
    return {str(q) for q in ox.parse(path=str(path), format=_OX[path.suffix])}


def _graphml(path):
    G = read_graphml(path)
    edges = sorted(
        (u, v, sorted((k, str(x)) for k, x in d.items() if k != "id"))
        for u, v, d in G.edges(data=True)
    )
    return dict(G.nodes(data=True)), edges


def test_outputs_are_what_make_run_writes_for_the_bundled_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(_recorded_epoch()))
    monkeypatch.delenv("GB_IRI_BASE", raising=False)
    monkeypatch.chdir(REPO)  # `make run` passes the relative path `corpus`
    tmp_path = tmp_path / "outputs"
    # the command `make run` runs, in-process: the streamed build writes the manifest's
    # per-document input digests and graph byte ranges (used by --incremental)
    assert main(["build", "corpus", "--out", str(tmp_path), "--quiet"]) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    expected = set(manifest["files"]) | {"manifest.json"}
    # screenshots/ holds the pictures the browser tests take for review, not a build output.
    present = {
        str(p.relative_to(OUT))
        for p in OUT.rglob("*")
        if p.is_file() and p.relative_to(OUT).parts[0] != "screenshots"
    }
    assert present == expected, f"{HINT} (files differ: {sorted(present ^ expected)})"
    for name in sorted(expected):
        new, old = tmp_path / name, OUT / name
        if new.read_bytes() == old.read_bytes():
            continue
        if new.suffix in _OX:
            assert _quads(new) == _quads(old), f"{HINT} ({name})"
        elif new.suffix == ".graphml":
            assert _graphml(new) == _graphml(old), f"{HINT} ({name})"
        else:
            raise AssertionError(f"{HINT} ({name})")
