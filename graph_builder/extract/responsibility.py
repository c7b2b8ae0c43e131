"""Read responsibility clauses: find the units first, then read their roles from the cues.

A clause names who is responsible for a measure, in many wordings::

    （市人社局、市发改委等按职责分工负责。排第一的为牵头单位，下同）
    〔责任单位：省发展改革委、省市场监管局、商务厅〕      责任单位：市商务局（牵头）、市财政局
    牵头单位：市商务局；配合单位：市财政局、市发改委      （由市商务局负责，市财政局配合）
    （市商务局会同市财政局负责）   （A、B牵头，市级各有关部门及各县市区政府按职责分工负责）
    （…，各县（市、区）人民政府负责落实。以下均需…负责落实，不再列出）   （同上）

The reader is not a closed grammar. It cuts the clause into sentences (。；) and the
sentences into list pieces (、，, spaces, 和/及 between whole names, never inside brackets),
peels the cues off each piece — role labels before a list, role verbs after it, connectors
(会同) between two lists, 等 tails, （牵头） marks, stated lead rules and deadlines — and
recognises what is left as a unit from the vocabulary (``ontology/organisation_forms.ttl``).
Every cue word comes from ``ontology/responsibility_cues.ttl``.

Nothing is dropped because one piece is unknown: a piece that is not a known unit form but
stands where a unit stands (under a role label, or in a list closed by a role verb) is kept
as a unit with ``known=False`` and reported; text that cannot be placed at all is kept as
``leftover`` with its offsets. Units keep their written order; an elided level prefix is
restored from the unit before it (``市人社局、教育局`` → 市教育局); a head shared by several
items is distributed (``城乡一体化示范区、经济开发区管理委员会``).
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from dataclasses import dataclass, field
from functools import cache, lru_cache

from graph_builder import lexicon as lx
from graph_builder.extract.units import LEVEL_PREFIX, lexicon
from graph_builder.segment.structure import Clause
from graph_builder.vocab import responsibility_cues

__all__ = [
    "Item",
    "ClauseParse",
    "parse_clause",
    "find_clauses",
    "split_units",
    "BRACKET_PAIRS",
]

#: Every bracket pair a clause may stand in (or hold an alias, a mark or a rule).
BRACKET_PAIRS = lx.BRACKET_PAIRS
_OPEN = frozenset(BRACKET_PAIRS)
_CLOSE = frozenset(BRACKET_PAIRS.values())
#: Bracket families: full- and half-width forms of one kind close each other (（…)).
_FAMILY = {
    c: ("round" if c in lx.ROUND_BRACKETS else "curly" if c in lx.CURLY_BRACKETS else "square")
    for c in BRACKET_PAIRS
}
_FAMILY.update({BRACKET_PAIRS[c]: f for c, f in list(_FAMILY.items())})

#: Separators between the units of a list.
_LIST_SEPS = "、，,/ \u3000\t"
_SENTENCE_SEPS = "。；;\n"
_STRIP = " \t\u3000\r\n，,。；;:："


def _slot(key: str) -> str:
    """The words of one slot of a lead rule (``rc:rule_*``) as a regex group."""
    return lx.alternation(lx.words("responsibility_cues.ttl", key))


#: 排在第一位的单位为牵头单位, 第一责任单位为牵头单位, 首个部门为牵头部门.
_LEAD_RULE = re.compile(
    _slot("rule_rank_verb") + _slot("rule_rank_prep") + "?" + _slot("rule_first")
    + _slot("rule_place") + "?" + _slot("rule_nominaliser") + "?" + _slot("rule_unit") + "?"
    + _slot("rule_is_lead") + _slot("rule_unit")
    + "|" + _slot("rule_first") + _slot("rule_counter") + "?" + _slot("rule_duty") + "?"
    + _slot("rule_unit") + _slot("rule_is_lead") + _slot("rule_unit")
    + "|" + _slot("rule_first_one") + _slot("rule_unit") + _slot("rule_is_lead") + _slot("rule_unit")
)


def _kind_words(kind: str) -> tuple[str, ...]:
    """The words of ``responsibility_cues.ttl`` of one ``gbo:cueKind``, longest first."""
    return lx.cues_where("responsibility_cues.ttl", cueKind=kind)


_SAME = re.compile("^" + lx.alternation(_kind_words("same_as_above")) + "$")
_SAME_BELOW = _kind_words("same_below")
_SAME_RULE = re.compile("^" + lx.alternation(_SAME_BELOW) + "$")
_SAME_RULE_FREE = re.compile(
    r"(?<![^\s，,。；;])" + lx.alternation(_SAME_BELOW) + r"(?![^\s，,。；;）)])"
)
_DEADLINE_LABEL = re.compile(lx.alternation(_kind_words("deadline_label")) + "[：:]")
#: 和, 及, 与, 以及 between names: a list piece is cut there.
_CONJUNCTIONS = _kind_words("conjunction")
#: 由 before the units (由市商务局牵头): dropped from the name.
_BY = "".join(_kind_words("agent"))
#: 牵头, 牵头单位 in brackets after a unit: the unit leads.
_LEAD_MARKS = frozenset(_kind_words("lead_mark"))
#: 以下 opens a standing rule.
_STANDING_OPENERS = _kind_words("standing")
#: 各 before a collective's place words (各 + 县（市、区）).
_EACH = lx.words("organisation_forms.ttl", "distributive")[0]
#: A deadline where a unit might stand (2025年底前, 6月, 长期, 一季度, 2024—2025年).
_TIME = re.compile(
    rf"^(?:(?:\d{{4}}|[0-9０-９]{{1,2}}{lx.MONTH}|"
    + lx.alternation(_kind_words("deadline_word") + _kind_words("deadline_quarter"))
    + r"|\d{4}—\d{4}|\d{4}-\d{4}).{0,12}|.{0,4}"
    + lx.alternation(_kind_words("deadline_end")) + ")$"
)
#: 以下[scope]均由[units]负责落实，不再一一列出: one clause for every measure that follows.
_STANDING_ALL = _kind_words("standing_all")
_STANDING = re.compile(
    "^" + lx.alternation(_STANDING_OPENERS)
    + "(?P<scope>[^" + re.escape(min(_STANDING_ALL, key=len)) + "]{0,12}?)"
    + lx.alternation(_STANDING_ALL) + lx.alternation(_kind_words("agent")) + "?(?P<units>.+?)"
    + lx.alternation(_kind_words("standing_verb"))
    + r"(?:[，,]?\s*(?:" + lx.alternation(_kind_words("not_listed"))
    + lx.alternation(_kind_words("not_listed_adverb")) + "?"
    + lx.alternation(_kind_words("not_listed_verb")) + ")?)?$"
)


@dataclass
class Item:
    """One unit named in a clause: its normalised name and where the text names it.

    ``known`` is False for a name that is not a known unit form but stands where a unit
    stands (under a role label, or in a list closed by a role verb): it is kept and reported.
    """

    name: str
    start: int
    end: int
    role: str = "participant"
    restored_prefix: str | None = None
    marked_lead: bool = False
    known: bool = True
    cued: bool = False
    #: Read under a role label (责任单位：…): a unit by its place, whatever its form.
    labelled: bool = False
    #: Where the restored prefix is written (on the unit that gave it), to quote it as written.
    prefix_at: int | None = None


@dataclass
class ClauseParse:
    """What one clause says: units with roles, standing implementers, rule and deadline."""

    items: list[Item] = field(default_factory=list)
    implementers: list[Item] = field(default_factory=list)
    standing: list[Item] = field(default_factory=list)
    same_as_above: bool = False
    lead_rule: tuple[int, int] | None = None
    deadline: tuple[int, int] | None = None
    #: Text of the clause that is neither a unit, a cue, a rule nor a deadline.
    leftover: list[tuple[int, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.items or self.implementers or self.standing or self.same_as_above)

    @property
    def unknown(self) -> list[Item]:
        """Units kept by their position although their form is not in the vocabulary."""
        return [it for it in self.items + self.implementers + self.standing if not it.known]

    @property
    def confident(self) -> bool:
        """Whether the text reads as a responsibility clause at all.

        A role cue next to a known unit, a standing clause, 同上, or a plain list of known
        units with nothing else in it.
        """
        if self.standing or self.same_as_above:
            return True
        units = self.items + self.implementers
        if any(it.cued and (it.known or it.labelled) for it in units):
            return True
        return bool(units) and all(it.known for it in units) and not self.leftover


@dataclass(frozen=True)
class _Cues:
    labels: tuple[tuple[str, str], ...]
    verbs: tuple[tuple[str, str], ...]
    connectors: tuple[str, ...]
    tails: tuple[str, ...]
    predicates: tuple[str, ...]
    never_in_name: tuple[str, ...]
    label_rx: re.Pattern


def _longest_first(words) -> list[str]:
    return sorted(set(words), key=lambda w: (-len(w), w))


@cache
def cues() -> _Cues:
    """The cue words of ``ontology/responsibility_cues.ttl``, grouped by kind, longest first."""
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for c in responsibility_cues():
        kind = str(c.flags.get("cueKind", ""))
        role = str(c.flags.get("clauseRole", ""))
        by_kind.setdefault(kind, []).extend((cue, role) for cue in c.cues)
    labels = tuple(sorted(by_kind.get("label", []), key=lambda p: (-len(p[0]), p[0])))
    verbs = tuple(sorted(by_kind.get("verb", []), key=lambda p: (-len(p[0]), p[0])))
    words = "|".join(re.escape(w) for w, _ in labels)
    # 责任单位：, 【责任单位】, and at a line's start 责任单位 followed by a space
    label_rx = re.compile(
        rf"(?:{words})[ \t\u3000]*[：:]|[【\[〔［](?:{words})[】\]〕］][ \t\u3000]*[：:]?"
        rf"|^(?:{words})[ \t\u3000]+(?=\S)"
    )
    return _Cues(
        labels=labels,
        verbs=verbs,
        connectors=tuple(_longest_first(w for w, _ in by_kind.get("connector", []))),
        tails=tuple(_longest_first(w for w, _ in by_kind.get("tail", []))),
        predicates=tuple(_longest_first(w for w, _ in by_kind.get("predicate", []))),
        never_in_name=tuple(_longest_first(w for w, _ in by_kind.get("not_in_name", []))),
        label_rx=label_rx,
    )


# ---------------------------------------------------------------------------------------
# splitting


def _matched(text: str, start: int, end: int) -> set[int]:
    """Offsets of the brackets in ``text[start:end]`` that have a partner.

    A bracket left open (``皖发〔2022`` with its 〕 lost) or a stray closer is text, not a
    group: it must not swallow the rest of the clause.
    """
    pairs, _ = _pairs_of(text, start, end)
    return {x for p in pairs for x in p}


def _pairs_of(text: str, start: int, end: int):
    """Matched bracket pairs of ``text[start:end]`` (see :func:`_matched`) and the openers
    left open."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    # Only brackets matter: jump from one to the next (most of a plan's text has none).
    for m in _ANY_BRACKET.finditer(text, start, end):
        i, c = m.start(), m.group()
        if c in _OPEN:
            stack.append(i)
        else:
            fam = _FAMILY[c]
            for j in range(len(stack) - 1, -1, -1):
                if _FAMILY[text[stack[j]]] == fam:
                    pairs.append((stack[j], i))
                    del stack[j:]
                    break
    return pairs, stack


_ANY_BRACKET = re.compile("[" + re.escape("".join(sorted(_OPEN | _CLOSE))) + "]")


def _split_top(text: str, start: int, end: int, seps: str) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` on any char of ``seps`` outside (matched) brackets."""
    chunk = text[start:end]
    if not any(c in chunk for c in seps):
        a, b = _strip(text, start, end)
        return [(a, b)] if b > a else []
    parts, depth, s = [], 0, start
    paired = _matched(text, start, end)
    for k, c in enumerate(chunk):
        i = start + k
        if c in _OPEN and i in paired:
            depth += 1
        elif c in _CLOSE and i in paired:
            depth = max(depth - 1, 0)
        elif c in seps and depth == 0:
            parts.append((s, i))
            s = i + 1
    parts.append((s, end))
    return [(a, b) for a, b in (_strip(text, a, b) for a, b in parts) if b > a]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _STRIP:
        a += 1
    while b > a and text[b - 1] in _STRIP:
        b -= 1
    return a, b


def _conj_cut(text, a, b, conj, lex) -> list[tuple[int, int]]:
    """Cut ``A和B`` into two names when A is a whole unit name and B is one too."""
    depth = 0
    i = a
    while i < b:
        c = text[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and text.startswith(conj, i):
            left = text[a:i]
            right = text[i + len(conj) : b]
            left = _peel_tail(left)
            if (lex.head(left) or lex.whole_name(left)) and right and _unit_or_cued(right, lex):
                return [(a, i)] + _conj_cut(text, i + len(conj), b, conj, lex)
        i += 1
    return [(a, b)]


def _unit_or_cued(s: str, lex) -> bool:
    core = _peel_verb(s)[0]
    core = _peel_tail(core)
    return lex.is_unit(core) or "、" in s


@cache
def _by_length(kind: str) -> tuple[tuple[int, dict[str, str]], ...]:
    """The cue words of ``kind`` (``verbs`` or ``tails``) as (length, {word: role}), longest
    first: which word a string ends with is then one dictionary look-up per length, not one
    ``endswith`` per word (the peels run on every list piece of every clause)."""
    pairs = cues().verbs if kind == "verbs" else [(w, "") for w in cues().tails]
    table: dict[int, dict[str, str]] = {}
    for w, role in pairs:
        table.setdefault(len(w), {}).setdefault(w, role)  # the first listed wins, as before
    return tuple(sorted(table.items(), reverse=True))


def _peel_verb(s: str) -> tuple[str, str | None]:
    """``s`` without the longest role verb it ends with (and more), and that verb's role."""
    n = len(s)
    for k, words in _by_length("verbs"):
        if n > k and s[n - k :] in words:
            return s[: n - k], words[s[n - k :]]
    return s, None


def _peel_tail(s: str) -> str:
    """Drop an 等 tail and an adverb (分别, 共同) from the end of a list piece."""
    tails = _by_length("tails")
    changed = True
    while changed:
        changed = False
        n = len(s)
        for k, words in tails:
            if n > k and s[n - k :] in words:
                s = s[: n - k]
                changed = True
                break
    return s


def _pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """List pieces of ``text[a:b]``: split on separators, then on 和/及/与 between names."""
    lex = lexicon()
    out = []
    for pa, pb in _split_top(text, a, b, _LIST_SEPS):
        pieces = [(pa, pb)]
        for conj in _CONJUNCTIONS:
            if text.find(conj, pa, pb) != -1:
                pieces = [p for x in pieces for p in _conj_cut(text, x[0], x[1], conj, lex)]
        out.extend(pieces)
    return _merge_collectives(text, _join_broken(text, out, lex), lex)


def _join_broken(text, pieces, lex) -> list[tuple[int, int]]:
    """``自治 区农牧厅``: a name broken by a stray space is one name again.

    Two pieces apart by white space only are joined when the left one is no unit and the
    two read as one unit without the space.
    """
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        if out:
            pa, pb = out[-1]
            gap = text[pb:a]
            if gap and not gap.strip() and "\n" not in gap:
                left = text[pa:pb]
                joined = left + _peel_tail(_peel_verb(text[a:b])[0])
                if not lex.is_unit(left) and lex.is_unit(joined) and len(left) <= 6:
                    out[-1] = (pa, b)
                    continue
        out.append((a, b))
    return out


def _merge_collectives(text, pieces, lex) -> list[tuple[int, int]]:
    """``各市、州、直管市及神农架林区人民政府`` and ``各乡镇场、街道`` are one collective unit each.

    A piece that opens a collective with place words only (各市, 各乡镇场) takes the pieces
    after it that are place words too, joined by 、, up to the first one with a head noun.
    """
    out: list[tuple[int, int]] = []
    i, n = 0, len(pieces)
    while i < n:
        a, b = pieces[i]
        name = text[a:b]
        rest = lex.collective_rest(name)
        if rest is None or rest != len(name) or lex.head(name):
            out.append((a, b))
            i += 1
            continue
        j, end_b = i + 1, b
        while j < n and j - i <= 6:
            na, nb = pieces[j]
            if text[end_b:na].strip(" \u3000") != "、":
                break
            nxt = text[na:nb]
            if len(nxt) > 20 or lex.collective_rest(nxt) is not None:
                break  # 各地区、各有关部门: a second collective starts
            core = _peel_tail(_peel_verb(nxt)[0])
            merged = text[a:na] + core
            if lex.is_collective(merged) and lex.head(merged):
                end_b, j = nb, j + 1
                break
            if lex.collective_rest(_EACH + core) != len(core) + len(_EACH):
                break
            end_b, j = nb, j + 1
        out.append((a, end_b))
        i = j
    return out


# ---------------------------------------------------------------------------------------
# reading one clause


@dataclass
class _State:
    stated: bool = False
    prefix: str | None = None
    prefix_at: int | None = None
    lead_known: bool = False
    first_done: bool = False


def _has_any(s: str, words) -> bool:
    return any(w in s for w in words)


def _classify(text: str, a: int, b: int) -> tuple[Item | None, str]:
    """An item for ``text[a:b]`` and what it is: ``unit``, ``candidate``, ``time`` or ``prose``."""
    lex = lexicon()
    c = cues()
    name = re.sub(r"\s+", "", text[a:b])  # a stray space inside a name is no part of it
    if not name:
        return None, "empty"
    if _TIME.match(name):
        return None, "time"
    if _has_any(name, c.never_in_name):
        return None, "prose"
    if lex.is_unit(name):
        return Item(name, a, b), "unit"
    if (
        2 <= len(name) <= 25
        and not _has_any(name, c.predicates)
        and not re.search(r"[0-9０-９%％“”\"《》]", name)
    ):
        return Item(name, a, b, known=False), "candidate"
    return None, "prose"


def _marks_and_notes(clause: str, res: ClauseParse) -> tuple[str, set[int]]:
    """Blank nested notes of ``clause`` (（牵头）, a stated lead rule, 下同, a deadline).

    Returns the clause with those notes replaced by spaces (same length, so offsets hold) and
    the offsets where a 牵头 mark begins (the unit ending there leads); offsets are the
    clause's own.
    """
    chars = list(clause)
    marks: set[int] = set()
    stack: list[int] = []
    for i, ch in enumerate(clause):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            o = stack.pop()
            inner = clause[o + 1 : i].strip()
            blank = False
            if inner in _LEAD_MARKS:
                marks.add(o)
                blank = True
            elif _LEAD_RULE.search(inner) or inner in _SAME_BELOW:
                m = _LEAD_RULE.search(inner)
                if m:
                    k = o + 1 + clause[o + 1 : i].find(m.group())
                    res.lead_rule = (k, k + len(m.group()))
                blank = True
            elif _DEADLINE_LABEL.match(inner) or (inner and _TIME.match(inner)):
                res.deadline = res.deadline or (o + 1, i)
                blank = True
            if blank:
                chars[o : i + 1] = " " * (i + 1 - o)
    # Lead rules and 下同 outside brackets.
    for m in _LEAD_RULE.finditer("".join(chars)):
        res.lead_rule = (m.start(), m.end())
        chars[m.start() : m.end()] = " " * (m.end() - m.start())
    for m in _SAME_RULE_FREE.finditer("".join(chars)):
        chars[m.start() : m.end()] = " " * (m.end() - m.start())
    blanked = "".join(chars)
    for m in _DEADLINE_LABEL.finditer(blanked):
        stop = m.end()
        while stop < len(blanked) and blanked[stop] not in "，,；;。\n":
            stop += 1
        res.deadline = res.deadline or (m.end(), stop)
        chars[m.start() : stop] = " " * (stop - m.start())
    return "".join(chars), marks


def parse_clause(text: str, start: int, end: int) -> ClauseParse:
    """Parse the inside of a clause (``text[start:end]``) into roles.

    The clause is read as a string of its own, with its notes blanked, and every offset of
    the result is moved back into ``text`` at the end. The reading depends on the clause's
    characters only, so it is cached by them (:func:`_parse_own`): the segmenter parses every
    clause it finds and the responsibility component parses the same clauses again, and
    plans repeat clauses (``市商务局牵头``) from measure to measure. Each call gets its own
    copy, which callers may change. A clause longer than any responsibility statement (a
    bracketed paragraph) is parsed without the cache, which then holds a few megabytes at most.
    """
    clause = text[start:end]
    parse = _parse_own if len(clause) <= _CACHED_CLAUSE_MAX else _parse_own.__wrapped__
    return _shifted_copy(parse(clause), start)


#: The longest clause :func:`parse_clause` keeps in its cache (characters).
_CACHED_CLAUSE_MAX = 500


@lru_cache(maxsize=4096)
def _parse_own(clause: str) -> ClauseParse:
    """:func:`parse_clause` of ``clause`` alone, offsets its own (never handed out: copied)."""
    res = ClauseParse()
    clause, marks = _marks_and_notes(clause, res)
    # A clause that states its lead rule is a responsibility clause: its lists are units.
    state = _State(stated=res.lead_rule is not None)
    for a, b in _split_top(clause, 0, len(clause), _SENTENCE_SEPS):
        _read_sentence(clause, a, b, res, state, marks)
    _finish(res)
    return res


def _shifted_copy(res: ClauseParse, by: int) -> ClauseParse:
    """A copy of ``res`` (new items) with every offset moved by ``by``, from the clause's
    own to the text's."""

    def moved(it: Item) -> Item:
        # every field copied as it is (a field added later too), then the offsets moved;
        # dataclasses.replace would re-run __init__ with keywords, several times slower
        new = object.__new__(Item)
        new.__dict__.update(it.__dict__)
        new.start, new.end = it.start + by, it.end + by
        if it.prefix_at is not None:
            new.prefix_at = it.prefix_at + by
        return new

    def span(r: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if r is None else (r[0] + by, r[1] + by)

    return ClauseParse(
        items=[moved(it) for it in res.items],
        implementers=[moved(it) for it in res.implementers],
        standing=[moved(it) for it in res.standing],
        same_as_above=res.same_as_above,
        lead_rule=span(res.lead_rule),
        deadline=span(res.deadline),
        leftover=[(a + by, b + by) for a, b in res.leftover],
    )


def _read_sentence(text, a: int, b: int, res: ClauseParse, state: _State, marks) -> None:
    seg = text[a:b].strip(_STRIP)
    if not seg:
        return
    if _SAME.match(seg):
        res.same_as_above = True
        return
    if _SAME_RULE.match(seg):
        return
    m = _STANDING.match(seg)
    if m:
        off = a + text[a:b].find(seg)
        ua, ub = off + m.start("units"), off + m.end("units")
        items = _read_list(text, ua, ub, "implementer", state, marks, res, cued=True)
        if items:
            res.standing.extend(items)
            return
    c = cues()
    labels = list(c.label_rx.finditer(text[a:b]))
    # Sections: text before the first label, then each label's list up to the next label.
    sections: list[tuple[int, int, str | None]] = []
    if not labels or labels[0].start() > 0:
        sections.append((a, a + labels[0].start() if labels else b, None))
    for k, lm in enumerate(labels):
        word = re.sub(r"[ \t\u3000：:【】\[\]〔〕［］]", "", lm.group())
        role = next(r for w, r in c.labels if w == word)
        stop = a + labels[k + 1].start() if k + 1 < len(labels) else b
        sections.append((a + lm.end(), stop, role))
    for sa, sb, role in sections:
        items = _read_list(
            text, sa, sb, role, state, marks, res, cued=role is not None or state.stated
        )
        for it in items:
            if it.role == "implementer":
                res.implementers.append(it)
            else:
                res.items.append(it)


def _read_list(text, a, b, label_role, state, marks, res, cued) -> list[Item]:
    """Read the units of one list with the roles their cues give."""
    lex = lexicon()
    c = cues()
    out: list[Item] = []
    pending: list[Item] = []
    pending_cands: list[Item] = []

    def close(role: str | None, by_cue: bool) -> None:
        nonlocal pending, pending_cands
        keep = [
            it for it in pending if it.known or by_cue or cued
        ]
        dropped = [it for it in pending if it not in keep]
        for it in dropped:
            res.leftover.append((it.start, it.end))
        if keep:
            _assign(keep, role or label_role or "responsible", state, by_cue or cued)
            for it in keep:
                it.labelled = label_role is not None
            out.extend(keep)
        pending, pending_cands = [], []

    for pa, pb in _pieces(text, a, b):
        # A connector inside the piece: 市商务局会同市财政局 → the left list leads.
        conn = None
        for w in c.connectors:
            k = text.find(w, pa, pb)
            if k > pa and lex.is_unit(_peel_tail(text[pa:k].lstrip(_BY))):
                conn = (k, k + len(w))
                break
        if conn:
            left_a, left_b = pa, conn[0]
            if text.startswith(_BY, left_a):
                left_a += len(_BY)
            la, lb = _strip(text, left_a, left_b)
            lb = la + len(_peel_tail(text[la:lb]))
            it, kind = _classify(text, la, lb)
            if it:
                pending.append(it)
            close("lead", True)
            pa = conn[1]
        core_a, core_b = pa, pb
        if text.startswith(_BY, core_a) and core_b - core_a > 2:
            core_a += len(_BY)
        piece = text[core_a:core_b]
        core, verb_role = _peel_verb(piece)
        core_b = core_a + len(core)
        tailed = _peel_tail(core)
        core_b = core_a + len(tailed)
        core_a, core_b = _strip(text, core_a, core_b)
        it, kind = _classify(text, core_a, core_b)
        if it is not None:
            it.marked_lead = any(core_b <= mk <= core_b + 1 for mk in marks)
            pending.append(it)
        elif kind == "time":
            res.deadline = res.deadline or (core_a, core_b)
        elif kind == "prose":
            res.leftover.append((core_a, core_b))
        if verb_role:
            close(verb_role, True)
    close(None, False)
    if out:
        _share_heads(out, lex)
        _restore_prefixes(out, lex, state)
    return out


def _assign(items: list[Item], role: str, state: _State, by_cue: bool) -> None:
    for it in items:
        it.cued = it.cued or by_cue or it.marked_lead
    if role == "lead":
        for it in items:
            it.role = "lead"
        state.lead_known = True
    elif role == "participant":
        for it in items:
            it.role = "participant"
    elif role == "implementer":
        for it in items:
            it.role = "implementer"
    else:  # responsible, or a plain list: the first unit leads unless a lead is known
        for i, it in enumerate(items):
            lead = i == 0 and not state.lead_known and not state.first_done
            it.role = "lead" if lead else "participant"
        state.first_done = True


def _finish(res: ClauseParse) -> None:
    # A unit marked （牵头） leads, whatever its position.
    if any(it.marked_lead for it in res.items):
        for it in res.items:
            it.role = "lead" if it.marked_lead else (
                "participant" if it.role == "lead" and not it.marked_lead else it.role
            )
    # Units a standing clause makes implementers are not also listed as responsible.
    standing_names = {u.name for u in res.standing} | {u.name for u in res.implementers}
    if standing_names:
        res.items = [it for it in res.items if it.name not in standing_names]
    if res.items and not any(it.role == "lead" for it in res.items):
        res.items[0].role = "lead"
    # One unit named twice in a clause is one responsibility.
    seen: set[str] = set()
    kept = []
    for it in res.items:
        if it.name not in seen:
            kept.append(it)
            seen.add(it.name)
    res.items = kept


def split_units(text: str, start: int, end: int, prefix: str | None = None) -> list[Item] | None:
    """The units of a list (a table cell, a clause's list), or None when it names none.

    ``prefix`` is the level prefix in force before this list, used to restore an elided
    prefix on the list's first items. Pieces that are not known unit forms are kept (the
    caller says the text is a list of units), marked ``known=False``.
    """
    res = ClauseParse()
    state = _State(prefix=prefix)
    items = _read_list(text, start, end, None, state, set(), res, cued=True)
    return items or None


def _share_heads(items: list[Item], lex) -> None:
    """``A、B、C管理委员会`` names three committees: give A and B the head of C.

    The head is shared backwards over the items that have the same form as what is left of
    the last item without its head (here three zones: 示范区, 开发区, 开发区).
    """
    for i, it in enumerate(items):
        h = lex.head(it.name)
        if not (h and h.shared) or lex.collective_rest(it.name) is not None:
            continue
        base = it.name[: -len(h.head)]
        base_head = lex.head(base)
        base_form = base_head.form if base_head else None
        j = i - 1
        while j >= 0:
            other = lex.head(items[j].name)
            same_form = (other.form if other else None) == base_form
            if (
                items[j].name.endswith(h.head)
                or not (same_form or not lex.is_unit(items[j].name))
                or lex.collective_rest(items[j].name) is not None
            ):
                break
            items[j].name = items[j].name + h.head
            items[j].known = True
            j -= 1


def _restore_prefixes(items: list[Item], lex, state: _State) -> None:
    """Give an item without a level the level prefix of the unit before it in the clause."""
    prefix, prefix_at = state.prefix, state.prefix_at
    for it in items:
        m = LEVEL_PREFIX.match(it.name)
        if m and lex.has_level(it.name):
            prefix, prefix_at = m.group(1), it.start
            continue
        if prefix is None or lex.has_level(it.name) or not it.known:
            continue
        h = lex.head(it.name)
        if h is None or not h.takes_prefix:
            continue
        if _contains_place(it.name):
            continue
        it.name = prefix + it.name
        it.restored_prefix = prefix
        it.prefix_at = prefix_at
    state.prefix, state.prefix_at = prefix, prefix_at


def _contains_place(name: str) -> bool:
    """Whether a unit name names a place (人行三门峡市分行, 财政部宁波监管局): such units are
    branches of higher authorities and never take the list's elided level prefix."""
    from graph_builder.normalize.places import gazetteer

    g = gazetteer()
    return any(True for _ in g.find(name)) or any(True for _ in g.find(name, short=True))


# ---------------------------------------------------------------------------------------
# finding clauses in a text


def _label_open() -> re.Pattern:
    """Where a labelled run starts: 责任单位：…, 【责任单位】…, or 责任单位 … at a line's start."""
    words = "|".join(re.escape(w) for w, _ in cues().labels if len(w) >= 3)
    return re.compile(
        r"(?m)(?:^|(?<=[。；;]))[ \t\u3000]*(?:[（(〔【\[][ \t\u3000]*)?(?P<label>" + words
        + r")(?:[ \t\u3000]*[：:]|[】\]〕][ \t\u3000]*[：:]?|[ \t\u3000]+(?=\S))"
    )


# The line's text starts with a non-space: otherwise the leading spaces and the text trade
# characters, and a line of spaces takes cubic time.
_CLAUSE_LINE = re.compile(
    r"(?m)^[ \t\u3000]*([^\n（(〔【 \t\u3000][^\n（(〔【]{1,199}?)[。]?[ \t\u3000]*$"
)


@cache
def _cue_words() -> re.Pattern:
    """Any role label or verb, or 以下 (a standing clause): a line without one is no clause."""
    c = cues()
    words = sorted(
        {w for w, _ in c.labels} | {w for w, _ in c.verbs} | set(_STANDING_OPENERS), key=len
    )
    return re.compile("|".join(map(re.escape, reversed(words))))


def _groups(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Outermost bracket groups of ``text[start:end]`` per paragraph: (open, close+1, closed).

    A closer closes the nearest opener of its family, so a bracket of another kind left open
    inside does not shift the pairing. An opener never closed before the paragraph ends gives
    a group running to the paragraph end (``。（责任单位：市商务局`` when the closing bracket
    is missing or the text was cut).
    """
    out: list[tuple[int, int, bool]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        pairs, left = _pairs_of(text, pos, stop)
        outer: list[tuple[int, int]] = []
        for o, c in sorted(pairs):
            if outer and o < outer[-1][1]:
                continue
            outer.append((o, c))
        out.extend((o, c + 1, True) for o, c in outer)
        # The first opener left open that no closed group contains runs to the line's end.
        for o in left:
            if not any(a <= o <= b for a, b in outer):
                e = stop
                while e > o and text[e - 1] in " \t\r\u3000":
                    e -= 1
                if not any(a > o for a, _ in outer):
                    out.append((o, e, False))
                break
        pos = stop + 1
    return sorted(out)


def _is_alias(text: str, a: int, b: int, res: ClauseParse) -> bool:
    """``县数字经济发展局〔县经信局〕、县商务局``: a bracketed single name right after a unit
    name, with the list going on after it, is the unit's alias, not a clause of its own."""
    if len(res.items) != 1 or res.items[0].cued or res.standing or res.implementers:
        return False
    if b < len(text) and text[b] not in "、，,；;）)〕】]":
        return False
    before = text[max(0, a - 20) : a]
    lex = lexicon()
    return any(lex.head(before[k:]) for k in range(len(before) - 1))


def find_clauses(text: str, start: int, end: int) -> list[Clause]:
    """Responsibility clauses in ``text[start:end]`` (whole clause and the part read as units).

    A clause is a bracket group of any bracket pair whose content reads as a responsibility
    statement (:attr:`ClauseParse.confident`); a labelled run (``责任单位：…``) outside
    brackets, up to the end of its sentence or line; or a whole line, or the last sentence of
    a paragraph, that is a responsibility statement with nothing else in it.
    """
    found: list[Clause] = []
    for a, b, closed in _groups(text, start, end):
        inner_a, inner_b = a + 1, (b - 1 if closed else b)
        if inner_b <= inner_a:
            continue
        res = parse_clause(text, inner_a, inner_b)
        if res.confident and not _is_alias(text, a, b, res):
            found.append(Clause(a, b, inner_a, inner_b))
    taken = sorted((a, b) for a, b, _, _ in found)

    def free(a: int, b: int) -> bool:
        k = bisect_right(taken, (a, len(text) + 1)) - 1
        if k >= 0 and a < taken[k][1]:
            return False
        k2 = bisect_right(taken, (b, len(text) + 1)) - 1
        return not (k2 >= 0 and taken[k2][0] < b and taken[k2][1] > a)

    # A labelled run outside brackets: 责任单位：A、B。 / 牵头单位：A；配合单位：B
    for m in _label_open().finditer(text, start, end):
        a = m.start("label")
        if text[a - 1 : a] in "【[〔［" and text[m.end("label") : m.end("label") + 1] in "】]〕］":
            a -= 1  # 【责任单位】: the bracketed label belongs to the run
        if not free(a, a + 1):
            continue
        line_end = text.find("\n", a)
        line_end = end if line_end == -1 or line_end > end else line_end
        stop = line_end
        depth = 0
        for i in range(m.end(), line_end):
            ch = text[i]
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                if depth == 0:
                    stop = i  # the clause's own closing bracket, the opener left in prose
                    break
                depth -= 1
            elif ch == "。" and depth == 0:
                stop = i
                break
        a, b = _strip(text, a, stop)
        if b <= a or not free(a, b):
            continue
        res = parse_clause(text, a, b)
        if res.confident:
            found.append(Clause(a, b, a, b))
            insort(taken, (a, b))
    # A whole line, or the last sentence of a paragraph, that is a responsibility statement.
    cue_rx = _cue_words()
    for m in _CLAUSE_LINE.finditer(text, start, end):
        line_a, line_b = _strip(text, m.start(1), m.end(1))
        if line_b <= line_a or not cue_rx.search(text, line_a, line_b):
            continue  # such a statement needs a role cue (or a standing clause's 以下)
        cands = [(line_a, line_b)]
        last = max(text.rfind("。", line_a, line_b - 1), text.rfind("；", line_a, line_b - 1))
        if last > line_a:
            cands.append(_strip(text, last + 1, line_b))
        for a, b in cands:
            if b - a < 3 or not free(a, b):
                continue
            res = parse_clause(text, a, b)
            if (
                res.confident
                and not res.leftover
                and not res.unknown
                and any(it.cued for it in res.items + res.implementers)
                or res.standing
            ):
                found.append(Clause(a, b, a, b))
                insort(taken, (a, b))
                break
    return sorted(found)
