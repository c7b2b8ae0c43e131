"""Read responsibility clauses: who leads a measure, who takes part, who implements.

The grammar covers the forms plans use after a measure::

    （市人社局、市发改委等按职责分工负责。排第一的为牵头单位，下同）
    （责任单位：市人社局、市市场监管局）
    牵头单位：市商务局；配合单位：市财政局、市发改委
    （市商务局牵头，市财政局等按职责分工负责）
    （由市商务局负责，市财政局配合）      （市商务局会同市财政局负责）
    （责任单位：市商务局（牵头）、市财政局）  （同上）
    （…，各县（市、区）人民政府负责落实。以下均需…负责落实，不再列出）

Items are split on 、，, and on 和/及 between complete unit names, never inside brackets
(``各县（市、区）人民政府``) nor inside a name (``市住房和城乡建设局``). An elided level prefix
is restored from the nearest prefixed item before it (``市人社局、教育局`` → 市教育局); a head
shared by several items is distributed (``城乡一体化示范区、经济开发区管理委员会``).
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from dataclasses import dataclass, field

from graph_builder.extract.units import LEVEL_PREFIX, lexicon
from graph_builder.segment.structure import find_brackets

__all__ = ["Item", "ClauseParse", "parse_clause", "find_clauses", "split_units"]


_ROLE_LABEL = re.compile(
    r"^(?P<label>牵头单位|牵头部门|主责单位|主责部门|责任单位|责任部门|负责单位|实施单位|"
    r"配合单位|配合部门|参与单位|协办单位|协助单位|协同单位)[：:]\s*"
)
_LEAD_LABELS = {"牵头单位", "牵头部门", "主责单位", "主责部门"}
_PART_LABELS = {"配合单位", "配合部门", "参与单位", "协办单位", "协助单位", "协同单位"}
_LEAD_RULE = re.compile(
    r"((?:排|列)(?:在|名)?(?:第一|首)(?:位|个)?的?(?:单位|部门)?为牵头(?:单位|部门)"
    r"|第一(?:个|家)?(?:单位|部门)为牵头(?:单位|部门)|首个(?:单位|部门)为牵头(?:单位|部门))"
)
_DEADLINE = re.compile(
    r"^(?:完成时限|完成时间|时间节点|时限要求|时间安排|完成期限)[：:]\s*(?P<when>.+)$"
)
_SAME = re.compile(r"^(同上|同上条|同上款|同前)$")
_STANDING = re.compile(
    r"^以下(?:各项(?:任务|措施))?(?:均需|均由|均要|均须|均)(?P<units>.+?)"
    r"(?:负责落实|负责实施|抓好落实|负责|落实)[，,]?\s*(?:不再(?:一一)?列出)?$"
)
_IMPLEMENT = re.compile(r"^(?P<units>.+?)(?:负责落实|负责实施|抓好落实)$")
_JOINT = re.compile(
    r"^(?:由)?(?P<lead>.+?)会同(?P<rest>.+?)(?:等(?:单位|部门)?)?(?:按职责分工|按照职责分工|按职责)?(?:共同)?负责$"
)
_LEAD_ONLY = re.compile(r"^(?:由)?(?P<units>.+?)(?:牵头负责|牵头抓总|牵头)$")
_PART_ONLY = re.compile(
    r"^(?P<units>.+?)(?:等(?:单位|部门)?)?(?:按职责分工|按照职责分工|按职责)?(?:配合|参与|协助|协同|共同参与)$"
)
_RESPONSIBLE = re.compile(
    r"^(?:由)?(?P<units>.+?)(?:等(?:有关|相关)?(?:单位|部门)?)?"
    r"(?:按职责分工|按照职责分工|按职责|依职责|根据职责分工|分工)?(?:负责|共同负责)$"
)
_TRAIL = re.compile(r"等(?:[省市县区]直)?(?:有关|相关)?(?:单位|部门)?$")
_LEAD_MARK = re.compile(r"[（(]牵头(?:单位)?[）)]$")
_CUE_VERBS = ("负责", "配合", "参与", "协助", "协同", "落实", "牵头")


@dataclass
class Item:
    """One unit named in a clause: its normalised name and where the text names it."""

    name: str
    start: int
    end: int
    role: str = "participant"
    restored_prefix: str | None = None
    marked_lead: bool = False


@dataclass
class ClauseParse:
    items: list[Item] = field(default_factory=list)
    implementers: list[Item] = field(default_factory=list)
    standing: list[Item] = field(default_factory=list)
    same_as_above: bool = False
    lead_rule: tuple[int, int] | None = None
    deadline: tuple[int, int] | None = None
    leftover: list[tuple[int, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.items or self.implementers or self.standing or self.same_as_above)


def _split_top(text: str, start: int, end: int, seps: str) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` on any char of ``seps`` outside brackets."""
    parts, depth, s = [], 0, start
    for i in range(start, end):
        c = text[i]
        if c in "（(〔［[【":
            depth += 1
        elif c in "）)〕］]】":
            depth = max(depth - 1, 0)
        elif c in seps and depth == 0:
            parts.append((s, i))
            s = i + 1
    parts.append((s, end))
    return [(a, b) for a, b in (_strip(text, a, b) for a, b in parts) if b > a]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\u3000\r\n，,。；;:：":
        a += 1
    while b > a and text[b - 1] in " \t\u3000\r\n，,。；;":
        b -= 1
    return a, b


def split_units(text: str, start: int, end: int, prefix: str | None = None) -> list[Item] | None:
    """Split a list of unit names; None when some item is not a unit name.

    ``prefix`` is the level prefix in force before this list (from an earlier list of the
    same clause), used to restore an elided prefix on the list's first items.
    """
    lex = lexicon()
    raw = _split_top(text, start, end, "、，,/ \u3000")
    items: list[Item] = []
    for a, b in raw:
        # 和/及/以及 join two complete unit names ("各县人民政府和城乡一体化示范区…").
        pieces = [(a, b)]
        for conj in ("以及", "和", "及"):
            new = []
            for pa, pb in pieces:
                cut = _conj_cut(text, pa, pb, conj, lex)
                new.extend(cut)
            pieces = new
        for pa, pb in pieces:
            m = _TRAIL.search(text[pa:pb])
            if m:
                pb = pa + m.start()
            if text.startswith("由", pa):
                pa += 1
            pa, pb = _strip(text, pa, pb)
            marked = False
            mk = _LEAD_MARK.search(text[pa:pb])
            if mk:
                marked = True
                pb = pa + mk.start()
            if pb > pa:
                items.append(Item(text[pa:pb], pa, pb, marked_lead=marked))
    if not items:
        return None
    _share_heads(items, lex)
    if not all(lex.is_unit(it.name) for it in items):
        return None
    _restore_prefixes(items, lex, prefix)
    return items


def _conj_cut(text, a, b, conj, lex) -> list[tuple[int, int]]:
    depth = 0
    i = a
    while i < b:
        c = text[i]
        if c in "（(〔":
            depth += 1
        elif c in "）)〕":
            depth = max(depth - 1, 0)
        elif depth == 0 and text.startswith(conj, i):
            left = text[a:i]
            right = text[i + len(conj) : b]
            if lex.head(left) and right and (lex.is_unit(right) or "、" in right):
                return [(a, i)] + _conj_cut(text, i + len(conj), b, conj, lex)
        i += 1
    return [(a, b)]


def _share_heads(items: list[Item], lex) -> None:
    """``A、B、C管理委员会`` names three committees: give A and B the head of C.

    The head is shared backwards over the items that have the same form as what is left of
    the last item without its head (here three zones: 示范区, 开发区, 开发区).
    """
    for i, it in enumerate(items):
        h = lex.head(it.name)
        if not (h and h.shared):
            continue
        base = it.name[: -len(h.head)]
        base_form = (lex.head(base) or None) and lex.head(base).form
        j = i - 1
        while j >= 0:
            other = lex.head(items[j].name)
            same_form = (other.form if other else None) == base_form
            if items[j].name.endswith(h.head) or not (same_form or not lex.is_unit(items[j].name)):
                break
            items[j].name = items[j].name + h.head
            j -= 1


def _restore_prefixes(items: list[Item], lex, prefix: str | None = None) -> None:
    for it in items:
        m = LEVEL_PREFIX.match(it.name)
        if m and lex.has_level(it.name):
            prefix = m.group(1)
            continue
        if prefix is None or lex.has_level(it.name):
            continue
        h = lex.head(it.name)
        if h is None or not h.takes_prefix:
            continue
        if _contains_place(it.name):
            continue
        it.name = prefix + it.name
        it.restored_prefix = prefix


def _contains_place(name: str) -> bool:
    """Whether a unit name names a place (人行三门峡市分行, 财政部宁波监管局): such units are
    branches of higher authorities and never take the list's elided level prefix."""
    from graph_builder.normalize.places import gazetteer

    g = gazetteer()
    return any(True for _ in g.find(name)) or any(True for _ in g.find(name, short=True))


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of a clause, further cut after a cue verb followed by a comma."""
    out = []
    for a, b in _split_top(text, start, end, "。；;"):
        s = a
        for i in range(a, b):
            if text[i] in "，," and (
                text[s:i].endswith(_CUE_VERBS)
                or _ROLE_LABEL.match(text[i + 1 : b])
                or _DEADLINE.match(text[i + 1 : b])
            ):
                # Keep "以下均需…负责落实，不再列出" together.
                if text.startswith("不再", i + 1):
                    continue
                out.append(_strip(text, s, i))
                s = i + 1
        out.append(_strip(text, s, b))
    return [(a, b) for a, b in out if b > a]


def parse_clause(text: str, start: int, end: int) -> ClauseParse:
    """Parse the inside of a clause (``text[start:end]``) into roles."""
    res = ClauseParse()
    explicit_lead = False
    first_list_done = False
    context: list[str | None] = [None]  # the level prefix last seen in this clause

    def read_units(t: str, a: int, b: int) -> list[Item] | None:
        items = split_units(t, a, b, context[0])
        for it in items or ():
            m = LEVEL_PREFIX.match(it.name)
            if m and lexicon().has_level(it.name):
                context[0] = m.group(1)
        return items

    for a, b in _segments(text, start, end):
        seg = text[a:b]
        rule = _LEAD_RULE.search(seg)
        if rule:
            res.lead_rule = (a + rule.start(), a + rule.end())
            rest = (seg[: rule.start()] + seg[rule.end() :]).strip("，,。 下同")
            if not rest:
                continue
        if seg in ("下同",):
            continue
        m = _DEADLINE.match(seg)
        if m:
            res.deadline = (a + m.start("when"), a + m.end("when"))
            continue
        if _SAME.match(seg):
            res.same_as_above = True
            continue
        m = _STANDING.match(seg)
        if m:
            units = read_units(text, a + m.start("units"), a + m.end("units"))
            if units:
                res.standing.extend(units)
                continue
        m = _ROLE_LABEL.match(seg)
        if m:
            label = m.group("label")
            units = read_units(text, a + m.end(), b)
            if units:
                if label in _LEAD_LABELS:
                    for u in units:
                        u.role = "lead"
                    explicit_lead = True
                elif label in _PART_LABELS:
                    for u in units:
                        u.role = "participant"
                else:
                    _first_leads(units, explicit_lead or first_list_done)
                    first_list_done = True
                res.items.extend(units)
                continue
            if label not in _LEAD_LABELS | _PART_LABELS:
                # 责任单位：A牵头，B配合 — read what follows the generic label as a clause.
                a += m.end()
                seg = text[a:b]
        m = _IMPLEMENT.match(seg)
        if m:
            units = read_units(text, a + m.start("units"), a + m.end("units"))
            if units:
                for u in units:
                    u.role = "implementer"
                res.implementers.extend(units)
                continue
        m = _JOINT.match(seg)
        if m:
            lead = read_units(text, a + m.start("lead"), a + m.end("lead"))
            rest = read_units(text, a + m.start("rest"), a + m.end("rest"))
            if lead and rest:
                for u in lead:
                    u.role = "lead"
                res.items.extend(lead + rest)
                explicit_lead = True
                continue
        m = _LEAD_ONLY.match(seg)
        if m:
            units = read_units(text, a + m.start("units"), a + m.end("units"))
            if units:
                for u in units:
                    u.role = "lead"
                res.items.extend(units)
                explicit_lead = True
                continue
        m = _RESPONSIBLE.match(seg)
        if m:
            units = read_units(text, a + m.start("units"), a + m.end("units"))
            if units:
                _first_leads(units, explicit_lead or first_list_done)
                first_list_done = True
                res.items.extend(units)
                continue
        m = _PART_ONLY.match(seg)
        if m:
            units = read_units(text, a + m.start("units"), a + m.end("units"))
            if units:
                res.items.extend(units)
                continue
        units = read_units(text, a, b)
        if units:
            _first_leads(units, explicit_lead or first_list_done)
            first_list_done = True
            res.items.extend(units)
            continue
        res.leftover.append((a, b))
    # A unit marked （牵头） leads, whatever its position.
    if any(it.marked_lead for it in res.items):
        for it in res.items:
            it.role = "lead" if it.marked_lead else "participant"
    # Units a standing clause makes implementers are not also listed as responsible.
    standing_names = {u.name for u in res.standing} | {u.name for u in res.implementers}
    if standing_names:
        res.items = [it for it in res.items if it.name not in standing_names]
        if res.items and not any(it.role == "lead" for it in res.items):
            res.items[0].role = "lead"
    return res


def _first_leads(units: list[Item], lead_known: bool) -> None:
    for i, u in enumerate(units):
        u.role = "lead" if (i == 0 and not lead_known) else "participant"


_CLAUSE_OPEN = re.compile(
    r"(?m)(?:^|(?<=[。；;])|(?<=[。；;][（(]))[ \t\u3000]*(?P<label>责任单位|牵头单位|责任部门|牵头部门|主责单位)[：:]"
)


_CLAUSE_LINE = re.compile(r"(?m)^[ \t\u3000]*([^\n（(【]{2,200}?)[。]?[ \t\u3000]*$")
_CLAUSE_VERB = re.compile(r"负责|牵头|配合")


def find_clauses(text: str, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """Responsibility clauses in ``text[start:end]``: (start, end, inner_start, inner_end).

    A clause is a bracket group whose content parses as a responsibility statement with no
    leftover text, or an unbracketed ``责任单位：…`` running to the end of its line (also
    after an opening bracket that is never closed: ``。（责任单位：市商务局`` at a paragraph end).
    """
    found = []
    for a, b in find_brackets(text, start, end):
        inner_a, inner_b = a + 1, b - 1
        res = parse_clause(text, inner_a, inner_b)
        if res.ok and not res.leftover:
            found.append((a, b, inner_a, inner_b))
    taken = sorted((a, b) for a, b, _, _ in found)  # outermost groups: disjoint
    # A whole line that is a responsibility statement ("市商务局、市财政局按职责分工负责。").
    for m in _CLAUSE_LINE.finditer(text, start, end):
        a, b = _strip(text, m.start(1), m.end(1))
        if b <= a or not _CLAUSE_VERB.search(text, a, b):
            continue
        k = bisect_right(taken, (a, len(text) + 1)) - 1
        if k >= 0 and a < taken[k][1]:
            continue
        res = parse_clause(text, a, b)
        if res.ok and not res.leftover:
            found.append((a, b, a, b))
            insort(taken, (a, b))
    taken_starts = [a for a, _ in taken]
    for m in _CLAUSE_OPEN.finditer(text, start, end):
        k = bisect_right(taken_starts, m.start()) - 1
        if k >= 0 and m.start() < taken[k][1]:
            continue
        line_end = text.find("\n", m.end())
        line_end = end if line_end == -1 or line_end > end else line_end
        a, b = _strip(text, m.start("label"), line_end)
        seg = text[a:b]
        if text[b - 1 : b] in ("）", ")") and sum(map(seg.count, "）)")) > sum(
            map(seg.count, "（(")
        ):
            b -= 1  # the clause's own closing bracket, when an earlier one was left open
        res = parse_clause(text, a, b)
        if res.ok and not res.leftover:
            found.append((a, b, a, b))
    return sorted(found)
