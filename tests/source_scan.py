"""String literals of Python source that are code, not documentation.

Two checks read the package's source for what must not be written in code: GB codes
(``errors.py`` holds them, tests/test_errors_table.py) and Chinese vocabulary (the ontology
holds it, tests/test_no_vocabulary_in_code.py). Docstrings may name both, so both skip them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes of ``tree`` (module, class and function docstrings)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                found.add(id(first.value))
    return found


def code_strings(source: str) -> Iterator[ast.Constant]:
    """Every string constant of ``source`` that is not a docstring (f-string parts included)."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node
