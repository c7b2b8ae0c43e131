"""Which objects of the model are the same node of the graph.

**Documents** are identified by what they are, never by where they were read from
(:func:`document_key`): the plan's region (GB/T 2260 code) and its title, normalised, when
both were read; else a digest of the normalised text. The same plan read from a ``.txt`` and
an ``.html`` file, or from two copies, is one document; a revised version of a plan (same
region and title, other text) has the identity of the version it replaces. Issue date and
document number are recorded, not part of the identity, so a draft and the issued plan are
one plan whose latest build replaces the earlier. :func:`text_digest` tells a copy (same
normalised text) from a revision.

**Agencies**: the extractor groups surface forms of one unit within a document (``plan.agencies``). Across
documents, a unit is identified by the region it belongs to and its *region-qualified* name:
``市商务局`` in a 株洲 plan and ``株洲市商务局`` anywhere are both ``株洲市商务局`` of region
430200. The RDF and NetworkX views both call these functions, so they agree on node identity.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from graph_builder import lexicon as lx
from graph_builder.model import Agency, Plan
from graph_builder.normalize.agencies import region_of_unit
from graph_builder.normalize.places import Place, gazetteer

__all__ = [
    "AgencyIdentity",
    "document_key",
    "normalised_text",
    "normalised_title",
    "text_digest",
    "agency_identity",
    "identity_of",
    "qualify",
    "region_place",
    "region_chain",
]



#: Status markers a title may carry that do not change which plan it is (a draft and the
#: issued plan are one plan).
_STATUS_MARK = re.compile(
    "[（(]?"
    + lx.alternation(lx.document_words("draft_marker") + lx.document_words("revision_marker"))
    + "[）)]?"
)
_PUNCT = re.compile(r"[\s《》“”\"'‘’「」『』·•・]")


def normalised_text(text: str) -> str:
    """``text`` as compared across formats: NFKC-folded (full-width → half-width), every
    whitespace and line separator removed (paragraph breaks differ between a page and a
    text file)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def text_digest(text: str) -> str:
    """16 hex digits of the SHA-256 of :func:`normalised_text`: equal for copies of a plan."""
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()[:16]


def normalised_title(title: str | None) -> str:
    """A title as compared across versions: NFKC-folded, without spaces, quotes and status
    markers (``（征求意见稿）``)."""
    if not title:
        return ""
    t = unicodedata.normalize("NFKC", title)
    t = _STATUS_MARK.sub("", t)
    return _PUNCT.sub("", t)


def document_key(plan: Plan) -> str:
    """The identity of ``plan`` as 16 hex digits: from its region code and normalised title
    when both are known, else from its normalised text. Never from its file name or path."""
    title = normalised_title(plan.meta.title)
    if plan.meta.adcode and title:
        parts = ("plan", plan.meta.adcode, title)
    else:
        parts = ("text", normalised_text(plan.text))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class AgencyIdentity:
    """The region code (or None) and region-qualified name that identify an agency node."""

    adcode: str | None
    qualified_name: str


def region_place(adcode: str | None) -> Place | None:
    """The gazetteer entry of a GB/T 2260 code, if it has one."""
    if not adcode:
        return None
    return gazetteer().by_code.get(adcode)


def region_chain(adcode: str | None) -> list[Place]:
    """The region of ``adcode`` and every region above it, nearest first."""
    g = gazetteer()
    out: list[Place] = []
    place = region_place(adcode)
    while place is not None and place not in out:
        out.append(place)
        place = g.parent(place)
    return out


def _clean(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def qualify(name: str, place: Place | None) -> str:
    """``name`` with a bare level prefix replaced by the region's name (市商务局 → 株洲市商务局)."""
    name = _clean(name)
    if place is None or not name or name.startswith(place.name):
        return name
    # the bare level prefix that stands for a region of this level (市商务局: the city's 商务局)
    for prefix in lx.region_level_prefixes(place.level):
        if name.startswith(prefix) and len(name) > len(prefix):
            return place.name + name[len(prefix) :]
    return name


def agency_identity(name: str, plan: Plan) -> AgencyIdentity:
    """The identity of the unit called ``name`` (a normalised name) in ``plan``."""
    _level, code = region_of_unit(name, plan.meta.adcode)
    return AgencyIdentity(code, qualify(name, region_place(code)))


def identity_of(agency: Agency, plan: Plan) -> AgencyIdentity:
    """The identity of one of ``plan.agencies`` (by its canonical name)."""
    return agency_identity(agency.name, plan)
