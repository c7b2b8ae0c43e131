"""Check a graph against the SHACL shapes of ``ontology/shapes.ttl`` with pyshacl.

The data graph is the union of every named graph, ontology included: the shapes read class
hierarchy (``gbo:Measure`` is a ``gbo:ExtractedItem``) and concept schemes from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Dataset, Graph
from rdflib.term import Node

from graph_builder.graph.namespace import SH
from graph_builder.graph.rdf import union_graph
from graph_builder.vocab import ONTOLOGY_DIR

__all__ = ["SHAPES_FILE", "Violation", "Report", "shapes_graph", "validate"]

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One validation result: the node, the property path and the messages (zh, en)."""

    focus: Node
    path: Node | None
    severity: str
    message_en: str
    message_zh: str

    def format(self) -> str:
        path = f" {self.path.n3()}" if self.path is not None else ""
        text = " / ".join(m for m in (self.message_en, self.message_zh) if m)
        return f"{self.focus.n3()}{path}: {text}"


@dataclass
class Report:
    conforms: bool
    violations: list[Violation]
    text: str


@cache
def _shapes_triples() -> tuple:
    g = Graph()
    g.parse(SHAPES_FILE, format="turtle")
    return tuple(g)


def shapes_graph() -> Graph:
    """The shapes (parsed once per process)."""
    g = Graph()
    for t in _shapes_triples():
        g.add(t)
    return g


def validate(data: Graph | Dataset) -> Report:
    """Validate ``data`` (a graph, or a dataset whose graphs are merged) against the shapes."""
    from pyshacl import validate as shacl

    conforms, results, text = shacl(
        union_graph(data),
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    violations = []
    # Top-level results only (sh:node failures also carry nested sh:detail results).
    for r in sorted(results.objects(None, SH.result), key=str):
        messages = list(results.objects(r, SH.resultMessage))
        en = next((str(m) for m in messages if getattr(m, "language", None) == "en"), "")
        zh = next((str(m) for m in messages if getattr(m, "language", None) == "zh"), "")
        if not en and not zh and messages:
            en = str(messages[0])
        violations.append(
            Violation(
                focus=results.value(r, SH.focusNode),
                path=results.value(r, SH.resultPath),
                severity=str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                message_en=en,
                message_zh=zh,
            )
        )
    violations.sort(key=lambda v: (str(v.focus), str(v.path), v.message_en))
    return Report(bool(conforms), violations, text)
