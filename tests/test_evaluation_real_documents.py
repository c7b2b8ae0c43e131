"""Extraction on real plans the clause reader was not written against.

Two sets of real excerpts with gold written by reading (tests/data/realworld: fifteen from
the team's shared set; tests/data/realdev: gathered for this project, see its README), scored
by ``policykg evaluate`` and checked against the independent reference scorer
(tests/data/scorer/evaluate.py). The thresholds are floors under today's figures: a rule that
helps one wording and breaks another shows here.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from graph_builder.batch import extract_all
from graph_builder.evaluate import evaluate_docs, format_report, load_gold
from graph_builder.export.json_export import plan_to_dict

DATA = Path(__file__).resolve().parent / "data"
SETS = {
    "realworld": {"measures": 0.97, "agencies": 0.97, "implementers": 0.95, "lead": 0.97},
    "realdev": {"measures": 0.97, "agencies": 0.90, "implementers": 0.95, "lead": 0.88},
}


@pytest.fixture(scope="module", params=sorted(SETS))
def scored(request, tmp_path_factory):
    name = request.param
    gold, _ = load_gold(DATA / name / "gold")
    result = extract_all([str(DATA / name / "raw")], progress=False)
    assert result.failures == []
    preds = {Path(p.source).stem: plan_to_dict(p) for p in result.plans}
    assert set(gold) <= set(preds), "every gold file has its raw text"
    report = evaluate_docs([(preds[k], g) for k, g in gold.items()])
    print(name, format_report(report), sep="\n")
    out = tmp_path_factory.mktemp(name)
    for stem, d in preds.items():
        (out / f"{stem}.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    return name, report, out


def test_real_excerpts_meet_their_floors(scored):
    name, report, _ = scored
    floors = SETS[name]
    got = {
        "measures": report.scores["measures"].f1,
        "agencies": report.scores["agencies"].f1,
        "implementers": report.scores["implementers"].f1,
        "lead": report.accuracies["lead"].value,
    }
    low = {k: round(v, 3) for k, v in got.items() if v < floors[k]}
    assert not low, f"{name}: below the floor {floors}: {low}"


def _reference():
    spec = importlib.util.spec_from_file_location("reference_scorer", DATA / "scorer" / "evaluate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_policykg_evaluate_agrees_with_the_reference_scorer(scored):
    name, report, out = scored
    ref, _ = _reference().score(str(DATA / name / "gold"), str(out))
    assert report.scores["measures"].f1 == pytest.approx(ref["measures"][2])
    assert report.accuracies["lead"].value == pytest.approx(ref["lead_accuracy"])
    assert report.scores["agencies"].f1 == pytest.approx(ref["agencies"][2])
    assert report.accuracies["agency_order"].value == pytest.approx(ref["agency_order_exact"])
    assert report.scores["implementers"].f1 == pytest.approx(ref["implementers"][2])
    if ref["targets"] is not None:
        assert report.scores["targets"].f1 == pytest.approx(ref["targets"][2])
    if ref["instruments"] is not None:
        assert report.scores["instruments"].f1 == pytest.approx(ref["instruments"][2])


def test_every_gold_quote_of_the_real_sets_is_in_its_raw_text():
    """Gold written by reading: each agency (minus a restored prefix) is in the text."""
    for name in SETS:
        for g in sorted((DATA / name / "gold").glob("*.json")):
            doc = json.loads(g.read_text(encoding="utf-8"))
            raw = (DATA / name / "raw" / doc["file"]).read_text(encoding="utf-8")
            flat = _bare(raw)
            for m in doc["measures"]:
                for a in m["agencies"]:
                    core = re.sub(r"[〔(（][^〔〕()（）]*[〕)）]$", "", _bare(a))  # alias kept apart
                    assert any(core[k:] in flat for k in range(0, min(4, len(core) - 1))), (g.name, a)


def _bare(s: str) -> str:
    """Text without white space and the pinyin residue some re-posts insert (發(fā))."""
    return re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", "".join(s.split()))


def test_policykg_evaluate_agrees_with_the_reference_scorer_on_the_seeds(tmp_path, corpus_plans):
    # the seeds hold the ranges (15%—20%) the real sets lack: the JSON must list their tiers as
    # the schema does, or the reference scorer counts one tier missing where ours does not
    gold, _ = load_gold(DATA / "gold")
    preds = {Path(p.source).stem: plan_to_dict(p) for p in corpus_plans}  # the shared extraction
    for stem, d in preds.items():
        (tmp_path / f"{stem}.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    report = evaluate_docs([(preds[k], g) for k, g in gold.items()])
    ref, _ = _reference().score(str(DATA / "gold"), str(tmp_path))
    for field in ("measures", "agencies", "implementers", "targets", "instruments"):
        assert report.scores[field].f1 == pytest.approx(ref[field][2]), field
    assert report.accuracies["lead"].value == pytest.approx(ref["lead_accuracy"])
