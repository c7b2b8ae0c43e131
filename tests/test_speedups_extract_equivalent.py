"""The faster forms of the extractor's hot spots give exactly what the slower forms gave.

Each test keeps the replaced algorithm as written before (the reference) and compares it
with the one in the package on generated inputs and on the corpus: cue peeling by suffix
look-up, the cached clause parse, target heads stripped from the right, quote ranges,
the bracket check, and the per-document memo of sentence and clause readers.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.extract import clauses as C
from graph_builder.extract import responsibility as R
from graph_builder.extract import targets as T
from graph_builder.extract.assemble import _check_brackets
from graph_builder.extract.instruments import read_sentence
from graph_builder.extract.memo import per_text
from graph_builder.extract.quantities import find_quantities
from graph_builder.model import Plan
from graph_builder.read.script import simplified_view

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]


# --- cue peeling -----------------------------------------------------------------------


def _peel_verb_ref(s):
    for w, role in R.cues().verbs:
        if s.endswith(w) and len(s) > len(w):
            return s[: -len(w)], role
    return s, None


def _peel_tail_ref(s):
    changed = True
    while changed:
        changed = False
        for w in R.cues().tails:
            if s.endswith(w) and len(s) > len(w):
                s = s[: -len(w)]
                changed = True
                break
    return s


_CUE_WORDS = sorted({w for w, _ in R.cues().verbs} | set(R.cues().tails))
_PIECE = st.lists(
    st.one_of(st.sampled_from(_CUE_WORDS), st.sampled_from(list("市商务局等和负责牵头 "))),
    max_size=6,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_PIECE)
def test_peeling_by_suffix_look_up_equals_the_word_by_word_loop(s):
    assert R._peel_verb(s) == _peel_verb_ref(s)
    assert R._peel_tail(s) == _peel_tail_ref(s)


def test_peeling_equals_the_loop_on_every_cue_word_alone():
    for w in _CUE_WORDS:
        for s in (w, "市" + w, w + w, "市商务局" + w):
            assert R._peel_verb(s) == _peel_verb_ref(s)
            assert R._peel_tail(s) == _peel_tail_ref(s)


# --- the cached clause parse -------------------------------------------------------------


def _shift_ref(res, by):
    for it in res.items + res.implementers + res.standing:
        it.start += by
        it.end += by
        if it.prefix_at is not None:
            it.prefix_at += by
    res.leftover = [(a + by, b + by) for a, b in res.leftover]
    if res.lead_rule:
        res.lead_rule = (res.lead_rule[0] + by, res.lead_rule[1] + by)
    if res.deadline:
        res.deadline = (res.deadline[0] + by, res.deadline[1] + by)


def _parse_ref(text, start, end):
    res = R._parse_own.__wrapped__(text[start:end])  # computed afresh, not from the cache
    _shift_ref(res, start)
    return res


def _corpus_clauses():
    for text in TEXTS:
        for a, b, ia, ib in R.find_clauses(text, 0, len(text)):
            yield text, ia, ib
            yield text, a, b
        for m in re.finditer(r"[（(][^（()）\n]{2,80}[）)]", text):
            yield text, m.start() + 1, m.end() - 1


def test_cached_clause_parse_equals_a_fresh_parse_on_the_corpus():
    n = 0
    for text, a, b in _corpus_clauses():
        assert R.parse_clause(text, a, b) == _parse_ref(text, a, b)
        n += 1
    assert n > 100


def test_cached_clause_parse_hands_out_copies():
    text = "前文（市商务局、市财政局按职责分工负责）"
    a, b = 3, len(text) - 1
    first = R.parse_clause(text, a, b)
    first.items[0].role = "changed"
    first.items[0].start = -1
    first.leftover.append((0, 1))
    again = R.parse_clause(text, a, b)
    assert again == _parse_ref(text, a, b)
    # the same clause elsewhere: the same reading, moved
    moved = R.parse_clause("……" + text, a + 2, b + 2)
    assert [(it.name, it.start - 2) for it in moved.items] == [
        (it.name, it.start) for it in again.items
    ]


def test_a_clause_too_long_for_the_cache_is_parsed_alike_and_not_kept():
    clause = "、".join(f"市{'商务财政文旅教育'[k % 8]}局" for k in range(200)) + "按职责分工负责"
    assert len(clause) > R._CACHED_CLAUSE_MAX
    text = "（" + clause + "）"
    before = R._parse_own.cache_info().currsize
    assert R.parse_clause(text, 1, len(text) - 1) == _parse_ref(text, 1, len(text) - 1)
    assert R._parse_own.cache_info().currsize == before


_CLAUSE = st.lists(
    st.sampled_from(
        ["市商务局", "市财政局", "、", "，", "。", "；", "牵头", "负责", "配合", "（牵头）",
         "责任单位：", "会同", "等", "和", "各县（市、区）", "2025年底前", "下同", " "]
    ),
    max_size=10,
).map("".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(_CLAUSE, st.integers(0, 5))
def test_cached_clause_parse_equals_a_fresh_parse_on_generated_clauses(clause, pad):
    text = "甲" * pad + clause + "乙"
    assert R.parse_clause(text, pad, pad + len(clause)) == _parse_ref(text, pad, pad + len(clause))


# --- target heads ------------------------------------------------------------------------


def _ends_from_ref(s, steps, rest_ok):
    n = len(s)
    ok = [False] * (n + 1)
    ok[n] = rest_ok(s, n)
    for i in range(n - 1, -1, -1):
        ok[i] = rest_ok(s, i) or any(ok[j] for j in steps(s, i))
    return ok


def _strip_items_ref(s, steps):
    ok = _ends_from_ref(s, steps, lambda t, i: i == len(t))
    return next((s[:i] for i in range(len(s)) if ok[i]), s)


def _promoted_ref(before):
    spaces = len(before.rstrip())
    ok = _ends_from_ref(before, T._per_item_ends, lambda _t, i: i >= spaces)
    return any(ok[m.end()] for m in T._PROMOTED_VERB.finditer(before))


_HEAD = st.lists(
    st.sampled_from([*"每年人户家次1，、 ", *T._TRAIL_WORDS, "提高到", "调整至", "新增"]),
    max_size=14,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_HEAD)
def test_head_stripping_from_the_right_equals_the_full_scan(s):
    assert T._strip_per_items(s) == _strip_items_ref(s, T._per_item_ends)
    assert T._strip_trail(s) == _strip_items_ref(s, T._trail_word_ends)
    assert T._promoted(s) == _promoted_ref(s)


# --- quotes and brackets -----------------------------------------------------------------


def _quoted_ranges_ref(text, start=0, end=None):
    end = len(text) if end is None else end
    out = []
    i = start
    while i < end:
        close = C._QUOTES.get(text[i])
        if close:
            j = text.find(close, i + 1, end)
            nl = text.find("\n", i + 1, end)
            if j != -1 and (nl == -1 or j < nl):
                out.append((i, j + 1))
                i = j + 1
                continue
        i += 1
    return out


_MARKS = st.lists(st.sampled_from(list("“”《》「」『』‘’〈〉\n中，（）()") + ["文字"]), max_size=30).map(
    "".join
)


def test_quote_ranges_equal_the_character_scan_on_the_corpus():
    for text in TEXTS:
        assert C.quoted_ranges(text) == _quoted_ranges_ref(text)


def _check_brackets_ref(plan, masked, start, end):
    reported, pos = 0, start
    while pos < end and reported < 10:
        line_end = masked.find("\n", pos, end)
        line_end = end if line_end == -1 else line_end
        stack, stray = [], None
        for i in range(pos, line_end):
            c = masked[i]
            if c in "（(":
                stack.append(i)
            elif c in "）)":
                if stack:
                    stack.pop()
                elif stray is None:
                    stray = i
        where = stack[0] if stack else stray
        if where is not None:
            what = (
                f"bracket {masked[where]} is not closed in its paragraph"
                if stack
                else f"closing bracket {masked[where]} has no opening bracket"
            )
            plan.diagnostics.append((what, where))
            reported += 1
        pos = line_end + 1


def _bracket_warnings(check, text, start, end):
    plan = Plan(doc_id="t", source="-", text=text, sha256="", encoding="utf-8")
    check(plan, text, start, end)
    # the package's diagnostics as (what, where), the reference's as it recorded them
    return [
        d if isinstance(d, tuple) else (d.message.split(":")[0], d.start)
        for d in plan.diagnostics
    ]


_BRACKETS = st.lists(st.sampled_from(list("（()）\n文") + ["\n\n"]), max_size=80).map("".join)


# --- the script view -----------------------------------------------------------------------


def _simplified_view_ref(text):
    from graph_builder.read.script import _MIN_SHARE, _char, _converter

    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    if not cjk:
        return text
    out, changed = [], 0
    for line in text.split("\n"):
        s = _converter().convert(line)
        if len(s) != len(line):
            s = "".join(_char(c) for c in line)
        changed += sum(1 for a, b in zip(line, s, strict=True) if a != b)
        out.append(s)
    return text if changed < _MIN_SHARE * cjk else "\n".join(out)


def test_script_view_equals_the_character_count():
    samples = TEXTS[:2] + [
        "責任單位：市發展改革委、市商務局\n推動消費品以舊換新",
        "市商务局负责。\n一个臺字",
        "abc\n",
        "",
    ]
    for text in samples:
        assert simplified_view.__wrapped__(text) == _simplified_view_ref(text)


# --- the per-document memo --------------------------------------------------------------


def test_memo_serves_each_range_once_and_hands_out_copies():
    calls = []

    @per_text(list)
    def reader(text, start=0, end=None):
        calls.append((start, end))
        return [text[start:end]]

    text = "甲乙丙丁"
    assert reader(text, 0, 2) == ["甲乙"]
    reader(text, 0, 2).append("x")
    assert reader(text, 0, 2) == ["甲乙"]
    assert calls == [(0, 2)]
    other = "".join(["甲乙", "戊己"])  # another document, not the same object
    assert reader(other, 0, 2) == ["甲乙"]
    assert calls == [(0, 2), (0, 2)]


def test_memoised_readers_equal_fresh_readings_on_the_corpus():
    for text in TEXTS:
        for s0, s1 in C.sentences(text):
            assert read_sentence(text, s0, s1) == read_sentence.uncached(text, s0, s1)
            for c0, c1 in C.clauses(text, s0, s1):
                want = find_quantities.uncached(text, c0, c1)
                assert find_quantities(text, c0, c1) == want
                assert find_quantities(text, c0, c1) == want  # from the memo


# --- bracket pairs and clause prefixes ------------------------------------------------


def _pairs_of_ref(text, start, end):
    stack, pairs = [], []
    for k, c in enumerate(text[start:end]):
        if c in R._OPEN:
            stack.append(start + k)
        elif c in R._CLOSE:
            fam = R._FAMILY[c]
            for j in range(len(stack) - 1, -1, -1):
                if R._FAMILY[text[stack[j]]] == fam:
                    pairs.append((stack[j], start + k))
                    del stack[j:]
                    break
    return pairs, stack


_GROUPS = st.lists(st.sampled_from(list("（()）〔〕【】[]［］｛｝文、\n")), max_size=40).map("".join)


#: scans that jump between the characters that matter, each with the character-by-character
#: scan it replaced and the texts it is tried on
_JUMPING_SCANS = {
    "quote ranges": (_MARKS, C.quoted_ranges, _quoted_ranges_ref),
    "bracket pairs": (_GROUPS, R._pairs_of, _pairs_of_ref),
    "bracket check": (
        _BRACKETS,
        partial(_bracket_warnings, _check_brackets),
        partial(_bracket_warnings, _check_brackets_ref),
    ),
}


@pytest.mark.parametrize("case", sorted(_JUMPING_SCANS))
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_jumping_scans_equal_the_character_scans(case, data):
    texts, new, ref = _JUMPING_SCANS[case]
    text = data.draw(texts)
    a = data.draw(st.integers(0, 4))
    b = max(a, len(text) - data.draw(st.integers(0, 4)))
    assert new(text, a, b) == ref(text, a, b)


def test_clauses_before_a_clause_are_the_sentences_first_clauses():
    """What instruments._dui_phrase relies on: splitting a sentence up to one of its clauses
    gives the clauses before it, so the sentence is split once."""
    for text in TEXTS:
        for s0, s1 in C.sentences(text):
            found = C.clauses(text, s0, s1)
            for k, (c0, _c1) in enumerate(found):
                assert C.clauses(text, s0, c0) == found[:k]
