"""Start-up: ``policykg --help`` and small commands do not load spaCy, jieba or rdflib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("spacy", "jieba", "rdflib")


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint('LOADED:', *(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    return out.stdout.rsplit("LOADED:", 1)[1].split()


def test_importing_the_cli_loads_no_nlp_or_rdf_library():
    assert (
        _loaded_after("import graph_builder.cli, graph_builder.batch, graph_builder.parallel") == []
    )


@pytest.mark.parametrize("argv", [["--help"], ["extract", "--help"], ["build", "--help"],
                                  ["evaluate", "--help"], ["--version"]])  # fmt: skip
def test_help_and_version_load_no_nlp_or_rdf_library(argv):
    code = (
        "from graph_builder.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
    )
    assert _loaded_after(code) == []


def test_probe_detects_a_heavy_import():
    # The check above would pass vacuously if the probe could not see imports at all.
    assert _loaded_after("import jieba") == ["jieba"]


@pytest.mark.slow
def test_policykg_help_command_imports_none_of_them():
    """The real entry point (``python -m graph_builder``), with the interpreter's own log."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "graph_builder", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0
    assert "usage: policykg" in out.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if "|" in line}
    assert "graph_builder.cli" in imported
    assert not {m for m in imported if m.split(".")[0] in HEAVY}
