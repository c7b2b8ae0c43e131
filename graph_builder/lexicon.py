"""The extraction code's vocabulary: one typed façade over the ontology's word lists.

Every word the reader, the segmenter and the extractor match (role labels, level prefixes,
comparators, goal verbs, issuer heads, genres, table headings …) is a ``skos:hiddenLabel`` of
a concept in ``ontology/*.ttl``, loaded by :mod:`graph_builder.vocab` once per process. This
module names those lists, so code asks for ``lexicon.level_prefixes()`` instead of writing
``"省"``, and builds its patterns from them with :func:`alternation` and :func:`char_class`
(words escaped, longest first: a longer word is tried before a word it starts with, so
``征求意见稿`` is not cut to ``征求意见``). A new wording is then one label in a ``.ttl``
file and no change of code.

What lives here as constants instead is *syntax*, not vocabulary: the punctuation that
brackets and separates (``、，；（）``), the Chinese numerals and the code-point ranges of
Han characters. Those are the writing system, fixed by the language rather than by the
documents' wording, and are kept here only so that no other module spells them.

The test ``tests/test_no_vocabulary_in_code.py`` keeps CJK characters out of the string
literals of ``read/``, ``segment/``, ``extract/``, ``normalize/`` and ``graph/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache, cached_property

from graph_builder.vocab import load_scheme

__all__ = [
    "BRACKET_PAIRS",
    "ROUND_BRACKETS",
    "SQUARE_BRACKETS",
    "CURLY_BRACKETS",
    "QUOTE_PAIRS",
    "CN_DIGITS",
    "CN_ZERO",
    "CN_ZERO_ALT",
    "CN_TEN",
    "CN_TWO",
    "CN_PLACES",
    "CN_HUNDRED",
    "HAN_FIRST",
    "HAN_LAST",
    "HAN_COMPAT_FIRST",
    "HAN_COMPAT_LAST",
    "MAGNITUDES",
    "CN_TRAILING_MAGNITUDES",
    "YEAR",
    "MONTH",
    "DAY",
    "LazyPattern",
    "alternation",
    "char_class",
    "longest_first",
    "words",
    "cues_where",
    "document_words",
    "role_columns",
    "lead_column_markers",
    "level_prefixes",
    "region_level_prefixes",
    "quantity_words",
    "quantity_pattern",
    "document_pattern",
]

# --- syntax: constants, not vocabulary ----------------------------------------------------

#: Bracket pairs by family, full- and half-width forms of one kind together: punctuation of
#: the script, the same in every document. A family's forms close each other (（…)).
ROUND_BRACKETS: dict[str, str] = {"（": "）", "(": ")"}
SQUARE_BRACKETS: dict[str, str] = {"〔": "〕", "【": "】", "[": "]", "［": "］"}
CURLY_BRACKETS: dict[str, str] = {"｛": "｝"}
#: Every bracket pair a clause may stand in (or hold an alias, a mark or a rule).
BRACKET_PAIRS: dict[str, str] = {**ROUND_BRACKETS, **SQUARE_BRACKETS, **CURLY_BRACKETS}
#: Quotation and book-title marks: they open a quoted name, not a group.
QUOTE_PAIRS: dict[str, str] = {"“": "”", "《": "》", "「": "」", "『": "』", "‘": "’", "〈": "〉"}

#: The Chinese digits one to nine, in value order (index + 1 is the value): numerals are
#: the writing system of numbers, not wording a document may vary.
CN_DIGITS = "一二三四五六七八九"
#: Zero as written in dates (二〇二五) and its other form (二零二五), and ten.
CN_ZERO, CN_ZERO_ALT, CN_TEN = "〇", "零", "十"
#: Two as counted before a measure word (两个百分点).
CN_TWO = "两"
#: Bounds of the CJK Unified Ideographs block and of the compatibility ideographs: where
#: Han characters are, to tell Chinese text from other text.
HAN_FIRST, HAN_LAST = "\u4e00", "\u9fff"
HAN_COMPAT_FIRST, HAN_COMPAT_LAST = "\uf900", "\ufaff"
#: The place-value characters of a number written in Chinese (一百二十, 三千, 五万, 两亿).
CN_PLACES = "十百千万亿"
CN_HUNDRED = CN_PLACES[1]
#: Magnitudes written after a number (20万元, 1.6亿元) and their value.
MAGNITUDES: dict[str, float] = {"万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8, "万亿": 1e12}
#: The magnitudes a number written in Chinese may end with (五万, 两亿), longest first.
CN_TRAILING_MAGNITUDES = ("万亿", "亿", "万")

#: The calendar's written units (2025年6月30日): date notation, not wording.
YEAR, MONTH, DAY = "年", "月", "日"


# --- building patterns --------------------------------------------------------------------


def longest_first(items: Iterable[str]) -> tuple[str, ...]:
    """Distinct words, longest first, ties in code-point order (deterministic patterns)."""
    return tuple(sorted(set(items), key=lambda w: (-len(w), w)))


def alternation(items: Iterable[str]) -> str:
    """A non-capturing group matching any of ``items``, escaped and longest first.

    Longest first because a regular expression takes the first alternative that matches:
    with ``草案|草案稿`` the second could never win.
    """
    return "(?:" + "|".join(re.escape(w) for w in longest_first(items)) + ")"


def char_class(items: Iterable[str]) -> str:
    """A character class of one-character words (``[省市县]``); longer words are refused,
    since a class would silently match only their first character."""
    chars = longest_first(items)
    if any(len(c) != 1 for c in chars):
        raise ValueError(f"char_class takes one-character words, got {chars!r}")
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


class LazyPattern:
    """A regular expression built from the vocabulary on its first use.

    The readers (``read/``) are imported where no vocabulary is needed (the reader's own
    checks, a refused file): compiling their patterns at import would parse the ontology
    with rdflib first, some tenths of a second per process. Attribute access is passed on
    to the compiled pattern (``.match``, ``.search``, ``.finditer`` …).
    """

    def __init__(self, build: Callable[[], str], flags: int = 0):
        self._build = build
        self._flags = flags

    @cached_property
    def compiled(self) -> re.Pattern:
        return re.compile(self._build(), self._flags)

    def __getattr__(self, name: str):
        return getattr(self.compiled, name)


# --- word lists ---------------------------------------------------------------------------


@cache
def words(scheme: str, key: str) -> tuple[str, ...]:
    """The cue words of concept ``key`` of ``ontology/<scheme>``, longest first."""
    return longest_first(load_scheme(scheme)[key].cues)


@cache
def cues_where(scheme: str, **flags: object) -> tuple[str, ...]:
    """The cue words of every concept of ``scheme`` whose ``gbo:`` annotations equal
    ``flags`` (``cueKind="column"``), longest first."""
    found = [
        cue
        for c in load_scheme(scheme)
        if all(c.flags.get(k) == v for k, v in flags.items())
        for cue in c.cues
    ]
    return longest_first(found)


def document_words(key: str) -> tuple[str, ...]:
    """A word list of a plan's frame (``ontology/document_cues.ttl``): genres, draft
    markers, field labels, issuer heads, table column headings."""
    return words("document_cues.ttl", key)


def role_columns(role: str) -> tuple[str, ...]:
    """Column headings of a task-division table whose cells hold units of ``role``
    (``responsible`` or ``participant``; ``ontology/responsibility_cues.ttl``)."""
    return cues_where("responsibility_cues.ttl", cueKind="column", clauseRole=role)


def lead_column_markers() -> tuple[str, ...]:
    """Words in a unit column's heading that make it the lead column (牵头单位)."""
    return cues_where("responsibility_cues.ttl", cueKind="column_marker")


def level_prefixes() -> tuple[str, ...]:
    """Level prefixes that open a unit name (``of:level_prefix``: 省, 市, 自治区 …)."""
    return cues_where("organisation_forms.ttl", levelPrefix=True)


@cache
def region_level_prefixes(level: str) -> tuple[str, ...]:
    """The bare prefixes standing for the plan's own region of ``level`` (``province``,
    ``city``, ``county``; ``ontology/region_names.ttl``), none for another level."""
    scheme = load_scheme("region_names.ttl")
    found = [
        cue
        for c in scheme
        if c.broader == "level_prefixes" and c.notation == level
        for cue in c.cues
    ]
    return longest_first(found)


def document_pattern(key: str) -> str:
    """:func:`document_words` of ``key`` as a regex group (escaped, longest first)."""
    return alternation(document_words(key))


def quantity_pattern(key: str) -> str:
    """:func:`quantity_words` of ``key`` as a regex group (escaped, longest first)."""
    return alternation(quantity_words(key))


def quantity_words(key: str) -> tuple[str, ...]:
    """A word list of ``ontology/quantities.ttl`` (comparators, goal verbs, cap cues …)."""
    return words("quantities.ttl", key)
