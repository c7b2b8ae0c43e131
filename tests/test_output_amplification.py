"""Issue 13, output amplification: a small plan must not make a huge build.

``补贴1000元`` written 4,000 times in one sentence (a 52 KB plan) wrote 1.1 GB with 1.7 GB of
memory: 4,000 instruments each copied the 40,000-character sentence into every view, and the
measure type cited 4,000 cue spans. Now the repeats are one instrument with their count and
places, a cue is cited once per vote, and views cut long quotes (graph_builder.quotes).
"""

from __future__ import annotations

import json

import pytest

from graph_builder.cli import main
from graph_builder.extract.instruments import merge_repeats
from graph_builder.model import Instrument, Span
from graph_builder.quotes import QUOTE_INLINE_MAX, view_quote
from tests.conftest import extract_text

HEAD = "关于提振消费的实施方案\n\n一、加大支持\n（一）开展补贴。"
TAIL = "。（责任单位：市商务局）\n"


def _cited(doc: dict, span: dict) -> str:
    return span["text"] if "text" in span else doc["quotes"][span["quote"]]


@pytest.mark.slow
def test_the_amplification_plan_builds_under_10_mb_with_every_format(tmp_path):
    src = tmp_path / "in" / "plan.txt"
    src.parent.mkdir()
    text = HEAD + "补贴1000元" * 4000 + TAIL
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out), "-q"]) in (0, 1)  # default formats
    sizes = {str(p.relative_to(out)): p.stat().st_size for p in out.rglob("*") if p.is_file()}
    assert sum(sizes.values()) < 10 * 10**6, sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    for view in ("tables/instruments.csv", "neo4j/nodes.csv", "graph.graphml"):
        assert sizes[view] < 100_000, (view, sizes[view])

    stored = (out / "text" / "plan.txt").read_text(encoding="utf-8")
    doc = json.loads((out / "json" / "plan.json").read_text(encoding="utf-8"))
    [one] = doc["instruments"]  # one fact, read 4,000 times, nothing dropped
    assert one["mention_count"] == 4000 and one["amount"] == 1000
    for span in [one["evidence"], *one["evidence_mentions"]]:
        assert stored[span["start"] : span["end"]] == _cited(doc, span)
    assert any(d["code"] == "GB-W150" for d in doc["diagnostics"])
    # the measure type cites 补贴 once per vote (title, body), with how often it is written
    cues = doc["measures"][0]["evidence"]["measure_type"]["spans"]
    assert len(cues) <= 2 and sum(c["count"] for c in cues) == 4001
    for c in cues:
        assert stored[c["start"] : c["end"]] == c["text"]


def test_repeats_in_separate_places_are_mentions_with_their_offsets():
    text = HEAD + "、".join(["每台补贴1000元"] * 30) + TAIL
    plan = extract_text(text)
    [one] = plan.instruments
    assert one.mention_count == 30
    places = [one.span, *one.mentions]
    assert len({(s.start, s.end) for s in places}) == len(places)
    assert all(text[s.start : s.end] == s.text for s in places)


def test_merge_keeps_different_facts_apart():
    def tier(start: int, amount: float, measure: int = 0) -> Instrument:
        span = Span(start, start + 4, "x" * 4)
        return Instrument(None, measure, span, "subsidy", None, None, amount, "元", False, None)

    merged = merge_repeats([tier(0, 1000), tier(10, 500), tier(20, 1000), tier(30, 1000, 1)])
    assert [(i.amount, i.measure_index, i.mention_count) for i in merged] == [
        (1000, 0, 2),
        (500, 0, 1),
        (1000, 1, 1),
    ]
    assert [s.start for s in merged[0].mentions] == [20]


def test_views_cut_a_long_quote_and_keep_a_short_one():
    assert view_quote(Span(0, 3, "abc")) == "abc"
    cut = view_quote("x" * 5000)
    assert len(cut) == QUOTE_INLINE_MAX and cut.endswith("…")
