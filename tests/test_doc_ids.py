"""Output file names come from input file names (the document's identity does not, see
test_identity_by_content.py); any name a user has must work end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph_builder.read import safe_doc_id

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
SEED = SEEDS[2]


def _build(inputs: list[str], out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graph_builder", "build", *inputs, "--out", str(out)],
        capture_output=True,
        cwd=ROOT,
        timeout=600,
    )


@pytest.mark.slow
def test_odd_file_names_build_and_name_their_outputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    names = ["长春 提振消费 方案#1?.txt", "plan (final) [2025].txt", "-dash.txt", ".hidden-ish.txt"]
    for n, seed in zip(names, SEEDS, strict=False):  # five different plans
        (d / n).write_bytes(seed.read_bytes())
    bad = os.fsencode(d) + b"/\xff\xfebad-bytes.txt"  # not valid UTF-8
    with open(bad, "wb") as fh:
        fh.write(SEEDS[3].read_bytes())
    long_name = d / ("很长的文件名" * 12 + ".txt")  # 216 bytes: outputs would exceed 255
    long_name.write_bytes(SEEDS[4].read_bytes())
    out = tmp_path / "out"
    proc = _build([str(d / names[0]), str(d / names[1]), str(d / names[2]), str(d)], out)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    ids = {doc["doc_id"] for doc in manifest["documents"]}
    assert {"长春 提振消费 方案#1?", "plan (final) [2025]", "-dash", "__bad-bytes"} <= ids
    assert all(len(i.encode()) <= 120 and "/" not in i and not i.startswith(".") for i in ids)
    # Five files (each once, though named twice); the hidden one in the folder is skipped.
    assert len(ids) == len(manifest["documents"]) == 5
    for doc_id in ids:
        doc = json.loads((out / "json" / f"{doc_id}.json").read_text(encoding="utf-8"))
        with open(out / "text" / f"{doc_id}.txt", encoding="utf-8", newline="") as fh:
            text = fh.read()
        for m in doc["measures"]:
            span = m["evidence"]["span"]
            assert text[span["start"] : span["end"]] == span["text"]


@pytest.mark.slow
def test_same_stem_in_two_places_does_not_overwrite(tmp_path):
    for sub, seed in (("a", SEEDS[2]), ("b", SEEDS[3])):  # two plans, one file name
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "plan.txt").write_bytes(seed.read_bytes())
    out = tmp_path / "out"
    proc = _build([str(tmp_path / "a"), str(tmp_path / "b")], out)
    assert proc.returncode == 0
    assert sorted(p.name for p in (out / "json").glob("*.json")) == sorted(
        ["plan.json", f"{safe_doc_id('plan', str(tmp_path / 'b' / 'plan.txt'))}.json"]
    )
    warning = proc.stderr.decode()
    assert f"{tmp_path / 'b' / 'plan.txt'}: warning GB-W004: another input has the same" in warning


def test_safe_doc_id_keeps_readable_names_and_fixes_dangerous_ones():
    assert safe_doc_id("株洲 方案#?") == "株洲 方案#?"
    assert safe_doc_id("..") == "document"
    assert safe_doc_id("a\nb\tc") == "a_b_c"
    assert safe_doc_id("x\udcff") == "x_"
    long_id = safe_doc_id("长" * 100)
    assert len(long_id.encode()) <= 120 and long_id != safe_doc_id("长" * 101)
