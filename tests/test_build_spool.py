"""Workers hand their N-Quads to the parent by spool file (:mod:`graph_builder.export.spool`):
the same bytes land in graph.nq and evidence.nq, and no spool file outlives the build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph_builder.export import spool as spool_mod
from graph_builder.export.spool import SPOOL_DIR, append_part, read_part, spool
from graph_builder.export.stream import CorpusWriter

from .graph_support import FIXED_TIME, probe_plan


def test_append_part_puts_each_part_after_what_was_written_through_the_buffer(tmp_path):
    s = spool(tmp_path, (b"facts\n", b"", "证据\n".encode()))
    assert s.sizes == (6, 0, len("证据\n".encode()))
    out_path = tmp_path / "out.nq"
    with open(out_path, "wb") as out:
        out.write(b"head\n")  # still in the buffer
        pos = 5
        pos += append_part(out, s, 0, pos)
        pos += append_part(out, s, 1, pos)
        out.write(b"mid\n")
        pos += 4
        pos += append_part(out, s, 2, pos)
    assert out_path.read_bytes() == "head\nfacts\nmid\n证据\n".encode()
    assert read_part(s, 2) == "证据\n".encode()


def test_append_part_falls_back_when_the_kernel_cannot_copy(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OSError(18, "cross-device")

    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    monkeypatch.setattr(os, "sendfile", refuse, raising=False)
    data = bytes(range(256)) * 5000  # more than one read of the last fallback
    s = spool(tmp_path, (data,))
    with open(tmp_path / "out", "wb") as out:
        assert append_part(out, s, 0, 0) == len(data)
    assert (tmp_path / "out").read_bytes() == data


def _build(out: Path, spooled: bool, leftover: bool = False) -> dict[str, bytes]:
    plan = probe_plan()
    with CorpusWriter(out, "json,nq", generated_at=FIXED_TIME) as w:
        if spooled:
            w._spool = w.out / SPOOL_DIR
            w._spool.mkdir()
            if leftover:  # what a worker killed mid-document leaves
                (w._spool / "dead-worker.nq").write_bytes(b"half a document")
        views = w.render(plan)
        assert (views.spooled is not None) == spooled
        assert (views.nquads is None) == spooled
        w.add(plan, views)
        if spooled:
            assert not Path(views.spooled.path).exists()  # removed once written
        w.finish()
    return {
        str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("leftover", [False, True])
def test_spooled_views_write_the_same_bytes_and_leave_no_spool_file(tmp_path, leftover):
    plain = _build(tmp_path / "plain", spooled=False)
    spooled = _build(tmp_path / "spooled", spooled=True, leftover=leftover)
    assert spooled == plain
    assert plain["graph.nq"] and plain["evidence.nq"]
    assert not any(SPOOL_DIR in p for p in spooled)
    assert not any(p.name == SPOOL_DIR for p in tmp_path.rglob("*"))


def test_a_failed_build_leaves_no_spool_file(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        with CorpusWriter(out, "json,nq", generated_at=FIXED_TIME) as w:
            w._spool = w.out / SPOOL_DIR
            w._spool.mkdir()
            w.render(probe_plan())  # spooled, never added
            raise RuntimeError("stopped")
    assert list(tmp_path.rglob("*.nq")) == []


def test_jobs_two_spools_and_writes_what_jobs_one_writes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    seen = []
    real = spool_mod.remove_folder
    monkeypatch.setattr(spool_mod, "remove_folder", lambda f: (seen.append(f), real(f)))
    from graph_builder.export.stream import build

    corpus = sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))
    build(corpus[:3], tmp_path / "one", "json,nq", jobs=1, progress=False)
    assert seen == []  # one job: nothing to hand over
    build(corpus[:3], tmp_path / "two", "json,nq", jobs=2, progress=False)
    assert len(seen) == 1
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*")
           if p.is_file()}  # fmt: skip
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*")
           if p.is_file()}  # fmt: skip
    assert one == two


def test_a_store_gets_the_spooled_graphs(tmp_path):
    from graph_builder.store.embedded import graph_sizes, open_store

    sizes = []
    for name, spooled in (("plain", False), ("spooled", True)):
        store = tmp_path / f"{name}-store"
        plan = probe_plan()
        with CorpusWriter(tmp_path / name, "json", store, generated_at=FIXED_TIME) as w:
            if spooled:
                w._spool = w.out / SPOOL_DIR
                w._spool.mkdir()
            views = w.render(plan)
            assert (views.spooled is not None) == spooled
            w.add(plan, views)
            w.finish()
        sizes.append(graph_sizes(open_store(store)))
    assert sizes[0] == sizes[1]
    assert len(sizes[0]) == 3  # the ontology, the plan's facts and its evidence
