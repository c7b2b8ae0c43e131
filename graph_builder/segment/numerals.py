"""Chinese and full-width numerals, as they appear in labels and amounts."""

from __future__ import annotations

__all__ = ["FULLWIDTH_DIGITS", "to_halfwidth", "cn_to_int"]

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def to_halfwidth(s: str) -> str:
    """Full-width digits, point and percent sign to ASCII."""
    return s.translate(FULLWIDTH_DIGITS)


def cn_to_int(s: str) -> int | None:
    """``"二十三"`` → 23, ``"１５"`` → 15, ``"③"`` → 3; None when it is not a numeral."""
    s = to_halfwidth(s.strip())
    if len(s) == 1 and s in _CIRCLED:
        return _CIRCLED.index(s) + 1
    # isdecimal, not isdigit: "①" and "²" are digits to Unicode but int() refuses them.
    if s.isdecimal():
        return int(s)
    try:
        import cn2an

        value = cn2an.cn2an(s, "strict")
    except (ValueError, KeyError, ImportError):
        return None
    return int(value) if float(value).is_integer() else None
