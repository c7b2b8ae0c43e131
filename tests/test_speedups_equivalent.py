"""The faster forms of three hot spots find exactly what the slow forms found: character
tokens (spaCy's own alignment), place names (the flat longest-first regex) and clause
splitting (a character-by-character scan)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy import util

from graph_builder.extract import clauses as C
from graph_builder.extract.char_tokens import char_words_and_spaces
from graph_builder.normalize.places import gazetteer

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
_CHARS = st.sampled_from(list("中文市区县 \n\t\u3000\u00a0（）“”，,；、。1０a") + ["湖南省", "长沙市"])
_TEXT = st.lists(_CHARS, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_char_tokens_equal_spacys_alignment(text):
    assert char_words_and_spaces(text) == util.get_words_and_spaces(list(text), text)


def test_char_tokens_equal_spacys_alignment_on_the_corpus():
    for text in TEXTS:
        assert char_words_and_spaces(text) == util.get_words_and_spaces(list(text), text)


def test_place_index_finds_what_the_longest_first_regex_finds():
    g = gazetteer()
    for names, short in ((g.by_name, False), (g.by_short, True)):
        flat = re.compile("|".join(map(re.escape, sorted(names, key=lambda n: (-len(n), n)))))
        for text in TEXTS + [t[i : i + 9] for t in TEXTS[:2] for i in range(0, len(t), 5)]:
            want = [(m.start(), m.end(), m.group()) for m in flat.finditer(text)]
            assert list(g.find(text, short=short)) == want


def _split_by_char(text, start, end, seps):
    out, depth, piece = [], 0, start
    for i in range(start, end):
        c = text[i]
        if c in C.OPENERS:
            depth += 1
        elif c in C.CLOSERS:
            depth = max(0, depth - 1)
        elif c == "\n":
            depth = 0
        if c in seps and (depth == 0 or c == "\n"):
            if c == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit():
                if re.match(r"\d{3}(?!\d)", text[i + 1 : i + 5]):
                    continue
            out.append((piece, i))
            piece = i + 1
    out.append((piece, end))
    return [r for r in (C._strip(text, a, b) for a, b in out) if r[0] < r[1]]


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(["。！？!?\n", "，,；;：:", "、"]))
def test_clause_split_equals_the_character_scan(text, seps):
    assert C._split(text, 0, len(text), seps) == _split_by_char(text, 0, len(text), seps)
