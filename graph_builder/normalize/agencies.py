"""Group agency surface forms into organisations and give each a function type.

Function type: the concept of ``ontology/agency_functions.ttl`` whose cue (skos:hiddenLabel)
is the longest one found in the name; an alias in 〔〕 is consulted when the main name has
no cue. Grouping: two surface forms in one plan name the same organisation when they have the
same function concept, the same region (level prefix or place named inside), that function is
one-per-region, and the shorter form's characters all occur in the longer (人民银行株洲市分行 ⊂
中国人民银行株洲市分行; 省政务中心 and 省审批服务管理局 stay apart).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import NamedTuple

from graph_builder import errors
from graph_builder import lexicon as lx
from graph_builder.model import Agency, Diagnostic, Plan
from graph_builder.normalize.places import gazetteer, is_generic
from graph_builder.vocab import agency_functions

__all__ = [
    "FunctionMatch",
    "classify_function",
    "UnitRegion",
    "region_of_unit",
    "places_outside",
    "group_agencies",
    "resolve_issuer",
]

# An alias holds no opener: ``[^〕]+`` alone rescans the rest from every opener of a run
# (quadratic on 〔〔〔…), and a name with an opener inside its alias is not an alias.
_SQ_OPEN = re.escape("".join(lx.SQUARE_BRACKETS))
_SQ_CLOSE = re.escape("".join(lx.SQUARE_BRACKETS.values()))
_ALIAS = re.compile(f"[{_SQ_OPEN}]([^{_SQ_OPEN}{_SQ_CLOSE}]+)[{_SQ_CLOSE}]")


@dataclass(frozen=True)
class FunctionMatch:
    concept: str
    cue: str | None


def classify_function(name: str) -> FunctionMatch:
    """The agency-function concept of a unit name, with the cue that decided it."""
    scheme = agency_functions()
    main = _ALIAS.sub("", name)
    aliases = _ALIAS.findall(name)
    for candidate in [main, *aliases]:
        for cue, key in scheme.cue_index():
            if cue in candidate and not any(n in candidate for n in scheme[key].negative_cues):
                return FunctionMatch(key, cue)
    return FunctionMatch("other", None)


class UnitRegion(NamedTuple):
    """Where a unit belongs: its ``level`` and region code (``adcode``), or the place names
    it gives that lie outside the plan's region tree (``outside``; then no code)."""

    level: str | None
    adcode: str | None
    outside: list[str]


def region_of_unit(name: str, plan_code: str | None) -> tuple[str | None, str | None]:
    """(level, region code) a unit belongs to: from its level prefix or a place it names.

    ``市税务局`` in a city plan belongs to the plan's city; ``省市场监管局`` there belongs to the
    province above it; ``人民银行株洲市分行`` names its city. Places are looked up in the plan's
    own region tree only (see :meth:`~graph_builder.normalize.places.Gazetteer.resolve_in_region`):
    a unit naming a place outside it, or a plan without a region, gives no region rather than
    an unrelated one. A collective unit (``各县（市、区）人民政府``) takes the plan's region.
    """
    where = _region_of_unit(name, plan_code)
    return where.level, where.adcode


def places_outside(name: str, plan_code: str | None) -> list[str]:
    """Place names in the unit ``name`` that lie outside the plan's region tree."""
    return _region_of_unit(name, plan_code).outside


def _region_of_unit(name: str, plan_code: str | None) -> UnitRegion:
    g = gazetteer()
    if not plan_code:
        return UnitRegion(None, None, [])
    outside = []
    for _s, _e, found in g.find(name):
        p = g.resolve_in_region(found, plan_code)
        if p:
            return UnitRegion(p.level, p.adcode, [])
        outside.append(found)
    for s, _e, found in g.find(name, short=True):
        if s <= 4:
            p = g.resolve_in_region(found, plan_code)
            if p:
                return UnitRegion(p.level, p.adcode, [])
            outside.append(found)
    if outside:
        return UnitRegion(None, None, outside)
    # a bare level prefix (省商务厅, 市财政局, 区教育局): the plan's province, or the plan's region
    for level in ("province", "city", "county"):
        if name.startswith(lx.region_level_prefixes(level)):
            return UnitRegion(
                level, plan_code[:2] + "0000" if level == "province" else plan_code, []
            )
    return UnitRegion(None, plan_code, [])


def _warn_generic_region(plan: Plan) -> None:
    """``GB-W108`` for a plan without a region whose opening names only a generic division
    (县 of 区县): once read as Chongqing's 县 row, now as no region, and the user is told."""
    g = gazetteer()
    generic = sorted({p.name for p in g.by_code.values() if is_generic(p.name)}, key=len)
    head = plan.text[:500]
    found = [(head.find(n), n) for n in generic if n in head]
    if found:
        pos, name = min(found)
        plan.diagnostics.append(
            Diagnostic(
                errors.W108,
                "warning",
                f"the plan's region was not found ({name} is a generic division name, not a "
                "region): its agencies are placed in no region",
                pos,
            )
        )


def _chars_within(short: str, long: str) -> bool:
    return set(_ALIAS.sub("", short)) <= set(_ALIAS.sub("", long))


def group_agencies(plan: Plan) -> None:
    """Fill ``plan.agencies`` and set ``agency_key`` on every mention (deterministic)."""
    scheme = agency_functions()
    code = plan.meta.adcode
    names: list[str] = []
    for m in plan.iter_mentions():
        if m.name not in names:
            names.append(m.name)
    info: dict[str, tuple[FunctionMatch, UnitRegion]] = {}
    for n in names:
        fm = classify_function(n)
        where = _region_of_unit(n, code)
        info[n] = (fm, where)
        outside = where.outside
        if outside:
            plan.diagnostics.append(
                Diagnostic(
                    errors.W107,
                    "warning",
                    f"unit {n} names {'、'.join(outside)}, not in the plan's region "
                    f"({plan.meta.region}): no region given to it",
                )
            )
    if names and not code:
        _warn_generic_region(plan)
    # Union forms that name one organisation; longer names first so the canonical name is
    # the fullest form.
    groups: list[list[str]] = []
    for n in sorted(names, key=lambda x: (-len(x), names.index(x))):
        fm, where = info[n]
        unique = (
            bool(scheme[fm.concept].flags.get("uniquePerRegion", True)) and fm.concept != "other"
        )
        home = None
        if unique:
            for g in groups:
                head = g[0]
                hfm, hwhere = info[head]
                same_region = hwhere.adcode == where.adcode
                if hfm.concept == fm.concept and same_region and _chars_within(n, head):
                    home = g
                    break
        if home is None:
            groups.append([n])
        else:
            home.append(n)
    key_of = {}
    agencies: dict[str, Agency] = {}
    for g in sorted(groups, key=lambda g: min(names.index(x) for x in g)):
        canonical = g[0]
        fm, where = info[canonical]
        concept = scheme[fm.concept]
        key = _agency_key(plan, canonical)
        forms = sorted(g, key=names.index)
        agencies[key] = Agency(
            key=key,
            name=canonical,
            surface_forms=forms,
            function=fm.concept,
            label_zh=concept.label_zh,
            label_en=concept.label_en,
            function_cue=fm.cue,
            level=where.level,
        )
        for f in forms:
            key_of[f] = key
    plan.agencies = agencies
    for m in plan.iter_mentions():
        m.agency_key = key_of[m.name]
    resolve_issuer(plan)


def _agency_key(plan: Plan, name: str) -> str:
    return hashlib.sha256(f"{plan.doc_id}\x1f{name}".encode()).hexdigest()[:16]


def resolve_issuer(plan: Plan) -> None:
    """Set ``plan.issuer_agency``: the issuer named in ``meta.issuer``, with its function.

    Classified here, once, so the views (RDF ``dcterms:publisher``, through it NetworkX and
    the queries) all read this value; a view that classified the name itself could disagree
    with another. The issuer is kept out of ``plan.agencies`` (the units the measures name)
    and is not grouped with them: it is its own name, as the graph has always written it.
    """
    name = plan.meta.issuer
    if not name:
        plan.issuer_agency = None
        return
    scheme = agency_functions()
    fm = classify_function(name)
    concept = scheme[fm.concept]
    level, _region = region_of_unit(name, plan.meta.adcode)
    plan.issuer_agency = Agency(
        key=_agency_key(plan, name),
        name=name,
        surface_forms=[name],
        function=fm.concept,
        label_zh=concept.label_zh,
        label_en=concept.label_en,
        function_cue=fm.cue,
        level=level,
    )
