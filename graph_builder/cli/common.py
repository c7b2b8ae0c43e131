"""What every ``policykg`` command shares: exit codes, the input options, the progress bar
setting, and how failures and warnings are reported.

Why one module: each command group (:mod:`.corpus`, :mod:`.query`, :mod:`.store`) must exit
and report alike, and a second copy of these drifts.
"""

from __future__ import annotations

import argparse
import sys

from graph_builder import errors
from graph_builder.safetext import for_terminal
from graph_builder.timelimit import DEFAULT_DOC_TIMEOUT

__all__ = [
    "EXIT_OK",
    "EXIT_INPUT",
    "EXIT_USAGE",
    "EXIT_THRESHOLD",
    "EXIT_INTERRUPTED",
    "add_inputs",
    "progress",
    "report_result",
    "write_failed",
]

#: Exit codes: 0 success; 1 some input failed (or, with --strict, produced warnings);
#: 2 usage error; 3 evaluation below the thresholds given.
EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_THRESHOLD = 0, 1, 2, 3
#: Interrupted by Ctrl-C (128 + SIGINT, as a shell reports it).
EXIT_INTERRUPTED = 130


def add_inputs(p: argparse.ArgumentParser, default: list[str] | None = None) -> None:
    """INPUT… and the options of every command that extracts inputs."""
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


def report_result(result, args) -> int:
    """Print each failure and (unless --quiet) each warning; the exit code they give."""
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


def progress(args) -> bool | None:
    """``--progress`` as :class:`~graph_builder.batch.Progress` takes it (None: on a terminal)."""
    return {"auto": None, "on": True, "off": False}[args.progress]


def write_failed(result, args, where, exc: OSError) -> int:
    """One line for an output folder that cannot be written (not a folder, full disk …)."""
    report_result(result, args)
    reason = exc.strerror or str(exc)
    target = exc.filename or where
    line = errors.line(str(target), errors.E050, f"cannot write outputs: {reason}")
    print(for_terminal(line), file=sys.stderr)
    return EXIT_INPUT
