"""The import graph of a Python package, read with :mod:`ast` (nothing is imported).

Why a module of its own: the cycle test runs it on graph_builder and on a synthetic probe
package, so the probe proves the very code that checks the package can find a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

__all__ = ["import_graph", "module_name"]


def module_name(path: Path, root: Path) -> str:
    """``pkg.sub.mod`` for ``root/sub/mod.py`` (``root`` is the folder of package ``pkg``)."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``node`` sits under ``if TYPE_CHECKING:`` (never run, so no real import)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _is_module_level(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``node`` runs when its module is imported (not inside a function body)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return False
    return True


def import_graph(root: Path, function_level: bool = True) -> nx.DiGraph:
    """Modules of the package in ``root`` and an edge ``a → b`` for each import of ``b`` in ``a``.

    ``from pkg.x import y`` points at ``pkg.x.y`` when that is a module, else at ``pkg.x``;
    relative imports are resolved; imports under ``if TYPE_CHECKING:`` do not count. With
    ``function_level`` False, only the imports that run when a module is imported count.
    Each edge's ``line`` attribute is where (``path:line``) the import is written.
    """
    modules = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            if _type_checking_only(node, parents):
                continue
            if not function_level and not _is_module_level(node, parents):
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    up = package.split(".")
                    up = up[: len(up) - (node.level - 1)]
                    base = ".".join([*up, base] if base else up)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in modules else base)
            for target in targets:
                if target in modules and target != name:
                    graph.add_edge(name, target, line=f"{path}:{node.lineno}")
    return graph
