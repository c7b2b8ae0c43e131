"""What a number does in its clause, beyond being a number.

Many numbers in a plan are not promises: eligibility thresholds (``单场售票3000人至1万人的
营业性演出活动``, ``对年拆解5000辆以上的企业``), conditions (``…增速达到10%以上的，``),
standards a payment follows (``按25元/人的标准``), codes and counts inside names (``5G``,
``1+X``, ``第四届``, ``“1131”服务``), and the size of somebody's project (``投资10亿元建设``).
These tests are shared by the target and the instrument readers.
"""

from __future__ import annotations

import re

from graph_builder import lexicon as lx
from graph_builder.extract.quantities import Quantity
from graph_builder.vocab import load_scheme

__all__ = [
    "inside",
    "is_condition",
    "in_standard_frame",
    "is_code_or_ordinal",
    "is_name_count",
    "is_project_size",
    "is_permission",
    "is_scope_count",
]


def _w(key: str) -> tuple[str, ...]:
    """The words of ``quantities.ttl``'s concept ``key``, longest first."""
    return lx.quantity_words(key)


_alt = lx.quantity_pattern


_CN_NUM = lx.CN_DIGITS + lx.CN_TEN
_DUI_OPEN = re.compile(
    # the spaces after the label belong to the label's group: two ``\s*`` around an optional
    # group split a run of spaces in quadratically many ways
    rf"^\s*(?:(?:[0-9]{{1,2}}[.．、]|[（(][0-9{_CN_NUM}]{{1,3}}[）)])\s*)?"
    rf"(?:[0-9]{{4}}{lx.YEAR})?" + _alt("condition_opener")
)
_PAYMENT_VERB = re.compile(_alt("payment_verb"))
_GRANT = _w("grant_verb")
_DE = _w("attributive")[0]
_STANDARD_VERBS = _w("standard_verb")
_STANDARD_AFTER = re.compile(
    "(?:(?:、|" + _alt("standard_joiner") + r")[^，,；;。]{0,14}?)?(?:/[^/，,；;。\s]{1,3})*"
    + _alt("standard_bound") + "?(?:" + re.escape(_DE) + ")?" + _alt("standard_payment") + "?"
    + _alt("standard_noun")
)
_POLICY_NOUN = re.compile(_alt("policy_noun"))
_ORDINAL = _w("ordinal_prefix")
_PACKAGE_UNITS = _w("package_unit")
_LIST_SUM = _w("list_sum")
_INVESTMENT = _w("investment")
_INVESTMENT_GOAL = re.compile(
    _alt("investment_goal") + "[^，,；;、]{0,8}" + _alt("investment") + "$"
)


def _permission() -> re.Pattern:
    """可 not inside 不可, 许可, 可靠, 可能 … (``qt:permission`` and its negative cues)."""
    c = load_scheme("quantities.ttl")["permission"]
    word = c.cues[0]
    before = "".join(sorted({n[: -len(word)] for n in c.negative_cues if n.endswith(word)}))
    after = "".join(sorted({n[len(word) :] for n in c.negative_cues if n.startswith(word)}))
    return re.compile(f"(?<![{re.escape(before)}]){re.escape(word)}(?![{re.escape(after)}])")


_PERMISSION = _permission()


def inside(pos: int, ranges) -> bool:
    return any(a <= pos < b for a, b in ranges)


def is_condition(text: str, c0: int, c1: int, q: Quantity) -> bool:
    """A threshold that says who qualifies, not what is promised.

    * ``5000辆以上的企业``, ``3000人至1万人的演出``: a bounded number qualifying a noun;
    * ``对…的企业`` with the number between 对 and 的 (before the payment);
    * a clause that ends in 的 (``年销售额超过500万元…的，``) is a condition on the next one.
    """
    after = text[q.end : q.end + 1]
    if after == _DE and (q.comparator_position == "suffix" or q.is_range):
        return True
    clause = text[c0:c1].rstrip()
    if clause.endswith(_DE):
        return True
    if _DUI_OPEN.match(clause):
        pay = _PAYMENT_VERB.search(text, q.end, c1)
        stop = pay.start() if pay else c1
        de = text.find(_DE, q.end, stop)
        if de != -1:
            return True
        if pay is None:
            # 对…投资总额超过1亿美元，按…予以奖励: the payment comes in a later clause of the
            # sentence, so this clause says who qualifies.
            end = text.find("。", c1)
            later = text[c1 : end if end != -1 else len(text)]
            if _PAYMENT_VERB.search(later) or any(w in later for w in _GRANT):
                return True
    return False


def in_standard_frame(text: str, c0: int, c1: int, q: Quantity) -> bool:
    """``按(照)…N…的标准``: the number is the standard a payment or rule follows
    (``按25元/人的标准``, ``按照5000人次和10000人次及以上标准``), not a level to reach
    (``按照不低于…标准的1.3倍提高…``)."""
    before = text[c0 : q.start]
    if not any(w in before for w in _STANDARD_VERBS):
        return False
    return bool(_STANDARD_AFTER.match(text, q.end, c1))


def is_code_or_ordinal(text: str, q: Quantity) -> bool:
    """``5G``, ``1+X``, ``8+N``, ``Z1``, ``第四届``: not a quantity of anything."""
    before = text[max(0, q.num_start - 1) : q.num_start]
    after = text[q.end : q.end + 1] if q.unit or q.multiplier else text[q.num_end : q.num_end + 1]
    if before in _ORDINAL:
        return True
    if re.match(r"[A-Za-z0-9+＋]", before) or re.match(r"[A-Za-z+＋]", after):
        return True
    return False


def is_name_count(text: str, q: Quantity) -> bool:
    """A count that names or sizes a policy package, not a promise: ``二十条措施``,
    ``8条政策``, ``支持政策88条``, ``(433条)`` in a title."""
    if q.unit not in _PACKAGE_UNITS:
        return False
    if _POLICY_NOUN.match(text, q.unit_end):
        return True
    before = text[max(0, q.start - 4) : q.start]
    if _POLICY_NOUN.search(before):
        return True
    return text[q.end : q.end + 1] in ("）", ")")  # (2022年版，433条): the size of a list


def is_scope_count(text: str, c0: int, q: Quantity) -> bool:
    """``在已实施制造业等6个行业…的基础上``, ``发展改革委等23个部门``: a count that sums up a
    list just named (the scope of a rule), not a level to reach. With a goal verb before it
    (``培育…食用菌等13条产业链``) the count is what is promised."""
    from graph_builder.extract.quantities import grammar

    if text[max(0, q.start - 1) : q.start] not in _LIST_SUM:
        return False
    verbs = grammar().goal_verb_re.pattern.removesuffix(r"\s*$")
    return not re.search(verbs, text[c0 : q.start])


def is_project_size(text: str, q: Quantity) -> bool:
    """``公司投资10亿元建设…项目``: the size of one project, not a promise of the plan."""
    before = text[max(0, q.start - 12) : q.start]
    if not before.endswith(_INVESTMENT):
        return False
    # 完成能源项目投资70亿元: what the plan's own investment reaches
    return not _INVESTMENT_GOAL.search(before)


def is_permission(text: str, c0: int, q: Quantity) -> bool:
    """``可提高20%的贷款额度``: what may be done for someone, not a promised level."""
    before = text[max(c0, q.start - 5) : q.start]
    return bool(_PERMISSION.search(before))
