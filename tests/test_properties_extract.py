"""Property tests of structure parsing and extraction on random and mutated documents.

Seed plans are damaged the ways real files are (lines lost or repeated, brackets added,
odd characters, Windows line ends, full-width spaces, truncation), and random texts are
built from the pieces plans are made of (outline labels, clause labels, unit names,
brackets). Whatever comes in: no exception, every span of the model within the text and
quoting it exactly, and the same result twice.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder.export.json_export import plan_to_dict
from graph_builder.extract.pipeline import extract_plan
from graph_builder.extract.responsibility import find_clauses
from graph_builder.read import ReadError, decode_bytes
from graph_builder.segment.structure import parse_outline

from ._spans import assert_spans_faithful

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ODD = st.one_of(
    st.sampled_from(
        list("（）()【】〔〕［］{}「」“”\u3000\xa0\t\r\ufeff\u200b\u2028\u00ad\ufffd①⑳〇零两")
        + ["\r\n", "\n\n", "（一）", "一、", "1.", "（1）", "第一章", "责任单位：", "牵头单位："]
    ),
    st.characters(blacklist_categories=("Cs",)),
)


@st.composite
def mutated_seed(draw) -> str:
    """A seed plan with a handful of line- and character-level mutations."""
    lines = draw(st.sampled_from(SEEDS)).split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        if not lines:
            lines = [""]
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "crlf"]))
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            line = lines[i]
            at = draw(st.integers(min_value=0, max_value=len(line)))
            lines[i] = line[:at] + draw(ODD) + line[at:]
        elif op == "truncate":
            line = lines[i]
            lines[i] = line[: draw(st.integers(min_value=0, max_value=len(line)))]
            lines = lines[: i + 1]
        else:
            lines = [x + "\r" for x in lines]
    return "\n".join(lines)


PIECES = st.sampled_from(
    [
        "一、",
        "二、",
        "十一、",
        "（一）",
        "（二）",
        "(三)",
        "1.",
        "2、",
        "３．",
        "（1）",
        "①",
        "第一章",
        "第二部分",
        "附件1：",
        "责任单位：",
        "牵头单位：",
        "配合单位：",
        "（责任单位：",
        "市商务局",
        "市人社局",
        "教育局",
        "各县（市、区）人民政府",
        "市发展改革委",
        "按职责分工负责",
        "牵头",
        "同上",
        "排第一的为牵头单位",
        "、",
        "，",
        "。",
        "；",
        "（",
        "）",
        "(",
        ")",
        "\n",
        "\n",
        "\n\t",
        "\t",
        "|",
        " ",
        "\u3000",
        "2025年",
        "增长10%",
        "提振消费专项行动方案",
        "某市",
        "促进就业",
    ]
)
structured_text = st.lists(PIECES, min_size=1, max_size=120).map("".join)


def _extract(text: str):
    try:
        src = decode_bytes(text.encode("utf-8"), "probe.txt")
    except ReadError:
        return None
    return extract_plan(src)


def _check(text: str) -> None:
    plan = _extract(text)
    if plan is None:
        return
    assert plan.text == text.removeprefix("\ufeff") or plan.text == text
    assert_spans_faithful(plan)
    again = _extract(text)
    assert plan_to_dict(again) == plan_to_dict(plan)


@pytest.mark.slow
@SETTINGS
@given(mutated_seed())
def test_mutated_seed_plans_extract_with_faithful_spans(text):
    _check(text)


@SETTINGS
@given(structured_text)
def test_random_plan_shaped_text_extracts_with_faithful_spans(text):
    _check(text)


@pytest.mark.slow
@settings(SETTINGS, max_examples=300)
@given(st.one_of(structured_text, mutated_seed()))
def test_outline_measures_lie_inside_the_body_in_order(text):
    outline = parse_outline(text, find_clauses)
    assert 0 <= outline.body_start <= outline.body_end <= len(text)
    starts = [b.start for b in outline.measures]
    assert starts == sorted(starts)
    for b in outline.measures:
        h = b.heading
        assert h.label_start < h.label_end <= h.title_start <= h.title_end <= len(text)
        assert b.start <= b.end <= len(text)
        if b.clause_start is not None:
            assert b.start <= b.clause_start < b.clause_end <= len(text)
            inner_a, inner_b = b.clause_inner
            assert b.clause_start <= inner_a <= inner_b <= b.clause_end
    for t in outline.tables:
        for row in t.rows:
            for c in row:
                assert c.text == text[c.start : c.end]
