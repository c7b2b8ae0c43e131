"""An output folder that always describes one build: staged, swapped in whole, locked.

A build writes into a hidden staging folder beside the output folder
(``.<name>.staging-<pid>``) and, once every file and the manifest are there, swaps it in
whole: with Linux's ``renameat2(RENAME_EXCHANGE)`` in one step, elsewhere by two renames
(the earlier folder, renamed ``.<name>.old-<pid>``, is put back by the next build if one is
killed between them). So whenever a build stops (Ctrl-C, SIGKILL, a full disk) the output
folder holds the files of the previous build or of the new one, never a mix, and never a
temporary file among them.

Files in the output folder that no build wrote (not in the previous manifest: screenshots,
notes) are carried over into the new folder by hard link. A folder that holds files but no
``manifest.json`` is not an output folder and is never replaced.

A lock file beside the folder (``.<name>.lock``, held with ``flock`` for the whole build and
released by the system when the process ends, however it ends) refuses a second build into
the same folder at the same time. Staging and old folders of killed builds are removed by
the next build into the folder, under the lock.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
from pathlib import Path

__all__ = ["OutputFolder", "OutputLocked", "NotAnOutputFolder"]

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock
    fcntl = None

MANIFEST = "manifest.json"


class OutputLocked(Exception):
    """Another build is writing into the same output folder."""

    def __init__(self, folder: Path, lock: Path, holder: str):
        self.folder, self.lock, self.holder = folder, lock, holder
        who = f" (process {holder})" if holder else ""
        super().__init__(
            f"another policykg build is writing into this folder{who}; wait for it to "
            f"finish or build into another folder (lock file {lock})"
        )


class NotAnOutputFolder(Exception):
    """The output folder holds files but no manifest: replacing it would lose them."""

    def __init__(self, folder: Path, reason: str | None = None):
        self.folder = folder
        super().__init__(
            (reason or "holds files but no manifest.json: not an output folder of policykg")
            + "; a build replaces its output folder as a whole: give a new or empty folder"
        )


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False
    where the system or file system cannot."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class OutputFolder:
    """Stage a build's files beside ``final`` and swap them in whole; a context manager.

    Inside the ``with`` block write under :attr:`staging`; :meth:`commit` swaps it in.
    Leaving the block without a commit removes the staging folder and leaves ``final`` as
    it was.
    """

    def __init__(self, final: str | Path):
        final = Path(os.path.abspath(final))
        if final.parent == final or Path.cwd().is_relative_to(final):
            raise NotAnOutputFolder(final, "is the working folder or holds it")
        self.final = final
        self.parent = final.parent
        self.name = final.name
        self.lock_path = self.parent / f".{self.name}.lock"
        self.staging = self.parent / f".{self.name}.staging-{os.getpid()}"
        self._old = self.parent / f".{self.name}.old-{os.getpid()}"
        self._lock_fd: int | None = None
        self.committed = False

    # ------------------------------------------------------------------ life cycle
    def __enter__(self) -> OutputFolder:
        if self.final.exists() and not self.final.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(self.final))
        self.parent.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            self._recover()
            if self.final.is_dir() and not (self.final / MANIFEST).exists():
                if any(not p.name.startswith(".") for p in self.final.iterdir()):
                    raise NotAnOutputFolder(self.final)
            self.staging.mkdir()
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, *exc) -> bool:
        try:
            if not self.committed:
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._unlock()
        return False

    def commit(self) -> None:
        """Carry over files no build wrote, then swap the staging folder in."""
        if self.final.is_dir():
            self._carry_over()
            if _exchange(self.staging, self.final):
                shutil.rmtree(self.staging, ignore_errors=True)  # now the previous build
            else:
                os.rename(self.final, self._old)
                os.rename(self.staging, self.final)
                shutil.rmtree(self._old, ignore_errors=True)
        else:
            os.rename(self.staging, self.final)
        self.committed = True

    # ------------------------------------------------------------------ helpers
    def _lock(self) -> None:
        if fcntl is None:
            return
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise OutputLocked(self.final, self.lock_path, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def _leftovers(self, kind: str) -> list[Path]:
        prefix = f".{self.name}.{kind}-"
        return sorted(
            (p for p in self.parent.iterdir() if p.name.startswith(prefix) and p.is_dir()),
            key=lambda p: p.stat().st_mtime,
        )

    def _recover(self) -> None:
        """Undo what killed builds left (this process holds the lock, so none is running):
        put back a folder renamed away just before a kill, remove staging and old folders."""
        olds = self._leftovers("old")
        if not self.final.exists() and olds:
            os.rename(olds[-1], self.final)
            olds = olds[:-1]
        for p in olds + self._leftovers("staging"):
            shutil.rmtree(p, ignore_errors=True)

    def _carry_over(self) -> None:
        """Hard-link into the staging folder every file of ``final`` that no build wrote."""
        built: set[str] = {MANIFEST}
        try:
            built |= set(json.loads((self.final / MANIFEST).read_text("utf-8"))["files"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        for path in sorted(self.final.rglob("*")):
            rel = path.relative_to(self.final)
            if path.is_dir() or rel.as_posix() in built or path.name.endswith(".tmp"):
                continue
            target = self.staging / rel
            if target.exists():
                continue  # the new build wrote a file of that name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target, follow_symlinks=False)
            except OSError:
                shutil.copy2(path, target, follow_symlinks=False)
