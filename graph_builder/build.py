"""Run the whole flow over many inputs: read → segment → extract → normalize → model.

Bad inputs never stop the run: each gives one :class:`Failure` naming the file and the
reason, and the rest is built. Writing views of the model (JSON, RDF, HTML …) is
:mod:`graph_builder.export.outputs`' job.
"""

from __future__ import annotations

import glob
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph_builder.model import Plan

__all__ = ["INPUT_SUFFIXES", "Failure", "BuildResult", "iter_inputs", "extract_all", "Progress"]

#: File endings picked up when a folder is given.
INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".docx", ".pdf")


@dataclass(frozen=True)
class Failure:
    source: str
    code: str
    message: str

    def format(self) -> str:
        return f"{self.source}: error {self.code}: {self.message}"


@dataclass
class BuildResult:
    plans: list[Plan] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [
            d.format(p.source) for p in self.plans for d in p.diagnostics if d.level == "warning"
        ]


def iter_inputs(args: Iterable[str]) -> Iterator[str]:
    """Expand files, folders (recursively, known endings) and glob patterns; ``-`` is stdin.

    A name that matches nothing is yielded as is, so reading it reports the problem.
    """
    seen = set()
    for arg in args:
        if arg == "-":
            yield arg
            continue
        if os.path.isdir(arg):
            found = sorted(
                str(p)
                for p in Path(arg).rglob("*")
                if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES and not p.name.startswith(".")
            )
        elif any(c in arg for c in "*?["):
            found = sorted(glob.glob(arg, recursive=True))
        else:
            found = [arg]
        for f in found:
            if f not in seen:
                seen.add(f)
                yield f


class Progress:
    """Documents done, rate and ETA on stderr; silent when stderr is not a terminal."""

    def __init__(self, total: int, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.total = total
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.monotonic()
        self.done = 0

    def step(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r{self.done}/{self.total} documents  {rate:6.1f} doc/s  ETA {eta:5.0f} s"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def extract_one(source_name: str, segmenter: str = "char") -> Plan | Failure:
    """Read and extract one input; a failure instead of an exception."""
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import ReadError, read_input

    try:
        src = read_input(source_name)
    except ReadError as exc:
        return Failure(source_name, exc.code, str(exc))
    try:
        return extract_plan(src, segmenter)
    except RecursionError:
        return Failure(source_name, "GB-E900", "document too deeply nested to parse")
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the corpus
        return Failure(source_name, "GB-E999", f"internal error while extracting: {exc!r}")


def extract_all(
    inputs: Iterable[str], segmenter: str = "char", progress: bool | None = None
) -> BuildResult:
    """Extract every input in order."""
    names = list(iter_inputs(inputs))
    result = BuildResult()
    bar = Progress(len(names), progress)
    for name in names:
        out = extract_one(name, segmenter)
        if isinstance(out, Failure):
            result.failures.append(out)
        else:
            result.plans.append(out)
        bar.step()
    return result
