"""The NetworkX view: the RDF dataset as a MultiDiGraph with typed nodes and labelled edges.

It is derived from the RDF graph, not from the model, so both views hold the same content and
agree on node identity (node ids are the IRIs). The mapping:

* nodes: documents, regions, agencies, actions, measures, planned policies, targets, priced
  instruments, and the SKOS concepts they link to (measure types, instrument types, agency
  functions, with their broader concepts); attribute ``type`` is the class (``Measure``,
  ``MeasureType`` …), ``label`` the Chinese label (Gephi shows it), ``label_en`` where the
  vocabulary has one;
* literal properties become attributes named by the property (``value``, ``unit``, ``year``
  …), typed ``int``, ``float``, ``bool`` or ``str`` so GraphML keeps them; evidence becomes
  ``start``, ``end`` and ``quote`` (of the first span in the text; a quote over 1,000
  characters cut with ``…``, :func:`graph_builder.quotes.view_quote`);
* links between nodes become edges labelled by the property (``isPartOf``, ``jurisdiction``,
  ``classification``, ``measureType`` …);
* qualified nodes are folded into edges: a responsibility is an edge from the measure (policy,
  plan) to the agency labelled with its role (``lead``, ``participant``, ``implementer``,
  ``coordinator``) carrying ``position`` and the quote; a measure-type assignment is a
  ``measureType``/``alsoMeasureType`` edge with its ``score``; an instrument tagging a
  ``usesInstrumentType`` edge with its ``cue``; a place mention a ``mentionsPlace`` edge to
  the region.

Every edge has a unique ``id`` attribute, written as the GraphML edge id (Gephi needs unique
ids); the MultiDiGraph key is the edge label.
"""

from __future__ import annotations

from collections import defaultdict

import networkx
from rdflib import Dataset, Graph, Literal, URIRef

from graph_builder.graph.namespace import (
    DCTERMS,
    GBO,
    OA,
    ORG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VOCAB,
    XSD,
)
from graph_builder.graph.rdf import union_graph
from graph_builder.quotes import view_quote

__all__ = ["NODE_CLASSES", "to_networkx"]

#: Classes whose instances are nodes, most specific first.
NODE_CLASSES = {
    GBO.PolicyDocument: "PolicyDocument",
    GBO.Region: "Region",
    GBO.Agency: "Agency",
    GBO.Action: "Action",
    GBO.Measure: "Measure",
    GBO.PlannedPolicy: "PlannedPolicy",
    GBO.Target: "Target",
    GBO.PricedInstrument: "PricedInstrument",
}

_CONCEPT_TYPES = {
    VOCAB + "measure-type/": "MeasureType",
    VOCAB + "instrument-type/": "InstrumentType",
    VOCAB + "agency-function/": "AgencyFunction",
    VOCAB + "organisation-form/": "OrganisationForm",
    VOCAB + "product/": "Product",
}

#: Links to concepts; their objects become concept nodes.
_CONCEPT_LINKS = (
    GBO.measureType,
    GBO.alsoMeasureType,
    GBO.usesInstrumentType,
    GBO.instrumentType,
    GBO.product,
    ORG.classification,
)

#: Attribute names of literal properties (others use the property's local name).
_ATTRIBUTE = {
    RDFS.label: "label",
    DCTERMS.title: "title",
    DCTERMS.identifier: "identifier",
    DCTERMS.issued: "issued",
    GBO.targetYear: "year",
    SKOS.altLabel: "altLabel",
    SKOS.notation: "notation",
}

#: Predicates not turned into edges or attributes: shortcuts folded elsewhere, provenance,
#: vocabulary internals.
_SKIP = {
    RDF.type,
    GBO.inDocument,
    GBO.leadAgency,
    GBO.responsibleAgency,
    GBO.implementingAgency,
    GBO.coordinator,
    GBO.hasResponsibility,
    GBO.hasTypeAssignment,
    GBO.hasInstrumentTagging,
    GBO.mentionsPlace,
    GBO.measureType,
    GBO.alsoMeasureType,
    GBO.usesInstrumentType,
    PROV.wasGeneratedBy,
    SKOS.hiddenLabel,
    SKOS.inScheme,
    SKOS.topConceptOf,
    SKOS.prefLabel,
    GBO.negativeCue,
    GBO.uniquePerRegion,
    GBO.takesLevelPrefix,
    GBO.sharedHead,
}

#: Links whose target's key is also copied to a node attribute (for colouring in Gephi).
_KEY_ATTRIBUTE = {
    ORG.classification: "function",
    GBO.measureType: "measureType",
    GBO.instrumentType: "instrumentType",
    GBO.status: "status",
    GBO.administrativeLevel: "administrativeLevel",
}

_INT_TYPES = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.gYear,
}


def _local(iri: URIRef | str) -> str:
    s = str(iri)
    for sep in ("#", "/"):
        if sep in s:
            s = s.rsplit(sep, 1)[-1]
    return s


def _value(lit: Literal) -> int | float | bool | str:
    """A GraphML-safe Python value of a literal, one type per datatype."""
    if lit.datatype in _INT_TYPES:
        return int(str(lit))
    if lit.datatype in (XSD.decimal, XSD.double, XSD.float):
        return float(str(lit))
    if lit.datatype == XSD.boolean:
        return str(lit) in ("true", "1")
    return str(lit)


def _text_order(attrs: dict) -> tuple:
    """Where a span stands in the text (its quote breaks a tie)."""
    return attrs.get("start", -1), attrs.get("end", -1), attrs.get("quote", "")


class _Builder:
    def __init__(self, g: Graph):
        self.g = g
        self.G = networkx.MultiDiGraph()
        self.edges: list[tuple[str, str, str, dict]] = []

    def span_attrs(self, span) -> dict:
        g = self.g
        out: dict = {}
        # Full provenance: the terms sit on the span's selectors; compact: on the span.
        for sel in [span, *sorted(g.objects(span, OA.hasSelector), key=str)]:
            start, end, exact = (
                g.value(sel, OA.start),
                g.value(sel, OA.end),
                g.value(sel, OA.exact),
            )
            if start is not None:
                out["start"] = int(start)
            if end is not None:
                out["end"] = int(end)
            if exact is not None:
                out["quote"] = view_quote(str(exact))  # a long one cut, offsets whole
        return out

    def evidence(self, item) -> dict:
        """The attributes of an item's first evidence span in the text (an instrument
        written again also cites its other places; the first is the one its quote shows)."""
        spans = [self.span_attrs(s) for s in self.g.objects(item, GBO.evidence)]
        return min(spans, key=_text_order) if spans else {}

    def concept_type(self, iri: URIRef) -> str:
        for prefix, name in _CONCEPT_TYPES.items():
            if str(iri).startswith(prefix):
                return name
        return "Concept"

    def nodes(self) -> set:
        g = self.g
        nodes: dict = {}
        for cls, name in NODE_CLASSES.items():
            for s in g.subjects(RDF.type, cls):
                nodes.setdefault(s, name)
        concepts = {o for p in _CONCEPT_LINKS for o in g.objects(None, p)}
        concepts |= {o for o in g.objects(None, GBO.concept)}
        frontier = list(concepts)
        while frontier:
            c = frontier.pop()
            for b in g.objects(c, SKOS.broader):
                if b not in concepts:
                    concepts.add(b)
                    frontier.append(b)
        for c in concepts:
            nodes.setdefault(c, self.concept_type(c))
        for n in sorted(nodes, key=str):
            attrs = self.attributes(n, nodes[n], n in concepts)
            self.G.add_node(str(n), **attrs)
        return set(nodes)

    def attributes(self, n, node_type: str, is_concept: bool) -> dict:
        g = self.g
        attrs: dict = {"type": node_type}
        multi: dict[str, list] = defaultdict(list)
        for p, o in g.predicate_objects(n):
            if not isinstance(o, Literal) or (p in _SKIP and p != SKOS.prefLabel):
                continue
            if p == SKOS.prefLabel and not is_concept:
                continue
            if p in (RDFS.label, SKOS.prefLabel):
                key = "label" if o.language in (None, "zh") else f"label_{o.language}"
            else:
                key = _ATTRIBUTE.get(p, _local(p))
            multi[key].append(_value(o))
        for key, vals in multi.items():
            vals = sorted(set(vals), key=str)
            attrs[key] = vals[0] if len(vals) == 1 else " | ".join(map(str, vals))
        for p, o in g.predicate_objects(n):
            if p in _KEY_ATTRIBUTE and isinstance(o, URIRef):
                attrs[_KEY_ATTRIBUTE[p]] = _local(o)
        if is_concept and "label" not in attrs:
            attrs["label"] = _local(n)
        attrs.update(self.evidence(n))
        # Attribute order decides GraphML key order: sort it so files are reproducible.
        return {"type": attrs.pop("type"), **dict(sorted(attrs.items()))}

    def edge(self, u, v, label: str, **attrs) -> None:
        self.edges.append((str(u), str(v), label, attrs))

    def links(self, nodes: set) -> None:
        g = self.g
        for s, p, o in g:
            if s in nodes and o in nodes and p not in _SKIP and isinstance(o, URIRef):
                self.edge(s, o, _local(p))
        for r in g.subjects(RDF.type, GBO.Responsibility):
            owner = g.value(None, GBO.hasResponsibility, r)
            agency = g.value(r, GBO.agency)
            role = g.value(r, GBO.role)
            if owner is None or agency is None or role is None:
                continue
            attrs = {"position": int(g.value(r, GBO.position) or 0)}
            name = g.value(r, GBO.mentionedName)
            if name is not None:
                attrs["mentionedName"] = str(name)
            attrs.update(self.evidence(r))
            self.edge(owner, agency, _local(role).lower(), **attrs)
        for a in g.subjects(RDF.type, GBO.MeasureTypeAssignment):
            m, c = g.value(None, GBO.hasTypeAssignment, a), g.value(a, GBO.concept)
            if m is None or c is None:
                continue
            primary = g.value(a, GBO.isPrimary)
            label = (
                "measureType" if primary is not None and primary.toPython() else "alsoMeasureType"
            )
            score = g.value(a, GBO.score)
            attrs = {"score": float(score)} if score is not None else {}
            self.edge(m, c, label, **attrs)
        for t in g.subjects(RDF.type, GBO.InstrumentTagging):
            m, c = g.value(None, GBO.hasInstrumentTagging, t), g.value(t, GBO.concept)
            if m is None or c is None:
                continue
            attrs = {"cue": str(g.value(t, GBO.cue) or "")}
            attrs.update(self.evidence(t))
            self.edge(m, c, "usesInstrumentType", **attrs)
        for pm in g.subjects(RDF.type, GBO.PlaceMention):
            region = g.value(pm, GBO.place)
            for owner in g.subjects(GBO.mentionsPlace, pm):
                if region is not None:
                    self.edge(owner, region, "mentionsPlace", **self.evidence(pm))

    def build(self) -> networkx.MultiDiGraph:
        nodes = self.nodes()
        self.links(nodes)
        self.edges.sort(key=lambda e: (e[0], e[1], e[2], sorted(e[3].items(), key=str)))
        for i, (u, v, label, attrs) in enumerate(self.edges):
            if u not in self.G or v not in self.G:
                continue
            key, n = label, 1
            while self.G.has_edge(u, v, key):
                n += 1
                key = f"{label}#{n}"
            self.G.add_edge(u, v, key=key, label=label, id=f"e{i}", **attrs)
        return self.G


def to_networkx(data: Graph | Dataset) -> networkx.MultiDiGraph:
    """The MultiDiGraph of an RDF graph or dataset (see the module docstring)."""
    return _Builder(union_graph(data)).build()
