"""Sentences, clauses and list items of Chinese policy prose, as character ranges.

Targets and priced instruments are read clause by clause: a year written at the start of a
sentence holds for every clause of it, a cap written in the clause after a rate belongs to
that rate, and the items of a 、-list each carry their own number. Splitting never happens
inside brackets, quotes or book-title marks (``每个县（市、区）``, ``“一点多能、一站多用”``),
and a half-width comma between digits (``1,000``) is part of the number.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph_builder import lexicon as lx
from graph_builder.extract.memo import per_text

__all__ = [
    "sentences",
    "clauses",
    "list_items",
    "item_groups",
    "quoted_ranges",
    "OPENERS",
    "CLOSERS",
    "strip_bracket_tail",
]

#: Opening and closing brackets, quotes and book-title marks.
OPENERS = "".join(lx.ROUND_BRACKETS) + "".join(lx.SQUARE_BRACKETS) + "".join(lx.QUOTE_PAIRS)
CLOSERS = "".join(lx.ROUND_BRACKETS.values()) + "".join(lx.SQUARE_BRACKETS.values()) + "".join(
    lx.QUOTE_PAIRS.values()
)
_SENTENCE_END = "。！？!?\n"
_CLAUSE_END = "，,；;：:"
_QUOTES = lx.QUOTE_PAIRS

Range = tuple[int, int]


@lru_cache(maxsize=8)
def _marks(seps: str) -> re.Pattern:
    """The characters :func:`_split` acts on: brackets, line breaks and ``seps``."""
    return re.compile("[" + re.escape(OPENERS + CLOSERS + "\n" + seps) + "]")


def _split(text: str, start: int, end: int, seps: str) -> list[Range]:
    out: list[Range] = []
    depth = 0
    piece = start
    # Only brackets, line breaks and separators change anything: jump from one to the next
    # (a character-by-character loop was the extractor's costliest line).
    for m in _marks(seps).finditer(text, start, end):
        i = m.start()
        c = text[i]
        if c in OPENERS:
            depth += 1
        elif c in CLOSERS:
            depth = max(0, depth - 1)
        elif c == "\n":
            depth = 0
        if c in seps and (depth == 0 or c == "\n"):
            if c == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit():
                if re.match(r"\d{3}(?!\d)", text[i + 1 : i + 5]):
                    continue  # thousands separator: 1,000
            out.append((piece, i))
            piece = i + 1
    out.append((piece, end))
    return [r for r in (_strip(text, a, b) for a, b in out) if r[0] < r[1]]


def _strip(text: str, a: int, b: int) -> Range:
    while a < b and text[a] in " \t\u3000\r\n":
        a += 1
    while b > a and text[b - 1] in " \t\u3000\r\n":
        b -= 1
    return a, b


@per_text(list)  # the instruments and the targets split the same regions
def sentences(text: str, start: int = 0, end: int | None = None) -> list[Range]:
    """Sentences of ``text[start:end]``: up to 。！？ or a line break, outside brackets."""
    return _split(text, start, len(text) if end is None else end, _SENTENCE_END)


def clauses(text: str, start: int, end: int) -> list[Range]:
    """Clauses of one sentence: split at ，；： outside brackets."""
    return _split(text, start, end, _CLAUSE_END)


def list_items(text: str, start: int, end: int) -> list[Range]:
    """Items of a 、-list inside one clause (outside brackets and quotes)."""
    return _split(text, start, end, "、")


def item_groups(text: str, start: int, end: int, anchors: list[int]) -> list[Range]:
    """Group the 、-items of a clause so each group ends with an item holding an anchor.

    ``新、改建农村公路300公里以上`` is one group (新 has no number); ``创建1条步行街、1个
    街区`` is two. Items after the last anchor join the last group.
    """
    items = list_items(text, start, end)
    groups: list[Range] = []
    open_start = None
    for a, b in items:
        if open_start is None:
            open_start = a
        if any(a <= p < b for p in anchors):
            groups.append((open_start, b))
            open_start = None
    if open_start is not None:
        if groups:
            groups[-1] = (groups[-1][0], items[-1][1])
        else:
            groups.append((open_start, items[-1][1]))
    return groups


def quoted_ranges(text: str, start: int = 0, end: int | None = None) -> list[Range]:
    """Ranges inside quotes and book-title marks (“…”, 《…》, 「…」): names, not facts."""
    end = len(text) if end is None else end
    out: list[Range] = []
    search = _quote_opener().search
    i = start
    # Jump from one opening mark to the next (most sentences have none); a mark whose closer
    # comes before the line ends encloses a range, the scan goes on after it.
    while (m := search(text, i, end)) is not None:
        i = m.start()
        j = text.find(_QUOTES[text[i]], i + 1, end)
        if j != -1 and text.find("\n", i + 1, j) == -1:
            out.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return out


@lru_cache(maxsize=1)
def _quote_opener() -> re.Pattern:
    """Any opening quote or book-title mark of ``_QUOTES``."""
    return re.compile("[" + re.escape("".join(_QUOTES)) + "]")


def strip_bracket_tail(s: str, openers: str, closers: str) -> str:
    """``s`` without a closing bracket group (``市商务局（牵头）`` → ``市商务局``).

    The same as ``re.sub(f"[{openers}][^{closers}]*[{closers}]$", "", s)`` — the group runs
    from the first opener after the last inner closer — in one pass: the regex, searched
    forwards, rescans the rest of the text from every opener of a long run (quadratic).
    """
    if not s or s[-1] not in closers:
        return s
    inner_closer = max(s.rfind(c, 0, len(s) - 1) for c in closers)
    for i in range(inner_closer + 1, len(s) - 1):
        if s[i] in openers:
            return s[:i]
    return s
