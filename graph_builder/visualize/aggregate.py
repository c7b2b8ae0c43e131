"""Who leads what: agency functions × measure types, counted over measures, per region.

Every picture of issue 5 (network, matrix, notebook tables) reads this one aggregate, built
from the intermediate model (a list of :class:`~graph_builder.model.Plan`), never from text.

- An *agency function* is the top concept (``ontology/agency_functions.ttl``) of the function
  of the agency a mention names; a mention without a known agency counts as ``other``.
- A *measure type* is ``Measure.measure_type.concept`` (``ontology/measure_types.ttl``); its
  *area* is the top concept above it (the eight action areas of the national plan). A measure
  without a type goes to the :data:`UNCLASSIFIED` bucket, so an unclassified corpus still
  draws (every measure in one grey node) instead of vanishing.
- An edge ``(function, type, role)`` lists the distinct measures in which that function has
  that role: ``lead`` (``AgencyMention.role == "lead"``) or ``participant`` (named, not
  leading; a function that also leads the measure is counted as lead only). Standing
  implementers (``各县市区政府负责落实``) apply to every measure and are not drawn.

:meth:`AgencyMeasureAggregate.graph` gives the NetworkX graph a view shows; the browser test
compares the node and edge counts of the page with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from graph_builder.model import AgencyMention, Measure, Plan
from graph_builder.segment.numerals import cn_to_int
from graph_builder.vocab import ConceptScheme, agency_functions, load_scheme

__all__ = [
    "UNCLASSIFIED",
    "OTHER_FUNCTION",
    "ROLES",
    "Area",
    "MeasureRef",
    "AggNode",
    "AggEdge",
    "AgencyMeasureAggregate",
    "aggregate",
    "measure_types",
    "short_label",
    "region_of",
]

#: Bucket of measures whose type is not (yet) known.
UNCLASSIFIED = "unclassified"
#: Function of a mention whose agency is unknown (matches the scheme's catch-all concept).
OTHER_FUNCTION = "other"
#: Edge roles, in drawing order.
ROLES = ("lead", "participant")

_PARENTHETICAL = re.compile(r"[（(][^（）()]*[）)]\s*$")


def measure_types() -> ConceptScheme:
    """The measure-type scheme (``ontology/measure_types.ttl``)."""
    return load_scheme("measure_types.ttl")


def short_label(label: str) -> str:
    """A concept label without its trailing parenthetical list, for node captions.

    ``城乡消费设施（商圈、街区、县域商业、物流）`` → ``城乡消费设施``; the full label stays in
    tooltips.
    """
    short = _PARENTHETICAL.sub("", label).strip()
    return short or label


def region_of(plan: Plan) -> str:
    """The region a plan is grouped under: its region name, else its document id."""
    return plan.meta.region or plan.doc_id


@dataclass(frozen=True)
class Area:
    """A national action area (top concept of the measure-type scheme), or the bucket."""

    key: str
    label_zh: str
    label_en: str
    notation: str | None
    order: int


@dataclass(frozen=True)
class MeasureRef:
    """One measure behind an edge: where it is, what it says, and the quote that shows who."""

    doc_id: str
    region: str
    action: str | None
    label: str
    title: str
    agency: str | None
    quote: str
    start: int
    end: int
    type_cues: tuple[str, ...] = ()
    #: ``Measure.index`` in its plan (the explorer's anchor ``#m<index>``).
    index: int | None = None


@dataclass(frozen=True)
class AggNode:
    """An agency-function node or a measure-type node."""

    id: str
    kind: str  # "agency" | "measure_type"
    key: str
    label_zh: str
    label_en: str
    full_label_zh: str
    full_label_en: str
    area: str | None = None
    notation: str | None = None
    order: tuple = ()


@dataclass
class AggEdge:
    """Measures in which one agency function has one role, for one measure type."""

    source: str
    target: str
    role: str
    measures: list[MeasureRef] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.source}|{self.target}|{self.role}"

    def count(self, region: str | None = None) -> int:
        """Distinct measures, in all regions (``None``) or one."""
        if region is None:
            return len(self.measures)
        return sum(1 for m in self.measures if m.region == region)


@dataclass
class AgencyMeasureAggregate:
    """Nodes, edges and regions of the agency-function × measure-type view."""

    nodes: dict[str, AggNode]
    edges: dict[tuple[str, str, str], AggEdge]
    regions: list[str]
    areas: dict[str, Area]
    measures: dict[str, int]  # region -> number of measures
    classified: dict[str, int]  # region -> measures with a type
    unled: list[MeasureRef]  # measures with no lead unit (drawn nowhere, reported)
    by_type: dict[str, list[MeasureRef]] = field(default_factory=dict)  # type node → measures

    def type_count(self, type_id: str, region: str | None = None) -> int:
        """Measures of one type (led or not), in all regions or one."""
        refs = self.by_type.get(type_id, [])
        return len(refs) if region is None else sum(1 for m in refs if m.region == region)

    def edges_in(
        self, region: str | None = None, participation: bool = False
    ) -> list[tuple[AggEdge, int]]:
        """Edges a view shows, with their count in that view (count > 0 only)."""
        out = []
        for edge in self.edges.values():
            if edge.role != "lead" and not participation:
                continue
            n = edge.count(region)
            if n:
                out.append((edge, n))
        return out

    def graph(self, region: str | None = None, participation: bool = False) -> nx.MultiDiGraph:
        """The graph of one view: nodes with at least one shown edge; edge key = role.

        ``region=None`` is all regions; ``participation=True`` adds participant edges.
        """
        g = nx.MultiDiGraph(region=region, participation=participation)
        for edge, n in self.edges_in(region, participation):
            for nid in (edge.source, edge.target):
                if nid not in g:
                    node = self.nodes[nid]
                    g.add_node(
                        nid,
                        kind=node.kind,
                        key=node.key,
                        label_zh=node.label_zh,
                        label_en=node.label_en,
                        area=node.area,
                    )
            g.add_edge(edge.source, edge.target, key=edge.role, role=edge.role, count=n)
        return g

    def counts(self, region: str | None = None, participation: bool = False) -> dict[str, int]:
        """Node and edge counts of one view (what the page reports)."""
        g = self.graph(region, participation)
        return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}

    def lead_matrix(self, region: str | None = None) -> dict[tuple[str, str], int]:
        """(agency node id, type node id) → measures led, for one region or all."""
        return {
            (e.source, e.target): n
            for e, n in self.edges_in(region, participation=False)
            if e.role == "lead"
        }


def _areas(scheme: ConceptScheme) -> dict[str, Area]:
    tops = [c for c in scheme if c.broader is None]
    tops.sort(key=lambda c: (cn_to_int(c.notation or "") or 10**6, c.key))
    areas = {c.key: Area(c.key, c.label_zh, c.label_en, c.notation, i) for i, c in enumerate(tops)}
    areas[UNCLASSIFIED] = Area(UNCLASSIFIED, "未分类", "Unclassified", None, len(areas))
    return areas


def _type_node(key: str, scheme: ConceptScheme, areas: dict[str, Area]) -> AggNode:
    if key == UNCLASSIFIED or key not in scheme:
        area = areas[UNCLASSIFIED]
        label_zh, label_en = ("未分类", "Unclassified") if key == UNCLASSIFIED else (key, key)
        return AggNode(
            f"type:{key}",
            "measure_type",
            key,
            label_zh,
            label_en,
            label_zh,
            label_en,
            area=UNCLASSIFIED,
            order=(area.order, 10**6, key),
        )
    c = scheme[key]
    area = areas[scheme.top(key)]
    item = cn_to_int((c.notation or "").strip("()（）")) if c.notation else None
    # A top concept used as a type sorts first in its area; unnumbered items sort last.
    rank = -1 if c.broader is None else (item if item is not None else 10**5)
    return AggNode(
        f"type:{key}",
        "measure_type",
        key,
        short_label(c.label_zh),
        short_label(c.label_en),
        c.label_zh,
        c.label_en,
        area=area.key,
        notation=c.notation,
        order=(area.order, rank, key),
    )


def _agency_node(key: str, scheme: ConceptScheme) -> AggNode:
    if key in scheme:
        c = scheme[key]
        return AggNode(
            f"agency:{key}", "agency", key, c.label_zh, c.label_en, c.label_zh, c.label_en
        )
    return AggNode(f"agency:{key}", "agency", key, key, key, key, key)


def _function_of(plan: Plan, mention: AgencyMention, scheme: ConceptScheme) -> str:
    agency = plan.agencies.get(mention.agency_key) if mention.agency_key else None
    if agency is None or agency.function not in scheme:
        return OTHER_FUNCTION
    return scheme.top(agency.function)


def _type_of(measure: Measure) -> str:
    t = measure.measure_type
    return t.concept if t is not None and t.concept else UNCLASSIFIED


def _ref(plan: Plan, measure: Measure, region: str, names: list[str]) -> MeasureRef:
    quote = measure.clause or measure.title_span
    cues = ()
    if measure.measure_type is not None:
        cues = tuple(dict.fromkeys(s.text for s in measure.measure_type.spans))
    return MeasureRef(
        doc_id=plan.doc_id,
        region=region,
        action=measure.action,
        label=measure.label,
        title=measure.title,
        agency="、".join(dict.fromkeys(names)) if names else None,
        quote=quote.text,
        start=quote.start,
        end=quote.end,
        type_cues=cues,
        index=measure.index,
    )


def aggregate(plans: Iterable[Plan]) -> AgencyMeasureAggregate:
    """Count, for every agency function and measure type, the measures it leads or joins."""
    af = agency_functions()
    mt = measure_types()
    areas = _areas(mt)
    nodes: dict[str, AggNode] = {}
    edges: dict[tuple[str, str, str], AggEdge] = {}
    regions: list[str] = []
    measures: dict[str, int] = {}
    classified: dict[str, int] = {}
    unled: list[MeasureRef] = []
    by_type: dict[str, list[MeasureRef]] = {}

    for plan in plans:
        region = region_of(plan)
        if region not in measures:
            regions.append(region)
            measures[region] = classified[region] = 0
        for m in plan.measures:
            measures[region] += 1
            tkey = _type_of(m)
            if tkey != UNCLASSIFIED:
                classified[region] += 1
            tnode = _type_node(tkey, mt, areas)
            nodes.setdefault(tnode.id, tnode)
            by_type.setdefault(tnode.id, []).append(_ref(plan, m, region, []))
            by_role: dict[str, dict[str, list[str]]] = {r: {} for r in ROLES}
            for mention in m.responsibilities:
                role = "lead" if mention.role == "lead" else "participant"
                fkey = _function_of(plan, mention, af)
                by_role[role].setdefault(fkey, []).append(mention.name)
            if not by_role["lead"]:
                unled.append(_ref(plan, m, region, []))
            for role in ROLES:
                for fkey, names in by_role[role].items():
                    if role == "participant" and fkey in by_role["lead"]:
                        continue
                    anode = _agency_node(fkey, af)
                    nodes.setdefault(anode.id, anode)
                    edge = edges.setdefault(
                        (anode.id, tnode.id, role), AggEdge(anode.id, tnode.id, role)
                    )
                    edge.measures.append(_ref(plan, m, region, names))

    ordered = dict(sorted(nodes.items(), key=lambda kv: (kv[1].kind, kv[1].order, kv[0])))
    return AgencyMeasureAggregate(
        nodes=ordered,
        edges=dict(sorted(edges.items())),
        regions=regions,
        areas=areas,
        measures=measures,
        classified=classified,
        unled=unled,
        by_type=by_type,
    )
