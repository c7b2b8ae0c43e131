"""`make test-fast` (pytest -m "not slow") still imports every module of graph_builder.

The fast subset is only worth running if a change anywhere in the package can break it. This
test reads the test files (no import, so it stays fast) and finds what the fast subset
imports: every import of a test module that is not marked slow as a whole, outside its tests
and classes marked ``@pytest.mark.slow``, of the conftest files and of the helper modules of
``tests/`` they import; then, transitively, every import of the package's own modules, in
functions too (the package imports lazily so that the command line starts fast; a fast test
that calls the function runs it), and importing ``a.b.c`` also runs ``a`` and ``a.b``. A
command line ``[python, "-m", name]`` counts as importing ``name`` (the query workers, the
``python -m graph_builder`` tests). Every module under graph_builder/ must be reached: a new
module that only slow tests import fails here, with its name.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "graph_builder"
#: A module named with an attribute, as the format registry names its writers.
_REFERENCE = re.compile(r"graph_builder(?:\.\w+)+:\w+")


def _module_name(path: Path, root: Path = REPO) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules(root: Path = REPO) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {_module_name(p, root): p for p in sorted((root / PACKAGE).rglob("*.py"))}


def _is_slow_mark(node: ast.AST) -> bool:
    """Whether ``node`` contains ``pytest.mark.slow`` (or ``mark.slow``)."""
    return any(
        isinstance(n, ast.Attribute)
        and n.attr == "slow"
        and isinstance(n.value, ast.Attribute)
        and n.value.attr == "mark"
        for n in ast.walk(node)
    )


def _slow_module(tree: ast.Module) -> bool:
    return any(
        isinstance(stmt, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id == "pytestmark"
            for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
        )
        and _is_slow_mark(stmt.value)
        for stmt in tree.body
    )


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute name a (possibly relative) ``from … import`` names."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(nodes: Iterable[ast.AST], module: str, is_package: bool) -> set[str]:
    """Names of the modules (and of the names in them, which may be modules) imported, and
    those a command line written as a list runs with ``-m`` (``[python, "-m", name, …]``
    runs ``name``, or ``name.__main__`` for a package), and those a ``"module:attribute"``
    string names (the format registry's writers and the entry points, resolved with
    ``importlib`` when used)."""
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _REFERENCE.fullmatch(node.value):
                found.add(node.value.split(":", 1)[0])
        elif isinstance(node, ast.List | ast.Tuple):
            words = [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
            for flag, name in zip(words, words[1:], strict=False):
                if flag == "-m" and isinstance(name, str):
                    found.update((name, f"{name}.__main__"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, module, is_package)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def _fast_nodes(tree: ast.Module) -> list[ast.AST]:
    """Every node of a test module that runs in the fast subset (all if none is slow)."""
    if _slow_module(tree):
        return []
    slow = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and any(_is_slow_mark(d) for d in n.decorator_list)
    ]
    skip = {id(x) for n in slow for x in ast.walk(n)}
    return [n for n in ast.walk(tree) if id(n) not in skip]


def _with_parents(names: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        parts = name.split(".")
        out.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return out


Sources = Mapping[str, tuple[str, bool]]


def reached(tests: Sources, package: Sources) -> set[str]:
    """The package modules a fast run imports.

    Both map a module name to (source, whether it is a package's ``__init__``): ``tests``
    every test, conftest and helper module, ``package`` every module of the package.
    """
    pkg_trees = {name: ast.parse(src) for name, (src, _) in package.items()}
    test_trees = {name: ast.parse(src) for name, (src, _) in tests.items()}
    seen: set[str] = set()
    todo: list[str] = []
    for name, tree in test_trees.items():
        leaf = name.rsplit(".", 1)[-1]
        if leaf.startswith("test_") or leaf == "conftest":
            todo.extend(_imports(_fast_nodes(tree), name, tests[name][1]))
    while todo:
        for name in _with_parents([todo.pop()]):
            if name in seen:
                continue
            seen.add(name)
            if name in pkg_trees:
                todo.extend(_imports(ast.walk(pkg_trees[name]), name, package[name][1]))
            elif name in test_trees:  # a helper module of tests/
                todo.extend(_imports(_fast_nodes(test_trees[name]), name, tests[name][1]))
    return seen & set(package)


def _test_sources() -> dict[str, tuple[str, bool]]:
    """Every module of tests/ by the name it is imported as (tests/data holds no tests)."""
    out = {}
    for p in sorted((REPO / "tests").rglob("*.py")):
        if "data" in p.relative_to(REPO / "tests").parts:
            continue
        name = _module_name(p)
        if p.parent != REPO / "tests":  # tests/visualize: no package, on sys.path by itself
            name = p.stem if p.stem != "__init__" else name
        out[name] = (p.read_text(encoding="utf-8"), p.name == "__init__.py")
    return out


def _package_sources() -> dict[str, tuple[str, bool]]:
    return {
        name: (path.read_text(encoding="utf-8"), path.name == "__init__.py")
        for name, path in package_modules().items()
    }


def test_every_package_module_is_imported_by_the_fast_subset():
    package = _package_sources()
    missing = sorted(set(package) - reached(_test_sources(), package))
    assert not missing, (
        f"no fast test imports {missing}: give it a test not marked slow (make test-fast)"
    )


def test_probe_a_module_only_a_slow_test_imports_is_reported():
    package = {
        "graph_builder": ("", True),
        "graph_builder.a": ("from . import b\n", False),
        "graph_builder.b": ("def f():\n    import graph_builder.c\n", False),
        "graph_builder.c": ("WRITERS = ['graph_builder.h:write']\n", False),
        "graph_builder.d": ("", False),
        "graph_builder.h": ("", False),
        "graph_builder.e": ("", False),
        "graph_builder.f": ("", False),
        "graph_builder.g": ("", False),
        "graph_builder.__main__": ("", False),
    }
    tests = {
        "tests": ("", True),
        "tests.helper": ("import graph_builder.f\n", False),
        "tests.test_fast": (
            "import pytest\nfrom graph_builder import a\nfrom .helper import x\n\n"
            "def test_x():\n    from graph_builder import e\n"
            "    run([python, '-m', 'graph_builder'])\n\n"
            "@pytest.mark.slow\ndef test_y():\n    import graph_builder.d\n",
            False,
        ),
        "tests.test_slow": (
            "import pytest\nimport graph_builder.c\npytestmark = pytest.mark.slow\n",
            False,
        ),
    }
    got = reached(tests, package)
    # c: in a function of b (which a fast test may call); h: named "module:attribute" in c
    # (as the format registry names its writers); d: only in a slow test, g: nowhere
    assert got == {"graph_builder", "graph_builder.__main__", "graph_builder.a",
                   "graph_builder.b", "graph_builder.c", "graph_builder.e",
                   "graph_builder.f", "graph_builder.h"}  # fmt: skip
