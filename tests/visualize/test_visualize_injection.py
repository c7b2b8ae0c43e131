"""A document whose text holds markup or script is shown as text on every page.

The probe plan puts ``<script>``, ``<b>`` and an ``<img onerror>`` into a measure title, the
unit names, the responsibility quote, the region and the plan title; each page is opened in
chromium and must show those strings literally, create no such elements and run nothing.
"""

from __future__ import annotations

import pytest
from viz_support import probe_plan

from graph_builder.export.outputs import write_outputs
from graph_builder.visualize.explorer import EXPLORER_DIR
from graph_builder.visualize.matrix import MATRIX_FILE
from graph_builder.visualize.network import NETWORK_FILE

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>bold</b>"
IMG = '<img src=x onerror="window.__gb_pwned=1">'
PAYLOADS = (SCRIPT, BOLD, IMG)

NO_INJECTED_ELEMENTS = """() => ({
    b: document.querySelectorAll('b').length,
    img: document.querySelectorAll('img').length,
    scripts: [...document.scripts].filter(s => s.textContent.includes('alert(1)') && s.id !== 'gb-data').length,
    pwned: window.__gb_pwned === undefined ? null : window.__gb_pwned,
})"""


@pytest.fixture(scope="module")
def probe_out(tmp_path_factory):
    plan = probe_plan(
        "probe_inject",
        f"甲市{SCRIPT}",
        [
            (
                f"扩大消费{SCRIPT}{BOLD}",
                [
                    (f"市商务局{BOLD}", "commerce", "lead"),
                    (f"市财政局{IMG}", "finance", "participant"),
                ],
                "trade_in",
            )
        ],
        title=f"方案{BOLD}{IMG}",
    )
    out = tmp_path_factory.mktemp("inject")
    write_outputs([plan], out)
    return out, plan


def _assert_inert(page, watch):
    assert page.evaluate(NO_INJECTED_ELEMENTS) == {"b": 0, "img": 0, "scripts": 0, "pwned": None}
    assert watch.dialogs == []
    assert watch.errors == [] and watch.outside == []


def test_markup_in_documents_never_appears_raw_in_the_written_html(probe_out):
    out, _plan = probe_out
    for page in [out / NETWORK_FILE, out / MATRIX_FILE, *(out / EXPLORER_DIR).glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        for payload in PAYLOADS:
            assert payload not in html, (page.name, payload)


@pytest.mark.slow
def test_network_page_shows_markup_from_documents_as_text(probe_out, watch):
    out, plan = probe_out
    page = watch.open(out / NETWORK_FILE)
    page.wait_for_function("window.__gb_counts && window.__gb_counts.a")
    assert page.evaluate("window.__gb_counts.a.edges") == 1
    assert SCRIPT in page.inner_text("#region-a")
    # hover the edge: the tooltip holds the title literally
    point = page.evaluate(
        """() => {
            const v = window.__gb_views.a, net = v.network;
            const p = net.getPositions(['agency:commerce', 'type:trade_in']);
            const a = p['agency:commerce'], t = p['type:trade_in'];
            const d = net.canvasToDOM({x: (a.x + t.x) / 2, y: (a.y + t.y) / 2});
            const r = v.container.getBoundingClientRect();
            return {x: r.left + d.x, y: r.top + d.y};
        }"""
    )
    page.mouse.move(point["x"] - 5, point["y"] - 5)
    page.mouse.move(point["x"], point["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert plan.measures[0].title in tip.inner_text()
    page.mouse.click(point["x"], point["y"])
    details = page.inner_text("#details")
    assert plan.measures[0].title in details
    assert plan.measures[0].clause.text in details  # the quote, with the <img …> unit name
    page.check("#participation")
    assert page.evaluate("window.__gb_counts.a.edges") == 2
    _assert_inert(page, watch)


@pytest.mark.slow
def test_matrix_page_shows_markup_from_documents_as_text(probe_out, watch):
    out, plan = probe_out
    page = watch.open(out / MATRIX_FILE)
    assert SCRIPT in page.inner_text("body")  # the region name, in headers and the selector
    tip = page.get_attribute('table[data-table="*"] td[data-n="1"]', "title")
    assert plan.measures[0].title in tip
    _assert_inert(page, watch)


@pytest.mark.slow
def test_explorer_page_shows_markup_from_documents_as_text(probe_out, watch):
    out, plan = probe_out
    page = watch.open(out / EXPLORER_DIR / f"{plan.doc_id}.html")
    text = page.inner_text("body")
    for payload in PAYLOADS:
        assert payload in text
    assert page.title() == plan.meta.title
    _assert_inert(page, watch)
    page = watch.open(out / EXPLORER_DIR / "index.html")
    assert plan.meta.title in page.inner_text("#plans")
    _assert_inert(page, watch)


@pytest.mark.slow
def test_text_page_search_cell_list_and_report_show_markup_as_text(probe_out, watch):
    from graph_builder.visualize.explorer import text_page_name
    from graph_builder.visualize.report import REPORT_FILE

    out, plan = probe_out
    page = watch.open(out / EXPLORER_DIR / text_page_name(f"{plan.doc_id}.html"))
    assert page.evaluate("document.getElementById('doc').textContent") == plan.text
    _assert_inert(page, watch)
    page = watch.open(out / EXPLORER_DIR / "index.html")
    page.fill("#search", "扩大消费")
    assert SCRIPT in page.inner_text("#hits")
    _assert_inert(page, watch)
    page = watch.open(out / MATRIX_FILE)
    page.locator('table[data-table="*"] td[data-m]').first.click()
    assert plan.measures[0].title in page.inner_text("#cell-measures")
    _assert_inert(page, watch)
    page = watch.open(out / REPORT_FILE)
    assert plan.meta.title in page.inner_text("body")
    _assert_inert(page, watch)
