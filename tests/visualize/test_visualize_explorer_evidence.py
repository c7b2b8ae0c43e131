"""The explorer in a real browser: each measure's own text with its evidence marked in place,
links into the document's text with the span marked, and a search over all plans.

Pages are opened from ``file://`` with outside requests blocked (see viz_support.PageWatch).
Screenshots go to ``$GB_SCREENSHOT_DIR`` when it is set (for the closing note of a change).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from graph_builder.export.outputs import write_outputs
from graph_builder.model import Span
from graph_builder.visualize.evidence import Mark, pieces
from graph_builder.visualize.explorer import EXPLORER_DIR, page_names, text_page_name


@pytest.fixture(scope="module")
def built(gold_typed_plans, tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    write_outputs(gold_typed_plans, out)
    return out


def _shot(page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("GB_SCREENSHOT_DIR"):
        target = Path(os.environ["GB_SCREENSHOT_DIR"]) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)


def test_pieces_join_back_to_the_text_and_carry_every_kind_over_them():
    text = "支持市商务局发放消费券"
    marks = [
        Mark("unit", Span(2, 6, "市商务局")),
        Mark("instrument", Span(6, 11, "发放消费券")),
        Mark("cue", Span(9, 11, "消费")),  # inside the instrument
        Mark("unit", Span(100, 104, "elsewhere")),  # outside: ignored
    ]
    got = pieces(text, 0, marks)
    assert "".join(p.text for p in got) == text
    assert [(p.text, p.kinds) for p in got] == [
        ("支持", ()),
        ("市商务局", ("unit",)),
        ("发放消", ("instrument",)),
        ("费券", ("instrument", "cue")),
    ]


@pytest.mark.slow
def test_every_measure_shows_its_text_with_its_units_marked(built, gold_typed_plans, watch, tmp_path):
    out = built
    names = page_names(gold_typed_plans)
    for plan, name in zip(gold_typed_plans, names, strict=True):
        page = watch.open(out / EXPLORER_DIR / name)
        shown = page.evaluate(
            """() => [...document.querySelectorAll('article.measure')].map(a => ({
                id: a.id,
                text: a.querySelector('.text').textContent,
                units: [...a.querySelectorAll('.text .ev-unit')].map(
                    s => [+s.dataset.at, s.textContent]),
            }))"""
        )
        assert len(shown) == len(plan.measures)
        for m, got in zip(plan.measures, shown, strict=True):
            assert got["id"] == f"m{m.index}"
            assert got["text"] == plan.text[m.span.start : m.span.end]
            marked = set()
            for at, piece in got["units"]:
                marked.update(range(at, at + len(piece)))
            inside = [
                a.span
                for a in m.responsibilities + m.implementers
                if m.span.start <= a.span.start and a.span.end <= m.span.end
            ]
            for span in inside:
                assert set(range(span.start, span.end)) <= marked, (plan.doc_id, m.label, span)
        if plan is gold_typed_plans[1]:
            page.locator("article.measure").nth(3).scroll_into_view_if_needed()
            _shot(page, tmp_path, "explorer_measure_text.png")
    # at least one plan has units inside its measures' text (the test can fail)
    assert any(
        a.span.start >= m.span.start and a.span.end <= m.span.end
        for p in gold_typed_plans
        for m in p.measures
        for a in m.responsibilities
    )
    assert watch.outside == [] and watch.errors == []


@pytest.mark.slow
def test_cue_words_are_listed_once_each(built, gold_typed_plans, watch):
    plan = gold_typed_plans[0]
    page = watch.open(out := built / EXPLORER_DIR / page_names(gold_typed_plans)[0])
    assert out.exists()
    for card in page.locator("article.measure").all()[:10]:
        line = card.locator("div").first.inner_text()
        if "cues:" not in line and "依据" not in line:
            continue
        words = line.split(":", 1)[1].split("·")[0].strip().split("、")
        assert len(words) == len(set(words))
    assert plan.measures


@pytest.mark.slow
def test_a_measure_link_marks_its_span_in_the_document_text(built, gold_typed_plans, watch, tmp_path):
    plan = gold_typed_plans[1]
    name = page_names(gold_typed_plans)[1]
    m = plan.measures[5]
    page = watch.open(built / EXPLORER_DIR / name)
    page.click(f"#m{m.index} h3 a")
    page.wait_for_selector("mark.span")
    assert page.inner_text("mark.span") == plan.text[m.span.start : m.span.end]
    # the whole page text is the document text (no character lost before the offsets)
    assert page.evaluate("document.getElementById('doc').textContent") == plan.text
    assert page.url.endswith(f"{text_page_name(name)}#char={m.span.start},{m.span.end}")
    _shot(page, tmp_path, "explorer_text_span.png")
    assert watch.outside == [] and watch.errors == []


@pytest.mark.slow
def test_search_spans_all_plans_and_links_to_the_measure(built, gold_typed_plans, watch, tmp_path):
    page = watch.open(built / EXPLORER_DIR / "index.html")
    word = "以旧换新"
    expected = [
        (p.doc_id, m.index)
        for p in gold_typed_plans
        for m in p.measures
        if word in p.text[m.span.start : m.span.end] or word in m.title
    ]
    assert len({d for d, _ in expected}) > 1
    page.fill("#search", word)
    assert page.locator("#hits li").count() == len(expected)
    _shot(page, tmp_path, "explorer_search.png")
    page.locator("#hits li a").first.click()
    page.wait_for_load_state("load")
    assert page.evaluate("location.hash") == f"#m{expected[0][1]}"
    assert page.input_value("#filter") == word
    assert watch.outside == [] and watch.errors == []


@pytest.mark.slow
def test_language_switch_hides_the_other_language(built, watch):
    page = watch.open(built / EXPLORER_DIR / "index.html")
    assert page.is_visible("h1 .ui-zh") and page.is_visible("h1 .ui-en")
    page.check('input[name="ui-lang"][value="en"]')
    assert page.is_visible("h1 .ui-en") and not page.is_visible("h1 .ui-zh")
    page.check('input[name="ui-lang"][value="zh"]')
    assert page.is_visible("h1 .ui-zh") and not page.is_visible("h1 .ui-en")
