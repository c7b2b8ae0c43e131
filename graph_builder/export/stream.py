"""``policykg build``: write a corpus while it is being extracted.

Each plan's own views (the ``document`` and ``dataset`` formats of :mod:`.formats`) are
written the moment it arrives from :func:`~graph_builder.batch.iter_rendered` —
``json/<doc>.json``, ``text/<doc>.txt``, its quads appended to ``graph.nq`` and its named
graph put into the ``--store`` — and the plan is then dropped, unless a corpus view is
selected: those need every plan at the end, so the plans are kept for them and written by
:mod:`.corpus`. ``--formats json,nq`` therefore builds any number
of documents in the memory of a few.

The per-document views are rendered to bytes in the worker that extracted the plan
(:func:`render_document`), and when no corpus view needs the plan only a
:class:`~graph_builder.batch.PlanBrief` comes back with them: the parent writes bytes and
nothing else, so it is not what limits a build with many jobs. With ``--jobs`` above one the
N-Quads do not come back through the pipe at all: the worker leaves them in a spool file and
the parent appends them with a copy inside the kernel (see :mod:`.spool`).

``graph.nq`` is deterministic and the same with any number of jobs (or on a ``--cluster``):
the ontology graph first, then each document's named graph of facts in input order, the
lines of each graph sorted (see :func:`~graph_builder.graph.oxigraph.nquads`); ``evidence.nq``
holds each document's evidence graph in the same order (``--provenance``). A document's lines
depend on that document alone and the extraction time is fixed once per build.

With ``--incremental`` an input unchanged since the previous build into the same folder is
not extracted: its files and graph bytes are read back from that folder (see
:mod:`.incremental`), so the outputs are those of a full build.

Everything is written into a staging folder beside the output folder and swapped in whole
when the manifest is written (see :mod:`.staging`): a build stopped halfway (Ctrl-C,
SIGKILL, a full disk) leaves the output folder as the previous build wrote it, and a
finished one leaves exactly its own files, so the folder always describes one build. A lock
refuses a second build into the same folder meanwhile. Only ``graph.nq`` and the manifest
are flushed to disk before the swap (see :mod:`graph_builder._fs`): an ``fsync`` per document file would
cost more than extracting it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import ExitStack, closing
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from graph_builder._fs import atomic_open, atomic_write_bytes, atomic_write_text
from graph_builder.batch import (
    BuildResult,
    Failure,
    PlanBrief,
    ReadingCounts,
    Skipped,
    iter_rendered,
)
from graph_builder.export.formats import (
    CORPUS,
    DOCUMENT,
    EVIDENCE_FILE,
    NQ_FILE,
    parse_formats,
    selected,
)
from graph_builder.export.incremental import input_digest
from graph_builder.export.spool import SPOOL_DIR, Spooled
from graph_builder.model import Plan
from graph_builder.read.text import display_name
from graph_builder.timelimit import DEFAULT_DOC_TIMEOUT

__all__ = [
    "CorpusWriter",
    "DocumentViews",
    "build",
    "document_files",
    "render_document",
    "render_nquads",
    "NQ_FILE",
    "EVIDENCE_FILE",
]


def render_nquads(
    plan: Plan, base: str, generated_at: datetime, provenance: str | None = None
) -> tuple[bytes, bytes]:
    """A plan's facts graph and evidence graph as N-Quads; runs in the extraction worker.
    The writer of the ``nq`` format (see :mod:`.formats`)."""
    from graph_builder.graph.iris import Iris
    from graph_builder.graph.oxigraph import document_quads

    return document_quads(plan, Iris(base), generated_at, provenance)


def document_files(plan: Plan, formats: Iterable[str]) -> dict[str, bytes]:
    """The per-document files of the ``formats`` selected (their ``document`` writers):
    path under the output folder → bytes (``json/<doc>.json``, ``text/<doc>.txt``)."""
    files: dict[str, bytes] = {}
    for fmt in selected(set(formats), DOCUMENT):
        files.update(fmt.writer()(plan))
    return files


@dataclass(frozen=True)
class DocumentViews:
    """One plan's streamed views as bytes, made where the plan was extracted."""

    files: dict[str, bytes]
    nquads: bytes | None
    #: The evidence graph's N-Quads (empty with ``--provenance none``).
    evidence: bytes | None = None
    #: Read back from the previous build (``--incremental``), not extracted in this one.
    reused: bool = False
    #: The facts and evidence N-Quads left in a spool file (then ``nquads`` and ``evidence``
    #: are None): how a worker hands them over (see :mod:`.spool`).
    spooled: Spooled | None = None


def render_document(
    plan: Plan,
    formats: frozenset[str],
    nquads: bool,
    base: str,
    generated_at: datetime,
    provenance: str | None = None,
    spool: str | None = None,
) -> DocumentViews:
    """Everything a streamed build writes of one plan (module level: sent to workers); the
    N-Quads left in a new file of the folder ``spool`` when given."""
    facts, evidence = (
        render_nquads(plan, base, generated_at, provenance) if nquads else (None, None)
    )
    files = document_files(plan, formats)
    if spool is not None and facts is not None:
        from graph_builder.export.spool import spool as spool_parts

        return DocumentViews(files, None, None, spooled=spool_parts(spool, (facts, evidence)))
    return DocumentViews(files, facts, evidence)


class CorpusWriter:
    """Write the selected views of plans given one at a time; a context manager.

    ``add`` each result of the extraction (a plan, or a failure to report), then ``finish``
    once; leaving the ``with`` block without ``finish`` (an error, Ctrl-C) discards the
    temporary ``graph.nq`` and writes no manifest.
    """

    def __init__(
        self,
        out: str | Path,
        formats: str | Iterable[str] | None = None,
        store: str | Path | None = None,
        base: str | None = None,
        generated_at: datetime | None = None,
        provenance: str | None = None,
        incremental: bool = False,
        prune: bool = False,
    ):
        from graph_builder.graph.iris import Iris
        from graph_builder.graph.rdf import DEFAULT_PROVENANCE, PROVENANCE, build_time

        self.provenance = provenance or DEFAULT_PROVENANCE
        if self.provenance not in PROVENANCE:
            raise ValueError(f"provenance {provenance!r}: choose from {', '.join(PROVENANCE)}")

        #: The output folder; while the build runs, :attr:`out` is its staging folder.
        self.final = Path(out)
        self.out = self.final
        self._folder = None
        self.formats = (
            parse_formats(formats)
            if formats is None or isinstance(formats, str)
            else parse_formats(",".join(formats))
        )
        self.store_path = store
        self.iris = Iris(base)
        self.generated_at = generated_at or build_time()
        #: Plans are kept only for views that need them all.
        self.keeps_plans = bool(self.formats & set(CORPUS))
        self.result = BuildResult()
        self._segmenter = "char"
        self.written: list[Path] = []
        self.stored_graphs = 0
        #: (source, what the store held before) of each plan whose graph replaced one there.
        self.replaced: list[tuple[str, str]] = []
        self.measures = 0
        self.reading = ReadingCounts()
        self._documents: list[dict] = []
        self._stack = ExitStack()
        self._nq_stack = ExitStack()
        self._nq = None
        self._ev = None
        self._nq_pos = self._ev_pos = 0
        self._loader = None
        #: Reuse the documents of the build in ``out`` whose input is unchanged.
        self.incremental = incremental
        #: Remove from ``store`` the graphs of documents not in this build.
        self.prune = prune
        self.reused = 0
        self.pruned: list[str] = []
        #: Where workers leave their N-Quads (see :mod:`.spool`); None: sent back as bytes.
        self._spool: Path | None = None

    # ------------------------------------------------------------------ what workers do
    @property
    def wants_nquads(self) -> bool:
        return "nq" in self.formats or self.store_path is not None

    @property
    def render(self) -> Callable[[Plan], DocumentViews]:
        """What the extraction workers render per plan (see :func:`render_document`)."""
        return partial(
            render_document,
            formats=frozenset(self.formats),
            nquads=self.wants_nquads,
            base=self.iris.base,
            generated_at=self.generated_at,
            provenance=self.provenance,
            spool=None if self._spool is None else str(self._spool),
        )

    # ------------------------------------------------------------------ life cycle
    def __enter__(self) -> CorpusWriter:
        from graph_builder.export.staging import OutputFolder
        from graph_builder.graph.oxigraph import ontology_nquads

        head = ontology_nquads() if self.wants_nquads else b""
        with ExitStack() as stack:  # a store that cannot be opened leaves no temporary file
            self._folder = stack.enter_context(OutputFolder(self.final))
            self.out = self._folder.staging
            self._nq_stack = stack.enter_context(ExitStack())
            if "nq" in self.formats:
                self._nq = self._nq_stack.enter_context(
                    atomic_open(self.out / NQ_FILE, "wb", None)
                )
                self._nq.write(head)
                self._nq_pos = len(head)
                if self.provenance != "none":
                    self._ev = self._nq_stack.enter_context(
                        atomic_open(self.out / EVIDENCE_FILE, "wb", None)
                    )
            if self.store_path is not None:
                from graph_builder.graph.namespace import GBO_ONTOLOGY
                from graph_builder.store.embedded import GraphLoader, open_store

                self._loader = GraphLoader(open_store(self.store_path))
                self._loader.put(str(GBO_ONTOLOGY), head)
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc) -> bool:
        try:
            return self._stack.__exit__(*exc)
        finally:
            self.out = self.final
            self._spool = None

    def add(
        self,
        item: Plan | PlanBrief | Failure | Skipped,
        views: DocumentViews | None = None,
        name: str | None = None,
    ) -> None:
        """Write one plan's own views: ``views`` as the worker rendered them (with
        :attr:`render`), or rendered here from the plan when not given. ``name``: the input
        as given, recorded with the digest of its bytes for ``--incremental``."""
        self.result.add(item, keep=self.keeps_plans)
        if isinstance(item, Failure | Skipped):
            return
        if views is None:
            if not isinstance(item, Plan):
                raise ValueError(f"{item.source}: a plan's brief comes with its views")
            views = self.render(item)
        for rel, data in views.files.items():
            path = self.out / rel
            atomic_write_bytes(path, data, durable=False)
            self.written.append(path)
        nq_span, ev_span = self._write_nquads(views)
        brief = item if isinstance(item, PlanBrief) else PlanBrief.of(item)
        self.reused += views.reused
        if self._loader is not None and not self._in_store(views, brief.key):
            facts, evidence = self._nquads_bytes(views)
            self._loader.put(str(self.iris.graph(brief.key)), facts, brief)
            # Put even when empty: a graph of an earlier build with evidence is replaced.
            self._loader.put(
                str(self.iris.evidence_graph(brief.key)), evidence or b"", count=False
            )
        if views.spooled is not None:
            from graph_builder.export.spool import discard

            discard(views.spooled)
        self.measures += brief.measures
        self.reading = self.reading + brief.reading
        self._documents.append(
            {
                "doc_id": brief.doc_id,
                "key": brief.key,
                "source": brief.source,
                "sha256": brief.sha256,
                "measures": brief.measures,
                "reading": brief.reading.as_dict(),
                "input": display_name(name) if name else None,
                "input_sha256": input_digest(name) if name else None,
                "text_digest": brief.text_digest,
                "warnings": list(brief.warnings),
                "doc_files": sorted(views.files),
                "nq": nq_span,
                "evidence_nq": ev_span,
            }
        )

    def _write_nquads(self, views: DocumentViews) -> tuple[list | None, list | None]:
        """Append a document's facts to ``graph.nq`` and its evidence to ``evidence.nq``
        (from a spool file with a copy in the kernel when the worker left them there);
        returns their ``[offset, length]`` in each file (None when not written)."""
        nq_span = ev_span = None
        if self._nq is not None:
            nq_span = self._append(self._nq, views, 0, views.nquads, self._nq_pos)
            self._nq_pos += nq_span[1]
        if self._ev is not None and (views.evidence is not None or views.spooled is not None):
            ev_span = self._append(self._ev, views, 1, views.evidence, self._ev_pos)
            self._ev_pos += ev_span[1]
        return nq_span, ev_span

    @staticmethod
    def _append(out, views: DocumentViews, part: int, data: bytes | None, at: int) -> list:
        """Append part ``part`` of the views (``data``, or from their spool file) to ``out``
        at ``at``; returns ``[offset, length]``."""
        from graph_builder.export.spool import append_part

        if views.spooled is not None:
            return [at, append_part(out, views.spooled, part, at)]
        out.write(data)
        return [at, len(data)]

    @staticmethod
    def _nquads_bytes(views: DocumentViews) -> tuple[bytes | None, bytes | None]:
        """A document's facts and evidence N-Quads as bytes, wherever the worker put them."""
        if views.spooled is None:
            return views.nquads, views.evidence
        from graph_builder.export.spool import read_part

        return read_part(views.spooled, 0), read_part(views.spooled, 1)

    def _in_store(self, views: DocumentViews, key: str) -> bool:
        """A reused document whose graph the store holds already (built from the same bytes
        by the previous build into it) is not loaded again."""
        import pyoxigraph as ox

        node = ox.NamedNode(str(self.iris.graph(key)))
        return views.reused and self._loader.store.contains_named_graph(node)

    def finish(self) -> list[Path]:
        """Write the corpus views, publish ``graph.nq``, then the manifest; returns all paths."""
        self._write_corpus_views()
        if self._spool is not None:  # what workers that died mid-document left
            from graph_builder.export.spool import remove_folder

            remove_folder(self._spool)
            self._spool = None
        if self._loader is not None and self.prune:
            self._prune()
        if self._loader is not None:
            self._loader.close()
            self.stored_graphs = self._loader.graphs
            self.replaced = self._loader.replaced
            self._loader = None  # the store closes when its last reference goes
        self._nq_stack.close()  # graph.nq: the temporary file takes its place
        if self._nq is not None:
            self._nq = None
            self.written.append(self.out / NQ_FILE)
        if self._ev is not None:
            self._ev = None
            self.written.append(self.out / EVIDENCE_FILE)
        failures = self.result.failures
        manifest = {
            "documents": self._documents,
            "failures": [
                {"source": f.source, "code": f.code, "message": f.message} for f in failures
            ],
            "skipped": [
                {"source": k.source, "code": k.code, "message": k.message, "doc_id": k.duplicate_of}
                for k in self.result.skipped
            ],
            "files": sorted(str(p.relative_to(self.out)) for p in self.written),
            "build": self.settings,
        }
        atomic_write_text(
            self.out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
        )
        self._folder.commit()  # the whole folder, swapped in
        staging, self.out = self.out, self.final
        self.written = [self.final / p.relative_to(staging) for p in self.written]
        self._stack.close()  # releases the lock
        return self.written

    @property
    def settings(self) -> dict:
        """What this build's outputs depend on besides its inputs (see :mod:`.incremental`)."""
        from graph_builder.export.incremental import build_settings

        return build_settings(self.formats, self.provenance, self.iris.base, self._segmenter)

    def run(
        self,
        inputs: Iterable[str],
        jobs: int = 1,
        segmenter: str = "char",
        progress: bool | None = None,
        cluster: str | None = None,
        send_bytes: bool = False,
        doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
    ) -> list[Path]:
        """Extract ``inputs`` (in ``jobs`` processes, or on the Dask cluster at ``cluster``,
        inputs sent by path or with ``send_bytes`` by bytes), write everything, return the
        paths.

        On an error (:class:`OSError` when an output cannot be written) :attr:`result` holds
        what was extracted until then.
        """
        from graph_builder.batch import iter_inputs
        from graph_builder.export.incremental import PreviousBuild
        from graph_builder.parallel import resolve_jobs

        self._segmenter = segmenter
        names = list(iter_inputs(inputs))
        previous = None
        # Reused graphs come from the previous graph files: with --store they must be there.
        if self.incremental and ("nq" in self.formats or self.store_path is None):
            previous = PreviousBuild(self.final, self.settings, DocumentViews)
        with self:
            if cluster is None and resolve_jobs(jobs) > 1 and self.wants_nquads:
                # Workers on this machine hand their N-Quads over by file (see .spool); a
                # cluster's workers may not see this folder, so theirs come as bytes.
                self._spool = self.out / SPOOL_DIR
                self._spool.mkdir()
            stream = iter_rendered(
                names,
                self.render,
                jobs,
                segmenter,
                progress,
                keep_plans=self.keeps_plans,
                previous=previous,
                cluster=cluster,
                send_bytes=send_bytes,
                doc_timeout=doc_timeout,
            )
            with closing(stream):  # stops the workers however the loop ends
                for name, (item, views) in zip(names, stream, strict=True):
                    self.add(item, views, name)
            return self.finish()

    def _prune(self) -> None:
        """Remove from the store every document graph (facts and evidence) of a plan not in
        this build: plans gone from the corpus (``--prune``)."""
        from graph_builder.graph.namespace import GBO_ONTOLOGY

        self._loader.flush()
        keep = {str(GBO_ONTOLOGY)}
        for d in self._documents:
            keep |= {str(self.iris.graph(d["key"])), str(self.iris.evidence_graph(d["key"]))}
        store = self._loader.store
        for node in sorted(store.named_graphs(), key=str):
            if node.value not in keep:
                store.remove_graph(node)
                self.pruned.append(node.value)

    def _write_corpus_views(self) -> None:
        """The corpus formats selected, from the plans kept (see :mod:`.corpus`)."""
        if not self.keeps_plans:
            return
        from graph_builder.export.corpus import write_corpus

        self.written += write_corpus(self.result.plans, self.out, self.formats, self.provenance)


def build(
    inputs: Iterable[str],
    out: str | Path,
    formats: str | Iterable[str] | None = None,
    jobs: int = 1,
    segmenter: str = "char",
    progress: bool | None = None,
    store: str | Path | None = None,
    provenance: str | None = None,
    incremental: bool = False,
    prune: bool = False,
    cluster: str | None = None,
    send_bytes: bool = False,
) -> CorpusWriter:
    """Extract ``inputs`` and write the ``formats`` selected into ``out`` as plans arrive;
    returns the finished writer (``.result``, ``.written``, ``.stored_graphs``)."""
    writer = CorpusWriter(out, formats, store, provenance=provenance, incremental=incremental,
                          prune=prune)  # fmt: skip
    writer.run(inputs, jobs, segmenter, progress, cluster, send_bytes)
    return writer
