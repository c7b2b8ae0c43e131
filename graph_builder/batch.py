"""Extract over many inputs: read → segment → extract → normalize → model, per input.

This module does not build outputs (that is :mod:`graph_builder.export.stream`): it maps the
per-document extraction over the inputs, in order, with a progress bar and in parallel.

Bad inputs never stop the run: each gives one :class:`Failure` naming the file and the
reason, and the rest is built. Writing views of the model (JSON, RDF, HTML …) is
:mod:`graph_builder.export.outputs`' job.

:func:`iter_extract` is the streaming form: it yields one result per input, in input order,
extracting in ``jobs`` processes, so a consumer can write each document and drop it; memory
then stays flat however large the corpus. :func:`extract_all` collects the same stream.
:func:`iter_rendered` also renders each plan where it was extracted (in the worker), so the
per-document views (JSON, text, the graph's N-Quads) are made in parallel too, and can send
back a :class:`PlanBrief` instead of the plan: a parent that only writes bytes then does
almost no work per document, and a build's speed grows with its workers.
"""

from __future__ import annotations

import glob
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from graph_builder import errors
from graph_builder.model import Diagnostic, Plan
from graph_builder.read import INPUT_FORMATS, UNSUPPORTED
from graph_builder.safetext import for_terminal
from graph_builder.timelimit import DEFAULT_DOC_TIMEOUT, DocumentTimeout, time_limit

__all__ = [
    "INPUT_SUFFIXES",
    "Failure",
    "Skipped",
    "PlanBrief",
    "BuildResult",
    "iter_inputs",
    "iter_extract",
    "iter_rendered",
    "extract_all",
    "extract_one",
    "Progress",
]

#: File endings picked up when a folder is given: every input format's (see
#: :data:`~graph_builder.read.INPUT_FORMATS`) but those read only when named.
INPUT_SUFFIXES = tuple(e for f in INPUT_FORMATS for e in f.endings if e not in f.named_only)
#: Also picked up: formats plans are published in that cannot be read (.doc, .wps, .ofd,
#: .rtf), so the user is told rather than left guessing. (A .doc that is really a web page
#: or a .docx, as some sites serve them, is read by its content.)
REPORTED_SUFFIXES = tuple(UNSUPPORTED)


@dataclass(frozen=True)
class Failure:
    source: str
    code: str
    message: str

    def format(self) -> str:
        return for_terminal(errors.line(self.source, self.code, self.message))


@dataclass(frozen=True)
class ReadingCounts:
    """How much of a plan's responsibility text was read: what a user needs to trust a build.

    ``clauses``: measures with a responsibility clause or table row read; ``no_unit``:
    measures where no responsible unit was found (GB-W104); ``units``: unit mentions;
    ``unknown_units``: units kept by their place although their form is unknown (GB-W110);
    ``unread``: pieces of clause text that were neither unit nor cue (GB-W111).
    """

    clauses: int = 0
    no_unit: int = 0
    units: int = 0
    unknown_units: int = 0
    unread: int = 0

    @classmethod
    def of(cls, plan: Plan) -> ReadingCounts:
        mentions = [a for m in plan.measures for a in m.responsibilities + m.implementers]
        return cls(
            clauses=sum(1 for m in plan.measures if m.responsibilities or m.implementers),
            no_unit=sum(1 for m in plan.measures if not m.responsibilities),
            units=len(mentions),
            unknown_units=sum(1 for a in mentions if not a.known),
            unread=sum(len(m.unread) for m in plan.measures),
        )

    def __add__(self, other: ReadingCounts) -> ReadingCounts:
        return ReadingCounts(
            *(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__)
        )

    def as_dict(self) -> dict[str, int]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}

    def summary(self) -> str:
        """One line for the end of a build."""
        return (
            f"read {self.clauses} responsibility clauses naming {self.units} units; "
            f"{self.no_unit} measures without a unit ({errors.W104}), "
            f"{self.unknown_units} units of unknown form kept ({errors.W110}), "
            f"{self.unread} clause fragments not read ({errors.W111})"
        )


@dataclass(frozen=True)
class Skipped:
    """An input that was read but not built: it is a plan already built in this run.

    ``GB-W005``: a copy of ``duplicate_of`` (same identity, same normalised text: one plan
    given twice, or as ``.txt`` and ``.html``). ``GB-W006``: another version of it (same
    region and title, other text); one version per build, so the earlier input is kept.
    """

    source: str
    code: str
    message: str
    duplicate_of: str

    def format(self) -> str:
        return for_terminal(errors.line(self.source, self.code, self.message))


@dataclass(frozen=True)
class PlanBrief:
    """What a streamed build's parent needs of a plan it does not keep.

    Its manifest line and its warnings; the plan itself stays in the worker that extracted
    and rendered it (a pickled plan is ~100 KB that the parent would only unpickle to drop).
    """

    doc_id: str
    source: str
    sha256: str
    measures: int
    warnings: tuple[str, ...]
    #: The document's identity (:func:`graph_builder.graph.identity.document_key`) and the
    #: digest of its normalised text, to find copies and versions of one plan.
    key: str = ""
    text_digest: str = ""
    reading: ReadingCounts = field(default_factory=ReadingCounts)

    @classmethod
    def of(cls, plan: Plan) -> PlanBrief:
        from graph_builder.graph.identity import document_key, text_digest

        return cls(
            plan.doc_id,
            plan.source,
            plan.sha256,
            len(plan.measures),
            tuple(d.format(plan.source) for d in plan.diagnostics if d.level == "warning"),
            document_key(plan),
            text_digest(plan.text),
            ReadingCounts.of(plan),
        )


@dataclass
class BuildResult:
    plans: list[Plan] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    #: Inputs not built because they are a plan already built (copies, other versions).
    skipped: list[Skipped] = field(default_factory=list)
    #: Warnings of plans that were streamed (written and dropped) rather than kept.
    dropped_warnings: list[str] = field(default_factory=list)
    #: How many plans were streamed without being kept.
    dropped: int = 0

    @property
    def warnings(self) -> list[str]:
        return (
            self.dropped_warnings
            + [
                d.format(p.source)
                for p in self.plans
                for d in p.diagnostics
                if d.level == "warning"
            ]
            + [s.format() for s in self.skipped]
        )

    def add(self, out: Plan | PlanBrief | Failure | Skipped, keep: bool = True) -> None:
        """Record one result of :func:`iter_rendered`; ``keep=False`` keeps only its warnings
        (as does a :class:`PlanBrief`, the plan having stayed in its worker)."""
        if isinstance(out, Failure):
            self.failures.append(out)
        elif isinstance(out, Skipped):
            self.skipped.append(out)
        elif keep and isinstance(out, Plan):
            self.plans.append(out)
        else:
            brief = out if isinstance(out, PlanBrief) else PlanBrief.of(out)
            self.dropped += 1
            self.dropped_warnings.extend(brief.warnings)


def iter_inputs(args: Iterable[str]) -> Iterator[str]:
    """Expand files, folders (recursively, known endings) and glob patterns; ``-`` is stdin.

    A name that matches nothing (a missing file, a glob without matches, a folder without
    plan files) is yielded as is, so reading it reports the problem.
    """
    seen = set()
    for arg in args:
        if arg == "-":
            yield arg
            continue
        if os.path.isdir(arg):
            found = _walk(arg)
        elif any(c in arg for c in "*?[") and not os.path.exists(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            found = [
                f for g in matches for f in (_walk(g, False) if os.path.isdir(g) else [g])
            ] or [arg]
        else:
            found = [arg]
        for f in found:
            if f not in seen:
                seen.add(f)
                yield f


def _walk(folder: str, report_empty: bool = True) -> list[str]:
    """Plan files under ``folder`` (recursively); the folder itself when it has none and
    ``report_empty`` (a folder the user named, not one a pattern happened to match)."""
    unreadable: list[str] = []

    def note(exc: OSError) -> None:
        if exc.filename is not None and os.path.realpath(exc.filename) != os.path.realpath(folder):
            unreadable.append(str(exc.filename))  # a subfolder that cannot be listed

    found = []
    for top, _dirs, files in os.walk(folder, onerror=note):
        # every kind of entry but a folder: a broken link, a FIFO or a device is reported
        # (and not opened) rather than skipped without a word
        found += [
            os.path.join(top, f)
            for f in files
            if Path(f).suffix.lower() in INPUT_SUFFIXES + REPORTED_SUFFIXES
            and not f.startswith(".")
        ]
    found = sorted(found + unreadable)
    return found or ([folder] if report_empty else [])


class Progress:
    """Documents done, rate and ETA on stderr; silent when stderr is not a terminal.

    Redrawn at most every :attr:`interval` seconds (and always at the end), so a fast run
    does not spend its time writing to the terminal.
    """

    interval = 0.2

    def __init__(self, total: int, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.total = total
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.monotonic()
        self.done = 0
        self._drawn = float("-inf")

    def step(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn < self.interval and self.done < self.total:
            return
        self._drawn = now
        elapsed = now - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r{self.done}/{self.total} documents  {rate:6.1f} doc/s  ETA {eta:5.0f} s"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def extract_one(
    source_name: str,
    segmenter: str = "char",
    doc_id: str | None = None,
    data: bytes | None = None,
) -> Plan | Failure:
    """Read and extract one input; a failure instead of an exception. ``data``: the input's
    bytes, read elsewhere (a cluster worker without the parent's files), named as the path."""
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import ReadError, display_name, read_bytes, read_input

    try:
        if data is None:
            src = read_input(source_name)
        else:
            src = read_bytes(data, display_name(source_name), Path(source_name).suffix.lower())
    except ReadError as exc:
        return Failure(display_name(source_name), exc.code, str(exc))
    except RecursionError:
        return Failure(display_name(source_name), errors.E900, "document too deeply nested to read")
    except Exception as exc:  # noqa: BLE001 - a reader library's bug must not stop the corpus
        return Failure(
            display_name(source_name), errors.E998, f"internal error while reading: {exc!r}"
        )
    src.doc_id_override = doc_id
    try:
        plan = extract_plan(src, segmenter)
        _warn_unread_numbering(plan)
        if doc_id:
            plan.diagnostics.append(
                Diagnostic(
                    errors.W007,
                    "warning",
                    f"outputs are named {doc_id}, the identifier the caller gave",
                )
            )
        return plan
    except RecursionError:
        return Failure(src.source, errors.E900, "document too deeply nested to parse")
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the corpus
        return Failure(src.source, errors.E999, f"internal error while extracting: {exc!r}")


#: Labels of numbered paragraphs anywhere in a text: （一） (1) 一、 1. 1、 ①.
_NUMBER_LABEL = re.compile(
    r"[（(][一二三四五六七八九十]{1,3}[）)]|[（(]\d{1,2}[）)]|(?<![\d.])\d{1,2}[.．、](?!\d)"
    r"|[一二三四五六七八九十]{1,3}、|[①-⑳]"
)


def _warn_unread_numbering(plan: Plan) -> None:
    """``GB-W109`` when a plan has numbered paragraphs but no measure was read from them
    (line breaks the reader did not see, a format the structure parser does not know), so
    a plan is never dropped from the counts without a word that names the reason."""
    if plan.measures:
        return
    found = list(_NUMBER_LABEL.finditer(plan.text))
    labels = [m.group() for m in found]
    if len(set(labels)) >= 2:
        plan.diagnostics.append(
            Diagnostic(
                errors.W109,
                "warning",
                f"the text has {len(labels)} numbered paragraphs ({', '.join(labels[:3])} …) "
                "but no measure was read from them: check its line breaks and format",
                found[0].start(),
            )
        )


def _worker_died(task: tuple[str, bool]) -> tuple[Failure, None]:
    return Failure(task[0], errors.E901, "the extraction process died on this document"), None


R = TypeVar("R")


def _extract_and_render(
    task: tuple[str, bool],
    segmenter: str,
    render: Callable[[Plan], R] | None,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
) -> tuple[Plan | PlanBrief | Failure, R | None]:
    """One input, in a worker: extract, render, and send back the plan (when the task says
    so) or only its brief. A task is ``(name, ship_plan)``, or ``(name, ship_plan, bytes)``
    when the input travels by bytes (``--cluster`` workers without the parent's files).

    This is the per-document function every runner (``--jobs``, ``--cluster``) maps over the
    inputs, so the time limit lives here (see :mod:`graph_builder.timelimit`): reading,
    extracting and rendering one input that takes longer than ``doc_timeout`` seconds gives a
    ``GB-E070`` failure.
    """
    from graph_builder.read import display_name

    name, ship_plan, *data = task
    try:
        with time_limit(doc_timeout):
            out, rendered = _render(extract_one(name, segmenter, None, *data), render)
    except DocumentTimeout:
        return Failure(
            display_name(name),
            errors.E070,
            f"took longer than {doc_timeout:g} s to read and extract; skipped (--doc-timeout)",
        ), None
    if isinstance(out, Plan) and not ship_plan:
        out = PlanBrief.of(out)
    return out, rendered


def _render(
    out: Plan | Failure, render: Callable[[Plan], R] | None
) -> tuple[Plan | Failure, R | None]:
    if render is None or not isinstance(out, Plan):
        return out, None
    try:
        return out, render(out)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the corpus
        return Failure(out.source, errors.E997, f"internal error while rendering: {exc!r}"), None


def iter_extract(
    inputs: Iterable[str],
    jobs: int = 1,
    segmenter: str = "char",
    progress: bool | None = None,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
) -> Iterator[Plan | Failure | Skipped]:
    """Yield a :class:`Plan`, :class:`Failure` or :class:`Skipped` per input, in input order.

    ``jobs`` > 1 extracts in that many processes (0: one per CPU); the results are the same
    as with one job, in the same order. Reading standard input (``-``) stays in this process.
    ``progress`` as for :class:`Progress` (None: only when stderr is a terminal).
    ``doc_timeout``: seconds one input may take (None: no limit), see
    :func:`_extract_and_render`.
    """
    for out, _ in iter_rendered(inputs, None, jobs, segmenter, progress, doc_timeout=doc_timeout):
        yield out


def iter_rendered(
    inputs: Iterable[str],
    render: Callable[[Plan], R] | None,
    jobs: int = 1,
    segmenter: str = "char",
    progress: bool | None = None,
    keep_plans: bool = True,
    previous=None,
    cluster: str | None = None,
    send_bytes: bool = False,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
) -> Iterator[tuple[Plan | PlanBrief | Failure | Skipped, R | None]]:
    """As :func:`iter_extract`, with ``render(plan)`` beside each plan (None for a failure).

    A plan whose identity an earlier input of this run already has (a copy, or another
    version: see :mod:`graph_builder.graph.identity`) comes back as :class:`Skipped`.

    ``render`` runs in the worker that extracted the plan, so it must be a module-level
    function (or a :func:`functools.partial` of one) and depend on the plan alone. With
    ``keep_plans=False`` a :class:`PlanBrief` comes back instead of each plan.

    Identifiers are settled here, in input order, so any number of jobs names outputs alike
    (see :func:`_settle_doc_id`). A plan this process renames is rendered again here, so the
    rendering always matches the plan's final identifier; for that, the plans of inputs whose
    file name another input shares come back whole even when ``keep_plans`` is off.

    ``previous`` (a :class:`~graph_builder.export.incremental.PreviousBuild`, with
    ``keep_plans`` off) gives the brief and rendered views of inputs it holds unchanged;
    only the others are extracted.

    ``cluster`` (a Dask scheduler address) runs the work there instead of in ``jobs``
    local processes (see :mod:`graph_builder.cluster`), the inputs sent by path, or by
    bytes with ``send_bytes``; the results are the same, in the same order.
    """
    from graph_builder.parallel import imap_ordered, resolve_jobs

    names = list(iter_inputs(inputs))
    bar = Progress(len(names), progress)
    if "-" in names:
        jobs = 1  # a worker process cannot read this process's standard input
    tasks = [(n, keep_plans or clash) for n, clash in zip(names, _may_clash(names), strict=True)]
    work = partial(_extract_and_render, segmenter=segmenter, render=render, doc_timeout=doc_timeout)
    taken: set[str] = set()
    built: dict[str, PlanBrief] = {}
    cached: dict[int, dict] = {}
    if previous is not None and not keep_plans:
        for i, (name, ship_plan) in enumerate(tasks):
            entry = None if ship_plan else previous.lookup(name)
            if entry is not None:
                cached[i] = entry
    todo = [t for i, t in enumerate(tasks) if i not in cached]
    if cluster and "-" not in names:
        from graph_builder.cluster import imap_cluster, with_bytes

        if send_bytes:
            todo = ((n, ship, with_bytes(n)) for n, ship in todo)  # read as sent
        results = imap_cluster(work, todo, cluster, on_crash=_worker_died)
    else:
        results = imap_ordered(work, todo, resolve_jobs(jobs), on_crash=_worker_died)
    for i, name in enumerate(names):
        out, rendered = previous.load(cached[i]) if i in cached else next(results)
        if isinstance(out, PlanBrief | Plan):
            skipped = _same_plan(out, built)
            if skipped is not None:
                out, rendered = skipped, None
        if isinstance(out, PlanBrief):
            taken.add(out.doc_id)
        elif isinstance(out, Plan):
            if _settle_doc_id(out, name, taken):
                out, rendered = _render(out, render)
            if not keep_plans and isinstance(out, Plan):
                out = PlanBrief.of(out)
        bar.step()
        yield out, rendered


def extract_all(
    inputs: Iterable[str],
    segmenter: str = "char",
    progress: bool | None = None,
    jobs: int = 1,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
) -> BuildResult:
    """Extract every input in order (see :func:`iter_extract`) and keep the plans."""
    result = BuildResult()
    for out in iter_extract(inputs, jobs, segmenter, progress, doc_timeout):
        result.add(out)
    return result


def _same_plan(out: Plan | PlanBrief, built: dict[str, PlanBrief]) -> Skipped | None:
    """A :class:`Skipped` when a plan of this run already has ``out``'s identity, else None
    (and ``out`` is recorded as built)."""
    brief = out if isinstance(out, PlanBrief) else PlanBrief.of(out)
    first = built.get(brief.key)
    if first is None:
        built[brief.key] = brief
        return None
    if first.text_digest == brief.text_digest:
        return Skipped(
            brief.source,
            errors.W005,
            f"the same plan as {first.source} (same text); skipped",
            first.doc_id,
        )
    return Skipped(
        brief.source,
        errors.W006,
        f"another version of the plan in {first.source} (same region and title, other "
        "text); skipped: build it on its own to replace that version in a store",
        first.doc_id,
    )


def _may_clash(names: list[str]) -> list[bool]:
    """For each input, whether another input may get its identifier (so it may be renamed)."""
    from graph_builder.read import safe_doc_id

    if "-" in names:  # stdin-<sha256 prefix> is known only once read
        return [True] * len(names)
    ids = [safe_doc_id(Path(n).stem) for n in names]
    count = Counter(ids)
    return [count[i] > 1 for i in ids]


def _settle_doc_id(plan: Plan, name: str, taken: set[str]) -> bool:
    """Rename ``plan`` when an earlier document of this run already has its identifier.

    Outputs are named after the identifier, so two inputs with one stem (``a/plan.txt`` and
    ``b/plan.pdf``) would overwrite each other's files; the later one is named by its stem
    plus a short hash of its path instead, with a warning.
    """
    free = _free_doc_id(name, taken)
    renamed = bool(free and free != plan.doc_id)
    if renamed:
        plan.doc_id = free
        plan.diagnostics.append(
            Diagnostic(
                errors.W004,
                "warning",
                f"another input has the same file name; outputs are named {free}",
            )
        )
    taken.add(plan.doc_id)
    return renamed


def _free_doc_id(name: str, taken: set[str]) -> str | None:
    """``None`` (the file's own identifier) unless an earlier document already has it.

    Outputs are named after the document identifier, so two inputs with one stem
    (``a/plan.txt`` and ``b/plan.pdf``) would overwrite each other's files; the later one is
    named by its stem plus a short hash of its path instead.
    """
    from graph_builder.read import safe_doc_id

    if name == "-" or safe_doc_id(Path(name).stem) not in taken:
        return None
    return safe_doc_id(Path(name).stem, salt=name)
