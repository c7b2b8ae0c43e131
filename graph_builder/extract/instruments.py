"""Priced financial instruments: subsidies, rewards, vouchers, interest subsidies, funds.

An instrument is priced when the text states how much is paid: a rate of a price
(``按最终销售价格的15%给予补贴``), an amount per unit (``每件最高补贴500元``,
``2400元/年/孩``), a cap (``最高不超过100万元``), a list of tiers (``分别给予2万元、1.5万元补贴``,
``分别按…的20%、15%``), a range (``10%-50%``: one instrument with a minimum and a maximum),
or the total of a voucher or fund (``发放消费券1.6亿元``).
The payment word decides the type; the words come from ``ontology/instrument_types.ttl``
(concepts with ``gbo:pricedType``). One instrument is written per tier, as the gold schema
asks (the scorer counts a range as its two ends), and a cap written in the clause after a
rate belongs to that rate (and to each tier). Every amount is also given in 元, and every
unit it is paid per is kept (2400元/年/孩: per 孩, per_units 年 and 孩).
Eligibility thresholds (``对…达到2万元及以上的企业``) are never amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from graph_builder import lexicon as lx
from graph_builder.extract.clauses import clauses, item_groups, quoted_ranges, sentences
from graph_builder.extract.memo import per_text
from graph_builder.extract.number_roles import inside, is_code_or_ordinal, is_condition
from graph_builder.extract.promise_spans import PromiseSpan
from graph_builder.extract.quantities import Quantity, find_quantities, grammar
from graph_builder.model import Instrument, Span
from graph_builder.vocab import instrument_types

__all__ = [
    "Draft",
    "PaymentWord",
    "PaymentWords",
    "ProductCue",
    "payment_words",
    "read_sentence",
    "find_instruments",
    "merge_repeats",
]

_TOTAL_TYPES = ("voucher", "fund_support")

_alt = lx.quantity_pattern


#: A cap before an amount (最高, 不超过, 上限为): the cap words and nouns of quantities.ttl.
_CAP_BEFORE = re.compile(
    lx.alternation(lx.quantity_words("cap_word") + lx.quantity_words("cap_noun"))
    + r"[^\d、，,；;]{0,8}$"
)
_PAID_BEFORE = re.compile(_alt("paid_word") + _alt("paid_sum") + r"?\s*$")
#: 分别: one cap word or payment for a whole list of amounts.
_RESPECTIVELY = lx.quantity_words("respectively")[0]
_RATE_BEFORE = re.compile("(?:、|" + _alt("rate_lead") + r")\s*$")
_PER = _alt("per_marker")
_OBJECT_CUT = re.compile(_alt("object_cut") + "|" + _PER + r"[^\d]")
_YEAR_OPEN = rf"(?:[0-9]{{4}}{lx.YEAR})?"
_OBJECT_LEAD = re.compile("^" + _YEAR_OPEN + _alt("object_lead") + "*")
#: 对X给予…: X is who is paid or what is bought.
_DUI = re.compile(_YEAR_OPEN + _alt("beneficiary_lead") + "(.+?)(?:" + _alt("beneficiary_end") + "|，|$)")
_CONDITION_LEAD = re.compile("^" + _YEAR_OPEN + _alt("condition_lead") + "?")
_DE = lx.quantity_words("attributive")[0]
_STANDARD_VERBS = lx.quantity_words("standard_verb")
_STANDARD = lx.quantity_words("standard_noun")
_GIVE = lx.quantity_words("give")
_PER_WORDS = lx.quantity_words("per_marker")
_RATE_UNITS = lx.quantity_words("percent")
_FUND_LEAD = re.compile("^" + _YEAR_OPEN + _alt("fund_verb") + "?")
_TOTAL_END = re.compile(_alt("total_word") + "$")
_PURPOSE_LEAD = re.compile("^" + _alt("purpose_lead"))


@dataclass
class Draft:
    """An instrument being read: one tier of one payment."""

    start: int
    end: int
    type: str
    concept: str
    object: str | None
    rate_pct: float | None = None
    amount: float | None = None
    amount_unit: str | None = None
    amount_is_cap: bool = False
    per: str | None = None
    rate_pct_max: float | None = None
    amount_max: float | None = None
    per_units: tuple[str, ...] = ()
    total: bool = False
    numbers: list[int] = field(default_factory=list)


class PaymentWord(NamedTuple):
    """A payment word found in the text (补贴, 消费券 …) and what it decides: the
    instrument-type ``concept`` and the priced ``type`` of the gold schema. Named because
    the readers pick its fields far from where it is made."""

    start: int
    end: int
    cue: str
    concept: str
    type: str


class ProductCue(NamedTuple):
    """The product (``ontology/products.ttl``) an instrument pays for, where it is named."""

    concept: str
    start: int
    end: int


class PaymentWords:
    """Payment words of the instrument-type scheme, longest first."""

    def __init__(self):
        scheme = instrument_types()
        self.by_cue: dict[str, tuple[str, str]] = {}
        for c in scheme:
            priced = c.flags.get("pricedType")
            if priced:
                for cue in c.cues:
                    self.by_cue[cue] = (c.key, priced)
        words = sorted(self.by_cue, key=lambda w: (-len(w), w))
        self.regex = re.compile("|".join(map(re.escape, words)))
        #: a payment word right after a rate: 30%价格补贴, 15%的补贴, 2%的比例予以奖励
        self.after_rate = re.compile(
            "(?:" + re.escape(_DE) + ")?" + _alt("rate_base") + "?" + _alt("award_verb") + "?"
            "(?:" + self.regex.pattern + ")"
        )

    def find(self, text: str, start: int, end: int) -> list[PaymentWord]:
        """The payment words of ``text[start:end]``, in text order."""
        return [
            PaymentWord(m.start(), m.end(), m.group(), *self.by_cue[m.group()])
            for m in self.regex.finditer(text, start, end)
        ]


@lru_cache(maxsize=1)
def payment_words() -> PaymentWords:
    return PaymentWords()


def _keyword_for(words: list[PaymentWord], pos: int, end_pos: int) -> PaymentWord | None:
    """The payment word governing a number: the first after it, else the nearest before."""
    after = [w for w in words if w.start >= end_pos]
    if after:
        return min(after, key=lambda w: w.start)
    before = [w for w in words if w.end <= pos]
    if before:
        return max(before, key=lambda w: w.end)
    return None


def _per(text: str, a: int, q: Quantity) -> str | None:
    """The unit an amount is counted per: the last one written that is not a period
    (2400元/年/孩 → 孩), else the period (每年 → 年)."""
    found = _per_units(text, a, q)
    if not found:
        return None
    non_year = [f for f in found if f != lx.YEAR]
    return (non_year or found)[-1]


def _per_units(text: str, a: int, q: Quantity) -> tuple[str, ...]:
    """Every unit an amount is paid per, in the order written, each once: 每生每年 → (生, 年),
    2400元/年/孩 → (年, 孩)."""
    g = grammar()
    found = []
    for m in g.per_re.finditer(text, a, q.num_start):
        found.append(m.group(1) or m.group(2))
    tail = re.match(r"(?:/[^/，,；;。、\s]{1,3})+", text[q.unit_end : q.unit_end + 12])
    if tail:
        for m in g.per_re.finditer(tail.group()):
            found.append(m.group(1) or m.group(2))
    return tuple(dict.fromkeys(found))


def _object(text: str, a: int, pos: int, dui: str | None) -> str | None:
    local = _OBJECT_LEAD.sub("", text[a:pos])
    cut = _OBJECT_CUT.search(local)
    if cut:
        local = local[: cut.start()]
    local = local.strip(" ，,、：:（(")
    if local.endswith(_DE):
        local = local[: -len(_DE)]
    if dui and local and local != dui:
        return f"{dui}（{local}）"
    return dui or local or None


def _dui_phrase(text: str, before: list[tuple[int, int]]) -> str | None:
    """The last ``对X`` (who is paid, what is bought) opening one of the clauses ``before``
    (those of the sentence before the clause being read: the sentence is split once, not
    once more up to each of its clauses)."""
    found = None
    for a, b in before:
        m = _DUI.match(text[a:b])
        if m:
            found = m.group(1).strip()
    if before and text[before[-1][0] : before[-1][1]].endswith(_DE):
        # 交售报废老旧电动自行车并换购合格新车的，最高补贴500元: the condition names it
        a, b = before[-1]
        found = _CONDITION_LEAD.sub("", text[a : b - len(_DE)]) or found
    return found


def _amounts(text: str, qs: list[Quantity]) -> list[Quantity]:
    """Currency amounts, with bare numbers of an amount list given the list's unit
    (``3000元、7000元、11000、13000元``)."""
    out = []
    for i, q in enumerate(qs):
        if q.kind == "currency":
            out.append(q)
        elif not q.unit and not q.multiplier and i > 0 and qs[i - 1].kind == "currency":
            nxt = next((r for r in qs[i + 1 :] if r.kind == "currency"), None)
            if nxt and re.fullmatch(r"[、，,\s]*", text[q.end : nxt.num_start]):
                out.append(replace(q, unit=nxt.unit, kind="currency", target_unit=True))
    return out


def _rates(text: str, c0: int, qs: list[Quantity], words) -> list[Quantity]:
    """Percentages that are rates of a payment: ``价格的15%``, ``给予30%价格补贴``,
    ``分别按…的20%、15%``; not ``不低于55%的彩票公益金`` (a share to reach)."""
    if not words:
        return []
    pw = payment_words()
    out: list[Quantity] = []
    for q in qs:
        if q.kind != "percent" or q.unit not in _RATE_UNITS:
            continue
        before = text[c0 : q.start]
        follows_rate = bool(out) and before.rstrip().endswith("、")
        bound = _RATE_BEFORE.search(before) and (q.comparator is None or follows_rate)
        named = pw.after_rate.match(text, q.end)
        if bound or named:
            out.append(q)
    return out


@dataclass(frozen=True)
class _Amount:
    """A currency amount that prices an instrument, and how it is written."""

    q: Quantity
    item: tuple[int, int]  # its 、-item (or the clause)
    cap: bool
    per: str | None
    per_units: tuple[str, ...]
    keyword: PaymentWord | None
    total: bool  # a voucher or fund total, not a price


def _priced(
    text: str, c0: int, c1: int, amounts: list[Quantity], items, words: list[PaymentWord]
) -> list[_Amount]:
    """The amounts of a clause that price something: a cap (最高, 不超过), a per-unit amount
    (每件, 元/人), a standard (按…标准), a payment (给予…, 奖励20万元, 分别…补贴), or a
    voucher or fund total (发放消费券1.6亿元)."""
    out = []
    respectively = _RESPECTIVELY in text[c0:c1]
    # 分别给予最高100万元、50万元奖励: one cap word for the whole list
    list_cap = (
        respectively and bool(amounts) and _CAP_BEFORE.search(text[c0 : amounts[0].num_start])
    )
    for q in amounts:
        item = (
            (c0, c1)
            if respectively
            else next(((a, b) for a, b in items if a <= q.num_start < b), (c0, c1))
        )
        before = text[c0 : q.start]
        cap = (
            bool(list_cap)
            or q.comparator == "<="
            or bool(_CAP_BEFORE.search(text[item[0] : q.num_start]))
        )
        per = _per(text, item[0], q)
        frame = any(w in before for w in _STANDARD_VERBS) and any(
            w in text[q.end : c1] for w in _STANDARD
        )
        given = (
            any(w in before for w in _GIVE)
            or _PAID_BEFORE.search(before) is not None
            or (respectively and any(w.start >= q.end for w in words))
        )
        kw = _keyword_for(words, q.start, q.end)
        total = kw is not None and kw.type in _TOTAL_TYPES and not (cap or per or frame)
        if cap or per or frame or given or total:
            out.append(_Amount(q, item, cap, per, _per_units(text, item[0], q), kw, total))
    return out


def _attach(drafts: list[Draft], amount: _Amount, end: int | None = None) -> None:
    """Give rate tiers their cap (或 amount): ``…的20%、15%给予补贴，最高补贴2000元``."""
    q = amount.q
    for d in drafts:
        d.amount, d.amount_unit, d.amount_is_cap = q.value, q.unit, amount.cap
        d.amount_max = q.value_max
        d.per = amount.per or d.per
        d.per_units = amount.per_units or d.per_units
        d.numbers.append(q.num_start)
        if end is not None:
            d.end = end


def _copy_drafts(drafts: list[Draft]) -> list[Draft]:
    return [replace(d, numbers=list(d.numbers)) for d in drafts]


@per_text(_copy_drafts)  # read by the instruments and again by the targets (priced_numbers)
def read_sentence(text: str, s0: int, s1: int) -> list[Draft]:
    """The priced instruments of one sentence ``text[s0:s1]``."""
    words_all = payment_words().find(text, s0, s1)
    if not words_all:
        return []
    quoted = quoted_ranges(text, s0, s1)
    drafts: list[Draft] = []
    waiting: list[Draft] = []  # rate tiers of the previous clause still without their cap
    sentence_clauses = clauses(text, s0, s1)
    for k, (c0, c1) in enumerate(sentence_clauses):
        words = [w for w in words_all if c0 <= w.start < c1]
        qs = [
            q
            for q in find_quantities(text, c0, c1)
            if not inside(q.num_start, quoted)
            and not is_code_or_ordinal(text, q)
            and not is_condition(text, c0, c1, q)
        ]
        dui = _dui_phrase(text, sentence_clauses[:k])
        rate_drafts: list[Draft] = []
        for q in _rates(text, c0, qs, words):
            kw = _keyword_for(words, q.start, q.end)
            if kw is None:
                continue
            # a range (10%-50%) is one instrument with both ends
            rate_drafts.append(
                Draft(
                    start=c0,
                    end=c1,
                    type=kw.type,
                    concept=kw.concept,
                    object=_object(text, c0, q.start, dui),
                    rate_pct=q.value,
                    rate_pct_max=q.value_max,
                    per=_per(text, c0, q),
                    per_units=_per_units(text, c0, q),
                    numbers=[q.num_start],
                )
            )
        drafts += rate_drafts
        amounts = _amounts(text, qs)
        items = item_groups(text, c0, c1, [q.num_start for q in amounts])
        priced = _priced(text, c0, c1, amounts, items, words)
        if len(priced) == 1 and (rate_drafts or (waiting and (priced[0].cap or priced[0].per))):
            # one cap for the rates of this clause, or of the clause before
            _attach(rate_drafts or waiting, priced[0], None if rate_drafts else c1)
            waiting = []
            continue
        waiting = rate_drafts if rate_drafts else ([] if priced else waiting)
        for p in priced:
            kw = p.keyword
            if kw is None:
                near = _keyword_for(words_all, p.q.start, p.q.end)
                if near is None or not (p.cap or p.per):
                    continue
                kw = near
            own = p.cap or p.per or any(w in text[p.item[0] : p.q.num_start] for w in _PER_WORDS)
            a, b = p.item if own and len(items) > 1 else (c0, c1)
            obj = _total_object(text, c0, c1, p.q) if p.total else _object(text, a, p.q.start, dui)
            drafts.append(
                Draft(
                    start=a,
                    end=b,
                    type=kw.type,
                    concept=kw.concept,
                    object=obj,
                    amount=p.q.value,
                    amount_max=p.q.value_max,
                    amount_unit=p.q.unit,
                    amount_is_cap=p.cap,
                    per=p.per,
                    per_units=p.per_units,
                    total=p.total,
                    numbers=[p.q.num_start],
                )
            )
    return drafts


def _total_object(text: str, c0: int, c1: int, q: Quantity) -> str | None:
    """What a voucher or fund total is for: the words between the verb and the amount."""
    seg = text[c0 : q.start]
    seg = _FUND_LEAD.sub("", seg)
    seg = _TOTAL_END.sub("", seg)
    if not seg:  # 设立10亿元消费引导基金: the words after the amount
        seg = _PURPOSE_LEAD.sub("", text[q.end : c1])
    return seg or None


def product_of(text: str, s0: int, end: int) -> ProductCue | None:
    """The product (``ontology/products.ttl``) an instrument pays for: the cue nearest before
    the instrument's end within its sentence ``text[s0:end]`` — ``实施手机、平板购新补贴，按最终
    销售价格的15%给予补贴`` pays for digital products. None when no product is named."""
    from graph_builder.vocab import products

    best: ProductCue | None = None
    for cue, key in products().cue_index():
        i = text.rfind(cue, s0, end)
        if i >= 0 and (
            best is None or i > best.start or (i == best.start and len(cue) > best.end - best.start)
        ):
            best = ProductCue(key, i, i + len(cue))
    return best


def find_instruments(text: str, regions: list[PromiseSpan]) -> list[Instrument]:
    """Every priced instrument of the given regions, in text order, repeats of one fact in
    one part merged (:func:`merge_repeats`)."""
    out: list[Instrument] = []
    for r in regions:
        for s0, s1 in sentences(text, r.start, r.end):
            for d in read_sentence(text, s0, s1):
                product = product_of(text, s0, d.end)
                out.append(
                    Instrument(
                        action=r.action,
                        measure_index=r.measure_index,
                        span=Span.of(text, d.start, d.end),
                        type=d.type,
                        object=d.object,
                        rate_pct=d.rate_pct,
                        amount=d.amount,
                        amount_unit=d.amount_unit,
                        amount_is_cap=d.amount_is_cap,
                        per=d.per,
                        product=product.concept if product else None,
                        product_span=(
                            Span.of(text, product.start, product.end) if product else None
                        ),
                        rate_pct_max=d.rate_pct_max,
                        amount_max=d.amount_max,
                        per_units=d.per_units,
                    )
                )
    return merge_repeats(out)


def _fact_key(i: Instrument) -> tuple:
    """Everything an instrument says except where it is written."""
    return (
        i.action, i.measure_index, i.type, i.object, i.rate_pct, i.rate_pct_max, i.amount,
        i.amount_max, i.amount_unit, i.amount_is_cap, i.per, i.per_units, i.product,
    )  # fmt: skip


def merge_repeats(instruments: list[Instrument]) -> list[Instrument]:
    """One instrument per fact of a part: instruments of the same measure (or plan-level
    chapter) equal in every field but their span become the first of them, the others' spans
    kept as its ``mentions`` (each span once) and counted in ``mention_count``.

    Why: a repeated payment (``补贴1000元`` written 4,000 times in one sentence) is one
    promise; kept as thousands of instruments, every view copied the sentence once per
    instrument (gigabytes). Nothing is lost: each repeat's offsets are a mention, or, when it
    quotes the very span already cited, adds to the count. Order: first mention's order.
    """
    out: list[Instrument] = []
    first: dict[tuple, Instrument] = {}
    cited: dict[tuple, set[tuple[int, int]]] = {}
    for i in instruments:
        key = _fact_key(i)
        kept = first.get(key)
        if kept is None:
            first[key] = i
            cited[key] = {(i.span.start, i.span.end)}
            out.append(i)
            continue
        kept.mention_count += i.mention_count
        for s in (i.span, *i.mentions):
            if (s.start, s.end) not in cited[key]:
                cited[key].add((s.start, s.end))
                kept.mentions.append(s)
    for i in out:
        i.mentions.sort(key=lambda s: (s.start, s.end))
    return out


def priced_numbers(text: str, s0: int, s1: int) -> set[int]:
    """Offsets of the numbers of a sentence that price an instrument (rates, amounts per
    unit, caps, and funds set up: ``设立2.43亿元引导资金``). A voucher total, or a fund total
    with a bound (``发放…30亿元以上``), is not among them: it may also be a target."""
    out: set[int] = set()
    for d in read_sentence(text, s0, s1):
        if d.total and (d.type != "fund_support" or _bounded(text, d)):
            continue
        out.update(d.numbers)
    return out


def _bounded(text: str, d: Draft) -> bool:
    """Whether a total is written with a bound to reach (以上, 不少于, 超过 …)."""
    from graph_builder.extract.quantities import find_quantities

    return any(
        q.comparator is not None
        for q in find_quantities(text, d.start, d.end)
        if q.num_start in d.numbers
    )
