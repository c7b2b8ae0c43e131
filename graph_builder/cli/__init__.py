"""The ``policykg`` command line.

Imports are deferred to the subcommand that needs them, so ``policykg --help`` and small
commands start without loading spaCy, jieba or rdflib.

Exit codes: 0 success; 1 some input failed (or, with --strict, produced warnings);
2 usage error; 3 evaluation below the thresholds given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_builder import __version__, errors
from graph_builder.cli.store import add_store_commands, add_store_option
from graph_builder.safetext import for_terminal
from graph_builder.timelimit import DEFAULT_DOC_TIMEOUT

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_THRESHOLD = 0, 1, 2, 3

DEFAULT_CORPUS = "corpus"
#: Where the gold annotations of the seed corpus live in a checkout of the repository.
BUNDLED_GOLD = Path("tests") / "data" / "gold"

EPILOG = """\
examples:
  policykg build corpus --out outputs        build every view of the bundled corpus
  policykg build plans/ --out out --jobs 2   extract in 2 processes (same output as 1)
  policykg build plans/ --formats json,nq --store kg/ --jobs 2
                                             large corpora: per-document files only, flat memory
  policykg extract plan.txt --json-dir out/  one JSON per document (gold schema + evidence)
  policykg evaluate                          score the bundled corpus against its gold files
  cat plan.txt | policykg extract - --json-dir out/
  policykg query --list                      the canned SPARQL queries
  policykg query lead_agencies --format csv  run one on outputs/graph.trig
  policykg query targets_2025 --excel > t.csv   CSV with a BOM, for Excel
  policykg query targets_2025 --where region=宁波 --endpoint http://localhost:7878/query
  policykg query -q 'ASK { ?s a <https://w3id.org/graph-builder/ontology#Measure> }'

Inputs may be files, folders (searched recursively) or glob patterns; '-' reads standard
input. A file that cannot be read gets one line on stderr naming it and the reason; the
others are still built. Exit status: 0 ok, 1 an input failed (or warned, with --strict),
2 usage error, 3 evaluation below --min-* thresholds.

Formats: plain text (UTF-8, GB18030/GBK, UTF-16 with BOM), web pages (.html, .htm), Word
(.docx) and PDFs with a text layer. The text each document was read as is stored in
text/<doc>.txt beside the graph; every offset in the outputs points into it.
"""


def _add_inputs(p: argparse.ArgumentParser, default: list[str] | None = None) -> None:
    p.add_argument(
        "inputs",
        nargs="*" if default is not None else "+",
        default=default,
        metavar="INPUT",
        help="plan files, folders or glob patterns ('-' for stdin)"
        + (f"; default: {' '.join(default)}" if default else ""),
    )
    p.add_argument(
        "--segmenter",
        choices=("char", "jieba"),
        default="char",
        help="spaCy Chinese tokenizer: char (default, exact spans) or jieba (word tokens)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as failures (exit 1)")
    p.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    p.add_argument(
        "--progress",
        choices=("auto", "on", "off"),
        default="auto",
        help="progress bar on stderr (auto: only on a terminal)",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        metavar="N",
        help="extract in N processes (0: one per CPU); same output as one job; default: 1",
    )
    p.add_argument(
        "--doc-timeout",
        type=float,
        default=DEFAULT_DOC_TIMEOUT,
        metavar="SECONDS",
        help="seconds one input may take to read and extract; a slower one fails with "
        f"{errors.E070} and the others are built (0: no limit; default: {DEFAULT_DOC_TIMEOUT:g})",
    )


def _formats(spec: str) -> frozenset[str]:
    from graph_builder.export.formats import parse_formats

    try:
        return parse_formats(spec)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_formats_option(p: argparse.ArgumentParser) -> None:
    from graph_builder.export.formats import CORPUS, STREAMED

    p.add_argument(
        "--formats",
        type=_formats,
        default="all",
        metavar="LIST",
        help="comma-separated views to write (default: all, as make run). Written per "
        f"document as each is extracted, in flat memory: {', '.join(STREAMED)}. Need every "
        f"plan in memory until the end: {', '.join(CORPUS)}. "
        "E.g. --formats json,nq for 10,000 plans.",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policykg",
        description="Build knowledge graphs of Chinese government action plans "
        "(提振消费专项行动方案): regions, actions, measures, responsible agencies, "
        "instruments, targets and measure types, each traceable to its source text.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "extract",
        help="extract plans to JSON (one file per document)",
        description="Extract each input into DIR/<stem>.json in the schema of the gold files, "
        "with quotes and character offsets for every item.",
    )
    _add_inputs(p)
    p.add_argument("--json-dir", required=True, metavar="DIR", help="folder for the JSON files")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "build",
        help="build every view of a corpus into an output folder",
        description="Extract the inputs and write all views (JSON, plain texts, graph "
        "formats, visualisations) into --out. The folder is built beside it and swapped in "
        "whole at the end, so it always holds one build's files (an interrupted build leaves "
        "the previous one); a second build into the same folder meanwhile is refused. A "
        "document is identified by its region and title (else its text), not its file "
        "name: a second copy of a plan is skipped with a warning.",
    )
    _add_inputs(p, [DEFAULT_CORPUS])
    p.add_argument(
        "--out",
        default="outputs",
        metavar="DIR",
        help="output folder, replaced as a whole by each build (default: outputs)",
    )
    add_store_option(p)
    _add_formats_option(p)
    p.add_argument(
        "--provenance",
        choices=("full", "compact", "none"),
        default="compact",
        help="evidence of each fact, in the document's evidence graph (evidence.nq beside "
        "graph.nq): compact (default: one node per span with its offsets and quote), full "
        "(W3C Web Annotation position and quote selectors per span) or none",
    )
    p.add_argument(
        "--incremental",
        action="store_true",
        help="reuse the previous build in --out for inputs whose path and bytes are unchanged "
        "(same extractor code, formats and options); extract only new or changed ones",
    )
    p.add_argument(
        "--prune",
        action="store_true",
        help="with --store: remove the graphs of documents not in this build (plans gone)",
    )
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="extract on a Dask distributed cluster (e.g. tcp://scheduler:8786) instead of "
        "--jobs local processes; same output, same order (needs graph_builder[cluster])",
    )
    p.add_argument(
        "--cluster-send",
        choices=("path", "bytes"),
        default="path",
        help="how inputs reach cluster workers: path (they share the files; default) or "
        "bytes (read here and sent)",
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "evaluate",
        help="score extraction against gold annotations",
        description="Extract the inputs and compare them with DIR/<stem>.json gold files; prints "
        "precision, recall and F1 per field, and accuracy of document fields and leads. "
        f"Without --gold, the gold files bundled with the repository ({BUNDLED_GOLD}, found "
        "from the working directory or beside the package's source checkout) are used.",
    )
    _add_inputs(p, [DEFAULT_CORPUS])
    p.add_argument(
        "--gold",
        default=None,
        metavar="DIR",
        help=f"folder of gold JSON files (default: the repository's {BUNDLED_GOLD})",
    )
    p.add_argument("--misses", action="store_true", help="also list every disagreement")
    p.add_argument(
        "--min",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="fail (exit 3) when F1 or accuracy of FIELD is below VALUE; repeatable",
    )
    p.set_defaults(func=cmd_evaluate)

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
    add_store_commands(sub, _add_inputs)
    return parser


def _report(result, args) -> int:
    for f in result.failures:
        print(f.format(), file=sys.stderr)
    warnings = result.warnings
    if not args.quiet or args.strict:  # under --strict a warning is a failure: always shown
        for w in warnings:
            print(for_terminal(w), file=sys.stderr)
    if result.failures:
        return EXIT_INPUT
    if args.strict and warnings:
        return EXIT_INPUT
    return EXIT_OK


def _progress(args) -> bool | None:
    return {"auto": None, "on": True, "off": False}[args.progress]


def cmd_extract(args) -> int:
    from graph_builder._fs import atomic_write_bytes
    from graph_builder.batch import BuildResult, Failure, Skipped, iter_rendered
    from graph_builder.export.json_export import plan_json

    # Streamed: each plan's JSON is made in its worker and written as it arrives.
    result = BuildResult()
    stream = iter_rendered(
        args.inputs,
        plan_json,
        args.jobs,
        args.segmenter,
        _progress(args),
        keep_plans=False,
        doc_timeout=args.doc_timeout,
    )
    for brief, data in stream:
        result.add(brief)
        if isinstance(brief, Failure | Skipped):
            continue
        path = Path(args.json_dir) / f"{brief.doc_id}.json"
        try:
            atomic_write_bytes(path, data, durable=False)
        except OSError as exc:
            stream.close()
            return _write_failed(result, args, args.json_dir, exc)
        if not args.quiet:
            print(for_terminal(f"{brief.source}: {brief.measures} measures -> {path}"))
    return _report(result, args)


def _write_failed(result, args, where, exc: OSError) -> int:
    """One line for an output folder that cannot be written (not a folder, full disk …)."""
    _report(result, args)
    reason = exc.strerror or str(exc)
    target = exc.filename or where
    print(
        for_terminal(f"{target}: error {errors.E050}: cannot write outputs: {reason}"),
        file=sys.stderr,
    )
    return EXIT_INPUT


def cmd_build(args) -> int:
    from graph_builder.cluster import ClusterError
    from graph_builder.export.staging import NotAnOutputFolder, OutputLocked
    from graph_builder.export.stream import CorpusWriter

    # Streamed: each document's files are written as it is extracted (export/stream.py),
    # into a staging folder swapped in whole at the end (export/staging.py).
    writer = CorpusWriter(
        args.out,
        args.formats,
        args.store,
        provenance=args.provenance,
        incremental=args.incremental,
        prune=args.prune,
    )
    try:
        written = writer.run(
            args.inputs,
            args.jobs,
            args.segmenter,
            _progress(args),
            args.cluster,
            args.cluster_send == "bytes",
            doc_timeout=args.doc_timeout,
        )
    except ClusterError as exc:
        print(f"{args.cluster}: error {errors.E090}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OutputLocked as exc:
        print(for_terminal(f"{args.out}: error {errors.E051}: {exc}"), file=sys.stderr)
        return EXIT_INPUT
    except NotAnOutputFolder as exc:
        print(for_terminal(f"{args.out}: error {errors.E052}: {exc}"), file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        return _write_failed(writer.result, args, args.out, exc)
    result = writer.result
    if args.store and not args.quiet:
        for source, earlier in writer.replaced:
            print(
                for_terminal(
                    f"{source}: replaces the earlier version of this plan in the store ({earlier})"
                )
            )
        print(f"store {args.store}: {writer.stored_graphs} named graphs added or replaced")
        if writer.pruned:
            print(f"store {args.store}: {len(writer.pruned)} graphs of plans gone removed")
    if args.incremental and not args.quiet:
        print(f"reused {writer.reused} unchanged documents from the previous build")
    if not args.quiet:
        plans = len(result.plans) + result.dropped
        skipped = f", {len(result.skipped)} skipped as copies" if result.skipped else ""
        print(
            f"built {plans} documents, {writer.measures} measures, "
            f"{len(result.failures)} failed{skipped}; {len(written)} files in {args.out}/"
        )
        print(writer.reading.summary())
    return _report(result, args)


def _gold_dir(given: str | None) -> Path | None:
    """The gold folder to score against: ``given``, else the repository's bundled one (from
    the working directory, or beside the package when it runs from a source checkout)."""
    if given:
        return Path(given) if Path(given).is_dir() else None
    import graph_builder

    checkout = Path(graph_builder.__file__).resolve().parent.parent
    for candidate in (BUNDLED_GOLD, checkout / BUNDLED_GOLD):
        if candidate.is_dir():
            return candidate
    return None


def cmd_evaluate(args) -> int:
    from graph_builder.batch import extract_all
    from graph_builder.evaluate import evaluate_docs, format_report, load_gold
    from graph_builder.export.json_export import plan_to_dict

    gold_dir = _gold_dir(args.gold)
    if gold_dir is None:
        print(
            f"evaluate: error {errors.E011}: no gold annotations found"
            + (
                f": {args.gold} is not a folder"
                if args.gold
                else f" ({BUNDLED_GOLD} is in a checkout of the repository, not in an "
                "installed package); give --gold DIR"
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    args.gold = str(gold_dir)
    gold_docs, agencies = load_gold(gold_dir)
    if not gold_docs:
        print(f"evaluate: error {errors.E011}: no gold JSON files in {gold_dir}", file=sys.stderr)
        return EXIT_USAGE
    result = extract_all(
        args.inputs, args.segmenter, _progress(args), jobs=args.jobs, doc_timeout=args.doc_timeout
    )
    pairs = []
    for plan in result.plans:
        gold = gold_docs.get(Path(plan.source).stem)
        if gold is None:
            print(
                for_terminal(f"{plan.source}: no gold file in {args.gold}, skipped"),
                file=sys.stderr,
            )
            continue
        pairs.append((plan_to_dict(plan), gold))
    if not pairs:
        print(f"no input has a gold file in {args.gold}", file=sys.stderr)
        return EXIT_USAGE
    report = evaluate_docs(pairs, agencies)
    print(format_report(report))
    if args.misses:
        for line in report.misses:
            print(line)
    status = _report(result, args)
    for spec in args.min:
        name, _, value = spec.partition("=")
        got = (
            report.scores[name].f1
            if name in report.scores
            else (report.accuracies[name].value if name in report.accuracies else None)
        )
        if got is None:
            print(f"--min: unknown field {name!r}", file=sys.stderr)
            return EXIT_USAGE
        if got < float(value):
            print(f"{name} = {got:.3f} is below {value}", file=sys.stderr)
            status = EXIT_THRESHOLD
    return status


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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print(
            "interrupted; no output is half-written (a build leaves its output folder as "
            "the previous build wrote it)",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
