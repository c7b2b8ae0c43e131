"""Numbers with their unit and comparator, as written in Chinese policy prose.

A quantity is a number (Arabic ``1.4``, full-width ``１５``, thousands ``1,000`` or Chinese
``二十``, ``两``), an optional 万/亿 kept in the unit (``7000万`` is value 7000, unit 万), a
unit from ``ontology/quantities.ttl`` (个, 家, %, 个百分点, 元 …), an optional range
(``10%-50%``, ``3000人至1万人``) and a comparator before (不少于, 超过, 突破) or after
(以上, 左右, 以内) the number. Whether a quantity is a *target* is decided elsewhere; this
module only reads what is written, with exact offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from graph_builder import lexicon as lx
from graph_builder.extract.memo import per_text
from graph_builder.segment.numerals import to_halfwidth
from graph_builder.vocab import quantities

__all__ = ["Quantity", "Grammar", "grammar", "find_quantities", "parse_number", "to_yuan"]

_CN_DIGITS = lx.CN_ZERO_ALT + lx.CN_ZERO + lx.CN_DIGITS + lx.CN_TWO
_CN_ALL = _CN_DIGITS + lx.CN_PLACES
_ARABIC = r"[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
_CHINESE = rf"[{_CN_DIGITS[2:]}{lx.CN_TEN}][{_CN_ALL}]*"  # never opens with 零/〇 (零售)
_NUMBER = re.compile(rf"(?P<ar>{_ARABIC})|(?P<cn>{_CHINESE})")
_MULT = re.compile("|".join(map(re.escape, lx.longest_first(lx.MAGNITUDES))))
#: 20-30, 20至30, 20到30: the dashes and the range words of ``qt:range_word``.
_RANGE = re.compile(r"\s*(?:[-－—–~～]|" + lx.alternation(lx.quantity_words("range_word")) + r")\s*")
_ALT_UNIT = re.compile(r"[（(]([^（()）]{1,2})[）)]")
_MULT_VALUE = {"": 1, **lx.MAGNITUDES}


@dataclass(frozen=True)
class Quantity:
    """One number as written: offsets, value, unit, comparator."""

    start: int  # first character of the number (or of a prefix comparator)
    end: int  # after the unit and any suffix comparator
    num_start: int
    num_end: int
    value: float
    unit: str  # 万/亿 kept: "万人次", "亿元"; "" when nothing follows
    kind: str | None  # unit kind from the ontology (count, percent, currency, …)
    target_unit: bool
    comparator: str | None  # >=, >, <=, ~ ; None when nothing is written
    comparator_text: str | None
    comparator_position: str | None  # prefix | suffix
    value_max: float | None = None
    chinese: bool = False
    multiplier: str = ""
    unit_end: int = 0  # end of the unit (before a suffix comparator)

    @property
    def is_range(self) -> bool:
        return self.value_max is not None


@lru_cache(maxsize=4096)  # cn2an is slow, and plans write the same few numbers again and again
def parse_number(s: str) -> float | None:
    """``"1,000"`` → 1000, ``"１．５"`` → 1.5, ``"二十"`` → 20, ``"两"`` → 2."""
    s = to_halfwidth(s).replace(",", "")
    try:
        return float(s)
    except ValueError:
        pass
    try:
        import cn2an

        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


class Grammar:
    """Units and comparators of ``ontology/quantities.ttl`` as longest-first patterns."""

    def __init__(self):
        scheme = quantities()
        self.units: dict[str, tuple[str, bool]] = {}
        self.prefix: dict[str, str] = {}
        self.suffix: dict[str, str] = {}
        self.infix: dict[str, str] = {}
        self.plan_year: tuple[str, ...] = ()
        self.continuation: tuple[str, ...] = ()
        self.per_nouns: tuple[str, ...] = ()
        #: 元 per unit of each currency word with a fixed value (元: 1); 美元 has none
        self.yuan_per_unit: dict[str, Decimal] = {}
        self.goal_verbs: tuple[str, ...] = ()
        for c in scheme:
            if c.broader == "unit":
                for cue in c.cues:
                    self.units[cue] = (c.flags.get("kind"), bool(c.flags.get("targetUnit")))
                    if c.flags.get("yuanPerUnit") is not None:
                        self.yuan_per_unit[cue] = Decimal(str(c.flags["yuanPerUnit"]))
            elif c.broader == "comparator":
                position = c.flags.get("cuePosition")
                table = {"prefix": self.prefix, "infix": self.infix}.get(position, self.suffix)
                for cue in c.cues:
                    table[cue] = c.flags["symbol"]
            elif c.key == "plan_year":
                self.plan_year = c.cues
            elif c.key == "continuation":
                self.continuation = c.cues
            elif c.key == "per_unit":
                self.per_nouns = c.cues
            elif c.key == "goal_verb":
                self.goal_verbs = c.cues
        self.unit_re = _alternation(self.units)
        self.suffix_re = _alternation(self.suffix)
        self.infix_re = _alternation(self.infix)
        self.prefix_alt = "(?:" + "|".join(_longest(self.prefix)) + ")"
        self.prefix_re = re.compile(self.prefix_alt + r"\s*$")
        self.plan_year_re = _alternation(self.plan_year)
        self.continuation_re = re.compile("^(?:" + "|".join(_longest(self.continuation)) + ")")
        self.goal_verb_re = re.compile("(?:" + "|".join(_longest(self.goal_verbs)) + r")\s*$")
        counters = {u for u, (kind, _) in self.units.items() if kind in ("count", "people")}
        nouns = "|".join(_longest(set(self.per_nouns) | counters))
        #: 每件, 每生每年, 单台, 单个主体, 元/年/孩 (单位 is not 单+位)
        single = scheme["single"]
        self.per_re = re.compile(
            "(?:" + lx.alternation(lx.quantity_words("per_marker")) + "|"
            + lx.alternation(single.cues)
            + "(?!" + "|".join(re.escape(n[len(single.cues[0]) :]) for n in single.negative_cues) + ")"
            + ")" + lx.alternation(lx.quantity_words("per_classifier")) + f"?({nouns})|/({nouns})"
        )


def to_yuan(value: float | None, unit: str | None) -> float | None:
    """``value`` written in ``unit`` as an amount in 元: (2, "万元") → 20000, (1.6, "亿元") →
    160000000, (500, "元") → 500. None for a unit that is not a currency with a fixed value in
    元 (美元, 人, an empty unit). Computed in decimal, so 0.35万元 is 3500, not 3500.0000000000005."""
    if value is None or not unit:
        return None
    m = _MULT.match(unit)
    multiplier = m.group() if m else ""
    per_unit = grammar().yuan_per_unit.get(unit[len(multiplier) :])
    if per_unit is None:
        return None
    return float(Decimal(repr(float(value))) * Decimal(repr(_MULT_VALUE[multiplier])) * per_unit)


def _longest(words) -> list[str]:
    return [re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))]


def _alternation(words) -> re.Pattern:
    return re.compile("(?:" + "|".join(_longest(words)) + ")")


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    return Grammar()


def _unit_at(g: Grammar, text: str, pos: int, end: int) -> tuple[str, int]:
    m = g.unit_re.match(text, pos, end)
    if not m:
        return "", pos
    unit, stop = m.group(), m.end()
    alt = _ALT_UNIT.match(text, stop, end)
    if alt and alt.group(1) in g.units and g.units[alt.group(1)][1]:
        unit, stop = text[pos : alt.end()], alt.end()
    return unit, stop


def _number_at(text: str, pos: int, end: int):
    """(value, num_end, multiplier, chinese) of a number starting at ``pos``, or None."""
    m = _NUMBER.match(text, pos, end)
    if not m:
        return None
    if m.group("ar"):
        value = parse_number(m.group("ar"))
        stop = m.end()
        mult = _MULT.match(text, stop, end)
        multiplier = mult.group() if mult else ""
        return value, stop, multiplier, False
    s = m.group("cn")
    multiplier = ""
    for mk in lx.CN_TRAILING_MAGNITUDES:
        if s.endswith(mk) and len(s) > len(mk):
            multiplier, s = mk, s[: -len(mk)]
            break
    value = parse_number(s)
    if value is None:
        return None
    return value, pos + len(s), multiplier, True


@per_text(list)  # the instruments and the targets read the same clauses (Quantity is frozen)
def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number of ``text[start:end]`` with what is written around it."""
    g = grammar()
    end = len(text) if end is None else end
    out: list[Quantity] = []
    pos = start
    while pos < end:
        m = _NUMBER.search(text, pos, end)
        if not m:
            break
        parsed = _number_at(text, m.start(), end)
        if parsed is None or parsed[0] is None:
            pos = m.end()
            continue
        value, num_end, multiplier, chinese = parsed
        q, stop = _read_after(g, text, m.start(), num_end, value, multiplier, chinese, end)
        out.append(q)
        pos = max(stop, m.start() + 1)
    return out


def _read_after(g, text, num_start, num_end, value, multiplier, chinese, end):
    cur = num_end + len(multiplier)
    comp = comp_text = comp_pos = None
    odd = g.infix_re.match(text, cur, end)  # 100余家, 50多个
    if odd and g.unit_re.match(text, odd.end(), end):
        comp, comp_text, comp_pos = g.infix[odd.group()], odd.group(), "suffix"
        cur = odd.end()
    unit, unit_stop = _unit_at(g, text, cur, end)
    value_max = None
    rng = _RANGE.match(text, unit_stop, end)
    if rng:
        nxt = _number_at(text, rng.end(), end)
        if nxt is not None and nxt[0] is not None:
            v2, n2_end, mult2, _ = nxt
            unit2, stop2 = _unit_at(g, text, n2_end + len(mult2), end)
            if (unit2 or mult2) and (not unit or unit == mult2 + unit2 or unit2 == unit):
                if not unit:
                    multiplier, unit = mult2, unit2
                # 3000人至1万人: the upper bound in the lower bound's multiplier
                value_max = v2 * _MULT_VALUE.get(mult2, 1) / _MULT_VALUE.get(multiplier, 1)
                unit_stop = stop2
    full_unit = multiplier + unit
    kind, target_unit = g.units.get(unit, (None, False)) if unit else (None, False)
    if not unit and multiplier:
        kind, target_unit = "count", True  # 突破7000万: the multiplier is the unit
    stop = unit_stop
    if comp is None:
        suf = g.suffix_re.match(text, unit_stop, end)
        if suf and (unit or multiplier):
            comp, comp_text, comp_pos = g.suffix[suf.group()], suf.group(), "suffix"
            stop = suf.end()
    q_start = num_start
    if comp is None:
        pre = g.prefix_re.search(text, max(0, num_start - 6), num_start)
        if pre:
            comp_text = pre.group().strip()
            comp, comp_pos = g.prefix[comp_text], "prefix"
            q_start = pre.start()
    unit_norm = to_halfwidth(full_unit)
    q = Quantity(
        start=q_start,
        end=stop,
        num_start=num_start,
        num_end=num_end,
        value=value,
        unit=unit_norm,
        kind=kind,
        target_unit=target_unit,
        comparator=comp,
        comparator_text=comp_text,
        comparator_position=comp_pos,
        value_max=value_max,
        chinese=chinese,
        multiplier=multiplier,
        unit_end=unit_stop,
    )
    return q, max(unit_stop, num_end)
