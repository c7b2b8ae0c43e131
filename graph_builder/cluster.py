"""Extraction past one machine: the per-document work on a Dask distributed cluster.

``policykg build PLANS --cluster tcp://scheduler:8786`` runs the same per-document worker
function as ``--jobs`` (:func:`graph_builder.batch._extract_and_render`: read, extract,
render a plan's views) on the workers of a Dask scheduler, and hands the results back in
input order, so the parent writes exactly what ``--jobs 1`` writes. What :mod:`.parallel`
guarantees for one machine holds here too:

* **Deterministic:** results are yielded in input order whatever worker ran them.
* **Bounded memory:** items go in small batches, at most ``window`` batches in flight; a
  batch's results are released on the cluster once taken.
* **One bad input does not stop the run:** a batch whose worker died (Dask's
  ``KilledWorker``, after its own retries) is re-run item by item, and an item that kills
  a worker again gets ``on_crash(item)``.

Inputs travel **by path** (the workers see the same files: a shared or copied folder) or,
with ``send_bytes``, **by bytes**: the parent reads each file and the worker reads the plan
from those bytes under the same name, for workers that do not share the parent's disk.

Every worker needs ``graph_builder`` installed, the same version as the parent (the work is
sent as a reference to its function). Dask is an optional dependency: ``pip install
'graph_builder[cluster]'``.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["ClusterError", "imap_cluster", "with_bytes"]

T = TypeVar("T")
R = TypeVar("R")

#: Items per task: a plan takes tens of milliseconds, a Dask task costs about one.
MAX_BATCH = 8


class ClusterError(Exception):
    """The cluster cannot be used (Dask missing, scheduler unreachable)."""


def _run_batch(fn: Callable[[T], R], batch: list[T]) -> list[R]:
    return [fn(item) for item in batch]


def _client(address: str, timeout: float):
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError(
            "Dask distributed is not installed: pip install 'graph_builder[cluster]'"
        ) from exc
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc


def imap_cluster(
    fn: Callable[[T], R],
    items: Iterable[T],
    address: str,
    *,
    batch: int | None = None,
    window: int | None = None,
    on_crash: Callable[[T], R] | None = None,
    timeout: float = 30,
) -> Iterator[R]:
    """Yield ``fn(item)`` for every item, in input order, computed on the Dask cluster at
    ``address`` (``tcp://host:8786``). ``fn`` must be importable on the workers."""
    from distributed import KilledWorker

    total = len(items) if hasattr(items, "__len__") else None
    source = iter(items)  # taken lazily: items may carry a file's bytes each
    client = _client(address, timeout)
    pending: deque = deque()
    try:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        size = batch or (
            MAX_BATCH if total is None else max(1, min(MAX_BATCH, math.ceil(total / (workers * 4))))
        )
        window = window or 4 * workers

        def take() -> list:
            return [x for _, x in zip(range(size), source, strict=False)]

        chunks = iter(take, [])
        while True:
            while len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append((chunk, client.submit(_run_batch, fn, chunk, pure=False)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except KilledWorker:
                if on_crash is None:
                    raise
                results = []
                for item in chunk:
                    one = client.submit(fn, item, pure=False)
                    try:
                        results.append(one.result())
                    except KilledWorker:
                        results.append(on_crash(item))
                    finally:
                        one.release()
            finally:
                future.release()
            yield from results
    finally:
        for _chunk, future in pending:  # the consumer stopped early, or an error
            future.cancel()
        client.close()


def with_bytes(name: str) -> bytes | None:
    """The bytes a worker reads for input ``name`` when inputs travel by bytes: what the
    reader of its format would load, under the same size limit; None (the worker reads the
    path, and fails as a local build would) for standard input, a missing file or a format
    checked by path."""
    from graph_builder.read import FORMATS, READERS, ReadError
    from graph_builder.read.text import load_bytes

    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = READERS.get("." + suffix, "text") if suffix else "text"
    if name == "-" or ("." + suffix) not in READERS:
        return None
    try:
        return load_bytes(name, FORMATS[kind][1])
    except (OSError, ReadError):
        return None
