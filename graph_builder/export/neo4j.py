"""Neo4j export: nodes and relationships as CSV files plus a Cypher ``LOAD CSV`` script.

Made from the NetworkX view (:func:`graph_builder.graph.nx.to_networkx`), so Neo4j holds the
same nodes (label = the node's ``type``: Measure, Agency, MeasureType …; ``iri`` property =
its IRI) and the same labelled relationships (``lead``, ``participant``, ``measureType`` …).
Files are written atomically and deterministically (sorted rows).

For neosemantics (n10s) users who prefer to import the RDF itself, :data:`N10S_SETUP` holds
the configuration statements; see README.md.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx

from graph_builder.export.io import atomic_write_text
from graph_builder.safetext import csv_cell

__all__ = ["write_neo4j", "cypher_script", "N10S_SETUP"]

N10S_SETUP = """\
// neosemantics: import the Turtle export as RDF (run once per database)
CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE;
CALL n10s.graphconfig.init({handleVocabUris: "SHORTEN", handleMultival: "ARRAY",
  keepLangTag: true, keepCustomDataTypes: true, applyNeo4jNaming: false});
CALL n10s.nsprefixes.add("gbo", "https://w3id.org/graph-builder/ontology#");
CALL n10s.rdf.import.fetch("file:///import/graph.ttl", "Turtle");
"""

_SAFE = re.compile(r"[^A-Za-z0-9_]")


def _label(name: str) -> str:
    """A Cypher-safe label or relationship type (letters, digits, underscore)."""
    cleaned = _SAFE.sub("_", name) or "Node"
    return cleaned if not cleaned[0].isdigit() else f"_{cleaned}"


def _csv(rows: list[list], header: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    # no cell a spreadsheet would run; import.cypher strips the added "'" again
    w.writerows([csv_cell(v, quote_escape=True) for v in row] for row in rows)
    return buf.getvalue()


def _unquoted(column: str) -> str:
    """``row.<column>`` without the ``'`` :func:`csv_cell` put before a formula-like value."""
    ref = f"row.{column}"
    return f'CASE WHEN {ref} STARTS WITH "\'" THEN substring({ref}, 1) ELSE {ref} END'


def cypher_script(
    node_keys: list[str], edge_keys: list[str], labels: list[str], types: list[str]
) -> str:
    """The LOAD CSV script for files written by :func:`write_neo4j`."""
    props = ", ".join(f"{_label(k)}: {_unquoted(_label(k))}" for k in node_keys)
    rel_props = ", ".join(f"{_label(k)}: {_unquoted(_label(k))}" for k in edge_keys)
    lines = [
        "// graph_builder → Neo4j. Copy nodes.csv and relationships.csv into Neo4j's import/",
        "// folder, then run this file with cypher-shell -f import.cypher.",
        "CREATE CONSTRAINT gb_iri IF NOT EXISTS FOR (n:GBNode) REQUIRE n.iri IS UNIQUE;",
        "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row",
        f"MERGE (n:GBNode {{iri: row.iri}}) SET n += {{{props}}};",
    ]
    for label in labels:
        lines.append(f"MATCH (n:GBNode) WHERE n.type = '{label}' SET n:{_label(label)};")
    for rel in types:
        lines += [
            "LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row",
            f"WITH row WHERE row.type = '{rel}'",
            "MATCH (a:GBNode {iri: row.source}), (b:GBNode {iri: row.target})",
            f"MERGE (a)-[r:{_label(rel)} {{id: row.id}}]->(b)"
            + (f" SET r += {{{rel_props}}};" if rel_props else ";"),
        ]
    return "\n".join(lines) + "\n"


def write_neo4j(G: networkx.MultiDiGraph, directory: str | Path) -> list[Path]:
    """Write ``nodes.csv``, ``relationships.csv`` and ``import.cypher`` into ``directory``."""
    out = Path(directory)
    node_keys = sorted({k for _, d in G.nodes(data=True) for k in d} - {"iri"})
    edge_keys = sorted({k for *_, d in G.edges(keys=True, data=True) for k in d} - {"id"})
    node_rows = [
        [n, *("" if d.get(k) is None else d.get(k) for k in node_keys)]
        for n, d in sorted(G.nodes(data=True), key=lambda x: x[0])
    ]
    edge_rows = sorted(
        [
            [
                d.get("id") or f"{u}|{key}|{v}",
                u,
                v,
                key,
                *("" if d.get(k) is None else d.get(k) for k in edge_keys),
            ]
            for u, v, key, d in G.edges(keys=True, data=True)
        ]  # fmt: skip
    )
    labels = sorted({str(d.get("type", "Node")) for _, d in G.nodes(data=True)})
    types = sorted({str(k) for *_, k in G.edges(keys=True)})
    paths = [out / "nodes.csv", out / "relationships.csv", out / "import.cypher"]
    atomic_write_text(paths[0], _csv(node_rows, ["iri", *[_label(k) for k in node_keys]]))
    atomic_write_text(
        paths[1],
        _csv(edge_rows, ["id", "source", "target", "type", *[_label(k) for k in edge_keys]]),
    )
    atomic_write_text(paths[2], cypher_script(node_keys, edge_keys, labels, types))
    return paths
