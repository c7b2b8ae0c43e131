"""The ``policykg`` command line.

One module per command group: :mod:`.corpus` (extract, build, evaluate), :mod:`.query`
(query, validate), :mod:`.store` (serve, load); :mod:`.common` holds what they share. Imports
are deferred to the subcommand that needs them, so ``policykg --help`` and small
commands start without loading spaCy, jieba or rdflib.

Exit codes: 0 success; 1 some input failed (or, with --strict, produced warnings);
2 usage error; 3 evaluation below the thresholds given.
"""

from __future__ import annotations

import argparse
import sys

from graph_builder import __version__
from graph_builder.cli.common import (
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_THRESHOLD,
    EXIT_USAGE,
)
from graph_builder.cli.corpus import add_corpus_commands
from graph_builder.cli.query import add_query_commands
from graph_builder.cli.store import add_store_commands

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_INPUT", "EXIT_USAGE", "EXIT_THRESHOLD"]

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

    add_corpus_commands(sub)
    add_query_commands(sub)
    add_store_commands(sub)
    return parser


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
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
