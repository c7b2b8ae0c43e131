"""The command line: extract writes gold-schema JSON, evaluate scores, exit codes tell."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import CORPUS, GOLD, ROOT


def run(*args, **kw):
    return subprocess.run(
        [sys.executable, "-m", "graph_builder", *args],
        capture_output=True, text=True, cwd=ROOT, **kw,
    )  # fmt: skip


@pytest.mark.slow
def test_extract_writes_one_json_per_document_in_gold_schema(tmp_path):
    r = run("extract", str(CORPUS / "000_38798b87df828de3.txt"), "--json-dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "000_38798b87df828de3.json").read_text(encoding="utf-8"))
    gold = json.loads((GOLD / "000_38798b87df828de3.json").read_text(encoding="utf-8"))
    assert set(gold) <= set(data)
    assert set(gold["measures"][0]) <= set(data["measures"][0])
    agency = data["agencies"][0]
    assert {"name", "surface_forms", "type", "label_zh", "label_en"} <= set(agency)


@pytest.mark.slow
def test_evaluate_prints_f1_per_field_and_fails_below_threshold():
    r = run("evaluate", "--gold", str(GOLD), str(CORPUS / "002_2bd917dc5b4b3183.txt"))
    assert r.returncode == 0, r.stderr
    assert "measures" in r.stdout and "F1" in r.stdout
    r = run("evaluate", "--gold", str(GOLD), str(CORPUS / "002_2bd917dc5b4b3183.txt"),
            "--min", "measures=1.01")  # fmt: skip
    assert r.returncode == 3
    assert "below" in r.stderr


@pytest.mark.slow
def test_a_missing_input_is_one_line_and_exit_1_while_others_are_built(tmp_path):
    r = run(
        "extract", "nope.txt", str(CORPUS / "004_b20fe11feaeb6a30.txt"), "--json-dir", str(tmp_path)
    )
    assert r.returncode == 1
    [line] = [line for line in r.stderr.splitlines() if "nope.txt" in line]
    assert line.startswith("nope.txt: error GB-E004: ") and "no such file" in line.lower()
    assert (tmp_path / "004_b20fe11feaeb6a30.json").exists()


def test_help_teaches_with_examples():
    r = run("--help")
    assert r.returncode == 0
    assert "examples:" in r.stdout and "policykg build" in r.stdout


@pytest.mark.slow
def test_stdin_is_read_with_dash(tmp_path):
    text = (CORPUS / "002_2bd917dc5b4b3183.txt").read_bytes()
    r = run("extract", "-", "--json-dir", str(tmp_path), input=text.decode("utf-8"))
    assert r.returncode == 0, r.stderr
    [out] = list(tmp_path.glob("*.json"))
    assert len(json.loads(out.read_text(encoding="utf-8"))["measures"]) == 28
