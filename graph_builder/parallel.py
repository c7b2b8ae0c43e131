"""Map a function over many items in worker processes, results in input order.

Why a module of its own: extraction (``--jobs N``) and the benchmark both need the same three
guarantees, and they are easy to get subtly wrong:

* **Deterministic** – results come back in input order, so ``--jobs 2`` writes exactly what
  ``--jobs 1`` writes. Each item is processed independently by a pure function; which worker
  ran it does not matter.
* **Bounded memory** – items are sent in small batches and at most ``window`` batches are in
  flight; a result is handed to the consumer (and can be written and dropped) before later
  batches are submitted. Nothing holds 10,000 futures or 10,000 results at once.
* **One bad input does not stop the run** – if a worker process dies (killed, out of memory,
  a crash in a C extension), the batches in flight are re-run one item at a time in a fresh
  pool; the item that kills a worker again gets ``on_crash(item)`` as its result and the run
  goes on.

Workers are started with the ``spawn`` method on every platform: no state leaks in from the
parent (threads, open files, a half-built pipeline), and the behaviour on Linux is the one
macOS and Windows users get. Each worker builds what it needs once (for extraction:
``make_nlp``'s per-process cache) and keeps it for all its batches.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

__all__ = ["imap_ordered", "resolve_jobs"]

T = TypeVar("T")
R = TypeVar("R")

#: Upper bound on items per task: large enough to amortise pickling and scheduling (a task
#: costs well under a millisecond; a plan takes tens), small enough that progress moves, a
#: crash re-runs little, and the finished results waiting in the parent stay few: up to
#: ``window × MAX_BATCH`` of them, each a document's rendered views (its JSON; a streamed
#: build's workers leave the megabytes of N-Quads in spool files, see export/spool.py).
MAX_BATCH = 4


def resolve_jobs(jobs: int | None) -> int:
    """``jobs`` as a worker count: ``None``/``1`` → 1, ``0`` or less → one per CPU."""
    if jobs is None:
        return 1
    if jobs <= 0:
        return os.cpu_count() or 1
    return jobs


def _init_worker() -> None:
    # Ctrl-C reaches the whole process group; the parent alone decides what to do with it,
    # so workers do not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


#: Whether this worker has moved its long-lived objects out of the cycle collector's sight.
_settled: list[bool] = []
#: Allocations between two young-generation collections in a worker, once settled (Python's
#: default: 700).
WORKER_GC_GEN0 = 20_000


def _settle_worker() -> None:
    """After a worker's first batch, stop the cycle collector re-walking what it keeps.

    By then the worker has built what it holds for its whole life: the spaCy pipeline and
    its vocabulary, the ontology's vocabularies, the compiled patterns and caches, some
    hundreds of thousands of objects. The collector walks all of them at every full
    collection and a document allocates enough to cause several; none of it is ever garbage.
    ``gc.freeze()`` moves them to the permanent generation, and a higher young-generation
    threshold makes a document's tens of thousands of short-lived objects (freed by
    reference counting anyway) wake the collector less often. Together they took a build of
    1,000 plans with two workers from 25.8 s to 21.2 s. Cycles are still collected. Only in workers: a process of this pool holds nothing but
    this work, whereas freezing a caller's heap would be a side effect on their program.
    """
    import gc

    if _settled:
        return
    _settled.append(True)
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(WORKER_GC_GEN0, gen1, gen2)


def _run_batch(fn: Callable[[T], R], batch: list[T]) -> list[R]:
    results = [fn(item) for item in batch]
    _settle_worker()
    return results


def _batch_size(n: int | None, jobs: int) -> int:
    """Small batches for small inputs (so both workers get work), up to :data:`MAX_BATCH`."""
    if n is None:
        return MAX_BATCH
    return max(1, min(MAX_BATCH, math.ceil(n / (jobs * 4))))


def imap_ordered(
    fn: Callable[[T], R],
    items: Iterable[T],
    jobs: int = 1,
    *,
    batch: int | None = None,
    window: int | None = None,
    on_crash: Callable[[T], R] | None = None,
) -> Iterator[R]:
    """Yield ``fn(item)`` for every item, in input order, using ``jobs`` processes.

    ``fn`` must be a module-level function (it is pickled by reference) and should not raise:
    turn expected errors into values. With ``jobs == 1`` everything runs in this process
    with no pool at all. ``window`` is the number of batches in flight (default ``4 × jobs``).
    ``on_crash(item)`` gives the result for an item whose worker died twice; without it the
    :class:`~concurrent.futures.process.BrokenProcessPool` error is raised.
    """
    jobs = resolve_jobs(jobs)
    if hasattr(items, "__len__"):
        jobs = min(jobs, max(len(items), 1))  # no idle workers to start for a few items
    if jobs == 1:
        for item in items:
            yield fn(item)
        return
    size = batch or _batch_size(len(items) if hasattr(items, "__len__") else None, jobs)
    window = window or 4 * jobs
    source = iter(items)

    def batches() -> Iterator[list[T]]:
        while True:
            chunk = [x for _, x in zip(range(size), source, strict=False)]
            if not chunk:
                return
            yield chunk

    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker)
    pending: deque[tuple[list[T], Future]] = deque()
    todo = batches()
    try:
        while True:
            while len(pending) < window:
                chunk = next(todo, None)
                if chunk is None:
                    break
                pending.append((chunk, pool.submit(_run_batch, fn, chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                if on_crash is None:
                    raise
                suspects = chunk + [x for c, _ in pending for x in c]
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = ProcessPoolExecutor(1, mp_context=ctx, initializer=_init_worker)
                for item in suspects:
                    try:
                        yield pool.submit(fn, item).result()
                    except BrokenProcessPool:
                        pool.shutdown(wait=True)
                        pool = ProcessPoolExecutor(1, mp_context=ctx, initializer=_init_worker)
                        yield on_crash(item)
                pool.shutdown(wait=True)
                pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker)
                continue
            yield from results
    finally:
        # Also on Ctrl-C or when the consumer stops early: cancel what has not started and
        # reap the workers (each finishes at most the batch it is on).
        pool.shutdown(wait=True, cancel_futures=True)
