"""The one module that mints IRIs of the graph.

Every IRI is a pure function of content, so the same input gives the same graph on any
machine and in any run:

* a document, and its named graph, by what it is: a digest of its region code and normalised
  title, else of its normalised text (:func:`graph_builder.graph.identity.document_key`),
  never of its file name, so copies of one plan are one document and a revision replaces it;
* its parts by that key and their ordinal (``measure/<doc>-3``), or by character offsets
  (``span/<doc>-565-1014``);
* a region by its GB/T 2260 code (``region/430200``);
* an agency by the code of its region and a hash of its region-qualified name
  (``agency/430200-<hash>``), so the same unit of the same region is one node however many
  measures or documents name it;
* a concept of a SKOS scheme by its key (``…/vocab/measure-type/trade_in``).

Nothing from document text goes into an IRI unhashed: local names are hex digests, integers,
GB/T codes or concept keys checked against a safe pattern, so every IRI is valid and every
local name is a valid Turtle prefixed name. The base of instance IRIs is configurable
(``GB_IRI_BASE`` or the ``base`` argument); the ontology and vocabulary IRIs are fixed.

Example::

    >>> iris = Iris("https://example.org/kg/")
    >>> str(iris.region("430200"))
    'https://example.org/kg/region/430200'
    >>> str(iris.concept("measure-type", "trade_in"))
    'https://w3id.org/graph-builder/vocab/measure-type/trade_in'
"""

from __future__ import annotations

import hashlib
import os
import re
from urllib.parse import quote, urlsplit

from rdflib import Namespace, URIRef

from graph_builder.graph.namespace import VOCAB

__all__ = ["DEFAULT_BASE", "KINDS", "SCHEMES", "Iris", "digest"]

#: Default base of instance IRIs.
DEFAULT_BASE = "https://w3id.org/graph-builder/id/"

#: Kinds of instance IRIs; each is a namespace ``<base><kind>/`` bound to a prefix of its name.
KINDS = (
    "doc",
    "graph",
    "extraction",
    "agent",
    "action",
    "measure",
    "policy",
    "responsibility",
    "target",
    "instrument",
    "type-assignment",
    "instrument-tagging",
    "place-mention",
    "span",
    "region",
    "agency",
)

#: SKOS schemes the graph links to: scheme name in IRIs → file in ``ontology/``.
SCHEMES = {
    "measure-type": "measure_types.ttl",
    "instrument-type": "instrument_types.ttl",
    "agency-function": "agency_functions.ttl",
    "organisation-form": "organisation_forms.ttl",
    "section-kind": "section_kinds.ttl",
    "quantity": "quantities.ttl",
    "product": "products.ttl",
    "responsibility-cue": "responsibility_cues.ttl",
}

_SAFE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
_ADCODE = re.compile(r"^[0-9]{6}$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*[0-9A-Za-z]$")


def digest(*parts: str, length: int = 16) -> str:
    """Hex SHA-256 of the parts joined by U+001F (unit separator), truncated."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def _safe_key(key: str) -> str:
    """A concept key as is when it is a safe local name, else a hash of it."""
    return key if _SAFE_KEY.match(key) else "k" + digest(key)


#: IRIs minted lately, one object per IRI: (namespace, local name) → the URIRef.
_MINTED: dict[tuple[str, str], URIRef] = {}
#: Bound on :data:`_MINTED`: a long run must not grow with the corpus (a plan mints a few
#: thousand IRIs).
_MINTED_MAX = 50_000


def _interned(namespace: str, local: str) -> URIRef:
    """The IRI ``namespace + local``, the same object each time it is minted (until the
    bounded cache is cleared).

    Why: a node's IRI is minted again wherever it is linked to (a span by every item it is
    evidence of, a concept by every measure of its type, a measure by its targets), and the
    serializer looks the text of each IRI up by the term (see
    :func:`graph_builder.graph.oxigraph.nquads`): a key found as the same object compares
    by identity, an equal one compares with rdflib's ``__eq__``, in Python. The key here is
    two plain strings, compared in C.
    """
    key = (str.__str__(namespace), local)
    iri = _MINTED.get(key)
    if iri is None:
        if len(_MINTED) >= _MINTED_MAX:
            _MINTED.clear()
        iri = _MINTED[key] = URIRef(key[0] + local)
    return iri


class Iris:
    """Mint the IRIs of one graph under one base."""

    def __init__(self, base: str | None = None):
        base = base or os.environ.get("GB_IRI_BASE") or DEFAULT_BASE
        parts = urlsplit(base)
        if not parts.scheme or not parts.netloc or not base.endswith(("/", "#")):
            raise ValueError(
                f"IRI base {base!r} must be an absolute http(s) IRI ending with '/' or '#'"
            )
        if any(c in base for c in ' <>"{}|\\^`'):
            raise ValueError(f"IRI base {base!r} contains characters not allowed in an IRI")
        self.base = base
        self.ns = {kind: Namespace(base + kind + "/") for kind in KINDS}

    def prefixes(self) -> dict[str, str]:
        """Prefix → namespace of every instance kind (``measure:`` → ``<base>measure/``)."""
        return {kind.replace("-", "_"): str(ns) for kind, ns in self.ns.items()}

    def _mint(self, kind: str, local: str) -> URIRef:
        return _interned(self.ns[kind], local)

    # documents and their provenance -------------------------------------------------------
    @staticmethod
    def plan_key(plan) -> str:
        """The document key of ``plan``: what the plan is (region and title, else its text),
        never its file name; see :func:`graph_builder.graph.identity.document_key`."""
        from graph_builder.graph.identity import document_key

        return document_key(plan)

    def plan_document(self, plan) -> URIRef:
        """The document node of ``plan``."""
        return self.document(self.plan_key(plan))

    def plan_graph(self, plan) -> URIRef:
        """The named graph of ``plan``: keyed like the document, so a revised version of a
        plan replaces the earlier one's graph, and a plan named like another does not."""
        return self.graph(self.plan_key(plan))

    def document(self, doc: str) -> URIRef:
        return self._mint("doc", doc)

    def graph(self, doc: str) -> URIRef:
        """The named graph that holds everything read from one document."""
        return self._mint("graph", doc)

    def evidence_graph(self, doc: str) -> URIRef:
        """The named graph that holds the evidence of one document's facts: where in the
        text each was read (``graph/<doc>-evidence``), so facts load with or without it."""
        return self._mint("graph", f"{doc}-evidence")

    def extraction(self, doc: str) -> URIRef:
        """The PROV activity that read one document."""
        return self._mint("extraction", doc)

    def software_agent(self, version: str) -> URIRef:
        if not _VERSION.match(version):
            version = "v" + digest(version)
        return self._mint("agent", f"graph_builder-{version}")

    # parts of a document ----------------------------------------------------------------
    def action(self, doc: str, ordinal: int) -> URIRef:
        return self._mint("action", f"{doc}-{int(ordinal)}")

    def measure(self, doc: str, ordinal: int) -> URIRef:
        return self._mint("measure", f"{doc}-{int(ordinal)}")

    def planned_policy(self, doc: str, ordinal: int) -> URIRef:
        return self._mint("policy", f"{doc}-{int(ordinal)}")

    def target(self, doc: str, ordinal: int) -> URIRef:
        return self._mint("target", f"{doc}-{int(ordinal)}")

    def instrument(self, doc: str, ordinal: int) -> URIRef:
        return self._mint("instrument", f"{doc}-{int(ordinal)}")

    def responsibility(self, doc: str, owner: str, role: str, position: int) -> URIRef:
        """A responsibility of ``owner`` (``m3``: measure 3, ``p1``: planned policy 1,
        ``plan``: the whole plan); implementers have their own position sequence."""
        if not re.fullmatch(r"m\d+|p\d+|plan", owner):
            raise ValueError(f"bad responsibility owner {owner!r}")
        tag = {"lead": "", "participant": "", "implementer": "i", "coordinator": "c"}[role]
        return self._mint("responsibility", f"{doc}-{owner}-{tag}{int(position)}")

    def type_assignment(self, doc: str, measure_ordinal: int, concept: str) -> URIRef:
        return self._mint("type-assignment", f"{doc}-{int(measure_ordinal)}-{_safe_key(concept)}")

    def instrument_tagging(
        self, doc: str, measure_ordinal: int, concept: str, start: int, end: int
    ) -> URIRef:
        return self._mint(
            "instrument-tagging",
            f"{doc}-{int(measure_ordinal)}-{_safe_key(concept)}-{int(start)}-{int(end)}",
        )

    def place_mention(self, doc: str, start: int, end: int) -> URIRef:
        return self._mint("place-mention", f"{doc}-{int(start)}-{int(end)}")

    # evidence ---------------------------------------------------------------------------
    def span(self, doc: str, start: int, end: int) -> URIRef:
        """The oa:SpecificResource of a character range of one document."""
        return self._mint("span", f"{doc}-{int(start)}-{int(end)}")

    def position_selector(self, doc: str, start: int, end: int) -> URIRef:
        return self._mint("span", f"{doc}-{int(start)}-{int(end)}-position")

    def quote_selector(self, doc: str, start: int, end: int) -> URIRef:
        return self._mint("span", f"{doc}-{int(start)}-{int(end)}-quote")

    # shared nodes -----------------------------------------------------------------------
    def region(self, adcode: str) -> URIRef:
        if not _ADCODE.match(adcode or ""):
            raise ValueError(f"not a GB/T 2260 code: {adcode!r}")
        return self._mint("region", adcode)

    def agency(self, qualified_name: str, adcode: str | None, doc: str) -> URIRef:
        """An agency: one per region and region-qualified name.

        Where the region is unknown the agency is scoped to its document, so two unrelated
        ``市商务局`` of unknown regions never merge.
        """
        if adcode and _ADCODE.match(adcode):
            return self._mint("agency", f"{adcode}-{digest(adcode, qualified_name)}")
        return self._mint("agency", f"{doc}-{digest(doc, qualified_name)}")

    @staticmethod
    def concept(scheme: str, key: str) -> URIRef:
        """A concept of one of the project's SKOS schemes (fixed IRIs, not under the base)."""
        if scheme not in SCHEMES:
            raise ValueError(f"unknown concept scheme {scheme!r}")
        local = key if _SAFE_KEY.match(key) else quote(key, safe="_-")
        return _interned(f"{VOCAB}{scheme}/", local)
