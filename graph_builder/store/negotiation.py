"""Which serialization to answer with: the ``Accept`` header or a ``format`` parameter.

Shared by the endpoint and its query workers (the worker knows whether a query yields
solutions or triples only after running it).
"""

from __future__ import annotations

import pyoxigraph as ox

__all__ = ["RESULTS", "GRAPHS", "negotiate", "choose_media"]

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
_SHORT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "n-triples": "application/n-triples",
}


def negotiate(accept: str, offered: dict, default: str) -> str | None:
    """The offered media type the Accept header prefers (q-values honoured), or None."""
    if not accept:
        return default
    best, best_q = None, 0.0
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
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


def choose_media(accept: str, fmt: str | None, graph: bool) -> str | None:
    """The media type for a result: ``fmt`` (``format``/``output`` parameter) when it names one
    (as many clients send), else the Accept header; None when nothing offered is acceptable."""
    if fmt and (_SHORT.get(fmt.lower()) or fmt) in {**RESULTS, **GRAPHS}:
        accept = _SHORT.get(fmt.lower()) or fmt
    if graph:
        return negotiate(accept, GRAPHS, "text/turtle")
    return negotiate(accept, RESULTS, "application/sparql-results+json")
