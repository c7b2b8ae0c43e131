"""``policykg build``: write a corpus while it is being extracted.

Each plan's own views are written the moment it arrives from
:func:`~graph_builder.build.iter_rendered` — ``json/<doc>.json``, ``text/<doc>.txt``, its
quads appended to ``graph.nq`` and its named graph put into the ``--store`` — and the plan is
then dropped, unless a corpus view (see :mod:`.formats`) is selected: those need every plan
at the end, so the plans are kept for them. ``--formats json,nq`` therefore builds any number
of documents in the memory of a few.

``graph.nq`` is deterministic and the same with any number of jobs: the ontology graph first,
then each document's named graph in input order, the lines of each graph sorted (see
:func:`~graph_builder.graph.oxigraph.nquads`). A document's lines depend on that document
alone, the extraction time is fixed once per build, and the N-Quads are made in the worker
that extracted the plan (:func:`render_nquads`), so the parent only writes bytes.

Files are written atomically: per-document files one by one, ``graph.nq`` to a hidden
temporary file renamed when the last document is in, the manifest last. A build stopped
halfway leaves complete files only, and the previous ``graph.nq`` and manifest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import ExitStack, closing
from datetime import datetime
from functools import partial
from pathlib import Path

from graph_builder.build import BuildResult, Failure, iter_rendered
from graph_builder.export.formats import ALL, CORPUS, parse_formats
from graph_builder.export.io import atomic_open, atomic_write_text
from graph_builder.model import Plan

__all__ = ["CorpusWriter", "build", "render_nquads", "NQ_FILE"]

NQ_FILE = "graph.nq"


def render_nquads(plan: Plan, base: str, generated_at: datetime) -> bytes:
    """A plan's named graph as N-Quads; runs in the extraction worker (picklable by name)."""
    from graph_builder.graph.iris import Iris
    from graph_builder.graph.oxigraph import document_nquads

    return document_nquads(plan, Iris(base), generated_at)


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
    ):
        from graph_builder.graph.iris import Iris
        from graph_builder.graph.rdf import build_time

        self.out = Path(out)
        self.formats = (
            parse_formats(formats)
            if formats is None or isinstance(formats, str)
            else parse_formats(",".join(formats))
        )
        self.store_path = store
        self.iris = Iris(base)
        self.generated_at = generated_at or build_time()
        #: Plans are kept only for views that need them all.
        self.keeps_plans = bool(self.formats & (set(CORPUS) | {ALL}))
        self.result = BuildResult()
        self.written: list[Path] = []
        self.stored_graphs = 0
        self.measures = 0
        self._documents: list[dict] = []
        self._stack = ExitStack()
        self._nq = None
        self._loader = None

    # ------------------------------------------------------------------ what workers do
    @property
    def render(self) -> Callable[[Plan], bytes] | None:
        """What the extraction workers should render per plan: its N-Quads, if wanted."""
        if "nq" in self.formats or self.store_path is not None:
            return partial(render_nquads, base=self.iris.base, generated_at=self.generated_at)
        return None

    # ------------------------------------------------------------------ life cycle
    def __enter__(self) -> CorpusWriter:
        from graph_builder.graph.oxigraph import ontology_nquads

        head = ontology_nquads() if self.render is not None else b""
        with ExitStack() as stack:  # a store that cannot be opened leaves no temporary file
            if "nq" in self.formats:
                self._nq = stack.enter_context(atomic_open(self.out / NQ_FILE, "wb", None))
                self._nq.write(head)
            if self.store_path is not None:
                from graph_builder.graph.namespace import GBO_ONTOLOGY
                from graph_builder.store.embedded import GraphLoader, open_store

                self._loader = GraphLoader(open_store(self.store_path))
                self._loader.put(str(GBO_ONTOLOGY), head)
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc) -> bool:
        return self._stack.__exit__(*exc)

    def add(self, item: Plan | Failure, nquads: bytes | None = None) -> None:
        """Write one plan's own views (``nquads``: its graph, if the worker rendered it)."""
        from graph_builder.export.outputs import write_json, write_texts

        self.result.add(item, keep=self.keeps_plans)
        if isinstance(item, Failure):
            return
        plan = item
        if "json" in self.formats:
            self.written += write_json([plan], self.out)
        if "text" in self.formats:
            self.written += write_texts([plan], self.out)
        if nquads is None and (self._nq is not None or self._loader is not None):
            nquads = render_nquads(plan, self.iris.base, self.generated_at)
        if self._nq is not None:
            self._nq.write(nquads)
        if self._loader is not None:
            self._loader.put(str(self.iris.plan_graph(plan)), nquads)
        self.measures += len(plan.measures)
        self._documents.append(
            {
                "doc_id": plan.doc_id,
                "source": plan.source,
                "sha256": plan.sha256,
                "measures": len(plan.measures),
            }
        )

    def finish(self) -> list[Path]:
        """Write the corpus views, publish ``graph.nq``, then the manifest; returns all paths."""
        self._write_corpus_views()
        if self._loader is not None:
            self._loader.close()
            self.stored_graphs = self._loader.graphs
            self._loader = None  # the store closes when its last reference goes
        self._stack.close()  # graph.nq: the temporary file takes its place
        if self._nq is not None:
            self.written.append(self.out / NQ_FILE)
        failures = self.result.failures
        manifest = {
            "documents": self._documents,
            "failures": [
                {"source": f.source, "code": f.code, "message": f.message} for f in failures
            ],
            "files": sorted(str(p.relative_to(self.out)) for p in self.written),
        }
        atomic_write_text(
            self.out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
        )
        return self.written

    def run(
        self,
        inputs: Iterable[str],
        jobs: int = 1,
        segmenter: str = "char",
        progress: bool | None = None,
    ) -> list[Path]:
        """Extract ``inputs`` (in ``jobs`` processes), write everything, return the paths.

        On an error (:class:`OSError` when an output cannot be written) :attr:`result` holds
        what was extracted until then.
        """
        with self:
            stream = iter_rendered(inputs, self.render, jobs, segmenter, progress)
            with closing(stream):  # stops the workers however the loop ends
                for item, nquads in stream:
                    self.add(item, nquads)
            return self.finish()

    def _write_corpus_views(self) -> None:
        """Every writer of ``WRITERS`` not streamed above, if its format is selected."""
        from graph_builder.export.outputs import WRITER_FORMATS, WRITERS, write_json, write_texts
        from graph_builder.export.rdf_export import GRAPH_FORMATS, write_graph

        plans = self.result.plans
        for writer in WRITERS:
            if writer in (write_json, write_texts):
                continue  # written per document
            if writer is write_graph:
                wanted = [f for f in GRAPH_FORMATS if f in self.formats and f != "nq"]
                if wanted:
                    self.written += writer(plans, self.out, wanted)
            elif WRITER_FORMATS.get(writer, ALL) in self.formats:
                self.written += writer(plans, self.out)


def build(
    inputs: Iterable[str],
    out: str | Path,
    formats: str | Iterable[str] | None = None,
    jobs: int = 1,
    segmenter: str = "char",
    progress: bool | None = None,
    store: str | Path | None = None,
) -> CorpusWriter:
    """Extract ``inputs`` and write the ``formats`` selected into ``out`` as plans arrive;
    returns the finished writer (``.result``, ``.written``, ``.stored_graphs``)."""
    writer = CorpusWriter(out, formats, store)
    writer.run(inputs, jobs, segmenter, progress)
    return writer
