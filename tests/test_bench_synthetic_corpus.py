"""The benchmark's synthetic plans: marked as such, reproducible, and read like real plans."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from graph_builder.extract.pipeline import extract_plan
from graph_builder.read import decode_bytes

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import synth  # noqa: E402

SEEDS = sorted(str(p) for p in (REPO / "corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def material():
    chapters, measures = synth.load_seeds(SEEDS)
    return chapters, measures, synth._regions()


def test_synthetic_plans_say_they_are_synthetic_and_are_reproducible(material):
    name, text = synth.synthesize(7, *material)
    assert (name, text) == synth.synthesize(7, *material)
    assert synth.synthesize(8, *material)[1] != text
    assert "synthetic" in name
    assert text.splitlines()[1] == synth.MARKER == "（合成样本，仅用于计时）"


def test_extractor_reads_every_generated_measure_and_the_new_region(material):
    for i in range(3):
        name, text = synth.synthesize(i, *material)
        plan = extract_plan(decode_bytes(text.encode("utf-8"), name))
        headings = [ln for ln in text.splitlines() if ln.startswith("（") and ln != synth.MARKER]
        assert len(plan.measures) == len(headings) > 0
        assert [m.title for m in plan.measures] == [
            h.split("）", 1)[1].split("。", 1)[0] for h in headings
        ]
        assert plan.meta.region == text.splitlines()[0].split(f"第{i + 1}号")[0]
        assert plan.meta.title == text.splitlines()[0]
        assert all(m.responsibilities for m in plan.measures)


@pytest.mark.slow
def test_synthetic_plans_are_distinct_documents_however_often_a_region_is_drawn(material):
    from graph_builder.graph.identity import document_key

    keys = set()
    for i in range(40):
        name, text = synth.synthesize(i, *material)
        keys.add(document_key(extract_plan(decode_bytes(text.encode("utf-8"), name))))
    assert len(keys) == 40


def test_cn_numeral_covers_labels_beyond_ten():
    assert [synth.cn_numeral(n) for n in (1, 10, 11, 20, 23)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十三",
    ]
