"""Bridge from rdflib to pyoxigraph: fast, deterministic serialization and SPARQL.

rdflib builds and checks the graph; pyoxigraph (Rust) writes N-Triples, N-Quads and TriG in
milliseconds and answers the canned queries of :mod:`graph_builder.query` quickly on large
corpora. Quads are handed over sorted, so every file written from them is deterministic.

:func:`document_nquads` is the streamed build's path for one document: the mapper of
:mod:`graph_builder.graph.rdf` writes into a plain list instead of an rdflib graph (an rdflib
graph indexes every triple three ways, which costs more than making the triples); each term is
written as pyoxigraph writes it (``str`` of a pyoxigraph term is its N-Triples form, checked and
escaped as pyoxigraph's serializer does it: asked once per IRI, and per literal only where its
text needs escaping), and the lines are joined and sorted here. Making a pyoxigraph ``Quad``
per triple just to serialize it would cost more than all the rest; the bytes are the same
(tests compare them, and every code point in a literal). The result has exactly the quads of that
document's named graph in :func:`~graph_builder.graph.rdf.build_dataset`.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDF

__all__ = [
    "to_ox_term",
    "ox_term",
    "nt_term",
    "sorted_quads",
    "to_store",
    "TripleList",
    "plan_triples",
    "nquads",
    "document_nquads",
    "ontology_nquads",
    "cyclic_gc_paused",
]


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


class TripleList(list):
    """Triples in the order they are made: a list with the one method the mapper calls.

    :func:`~graph_builder.graph.rdf.plan_graph` writes through ``graph.add((s, p, o))`` only, so
    a list takes an rdflib graph's place where nothing but the triples is wanted. Duplicates
    are kept here and dropped by :func:`nquads`.
    """

    add = list.append


def plan_triples(plan, iris=None, generated_at: datetime | None = None) -> TripleList:
    """The triples of one plan's named graph (as :func:`~graph_builder.graph.rdf.plan_graph`)."""
    from graph_builder.graph.rdf import plan_graph

    return plan_graph(plan, iris, generated_at, graph=TripleList())


#: pyoxigraph nodes of IRIs seen before (predicates, classes, concepts, regions): made once.
_NODES: dict[str, ox.NamedNode] = {}
#: The N-Triples form of IRIs seen before, as pyoxigraph writes them.
_IRI_TEXT: dict[str, str] = {}
#: Bound on both: a long run must not grow with the corpus.
_CACHE_MAX = 50_000


def _node(iri: str) -> ox.NamedNode:
    node = _NODES.get(iri)
    if node is None:
        if len(_NODES) >= _CACHE_MAX:
            _NODES.clear()
        node = _NODES[iri] = ox.NamedNode(iri)
    return node


def _iri_text(iri: str) -> str:
    text = _IRI_TEXT.get(iri)
    if text is None:
        if len(_IRI_TEXT) >= _CACHE_MAX:
            _IRI_TEXT.clear()
        text = _IRI_TEXT[iri] = str(ox.NamedNode(iri))  # raises on an invalid IRI
    return text


def ox_term(t):
    """:func:`to_ox_term`, fast for the IRIs and literals the mapper makes."""
    kind = type(t)
    if kind is URIRef:
        return _node(str(t))
    if kind is Literal:
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype is not None:
            return ox.Literal(str(t), datatype=_node(str(t.datatype)))
        return ox.Literal(str(t))
    return to_ox_term(t)


#: Characters pyoxigraph escapes in a literal's lexical form (C0 controls, ``"``, ``\``,
#: DEL, U+FFFE, U+FFFF; a test checks every code point against pyoxigraph). A lexical form
#: without any is written between quotes as it is.
_ESCAPED = re.compile(r'[\x00-\x1f"\\\x7f\ufffe\uffff]')
#: What pyoxigraph writes after the quotes of a literal of a language (``@zh``) or datatype
#: (``^^<…#integer>``, nothing for ``xsd:string``), keyed by the language or datatype IRI.
_LANG_SUFFIX: dict[str, str] = {}
_TYPE_SUFFIX: dict[str, str] = {}


def _literal_text(t: Literal) -> str:
    """A literal in N-Triples syntax, byte for byte as pyoxigraph writes it.

    Making a pyoxigraph literal to print costs ~0.5 µs and there are ~2,500 literals per
    document; the lexical form of almost every one needs no escaping, and the suffix depends
    only on the language or datatype, so it is asked of pyoxigraph once per language or
    datatype (which also checks the tag or IRI and lower-cases the tag as pyoxigraph does).
    Anything else is left to pyoxigraph.
    """
    value = str(t)
    if _ESCAPED.search(value) is not None:
        return str(ox_term(t))
    lang = t.language
    if lang:
        suffix = _LANG_SUFFIX.get(lang)
        if suffix is None:
            suffix = _LANG_SUFFIX[lang] = str(ox.Literal("", language=lang))[2:]
    elif (datatype := t.datatype) is not None:
        # As a plain str: rdflib makes a new URIRef of the datatype for every literal, which
        # a URIRef key would compare with rdflib's __eq__, in Python.
        datatype = str.__str__(datatype)
        suffix = _TYPE_SUFFIX.get(datatype)
        if suffix is None:
            suffix = str(ox.Literal("", datatype=_node(datatype)))[2:]
            _TYPE_SUFFIX[datatype] = suffix
    else:
        suffix = ""
    return f'"{value}"{suffix}'


def nt_term(t) -> str:
    """An rdflib term in N-Triples syntax, as pyoxigraph writes it (IRIs remembered)."""
    kind = type(t)
    if kind is URIRef:
        return _iri_text(t)
    if kind is Literal:
        return _literal_text(t)
    return str(ox_term(t))


def nquads(triples: Iterable[tuple], graph: str | URIRef) -> bytes:
    """N-Quads of ``triples`` in the named graph ``graph``: one line per distinct quad, sorted.

    The lines are those pyoxigraph's serializer writes for the same quads. Sorting them
    (UTF-8 byte order, which is code point order) defines the order without a sort key per
    term and puts the lines of one subject together; duplicate triples become one line.

    This runs for every triple of the corpus, so it is written for speed: the text of a
    subject or predicate seen before is one dictionary look-up (anything but an IRI, a blank
    node say, misses it and goes through :func:`nt_term`), and
    lines are sorted as bytes, which compares with ``memcmp`` where ``str`` lines that mix
    ASCII and Chinese compare character by character.
    """
    tail = f" {_iri_text(str(graph))} ."
    known = _IRI_TEXT.get
    lines = set()
    add = lines.add
    for s, p, o in triples:
        o_text = (known(o) or _iri_text(o)) if type(o) is URIRef else nt_term(o)
        add(f"{known(s) or nt_term(s)} {known(p) or nt_term(p)} {o_text}{tail}".encode())
    if not lines:
        return b""
    ordered = sorted(lines)
    ordered.append(b"")
    return b"\n".join(ordered)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Hold back Python's cycle collector for a moment (if it runs), and let it go after.

    Mapping one document allocates ~8,000 triples and ~2,500 terms that all stay alive until
    its lines are written. Each few hundred allocations wake the collector, which walks the
    young objects, the growing triple list among them, and now and then every object of the
    worker (the language models too): a third of the time spent on a document went there.
    None of it is garbage it could find; what the mapping drops is freed by reference
    counting, and any cycle left over is collected at the next collection after this.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def document_quads(
    plan, iris=None, generated_at: datetime | None = None, provenance: str | None = None
) -> tuple[bytes, bytes]:
    """One plan's facts graph and its evidence graph, each as sorted N-Quads (see
    :func:`nquads`); the second is empty with ``provenance='none'``."""
    from graph_builder.graph.iris import Iris
    from graph_builder.graph.rdf import DEFAULT_PROVENANCE, plan_graph

    iris = iris or Iris()
    provenance = provenance or DEFAULT_PROVENANCE
    facts, evidence = TripleList(), TripleList()
    with cyclic_gc_paused():
        plan_graph(plan, iris, generated_at, facts, evidence, provenance)
        key = iris.plan_key(plan)
        return nquads(facts, iris.graph(key)), nquads(evidence, iris.evidence_graph(key))


def document_nquads(
    plan, iris=None, generated_at: datetime | None = None, provenance: str | None = None
) -> bytes:
    """One plan's named graphs as N-Quads: its facts, then its evidence (see
    :func:`document_quads`)."""
    return b"".join(document_quads(plan, iris, generated_at, provenance))


def ontology_nquads() -> bytes:
    """The ontology and vocabularies graph as sorted N-Quads (the first graph of a dataset)."""
    from graph_builder.graph.namespace import GBO_ONTOLOGY
    from graph_builder.graph.rdf import ontology_graph

    return nquads(ontology_graph(), GBO_ONTOLOGY)
