"""Traditional-script text read through a simplified-script view, offsets unchanged.

Re-posts of mainland plans on other sites are often converted to traditional characters
(責任單位：市發展改革委…). The vocabulary of ``ontology/`` is written in simplified
characters, so the reader analyses such a text through a view in which each traditional
character is replaced by its simplified form. The view has exactly the length of the text,
so every offset found in it points into the original, and every quote is taken from the
original: nothing the user sees is converted.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from graph_builder import lexicon as lx

__all__ = ["simplified_view"]

#: Share of CJK characters that must differ before a text is taken as traditional script:
#: a simplified text with a stray traditional name stays as it is.
_MIN_SHARE = 0.01
#: The CJK characters the share is counted over.
_CJK = re.compile(f"[{lx.HAN_FIRST}-{lx.HAN_LAST}]")


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _char(c: str) -> str:
    s = _converter().convert(c)
    return s if len(s) == 1 else c


@lru_cache(maxsize=4)  # the reader and the classifiers ask for the same document's view
def simplified_view(text: str) -> str:
    """``text`` with traditional characters replaced by simplified ones, same length.

    Whole lines are converted by OpenCC (phrase-aware); a line whose conversion changes its
    length is converted character by character instead. Returns ``text`` itself when it is
    not traditional script.
    """
    cjk = len(_CJK.findall(text))  # counted by the regex engine, not a Python loop
    if not cjk:
        return text
    conv = _converter()
    out = []
    changed = 0
    for line in text.split("\n"):
        s = conv.convert(line)
        if len(s) != len(line):
            s = "".join(_char(c) for c in line)
        if s != line:  # most lines of a plan in simplified script come back as they were
            changed += sum(1 for a, b in zip(line, s, strict=True) if a != b)
        out.append(s)
    if changed < _MIN_SHARE * cjk:
        return text
    return "\n".join(out)
