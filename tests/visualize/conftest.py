"""Fixtures of the visualization tests: corpus plans, gold-typed plans, a browser, a page."""

from __future__ import annotations

import pytest
from viz_support import CHROMIUM, CHROMIUM_ARGS, CORPUS, PageWatch, assign_gold_types

from graph_builder.batch import extract_all
from graph_builder.model import Plan


@pytest.fixture(scope="session")
def corpus_plans() -> list[Plan]:
    result = extract_all([str(CORPUS)])
    assert not result.failures
    return result.plans


@pytest.fixture(scope="session")
def gold_typed_plans(corpus_plans) -> list[Plan]:
    return assign_gold_types(corpus_plans)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under playwright (no browser download), one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def watch(browser, tmp_path):
    w = PageWatch(browser, tmp_path)
    yield w
    w.close()
