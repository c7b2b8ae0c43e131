"""``policykg query`` and ``validate``: questions to a built graph, a store or an endpoint.

Imports are deferred to the command that runs, so ``policykg --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

from graph_builder import errors
from graph_builder.cli.common import EXIT_INPUT, EXIT_OK, EXIT_USAGE

__all__ = ["add_query_commands"]


def add_query_commands(sub) -> None:
    """Register ``query`` and ``validate`` (in that order) on ``sub``."""
    p = sub.add_parser(
        "query",
        help="run a canned or custom SPARQL query on a graph file, a store or an endpoint",
        description="Run a canned query (by NAME; see --list), a query in FILE.rq or a query "
        "typed in (as QUERY, or with -q TEXT): SELECT, ASK, CONSTRUCT or DESCRIBE. It runs on "
        "GRAPH (a .trig, .nq, .ttl, .nt or .jsonld file, or a folder holding graph.trig; "
        "default outputs/graph.trig, as `make run` writes it), on an on-disk store "
        "(--store DIR, made by `policykg build --store`) or on any SPARQL 1.1 endpoint "
        "(--endpoint URL: Oxigraph's /query, Fuseki's /DATASET/sparql, GraphDB's "
        "/repositories/REPO, Virtuoso's /sparql). The canned queries read named graphs, so "
        "they answer the same whether or not the store's default graph is the union. "
        "SELECT prints a table, CSV or JSON; ASK prints true or false; CONSTRUCT and "
        "DESCRIBE print Turtle, N-Triples or JSON-LD.",
    )
    p.add_argument(
        "query", nargs="?", metavar="NAME|FILE.rq|QUERY", help="canned query name, file or text"
    )
    p.add_argument("graph", nargs="?", metavar="GRAPH", help="graph file or folder")
    p.add_argument(
        "-q", "--query", dest="text", metavar="TEXT", default=None, help="the SPARQL query text"
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument(
        "--endpoint", metavar="URL", default=None, help="query a SPARQL 1.1 endpoint at URL"
    )
    source.add_argument(
        "--store", metavar="DIR", default=None, help="query the on-disk Oxigraph store at DIR"
    )
    p.add_argument("--list", action="store_true", help="list the canned queries and exit")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json", "turtle", "nt", "jsonld"),
        default=None,
        help="SELECT: table (default), csv or json; CONSTRUCT/DESCRIBE: turtle (default), nt "
        "or jsonld",
    )
    p.add_argument(
        "--excel",
        action="store_true",
        help="CSV for Excel: UTF-8 with a byte-order mark, so Chinese text is not garbled "
        "(implies --format csv)",
    )
    p.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="keep only rows whose COLUMN matches VALUE as typed: equal, or containing it "
        "(region=宁波 keeps 宁波市); repeatable; a warning says when nothing matched",
    )
    p.add_argument(
        "--lang",
        default="zh",
        metavar="TAG",
        help="language of labels in the answers, e.g. en or zh (default zh; Chinese where "
        "a label in that language is missing)",
    )
    p.add_argument(
        "--engine",
        choices=("oxigraph", "rdflib"),
        default="oxigraph",
        help="local SPARQL engine for GRAPH (both give the same answers; oxigraph is faster)",
    )
    p.set_defaults(func=cmd_query)

    p = sub.add_parser(
        "validate",
        help="check a built graph against the SHACL shapes",
        description="Validate GRAPH (default outputs/graph.trig) against ontology/shapes.ttl "
        "with pyshacl; prints every violation (exit 1 when there is one).",
    )
    p.add_argument("graph", nargs="?", metavar="GRAPH", help="graph file or folder")
    p.set_defaults(func=cmd_validate)


def cmd_query(args) -> int:
    from graph_builder.query.runner import (
        OUTPUT_FORMATS,
        QueryFailed,
        filter_rows,
        format_result,
        list_queries,
        load_graph,
        resolve_query,
        run_endpoint,
        run_query,
    )

    if args.list:
        for q in list_queries():
            print(f"{q.name}\n    {q.question}\n    columns: {q.columns}")
        return EXIT_OK
    if args.text is not None:
        if args.graph is not None:
            print("policykg query: give -q TEXT or a query NAME, not both", file=sys.stderr)
            return EXIT_USAGE
        args.query, args.graph = "query", args.query
        name, sparql = "query", args.text
    elif not args.query:
        print("policykg query: name a query (see --list), a .rq file or -q TEXT", file=sys.stderr)
        return EXIT_USAGE
    else:
        try:
            name, sparql = resolve_query(args.query)
        except (KeyError, FileNotFoundError) as exc:
            print(f"policykg query: error {errors.E082}: {exc.args[0]}", file=sys.stderr)
            return EXIT_USAGE if isinstance(exc, KeyError) else EXIT_INPUT
    if args.graph is not None and (args.endpoint or args.store):
        print(
            f"policykg query: {args.graph!r}: give GRAPH, --store or --endpoint, one of them",
            file=sys.stderr,
        )
        return EXIT_USAGE
    where = []
    for spec in args.where:
        column, sep, value = spec.partition("=")
        if not sep:
            print(f"--where {spec!r}: expected COLUMN=VALUE", file=sys.stderr)
            return EXIT_USAGE
        where.append((column, value))
    try:
        if args.endpoint:
            result = run_endpoint(sparql, args.endpoint, args.lang)
        else:
            if args.store:
                from graph_builder.store.embedded import open_store

                if not Path(args.store).is_dir():
                    raise FileNotFoundError(f"{args.store}: no such store folder")
                try:
                    store = open_store(args.store, read_only=True)
                except OSError as exc:
                    raise FileNotFoundError(
                        f"{args.store}: not an Oxigraph store ({exc})"
                    ) from None
            else:
                store = load_graph(args.graph, args.engine)
            result = run_query(sparql, store, args.lang)
    except FileNotFoundError as exc:
        print(f"policykg query: error {errors.E083}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except ValueError as exc:
        print(f"policykg query: error {errors.E081}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except QueryFailed as exc:
        code = errors.E080 if args.endpoint else errors.E081
        print(f"policykg query: error {code}: {name}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    if where and result.kind != "select":
        print("policykg query: --where filters the rows of a SELECT only", file=sys.stderr)
        return EXIT_USAGE
    for column, value in where:
        before = result
        try:
            result = filter_rows(result, column, value)
        except KeyError as exc:
            print(f"--where: error {errors.E084}: {exc.args[0]}", file=sys.stderr)
            return EXIT_USAGE
        if before.rows and not result.rows:
            i = before.columns.index(column)
            seen = sorted({str(r[i]) for r in before.rows if r[i] is not None})
            shown = ", ".join(seen[:12]) + (", …" if len(seen) > 12 else "")
            print(
                f"policykg query: warning {errors.W180}: --where {column}={value} matched none of "
                f"{len(before.rows)} rows; {column} has: {shown}",
                file=sys.stderr,
            )
    kind = "graph" if result.kind == "graph" else "select"
    if args.format and result.kind != "ask" and args.format not in OUTPUT_FORMATS[kind]:
        print(
            f"policykg query: error {errors.E085}: --format {args.format} does not fit a "
            f"{'CONSTRUCT/DESCRIBE' if kind == 'graph' else 'SELECT'} answer (use "
            f"{', '.join(OUTPUT_FORMATS[kind])})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if result.kind == "graph" and not result.triples:
        print(
            f"policykg query: warning {errors.W181}: the answer is an empty graph (DESCRIBE and "
            "CONSTRUCT read the default graph unless they say GRAPH; a store such as an "
            "Oxigraph server keeps it empty)",
            file=sys.stderr,
        )
    if args.excel:  # Excel reads UTF-8 only after a byte-order mark
        sys.stdout.flush()
        sys.stdout.buffer.write(("\ufeff" + format_result(result, "csv")).encode("utf-8"))
        sys.stdout.buffer.flush()
        return EXIT_OK
    sys.stdout.write(format_result(result, args.format))
    return EXIT_OK


def cmd_validate(args) -> int:
    from graph_builder.graph.validate import validate
    from graph_builder.query.runner import load_graph

    try:
        ds = load_graph(args.graph, "rdflib")
    except (FileNotFoundError, ValueError) as exc:
        print(f"policykg validate: {exc}", file=sys.stderr)
        return EXIT_INPUT
    report = validate(ds)
    for v in report.violations:
        print(v.format())
    print(
        f"{'conforms' if report.conforms else 'does not conform'}: "
        f"{len(report.violations)} violations"
    )
    return EXIT_OK if report.conforms else EXIT_INPUT
