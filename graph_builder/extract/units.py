"""What a responsible unit's name looks like, from the organisation-form vocabulary.

A unit name ends with an organisation head (局, 委员会, 人民政府, 集团 …, from
``ontology/organisation_forms.ttl``) or contains an agency-function cue (公积金, from
``ontology/agency_functions.ttl``). These tests decide what is a list item, where a head is
shared (``A、B、C管理委员会``) and whether an elided level prefix may be restored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph_builder.vocab import agency_functions, organisation_forms

__all__ = ["UnitLexicon", "lexicon", "LEVEL_PREFIX"]

#: Level prefixes that open a unit name (市商务局, 省人社厅, 区民政局, 县…, 州…, 盟…, 旗…).
LEVEL_PREFIX = re.compile(r"^(省|市|区|县|州|盟|旗)")
_HAS_LEVEL = re.compile(r"^(省|市|区|县|州|盟|旗|各|全|中国|中华|国家|中央)|[省市县区]委")


@dataclass(frozen=True)
class HeadMatch:
    head: str
    form: str
    takes_prefix: bool
    shared: bool


class UnitLexicon:
    def __init__(self):
        forms = organisation_forms()
        heads = []
        for c in forms:
            for cue in c.cues:
                heads.append(
                    HeadMatch(
                        cue,
                        c.key,
                        bool(c.flags.get("takesLevelPrefix", False)),
                        bool(c.flags.get("sharedHead", False)),
                    )
                )
        self.heads = sorted(heads, key=lambda h: (-len(h.head), h.head))
        self.function_cues = [cue for cue, _ in agency_functions().cue_index()]

    def head(self, name: str) -> HeadMatch | None:
        """The organisation head that ends ``name`` (longest first), ignoring an alias."""
        core = re.sub(r"[〔［\[【（(][^〕］\]】）)]*[〕］\]】）)]$", "", name)
        for h in self.heads:
            if core.endswith(h.head) and len(core) > len(h.head):
                return h
        return None

    def is_unit(self, name: str) -> bool:
        """Whether ``name`` reads as the name of a responsible unit."""
        if not name or len(name) > 40 or re.search(r"[。；;！？]", name):
            return False
        if self.head(name):
            return True
        # A short form that ends with a function cue (市公积金) names a unit; a cue inside a
        # phrase (市商务局举办活动) does not.
        return any(name.endswith(cue) for cue in self.function_cues if len(cue) >= 2)

    def has_level(self, name: str) -> bool:
        """Whether ``name`` already says its level (市商务局, 各市政府, 中国人民银行…).

        ``市场监管局`` starts with 市 but names the market regulator without a level.
        """
        return bool(_HAS_LEVEL.search(name)) and not name.startswith("市场")


@lru_cache(maxsize=1)
def lexicon() -> UnitLexicon:
    return UnitLexicon()
