"""Canned SPARQL queries and the runner behind ``policykg query``."""

from graph_builder.query.runner import (
    CannedQuery,
    Result,
    format_result,
    list_queries,
    load_graph,
    resolve_query,
    run_query,
)

__all__ = [
    "CannedQuery",
    "Result",
    "format_result",
    "list_queries",
    "load_graph",
    "resolve_query",
    "run_query",
]
