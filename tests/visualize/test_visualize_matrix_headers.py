"""The matrix in a real browser: column headers whole, a clicked cell lists its measures with
links into the explorer. Screenshots go to ``$GB_SCREENSHOT_DIR`` when it is set."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from graph_builder.export.outputs import write_outputs
from graph_builder.visualize.aggregate import aggregate
from graph_builder.visualize.matrix import MATRIX_FILE

pytestmark = pytest.mark.slow  # chromium

WHOLE = """() => [...document.querySelectorAll('th.col')].filter(th => th.offsetParent)
  .map(th => {
    const box = th.getBoundingClientRect();
    const parts = [...th.children].filter(c => c.offsetParent).map(c => c.getBoundingClientRect());
    return {
      text: th.textContent,
      clipped: th.scrollWidth > th.clientWidth || th.scrollHeight > th.clientHeight,
      outside: parts.some(r => r.left < box.left - 0.5 || r.right > box.right + 0.5
                          || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5),
      vertical: getComputedStyle(th).writingMode !== 'horizontal-tb'
                || [...th.children].some(c => getComputedStyle(c).writingMode !== 'horizontal-tb'),
    };
  })"""


@pytest.fixture(scope="module")
def built(gold_typed_plans, tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    write_outputs(gold_typed_plans, out)
    return out, aggregate(gold_typed_plans)


@pytest.mark.parametrize("lang", ["both", "zh", "en"])
def test_matrix_column_headers_are_whole_and_horizontal(built, watch, lang):
    out, _agg = built
    page = watch.open(out / MATRIX_FILE)
    page.check(f'input[name="ui-lang"][value="{lang}"]')
    headers = page.evaluate(WHOLE)
    assert len(headers) > 10
    bad = [h["text"] for h in headers if h["clipped"] or h["outside"] or h["vertical"]]
    assert bad == []
    assert watch.outside == [] and watch.errors == []


def test_clicking_a_cell_lists_its_measures_with_links_into_the_explorer(
    built, gold_typed_plans, watch, tmp_path
):
    out, agg = built
    page = watch.open(out / MATRIX_FILE)
    (a, t), n = max(agg.lead_matrix().items(), key=lambda kv: kv[1])
    row, col = agg.nodes[a].label_zh, agg.nodes[t].label_zh
    cell = page.locator(f'table[data-table="*"] td[data-row="{row}"][data-col="{col}"]')
    assert cell.get_attribute("data-n") == str(n)
    assert not page.is_visible("#cell-list")
    cell.click()
    assert page.is_visible("#cell-list")
    links = page.locator("#cell-measures li a")
    assert links.count() == n
    edge = next(e for e in agg.edges.values() if (e.source, e.target, e.role) == (a, t, "lead"))
    titles = sorted(m.title for m in edge.measures)
    assert sorted(x.split(" ", 2)[2] for x in links.all_inner_texts()) == titles
    shot = tmp_path / "matrix_cell_list.png"
    page.screenshot(path=str(shot))
    if os.environ.get("GB_SCREENSHOT_DIR"):
        target = Path(os.environ["GB_SCREENSHOT_DIR"]) / shot.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)
    first = edge.measures[0]
    links.first.click()
    page.wait_for_load_state("load")
    assert page.evaluate("location.hash") == f"#m{first.index}"
    assert page.locator(f"article#m{first.index}").count() == 1
    assert first.title in page.inner_text(f"article#m{first.index} h3")
    assert watch.outside == [] and watch.errors == []
