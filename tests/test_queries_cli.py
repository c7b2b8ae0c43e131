"""`policykg query` and `policykg validate` on the committed outputs."""

from __future__ import annotations

import csv
import io
import json

from graph_builder.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, main

from .graph_support import REPO

GRAPH = str(REPO / "outputs" / "graph.trig")


def test_cli_query_lists_the_canned_queries(capsys):
    assert main(["query", "--list"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "lead_agencies" in out and "national_items_coverage" in out and "columns:" in out


def test_cli_query_prints_a_table_csv_and_json(capsys):
    assert main(["query", "lead_agencies", GRAPH]) == EXIT_OK
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == ["region", "agency", "function", "measures_led"]
    assert table.rstrip().endswith("rows)")
    assert main(["query", "lead_agencies", GRAPH, "--format", "csv"]) == EXIT_OK
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(int(r["measures_led"]) >= 1 for r in rows)
    assert (
        main(["query", "lead_agencies", GRAPH, "--format", "json", "--where", "region=株洲市"])
        == EXIT_OK
    )
    records = json.loads(capsys.readouterr().out)
    assert records and {r["region"] for r in records} == {"株洲市"}


def test_cli_query_runs_a_query_file_with_either_engine(tmp_path, capsys):
    rq = tmp_path / "count.rq"
    rq.write_text(
        "PREFIX gbo: <https://w3id.org/graph-builder/ontology#>\n"
        "SELECT (COUNT(?m) AS ?measures) WHERE { ?m a gbo:Measure }\n",
        encoding="utf-8",
    )
    outs = []
    for engine in ("oxigraph", "rdflib"):
        assert main(["query", str(rq), GRAPH, "--format", "json", "--engine", engine]) == EXIT_OK
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0] == outs[1] == [{"measures": 125}]


def test_cli_query_reports_unknown_queries_columns_and_graphs(tmp_path, capsys):
    assert main(["query", "no_such_query", GRAPH]) == EXIT_USAGE
    assert "canned queries" in capsys.readouterr().err
    assert main(["query", "lead_agencies", GRAPH, "--where", "nope=1"]) == EXIT_USAGE
    assert main(["query", "lead_agencies", str(tmp_path / "missing.trig")]) == EXIT_INPUT
    assert "no graph file" in capsys.readouterr().err


def test_cli_validate_reports_conformance(capsys):
    assert main(["validate", str(REPO / "outputs" / "graph.ttl")]) == EXIT_OK
    assert "conforms: 0 violations" in capsys.readouterr().out
