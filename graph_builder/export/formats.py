"""The views ``policykg build --formats`` selects, by name.

Kept free of heavy imports so ``policykg build --help`` can list them without loading rdflib.

Two kinds, and the difference is memory:

* **streamed** views are written per document as each plan arrives (``json``, ``text``, ``nq``);
  a build that selects only these holds no plan after it is written, so its memory stays flat
  however large the corpus;
* **corpus** views need every plan at once (the merged Turtle and N-Triples, the TriG and
  JSON-LD datasets, GraphML, the Neo4j import, the CSV tables, the HTML pages); selecting one keeps every plan
  in memory until the end.

``all`` (the default, what ``make run`` writes) is every view, including any writer added to
:data:`graph_builder.export.outputs.WRITERS` without a name here.
"""

from __future__ import annotations

__all__ = ["ALL", "STREAMED", "CORPUS", "FORMATS", "parse_formats", "describe"]

ALL = "all"

#: Written per document, as each plan arrives.
STREAMED: dict[str, str] = {
    "json": "json/<doc>.json (gold schema plus evidence)",
    "text": "text/<doc>.txt (the text every offset points into)",
    "nq": "graph.nq (N-Quads: ontology graph, then one named graph per document)",
}

#: Need the whole corpus in memory.
CORPUS: dict[str, str] = {
    "ttl": "graph.ttl (Turtle, union of all graphs)",
    "nt": "graph.nt (N-Triples, union of all graphs)",
    "trig": "graph.trig (TriG dataset)",
    "jsonld": "graph.jsonld (JSON-LD dataset)",
    "graphml": "graph.graphml (NetworkX graph for Gephi, Cytoscape, yEd)",
    "neo4j": "neo4j/ (CSV files and Cypher for a Neo4j import)",
    "html": "the network, matrix, explorer and report pages",
    "tables": "tables/*.csv (plans, measures, responsibilities, targets, instruments; UTF-8 with BOM)",
}

FORMATS: dict[str, str] = {**STREAMED, **CORPUS}


def parse_formats(spec: str | None) -> frozenset[str]:
    """``"json,nq"`` → ``{"json", "nq"}``; ``None``, ``""`` or ``"all"`` → every name and ``all``.

    ``all`` stays in the set so writers without a name of their own are written too.
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


def describe() -> str:
    """One line per name, for ``--help``."""
    return "\n".join(f"  {name:8} {text}" for name, text in FORMATS.items())
