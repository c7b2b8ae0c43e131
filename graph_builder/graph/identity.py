"""Which objects of the model are the same node of the graph.

The extractor groups surface forms of one unit within a document (``plan.agencies``). Across
documents, a unit is identified by the region it belongs to and its *region-qualified* name:
``市商务局`` in a 株洲 plan and ``株洲市商务局`` anywhere are both ``株洲市商务局`` of region
430200. The RDF and NetworkX views both call these functions, so they agree on node identity.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from graph_builder.model import Agency, Plan
from graph_builder.normalize.agencies import region_of_unit
from graph_builder.normalize.places import Place, gazetteer

__all__ = [
    "AgencyIdentity",
    "agency_identity",
    "identity_of",
    "qualify",
    "region_place",
    "region_chain",
]

#: The level prefix that stands for a region of each level (市商务局: the city's 商务局).
_LEVEL_PREFIX = {"province": "省", "city": "市", "county": "县区"}


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
    if name[0] in _LEVEL_PREFIX.get(place.level, "") and len(name) > 1:
        return place.name + name[1:]
    return name


def agency_identity(name: str, plan: Plan) -> AgencyIdentity:
    """The identity of the unit called ``name`` (a normalised name) in ``plan``."""
    _level, code = region_of_unit(name, plan.meta.adcode)
    return AgencyIdentity(code, qualify(name, region_place(code)))


def identity_of(agency: Agency, plan: Plan) -> AgencyIdentity:
    """The identity of one of ``plan.agencies`` (by its canonical name)."""
    return agency_identity(agency.name, plan)
