"""A pool of query worker processes, each stopped for good when its query overruns.

A request borrows an idle worker, sends it the query and waits, watching three things: the
time limit, the worker's resident memory (read from ``/proc``; the worker also carries an
address-space cap as a backstop) and whether the client is still connected. When any of them
trips, the worker is killed (SIGKILL: the engine cannot be interrupted otherwise) and a fresh
one is started in the background, so the other workers keep serving meanwhile.
"""

from __future__ import annotations

import json
import os
import queue
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph_builder import errors

__all__ = ["Answer", "Stopped", "WorkerPool"]


@dataclass
class Answer:
    status: str
    media: str
    body: bytes


class Stopped(Exception):
    """A query ended by the pool; ``status`` is the HTTP status line to answer with."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Worker:
    def __init__(self, store_dir: Path, writable: bool, memory_mb: int, network: bool):
        cmd = [sys.executable, "-m", "graph_builder.store.query_worker", str(store_dir)]
        cmd += ["--memory-mb", str(memory_mb)] + (["--write"] if writable else [])
        cmd += [] if network else ["--no-network"]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        line = self.proc.stdout.readline()
        if line != b"ready\n":
            self.kill()
            raise OSError(f"query worker did not start on {store_dir}")
        self.fd = self.proc.stdout.fileno()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


class WorkerPool:
    """``size`` workers over the on-disk store ``store_dir`` (one read-write worker if
    ``writable``: only one process may open a store for writing). Without ``network`` the
    workers cannot open IP sockets (so ``SERVICE`` cannot reach anything)."""

    def __init__(self, store_dir: Path, size: int = 2, writable: bool = False,
                 memory_mb: int = 1024, max_answer: int = 256 << 20,
                 network: bool = False):  # fmt: skip
        self.store_dir, self.writable, self.memory_mb = store_dir, writable, memory_mb
        self.network = network
        self.size = 1 if writable else max(1, size)
        self.max_answer = max_answer
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._wanted: queue.Queue[bool] = queue.Queue()
        threading.Thread(target=self._spawner, daemon=True).start()
        for _ in range(self.size):
            self._wanted.put(True)
        deadline = time.monotonic() + 120
        while len(self._all) < self.size:
            if time.monotonic() > deadline:
                self.close()
                raise OSError(f"query workers did not start on {store_dir}")
            time.sleep(0.05)

    def _start(self) -> _Worker:
        return _Worker(self.store_dir, self.writable, self.memory_mb, self.network)

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and have its successor started (a start takes ~0.3 s)."""
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        self._wanted.put(True)

    def _spawner(self) -> None:
        """Start workers on demand. One long-lived thread does it because a worker is tied to
        the thread that started it (Linux ends it when that thread ends: PR_SET_PDEATHSIG)."""
        while self._wanted.get():
            for attempt in range(3):
                try:
                    self._add(self._start())
                    break
                except OSError:
                    time.sleep(0.5 * (attempt + 1))

    def run(
        self, request: dict, timeout: float, gone: Callable[[], bool] = lambda: False
    ) -> Answer:
        """Run ``request`` on a worker within ``timeout`` seconds; :class:`Stopped` if not."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise Stopped(
                "503 Service Unavailable",
                f"{errors.E069}: every query worker stayed busy for {timeout:g} s; try again",
            ) from None
        try:
            worker.proc.stdin.write(json.dumps(request).encode() + b"\n")
            worker.proc.stdin.flush()
        except OSError:
            self._replace(worker)
            raise Stopped(
                "503 Service Unavailable", f"{errors.E069}: a query worker ended"
            ) from None
        deadline = time.monotonic() + timeout
        limit = self.memory_mb << 20
        buf, head = bytearray(), None
        while True:
            ready, _, _ = select.select([worker.fd], [], [], 0.02)
            if ready:
                chunk = os.read(worker.fd, 1 << 20)
                if not chunk:
                    self._replace(worker)
                    raise Stopped(
                        "503 Service Unavailable",
                        f"{errors.E067}: the query process ended (over the {self.memory_mb} MB memory "
                        "limit, or an engine failure)",
                    )
                buf += chunk
                if head is None and b"\n" in buf:
                    line, _, rest = bytes(buf).partition(b"\n")
                    head, buf = json.loads(line), bytearray(rest)
                    if head["length"] > self.max_answer:
                        self._replace(worker)
                        raise Stopped(
                            "503 Service Unavailable",
                            f"{errors.E067}: the answer ({head['length']} bytes) is over the limit of "
                            f"{self.max_answer} bytes; narrow the query or add LIMIT",
                        )
                if head is not None and len(buf) >= head["length"]:
                    self._idle.put(worker)
                    return Answer(head["status"], head["media"], bytes(buf))
                continue
            if time.monotonic() > deadline:
                self._replace(worker)
                raise Stopped(
                    "503 Service Unavailable",
                    f"{errors.E067}: query stopped at the time limit of {timeout:g} s",
                )
            if limit and _rss_bytes(worker.proc.pid) > limit:
                self._replace(worker)
                raise Stopped(
                    "503 Service Unavailable",
                    f"{errors.E067}: query stopped at the memory limit of {self.memory_mb} MB",
                )
            if gone():
                self._replace(worker)
                raise Stopped("499 Client Closed Request", f"{errors.E067}: the client went away")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        self._wanted.put(False)
        for w in workers:
            w.kill()
