"""Load the project's vocabulary from the SKOS files of the ontology.

The ontology ships inside the package (``graph_builder/ontology/``, read with
:mod:`importlib.resources`, so an installed wheel finds it from any working directory; the
repository's top-level ``ontology/`` is a link to it). ``GB_ONTOLOGY_DIR`` overrides it with a
folder of one's own.

The extractor never keeps its own lists of labels or cue words: agency function types,
organisation forms, measure types and instrument types are concepts in ``ontology/*.ttl``,
and their ``skos:hiddenLabel`` values are the cues matched in text, with the Chinese
``skos:prefLabel`` when the concept says ``gbo:prefLabelIsCue true`` (SKOS integrity rule S13
forbids one string as both preferred and hidden label). Blocking words are
``gbo:negativeCue``, a property of their own. This module turns those files into small
immutable lookup structures, once per process.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

__all__ = [
    "ONTOLOGY_DIR",
    "Concept",
    "ConceptScheme",
    "load_scheme",
    "agency_functions",
    "organisation_forms",
    "measure_types",
    "instrument_types",
    "quantities",
    "responsibility_cues",
    "document_cues",
]


def _copy_tree(node, dest: Path) -> None:
    for child in node.iterdir():
        if child.is_dir():
            (dest / child.name).mkdir()
            _copy_tree(child, dest / child.name)
        else:
            (dest / child.name).write_bytes(child.read_bytes())


def _bundled_ontology() -> Path:
    """The package's own ontology folder as a path on disk.

    An installed package (wheel, editable or source checkout) has it on disk already; a
    package imported from a zip file gets a temporary copy, removed at exit
    (``importlib.resources.as_file`` takes folders only from Python 3.12 on).
    """
    node = resources.files("graph_builder").joinpath("ontology")
    if isinstance(node, Path):
        return node
    tmp = Path(tempfile.mkdtemp(prefix="graph_builder-ontology-"))
    atexit.register(shutil.rmtree, tmp, True)
    _copy_tree(node, tmp)
    return tmp


#: Where the ontology files live: inside the package, or ``GB_ONTOLOGY_DIR`` for a custom
#: vocabulary.
ONTOLOGY_DIR = (
    Path(os.environ["GB_ONTOLOGY_DIR"])
    if os.environ.get("GB_ONTOLOGY_DIR")
    else _bundled_ontology()
)

GBO = "https://w3id.org/graph-builder/ontology#"
_PREF_IS_CUE = GBO + "prefLabelIsCue"


@dataclass(frozen=True)
class Concept:
    """A SKOS concept with the fields the extractor uses."""

    iri: str
    key: str
    label_zh: str
    label_en: str
    cues: tuple[str, ...] = ()
    negative_cues: tuple[str, ...] = ()
    broader: str | None = None
    flags: dict = field(default_factory=dict, hash=False, compare=False)
    notation: str | None = None


@dataclass(frozen=True)
class ConceptScheme:
    """The concepts of one scheme, keyed by local name, with cues longest first."""

    iri: str
    concepts: dict[str, Concept]

    def __getitem__(self, key: str) -> Concept:
        return self.concepts[key]

    def __contains__(self, key: str) -> bool:
        return key in self.concepts

    def __iter__(self):
        return iter(self.concepts.values())

    def top(self, key: str) -> str:
        """The top concept above ``key`` (itself when it has no broader concept)."""
        seen = set()
        while self.concepts[key].broader and key not in seen:
            seen.add(key)
            key = self.concepts[key].broader
        return key

    def cue_index(self) -> tuple[tuple[str, str], ...]:
        """(cue, concept key) pairs, longest cue first, ties in key order (deterministic)."""
        return self._cue_index

    @cached_property
    def _cue_index(self) -> tuple[tuple[str, str], ...]:
        # computed once per scheme: the readers ask for it for every name and title
        pairs = [(cue, c.key) for c in self.concepts.values() for cue in c.cues]
        return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[1], p[0])))


def _literal_by_lang(values, lang: str) -> str:
    for v in values:
        if getattr(v, "language", None) == lang:
            return str(v)
    return str(values[0]) if values else ""


@cache
def load_scheme(filename: str) -> ConceptScheme:
    """Parse one SKOS file of ``ontology/`` into a :class:`ConceptScheme`."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, SKOS

    path = ONTOLOGY_DIR / filename
    if not path.is_file():
        raise FileNotFoundError(
            f"ontology file {path} not found"
            + (" (GB_ONTOLOGY_DIR is set)" if os.environ.get("GB_ONTOLOGY_DIR") else "")
        )
    g = Graph()
    g.parse(path, format="turtle")
    schemes = list(g.subjects(RDF.type, SKOS.ConceptScheme))
    if len(schemes) != 1:
        raise ValueError(f"{path}: expected one skos:ConceptScheme, found {len(schemes)}")
    scheme = str(schemes[0])
    concepts: dict[str, Concept] = {}
    for s in sorted(g.subjects(RDF.type, SKOS.Concept), key=str):
        iri = str(s)
        key = iri[len(scheme) :] if iri.startswith(scheme) else iri.rsplit("/", 1)[-1]
        labels = list(g.objects(s, SKOS.prefLabel))
        broader = g.value(s, SKOS.broader)
        flags = {}
        for p, o in g.predicate_objects(s):
            if str(p).startswith(GBO) and str(p) not in (GBO + "negativeCue", _PREF_IS_CUE):
                flags[str(p)[len(GBO) :]] = o.toPython()
        cues = {str(o) for o in g.objects(s, SKOS.hiddenLabel)}
        pref_is_cue = g.value(s, URIRef(_PREF_IS_CUE))
        if pref_is_cue is not None and pref_is_cue.toPython():
            # SKOS S13: a string is never both prefLabel and hiddenLabel of one concept, so a
            # preferred label that is also matched says so with gbo:prefLabelIsCue.
            cues |= {str(o) for o in labels if getattr(o, "language", None) == "zh"}
        notation = g.value(s, SKOS.notation)
        concepts[key] = Concept(
            iri=iri,
            key=key,
            label_zh=_literal_by_lang(labels, "zh"),
            label_en=_literal_by_lang(labels, "en"),
            cues=tuple(sorted(cues)),
            negative_cues=tuple(sorted(str(o) for o in g.objects(s, URIRef(GBO + "negativeCue")))),
            broader=(str(broader)[len(scheme) :] if broader is not None else None),
            flags=flags,
            notation=str(notation) if notation is not None else None,
        )
    return ConceptScheme(scheme, concepts)


def agency_functions() -> ConceptScheme:
    """Function types of responsible units (``ontology/agency_functions.ttl``)."""
    return load_scheme("agency_functions.ttl")


def organisation_forms() -> ConceptScheme:
    """Head nouns of unit names (``ontology/organisation_forms.ttl``)."""
    return load_scheme("organisation_forms.ttl")


def measure_types() -> ConceptScheme:
    """Measure types aligned with the national plan (``ontology/measure_types.ttl``)."""
    return load_scheme("measure_types.ttl")


def instrument_types() -> ConceptScheme:
    """Policy instrument types on Hood's NATO classes (``ontology/instrument_types.ttl``)."""
    return load_scheme("instrument_types.ttl")


def quantities() -> ConceptScheme:
    """Comparators, units and year markers of targets (``ontology/quantities.ttl``)."""
    return load_scheme("quantities.ttl")


def priced_instrument_concept(priced_type: str) -> str:
    """The instrument-type concept a priced instrument's gold-schema ``type`` stands for.

    The key itself when the scheme has it (``subsidy``, ``voucher`` …), else the concept
    whose ``gbo:pricedType`` names it (``fund_support`` → ``special_fund``).
    """
    scheme = instrument_types()
    if priced_type in scheme:
        return priced_type
    for c in scheme:
        if c.flags.get("pricedType") == priced_type:
            return c.key
    raise KeyError(f"no instrument-type concept for priced type {priced_type!r}")


def responsibility_cues() -> ConceptScheme:
    """Role labels, verbs, connectors and tails of clauses (``ontology/responsibility_cues.ttl``)."""
    return load_scheme("responsibility_cues.ttl")


def products() -> ConceptScheme:
    """Products and services priced instruments pay for (``ontology/products.ttl``)."""
    return load_scheme("products.ttl")


def document_cues() -> ConceptScheme:
    """Words of a plan's frame: genres, draft markers, field labels, issuer heads, table
    headings, outline and page words (``ontology/document_cues.ttl``)."""
    return load_scheme("document_cues.ttl")
