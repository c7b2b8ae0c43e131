"""A document is what it is, not what its file is called (issue 17).

Two different plans with one file name never replace each other, in a build, a ``--store``
or a server loaded with ``policykg load``; one plan given twice (as ``.txt`` and ``.html``,
or two copies) is one document, the later reported and skipped; a revised version of a plan
replaces the earlier one, and the build says so.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph_builder.store.embedded import graph_sizes, open_store

from .conftest import CORPUS, ROOT
from .store_support import oxigraph_server, remote_select

SEEDS = sorted(CORPUS.glob("*.txt"))
TITLES = (
    "SELECT ?t WHERE { GRAPH ?g { ?d a <https://w3id.org/graph-builder/ontology#PolicyDocument> ;"
    " <http://purl.org/dc/terms/title> ?t } }"
)


def policykg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graph_builder", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip


def as_web_page(text: str) -> str:
    """A plan as a government site might publish it: one paragraph per line, a menu."""
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (
        "<html><head><meta charset='utf-8'><title>plan</title></head><body>"
        "<nav><a href='/'>首页</a> <a href='/zc'>政策文件</a></nav>"
        f"<div class='content'>{body}</div></body></html>"
    )


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _documents(store: Path) -> dict[str, str]:
    """Named graph → sha256 of the document it was built from, in an on-disk store."""
    s = open_store(store, read_only=True)
    rows = s.query(
        "SELECT ?g ?sha WHERE { GRAPH ?g { ?d <https://w3id.org/graph-builder/ontology#sha256> ?sha } }"
    )
    return {r["g"].value: r["sha"].value for r in rows}


@pytest.mark.slow
def test_one_plan_as_text_and_web_page_is_one_document_the_later_skipped(tmp_path):
    text = SEEDS[1].read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a_plan.txt").write_text(text, encoding="utf-8")
    (tmp_path / "in" / "b_plan.html").write_text(as_web_page(text), encoding="utf-8")
    (tmp_path / "in" / "c_copy.txt").write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    out = tmp_path / "out"
    proc = policykg("build", str(tmp_path / "in"), "--out", str(out), "--formats", "json,nq")
    assert proc.returncode == 0, proc.stderr
    manifest = _manifest(out)
    assert [d["doc_id"] for d in manifest["documents"]] == ["a_plan"]
    assert [(k["code"], k["doc_id"]) for k in manifest["skipped"]] == [
        ("GB-W005", "a_plan"),
        ("GB-W005", "a_plan"),
    ]
    assert "b_plan.html: warning GB-W005: the same plan as" in proc.stderr
    assert "2 skipped as copies" in proc.stdout
    assert sorted(p.name for p in (out / "json").iterdir()) == ["a_plan.json"]
    # --strict: a copy is a warning, so it fails the run
    strict = policykg("build", str(tmp_path / "in"), "--out", str(tmp_path / "o2"), "--strict",
                      "--formats", "json")  # fmt: skip
    assert strict.returncode == 1


@pytest.mark.slow
def test_two_plans_called_index_html_in_two_folders_both_survive_store_and_load(tmp_path):
    for sub, seed in (("zhuzhou", SEEDS[0]), ("sanmenxia", SEEDS[1])):
        (tmp_path / sub).mkdir()
        page = as_web_page(seed.read_text(encoding="utf-8"))
        (tmp_path / sub / "index.html").write_text(page, encoding="utf-8")
    store = tmp_path / "store"
    for n, sub in enumerate(("zhuzhou", "sanmenxia")):  # one after the other, as users do
        proc = policykg("build", str(tmp_path / sub), "--out", str(tmp_path / f"o{n}"),
                        "--store", str(store), "--formats", "json,nq")  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert "replaces" not in proc.stdout
        assert [d["doc_id"] for d in _manifest(tmp_path / f"o{n}")["documents"]] == ["index"]
    docs = _documents(store)
    assert len(docs) == 2  # both plans, each in its own named graph
    titles = {
        r["t"].value
        for r in open_store(store, read_only=True).query(TITLES)
    }
    assert titles == {"株洲市提振消费专项行动方案", "三门峡市提振消费专项行动方案"}

    with oxigraph_server(tmp_path / "server") as url:
        for sub in ("zhuzhou", "sanmenxia"):
            proc = policykg("load", str(tmp_path / sub), "--endpoint", url + "/store")
            assert proc.returncode == 0, proc.stderr
            assert "replaced" not in proc.stdout
        rows = remote_select(url + "/query", TITLES)
        assert {r[0] for r in rows} == titles


@pytest.mark.slow
def test_a_revised_plan_replaces_its_earlier_version_in_the_store_and_says_so(tmp_path):
    doc = tmp_path / "v1" / "plan.txt"
    doc.parent.mkdir()
    text = SEEDS[0].read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    store = tmp_path / "store"
    first = policykg("build", str(doc), "--out", str(tmp_path / "o1"), "--store", str(store),
                     "--formats", "nq")  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = _documents(store)
    # The revision arrives under another name, in another folder.
    revised = tmp_path / "v2" / "株洲方案-修订.txt"
    revised.parent.mkdir()
    revised.write_text(text.replace("220家以上", "260家以上"), encoding="utf-8")
    second = policykg("build", str(revised), "--out", str(tmp_path / "o2"), "--store",
                      str(store), "--formats", "nq")  # fmt: skip
    assert second.returncode == 0, second.stderr
    after = _documents(store)
    assert set(after) == set(before)  # the same named graph, replaced
    (graph,) = after
    assert after[graph] != before[graph]
    assert "replaces the earlier version of this plan in the store (plan.txt" in second.stdout
    assert set(graph_sizes(open_store(store, read_only=True))) == {
        graph,
        graph + "-evidence",  # the document's evidence graph, replaced with it
        "https://w3id.org/graph-builder/ontology",
    }

    with oxigraph_server(tmp_path / "server") as url:
        loads = [policykg("load", str(p), "--endpoint", url + "/store") for p in (doc, revised)]
        assert [p.returncode for p in loads] == [0, 0], loads[1].stderr
        assert "replaced" not in loads[0].stdout
        assert "(2 replaced a graph of the same plan already there" in loads[1].stdout  # facts, evidence
        rows = remote_select(
            url + "/query",
            "SELECT ?g ?sha WHERE { GRAPH ?g { ?d <https://w3id.org/graph-builder/ontology#sha256> ?sha } }",
        )
        assert {(str(g), sha) for g, sha in rows} == {(graph, after[graph])}


@pytest.mark.slow
def test_two_versions_in_one_build_keep_the_first_and_say_why(tmp_path):
    text = SEEDS[0].read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("220家以上", "260家以上"), encoding="utf-8")
    proc = policykg("build", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--out",
                    str(tmp_path / "out"), "--formats", "json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "b.txt: warning GB-W006: another version of the plan in" in proc.stderr
    assert [d["doc_id"] for d in _manifest(tmp_path / "out")["documents"]] == ["a"]


@pytest.mark.slow
def test_an_input_called_index_keeps_the_explorer_index_page(tmp_path):
    (tmp_path / "index.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    proc = policykg("build", str(tmp_path / "index.txt"), "--out", str(out), "--formats", "html")
    assert proc.returncode == 0, proc.stderr
    index = (out / "explorer" / "index.html").read_text(encoding="utf-8")
    assert 'href="index-2.html"' in index
    plan_page = (out / "explorer" / "index-2.html").read_text(encoding="utf-8")
    assert "株洲市提振消费专项行动方案" in plan_page
