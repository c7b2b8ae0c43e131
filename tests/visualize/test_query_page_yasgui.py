"""The query page of `policykg serve` in a real headless Chromium: YASGUI, bundled, runs a
canned query against the endpoint and shows its rows, with no request off the machine."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from graph_builder.query.runner import list_queries, run_query
from graph_builder.store.embedded import add_plans, open_store

pytestmark = pytest.mark.slow  # chromium and a SPARQL endpoint


@pytest.fixture(scope="module")
def served(corpus_plans):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from store_support import endpoint  # the tests' in-process endpoint on loopback

    store = open_store(None)
    add_plans(store, corpus_plans)
    with endpoint(store) as url:
        yield store, url.rsplit("/", 1)[0]


def test_yasgui_page_runs_a_canned_query_offline_and_shows_its_rows(browser, served, tmp_path):
    store, base = served
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside, errors = [], []

    def route(r):
        url = r.request.url
        if url.startswith((base + "/", "data:", "about:", "blob:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(base + "/", wait_until="load")
        page.wait_for_function("window.__gb_yasgui && window.__gb_examples")
        names = page.evaluate("window.__gb_examples")
        assert names == [q.name for q in list_queries()]
        tabs = page.locator(".tabsList .tab")
        assert tabs.count() == len(names)
        # the first tab holds the first canned query with the project's prefixes; run it
        text = page.evaluate("window.__gb_yasgui.getTab().getYasqe().getValue()")
        assert "PREFIX gbo: <https://w3id.org/graph-builder/ontology#>" in text
        page.locator(".tabPanel.active .yasqe_queryButton").click()
        page.wait_for_selector(".tabPanel.active .yasr table.dataTable tbody tr td", timeout=60000)
        shown = page.evaluate("window.__gb_yasgui.getTab().getYasr().results.getBindings().length")
        want = run_query(list_queries()[0].text, store)
        assert shown == len(want.rows) > 0
        first_cell = page.locator(".tabPanel.active .yasr table.dataTable tbody tr td").nth(1)
        assert first_cell.inner_text().strip()
        page.screenshot(path=str(tmp_path / "query_page.png"), full_page=False)
        assert (tmp_path / "query_page.png").stat().st_size > 20_000
        if os.environ.get("GB_SCREENSHOT_DIR"):  # keep the picture for the closing note
            target = Path(os.environ["GB_SCREENSHOT_DIR"]) / "query_page.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp_path / "query_page.png", target)
        # a download of the table is offered (CSV)
        assert page.locator(".tabPanel.active .yasr_downloadIcon").count() == 1
    finally:
        context.close()
    assert outside == []
    assert errors == []
