"""``policykg extract``, ``build`` and ``evaluate``: the commands that extract a corpus.

Imports are deferred to the command that runs, so ``policykg --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_builder import errors
from graph_builder.cli.common import (
    EXIT_INPUT,
    EXIT_THRESHOLD,
    EXIT_USAGE,
    add_inputs,
    progress,
    report_result,
    write_failed,
)
from graph_builder.cli.store import add_store_option
from graph_builder.safetext import for_terminal

__all__ = ["add_corpus_commands", "DEFAULT_CORPUS", "BUNDLED_GOLD"]

DEFAULT_CORPUS = "corpus"
#: Where the gold annotations of the seed corpus live in a checkout of the repository.
BUNDLED_GOLD = Path("tests") / "data" / "gold"


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


def add_corpus_commands(sub) -> None:
    """Register ``extract``, ``build`` and ``evaluate`` (in that order) on ``sub``."""
    p = sub.add_parser(
        "extract",
        help="extract plans to JSON (one file per document)",
        description="Extract each input into DIR/<stem>.json in the schema of the gold files, "
        "with quotes and character offsets for every item.",
    )
    add_inputs(p)
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
    add_inputs(p, [DEFAULT_CORPUS])
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
    add_inputs(p, [DEFAULT_CORPUS])
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
        progress(args),
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
            return write_failed(result, args, args.json_dir, exc)
        if not args.quiet:
            print(for_terminal(f"{brief.source}: {brief.measures} measures -> {path}"))
    return report_result(result, args)


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
            progress(args),
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
        return write_failed(writer.result, args, args.out, exc)
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
    return report_result(result, args)


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
        args.inputs, args.segmenter, progress(args), jobs=args.jobs, doc_timeout=args.doc_timeout
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
    status = report_result(result, args)
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
