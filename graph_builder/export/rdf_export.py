"""Serialize the knowledge graph in the RDF formats stores and editors load.

================  =====================  ==================================================
file              format                 content
================  =====================  ==================================================
graph.ttl         Turtle                 union of all graphs (ontology + every document),
                                         with prefixes: for RDF editors and one-file loads
graph.nt          N-Triples              the same union, one sorted line per triple
graph.trig        TriG                   the dataset: one named graph per document, one
                                         for the ontology and vocabularies
================  =====================  ==================================================

``graph.nq`` (N-Quads) is written per document while the corpus is extracted
(:mod:`.stream`), ``graph.jsonld`` by :mod:`.jsonld`; :func:`render` gives every one of these
serializations of a dataset as text, for tests and callers holding a dataset.

Turtle and N-Triples carry no graph names (they cannot), so they are the merged view; TriG,
N-Quads and JSON-LD keep the named graphs for stores such as GraphDB, Fuseki, Virtuoso,
Oxigraph and Neo4j (neosemantics), which load them into one graph per document.

Every format is deterministic: Turtle is written sorted by rdflib (readable layout, object
lists wrapped); N-Triples and N-Quads by the package's one line writer
(:mod:`graph_builder.graph.ntriples`), TriG by pyoxigraph from sorted quads. With the same
``SOURCE_DATE_EPOCH`` two runs give byte-identical files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset

from graph_builder._fs import atomic_write_bytes, atomic_write_text
from graph_builder.graph.rdf import bind_prefixes, union_graph

if TYPE_CHECKING:
    from graph_builder.export.corpus import Corpus

__all__ = [
    "FORMATS",
    "union_graph",
    "render",
    "serialize",
    "parse",
    "write_turtle",
    "write_ntriples",
    "write_trig",
]

#: Serializations :func:`render` knows (rdflib's names, which :func:`parse` reads back).
FORMATS = ("turtle", "nt", "trig", "nquads", "json-ld")


def _triples(ds: Dataset) -> Iterable[tuple]:
    """Every triple of every graph of ``ds`` (repeats across graphs included)."""
    return ((s, p, o) for s, p, o, _g in ds.quads((None, None, None, None)))


def _ntriples(ds: Dataset) -> str:
    from graph_builder.graph.ntriples import ntriples

    return ntriples(_triples(ds)).decode("utf-8")


def _nquads(ds: Dataset) -> str:
    from graph_builder.graph.namespace import GBO_ONTOLOGY
    from graph_builder.graph.ntriples import dataset_nquads

    return dataset_nquads(ds, GBO_ONTOLOGY).decode("utf-8")


def _trig(ds: Dataset) -> str:
    import pyoxigraph as ox

    from graph_builder.graph.oxigraph import sorted_quads

    prefixes = {p: str(ns) for p, ns in sorted(ds.namespace_manager.namespaces()) if p}
    data = ox.serialize(sorted_quads(ds), format=ox.RdfFormat.TRIG, prefixes=prefixes)
    return data.decode("utf-8")


def _turtle(ds: Dataset) -> str:
    return union_graph(ds).serialize(format="turtle")


def _jsonld(ds: Dataset) -> str:
    from graph_builder.export.jsonld import jsonld

    return jsonld(ds)


_RENDER = {"turtle": _turtle, "nt": _ntriples, "trig": _trig, "nquads": _nquads,
           "json-ld": _jsonld}  # fmt: skip


def render(ds: Dataset, formats: Iterable[str] = FORMATS) -> dict[str, str]:
    """The dataset in each of ``formats`` (turtle, nt, trig, nquads, json-ld), as text."""
    formats = list(formats)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown RDF format(s): {', '.join(sorted(unknown))}")
    return {f: _RENDER[f](ds) for f in formats}


def serialize(ds: Dataset, fmt: str) -> str:
    """The dataset in one format: turtle, nt, trig, nquads or json-ld (see the table above)."""
    return render(ds, [fmt])[fmt]


def parse(path: str | Path, fmt: str | None = None) -> Dataset:
    """Read any RDF file the package writes back into a dataset (format from the file ending)."""
    from rdflib.util import guess_format

    from graph_builder.graph.iris import Iris

    path = Path(path)
    fmt = fmt or guess_format(str(path)) or "turtle"
    if path.suffix == ".jsonld":
        fmt = "json-ld"
    ds = Dataset(default_union=True)
    ds.parse(str(path), format=fmt)
    bind_prefixes(ds, Iris())
    return ds


def write_turtle(corpus: Corpus, out: Path) -> list[Path]:
    """Corpus writer of ``ttl`` (see :mod:`.formats`): ``out/graph.ttl``."""
    path = Path(out) / "graph.ttl"
    atomic_write_text(path, _turtle(corpus.dataset))
    return [path]


def write_ntriples(corpus: Corpus, out: Path) -> list[Path]:
    """Corpus writer of ``nt``: ``out/graph.nt``, written as bytes (no text round trip)."""
    from graph_builder.graph.ntriples import ntriples

    path = Path(out) / "graph.nt"
    atomic_write_bytes(path, ntriples(_triples(corpus.dataset)))
    return [path]


def write_trig(corpus: Corpus, out: Path) -> list[Path]:
    """Corpus writer of ``trig``: ``out/graph.trig``."""
    path = Path(out) / "graph.trig"
    atomic_write_text(path, _trig(corpus.dataset))
    return [path]
