"""`policykg query` and `policykg validate` on the committed outputs."""

from __future__ import annotations

import csv
import io
import json

import pytest

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


@pytest.mark.slow
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


@pytest.mark.slow
def test_cli_validate_reports_conformance(capsys):
    assert main(["validate", str(REPO / "outputs" / "graph.ttl")]) == EXIT_OK
    assert "conforms: 0 violations" in capsys.readouterr().out


GBO = "PREFIX gbo: <https://w3id.org/graph-builder/ontology#> "


def test_cli_query_takes_a_query_typed_in_with_or_without_q(capsys):
    q = GBO + "SELECT (COUNT(?m) AS ?n) WHERE { ?m a gbo:Measure }"
    assert main(["query", "-q", q, GRAPH, "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == [{"n": 125}]
    assert main(["query", q, GRAPH, "--format", "csv"]) == EXIT_OK  # detected as a query
    assert capsys.readouterr().out == "n\n125\n"


@pytest.mark.slow
def test_cli_query_runs_ask_construct_and_describe(tmp_path, capsys):
    assert main(["query", "-q", GBO + "ASK { ?m a gbo:Measure }", GRAPH]) == EXIT_OK
    assert capsys.readouterr().out == "true\n"
    assert main(["query", "-q", GBO + "ASK { ?m a gbo:NoSuchThing }", GRAPH]) == EXIT_OK
    assert capsys.readouterr().out == "false\n"
    rq = tmp_path / "measures.rq"
    rq.write_text(GBO + "CONSTRUCT { ?m a gbo:Measure } WHERE { ?m a gbo:Measure }\n")
    assert main(["query", str(rq), GRAPH, "--format", "nt"]) == EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) == 125
    assert main(["query", str(rq), GRAPH]) == EXIT_OK
    turtle = capsys.readouterr().out
    assert turtle.startswith("@prefix") and "gbo:Measure" in turtle
    q = GBO + "DESCRIBE ?m WHERE { ?m a gbo:Measure } LIMIT 1"
    assert main(["query", "-q", q, GRAPH, "--format", "nt"]) == EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) > 3
    # a graph cannot print as a table, nor a SELECT as Turtle: one line with a code
    assert main(["query", str(rq), GRAPH, "--format", "csv"]) == EXIT_USAGE
    assert "GB-E085" in capsys.readouterr().err


def test_cli_query_where_matches_what_the_user_types_and_says_when_nothing_matched(capsys):
    assert (
        main(["query", "lead_agencies", GRAPH, "--format", "json", "--where", "region=株洲"]) == 0
    )
    assert {r["region"] for r in json.loads(capsys.readouterr().out)} == {"株洲市"}
    assert main(["query", "lead_agencies", GRAPH, "--where", "region=北京"]) == EXIT_OK
    out = capsys.readouterr()
    assert "(0 rows)" in out.out
    assert "GB-W180" in out.err and "株洲市" in out.err and out.err.count("\n") == 1


def test_cli_query_bad_sparql_is_one_line_with_its_code(capsys):
    assert main(["query", "-q", "SELECT ?x WHERE { ?x", GRAPH]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "GB-E081" in err and err.count("\n") == 1


def test_cli_query_reads_a_triples_file_through_named_graph_queries(capsys):
    ttl = str(REPO / "outputs" / "graph.ttl")
    assert main(["query", "lead_agencies", ttl, "--format", "json"]) == EXIT_OK
    from_ttl = json.loads(capsys.readouterr().out)
    assert main(["query", "lead_agencies", GRAPH, "--format", "json"]) == EXIT_OK
    assert from_ttl == json.loads(capsys.readouterr().out) and from_ttl
