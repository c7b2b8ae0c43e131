"""The Neo4j import files hold the same nodes and relationships as the NetworkX view."""

from __future__ import annotations

import csv

from .conftest import ROOT

NEO = ROOT / "outputs" / "neo4j"


def test_neo4j_csv_rows_match_the_graphml_graph():
    from graph_builder.graph.nx import read_graphml

    G = read_graphml(ROOT / "outputs" / "graph.graphml")
    with open(NEO / "nodes.csv", encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    with open(NEO / "relationships.csv", encoding="utf-8") as fh:
        rels = list(csv.DictReader(fh))
    assert len(nodes) == G.number_of_nodes()
    assert len(rels) == G.number_of_edges()
    iris = {n["iri"] for n in nodes}
    assert all(r["source"] in iris and r["target"] in iris for r in rels)
    leads = [r for r in rels if r["type"] == "lead"]
    assert len(leads) >= 125


def test_cypher_script_creates_every_label_and_relationship_type():
    script = (NEO / "import.cypher").read_text(encoding="utf-8")
    with open(NEO / "relationships.csv", encoding="utf-8") as fh:
        types = {r["type"] for r in csv.DictReader(fh)}
    for t in types:
        assert f"WHERE row.type = '{t}'" in script
    assert "SET n:Measure;" in script and "SET n:Agency;" in script
