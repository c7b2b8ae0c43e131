"""A time limit for one document's read, extraction and rendering.

Why: a single input must not stall a corpus build. A plan that makes some step slow (a
pattern that backtracks, a pathological layout) would otherwise hold its worker forever and,
since results come back in input order, every output after it (issue 13). The limit is
enforced *inside* the per-document worker function (:func:`graph_builder.batch.
_extract_and_render`), so every runner that calls that function — in-process, the process
pool of :mod:`graph_builder.parallel`, a Dask worker process — gets it without its own code.

How: a POSIX interval timer (``SIGALRM``) raises :class:`DocumentTimeout` in the worker. The
interpreter checks signals between bytecodes and inside long regex searches, so pure-Python
work and ``re`` are interrupted on time. The exception derives from :class:`BaseException`,
so the ``except Exception`` guards of readers and extractors do not swallow it. Where no
timer is available (Windows, or a worker thread rather than a process's main thread, as in a
threaded Dask worker) the limit is not applied; the run goes on unlimited, as before.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["DEFAULT_DOC_TIMEOUT", "DocumentTimeout", "time_limit", "can_limit"]

#: Seconds one document may take (read, extract, render); real plans take well under one.
DEFAULT_DOC_TIMEOUT = 60.0


class DocumentTimeout(BaseException):
    """One document took longer than its limit."""


def can_limit() -> bool:
    """Whether a time limit can be enforced here (a POSIX process's main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _expired(signum, frame) -> None:
    raise DocumentTimeout()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in the body once ``seconds`` have passed.

    ``None`` or ``0`` (or a thread or platform without timers): no limit.
    """
    if not seconds or seconds <= 0 or not can_limit():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
