"""How long a quote a view copies: the one rule every output follows.

Every fact keeps its exact span (:class:`~graph_builder.model.Span`: offsets and text), but a
view that copied a very long span once per item multiplies it: a 40,000-character sentence
cited by a few items in a table, a GraphML node, a Neo4j row and the explorer made hundreds
of megabytes. So a quote over :data:`QUOTE_INLINE_MAX` characters is written once per
document (the JSON view's ``quotes`` table, the RDF evidence graph's one node per span) or,
in the views that have no such table (CSV, GraphML, Neo4j, the explorer), cut with ``…`` by
:func:`view_quote`; the offsets stay whole, and the full text is ``text/<doc>.txt`` at them.
Every quote of the seed and test corpora is far shorter (the longest measure ~600), so
nothing changes for real plans.
"""

from __future__ import annotations

from graph_builder.model import Span

__all__ = ["QUOTE_INLINE_MAX", "ELLIPSIS", "cut", "is_long", "view_quote"]

#: Longest quote written whole where an item cites it.
QUOTE_INLINE_MAX = 1000
#: What ends a cut quote.
ELLIPSIS = "…"


def is_long(text: str) -> bool:
    """Whether ``text`` is over :data:`QUOTE_INLINE_MAX` (written once or cut)."""
    return len(text) > QUOTE_INLINE_MAX


def view_quote(quoted: Span | str | None) -> str:
    """The quote a view copies for a span (or text): whole up to :data:`QUOTE_INLINE_MAX`
    characters, else its first ``QUOTE_INLINE_MAX - 1`` and ``…`` (so at most the limit);
    empty for None. The span's offsets, written beside it, still locate the whole text."""
    if quoted is None:
        return ""
    return cut(quoted.text if isinstance(quoted, Span) else quoted, QUOTE_INLINE_MAX)


def cut(text: str, limit: int) -> str:
    """``text`` whole up to ``limit`` characters, else its first ``limit - 1`` and ``…``."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
