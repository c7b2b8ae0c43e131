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

from graph_builder import __version__
from graph_builder.cli_store import add_store_commands, add_store_option

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_THRESHOLD = 0, 1, 2, 3

DEFAULT_CORPUS = "corpus"

EPILOG = """\
examples:
  policykg build corpus --out outputs        build every view of the bundled corpus
  policykg extract plan.txt --json-dir out/  one JSON per document (gold schema + evidence)
  policykg evaluate --gold ../shared/gold    score the bundled corpus against gold files
  cat plan.txt | policykg extract - --json-dir out/

Inputs may be files, folders (searched recursively) or glob patterns; '-' reads standard
input. A file that cannot be read gets one line on stderr naming it and the reason; the
others are still built. Exit status: 0 ok, 1 an input failed (or warned, with --strict),
2 usage error, 3 evaluation below --min-* thresholds.
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
        "formats, visualisations) into --out.",
    )
    _add_inputs(p, [DEFAULT_CORPUS])
    p.add_argument(
        "--out", default="outputs", metavar="DIR", help="output folder (default: outputs)"
    )
    add_store_option(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "evaluate",
        help="score extraction against gold annotations",
        description="Extract the inputs and compare them with DIR/<stem>.json gold files; prints "
        "precision, recall and F1 per field, and accuracy of document fields and leads.",
    )
    _add_inputs(p, [DEFAULT_CORPUS])
    p.add_argument("--gold", required=True, metavar="DIR", help="folder of gold JSON files")
    p.add_argument("--misses", action="store_true", help="also list every disagreement")
    p.add_argument(
        "--min",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="fail (exit 3) when F1 or accuracy of FIELD is below VALUE; repeatable",
    )
    p.set_defaults(func=cmd_evaluate)
    add_store_commands(sub, _add_inputs)
    return parser


def _report(result, args) -> int:
    for f in result.failures:
        print(f.format(), file=sys.stderr)
    warnings = result.warnings
    if not args.quiet:
        for w in warnings:
            print(w, file=sys.stderr)
    if result.failures:
        return EXIT_INPUT
    if args.strict and warnings:
        return EXIT_INPUT
    return EXIT_OK


def _progress(args) -> bool | None:
    return {"auto": None, "on": True, "off": False}[args.progress]


def cmd_extract(args) -> int:
    from graph_builder.build import extract_all
    from graph_builder.export.json_export import write_plan_json

    result = extract_all(args.inputs, args.segmenter, _progress(args))
    for plan in result.plans:
        path = write_plan_json(plan, args.json_dir)
        if not args.quiet:
            print(f"{plan.source}: {len(plan.measures)} measures -> {path}")
    return _report(result, args)


def cmd_build(args) -> int:
    from graph_builder.build import extract_all
    from graph_builder.export.outputs import write_outputs

    result = extract_all(args.inputs, args.segmenter, _progress(args))
    written = write_outputs(result.plans, args.out, result.failures)
    if args.store:
        from graph_builder.store.embedded import add_plans, open_store

        graphs = add_plans(open_store(args.store), result.plans)
        if not args.quiet:
            print(f"store {args.store}: {len(graphs)} named graphs added or replaced")
    if not args.quiet:
        n = sum(len(p.measures) for p in result.plans)
        print(
            f"built {len(result.plans)} documents, {n} measures, "
            f"{len(result.failures)} failed; {len(written)} files in {args.out}/"
        )
    return _report(result, args)


def cmd_evaluate(args) -> int:
    from graph_builder.build import extract_all
    from graph_builder.evaluate import evaluate_docs, format_report, load_gold
    from graph_builder.export.json_export import plan_to_dict

    gold_docs, agencies = load_gold(args.gold)
    result = extract_all(args.inputs, args.segmenter, _progress(args))
    pairs = []
    for plan in result.plans:
        gold = gold_docs.get(Path(plan.source).stem)
        if gold is None:
            print(f"{plan.source}: no gold file in {args.gold}, skipped", file=sys.stderr)
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
            "interrupted; outputs already written are complete, none is half-written",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
