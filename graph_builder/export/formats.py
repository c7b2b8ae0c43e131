"""The one registry of what ``policykg build`` writes: each ``--formats`` name, its files,
when it is written and by which function.

Every consumer reads :data:`FORMATS`: the CLI's choices and help (:data:`STREAMED`,
:data:`CORPUS`), the per-document rendering in the extraction workers
(:mod:`.stream`), the writer of the corpus views (:mod:`.corpus`), the streamed build,
its manifest and ``--incremental`` (:mod:`.stream`, :mod:`.incremental`). Adding a format
is one :class:`Format` below and the module holding its writer (and a test); nothing else
names formats.

Kept free of heavy imports so ``policykg build --help`` lists the formats without loading
rdflib: a writer is named as ``"module:function"`` and imported when first used.

Three scopes, and the difference is memory:

* ``document``: files of one plan, rendered in the worker that extracted it and written as
  it arrives (``json``, ``text``); ``write(plan) -> {path: bytes}``;
* ``dataset``: one plan's N-Quads, rendered in the worker and appended to one file per
  corpus (``nq``: facts to ``graph.nq``, evidence to ``evidence.nq``, the same bytes go to
  ``--store``); ``write(plan, base, generated_at, provenance) -> (facts, evidence)``;
* ``corpus``: views that need every plan at once (the merged Turtle and N-Triples, the TriG
  and JSON-LD datasets, GraphML, the Neo4j import, the CSV tables, the HTML pages);
  ``write(corpus, out) -> [paths]`` with a :class:`~graph_builder.export.corpus.Corpus`.
  Selecting one keeps every plan in memory until the end.

A build that selects only ``document`` and ``dataset`` formats holds no plan after it is
written, so its memory stays flat however large the corpus. ``all`` (the default, what
``make run`` writes) is every format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Literal

__all__ = [
    "ALL",
    "CORPUS",
    "CORPUS_WIDE",
    "DATASET",
    "DOCUMENT",
    "EVIDENCE_FILE",
    "FORMATS",
    "Format",
    "NQ_FILE",
    "STREAMED",
    "parse_formats",
    "selected",
]

ALL = "all"

Scope = Literal["document", "dataset", "corpus"]
DOCUMENT: Scope = "document"
DATASET: Scope = "dataset"
#: (:data:`CORPUS` is the tuple of this scope's names, which the CLI's help lists.)
CORPUS_WIDE: Scope = "corpus"

NQ_FILE = "graph.nq"
#: The documents' evidence graphs (``--provenance compact|full``), beside the facts: load
#: graph.nq alone for the facts, both for the facts with where each was read.
EVIDENCE_FILE = "evidence.nq"


@dataclass(frozen=True)
class Format:
    """One ``--formats`` name: what it writes, when, and the function that writes it."""

    name: str
    scope: Scope
    #: Its files, relative to the output folder (``<doc>``: each document's name; a folder's
    #: main files); a test checks that a build writes each.
    files: tuple[str, ...]
    #: One line for ``--help`` and the docs.
    help: str
    #: Media type of its files (``text/turtle``); RDF parsers accept it as the format name.
    media_type: str
    #: ``"module:function"``, the writer of the scope's signature (see the module docstring).
    write: str

    def writer(self) -> Callable:
        """The writer function, imported now (not when the registry is read)."""
        module, _, name = self.write.partition(":")
        return getattr(import_module(module), name)


_REGISTRY: tuple[Format, ...] = (
    Format("json", DOCUMENT, ("json/<doc>.json",), "gold schema plus evidence",
           "application/json", "graph_builder.export.json_export:json_files"),
    Format("text", DOCUMENT, ("text/<doc>.txt",), "the text every offset points into",
           "text/plain", "graph_builder.export.text:text_files"),
    Format("nq", DATASET, (NQ_FILE, EVIDENCE_FILE),
           "N-Quads: ontology graph, then one named graph per document; evidence beside",
           "application/n-quads", "graph_builder.export.stream:render_nquads"),
    Format("ttl", CORPUS_WIDE, ("graph.ttl",), "Turtle, union of all graphs",
           "text/turtle", "graph_builder.export.rdf_export:write_turtle"),
    Format("nt", CORPUS_WIDE, ("graph.nt",), "N-Triples, union of all graphs",
           "application/n-triples", "graph_builder.export.rdf_export:write_ntriples"),
    Format("trig", CORPUS_WIDE, ("graph.trig",), "TriG dataset",
           "application/trig", "graph_builder.export.rdf_export:write_trig"),
    Format("jsonld", CORPUS_WIDE, ("graph.jsonld",), "JSON-LD dataset",
           "application/ld+json", "graph_builder.export.jsonld:write_jsonld"),
    Format("rdfxml", CORPUS_WIDE, ("graph.rdf",), "RDF/XML, union of all graphs (Protégé)",
           "application/rdf+xml", "graph_builder.export.rdfxml:write_rdfxml"),
    Format("graphml", CORPUS_WIDE, ("graph.graphml",), "NetworkX graph for Gephi, Cytoscape, yEd",
           "application/graphml+xml", "graph_builder.export.graphml:write_graphml_view"),
    Format("neo4j", CORPUS_WIDE,
           ("neo4j/nodes.csv", "neo4j/relationships.csv", "neo4j/import.cypher"),
           "CSV files and Cypher for a Neo4j import",
           "text/csv", "graph_builder.export.neo4j:write_neo4j_import"),
    Format("html", CORPUS_WIDE,
           ("agency_measure_types.html", "agency_measure_types_matrix.html",
            "explorer/index.html", "report.html"),
           "the network, matrix, explorer and report pages",
           "text/html", "graph_builder.visualize.pages:write_pages"),
    Format("tables", CORPUS_WIDE,
           ("tables/plans.csv", "tables/measures.csv", "tables/responsibilities.csv",
            "tables/targets.csv", "tables/instruments.csv"),
           "one row per item with its offsets and quote; UTF-8 with BOM, for Excel",
           "text/csv", "graph_builder.export.tables:write_tables"),
)  # fmt: skip

#: Every format by name, in the order they are written.
FORMATS: dict[str, Format] = {f.name: f for f in _REGISTRY}
#: Names written per document as each plan arrives (flat memory).
STREAMED: tuple[str, ...] = tuple(f.name for f in _REGISTRY if f.scope != CORPUS_WIDE)
#: Names that need every plan in memory until the end.
CORPUS: tuple[str, ...] = tuple(f.name for f in _REGISTRY if f.scope == CORPUS_WIDE)


def parse_formats(spec: str | None) -> frozenset[str]:
    """``"json,nq"`` → ``{"json", "nq"}``; ``None``, ``""`` or ``"all"`` → every name and ``all``.

    ``all`` stays in the set: the manifest records what was asked for, and ``--incremental``
    reuses a build only with the same request.
    Raises :class:`ValueError` naming an unknown format.
    """
    names = [n.strip().lower() for n in (spec or ALL).split(",") if n.strip()]
    unknown = sorted(set(names) - set(FORMATS) - {ALL})
    if unknown:
        raise ValueError(
            f"unknown format {', '.join(unknown)}; choose from {ALL}, {', '.join(FORMATS)}"
        )
    if not names or ALL in names:
        return frozenset({ALL, *FORMATS})
    return frozenset(names)


def selected(formats: frozenset[str] | set[str], scope: Scope) -> list[Format]:
    """The formats of ``scope`` among the names ``formats``, in registry order."""
    return [f for f in _REGISTRY if f.scope == scope and f.name in formats]
