"""Canned SPARQL queries and the runner behind ``policykg query``."""

from graph_builder.query.runner import (
    CannedQuery,
    QueryFailed,
    Result,
    bind_parameters,
    filter_rows,
    format_result,
    list_queries,
    load_graph,
    resolve_query,
    run_endpoint,
    run_query,
)

__all__ = [
    "CannedQuery",
    "QueryFailed",
    "Result",
    "bind_parameters",
    "filter_rows",
    "format_result",
    "list_queries",
    "load_graph",
    "resolve_query",
    "run_endpoint",
    "run_query",
]
