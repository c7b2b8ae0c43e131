"""The CSV tables and the build report: one row per item, traceable, Excel-readable; the
report's numbers are the model's and the canned coverage query's."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph_builder.batch import ReadingCounts
from graph_builder.export.outputs import write_outputs
from graph_builder.export.tables import BOM, TABLES_DIR, write_tables
from graph_builder.query.runner import load_graph, resolve_query, run_query
from graph_builder.visualize.report import REPORT_FILE

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def plans(corpus_result):
    """The corpus extraction the suite shares (tests/conftest.py)."""
    assert not corpus_result.failures
    return corpus_result.plans


@pytest.fixture(scope="module")
def built(plans, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    write_outputs(plans, out)
    return out


def _read(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(BOM.encode("utf-8")), path  # Excel needs it for Chinese text
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.mark.slow
def test_tables_have_one_row_per_item_with_document_offsets_and_quote(plans, built):
    folder = built / TABLES_DIR
    texts = {p.doc_id: p.text for p in plans}
    expected = {
        "plans": len(plans),
        "measures": sum(len(p.measures) for p in plans),
        "responsibilities": sum(
            len(m.responsibilities) + len(m.implementers) for p in plans for m in p.measures
        ),
        "targets": sum(len(p.targets) for p in plans),
        "instruments": sum(len(p.instruments) for p in plans),
    }
    for name, n in expected.items():
        rows = _read(folder / f"{name}.csv")
        assert len(rows) == n, name
        if name == "plans":
            assert [r["doc_id"] for r in rows] == [p.doc_id for p in plans]
            continue
        for r in rows:
            start, end = int(r["start"]), int(r["end"])
            assert texts[r["doc_id"]][start:end] == r["quote"], (name, r)


def test_tables_of_an_empty_corpus_keep_their_headers(tmp_path):
    for path in write_tables([], tmp_path):
        text = path.read_bytes().decode("utf-8-sig")
        assert text.count("\r\n") == 1 and "doc_id" in text


@pytest.mark.slow
def test_query_excel_writes_csv_with_a_bom(built):
    graph = built / "graph.trig"
    run = [sys.executable, "-m", "graph_builder", "query", "targets_2025", str(graph)]
    plain = subprocess.run([*run, "--format", "csv"], capture_output=True, check=True).stdout
    excel = subprocess.run([*run, "--excel"], capture_output=True, check=True).stdout
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel == b"\xef\xbb\xbf" + plain


@pytest.mark.slow
def test_report_counts_are_the_models_and_the_manifests(plans, built):
    html = (built / REPORT_FILE).read_text(encoding="utf-8")
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    reading = {d["doc_id"]: d["reading"] for d in manifest["documents"]}
    for p in plans:
        counts = ReadingCounts.of(p)
        assert counts.as_dict() == reading[p.doc_id]
        row = html.split(f'<tr data-doc="{p.doc_id}">', 1)[1].split("</tr>", 1)[0]
        assert f'<td class="measures">{len(p.measures)}</td>' in row
        assert f'<td class="units">{counts.units}</td>' in row
        assert f'<td class="unread">{counts.unread}</td>' in row
        assert f'<td class="warnings">{len(p.diagnostics)}</td>' in row


@pytest.mark.slow
def test_report_coverage_agrees_with_the_canned_query_on_the_built_graph(plans, built):
    html = (built / REPORT_FILE).read_text(encoding="utf-8")
    rows = run_query(
        resolve_query("national_items_coverage")[1], load_graph(built / "graph.trig")
    ).records()
    for p in plans:
        mine = [r for r in rows if r["region"] == p.meta.region]
        covered = sum(1 for r in mine if r["status"] == "covered")
        assert mine
        row = html.split(f'<tr data-doc="{p.doc_id}">', 1)[1].split("</tr>", 1)[0]
        assert f'<td class="coverage">{covered} / {len(mine)}</td>' in row
