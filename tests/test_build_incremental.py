"""``policykg build --incremental``: only new or changed plans are extracted, and the outputs
equal a full build's; ``--prune`` removes the store graphs of plans that are gone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph_builder.export.stream import build
from graph_builder.graph.iris import Iris

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
EPOCH = "1700000000"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_incremental_rebuild_extracts_only_the_changed_plan_and_equals_a_full_build(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    src = tmp_path / "plans"
    shutil.copytree(CORPUS, src, ignore=shutil.ignore_patterns("*.md"))
    formats = "json,text,nq"
    out = tmp_path / "out"
    first = build([str(src)], out, formats, progress=False, incremental=True)
    assert first.reused == 0
    changed = sorted(src.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n。\n", encoding="utf-8")
    extracted: list[str] = []
    import graph_builder.batch as build_module

    real = build_module.extract_one

    def counting(name, *args, **kwargs):
        extracted.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(build_module, "extract_one", counting)
    again = build([str(src)], out, formats, progress=False, incremental=True)
    assert again.reused == 4
    assert extracted == [str(changed)]
    full = build([str(src)], tmp_path / "full", formats, progress=False)
    assert full.reused == 0
    assert _files(out) == _files(tmp_path / "full")


def test_changed_options_are_not_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    seed = sorted(CORPUS.glob("*.txt"))[0]
    out = tmp_path / "out"
    build([str(seed)], out, "json,nq", progress=False, incremental=True)
    other = build([str(seed)], out, "json,nq", progress=False, incremental=True,
                  provenance="full")  # fmt: skip
    assert other.reused == 0
    assert b"TextQuoteSelector" in (out / "evidence.nq").read_bytes()


def test_prune_removes_the_graphs_of_plans_gone_from_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    src = tmp_path / "plans"
    src.mkdir()
    seeds = sorted(CORPUS.glob("*.txt"))[:2]
    for seed in seeds:
        shutil.copy(seed, src / seed.name)
    store = tmp_path / "store"
    out = tmp_path / "out"
    first = build([str(src)], out, "json,nq", store=store, progress=False, incremental=True)
    keys = [d["key"] for d in first._documents]
    (src / seeds[1].name).unlink()
    again = build([str(src)], out, "json,nq", store=store, progress=False, incremental=True,
                  prune=True)  # fmt: skip
    assert again.reused == 1
    iris = Iris()
    gone = {str(iris.graph(keys[1])), str(iris.evidence_graph(keys[1]))}
    assert set(again.pruned) == gone
    names = {g.value for g in ox.Store(str(store)).named_graphs()}
    assert not names & gone
    assert str(iris.graph(keys[0])) in names and str(iris.evidence_graph(keys[0])) in names
