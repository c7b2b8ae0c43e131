"""The ``rdfxml`` format: ``graph.rdf``, the union of all graphs as RDF/XML.

RDF/XML is the one RDF syntax every RDF tool reads: Protégé and the OWL API open it by
default, older Jena, RDF4J (Sesame) and Virtuoso loaders and XSLT pipelines expect it. Like
``graph.ttl`` it is the merged view (RDF/XML has no graph names), written by pyoxigraph from
the distinct triples sorted, with the dataset's prefixes, so it is deterministic.

XML 1.0 cannot hold C0 control characters (but tab, newline, carriage return) nor U+FFFE
and U+FFFF, even escaped: a literal holding one is written with U+FFFD there, as in
``graph.graphml`` (the other RDF files keep every character). A carriage return is written
``&#13;`` so that XML parsers, which turn a raw one into a newline, read it back.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Dataset, Literal

from graph_builder._fs import atomic_write_bytes
from graph_builder.graph.oxigraph import to_ox_term

if TYPE_CHECKING:
    from graph_builder.export.corpus import Corpus

__all__ = ["RDFXML_FILE", "rdfxml", "write_rdfxml"]

RDFXML_FILE = "graph.rdf"

#: What XML 1.0 cannot hold in any form.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(term):
    """``term``, or for a literal XML cannot hold the same literal with U+FFFD instead."""
    if not isinstance(term, Literal) or not _NOT_XML.search(term):
        return term
    text = _NOT_XML.sub("\ufffd", str(term))
    return (
        Literal(text, lang=term.language)
        if term.language
        else Literal(text, datatype=term.datatype)
    )


def rdfxml(ds: Dataset) -> bytes:
    """Every distinct triple of ``ds``'s graphs as RDF/XML (UTF-8), subjects in order."""
    triples = {
        ox.Triple(to_ox_term(s), to_ox_term(p), to_ox_term(_xml_safe(o)))
        for s, p, o, _g in ds.quads((None, None, None, None))
    }
    prefixes = {p: str(ns) for p, ns in sorted(ds.namespace_manager.namespaces()) if p}
    data = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.RDF_XML, prefixes=prefixes)
    # pyoxigraph writes line breaks as \n only: a \r is from a literal.
    return data.replace(b"\r", b"&#13;") + b"\n"


def write_rdfxml(corpus: Corpus, out: Path) -> list[Path]:
    """Corpus writer of ``rdfxml`` (see :mod:`.formats`): ``out/graph.rdf``."""
    path = Path(out) / RDFXML_FILE
    atomic_write_bytes(path, rdfxml(corpus.dataset))
    return [path]
