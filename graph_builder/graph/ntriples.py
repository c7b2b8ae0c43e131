"""N-Triples and N-Quads of anything, all written by one writer: :func:`.oxigraph.nquads`.

``nquads`` writes the lines pyoxigraph's serializer writes (a test compares them byte for
byte), sorted and without duplicates, so every N-Triples or N-Quads the package writes —
``graph.nq`` and ``evidence.nq`` per document, ``graph.nt``, what ``--store``, ``store add``
and ``load`` put — is made the same way and is deterministic. This module only adapts what
it is given: a triple set without a graph name, an rdflib dataset, pyoxigraph terms.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Dataset, Literal, URIRef

from graph_builder.graph.oxigraph import nquads

__all__ = ["ntriples", "dataset_nquads", "ox_triples"]

#: A graph name no data uses: N-Triples are its N-Quads with the name taken off each line.
_NO_GRAPH = "urn:x-graph-builder:no-graph"
_TAIL = f" <{_NO_GRAPH}> .\n".encode()


def ntriples(triples: Iterable[tuple]) -> bytes:
    """N-Triples of rdflib ``triples``: one line per distinct triple, sorted.

    Each N-Quads line is its N-Triples line with the same graph name before the final
    ``.``, so taking the name off keeps their order; a line ends only at a newline (a
    newline inside a literal is escaped), so only line ends are touched.
    """
    return nquads(triples, _NO_GRAPH).replace(_TAIL, b" .\n")


def dataset_nquads(ds: Dataset, first: URIRef | None = None) -> bytes:
    """N-Quads of every named graph of ``ds``: the graph ``first`` (the ontology, say) at
    the top, then the others by IRI; each graph's lines sorted as :func:`nquads` sorts them."""
    by_graph: dict[URIRef, list] = {}
    for s, p, o, c in ds.quads((None, None, None, None)):
        g = c.identifier if hasattr(c, "identifier") else c
        by_graph.setdefault(g, []).append((s, p, o))
    order = sorted(by_graph, key=lambda g: (g != first, str(g)))
    return b"".join(nquads(by_graph[g], g) for g in order)


def _rdflib_term(term):
    """The rdflib term of a pyoxigraph term, its lexical form kept as written."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    raise TypeError(f"cannot write {term!r} in N-Triples")


def ox_triples(triples: Iterable) -> list[tuple]:
    """pyoxigraph triples (or quads: the graph is dropped) as rdflib triples for
    :func:`ntriples` and :func:`nquads`."""
    return [
        (_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object))
        for t in triples
    ]
