"""English names of regions and agencies, built from the gazetteer and the ontology.

A region's English name is the pinyin of its name without the kind of division it ends with,
followed by that kind's English word (宁波市 → "Ningbo City", 山西省 → "Shanxi Province",
海曙区 → "Haishu District"): the kinds and their words are in ``ontology/region_names.ttl``,
as are the established names plain pinyin gets wrong (陕西省 → "Shaanxi Province"), by code.
Syllables are joined as place names are written in pinyin, with an apostrophe where a
syllable starting with a, o or e would run into the one before (西安 → "Xi'an").

An agency's English label says what it is and where, not a translation of its name: the
English label of its function type (``ontology/agency_functions.ttl``) and its region
("Commerce (Ningbo City)"); one without a region gets the function alone.
"""

from __future__ import annotations

from functools import cache, lru_cache

from graph_builder.model import Agency, Plan
from graph_builder.vocab import ConceptScheme, agency_functions, load_scheme

__all__ = ["romanise", "region_name_en", "agency_label_en", "plan_region_en", "agency_en"]

_VOWELS = ("a", "o", "e")


@cache
def _scheme() -> ConceptScheme | None:
    try:
        return load_scheme("region_names.ttl")
    except FileNotFoundError:  # an ontology folder of one's own without the file
        return None


@cache
def _kinds() -> tuple[tuple[str, str], ...]:
    """(suffix, English word) pairs, longest suffix first."""
    s = _scheme()
    if s is None:
        return ()
    pairs = [(cue, c.label_en) for c in s if c.broader == "kinds" for cue in c.cues]
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


@cache
def _established() -> dict[str, str]:
    s = _scheme()
    if s is None:
        return {}
    return {c.notation: c.label_en for c in s if c.broader == "established" and c.notation}


def romanise(name: str) -> str:
    """Pinyin of ``name`` written as a place name: one word, capitalised, no tones."""
    from pypinyin import Style, lazy_pinyin

    out = ""
    for syllable in lazy_pinyin(name, style=Style.NORMAL, v_to_u=True):
        if out and syllable[:1] in _VOWELS and out[-1:].isalpha():
            out += "'"
        out += syllable
    return out[:1].upper() + out[1:]


@lru_cache(maxsize=8192)
def region_name_en(name: str | None, adcode: str | None = None) -> str | None:
    """The English name of the region called ``name`` (code ``adcode``), or None.

    Remembered: every agency of a plan names its region again, and pinyin conversion was
    4 % of a document's time; region names are few (GB/T 2260 has ~3,200 units), so the
    bounded cache holds a whole corpus's."""
    if adcode and adcode in _established():
        return _established()[adcode]
    if not name:
        return None
    for suffix, word in _kinds():
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{romanise(name[: -len(suffix)])} {word}"
    return romanise(name)


def agency_label_en(function: str | None, region_en: str | None) -> str | None:
    """An English label for an agency: its function's English label and its region."""
    scheme = agency_functions()
    if not function or function not in scheme:
        return None
    label = scheme[function].label_en
    return f"{label} ({region_en})" if region_en else label


def plan_region_en(plan: Plan) -> str | None:
    """The English name of a plan's region."""
    return region_name_en(plan.meta.region, plan.meta.adcode)


def agency_en(agency: Agency, plan: Plan) -> str | None:
    """The English label of one of ``plan.agencies`` (as the graph gives it)."""
    from graph_builder.graph.identity import identity_of, region_place

    place = region_place(identity_of(agency, plan).adcode)
    return agency_label_en(
        agency.function, region_name_en(place.name, place.adcode) if place else None
    )
