"""An embedded, persistent Oxigraph store holding one named graph per document.

Adding a document replaces its named graph and touches no other, so a store grows (or is
revised) document by document; the ontology and vocabularies live in their own named graph.
Data moves in N-Triples, the format every store loads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from graph_builder.model import Plan

__all__ = [
    "open_store",
    "load_dataset_file",
    "put_graph",
    "add_plans",
    "graph_sizes",
    "GraphLoader",
]


def open_store(path: str | Path | None, read_only: bool = False) -> ox.Store:
    """An on-disk store at ``path`` (created if missing), or in memory when ``path`` is None."""
    if path is None:
        return ox.Store()
    path = Path(path)
    if read_only:
        return ox.Store.read_only(str(path))
    path.mkdir(parents=True, exist_ok=True)
    return ox.Store(str(path))


def load_dataset_file(store: ox.Store, path: str | Path) -> None:
    """Load an RDF file (format from its ending: .nq .trig .ttl .nt .jsonld …) into ``store``."""
    fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip("."))
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF file ending (use .nq, .trig, .ttl, .nt or .jsonld)")
    store.bulk_load(path=str(path), format=fmt)


def put_graph(store: ox.Store, graph_iri: str, ntriples: bytes) -> None:
    """Replace the named graph ``graph_iri`` with ``ntriples`` (Graph Store PUT semantics)."""
    node = ox.NamedNode(graph_iri)
    if store.contains_named_graph(node):
        store.remove_graph(node)
    store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=node)


_GBO = "https://w3id.org/graph-builder/ontology#"


def stored_version(store: ox.Store, graph: ox.NamedNode) -> tuple[str, str] | None:
    """(sha256, file name) of the document a named graph of ``store`` was built from."""
    sha = next(
        iter(store.quads_for_pattern(None, ox.NamedNode(_GBO + "sha256"), None, graph)), None
    )
    if sha is None:
        return None
    name = next(
        iter(store.quads_for_pattern(sha.subject, ox.NamedNode(_GBO + "fileName"), None, graph)),
        None,
    )
    return sha.object.value, (name.object.value if name is not None else "?")


def document_graphs(
    plans: Iterable[Plan], base: str | None = None, generated_at: datetime | None = None
):
    """Yield ``(graph IRI, N-Triples bytes)`` for the ontology and, for each plan, its facts
    graph and its evidence graph (as ``policykg build --store`` puts them), in a stable order;
    lines sorted, as in every N-Triples the package writes (:mod:`graph_builder.graph.ntriples`)."""
    from graph_builder.graph.iris import Iris
    from graph_builder.graph.ntriples import ntriples
    from graph_builder.graph.oxigraph import TripleList
    from graph_builder.graph.rdf import GBO_ONTOLOGY, build_time, ontology_graph, plan_graph

    iris = Iris(base)
    when = generated_at or build_time()
    yield str(GBO_ONTOLOGY), ntriples(ontology_graph())
    for plan in plans:
        facts, evidence = TripleList(), TripleList()
        plan_graph(plan, iris, when, facts, evidence)
        yield str(iris.plan_graph(plan)), ntriples(facts)
        yield str(iris.evidence_graph(iris.plan_key(plan))), ntriples(evidence)


def add_plans(store: ox.Store, plans: Iterable[Plan], base: str | None = None) -> list[str]:
    """Add or replace each plan's named graph (and the ontology graph); returns graph IRIs."""
    done = []
    for iri, data in document_graphs(plans, base):
        put_graph(store, iri, data)
        done.append(iri)
    store.flush()
    return done


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """Triples per named graph (and ``""`` for the default graph), sorted by IRI."""
    sizes: dict[str, int] = {}
    for q in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        sizes[q["g"].value] = int(q["n"].value)
    default = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"]
    if int(default.value):
        sizes[""] = int(default.value)
    return dict(sorted(sizes.items()))


class GraphLoader:
    """Add or replace named graphs given as N-Quads, many per bulk load.

    ``policykg build --store`` hands over each document's graph as it is extracted. Loading
    them one transaction each is three times slower than Oxigraph's bulk loader, so graphs are
    gathered up to :attr:`batch_bytes` and bulk-loaded together; a graph already in the store
    is removed first (PUT semantics, as :func:`put_graph`). Memory stays at one batch.

    The bulk loader is not transactional: a build killed halfway may leave the last batch's
    graphs partly loaded. Building again replaces them.
    """

    batch_bytes = 32 * 2**20

    def __init__(self, store: ox.Store):
        self.store = store
        self.graphs = 0
        #: (source, what it replaced) for each graph put over another version of its plan.
        self.replaced: list[tuple[str, str]] = []
        self._batch: list[bytes] = []
        self._pending: set[str] = set()
        self._size = 0

    def put(self, graph_iri: str, nquads: bytes, brief=None, count: bool = True) -> None:
        """Replace the named graph ``graph_iri`` with ``nquads`` (all quads in that graph).

        With the plan's ``brief`` (a :class:`~graph_builder.batch.PlanBrief`), a graph that
        held another version of the plan (other text) is recorded in :attr:`replaced`.
        ``count=False``: not counted in :attr:`graphs` (a document's evidence graph, which
        goes with its facts graph).
        """
        if graph_iri in self._pending:
            self.flush()  # the same graph twice: the second replaces the first
        node = ox.NamedNode(graph_iri)
        if self.store.contains_named_graph(node):
            if brief is not None:
                earlier = stored_version(self.store, node)
                if earlier and earlier[0] != brief.sha256:
                    self.replaced.append((brief.source, earlier[1]))
            self.store.remove_graph(node)
        self._batch.append(nquads)
        self._pending.add(graph_iri)
        self._size += len(nquads)
        self.graphs += count
        if self._size >= self.batch_bytes:
            self.flush()

    def flush(self) -> None:
        """Load the graphs gathered so far."""
        if self._batch:
            data = b"".join(self._batch)
            self._batch.clear()
            # Our own N-Quads (written by pyoxigraph): IRIs need no second validation.
            self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
        self._pending.clear()
        self._size = 0

    def close(self) -> None:
        self.flush()
        self.store.flush()
