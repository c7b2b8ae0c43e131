"""Atomic file writes: a temporary file in the same folder, then a rename.

An interrupted or failed run never leaves a half-written output where a good one stood.

``durable=True`` (the default) also flushes the file to the disk before the rename, so it
survives a power cut too. That costs a disk round trip per file (most of a streamed build's
time per document, measured), so the streamed build writes its thousands of per-document
files without it and makes only ``graph.nq`` and the manifest, written last, durable: after a
power cut mid-run, files written in the last seconds may be lost, but never half there.
"""

from __future__ import annotations

import os
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_write_text", "atomic_write_bytes", "atomic_open"]


@contextmanager
def atomic_open(
    path: str | Path, mode: str = "w", encoding: str | None = "utf-8", durable: bool = True
):
    """Open a temporary file beside ``path``; it replaces ``path`` only if the block succeeds
    (after an ``fsync`` when ``durable``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Ctrl-C between creating the temporary file and the ``try`` below would leave it behind
    # (a streamed build writes files all the time, so it happens): SIGINT waits until then.
    held = _hold_sigint()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except BaseException:
        _release_sigint(held)
        raise
    binary = "b" in mode
    try:
        _release_sigint(held)  # a Ctrl-C that came meanwhile is raised here, and cleaned up
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else "\n"
        ) as fh:
            yield fh
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        # mkstemp creates the file private (0600); outputs are ordinary files (0666 less umask).
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    """The process's umask (read by setting it: there is no getter; restored at once)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _hold_sigint():
    """Block SIGINT in this thread (where the platform can); returns what to restore."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _release_sigint(held) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def atomic_write_text(path: str | Path, text: str, durable: bool = True) -> None:
    with atomic_open(path, "w", durable=durable) as fh:
        fh.write(text)


def atomic_write_bytes(path: str | Path, data: bytes, durable: bool = True) -> None:
    with atomic_open(path, "wb", None, durable=durable) as fh:
        fh.write(data)
