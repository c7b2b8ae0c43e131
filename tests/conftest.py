"""Shared fixtures: the bundled corpus extracted once per session, and the gold files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "data" / "gold"
PROBES = Path(__file__).resolve().parent / "probes"


@pytest.fixture(scope="session")
def corpus_result():
    from .graph_support import corpus_result

    return corpus_result()


@pytest.fixture(scope="session")
def corpus_plans(corpus_result):
    return corpus_result.plans


@pytest.fixture(scope="session")
def gold_docs() -> dict[str, dict]:
    from graph_builder.evaluate import load_gold

    docs, _ = load_gold(GOLD)
    return docs


@pytest.fixture(scope="session")
def gold_agencies() -> dict:
    return json.loads((GOLD / "agencies.json").read_text(encoding="utf-8"))


def extract_text(text: str, name: str = "probe.txt"):
    """Run the whole pipeline on a string (a probe document written in a test)."""
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import decode_bytes

    return extract_plan(decode_bytes(text.encode("utf-8"), name))


def extract_probe(name: str):
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import read_path

    return extract_plan(read_path(PROBES / name))


def pytest_collection_modifyitems(config, items) -> None:
    """A test that starts chromium (the ``browser`` fixture, also behind ``watch``) must be
    marked slow: `make test-fast` promises no browser, and a forgotten mark would break that
    promise silently."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError(f"tests using a browser must be @pytest.mark.slow: {unmarked}")
