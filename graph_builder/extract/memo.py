"""Remember what a reader found in a range of the document being read.

Two components read the same stretches of a plan: the instruments component reads each
sentence's priced numbers, and the targets component reads them again to leave those
numbers out; both read each clause's quantities. :func:`per_text` makes such a reader
``fn(text, start, end)`` compute each range once per document.

Only the latest document is remembered (held by identity, ``is``, never compared by
content), so memory stays that of one document and a new document starts afresh; the
function must depend only on its arguments. Each call gets ``copy(result)``, so a caller
that changes what it got changes nothing for the next.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

__all__ = ["per_text"]

R = TypeVar("R")


def per_text(copy: Callable[[R], R]) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Decorator: memoise ``fn(text, start=0, end=None)`` for the latest ``text`` object."""

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        # (text, {(start, end): result}), replaced whole when the text changes, so a thread
        # reading another document never sees a table that is not its text's.
        state: list[tuple[str | None, dict]] = [(None, {})]

        @functools.wraps(fn)
        def wrapper(text: str, start: int = 0, end: int | None = None) -> R:
            owner, table = state[0]
            if owner is not text:
                table = {}
                state[0] = (text, table)
            key = (start, end)
            found = table.get(key)
            if found is None:
                found = table[key] = fn(text, start, end)
            return copy(found)

        wrapper.uncached = fn  # type: ignore[attr-defined]  # for equivalence tests
        return wrapper

    return decorate
