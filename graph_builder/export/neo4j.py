"""Neo4j export: nodes and relationships as CSV files plus a Cypher ``LOAD CSV`` script.

Made from the NetworkX view (:func:`graph_builder.graph.nx.to_networkx`), so Neo4j holds the
same nodes (label = the node's ``type``: Measure, Agency, MeasureType …; ``iri`` property =
its IRI) and the same labelled relationships (``lead``, ``participant``, ``measureType`` …;
always valid identifiers, a repeated edge numbered in its ``occurrence`` property). Numbers,
booleans and dates are typed (header types of the Neo4j import format, read as such by the
script), and the script imports in batches (``CALL { … } IN TRANSACTIONS``). Files are written
atomically and deterministically (sorted rows).

For neosemantics (n10s) users who prefer to import the RDF itself, :data:`N10S_SETUP` holds
the configuration statements; see README.md.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import networkx

from graph_builder._fs import atomic_write_text
from graph_builder.safetext import csv_cell

if TYPE_CHECKING:
    from graph_builder.export.corpus import Corpus

__all__ = [
    "write_neo4j",
    "write_neo4j_import",
    "cypher_script",
    "column_type",
    "N10S_SETUP",
    "BATCH",
]

N10S_SETUP = """\
// neosemantics: import the Turtle export as RDF (run once per database)
CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE;
CALL n10s.graphconfig.init({handleVocabUris: "SHORTEN", handleMultival: "ARRAY",
  keepLangTag: true, keepCustomDataTypes: true, applyNeo4jNaming: false});
CALL n10s.nsprefixes.add("gbo", "https://w3id.org/graph-builder/ontology#");
CALL n10s.rdf.import.fetch("file:///import/graph.ttl", "Turtle");
"""

_SAFE = re.compile(r"[^A-Za-z0-9_]")
_OCCURRENCE = re.compile(r"#(\d+)$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Rows per transaction of the batched import.
BATCH = 1000
#: Neo4j import header type → the Cypher function that reads a LOAD CSV string as it.
_CAST = {"int": "toInteger", "float": "toFloat", "boolean": "toBoolean", "date": "date"}


def _label(name: str) -> str:
    """A Cypher-safe label or relationship type (letters, digits, underscore)."""
    cleaned = _SAFE.sub("_", name) or "Node"
    return cleaned if not cleaned[0].isdigit() else f"_{cleaned}"


def column_type(values: list) -> str:
    """The Neo4j import header type of a column, from its values' Python types (the NetworkX
    view types literals by datatype): ``int``, ``float``, ``boolean``, ``date`` (every value an
    ISO date) or ``string``. Empty cells do not count; a mix of types is ``string``."""
    got = [v for v in values if v is not None and v != ""]
    if not got:
        return "string"
    if all(isinstance(v, bool) for v in got):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in got):
        return "int"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in got):
        return "float"
    if all(isinstance(v, str) and _DATE.fullmatch(v) for v in got):
        return "date"
    return "string"


def _header(name: str, kind: str) -> str:
    return _label(name) if kind == "string" else f"{_label(name)}:{kind}"


def _cell(v) -> str | int | float:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def _csv(rows: list[list], header: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    # no cell a spreadsheet would run; import.cypher strips the added "'" again (_read)
    w.writerows([[csv_cell(_cell(v), quote_escape=True) for v in row] for row in rows])
    return buf.getvalue()


def _read(column: str) -> str:
    """The Cypher expression of a typed column of a LOAD CSV row (empty cells → null)."""
    name, _, kind = column.partition(":")
    cell = f"row.`{column}`"
    if kind == "date":
        return f"CASE {cell} WHEN '' THEN null ELSE date({cell}) END"
    if kind in _CAST:
        return f"{_CAST[kind]}({cell})"
    # a string cell that began with = + - @ or ' was written with a leading ' (csv_cell)
    return f"CASE WHEN {cell} STARTS WITH \"'\" THEN substring({cell}, 1) ELSE {cell} END"


def _props(columns: list[str]) -> str:
    return ", ".join(f"{c.partition(':')[0]}: {_read(c)}" for c in columns)


def _batched(source: str, where: str, body: list[str]) -> list[str]:
    """``LOAD CSV`` of the rows of ``source`` that pass ``where``, with ``body`` run in
    transactions of :data:`BATCH` rows."""
    return [
        f"LOAD CSV WITH HEADERS FROM 'file:///{source}' AS row",
        f"WITH row WHERE {where}",
        "CALL {",
        "  WITH row",
        *(f"  {line}" for line in body),
        f"}} IN TRANSACTIONS OF {BATCH} ROWS;",
    ]


def cypher_script(
    node_columns: list[str], edge_columns: list[str], labels: list[str], types: list[str]
) -> str:
    """The import script for files written by :func:`write_neo4j`: typed properties, one
    batched load per node label and per relationship type (``CALL { … } IN TRANSACTIONS``;
    run it in auto-commit mode, as ``cypher-shell -f`` does). ``*_columns`` are the typed
    property headers (``start:int``)."""
    lines = [
        "// graph_builder → Neo4j. Copy nodes.csv and relationships.csv into Neo4j's import/",
        "// folder, then run this file with cypher-shell -f import.cypher. The CSV headers use",
        "// the header format of neo4j-admin database import (iri:ID, type:LABEL,",
        "// source:START_ID, target:END_ID, type:TYPE, start:int …).",
        "CREATE CONSTRAINT gb_iri IF NOT EXISTS FOR (n:GBNode) REQUIRE n.iri IS UNIQUE;",
    ]
    props = _props(node_columns)
    for label in labels:
        lines.append(f"// :{_label(label)}")
        lines += _batched(
            "nodes.csv",
            f"row.`type:LABEL` = '{label}'",
            [
                f"MERGE (n:GBNode:{_label(label)} {{iri: row.`iri:ID`}})",
                "SET n.type = row.`type:LABEL`" + (f", n += {{{props}}}" if props else ""),
            ],
        )
    rel_props = _props(edge_columns)
    for rel in types:
        lines.append(f"// [:{rel}]")
        lines += _batched(
            "relationships.csv",
            f"row.`type:TYPE` = '{rel}'",
            [
                "MATCH (a:GBNode {iri: row.`source:START_ID`})",
                "MATCH (b:GBNode {iri: row.`target:END_ID`})",
                f"MERGE (a)-[r:{rel} {{id: row.id}}]->(b)"
                + (f" SET r += {{{rel_props}}}" if rel_props else ""),
            ],
        )
    return "\n".join(lines) + "\n"


def write_neo4j(G: networkx.MultiDiGraph, directory: str | Path) -> list[Path]:
    """Write ``nodes.csv``, ``relationships.csv`` and ``import.cypher`` into ``directory``.

    A relationship's type is its edge label made a valid identifier (``mentionsPlace``); a
    second edge of one label between the same two nodes (the NetworkX key ``mentionsPlace#2``)
    keeps the type and says so in its ``occurrence`` property (1, 2 …). Property columns are
    typed in the header (``start:int``, ``amount:float``, ``issued:date``,
    ``amountIsCap:boolean``) from the values' types, and the script reads them as such.
    """
    out = Path(directory)
    node_keys = sorted({k for _, d in G.nodes(data=True) for k in d} - {"iri", "type"})
    edge_keys = sorted(
        {k for *_, d in G.edges(keys=True, data=True) for k in d} - {"id", "occurrence"}
    )
    nodes = sorted(G.nodes(data=True), key=lambda x: x[0])
    node_types = {k: column_type([d.get(k) for _, d in nodes]) for k in node_keys}
    edges = []
    for u, v, key, d in G.edges(keys=True, data=True):
        m = _OCCURRENCE.search(str(key))
        label = str(d.get("label") or _OCCURRENCE.sub("", str(key)))
        edges.append(
            (d.get("id") or f"{u}|{key}|{v}", u, v, _label(label), int(m[1]) if m else 1, d)
        )
    edges.sort(key=lambda e: e[:5])
    edge_types = {k: column_type([e[5].get(k) for e in edges]) for k in edge_keys}
    node_rows = [[n, d.get("type", "Node"), *(d.get(k) for k in node_keys)] for n, d in nodes]
    edge_rows = [[i, u, v, t, n, *(d.get(k) for k in edge_keys)] for i, u, v, t, n, d in edges]
    node_columns = [_header(k, node_types[k]) for k in node_keys]
    edge_columns = ["occurrence:int", *(_header(k, edge_types[k]) for k in edge_keys)]
    labels = sorted({str(d.get("type", "Node")) for _, d in nodes})
    types = sorted({e[3] for e in edges})
    paths = [out / "nodes.csv", out / "relationships.csv", out / "import.cypher"]
    atomic_write_text(paths[0], _csv(node_rows, ["iri:ID", "type:LABEL", *node_columns]))
    atomic_write_text(
        paths[1],
        _csv(edge_rows, ["id", "source:START_ID", "target:END_ID", "type:TYPE", *edge_columns]),
    )
    atomic_write_text(paths[2], cypher_script(node_columns, edge_columns, labels, types))
    return paths


def write_neo4j_import(corpus: Corpus, out: Path) -> list[Path]:
    """Corpus writer of ``neo4j`` (see :mod:`.formats`): the files above under ``out/neo4j``,
    made from the corpus's NetworkX view."""
    return write_neo4j(corpus.networkx, Path(out) / "neo4j")
