"""A gazetteer of Chinese administrative divisions with GB/T 2260 codes.

The data is the ``adcodes.csv`` table shipped by the ``cpca`` package (names and 12-digit
statistical codes of provinces, prefectures and counties); the first six digits are the
GB/T 2260 code, and the parent of a code follows from its digits (``430281`` → ``430200`` →
``430000``). No list of places is written in this project.

Generic rows of the table (``县`` for Chongqing's counties, ``市辖区``, ``省直辖县级行政区划``)
are reachable by code but never found in text or looked up by name: ``各县（市、区）`` names no
region. A place named in a plan is looked up in the plan's own region tree
(:meth:`Gazetteer.resolve_in_region`): its region, the regions above and the regions below it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from graph_builder import lexicon as lx

__all__ = ["Place", "Gazetteer", "gazetteer"]

#: Suffixes cut for a short name (``rn:short_name_suffix``), longest first.
_SUFFIXES = lx.words("region_names.ttl", "short_name_suffix")
_GENERIC_NAMES = frozenset(lx.words("region_names.ttl", "generic_name"))
_GENERIC_PARTS = lx.words("region_names.ttl", "generic_part")


def is_generic(name: str) -> bool:
    """Whether a gazetteer name is a generic division word rather than a place's name."""
    return name in _SUFFIXES or name in _GENERIC_NAMES or any(w in name for w in _GENERIC_PARTS)


@dataclass(frozen=True)
class Place:
    """One administrative division."""

    name: str
    adcode: str
    level: str  # province | city | county

    @property
    def short(self) -> str:
        """The name without its administrative suffix (宁波市 → 宁波), if long enough."""
        for suffix in _SUFFIXES:
            if self.name.endswith(suffix) and len(self.name) - len(suffix) >= 2:
                return self.name[: -len(suffix)]
        return self.name

    @property
    def parent_code(self) -> str | None:
        if self.level == "province":
            return None
        if self.level == "city":
            return self.adcode[:2] + "0000"
        return self.adcode[:4] + "00"


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


class _NameIndex:
    """Find any of a set of names in text: leftmost, longest at each position, no overlaps.

    What ``re.finditer`` of the names joined longest first finds, without the regex: with
    ~3,000 alternatives Python's engine tries every name at every position (a tenth of a
    plan's extraction time). Here a character class finds the next position a name can
    start at (a first character of a name followed by a second character of one), and only
    the lengths of the names with that first character are looked up.
    """

    def __init__(self, names):
        lengths: dict[str, set[int]] = {}
        for n in names:
            if n:
                lengths.setdefault(n[0], set()).add(len(n))
        self.names = frozenset(n for n in names if n)
        self.lengths = {c: sorted(ls, reverse=True) for c, ls in lengths.items()}
        chars = "".join(sorted(self.lengths))
        pattern = f"[{re.escape(chars)}]" if chars else "(?!)"
        if chars and all(len(n) > 1 for n in self.names):
            # a first character followed by a second character of some name: a third of
            # the positions the first character alone gives
            seconds = "".join(sorted({n[1] for n in self.names}))
            pattern += f"(?=[{re.escape(seconds)}])"
        self.first = re.compile(pattern)

    def finditer(self, text: str):
        names, lengths, search = self.names, self.lengths, self.first.search
        i = 0
        while (m := search(text, i)) is not None:
            i = m.start()
            for n in lengths[text[i]]:
                word = text[i : i + n]
                if len(word) == n and word in names:
                    yield i, i + n, word
                    i += n
                    break
            else:
                i += 1


class Gazetteer:
    """Look up places by name or code, and find them in text."""

    def __init__(self, places: list[Place]):
        self.by_code = {p.adcode: p for p in places}
        self.by_name: dict[str, list[Place]] = {}
        for p in places:
            if not is_generic(p.name):
                self.by_name.setdefault(p.name, []).append(p)
        self.by_short: dict[str, list[Place]] = {}
        for p in places:
            if p.level != "county" and p.short != p.name:
                self.by_short.setdefault(p.short, []).append(p)
        self._full = _NameIndex(self.by_name)
        self._short = _NameIndex(self.by_short)

    def parent(self, place: Place) -> Place | None:
        code = place.parent_code
        while code:
            if code in self.by_code:
                return self.by_code[code]
            # Municipalities have no prefecture row: climb to the province.
            code = code[:2] + "0000" if not code.endswith("0000") else None
        return None

    def in_tree(self, place: Place, region: str) -> bool:
        """Whether ``place`` is the region ``region``, a region above it or one below it."""
        if region not in self.by_code:
            return False
        up = self.by_code[region]
        while up is not None:
            if up.adcode == place.adcode:
                return True
            up = self.parent(up)
        down = self.parent(place)
        while down is not None:
            if down.adcode == region:
                return True
            down = self.parent(down)
        return False

    def resolve_in_region(self, name: str, region: str | None) -> Place | None:
        """The place called ``name`` in the region tree of ``region`` (the plan's region code):
        that region, those above it and those below it. None without a region, for a generic
        name, for a place outside the tree (another region's 鼓楼区 is not this plan's) and
        for a name two places of the tree share."""
        if not region or is_generic(name):
            return None
        cands = self.by_name.get(name) or self.by_short.get(name) or []
        inside = {p.adcode: p for p in cands if self.in_tree(p, region)}
        return next(iter(inside.values())) if len(inside) == 1 else None

    def resolve(self, name: str, within: str | None = None) -> Place | None:
        """The place called ``name``, preferring one under the code ``within``."""
        cands = self.by_name.get(name) or self.by_short.get(name) or []
        if not cands:
            return None
        if within:
            prefix = within.rstrip("0")
            inside = [p for p in cands if p.adcode.startswith(prefix) and p.adcode != within]
            if inside:
                return sorted(inside, key=lambda p: p.adcode)[0]
        ranked = sorted(
            cands, key=lambda p: (("province", "city", "county").index(p.level), p.adcode)
        )
        return ranked[0]

    def resolve_in_context(self, name: str, context: str) -> Place | None:
        """The place called ``name`` whose parents the ``context`` text names most often.

        鼓楼区 exists in several cities; a plan that also says 福州 means Fuzhou's. Ties fall
        back to :meth:`resolve`.
        """
        cands = self.by_name.get(name) or self.by_short.get(name) or []
        if len(cands) <= 1:
            return cands[0] if cands else None

        def support(p: Place) -> int:
            n, parent = 0, self.parent(p)
            while parent is not None:
                n += context.count(parent.short) if len(parent.short) >= 2 else 0
                parent = self.parent(parent)
            return n

        best = max(cands, key=lambda p: (support(p), -int(p.adcode)))
        return best if support(best) > 0 else self.resolve(name)

    def find(self, text: str, *, short: bool = False):
        """Yield ``(start, end, name)`` of place names in ``text``, longest match first."""
        yield from (self._short if short else self._full).finditer(text)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer built from cpca's table (loaded once per process)."""
    table = resources.files("cpca").joinpath("resources/adcodes.csv")
    places = []
    with table.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"][:6]
            places.append(Place(row["name"], code, _level(code)))
    return Gazetteer(places)
