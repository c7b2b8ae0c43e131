"""Extraction stays fast on inputs built to make its patterns backtrack (issue 13), and a
document over the per-document time limit fails alone, with its own code."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
import time
from pathlib import Path

import pytest

from graph_builder.batch import extract_all, extract_one
from graph_builder.extract import targets
from graph_builder.extract.clauses import strip_bracket_tail

ROOT = Path(__file__).resolve().parent.parent
HEAD = "关于提振消费的行动方案\n一、总体要求\n"


@pytest.fixture(autouse=True, scope="module")
def _warm(tmp_path_factory):
    """Build the pipeline once, so the timings below are those of the documents."""
    extract_one(_plan(tmp_path_factory.mktemp("warm"), "warm.txt", "力争新增就业1万人。\n"))


def _plan(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("n", [44, 60])
def test_run_of_per_before_a_sum_is_read_in_under_a_second(tmp_path, n):
    # 力争 + 44 × 每 before a sum took 41 s, 60 × 每 more than 120 s (_PER_BEFORE)
    path = _plan(tmp_path, f"per{n}.txt", "力争" + "每" * n + "发放消费券100元。\n")
    t0 = time.perf_counter()
    plan = extract_one(path)
    assert time.perf_counter() - t0 < 1.0
    assert not hasattr(plan, "code"), plan


def test_run_of_per_before_a_target_is_read_in_under_a_second(tmp_path):
    # the 每 suffix pattern of indicator_of (35 s on 347 bytes)
    body = "力争" + "每" * 100 + "新增就业100万人，提高到" + "每" * 100 + "新增就业3万人。\n"
    path = _plan(tmp_path, "suffix.txt", body)
    assert len(body.encode()) > 347
    t0 = time.perf_counter()
    plan = extract_one(path)
    assert time.perf_counter() - t0 < 1.0
    assert not hasattr(plan, "code"), plan


@pytest.mark.parametrize(
    "body",
    [
        "（一）" + "市商务局、" * 6000 + "\n",  # a 30 k-character list of units
        "责任单位：" + "〔" * 30000 + "\n",
        "（一）" + " " * 30000 + "x\n",
    ],
    ids=["units", "openers", "spaces"],
)
def test_long_lines_are_read_in_under_a_second_each(tmp_path, body):
    path = _plan(tmp_path, "long.txt", body)
    t0 = time.perf_counter()
    extract_one(path)
    assert time.perf_counter() - t0 < 5.0


def test_linear_tail_readers_agree_with_the_patterns_they_replace():
    per = re.compile(r"(?:每[^\d，、]{1,2})+$")
    promoted = re.compile(r"(?:提高|提升|增加|调整|达)(?:到|至)(?:每[^\d，、]{1,2})*\s*$")
    per_before = re.compile(r"(?:每[^\d，、；]{1,3}?)+(?:最高|不超过|不高于|最多)?\s*$")
    trail = re.compile(
        r"(?:达到|达|为|超过|超|突破|实现|不少于|不低于|保持在|控制在|至少|提高到|提高至|合计"
        r"|累计|共)+$"
    )
    bracket = re.compile(r"[〔［\[【（(][^〕］\]】）)]*[〕］\]】）)]$")
    rng = random.Random(13)
    alphabet = "每人年1，、 提高到至达超过为共计累最不于低（）〔】"
    for _ in range(20000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert targets._strip_per_items(s) == per.sub("", s), s
        assert targets._promoted(s) == bool(promoted.search(s)), s
        assert bool(targets._PER_BEFORE.search(s)) == bool(per_before.search(s)), s
        assert targets._strip_trail(s) == trail.sub("", s), s
        assert strip_bracket_tail(s, "〔［[【（(", "〕］]】）)") == bracket.sub("", s), s


def _fuzzer():
    spec = importlib.util.spec_from_file_location("regex_fuzz", ROOT / "scripts/regex_fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("regex_fuzz", module)
    spec.loader.exec_module(module)
    return module


def test_fuzzer_flags_a_backtracking_pattern():
    fuzz = _fuzzer()
    hit = fuzz.fuzz_one(r"(?:每[^\d，、；]{1,3}?)+(?:最高|不超过)?\s*$", 0, 0.05, 64)
    assert hit is not None and "每每每" in hit[1]


@pytest.mark.slow
def test_no_pattern_of_graph_builder_backtracks_on_fuzzed_inputs():
    # patterns compiled on import, up to 128 repeats: exponential backtracking shows there;
    # quadratic growth needs the longer inputs of `scripts/regex_fuzz.py` (a minute or two)
    fuzz = _fuzzer()
    found = fuzz.fuzz(budget=0.1, max_n=128, run_corpus=False)
    assert [(f.where, f.pattern) for f in found] == []


def test_document_over_the_time_limit_fails_alone_and_others_are_built(tmp_path, monkeypatch):
    import graph_builder.extract.pipeline as pipeline

    slow = _plan(tmp_path, "a_slow.txt", "力争新增就业100万人。\n")
    fast = _plan(tmp_path, "b_fast.txt", "力争新增就业200万人。\n")
    real = pipeline.extract_plan

    def extract_plan(src, segmenter="char"):
        if "a_slow" in src.source:
            while True:  # a step that never ends
                time.sleep(0.01)
        return real(src, segmenter)

    monkeypatch.setattr(pipeline, "extract_plan", extract_plan)
    t0 = time.perf_counter()
    result = extract_all([slow, fast], doc_timeout=1.0)
    assert time.perf_counter() - t0 < 10
    assert [f.code for f in result.failures] == ["GB-E070"]
    assert "a_slow.txt" in result.failures[0].format()
    assert [Path(p.source).name for p in result.plans] == ["b_fast.txt"]


def test_time_limit_holds_in_worker_processes(tmp_path):
    # the limit lives in the per-document function the pool maps, so workers apply it too
    names = [_plan(tmp_path, f"{k}.txt", "力争新增就业100万人。\n") for k in "ab"]
    result = extract_all(names, jobs=2, doc_timeout=0.001)
    assert [(Path(f.source).name, f.code) for f in result.failures] == [
        ("a.txt", "GB-E070"),
        ("b.txt", "GB-E070"),
    ]
