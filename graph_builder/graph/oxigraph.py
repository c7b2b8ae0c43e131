"""Bridge from rdflib to pyoxigraph: fast, deterministic serialization and SPARQL.

rdflib builds and checks the graph; pyoxigraph (Rust) writes N-Triples, N-Quads and TriG in
milliseconds and answers the canned queries of :mod:`graph_builder.query` quickly on large
corpora. Quads are handed over sorted, so every file written from them is deterministic.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDF

__all__ = ["to_ox_term", "sorted_quads", "to_store"]


def to_ox_term(node):
    """The pyoxigraph term of an rdflib term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    raise TypeError(f"cannot convert {node!r} to a pyoxigraph term")


def _sort_key(quad):
    s, p, o, g = quad
    return (str(g), str(s), p != RDF.type, str(p), type(o).__name__, str(o))


def sorted_quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of the named graphs, sorted by graph, subject, rdf:type first, predicate."""
    raw = []
    for s, p, o, c in ds.quads((None, None, None, None)):
        g = c.identifier if hasattr(c, "identifier") else c
        raw.append((s, p, o, g))
    raw.sort(key=_sort_key)
    return [
        ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), to_ox_term(g)) for s, p, o, g in raw
    ]


def to_store(ds: Dataset) -> ox.Store:
    """An in-memory pyoxigraph store holding the dataset's named graphs."""
    store = ox.Store()
    store.extend(sorted_quads(ds))
    return store
