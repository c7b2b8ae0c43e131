"""outputs/ holds what `make run` writes for the bundled corpus: rebuild and compare.

Each file is compared by what it means, so that a change of layout that nobody sees (a newer
rdflib or pyoxigraph ordering triples or prefixes differently, a JSON key moved) is not an
out-of-date output, while any change of content is:

* RDF (``.ttl .nt .nq .trig .jsonld``): as datasets, the sets of quads after blank-node
  canonicalisation (pyoxigraph). The graphs have no blank node today (every node gets a
  minted IRI), which makes this plain quad-set equality; the canonicalisation keeps the
  comparison exact should a serializer ever write one.
* JSON: as parsed data (a float stays distinct from an int: ``1.0`` is not ``1``). In
  ``manifest.json`` the per-document byte ranges into ``graph.nq`` and ``evidence.nq`` (which
  ``--incremental`` reads back) are compared by the quads each range holds in its own folder,
  so a committed manifest must still point at the right document's quads.
* GraphML: as node and edge data.
* Everything else byte for byte: the HTML pages, CSV tables, text renditions and the Cypher
  script are what people open directly (a browser, Excel, an editor; evidence offsets count
  characters of ``text/*.txt``), our own code writes them, and their bytes are what is seen.

Files are compared as bytes first: equal bytes are equal content. The graph carries its build
time (SOURCE_DATE_EPOCH from git in `make run`); the rebuild reuses the time recorded in
outputs/graph.nt, since the time is provenance, not content. The probes at the end alter
copies of the committed files and check that the comparison reports exactly what changed.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest

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
#: manifest fields that are (offset, length) byte ranges into a file of the same folder
_RANGES = {"nq": "graph.nq", "evidence_nq": "evidence.nq"}


def _recorded_epoch() -> int:
    nt = (OUT / "graph.nt").read_text(encoding="utf-8")
    m = re.search(r'<http://www\.w3\.org/ns/prov#startedAtTime> "([^"]+)"', nt)
    assert m, "outputs/graph.nt records no extraction time"
    t = datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
    return int(t.astimezone(timezone.utc).timestamp())


def _quads(data: bytes, fmt: ox.RdfFormat) -> frozenset[str]:
    """The dataset's quads as canonical N-Quads lines (blank nodes renamed canonically)."""
    ds = ox.Dataset(ox.parse(data, format=fmt))
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return frozenset(str(q) for q in ds)


def _json(data: bytes):
    return json.loads(data, parse_float=lambda s: ("float", float(s)))


def _manifest(folder: Path):
    """manifest.json as data, each byte range replaced by the quads it holds."""
    data = _json((folder / "manifest.json").read_bytes())
    for doc in data.get("documents", []):
        for field, file in _RANGES.items():
            span = doc.get(field)
            if span is not None:
                offset, length = span
                with open(folder / file, "rb") as fh:
                    fh.seek(offset)
                    doc[field] = _quads(fh.read(length), ox.RdfFormat.N_QUADS)
    return data


def _graphml(path: Path):
    G = read_graphml(path)
    edges = sorted(
        (u, v, sorted((k, str(x)) for k, x in d.items() if k != "id"))
        for u, v, d in G.edges(data=True)
    )
    return dict(G.nodes(data=True)), edges


def same_content(name: str, new: Path, old: Path) -> bool:
    """Whether file ``name`` says the same in output folders ``new`` and ``old``."""
    a, b = new / name, old / name
    if name == "manifest.json":  # its ranges point into graph.nq, whose bytes may differ
        return _manifest(new) == _manifest(old)
    if a.read_bytes() == b.read_bytes():
        return True
    if a.suffix in _OX:
        fmt = _OX[a.suffix]
        return _quads(a.read_bytes(), fmt) == _quads(b.read_bytes(), fmt)
    if a.suffix == ".json":
        return _json(a.read_bytes()) == _json(b.read_bytes())
    if a.suffix == ".graphml":
        return _graphml(a) == _graphml(b)
    return False


@pytest.mark.slow
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
    stale = [name for name in sorted(expected) if not same_content(name, tmp_path, OUT)]
    assert not stale, f"{HINT} (content differs: {stale})"


# --- probes: the comparison itself, on altered copies of the committed files ---------------


def _copy(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "copy"
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(OUT / name, folder / name)
    return folder


def _one_document_triple(lines: list[str]) -> int:
    """The index of a line of a document's own graph (not the ontology's) with a literal."""
    return next(i for i, line in enumerate(lines) if '"' in line and "/graph/" in line)


def test_probe_one_altered_triple_in_a_copy_is_reported_while_reordered_lines_are_not(tmp_path):
    copy = _copy(tmp_path, "graph.nq", "graph.nt")
    for name in ("graph.nq", "graph.nt"):
        lines = (OUT / name).read_text(encoding="utf-8").splitlines(keepends=True)
        (copy / name).write_text("".join(reversed(lines)), encoding="utf-8")
        assert (copy / name).read_bytes() != (OUT / name).read_bytes()
        assert same_content(name, copy, OUT), f"{name}: the same quads in another order"
    lines = (OUT / "graph.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    i = _one_document_triple(lines)
    lines[i] = lines[i].replace('"', '"x', 1)  # one literal gains a character
    (copy / "graph.nq").write_text("".join(lines), encoding="utf-8")
    assert not same_content("graph.nq", copy, OUT)
    del lines[i]  # or the triple is gone
    (copy / "graph.nq").write_text("".join(lines), encoding="utf-8")
    assert not same_content("graph.nq", copy, OUT)


def test_probe_blank_nodes_are_compared_up_to_renaming():
    a = b'_:a <http://ex.org/p> _:b .\n_:b <http://ex.org/q> "1" .\n'
    b = b'_:y <http://ex.org/q> "1" .\n_:x <http://ex.org/p> _:y .\n'
    c = b'_:x <http://ex.org/p> _:y .\n_:x <http://ex.org/q> "1" .\n'
    assert _quads(a, ox.RdfFormat.N_TRIPLES) == _quads(b, ox.RdfFormat.N_TRIPLES)
    assert _quads(a, ox.RdfFormat.N_TRIPLES) != _quads(c, ox.RdfFormat.N_TRIPLES)


def test_probe_json_is_compared_as_data(tmp_path):
    name = "json/000_38798b87df828de3.json"
    copy = _copy(tmp_path, name)
    data = json.loads((OUT / name).read_text(encoding="utf-8"))
    (copy / name).write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    assert (copy / name).read_bytes() != (OUT / name).read_bytes()
    assert same_content(name, copy, OUT)
    data["measures"][0]["title"] += "。"
    (copy / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert not same_content(name, copy, OUT)


def test_probe_manifest_ranges_must_hold_the_same_quads(tmp_path):
    copy = _copy(tmp_path, "manifest.json", "graph.nq", "evidence.nq")
    assert same_content("manifest.json", copy, OUT)
    data = json.loads((OUT / "manifest.json").read_text(encoding="utf-8"))
    first, second = data["documents"][:2]
    first["nq"], second["nq"] = second["nq"], first["nq"]  # each range names the other's quads
    (copy / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert not same_content("manifest.json", copy, OUT)


def test_probe_pages_and_tables_are_compared_byte_for_byte(tmp_path):
    names = ("report.html", "tables/measures.csv")
    copy = _copy(tmp_path, *names)
    for name in names:
        assert same_content(name, copy, OUT)
        data = (OUT / name).read_bytes()
        (copy / name).write_bytes(data.replace(b"\n", b"\r\n", 1))  # invisible in a browser
        assert not same_content(name, copy, OUT), name
