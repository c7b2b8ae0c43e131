"""The RDF view of the model: one named graph per document plus one for the ontology.

:func:`build_dataset` maps :class:`~graph_builder.model.Plan` objects to an rdflib
:class:`~rdflib.Dataset`. The mapping reads only the model; IRIs come from :mod:`.iris`
and terms from the closed namespaces of :mod:`.namespace`, so a typo raises.

What a document graph holds:

* the document (title, region, status, issuer, date, number, lead rule, coordinator);
* its actions, measures and planned policies, parts linked with ``dcterms:isPartOf``;
* responsibilities as qualified nodes (agency, role, position) and shortcut links
  ``gbo:leadAgency`` / ``gbo:responsibleAgency`` / ``gbo:implementingAgency``;
* agencies (``org:FormalOrganization``) classified with ``org:classification`` into the
  agency function scheme, and the regions they and the document belong to;
* targets, priced instruments, measure-type assignments, instrument taggings and place
  mentions, linked to SKOS concepts;
* for every extracted item its evidence: an ``oa:SpecificResource`` of the document with an
  ``oa:TextPositionSelector`` and an ``oa:TextQuoteSelector``, and ``prov:wasGeneratedBy``
  the extraction activity (tool version and time).

The time is ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now, so two runs over
the same inputs with the same epoch give identical graphs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from graph_builder import __version__
from graph_builder.graph.identity import agency_identity, region_chain, region_place
from graph_builder.graph.iris import SCHEMES, Iris
from graph_builder.graph.namespace import (
    DCTERMS,
    GBO,
    GBO_ONTOLOGY,
    OA,
    ORG,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
)
from graph_builder.model import AgencyMention, Measure, Plan, Span
from graph_builder.normalize.english import agency_label_en, region_name_en
from graph_builder.quotes import cut
from graph_builder.vocab import ONTOLOGY_DIR, priced_instrument_concept

__all__ = [
    "build_time",
    "ontology_files",
    "ontology_graph",
    "plan_graph",
    "build_dataset",
    "union_graph",
    "bind_prefixes",
    "decimal_literal",
    "PROVENANCE",
    "DEFAULT_PROVENANCE",
]

# Terms of rdflib's namespaces that the mapper writes thousands of times per document, looked
# up once: ``RDF.type`` is a call of rdflib's ``DefinedNamespaceMeta.__getattr__`` each time
# (~0.6 µs, ~10,000 times per document). The project's own GBO and OA hold their terms as
# plain attributes already (see :mod:`.namespace`).
_TYPE = RDF.type
_LABEL = RDFS.label
_TITLE = DCTERMS.title
_PART_OF = DCTERMS.isPartOf
_GENERATED_BY = PROV.wasGeneratedBy
_PREF_LABEL = SKOS.prefLabel
_CLASSIFICATION = ORG.classification
_NON_NEGATIVE_INTEGER = XSD.nonNegativeInteger
_POSITIVE_INTEGER = XSD.positiveInteger
_DECIMAL = XSD.decimal

_ROLE = {
    "lead": GBO.Lead,
    "participant": GBO.Participant,
    "implementer": GBO.Implementer,
    "coordinator": GBO.Coordinator,
}
_LEVEL = {
    "province": GBO.ProvincialLevel,
    "city": GBO.PrefecturalLevel,
    "county": GBO.CountyLevel,
}
_STATUS = {"issued": GBO.Issued, "draft": GBO.Draft}

#: How much evidence a build writes (``--provenance``), see the ontology's "Provenance
#: models": ``full`` (W3C Web Annotation resource with a position and a quote selector per
#: span), ``compact`` (one node per span with the selectors' terms on it) or ``none``.
PROVENANCE = ("full", "compact", "none")
DEFAULT_PROVENANCE = "compact"

#: Longest fallback label of an item made from its quote: a label names, the quote is the
#: evidence (written once per span), so a 30,000-character sentence is not copied into the
#: label of each of its thousands of instruments.
LABEL_MAX = 40


def build_time() -> datetime:
    """The time stamped on the extraction: ``SOURCE_DATE_EPOCH`` if set, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError) as exc:
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time") from exc
    return datetime.now(tz=timezone.utc).replace(microsecond=0)


def _datetime_literal(t: datetime) -> Literal:
    t = t.astimezone(timezone.utc)
    return Literal(t.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)


def decimal_literal(x: float | int | Decimal) -> Literal:
    """An ``xsd:decimal`` in canonical form (``7.0``, ``1.5``, ``0.25``) from a number."""
    d = Decimal(repr(float(x))) if isinstance(x, float) else Decimal(x)
    s = format(d.normalize(), "f")
    if "." not in s:
        s += ".0"
    return Literal(s, datatype=_DECIMAL)


def _date_literal(value: str) -> Literal:
    """The most specific XSD date type a date string fits (date, gYearMonth, gYear)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    return _text(value)


def _made_as_rdflib(text: str, lang: str | None) -> Literal:
    """A string literal put together as rdflib's constructor leaves it (see :func:`_text`)."""
    inst = str.__new__(Literal, text)
    inst._language = lang
    inst._datatype = None
    inst._value = text
    inst._ill_typed = None
    return inst


def _same_as_rdflib() -> bool:
    """Whether :func:`_made_as_rdflib` gives what rdflib's constructor gives, in every
    attribute (checked once; another rdflib version may store its literals otherwise)."""
    for text, lang in (("città", "it"), ("policy", "en"), ('a"\x00b', None)):
        real, made = Literal(text, lang=lang), _made_as_rdflib(text, lang)
        slots = ("_language", "_datatype", "_value", "_ill_typed")
        if any(getattr(real, a, None) != getattr(made, a, None) for a in slots):
            return False
        if real != made or hash(real) != hash(made) or real.n3() != made.n3():
            return False
    return True


_FAST_TEXT = _same_as_rdflib()


def _text(text: str, lang: str | None = None) -> Literal:
    """A string literal (``xsd:string``, or of language ``lang``), as ``Literal(text,
    lang=lang)`` makes it.

    Why not that call: rdflib's constructor checks the tag, casts the text to a Python
    value and back and checks it is valid Unicode — ~3 µs per literal, over a thousand
    per document, for strings that stay what they are. For a ``str`` and a tag this module
    writes the result is known, so it is put together directly (when this rdflib stores
    literals as checked at import; else, and for anything but a ``str``, rdflib makes it).
    """
    if _FAST_TEXT and type(text) is str:
        return _made_as_rdflib(text, lang)
    return Literal(text, lang=lang)


def _zh(text: str) -> Literal:
    return _text(text, "zh")


def _en(text: str) -> Literal:
    return _text(text, "en")


def _short(text: str) -> str:
    """A quote made into a label: at most :data:`LABEL_MAX` characters (``…`` if cut)."""
    return cut(text, LABEL_MAX)


#: How many integer literals of each kind are kept. Character offsets are most of them (two
#: per evidence span, ~1,200 per document) and recur from one document to the next, and
#: making an rdflib ``Literal`` of a typed integer costs ~3 µs; the bound holds every offset
#: of documents up to that many characters and a few MB per process.
_INT_LITERALS = 1 << 15


@lru_cache(maxsize=_INT_LITERALS)
def _nonneg(n: int) -> Literal:
    return Literal(str(int(n)), datatype=_NON_NEGATIVE_INTEGER)


@lru_cache(maxsize=_INT_LITERALS)
def _positive(n: int) -> Literal:
    return Literal(str(int(n)), datatype=_POSITIVE_INTEGER)


def ontology_files() -> list[Path]:
    """The ontology core and every SKOS scheme present in ``ontology/`` (not the shapes)."""
    names = ["graph_builder.ttl", *SCHEMES.values()]
    return [ONTOLOGY_DIR / n for n in names if (ONTOLOGY_DIR / n).exists()]


@cache
def _ontology_triples() -> tuple:
    g = Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return tuple(sorted(g))


def ontology_graph() -> Graph:
    """The ontology and vocabularies as one graph (parsed once per process)."""
    g = Graph()
    for t in _ontology_triples():
        g.add(t)
    return g


def bind_prefixes(g: Graph, iris: Iris) -> None:
    """Bind the vocabulary and instance prefixes, replacing rdflib's defaults."""
    nm = g.namespace_manager
    for prefix, ns in {**PREFIXES, **iris.prefixes()}.items():
        nm.bind(prefix, ns, override=True, replace=True)


class _DocumentMapper:
    """Write the triples of one plan into one graph."""

    def __init__(
        self,
        plan: Plan,
        g: Graph,
        iris: Iris,
        activity: URIRef,
        evidence: Graph | None = None,
        provenance: str = DEFAULT_PROVENANCE,
    ):
        if provenance not in PROVENANCE:
            raise ValueError(f"provenance {provenance!r}: choose from {', '.join(PROVENANCE)}")
        self.plan = plan
        self.g = g
        #: Where evidence goes: the document's evidence graph, or its facts graph if none.
        self.ev = evidence if evidence is not None else g
        self.mode = provenance
        self.iris = iris
        self.key = iris.plan_key(plan)
        self.doc = iris.document(self.key)
        self.activity = activity
        self._spans: set[tuple[int, int]] = set()
        self._regions: set[str] = set()
        self._agency_iri: dict[str, URIRef] = {}
        self._action_ordinal = {a.id: i + 1 for i, a in enumerate(plan.actions)}

    def add(self, s: Node, p: URIRef, o: Node | None) -> None:
        if o is not None:
            self.g.add((s, p, o))

    # evidence and provenance ------------------------------------------------------------
    def _ev(self, s: Node, p: URIRef, o: Node) -> None:
        self.ev.add((s, p, o))

    def span(self, span: Span) -> URIRef:
        """The oa:SpecificResource of a span (its triples written once, in the evidence graph).

        ``full``: the resource, a TextPositionSelector and a TextQuoteSelector (nine triples).
        ``compact``: one node, the resource with the selectors' terms on it (``oa:start``,
        ``oa:end``, ``oa:exact``; five triples); see the ontology's "Provenance models".
        """
        start, end = span.start, span.end
        iri = self.iris.span(self.key, start, end)
        if (start, end) not in self._spans:
            self._spans.add((start, end))
            ev = self._ev
            ev(iri, _TYPE, OA.SpecificResource)
            ev(iri, OA.hasSource, self.doc)
            if self.mode == "compact":
                ev(iri, OA.start, _nonneg(start))
                ev(iri, OA.end, _nonneg(end))
                ev(iri, OA.exact, _text(span.text))
                return iri
            pos = self.iris.position_selector(self.key, start, end)
            quote = self.iris.quote_selector(self.key, start, end)
            ev(iri, OA.hasSelector, pos)
            ev(iri, OA.hasSelector, quote)
            ev(pos, _TYPE, OA.TextPositionSelector)
            ev(pos, OA.start, _nonneg(start))
            ev(pos, OA.end, _nonneg(end))
            ev(quote, _TYPE, OA.TextQuoteSelector)
            ev(quote, OA.exact, _text(span.text))
        return iri

    def reading(self, s: Node, p: URIRef, o: Node | None) -> None:
        """A triple on how the text put an item (the name as written, where a mention was
        found, a cue word): evidence, so it goes with the spans into the evidence graph and is
        left out with ``provenance='none'``; the facts graph holds what was read."""
        if o is not None and self.mode != "none":
            self._ev(s, p, o)

    def evidence(self, item: URIRef, span: Span | None, prop: URIRef = GBO.evidence) -> None:
        """Link ``item`` to the span it was read from (nothing with ``provenance='none'``)."""
        if span is not None and self.mode != "none":
            self._ev(item, prop, self.span(span))

    def item(self, iri: URIRef, cls: URIRef, span: Span, in_document: bool = True) -> URIRef:
        """Type an extracted item and give it its document and evidence.

        ``prov:wasGeneratedBy`` is said once, of the document's named graph (see
        :meth:`provenance`): every triple of that graph comes from the one extraction.
        ``in_document=False`` for a qualified node of a measure (type assignment, instrument
        tagging): its document is its measure's, so ``gbo:inDocument`` on it would repeat
        one quad per node (4% of the facts) and say nothing new.
        """
        self.add(iri, _TYPE, cls)
        if in_document:
            self.add(iri, GBO.inDocument, self.doc)
        if self.mode == "full":
            self._ev(iri, _GENERATED_BY, self.activity)
        self.evidence(iri, span)
        return iri

    # shared nodes -----------------------------------------------------------------------
    def region(self, adcode: str | None, name: str | None = None) -> URIRef | None:
        """The region node of a code, with the regions above it (written once)."""
        if not adcode or not re.fullmatch(r"\d{6}", adcode):
            return None
        iri = self.iris.region(adcode)
        if adcode in self._regions:
            return iri
        chain = region_chain(adcode)
        if not chain:  # a code the gazetteer lacks: keep the name the text gives
            self._regions.add(adcode)
            self.add(iri, _TYPE, GBO.Region)
            self.add(iri, GBO.adcode, _text(adcode))
            if name:
                self.add(iri, _LABEL, _zh(name))
                self.add(iri, _PREF_LABEL, _zh(name))
                name_en = region_name_en(name, adcode)
                if name_en:
                    self.add(iri, _PREF_LABEL, _en(name_en))
            return iri
        for place, parent in zip(chain, [*chain[1:], None], strict=True):
            if place.adcode in self._regions:
                break
            self._regions.add(place.adcode)
            p = self.iris.region(place.adcode)
            self.add(p, _TYPE, GBO.Region)
            self.add(p, _LABEL, _zh(place.name))
            # Names in both languages as SKOS preferred labels (rdfs:label stays the
            # Chinese name the canned queries read); English romanised from the gazetteer.
            self.add(p, _PREF_LABEL, _zh(place.name))
            name_en = region_name_en(place.name, place.adcode)
            if name_en:
                self.add(p, _PREF_LABEL, _en(name_en))
            self.add(p, GBO.adcode, _text(place.adcode))
            self.add(p, GBO.administrativeLevel, _LEVEL.get(place.level))
            if parent is not None:
                self.add(p, GBO.withinRegion, self.iris.region(parent.adcode))
        return iri

    def agency_node(
        self, name: str, forms: Iterable[str], function: str, cue: str | None
    ) -> URIRef:
        ident = agency_identity(name, self.plan)
        iri = self.iris.agency(ident.qualified_name, ident.adcode, self.key)
        label = _zh(ident.qualified_name)
        self.add(iri, _TYPE, GBO.Agency)
        self.add(iri, _LABEL, label)
        self.add(iri, _PREF_LABEL, label)
        place = region_place(ident.adcode)
        label_en = agency_label_en(
            function, region_name_en(place.name, place.adcode) if place else None
        )
        if label_en:  # what it is and where (skos:prefLabel keeps one name: the Chinese one)
            self.add(iri, _LABEL, _en(label_en))
        for form in forms:
            if form != ident.qualified_name:
                self.add(iri, SKOS.altLabel, _zh(form))
        self.add(iri, _CLASSIFICATION, self.iris.concept("agency-function", function))
        if cue:
            self.add(iri, GBO.functionCue, _text(cue))
        self.add(iri, GBO.jurisdiction, self.region(ident.adcode))
        return iri

    def agencies(self) -> None:
        for a in self.plan.agencies.values():
            forms = [a.name, *a.surface_forms]
            iri = self.agency_node(a.name, dict.fromkeys(forms), a.function, a.function_cue)
            self._agency_iri[a.key] = iri

    def agency_of(self, m: AgencyMention) -> URIRef:
        """The node of the agency a mention names: the one normalisation resolved it to
        (``agency_key``).

        The graph neither looks a mention up again by its name nor classifies a name itself
        (every view must read the model's one resolution and function type), so a mention
        without the key of an agency of ``plan.agencies`` is an error of the caller: run
        :func:`graph_builder.normalize.agencies.group_agencies` first.
        """
        iri = self._agency_iri.get(m.agency_key) if m.agency_key else None
        if iri is None:
            raise ValueError(
                f"agency mention {m.name!r} of {self.plan.doc_id} names no agency of the plan: "
                "resolve it with graph_builder.normalize.agencies.group_agencies first"
            )
        return iri

    def responsibility(self, owner_iri: URIRef, owner: str, m: AgencyMention, role: str) -> None:
        r = self.iris.responsibility(self.key, owner, role, m.position)
        agency = self.agency_of(m)
        self.item(r, GBO.Responsibility, m.span)
        self.add(owner_iri, GBO.hasResponsibility, r)
        self.add(r, GBO.agency, agency)
        self.add(r, GBO.role, _ROLE[role])
        self.add(r, GBO.position, _nonneg(m.position))
        # How the text named the agency: evidence of the responsibility (see reading()).
        self.reading(r, GBO.mentionedName, _zh(m.name))
        self.reading(r, GBO.mentionSource, _text(m.source))
        if m.restored_prefix:
            self.reading(r, GBO.restoredPrefix, _text(m.restored_prefix))
        if not m.known:
            self.reading(r, GBO.knownUnitForm, Literal(False))
        if role == "lead":
            self.add(owner_iri, GBO.leadAgency, agency)
        if role in ("lead", "participant"):
            self.add(owner_iri, GBO.responsibleAgency, agency)
        elif role == "implementer":
            self.add(owner_iri, GBO.implementingAgency, agency)
        elif role == "coordinator":
            self.add(owner_iri, GBO.coordinator, agency)

    # the document -----------------------------------------------------------------------
    def document(self) -> None:
        plan, meta, doc = self.plan, self.plan.meta, self.doc
        self.add(doc, _TYPE, GBO.PolicyDocument)
        label = meta.title or Path(plan.source).name
        self.add(doc, _LABEL, _zh(label))
        if meta.title:
            self.add(doc, _TITLE, _zh(meta.title))
            self.evidence(doc, meta.title_span, GBO.titleEvidence)
        self.add(doc, DCTERMS.identifier, _text(plan.doc_id))
        self.add(doc, GBO.fileName, _text(Path(plan.source).name))
        self.add(doc, GBO.sha256, _text(plan.sha256))
        self.add(doc, GBO.characterCount, _nonneg(len(plan.text)))
        region = self.region(meta.adcode, meta.region)
        self.add(doc, DCTERMS.spatial, region)
        if region is not None:
            self.evidence(doc, meta.region_span, GBO.regionEvidence)
        if meta.status in _STATUS:
            self.add(doc, GBO.status, _STATUS[meta.status])
            self.evidence(doc, meta.status_span, GBO.statusEvidence)
        if meta.issuer:
            a = plan.issuer_agency  # resolved, with its function, by normalize.agencies
            if a is None or a.name != meta.issuer:
                raise ValueError(
                    f"the issuer {meta.issuer!r} of {plan.doc_id} is not resolved: run "
                    "graph_builder.normalize.agencies.resolve_issuer first"
                )
            issuer = self.agency_node(a.name, a.surface_forms, a.function, a.function_cue)
            self.add(doc, DCTERMS.publisher, issuer)
            self.evidence(doc, meta.issuer_span, GBO.issuerEvidence)
        if meta.date:
            self.add(doc, DCTERMS.issued, _date_literal(meta.date))
            self.evidence(doc, meta.date_span, GBO.dateEvidence)
        if meta.doc_number:
            self.add(doc, GBO.docNumber, _text(meta.doc_number))
            self.evidence(doc, meta.doc_number_span, GBO.docNumberEvidence)
        self.add(doc, GBO.leadRule, _text(plan.lead_rule))
        self.evidence(doc, plan.lead_rule_span, GBO.leadRuleEvidence)
        if plan.coordinator:
            self.responsibility(doc, "plan", plan.coordinator, "coordinator")
        for p in plan.places:
            self.add(doc, GBO.mentionsPlace, self.place_mention(p))

    def provenance(self, graph_iri: URIRef, agent: URIRef, generated_at: datetime) -> None:
        act = self.activity
        self.add(act, _TYPE, PROV.Activity)
        self.add(act, _LABEL, Literal(f"extraction of {Path(self.plan.source).name}", lang="en"))
        self.add(act, PROV.used, self.doc)
        self.add(act, PROV.wasAssociatedWith, agent)
        self.add(act, PROV.startedAtTime, _datetime_literal(generated_at))
        self.add(agent, _TYPE, PROV.SoftwareAgent)
        self.add(agent, _LABEL, _text(f"graph_builder {__version__}"))
        self.add(agent, SDO.name, _text("graph_builder"))
        self.add(agent, SDO.softwareVersion, _text(__version__))
        self.add(graph_iri, _TYPE, PROV.Entity)
        self.add(graph_iri, _GENERATED_BY, act)
        self.add(graph_iri, PROV.wasDerivedFrom, self.doc)

    # parts ------------------------------------------------------------------------------
    def actions(self) -> None:
        for i, a in enumerate(self.plan.actions, start=1):
            iri = self.item(self.iris.action(self.key, i), GBO.Action, a.span)
            self.add(iri, _LABEL, _zh(f"{a.id}、{a.title}"))
            self.add(iri, _TITLE, _zh(a.title))
            self.add(iri, GBO.number, _text(a.id))
            self.add(iri, GBO.ordinal, _positive(i))
            self.add(iri, _PART_OF, self.doc)
            self.evidence(iri, a.title_span, GBO.titleEvidence)

    def part_of(self, action: str | None, measure_index: int | None) -> URIRef:
        """The smallest part a target or instrument stands in: measure, action or document.

        The measure is the one the item holds the index of (its ordinal is index + 1), never
        one looked up by label: labels may repeat in a plan."""
        if measure_index is not None:
            return self.iris.measure(self.key, measure_index + 1)
        if action is not None and action in self._action_ordinal:
            return self.iris.action(self.key, self._action_ordinal[action])
        return self.doc

    def measure(self, m: Measure) -> None:
        n = m.index + 1
        iri = self.item(self.iris.measure(self.key, n), GBO.Measure, m.span)
        self.add(iri, _LABEL, _zh(f"{m.label} {m.title}"))
        self.add(iri, _TITLE, _zh(m.title))
        self.add(iri, GBO.number, _text(m.label))
        self.add(iri, GBO.ordinal, _positive(n))
        self.add(iri, _PART_OF, self.part_of(m.action, None))
        self.evidence(iri, m.title_span, GBO.titleEvidence)
        self.evidence(iri, m.label_span, GBO.numberEvidence)
        self.evidence(iri, m.clause, GBO.clauseEvidence)
        for u in m.unread:
            self.evidence(iri, u, GBO.unreadClauseText)
        for r in m.responsibilities:
            self.responsibility(iri, f"m{n}", r, "lead" if r.role == "lead" else "participant")
        for r in m.implementers:
            self.responsibility(iri, f"m{n}", r, "implementer")
        assignments = [(m.measure_type, True)] if m.measure_type else []
        assignments += [(t, False) for t in m.measure_type_also]
        for te, primary in assignments:
            concept = self.iris.concept("measure-type", te.concept)
            a = self.iris.type_assignment(self.key, n, te.concept)
            # A type read from cues cites them; one decided otherwise cites the measure.
            spans = te.spans or [m.span]
            self.item(a, GBO.MeasureTypeAssignment, spans[0], in_document=False)
            for s in spans[1:]:
                self.evidence(a, s)
            self.add(iri, GBO.hasTypeAssignment, a)
            self.add(a, GBO.concept, concept)
            self.add(a, GBO.score, decimal_literal(te.score))
            self.add(a, GBO.isPrimary, Literal(primary))
            self.add(iri, GBO.measureType if primary else GBO.alsoMeasureType, concept)
        for tag in m.instrument_tags:
            concept = self.iris.concept("instrument-type", tag.concept)
            t = self.iris.instrument_tagging(self.key, n, tag.concept, tag.span.start, tag.span.end)
            self.item(t, GBO.InstrumentTagging, tag.span, in_document=False)
            self.add(iri, GBO.hasInstrumentTagging, t)
            self.add(t, GBO.concept, concept)
            self.reading(t, GBO.cue, _text(tag.cue))
            self.add(iri, GBO.usesInstrumentType, concept)
        for p in m.places:
            self.add(iri, GBO.mentionsPlace, self.place_mention(p))

    def place_mention(self, p) -> URIRef:
        iri = self.iris.place_mention(self.key, p.span.start, p.span.end)
        self.item(iri, GBO.PlaceMention, p.span)
        self.add(iri, _LABEL, _zh(p.name))
        self.add(iri, GBO.place, self.region(p.adcode, p.name))
        return iri

    def targets(self) -> None:
        for i, t in enumerate(self.plan.targets, start=1):
            iri = self.item(self.iris.target(self.key, i), GBO.Target, t.span)
            self.add(self.part_of(t.action, t.measure_index), GBO.hasTarget, iri)
            self.add(iri, _LABEL, _zh(t.indicator or _short(t.span.text)))
            self.add(iri, GBO.ordinal, _positive(i))
            self.add(iri, GBO.indicator, _zh(t.indicator))
            if t.value is not None:
                self.add(iri, GBO.value, decimal_literal(t.value))
            self.add(iri, GBO.unit, _text(t.unit) if t.unit is not None else None)
            self.add(iri, GBO.comparator, _text(t.comparator) if t.comparator else None)
            if t.year is not None:
                self.add(iri, GBO.targetYear, Literal(f"{int(t.year):04d}", datatype=XSD.gYear))
            self.evidence(iri, t.value_span, GBO.valueEvidence)

    def instruments(self) -> None:
        for i, x in enumerate(self.plan.instruments, start=1):
            iri = self.item(self.iris.instrument(self.key, i), GBO.PricedInstrument, x.span)
            self.add(self.part_of(x.action, x.measure_index), GBO.hasInstrument, iri)
            self.add(iri, _LABEL, _zh(x.object or _short(x.span.text)))
            self.add(iri, GBO.ordinal, _positive(i))
            for s in x.mentions:  # the same instrument written again in its part
                self.evidence(iri, s)
            if x.mention_count > 1:
                self.add(iri, GBO.mentionCount, _positive(x.mention_count))
            concept = priced_instrument_concept(x.type)
            self.add(iri, GBO.instrumentType, self.iris.concept("instrument-type", concept))
            if x.product:
                self.add(iri, GBO.product, self.iris.concept("product", x.product))
                self.evidence(iri, x.product_span, GBO.productEvidence)
            if x.object:
                self.add(iri, GBO.instrumentObject, _zh(x.object))
            numbers = (
                (GBO.ratePercent, x.rate_pct), (GBO.ratePercentMax, x.rate_pct_max),
                (GBO.rate, x.rate), (GBO.rateMax, x.rate_max),
                (GBO.amount, x.amount), (GBO.amountMax, x.amount_max),
                (GBO.amountYuan, x.amount_yuan), (GBO.amountMaxYuan, x.amount_max_yuan),
            )  # fmt: skip
            for prop, value in numbers:
                if value is not None:
                    self.add(iri, prop, decimal_literal(value))
            if x.amount_unit:
                self.add(iri, GBO.amountUnit, _text(x.amount_unit))
            self.add(iri, GBO.amountIsCap, Literal(bool(x.amount_is_cap)))
            if x.per:
                self.add(iri, GBO.per, _text(x.per))
            if x.per_units:
                self.add(iri, GBO.perUnits, _text("/".join(x.per_units)))

    def planned_policies(self) -> None:
        for i, p in enumerate(self.plan.planned_policies, start=1):
            iri = self.item(self.iris.planned_policy(self.key, i), GBO.PlannedPolicy, p.span)
            self.add(iri, _LABEL, _zh(p.title))
            self.add(iri, _TITLE, _zh(p.title))
            self.add(iri, GBO.ordinal, _positive(i))
            self.add(iri, _PART_OF, self.doc)
            if p.deadline:
                self.add(iri, GBO.deadline, _date_literal(p.deadline))
                self.evidence(iri, p.deadline_span, GBO.deadlineEvidence)
            for r in p.agencies:
                role = "lead" if r.role == "lead" else "participant"
                self.responsibility(iri, f"p{i}", r, role)

    def run(self, graph_iri: URIRef, agent: URIRef, generated_at: datetime) -> None:
        self.provenance(graph_iri, agent, generated_at)
        self.agencies()
        self.document()
        self.actions()
        for m in self.plan.measures:
            self.measure(m)
        self.planned_policies()
        self.targets()
        self.instruments()


def plan_graph(
    plan: Plan,
    iris: Iris | None = None,
    generated_at: datetime | None = None,
    graph: Graph | None = None,
    evidence: Graph | None = None,
    provenance: str = DEFAULT_PROVENANCE,
) -> Graph:
    """The triples of one plan (into ``graph`` if given, else a new graph).

    Evidence (each item's ``gbo:evidence`` links and the spans they name) goes into
    ``evidence`` when given — the document's evidence graph, :meth:`Iris.evidence_graph` —
    else into ``graph`` with the facts. ``provenance`` is one of :data:`PROVENANCE`.
    """
    iris = iris or Iris()
    g = graph if graph is not None else Graph()
    key = iris.plan_key(plan)
    mapper = _DocumentMapper(plan, g, iris, iris.extraction(key), evidence, provenance)
    mapper.run(
        iris.plan_graph(plan), iris.software_agent(__version__), generated_at or build_time()
    )
    return g


def union_graph(data: Graph | Dataset) -> Graph:
    """All triples of every graph of a dataset in one graph (its prefixes bound); a plain
    graph is returned as it is. The one place the union view is made."""
    if not isinstance(data, Dataset):
        return data
    g = Graph()
    for prefix, ns in data.namespace_manager.namespaces():
        g.namespace_manager.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _c in data.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def build_dataset(
    plans: Iterable[Plan],
    base: str | None = None,
    generated_at: datetime | None = None,
    with_ontology: bool = True,
    provenance: str = DEFAULT_PROVENANCE,
) -> Dataset:
    """A dataset with, per document, its named graph of facts and its evidence graph (none
    with ``provenance='none'``), and, optionally, the ontology graph."""
    iris = Iris(base)
    generated_at = generated_at or build_time()
    ds = Dataset(default_union=True)
    bind_prefixes(ds, iris)
    if with_ontology:
        og = ds.graph(GBO_ONTOLOGY)
        for t in _ontology_triples():
            og.add(t)
    for plan in sorted(plans, key=lambda p: (p.doc_id, p.sha256)):
        key = iris.plan_key(plan)
        ev = None if provenance == "none" else ds.graph(iris.evidence_graph(key))
        plan_graph(plan, iris, generated_at, ds.graph(iris.plan_graph(plan)), ev, provenance)
    return ds
