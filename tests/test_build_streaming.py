"""``policykg build`` streams: per-document files as each plan arrives, flat memory.

What is proved here on the bundled corpus: one job and two write byte-identical graph.nq and
JSON; ``--formats json,nq`` writes only those and keeps no plan once it is written; graph.nq
holds exactly the quads of the dataset the corpus views are built from, in the order the
module documents; the store gets one named graph per document. (Speed is the benchmark's
business, not a test's.)
"""

from __future__ import annotations

import gc
import json
import shutil
import weakref
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from graph_builder.batch import iter_rendered
from graph_builder.cli import main
from graph_builder.export.stream import CorpusWriter, build
from graph_builder.graph.iris import Iris
from graph_builder.graph.namespace import GBO_ONTOLOGY, XSD
from graph_builder.graph.oxigraph import (
    cyclic_gc_paused,
    nquads,
    nt_term,
    plan_triples,
    sorted_quads,
    to_ox_term,
)
from graph_builder.graph.rdf import build_dataset
from graph_builder.store.embedded import graph_sizes, open_store

from .graph_support import CORPUS, FIXED_TIME

EPOCH = str(int(FIXED_TIME.timestamp()))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "store" not in p.relative_to(folder).parts
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The corpus built with --formats json,nq and a store, with one job and with two."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    mp.delenv("GB_IRI_BASE", raising=False)
    root = tmp_path_factory.mktemp("stream")
    try:
        done = {}
        for jobs in (1, 2):
            out = root / f"jobs{jobs}"
            writer = build(
                [str(CORPUS)], out, "json,nq", jobs=jobs, progress=False, store=out / "store"
            )
            done[jobs] = (out, writer)
        yield done
    finally:
        mp.undo()


def _graph_order(nq: bytes) -> list[str]:
    """Graph names in the order their lines first appear."""
    seen: dict[str, None] = {}
    for q in ox.parse(nq, format=ox.RdfFormat.N_QUADS):
        seen.setdefault(q.graph_name.value, None)
    return list(seen)


@pytest.mark.slow
def test_one_job_and_two_write_byte_identical_graph_nq_json_and_manifest(builds):
    one, two = _files(builds[1][0]), _files(builds[2][0])
    assert sorted(one) == sorted(two)
    assert "graph.nq" in one and len([n for n in one if n.startswith("json/")]) == 5
    for name in one:
        assert one[name] == two[name], name


@pytest.mark.slow
def test_formats_json_nq_write_only_those_and_keep_no_plan(builds):
    out, writer = builds[2]
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    written = {n for n in written if not n.startswith("store/")}
    assert {n.split("/")[0] for n in written} == {"json", "graph.nq", "evidence.nq", "manifest.json"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(written - {"manifest.json"})
    assert len(manifest["documents"]) == 5
    assert writer.result.plans == [] and writer.result.dropped == 5
    assert writer.measures == sum(d["measures"] for d in manifest["documents"]) > 100


@pytest.mark.slow
def test_streamed_build_drops_each_plan_once_it_is_written(tmp_path):
    """Once the next plan has arrived, nothing refers to the one written before: garbage."""
    writer = CorpusWriter(tmp_path, "json,nq", generated_at=FIXED_TIME)
    refs = []
    with writer:
        for item, nquads in iter_rendered([str(CORPUS)], writer.render, progress=False):
            gc.collect()
            assert [r() for r in refs] == [None] * len(refs), "an earlier plan is still held"
            writer.add(item, nquads)
            refs.append(weakref.ref(item))
            del item, nquads
        writer.finish()
    gc.collect()
    assert len(refs) == 5 and [r() for r in refs] == [None] * 5
    # The check above can fail: a build that writes corpus views keeps every plan.
    kept = CorpusWriter(tmp_path / "all", "json,ttl", generated_at=FIXED_TIME)
    with kept:
        for item, nquads in iter_rendered([str(CORPUS)], kept.render, progress=False):
            kept.add(item, nquads)
    assert len(kept.result.plans) == 5


@pytest.mark.slow
def test_graph_nq_holds_exactly_the_quads_of_the_dataset_ontology_first_then_input_order(
    builds, corpus_plans
):
    out, _ = builds[1]
    nq = (out / "graph.nq").read_bytes()
    evidence = (out / "evidence.nq").read_bytes()
    got = {str(q) for q in ox.parse(nq + evidence, format=ox.RdfFormat.N_QUADS)}
    want = {str(q) for q in sorted_quads(build_dataset(corpus_plans, generated_at=FIXED_TIME))}
    assert got == want
    assert (nq + evidence).count(b"\n") == len(want)  # no line twice
    iris = Iris()
    assert _graph_order(nq) == [str(GBO_ONTOLOGY)] + [str(iris.plan_graph(p)) for p in corpus_plans]
    assert _graph_order(evidence) == [
        str(iris.evidence_graph(iris.plan_key(p))) for p in corpus_plans
    ]
    for graph_lines in _lines_by_graph(nq + evidence).values():
        assert graph_lines == sorted(graph_lines)


def _lines_by_graph(nq: bytes) -> dict[bytes, list[bytes]]:
    out: dict[bytes, list[bytes]] = {}
    for line in nq.splitlines():
        out.setdefault(line.rsplit(b" ", 2)[1], []).append(line)
    return out


@pytest.mark.slow
def test_store_built_by_streaming_holds_one_named_graph_per_document(builds, corpus_plans):
    out, writer = builds[2]
    sizes = graph_sizes(open_store(out / "store", read_only=True))
    iris = Iris()
    assert set(sizes) == {str(GBO_ONTOLOGY)} | {str(iris.plan_graph(p)) for p in corpus_plans} | {
        str(iris.evidence_graph(iris.plan_key(p))) for p in corpus_plans
    }
    lines = _lines_by_graph((out / "graph.nq").read_bytes() + (out / "evidence.nq").read_bytes())
    assert sizes == {g.decode().strip("<>"): len(v) for g, v in lines.items()}
    assert writer.stored_graphs == 6


@pytest.mark.slow
def test_two_inputs_with_one_name_get_two_graphs_however_many_jobs(tmp_path, monkeypatch):
    """Two different plans with one file name: the second is renamed in the parent after its
    worker rendered it, so it is rendered again."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    seeds = sorted(CORPUS.glob("*.txt"))[:2]
    for sub, seed in zip(("a", "b"), seeds, strict=True):
        (tmp_path / sub).mkdir()
        shutil.copy(seed, tmp_path / sub / "plan.txt")
    inputs = [str(tmp_path / "a"), str(tmp_path / "b")]
    nqs = []
    for jobs in (1, 2):
        writer = build(inputs, tmp_path / f"out{jobs}", "nq", jobs=jobs, progress=False)
        assert len(writer.result.warnings) == 1  # GB-W004: renamed
        nqs.append((tmp_path / f"out{jobs}" / "graph.nq").read_bytes())
    assert nqs[0] == nqs[1]
    assert len(_graph_order(nqs[0])) == 3  # ontology and two documents
    ids = {
        q.object.value
        for q in ox.parse(nqs[0], format=ox.RdfFormat.N_QUADS)
        if q.predicate.value == "http://purl.org/dc/terms/identifier"
    }
    assert len(ids) == 2 and "plan" in ids


def test_store_in_use_is_one_error_line_and_leaves_no_temporary_file(tmp_path, capsys):
    held = open_store(tmp_path / "store")  # another process (here: this one) has it open
    probe = sorted(CORPUS.glob("*.txt"))[0]
    out = tmp_path / "out"
    args = ["build", str(probe), "--out", str(out), "--formats", "nq", "--store"]
    assert main([*args, str(tmp_path / "store"), "-q"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert "GB-E050" in line
    assert not [p for p in out.rglob("*") if p.is_file()]
    del held


def test_unknown_format_is_a_usage_error_naming_the_choices(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["build", str(CORPUS), "--formats", "json,xml"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "unknown format xml" in err and "nq" in err and "ttl" in err


def _pyoxigraph_lines(triples, graph: str) -> bytes:
    """What pyoxigraph's own serializer writes for the quads, sorted and deduplicated."""
    g = ox.NamedNode(graph)
    quads = [ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), g) for s, p, o in triples]
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    return b"".join(sorted(set(lines)))


def test_document_nquads_are_the_lines_pyoxigraph_writes(corpus_plans):
    iris = Iris()
    for plan in corpus_plans:
        triples = plan_triples(plan, iris, FIXED_TIME)
        graph = str(iris.plan_graph(plan))
        assert nquads(triples, graph) == _pyoxigraph_lines(triples, graph)


def test_the_cycle_collector_is_paused_only_while_a_document_is_written():
    """document_nquads pauses the collector; it is running again afterwards, also after an
    error, and a collector the caller had turned off stays off."""
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), cyclic_gc_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.slow
def test_every_character_is_written_in_a_literal_as_pyoxigraph_writes_it():
    """``nquads`` writes a literal that needs no escaping itself, between quotes; checked
    against pyoxigraph for every code point (a character pyoxigraph escapes, taken for
    plain, would be written raw)."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    escaped = [c for c in chars if str(ox.Literal(c)) != f'"{c}"']
    assert escaped, "pyoxigraph escapes at least the quote and the backslash"
    plain = "".join(sorted(set(chars) - set(escaped)))
    literals = [Literal(f"a{c}b") for c in escaped] + [
        Literal(plain),
        Literal(plain, lang="zh-Hans"),
        *(Literal(plain, datatype=dt) for dt in (XSD.string, URIRef("https://example.org/dt"))),
    ]
    for lit in literals:
        assert nt_term(lit) == str(to_ox_term(lit)), repr(lit)


@given(
    st.text(st.characters(exclude_categories=("Cs",))),
    st.sampled_from([None, "zh", "en"]),
)
def test_any_literal_is_written_as_pyoxigraph_writes_it(text, lang):
    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    triples = [(s, p, Literal(text, lang=lang)), (s, p, URIRef("https://example.org/o"))]
    data = nquads(triples, "https://example.org/g")
    assert data == _pyoxigraph_lines(triples, "https://example.org/g")
    [back] = [
        q
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
        if q.object.value != "https://example.org/o"
    ]
    assert back.object.value == text


@pytest.mark.slow
def test_without_kept_plans_workers_send_briefs_that_match_the_plans(corpus_plans):
    """A streamed build's parent gets each plan's manifest line and warnings, not the plan."""
    from graph_builder.batch import PlanBrief

    got = list(iter_rendered([str(CORPUS)], None, jobs=2, progress=False, keep_plans=False))
    briefs = [item for item, _ in got]
    assert all(type(b) is PlanBrief for b in briefs)
    assert briefs == [PlanBrief.of(p) for p in corpus_plans]
    assert sum(b.measures for b in briefs) == sum(len(p.measures) for p in corpus_plans) > 100
