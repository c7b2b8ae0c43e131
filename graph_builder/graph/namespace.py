"""Closed namespaces of the graph: a misspelled term raises instead of minting a bad IRI.

:class:`GBO` lists every term of ``ontology/graph_builder.ttl`` (a test keeps the two equal);
:class:`OA` the Web Annotation terms the graph uses. External vocabularies that rdflib ships
closed (ORG, PROV, SKOS, DCTERMS, SDO) are re-exported from rdflib.
"""

from __future__ import annotations

from inspect import get_annotations
from typing import TypeVar

from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
    Namespace,
)

__all__ = [
    "GBO",
    "OA",
    "GBO_ONTOLOGY",
    "VOCAB",
    "PREFIXES",
    "DCTERMS",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SKOS",
    "XSD",
]

#: The ontology's IRI (the graph that holds the ontology and vocabularies is named by it).
GBO_ONTOLOGY = URIRef("https://w3id.org/graph-builder/ontology")

#: Where the SKOS concept schemes live: ``VOCAB + "<scheme>/" + key``.
VOCAB = "https://w3id.org/graph-builder/vocab/"

_NS = TypeVar("_NS", bound=type[DefinedNamespace])


def _materialised(ns: _NS) -> _NS:
    """Make every declared term of a project namespace a plain class attribute.

    rdflib answers ``GBO.x`` through its metaclass's ``__getattr__`` and a cache, about
    0.6 µs a lookup, and the mapper of :mod:`.rdf` looks terms up some 10,000 times per
    document. An attribute of the class is found before ``__getattr__`` is asked, so the
    same term object comes back at the price of a plain attribute read, while a misspelled
    name still reaches ``__getattr__`` and raises. The annotations are left as they are, so
    ``dir``, ``in`` and the ontology test see the same terms.
    """
    for name in get_annotations(ns):
        setattr(ns, name, ns[name])
    return ns


@_materialised
class GBO(DefinedNamespace):
    """The graph_builder ontology (``ontology/graph_builder.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/graph-builder/ontology#")

    # classes
    PolicyDocument: URIRef
    ExtractedItem: URIRef
    Action: URIRef
    Measure: URIRef
    PlannedPolicy: URIRef
    Region: URIRef
    AdministrativeLevel: URIRef
    Agency: URIRef
    Responsibility: URIRef
    ResponsibilityRole: URIRef
    Target: URIRef
    PricedInstrument: URIRef
    InstrumentTagging: URIRef
    MeasureTypeAssignment: URIRef
    PlaceMention: URIRef
    DocumentStatus: URIRef
    # named individuals
    Lead: URIRef
    Participant: URIRef
    Implementer: URIRef
    Coordinator: URIRef
    Issued: URIRef
    Draft: URIRef
    ProvincialLevel: URIRef
    PrefecturalLevel: URIRef
    CountyLevel: URIRef
    # object properties
    inDocument: URIRef
    status: URIRef
    hasResponsibility: URIRef
    agency: URIRef
    role: URIRef
    leadAgency: URIRef
    responsibleAgency: URIRef
    implementingAgency: URIRef
    coordinator: URIRef
    jurisdiction: URIRef
    withinRegion: URIRef
    administrativeLevel: URIRef
    hasTarget: URIRef
    hasInstrument: URIRef
    instrumentType: URIRef
    usesInstrumentType: URIRef
    hasInstrumentTagging: URIRef
    measureType: URIRef
    alsoMeasureType: URIRef
    hasTypeAssignment: URIRef
    concept: URIRef
    mentionsPlace: URIRef
    place: URIRef
    evidence: URIRef
    titleEvidence: URIRef
    numberEvidence: URIRef
    clauseEvidence: URIRef
    unreadClauseText: URIRef
    regionEvidence: URIRef
    statusEvidence: URIRef
    issuerEvidence: URIRef
    dateEvidence: URIRef
    docNumberEvidence: URIRef
    leadRuleEvidence: URIRef
    valueEvidence: URIRef
    deadlineEvidence: URIRef
    # datatype properties
    sha256: URIRef
    fileName: URIRef
    characterCount: URIRef
    docNumber: URIRef
    leadRule: URIRef
    number: URIRef
    ordinal: URIRef
    position: URIRef
    mentionedName: URIRef
    restoredPrefix: URIRef
    knownUnitForm: URIRef
    mentionSource: URIRef
    functionCue: URIRef
    adcode: URIRef
    indicator: URIRef
    value: URIRef
    unit: URIRef
    comparator: URIRef
    targetYear: URIRef
    instrumentObject: URIRef
    ratePercent: URIRef
    ratePercentMax: URIRef
    rate: URIRef
    rateMax: URIRef
    amountMax: URIRef
    amountYuan: URIRef
    amountMaxYuan: URIRef
    perUnits: URIRef
    amount: URIRef
    amountUnit: URIRef
    amountIsCap: URIRef
    per: URIRef
    score: URIRef
    isPrimary: URIRef
    cue: URIRef
    deadline: URIRef
    # annotation properties of the SKOS vocabularies
    negativeCue: URIRef
    prefLabelIsCue: URIRef
    uniquePerRegion: URIRef
    takesLevelPrefix: URIRef
    sharedHead: URIRef
    wholeName: URIRef
    levelPrefix: URIRef
    collectiveOnly: URIRef
    cueKind: URIRef
    clauseRole: URIRef
    pricedType: URIRef
    product: URIRef
    productEvidence: URIRef
    holdsMeasures: URIRef
    symbol: URIRef
    cuePosition: URIRef
    kind: URIRef
    yuanPerUnit: URIRef
    targetUnit: URIRef


@_materialised
class OA(DefinedNamespace):
    """The Web Annotation terms the graph uses (https://www.w3.org/TR/annotation-vocab/)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef


#: Prefixes bound in every serialization (instance prefixes are added by :mod:`.iris`).
PREFIXES: dict[str, str] = {
    "gbo": str(GBO._NS),
    "mt": VOCAB + "measure-type/",
    "it": VOCAB + "instrument-type/",
    "af": VOCAB + "agency-function/",
    "of": VOCAB + "organisation-form/",
    "org": str(ORG._NS),
    "prov": str(PROV._NS),
    "oa": str(OA._NS),
    "dcterms": str(DCTERMS._NS),
    "skos": str(SKOS._NS),
    "schema": str(SDO._NS),
    "owl": str(OWL._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
    "sh": str(SH._NS),
    "vann": "http://purl.org/vocab/vann/",
}
