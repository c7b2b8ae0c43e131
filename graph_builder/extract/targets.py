"""Quantitative targets: what a plan promises to reach, in numbers, and by when.

A target is a quantity (see :mod:`graph_builder.extract.quantities`) with a unit that counts
something (家, 场, 万人次, %, 亿元 …) in a clause that states a result: ``新增城镇就业超20万人``,
``全年开展…活动500场以上``, ``不低于55%的彩票公益金用于…``. Numbers that only qualify who is
eligible, standards a payment follows, the price parameters of a subsidy, codes, ordinals,
dates and counts inside names are left out (:mod:`graph_builder.extract.number_roles`).

The year is the year written in the same sentence (``2025年，…``, ``到2025年底``); words for
the plan's own year (全年, 年底, from ``ontology/quantities.ttl``) give the plan year; a
sentence that opens with 同时 or 其中 continues the previous one and keeps its year; otherwise
the year is None. Each item of a 、-list is its own target with its own text
(``创建1条步行街、1个商业街区``); a ``分别`` list (``分别增长10%、8%``) keeps the whole clause.
"""

from __future__ import annotations

import re

from graph_builder import lexicon as lx
from graph_builder.extract.clauses import (
    clauses,
    item_groups,
    quoted_ranges,
    sentences,
    strip_bracket_tail,
)
from graph_builder.extract.instruments import priced_numbers
from graph_builder.extract.number_roles import (
    in_standard_frame,
    inside,
    is_code_or_ordinal,
    is_condition,
    is_name_count,
    is_permission,
    is_project_size,
    is_scope_count,
)
from graph_builder.extract.promise_spans import PromiseSpan
from graph_builder.extract.quantities import Quantity, find_quantities, grammar
from graph_builder.model import Span, Target

__all__ = ["find_targets", "read_targets", "indicator_of"]


_alt = lx.quantity_pattern


_YEAR = re.compile(r"(?<![\d])(20\d\d)\s*" + lx.YEAR)
_BASELINE = re.compile(_alt("baseline_marker") + r"\s*$")
#: 提高到, 调整至 …: a level raised to, which a per-head rate may follow (``提高到每人``).
_PROMOTED_VERB = re.compile(_alt("raise_verb") + _alt("raise_to"))
#: A rate per head before a sum: ``每年每人不超过``. Only the last 每 item has to be tested —
#: ``(?:每X{1,3})+$`` holds exactly when ``每X{1,3}$`` does — and writing the repeat out made
#: the pattern backtrack exponentially on a run of 每 (每 is both an item's head and a
#: filler of the item before it; issue 13).
_PER_WORDS = lx.quantity_words("per_marker")
_PER = _alt("per_marker")
_DE = lx.quantity_words("attributive")[0]
_PER_BEFORE = re.compile(_PER + r"[^\d，、；]{1,3}?" + _alt("cap_word") + r"?\s*$")
_LIMIT_BEFORE = re.compile(_PER + r"[^\d，、；]{1,4}?" + _alt("limit_word") + r"[^\d，、；]{0,2}$")
_LEAD = re.compile(
    "^(?:(?:" + _alt("target_opener")
    + rf"|[0-9]{{4}}{lx.YEAR}" + _alt("year_part") + "?" + _alt("by_time") + "?"
    + r"|，|,|\s)+)"
)
_PER_FILLER_STOP = "，、"
#: 分别: a list of subjects sharing one indicator, each with its number.
_RESPECTIVELY = lx.quantity_words("respectively")[0]
_RESPECTIVE_VERB = re.compile(_alt("respective_verb") + "$")
_NO_NUMERAL = re.compile(rf"[^\d０-９{lx.CN_DIGITS}{lx.CN_TEN}{lx.CN_TWO}]*")
#: Comparators after a target's number, cut from the name made of the clause.
_TAIL_CUT = re.compile("^" + _alt("indicator_tail"))
#: Comparators and goal verbs between an indicator's name and its number (``qt:indicator_trail``).
_TRAIL_WORDS = lx.quantity_words("indicator_trail")


# ---------------------------------------------------------------------------------------
# tails of a clause head, read right to left in linear time
#
# Patterns such as ``(?:每[^\d，、]{1,2})+$`` or ``(?:达到|达|…)+$`` say "the text ends with a
# string of these items". Searched forwards they backtrack: exponentially when an item's
# filler can also start an item (每每每…), quadratically on long runs. The same question is
# answered here by one pass from the right: ``ok[i]`` is whether ``s[i:]`` is such a string.


def _ends_from(s: str, steps, rest_from: int, span: int) -> list[bool]:
    """``ok[i]``: ``s[i:]`` is items (each item from ``i`` ends at one of ``steps(s, i)``,
    at most ``span`` characters on) followed by a rest that starts at or after
    ``rest_from`` (the rest is any text from there: ``ok[i]`` for every ``i >= rest_from``).

    ``ok[i]`` depends only on ``ok[i + 1 : i + span + 1]``: once ``span`` positions in a row
    are not ok, none before them is, and the pass stops. A head is read only as far back as
    its tail of items reaches, not along its whole length (every target's head was)."""
    n = len(s)
    ok = [False] * (n + 1)
    ok[rest_from:] = [True] * (n + 1 - rest_from)
    misses = 0
    for i in range(rest_from - 1, -1, -1):
        if any(ok[j] for j in steps(s, i)):
            ok[i], misses = True, 0
        else:
            misses += 1
            if misses >= span:
                break
    return ok


def _per_item_ends(s: str, i: int) -> list[int]:
    """Where a ``每`` item starting at ``i`` may end: 每 and one or two fillers."""
    if s[i] not in _PER_WORDS:
        return []
    out = []
    for j in (i + 2, i + 3):
        if j <= len(s) and not any(c.isdecimal() or c in _PER_FILLER_STOP for c in s[i + 1 : j]):
            out.append(j)
    return out


def _trail_word_ends(s: str, i: int) -> list[int]:
    return [i + len(w) for w in _TRAIL_WORDS if s.startswith(w, i)]


#: The longest 每 item: 每 and two fillers (:func:`_per_item_ends`).
_PER_ITEM_SPAN = 3


def _strip_items(s: str, steps, span: int) -> str:
    """``s`` without its longest tail made of one or more items."""
    ok = _ends_from(s, steps, len(s), span)
    return s[: ok.index(True)]  # ok[len(s)] holds: no such tail leaves s as it is


def _strip_per_items(s: str) -> str:
    r"""``re.sub(r"(?:每[^\d，、]{1,2})+$", "", s)`` in linear time: 每年每人 off a head."""
    return _strip_items(s, _per_item_ends, _PER_ITEM_SPAN)


def _strip_trail(s: str) -> str:
    """The head without its closing verbs (达到, 不低于, 累计 …)."""
    return _strip_items(s, _trail_word_ends, max(map(len, _TRAIL_WORDS)))


def _promoted(before: str) -> bool:
    """``before`` ends with 提高到/调整至 …, then 每 items and spaces (``提高到每人``): the
    number that follows is the level raised to, not a rate."""
    spaces = len(before.rstrip())  # where the closing spaces begin
    ok = _ends_from(before, _per_item_ends, spaces, _PER_ITEM_SPAN)
    return any(ok[m.end()] for m in _PROMOTED_VERB.finditer(before))


def _years(text: str, s0: int, s1: int, quoted) -> list[tuple[int, int]]:
    # 比2020年增长20%: a baseline year, not the year of the target
    return [
        (m.start(), int(m.group(1)))
        for m in _YEAR.finditer(text, s0, s1)
        if not inside(m.start(), quoted) and not _BASELINE.search(text[s0 : m.start()])
    ]


def _year_for(q: Quantity, years, plan_marker: bool, plan_year, inherited):
    if years:
        before = [y for pos, y in years if pos < q.num_start]
        return before[-1] if before else years[0][1]
    if plan_marker:
        return plan_year
    return inherited


def _accept(text: str, c0: int, c1: int, q: Quantity, quoted, priced) -> tuple[bool, str | None]:
    """Whether ``q`` is a target, and the comparator it is read with."""
    g = grammar()
    if not q.target_unit or inside(q.num_start, quoted):
        return False, None
    if is_code_or_ordinal(text, q) or is_condition(text, c0, c1, q):
        return False, None
    if in_standard_frame(text, c0, c1, q) or is_name_count(text, q):
        return False, None
    if is_scope_count(text, c0, q):
        return False, None
    if is_project_size(text, q) or is_permission(text, c0, q):
        return False, None
    before = text[c0 : q.start]
    if (
        q.chinese
        and q.num_end - q.num_start == 1
        and q.comparator_position != "prefix"
        and q.kind != "percent"
        and not q.multiplier
    ):
        # 新增五家 — but not 三项试点 after a list, nor 一次 of 调整一次
        # (两个百分点, 三万人 read as quantities wherever they stand)
        if not g.goal_verb_re.search(before):
            return False, None
    comparator = q.comparator
    if before.endswith(_DE) and comparator is None:
        # 价格的15%, 收益的50%: a share of something, unless a bound opens the phrase
        # (不低于上年度标准的1.3倍)
        lead = g.prefix_alt
        m = re.search(lead + r"[^，,；;、]*" + re.escape(_DE) + "$", before)
        if not m:
            return False, None
        word = re.match(lead, before[m.start() :]).group()
        comparator = g.prefix.get(word)
    if q.num_start in priced and not _promoted(before):
        return False, None
    if q.kind == "currency" and _PER_BEFORE.search(before) and not _promoted(before):
        return False, None  # 每年每人不超过800元: a rate per head, not a total to reach
    if _LIMIT_BEFORE.search(before):
        return False, None  # 每人每次限领1张: a limit on each person, a rule
    if q.unit in lx.quantity_words("frequency_unit") and any(w in before for w in _PER_WORDS):
        return False, None  # 每季度开展1次: a frequency
    return True, comparator


def _word(key: str) -> str:
    """The one word of ``quantities.ttl``'s concept ``key`` (a suffix or a unit ending)."""
    return lx.quantity_words(key)[0]


_NAMED = re.compile(_alt("indicator_noun") + "$")
_CHANGE = re.compile(_alt("change_verb") + "$")


def _suffix(name: str, unit: str, kind: str | None) -> str:
    """``name`` with the word of what its unit counts (``qt:indicator_name``), unless it
    says so already."""
    if _NAMED.search(name):
        return name
    if kind == "percent":
        if _CHANGE.search(name):
            grows = name.endswith(lx.quantity_words("growth_verb"))
            return name + _word("rate_suffix" if grows else "change_suffix")
        return name
    if kind == "people":
        if unit.endswith(lx.quantity_words("trips_unit")):
            return name + _word("trips_suffix")
        if unit.endswith(lx.quantity_words("household_unit")):
            return name + _word("households_suffix")
        return name + _word("people_suffix")
    if kind == "currency":
        return name + _word("amount_suffix")
    if kind in ("count", "measure"):
        if unit.endswith(lx.quantity_words("length_unit")):
            return name + _word("length_suffix")
        if unit.endswith(lx.quantity_words("session_unit")):
            return name + _word("sessions_suffix")
        return name + _word("count_suffix")
    return name


def indicator_of(group: str, q_text: str, unit: str, kind: str | None) -> str:
    """A name for what a target counts, made from its clause (``新增城镇就业超20万人`` →
    ``新增城镇就业人数``)."""
    pos = group.find(q_text)
    head = group[:pos] if pos >= 0 else group
    tail = group[pos + len(q_text) :] if pos >= 0 else ""
    head = _LEAD.sub("", head)
    head = _strip_trail(_strip_per_items(head))
    head = _strip_trail(head).strip(" ，,、")
    tail = _TAIL_CUT.sub("", tail).strip(" ，,、")
    tail = strip_bracket_tail(tail, "（(", "）)") if head else tail
    name = (head + tail) if tail else head
    return _suffix(name.strip() or group, unit, kind)


def _respective(clause: str, unit: str, kind: str | None) -> tuple[str, list[str]]:
    """The shared name of a 分别 list and its subjects (``餐饮业、住宿业营业额分别增长10%、5%``
    → ``餐饮业、住宿业营业额增长率``, [餐饮业, 住宿业营业额])."""
    at = clause.find(_RESPECTIVELY)
    head = _LEAD.sub("", clause[:at])
    verb = _NO_NUMERAL.match(clause[at + len(_RESPECTIVELY) :]).group()
    verb = _RESPECTIVE_VERB.sub("", verb)
    subjects = [s for s in head.split("、") if s]
    return _suffix(head + verb, unit, kind), subjects


def read_targets(text: str, region: PromiseSpan, plan_year: int | None) -> list[Target]:
    """The targets of one region of the plan."""
    g = grammar()
    out: list[Target] = []
    prev_year = None
    for s0, s1 in sentences(text, region.start, region.end):
        quoted = quoted_ranges(text, s0, s1)
        years = _years(text, s0, s1, quoted)
        sentence = text[s0:s1]
        plan_marker = bool(g.plan_year_re.search(sentence))
        inherited = prev_year if g.continuation_re.match(sentence) else None
        priced = priced_numbers(text, s0, s1)
        sentence_year = years[0][1] if years else (plan_year if plan_marker else inherited)
        for c0, c1 in clauses(text, s0, s1):
            accepted = []
            for q in find_quantities(text, c0, c1):
                ok, comparator = _accept(text, c0, c1, q, quoted, priced)
                year = _year_for(q, years, plan_marker, plan_year, inherited)
                if ok and plan_year and year and year < plan_year:
                    ok = False  # 2024年全市社零总额增长5%: a record of the past
                if ok:
                    accepted.append((q, comparator))
            if not accepted:
                continue
            respectively = _RESPECTIVELY in text[c0:c1]
            groups = (
                [(c0, c1)]
                if respectively
                else item_groups(text, c0, c1, [q.num_start for q, _ in accepted])
            )
            for k, (q, comparator) in enumerate(accepted):
                a, b = next(((x, y) for x, y in groups if x <= q.num_start < y), (c0, c1))
                group = text[a:b]
                name = indicator_of(group, text[q.start : q.end], q.unit, q.kind)
                if respectively:
                    name, subjects = _respective(text[c0:c1], q.unit, q.kind)
                    if len(subjects) == len(accepted):
                        name = f"{name}（{subjects[k]}）"
                out.append(
                    Target(
                        action=region.action,
                        measure_index=region.measure_index,
                        span=Span.of(text, a, b),
                        indicator=name,
                        value=q.value,
                        unit=q.unit,
                        comparator=comparator or (">=" if q.is_range else "="),
                        year=_year_for(q, years, plan_marker, plan_year, inherited),
                        value_span=Span.of(text, q.start, q.end),
                        value_max=q.value_max,
                    )
                )
        prev_year = sentence_year
    return out


def find_targets(text: str, regions: list[PromiseSpan], plan_year: int | None) -> list[Target]:
    """Every target of the given regions, in text order."""
    out: list[Target] = []
    for r in regions:
        out += read_targets(text, r, plan_year)
    return out
