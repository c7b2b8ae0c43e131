"""An interrupted or failed build never leaves a folder that mixes two builds.

The real thing: builds into one folder are killed with SIGKILL at random moments; the folder
is then, byte for byte, what one complete build writes (the previous one or the new one),
never a mix and never with a temporary file among the outputs; the next build cleans what
the killed ones left. A second build into a folder being built is refused; Ctrl-C leaves the
folder as it was.

Every build is a real ``python -m graph_builder build`` process, so these tests are slow;
the two reference builds they start from are made once for the module (``references``).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph_builder._fs import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
EPOCH = "1750000000"  # a fixed extraction time: equal inputs give byte-equal outputs


def distinct(text: str, i: int) -> str:
    """Another plan made from a seed: its title (and so its identity) gets ``第i批``."""
    return text.replace("消费专项行动", f"第{i}批消费专项行动")


def _corpus(folder: Path, copies: int, start: int = 0) -> Path:
    folder.mkdir()
    for i in range(start, start + copies):
        for seed in SEEDS:
            text = distinct(seed.read_text(encoding="utf-8"), i)
            (folder / f"{seed.stem}-{i - start}.txt").write_text(text, encoding="utf-8")
    return folder


def _build(inputs: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "graph_builder", "build", str(inputs), "--out", str(out), "-q",
        *extra,
    ]  # fmt: skip


def _env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _leftovers(out: Path) -> list[str]:
    return sorted(
        p.name
        for p in out.parent.iterdir()
        if p.name.startswith(f".{out.name}.") and not p.name.endswith(".lock")
    )


@dataclass(frozen=True)
class Reference:
    """A complete all-format build, by the same command line the tests run: its inputs, its
    folder (read only: copy it to build over it), its files and how long it took."""

    inputs: Path
    out: Path
    files: dict[str, bytes]
    seconds: float


def _reference(folder: Path, start: int) -> Reference:
    inputs = folder / "in"
    inputs.mkdir(parents=True)
    # one plan, the smallest: every format is still written (as many files to mix up), and
    # ~20 builds each killed at a random point of its run cost ~20 half-builds
    for seed in SEEDS[:1]:
        text = distinct(seed.read_text(encoding="utf-8"), start)
        (inputs / f"{seed.stem[:3]}.txt").write_text(text, encoding="utf-8")
    began = time.monotonic()
    subprocess.run(_build(inputs, folder / "out"), check=True, cwd=ROOT, env=_env(), timeout=600)
    return Reference(inputs, folder / "out", _snapshot(folder / "out"), time.monotonic() - began)


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> tuple[Reference, Reference]:
    """Two builds of one seed each, different plans (``第0批``, ``第1批``), shared by the
    tests of this module that need a finished build to start from; built once."""
    return tuple(_reference(tmp_path_factory.mktemp(f"ref{i}"), i) for i in (0, 1))


@pytest.mark.slow
def test_builds_killed_at_random_moments_always_leave_one_whole_build(tmp_path, references):
    """~20 builds of two small corpora into one folder, each killed at a random moment."""
    first, second = (r.inputs for r in references)
    assert references[0].files.keys() == references[1].files.keys()
    assert references[0].files["manifest.json"] != references[1].files["manifest.json"]
    whole = [r.files for r in references]
    longest = max(r.seconds for r in references)

    out = tmp_path / "out"
    rng = random.Random(17)
    killed = finished = 0
    for n in range(20):
        inputs = (first, second)[n % 2]
        proc = subprocess.Popen(_build(inputs, out), cwd=ROOT, env=_env())
        time.sleep(rng.uniform(0.3, longest * 1.1))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait(timeout=600)
        finished += proc.returncode == 0
        if out.exists():  # absent only until a first build has finished
            assert _snapshot(out) in whole, f"build {n}: the folder mixes builds"
        else:
            assert finished == 0
    assert killed >= 5 and finished >= 2, (killed, finished)
    # The next build into the folder cleans what the killed builds left beside it.
    subprocess.run(_build(first, out), check=True, cwd=ROOT, env=_env(), timeout=600)
    assert _snapshot(out) == whole[0]
    assert _leftovers(out) == []


@pytest.mark.slow
def test_a_second_build_into_a_folder_being_built_is_refused(tmp_path):
    # five plans: the first build holds the lock for seconds after the second has started
    inputs = _corpus(tmp_path / "in", copies=1)
    out = tmp_path / "out"
    first = subprocess.Popen(_build(inputs, out), cwd=ROOT, stderr=subprocess.PIPE)
    lock = tmp_path / ".out.lock"
    deadline = time.monotonic() + 120
    while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.01)
    second = subprocess.run(_build(inputs, out), cwd=ROOT, capture_output=True, text=True,
                            timeout=600)  # fmt: skip
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert second.returncode == 1
    assert "error GB-E051: another policykg build is writing into this folder" in second.stderr
    assert (out / "manifest.json").exists()


@pytest.mark.slow
def test_a_folder_that_is_not_an_output_folder_is_never_replaced(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my own file", encoding="utf-8")
    proc = subprocess.run(_build(SEEDS[0], mine), cwd=ROOT, capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    assert proc.returncode == 1 and "GB-E052" in proc.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


@pytest.mark.slow
def test_files_no_build_wrote_are_kept_and_stale_outputs_go(tmp_path, references):
    out = tmp_path / "out"
    shutil.copytree(references[0].out, out)  # a finished all-format build of two plans
    (out / "screenshots").mkdir()
    (out / "screenshots" / "page.png").write_bytes(b"png")
    subprocess.run(_build(SEEDS[0], out, "--formats", "json"), check=True, cwd=ROOT, timeout=600)
    names = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert names == {"json/000_38798b87df828de3.json", "manifest.json", "screenshots/page.png"}


def test_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "graph.ttl"
    atomic_write_text(target, "@prefix ex: <http://example.org/> .\n")

    class Boom(Exception):
        pass

    from graph_builder._fs import atomic_open

    with pytest.raises(Boom):
        with atomic_open(target) as fh:
            fh.write("@prefix broken")
            raise Boom
    assert target.read_text(encoding="utf-8") == "@prefix ex: <http://example.org/> .\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


@pytest.mark.slow
def test_interrupted_build_says_so_exits_130_and_leaves_the_folder_as_it_was(tmp_path, references):
    """Ctrl-C (SIGINT) during extraction: one line saying so, exit 130; the output folder
    is the previous build's, untouched, and the staging folder is gone."""
    out = tmp_path / "out"
    shutil.copytree(references[1].out, out)  # the previous build
    before = _snapshot(out)
    assert before == references[1].files
    inputs = _corpus(tmp_path / "in", copies=6)
    proc = subprocess.Popen(
        [*_build(inputs, out), "--progress", "on"], cwd=ROOT, stderr=subprocess.PIPE
    )
    seen = b""
    while b"documents" not in seen:  # the progress line: extraction has begun
        chunk = proc.stderr.read(1)
        assert chunk, "the build ended before it reported progress"
        seen += chunk
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".out.staging-*/json/*.json")) and time.monotonic() < deadline:
        time.sleep(0.001)  # interrupt once the first document is written, mid-stream
    staging = list(tmp_path.glob(".out.staging-*"))
    assert staging
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert "interrupted; no output is half-written" in err.decode()
    assert _snapshot(out) == before
    assert _leftovers(out) == []
