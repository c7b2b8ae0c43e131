"""No import cycle between graph_builder's modules, and no package below export imports it.

Imports inside functions count too: such an import is still a dependency, and one written
inside a function to dodge a cycle at import time hides the cycle rather than removing it.
Only imports under ``if TYPE_CHECKING:`` (never run) are left out. The graph is read with
:mod:`ast` (tests/import_graph.py), so nothing is imported to check it.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

import graph_builder

from .import_graph import import_graph

PACKAGE = Path(graph_builder.__file__).parent

#: Packages and modules the export package builds on: none of them may import it.
BELOW_EXPORT = (
    "graph_builder._fs",
    "graph_builder.batch",
    "graph_builder.errors",
    "graph_builder.model",
    "graph_builder.read",
    "graph_builder.segment",
    "graph_builder.extract",
    "graph_builder.normalize",
    "graph_builder.graph",
    "graph_builder.visualize",
)


def _cycles(graph: nx.DiGraph) -> list[list[str]]:
    return sorted(sorted(c) for c in nx.simple_cycles(graph))


def _where(graph: nx.DiGraph, cycle: list[str]) -> list[str]:
    """The import lines that close ``cycle``, for a failure message one can act on."""
    sub = graph.subgraph(cycle)
    return sorted(sub.edges[e]["line"] for e in sub.edges)


def test_module_level_imports_have_no_cycle():
    graph = import_graph(PACKAGE, function_level=False)
    found = _cycles(graph)
    assert found == [], [_where(graph, c) for c in found]


def test_no_other_cycle_counting_imports_inside_functions():
    graph = import_graph(PACKAGE)
    found = _cycles(graph)
    assert found == [], [_where(graph, c) for c in found]


def test_nothing_below_export_imports_export():
    graph = import_graph(PACKAGE)
    below = [m for m in graph if m.startswith(BELOW_EXPORT)]
    wrong = sorted(
        graph.edges[a, b]["line"]
        for a in below
        for b in graph.successors(a)
        if b.startswith("graph_builder.export")
    )
    assert wrong == []


def _package(root: Path, files: dict[str, str]) -> Path:
    pkg = root / "probe"
    for name, text in files.items():
        (pkg / name).parent.mkdir(parents=True, exist_ok=True)
        (pkg / name).write_text(text)
    return pkg


def test_the_check_finds_a_cycle_in_a_probe_package(tmp_path):
    """The checks above can fail: a tiny package with cycles is caught, at each level."""
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from probe import b\n",
            "b.py": "def f():\n    from probe.a import g\n",
            "sub/__init__.py": "",
            "sub/c.py": "from . import d\n",
            "sub/d.py": "from .c import x\nfrom typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from probe import a\n",
        },
    )
    assert _cycles(import_graph(pkg, function_level=False)) == [["probe.sub.c", "probe.sub.d"]]
    assert _cycles(import_graph(pkg)) == [["probe.a", "probe.b"], ["probe.sub.c", "probe.sub.d"]]
    assert not import_graph(pkg).has_edge("probe.sub.d", "probe.a")  # TYPE_CHECKING only
