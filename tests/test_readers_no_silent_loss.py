"""No plan vanishes silently in the readers (issue 17).

Every line-end convention gives the measures LF gives; a web page of any nesting depth gives
its measures (or a clear error naming the parser's limit); numbered text from which no
measure was read is a warning; a plan quoting ``url(https://…)`` builds its pages.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys

import pytest

from graph_builder.batch import Failure, extract_one
from graph_builder.extract.pipeline import extract_plan
from graph_builder.read import ReadError, decode_bytes
from graph_builder.read.html import MAX_DEPTH, html_to_text

from .conftest import CORPUS, ROOT

SEEDS = sorted(CORPUS.glob("*.txt"))


def _measures(plan) -> list[tuple]:
    return [(m.label, m.title, tuple(m.agencies)) for m in plan.measures]


@pytest.mark.parametrize("seed", [SEEDS[1], SEEDS[4]], ids=lambda p: p.stem[:3])
@pytest.mark.parametrize(
    "end", ["\r\n", "\r", "\u2028", "\u2029", "\x85"], ids=["CRLF", "CR", "LS", "PS", "NEL"]
)
def test_every_line_end_gives_the_measures_lf_gives(seed, end):
    text = seed.read_text(encoding="utf-8")
    lf = extract_plan(decode_bytes(text.encode("utf-8"), "lf.txt"))
    other = extract_plan(decode_bytes(text.replace("\n", end).encode("utf-8"), "other.txt"))
    assert len(lf.measures) > 20
    assert _measures(other) == _measures(lf)
    assert other.meta.title == lf.meta.title and other.meta.adcode == lf.meta.adcode
    for m in other.measures:  # offsets still point at the quotes
        assert other.text[m.span.start : m.span.end] == m.span.text


def _paragraphs(seed) -> list[str]:
    """The seed split into one paragraph per sentence: some 200, enough to nest past the
    255 levels libxml2 keeps by default."""
    text = seed.read_text(encoding="utf-8")
    return [p for line in text.splitlines() for p in re.split(r"(?<=。)", line) if p.strip()]


@pytest.mark.parametrize(
    "layout",
    [
        "<p>{}<font size=3>\n",  # an unclosed <font> at the end of every paragraph
        "<font face='宋体'><p>{}</p>\n",  # an unclosed <font> around every paragraph
        "<div>{}\n",  # unclosed blocks
    ],
)
def test_a_page_nested_hundreds_deep_gives_the_measures_of_a_flat_page(tmp_path, layout):
    paras = _paragraphs(SEEDS[1])
    assert len(paras) > 150
    flat = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
    deep = "".join(layout.format(html.escape(p)) for p in paras)
    plans = []
    for name, body in (("flat.html", flat), ("deep.html", deep)):
        (tmp_path / name).write_text(f"<html><body><div>{body}</div></body></html>", "utf-8")
        plans.append(extract_one(str(tmp_path / name)))
    assert not isinstance(plans[1], Failure), plans[1]
    assert len(plans[0].measures) == 26
    assert _measures(plans[1]) == _measures(plans[0])


def test_a_page_300_elements_deep_keeps_its_text():
    page = "<html><body>" + "<div>" * 300 + "<p>（一）正文。</p>" + "</div>" * 300 + "</body></html>"
    assert html_to_text(page) == "（一）正文。\n"


def test_a_page_deeper_than_the_parser_keeps_is_refused_naming_the_limit():
    page = "<html><body>" + "<div>" * (MAX_DEPTH + 10) + "<p>正文。</p></body></html>"
    with pytest.raises(ReadError) as exc:
        html_to_text(page)
    assert exc.value.code == "GB-E022" and str(MAX_DEPTH) in str(exc.value)


def test_numbered_text_without_a_measure_is_a_warning_that_says_so(tmp_path):
    # Numbered, but the labels sit mid-line: the structure parser reads no measure.
    text = "某市提振消费方案 （一）促进就业。（二）提高收入。（三）扩大培训。"
    (tmp_path / "flat.txt").write_text(text, encoding="utf-8")
    plan = extract_one(str(tmp_path / "flat.txt"))
    assert not plan.measures
    (w,) = [d for d in plan.diagnostics if d.code == "GB-W109"]
    assert "3 numbered paragraphs" in w.message and w.start == text.index("（一）")


@pytest.mark.slow
def test_a_plan_quoting_a_css_url_builds_every_page(tmp_path):
    text = SEEDS[0].read_text(encoding="utf-8").replace(
        "（一）城乡居民增收减负专项行动。",
        "（一）城乡居民增收减负专项行动（样式url(https://www.example.gov.cn/a.css)）。",
        1,
    )
    assert "url(https://" in text
    (tmp_path / "plan.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "graph_builder", "build", str(tmp_path / "plan.txt"), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "graph.nq" in manifest["files"] and "explorer/plan.html" in manifest["files"]
    page = (out / "explorer" / "plan.html").read_text(encoding="utf-8")
    assert "url(https://www.example.gov.cn/a.css)" in page  # shown as text, not fetched
