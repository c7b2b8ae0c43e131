"""An interrupted or failed build never leaves a half-written file where a good one stood.

The real thing: a build is killed with SIGKILL while it is writing its outputs over those of
an earlier build; every output file is then either the earlier version or the complete new
one, byte for byte, and no temporary file passes for an output.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph_builder.export.io import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
COPIES = 6  # 30 documents: enough files that the kill lands between two of them


def _corpus(folder: Path, suffix: str = "") -> Path:
    folder.mkdir()
    for i in range(COPIES):
        for seed in SEEDS:
            text = seed.read_text(encoding="utf-8") + suffix
            (folder / f"{seed.stem}-{i}.txt").write_text(text, encoding="utf-8")
    return folder


def _build(inputs: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "graph_builder", "build", str(inputs), "--out", str(out), "-q"]


def _snapshot(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _inodes(folder: Path) -> dict[str, int]:
    try:
        return {e.name: e.inode() for e in os.scandir(folder) if not e.name.startswith(".")}
    except FileNotFoundError:
        return {}


def test_build_killed_while_writing_leaves_every_output_whole(tmp_path):
    old_in = _corpus(tmp_path / "v1")
    new_in = _corpus(tmp_path / "v2", suffix="\n")  # same names, different texts
    out = tmp_path / "out"
    subprocess.run(_build(old_in, out), check=True, cwd=ROOT, timeout=600)
    before = _snapshot(out)
    per_doc = [k for k in before if k.startswith(("json/", "text/"))]
    assert len(per_doc) == 2 * COPIES * len(SEEDS)  # a JSON and a text per document

    # What a complete second build writes, for comparison.
    reference = tmp_path / "reference"
    subprocess.run(_build(new_in, reference), check=True, cwd=ROOT, timeout=600)
    after = _snapshot(reference)
    assert set(after) == set(before) and all(after[k] != before[k] for k in per_doc)

    # The second build into the same folder, killed as soon as its first output replaced one.
    start = _inodes(out / "json")
    proc = subprocess.Popen(_build(new_in, out), cwd=ROOT)
    deadline = time.monotonic() + 600
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            now = _inodes(out / "json")
            if any(now.get(name) != ino for name, ino in start.items()):
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.0005)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build ended before it could be killed"

    now = _snapshot(out)
    assert set(now) == set(before)  # nothing lost, no stray file among the outputs
    whole = [k for k in now if now[k] in (before[k], after[k])]
    assert whole == list(now), "a file is neither old nor new: half-written"
    replaced = [k for k in per_doc if now[k] == after[k]]
    kept = [k for k in per_doc if now[k] == before[k]]
    assert replaced and kept, "the kill should land halfway through the writing"
    assert now["manifest.json"] == before["manifest.json"]  # written last: still the old one
    for name, data in now.items():
        if name.endswith(".json"):
            json.loads(data)
    # Temporary files the killed writer left are hidden and end in .tmp: no glob of outputs
    # and no manifest entry picks them up.
    leftovers = [p.name for p in out.rglob(".*")]
    assert all(n.endswith(".tmp") for n in leftovers)
    assert not [p for p in out.rglob("*.json") if p.name.startswith(".")]


def test_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "graph.ttl"
    atomic_write_text(target, "@prefix ex: <http://example.org/> .\n")

    class Boom(Exception):
        pass

    from graph_builder.export.io import atomic_open

    with pytest.raises(Boom):
        with atomic_open(target) as fh:
            fh.write("@prefix broken")
            raise Boom
    assert target.read_text(encoding="utf-8") == "@prefix ex: <http://example.org/> .\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_interrupted_build_says_so_and_exits_130(tmp_path):
    """Ctrl-C (SIGINT) during extraction: one line saying so, exit 130, no partial outputs.

    The build streams, so the documents extracted before the interrupt already have their
    JSON and text, each complete; graph.nq (published when the last document is in) and the
    manifest (written last) are not there, and no temporary file is left.
    """
    inputs = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [*_build(inputs, out), "--progress", "on"], cwd=ROOT, stderr=subprocess.PIPE
    )
    seen = b""
    while b"documents" not in seen:  # the progress line: extraction has begun
        chunk = proc.stderr.read(1)
        assert chunk, "the build ended before it reported progress"
        seen += chunk
    deadline = time.monotonic() + 120
    while not list(out.glob("json/[!.]*.json")) and time.monotonic() < deadline:
        time.sleep(0.001)  # interrupt once the first document is written, mid-stream
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert "interrupted; outputs already written are complete" in err.decode()
    files = [p for p in out.rglob("*") if p.is_file()]
    assert 0 < len(files) < 2 * COPIES * len(SEEDS)
    for p in files:
        kind = p.relative_to(out).parts[0]
        assert kind in ("json", "text") and not p.name.startswith("."), p
        source = (inputs / p.name).with_suffix(".txt")
        if kind == "text":
            assert p.read_bytes() == source.read_bytes()
        else:
            assert json.loads(p.read_text(encoding="utf-8"))["file"] == source.name
