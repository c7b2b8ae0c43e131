"""What a responsible unit's name looks like, from the organisation-form vocabulary.

A unit name ends with an organisation head (局, 委员会, 人民政府, 集团 …, from
``ontology/organisation_forms.ttl``) or contains an agency-function cue (公积金, from
``ontology/agency_functions.ttl``). These tests decide what is a list item, where a head is
shared (``A、B、C管理委员会``) and whether an elided level prefix may be restored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph_builder import lexicon as lx
from graph_builder.extract.clauses import strip_bracket_tail
from graph_builder.vocab import agency_functions, organisation_forms

__all__ = ["UnitLexicon", "lexicon", "LEVEL_PREFIX"]

def _name_words(key: str) -> tuple[str, ...]:
    """A word list of ``ontology/organisation_forms.ttl`` around unit names, longest first."""
    return lx.words("organisation_forms.ttl", key)


#: Level prefixes that open a unit name (市商务局, 省人社厅, 自治区农牧厅, 盟…, 旗…).
LEVEL_PREFIX = re.compile("^(" + "|".join(map(re.escape, lx.level_prefixes())) + ")")
_HAS_LEVEL = re.compile(
    "^(" + "|".join(map(re.escape, lx.level_prefixes() + _name_words("level_opener"))) + ")|"
    + lx.alternation(_name_words("party_committee"))
)
#: Names that start with a level character without a level (市场监管局).
_NOT_LEVEL = _name_words("not_level_prefix")


@dataclass(frozen=True)
class HeadMatch:
    head: str
    form: str
    takes_prefix: bool
    shared: bool


#: The brackets an alias or a mark after a unit name stands in (round and square).
_OPENERS = "".join(lx.SQUARE_BRACKETS) + "".join(lx.ROUND_BRACKETS)
_CLOSERS = "".join(lx.SQUARE_BRACKETS.values()) + "".join(lx.ROUND_BRACKETS.values())
#: What opens a collective unit (各县（市、区）人民政府, 有关区县政府, 全市各镇街).
_COLLECTIVE_OPEN = re.compile(
    "^" + lx.alternation(_name_words("collective_scope")) + "?"
    + lx.alternation(_name_words("collective_opener"))
)
#: Joiners allowed between the place words of a collective (各市、州、直管市及神农架林区…):
#: punctuation and the one-character words of ``of:collective_joiner``.
_JOIN_WORDS = "".join(_name_words("collective_joiner"))
_COLLECTIVE_JOIN = "、，,（）()" + _JOIN_WORDS
#: What may end a collective's place words and is dropped (a joiner or an opening bracket).
_COLLECTIVE_TRAIL = "、，,（(" + _JOIN_WORDS


#: 各 before a standalone unit word (各成员单位); lstrip takes its characters.
_EACH = "".join(_name_words("distributive"))


class UnitLexicon:
    def __init__(self):
        forms = organisation_forms()
        heads = []
        self.whole_names: tuple[str, ...] = ()
        self.collective_places: tuple[str, ...] = ()
        for c in forms:
            if c.broader == "name_words" or c.key == "name_words":
                continue  # word lists around names (level openers, joiners …), not heads
            if c.flags.get("levelPrefix"):
                continue
            if c.flags.get("wholeName"):
                self.whole_names = tuple(sorted(c.cues, key=lambda x: (-len(x), x)))
                continue
            if c.flags.get("collectiveOnly"):
                self.collective_places = tuple(sorted(c.cues, key=lambda x: (-len(x), x)))
                continue
            for cue in c.cues:
                heads.append(
                    HeadMatch(
                        cue,
                        c.key,
                        bool(c.flags.get("takesLevelPrefix", False)),
                        bool(c.flags.get("sharedHead", False)),
                    )
                )
        self.heads = sorted(heads, key=lambda h: (-len(h.head), h.head))
        # Lookup by suffix: for each head length (longest first) the heads of that length.
        self._by_len: list[tuple[int, dict[str, HeadMatch]]] = []
        for h in self.heads:
            if not self._by_len or self._by_len[-1][0] != len(h.head):
                self._by_len.append((len(h.head), {}))
            self._by_len[-1][1].setdefault(h.head, h)
        #: Heads that are whole unit names on their own (有关部门, 成员单位, 金融机构).
        self.standalone = frozenset(cue for c in forms if c.key == "collective" for cue in c.cues)
        self.function_cues = [cue for cue, _ in agency_functions().cue_index()]
        #: Function cues that can end a short name (市公积金), by length, for a suffix lookup.
        self._cue_ends: dict[int, frozenset[str]] = {}
        for cue in self.function_cues:
            if len(cue) >= 2:
                self._cue_ends[len(cue)] = self._cue_ends.get(len(cue), frozenset()) | {cue}

    def head(self, name: str) -> HeadMatch | None:
        """The organisation head that ends ``name`` (longest first), ignoring an alias."""
        core = strip_bracket_tail(name, _OPENERS, _CLOSERS)
        for n, by_head in self._by_len:
            if len(core) > n:
                h = by_head.get(core[-n:])
                if h is not None:
                    return h
        return None

    def whole_name(self, name: str) -> str | None:
        """The short name of a central body that ends ``name`` (证监会, 省…团省委), if any."""
        for w in self.whole_names:
            if name.endswith(w) and (len(name) == len(w) or len(name) - len(w) <= 6):
                return w
        return None

    def collective_rest(self, name: str) -> int | None:
        """Where the place words of a collective end: ``各县（市、区）`` in 各县（市、区）人民政府.

        A collective opens with 各, 所有, 有关 or 相关 and goes on with place-level words
        (ontology ``of:collective_place``) joined by 、 及 和 or brackets. Returns the index
        after the last place word, or None when ``name`` is not such a collective.
        """
        m = _COLLECTIVE_OPEN.match(name)
        if not m:
            return None
        i, words = m.end(), 0
        while i < len(name):
            if name[i] in _COLLECTIVE_JOIN:
                i += 1
                continue
            for w in self.collective_places:
                if name.startswith(w, i):
                    i += len(w)
                    words += 1
                    break
            else:
                break
        while i > m.end() and name[i - 1] in _COLLECTIVE_TRAIL:
            i -= 1
        return i if words else None

    def is_collective(self, name: str) -> bool:
        """``各镇街``, ``各县市区``, ``各县（市、区）人民政府``, ``相关区市县政府``: a collective unit."""
        i = self.collective_rest(name)
        if i is None:
            return False
        rest = name[i:]
        return not rest or bool(self.head(rest) or rest in {h.head for h in self.heads})

    def is_unit(self, name: str) -> bool:
        """Whether ``name`` reads as the name of a responsible unit."""
        if not name or len(name) > 40 or re.search(r"[。；;！？]", name):
            return False
        if self.head(name) or self.whole_name(name) or self.is_collective(name):
            return True
        if name in self.standalone or name.lstrip(_EACH) in self.standalone:
            return True
        # A short form that ends with a function cue (市公积金) names a unit; a cue inside a
        # phrase (市商务局举办活动) does not.
        return any(name[-n:] in cues for n, cues in self._cue_ends.items() if len(name) >= n)

    def has_level(self, name: str) -> bool:
        """Whether ``name`` already says its level (市商务局, 各市政府, 中国人民银行…).

        ``市场监管局`` starts with 市 but names the market regulator without a level.
        """
        return bool(_HAS_LEVEL.search(name)) and not name.startswith(_NOT_LEVEL)


@lru_cache(maxsize=1)
def lexicon() -> UnitLexicon:
    return UnitLexicon()
