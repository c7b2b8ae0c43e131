"""Hand a document's N-Quads from an extraction worker to the writing process by file.

A plan's graph is ~1.3 MB of N-Quads (facts and evidence). Sent back as a result it is
pickled, pushed through a pipe in 64 KB pieces, read and unpickled by the parent, and only
then written: four copies of every byte and two processes busy for each. Instead the worker
writes the bytes once into a spool file of its own in the build's staging folder and sends
back a :class:`Spooled` record (the file's path and the length of each part); the parent
appends each part to its output with a copy inside the kernel (``os.copy_file_range``,
falling back to ``os.sendfile`` and then to read and write) and removes the file.

The bytes are the ones the worker rendered, appended in input order, so the outputs are
those of a build without spooling. Spool files live in :data:`SPOOL_DIR` of the staging
folder: a worker that dies mid-document leaves its file there, and the folder goes with the
build (removed before the staging folder is swapped in, or with it when the build fails).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["SPOOL_DIR", "Spooled", "spool", "append_part", "read_part", "discard", "remove_folder"]

#: The spool folder's name inside the staging folder (hidden: never an output).
SPOOL_DIR = ".spool"


@dataclass(frozen=True)
class Spooled:
    """Bytes a worker left in a spool file: its path and the length of each part, in order."""

    path: str
    sizes: tuple[int, ...]

    def offset(self, part: int) -> int:
        return sum(self.sizes[:part])


def spool(folder: str | Path, parts: Sequence[bytes]) -> Spooled:
    """Write ``parts`` one after the other into a new file in ``folder`` (runs in a worker)."""
    fd, path = tempfile.mkstemp(dir=folder, suffix=".nq")
    with os.fdopen(fd, "wb", buffering=0) as fh:
        for part in parts:
            view = memoryview(part)
            while view:  # an unbuffered write may write less than asked
                view = view[fh.write(view) :]
    return Spooled(path, tuple(len(p) for p in parts))


def _copy(src: int, dst: int, offset: int, length: int, at: int) -> None:
    """Copy ``length`` bytes of ``src`` from ``offset`` into ``dst`` at ``at``."""
    done = 0
    if hasattr(os, "copy_file_range"):
        try:
            while done < length:
                n = os.copy_file_range(src, dst, length - done, offset + done, at + done)
                if n == 0:
                    break
                done += n
        except OSError:  # another file system, an old kernel, a system without it
            pass
    if done < length:
        os.lseek(dst, at + done, os.SEEK_SET)
        while done < length:
            try:
                n = os.sendfile(dst, src, offset + done, length - done)
            except OSError:
                n = 0
            if n == 0:
                break
            done += n
    while done < length:
        data = os.pread(src, min(length - done, 1 << 20), offset + done)
        if not data:
            raise OSError(f"spool file shorter than its record ({done} of {length} bytes)")
        os.pwrite(dst, data, at + done)
        done += len(data)


def append_part(out: BinaryIO, spooled: Spooled, part: int, at: int) -> int:
    """Append part ``part`` of ``spooled`` to ``out`` (open for writing, ``at`` bytes long);
    return the part's length. ``out``'s buffer is flushed first and its position set after
    the part, so writes through it may follow."""
    length = spooled.sizes[part]
    if length:
        out.flush()
        fd = os.open(spooled.path, os.O_RDONLY)
        try:
            _copy(fd, out.fileno(), spooled.offset(part), length, at)
        finally:
            os.close(fd)
    out.seek(at + length)
    return length


def read_part(spooled: Spooled, part: int) -> bytes:
    """Part ``part`` of ``spooled`` as bytes (for a reader that wants them, e.g. the store)."""
    fd = os.open(spooled.path, os.O_RDONLY)
    try:
        data = os.pread(fd, spooled.sizes[part], spooled.offset(part))
    finally:
        os.close(fd)
    if len(data) != spooled.sizes[part]:
        raise OSError(f"{spooled.path}: shorter than its record")
    return data


def discard(spooled: Spooled) -> None:
    """Remove a spool file once its parts are written."""
    try:
        os.unlink(spooled.path)
    except FileNotFoundError:
        pass


def remove_folder(folder: str | Path) -> None:
    """Remove the spool folder with whatever dead workers left in it."""
    shutil.rmtree(folder, ignore_errors=True)
