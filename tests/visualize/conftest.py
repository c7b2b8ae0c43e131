"""Fixtures of the visualization tests: gold-typed plans, a browser, a page.

``corpus_plans`` is tests/conftest.py's, the one extraction of the corpus the suite shares.
"""

from __future__ import annotations

import pytest
from viz_support import CHROMIUM, CHROMIUM_ARGS, PageWatch, assign_gold_types

from graph_builder.model import Plan


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
