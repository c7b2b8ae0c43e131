"""``--jobs N``: extraction in worker processes gives the same results, in the same order."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from graph_builder.batch import Failure, extract_all, iter_extract
from graph_builder.cli import main
from graph_builder.export.json_export import plan_to_dict
from graph_builder.parallel import imap_ordered, resolve_jobs

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SEEDS = sorted(str(p) for p in CORPUS.glob("*.txt"))


# Module-level so that spawned workers can unpickle them by reference.
def _slow_for_small(n: int) -> int:
    time.sleep(0.02 * (5 - n % 5))
    return n * n


def _exit_on_boom(item: str) -> str:
    if item == "boom":
        os._exit(3)
    return item.upper()


def _dead(item: str) -> str:
    return f"dead:{item}"


def _worker_gc(item: int) -> tuple[int, int, int]:
    """The worker's pid, frozen-object count and young-generation threshold."""
    import gc

    return os.getpid(), gc.get_freeze_count(), gc.get_threshold()[0]


@pytest.fixture(scope="module")
def serial_plans(corpus_plans):
    """One job's plans: the corpus extraction the suite shares (tests/conftest.py)."""
    return [plan_to_dict(p) for p in corpus_plans]


@pytest.mark.slow
def test_jobs_two_extracts_the_same_plans_as_one_job(serial_plans):
    parallel = [plan_to_dict(p) for p in iter_extract([str(CORPUS)], jobs=2)]
    assert len(serial_plans) == len(SEEDS) == 5
    assert parallel == serial_plans


@pytest.mark.slow
def test_jobs_keeps_failures_in_their_input_position(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = str(tmp_path / "missing.txt")
    inputs = [SEEDS[0], str(empty), SEEDS[1], missing, SEEDS[2]]
    one = list(iter_extract(inputs, jobs=1))
    two = list(iter_extract(inputs, jobs=2))
    kinds = [type(x).__name__ for x in two]
    assert kinds == ["Plan", "Failure", "Plan", "Failure", "Plan"]
    assert [x.source for x in two] == inputs
    assert two[1] == one[1] == Failure(str(empty), "GB-E001", "empty file")
    assert two[3].code == "GB-E004"
    assert [plan_to_dict(x) for x in two if not isinstance(x, Failure)] == [
        plan_to_dict(x) for x in one if not isinstance(x, Failure)
    ]


@pytest.mark.slow
def test_cli_extract_with_jobs_writes_byte_identical_json(tmp_path, capsys):
    assert main(["extract", str(CORPUS), "--json-dir", str(tmp_path / "j1"), "-q"]) == 0
    assert main(["extract", str(CORPUS), "--json-dir", str(tmp_path / "j2"), "-q", "-j", "2"]) == 0
    one = sorted((tmp_path / "j1").iterdir())
    two = sorted((tmp_path / "j2").iterdir())
    assert [p.name for p in one] == [p.name for p in two] and len(one) == 5
    for a, b in zip(one, two, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_imap_ordered_returns_input_order_when_later_items_finish_first():
    items = list(range(20))
    got = list(imap_ordered(_slow_for_small, items, jobs=2, batch=1, window=3))
    assert got == [n * n for n in items]


def test_imap_ordered_pulls_only_a_window_of_inputs_ahead():
    pulled = []

    def source():
        for i in range(10_000):
            pulled.append(i)
            yield i

    it = imap_ordered(_slow_for_small, source(), jobs=2, batch=2, window=3)
    first = next(it)
    assert first == 0
    # Three batches of two in flight: the other 9,994 inputs have not even been read.
    assert len(pulled) <= 6
    it.close()


@pytest.mark.slow
def test_imap_ordered_turns_a_dying_worker_into_one_failed_item():
    items = ["a", "b", "boom", "c", "d", "e"]
    got = list(imap_ordered(_exit_on_boom, items, jobs=2, batch=1, on_crash=_dead))
    assert got == ["A", "B", "dead:boom", "C", "D", "E"]


def test_workers_freeze_what_they_keep_after_their_first_batch():
    """A worker's first batch sees the collector as Python starts it; every later batch of
    that worker runs with its long-lived objects frozen and the higher threshold. The
    caller's process is left alone."""
    import gc

    from graph_builder.parallel import WORKER_GC_GEN0

    before = gc.get_freeze_count(), gc.get_threshold()
    got = list(imap_ordered(_worker_gc, range(12), jobs=2, batch=1, window=2))
    first: dict[int, tuple[int, int]] = {}
    for pid, frozen, gen0 in got:
        if pid not in first:
            first[pid] = (frozen, gen0)
            assert frozen == 0 and gen0 != WORKER_GC_GEN0
        else:
            assert frozen > 0 and gen0 == WORKER_GC_GEN0
    assert len(first) < len(got)  # some worker ran a second batch
    assert (gc.get_freeze_count(), gc.get_threshold()) == before


def test_resolve_jobs_zero_means_one_per_cpu():
    assert resolve_jobs(0) == (os.cpu_count() or 1)
    assert resolve_jobs(None) == 1
    assert resolve_jobs(3) == 3


def test_jobs_read_standard_input_in_this_process(monkeypatch):
    data = Path(SEEDS[0]).read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    plan, other = list(iter_extract(["-", SEEDS[1]], jobs=2))
    assert (plan.source, other.source) == ("-", SEEDS[1])
    assert (
        plan_to_dict(plan)["measures"] == plan_to_dict(extract_all([SEEDS[0]]).plans[0])["measures"]
    )
