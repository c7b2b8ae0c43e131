"""Which serialization to answer with: the ``Accept`` header or a ``format`` parameter.

Shared by the endpoint and its query workers (the worker knows whether a query yields
solutions or triples only after running it). The ``format`` words and media-type aliases
follow what SPARQLWrapper and other standard clients send (issue 14).
"""

from __future__ import annotations

import pyoxigraph as ox

__all__ = ["RESULTS", "GRAPHS", "negotiate"]

RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
#: ``format``/``output`` parameter values, by the kind of result they are asked of. The same
#: word names a different media type for solutions and for graphs: SPARQLWrapper sends
#: ``format=xml`` by default, which means SPARQL Results XML for SELECT/ASK and RDF/XML for
#: CONSTRUCT/DESCRIBE (``json`` likewise means JSON-LD for a graph).
_SHORT = {
    "solutions": {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
    },
    "graph": {
        "xml": "application/rdf+xml",
        "rdfxml": "application/rdf+xml",
        "rdf+xml": "application/rdf+xml",
        "json": "application/ld+json",
        "jsonld": "application/ld+json",
        "json-ld": "application/ld+json",
        "turtle": "text/turtle",
        "ttl": "text/turtle",
        "n3": "text/turtle",
        "nt": "application/n-triples",
        "n-triples": "application/n-triples",
    },
}
#: Other names clients use for the media types offered (Turtle is valid N3).
_ALIASES = {
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/n3": "text/turtle",
    "text/plain": "application/n-triples",
    "application/x-json+ld": "application/ld+json",
}


def _negotiate(accept: str, offered: dict, default: str) -> str | None:
    """The offered media type the Accept header prefers (q-values honoured), or None."""
    if not accept:
        return default
    best, best_q = None, 0.0
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        media = _ALIASES.get(media, media)
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media in ("*/*", "application/*", "text/*"):
            candidate = default
        elif media in offered:
            candidate = media
        else:
            continue
        score = q - i * 1e-6
        if score > best_q:
            best, best_q = candidate, score
    return best


def negotiate(kind: str, accept: str, fmt: str | None = None) -> str | None:
    """The media type to answer with: ``kind`` is ``"solutions"`` (SELECT, ASK) or ``"graph"``
    (CONSTRUCT, DESCRIBE). A ``format``/``output`` parameter naming a format of that kind (a
    short word or a media type) wins over the ``Accept`` header; an unknown one is ignored, as
    clients send the same parameter for every query form. None when nothing offered fits."""
    offered, default = (
        (RESULTS, "application/sparql-results+json")
        if kind == "solutions"
        else (GRAPHS, "text/turtle")
    )
    if fmt:
        media = _SHORT[kind].get(fmt.lower()) or _ALIASES.get(fmt.lower(), fmt.lower())
        if media in offered:
            return media
    return _negotiate(accept, offered, default)
