"""One table of GB codes (graph_builder/errors.py): every code used is in it, each means one
thing, and modules name codes by the table's constants, not by string literals."""

from __future__ import annotations

import re
from pathlib import Path

import graph_builder
from graph_builder import errors
from graph_builder.batch import Failure, _render
from graph_builder.model import Plan

from .source_scan import code_strings

PACKAGE = Path(graph_builder.__file__).parent
README = PACKAGE.parent / "README.md"
CODE = re.compile(r"GB-[EW]\d{3}")


def code_literals(root: Path, skip: Path | None = None) -> list[str]:
    """``path:line: literal`` for each string constant (not a docstring) naming a GB code."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == skip:
            continue
        for node in code_strings(path.read_text(encoding="utf-8")):
            if CODE.search(node.value):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value!r}")
    return found


def test_the_table_is_well_formed():
    assert errors.TABLE, "no codes"
    for key, code in errors.TABLE.items():
        assert CODE.fullmatch(key) and code == key
        assert getattr(errors, key[3:]) is code, f"{key}: constant named otherwise"
        assert code.meaning.strip(), f"{key}: no meaning"
        assert code.level == ("error" if key[3] == "E" else "warning")


def test_every_code_has_a_meaning_of_its_own():
    by_meaning: dict[str, list[str]] = {}
    for key, code in errors.TABLE.items():
        by_meaning.setdefault(code.meaning.casefold(), []).append(key)
    assert {m: k for m, k in by_meaning.items() if len(k) > 1} == {}


def test_every_code_the_package_and_readme_name_is_in_the_table():
    texts = [p for p in PACKAGE.rglob("*") if p.suffix in {".py", ".j2", ".ttl", ".rq", ".js"}]
    named: dict[str, str] = {}
    for path in [*texts, README]:
        if path.name.endswith(".min.js"):
            continue
        for code in CODE.findall(path.read_text(encoding="utf-8", errors="replace")):
            named.setdefault(code, str(path))
    missing = {c: where for c, where in named.items() if c not in errors.TABLE}
    assert missing == {}


def test_modules_name_codes_by_the_table_not_by_literals():
    assert code_literals(PACKAGE, skip=PACKAGE / "errors.py") == []


def test_the_literal_scan_finds_a_literal(tmp_path):
    """The scan above can fail: a literal outside a docstring is reported, one inside is not."""
    (tmp_path / "probe.py").write_text(
        '"""Raises GB-E004."""\n\n\ndef f():\n    """GB-E004 in a docstring."""\n'
        '    return f"x: error GB-E004: {1}", "GB-W101"\n'
    )
    assert [x.split(":")[1] for x in code_literals(tmp_path)] == ["6", "6"]


def test_rendering_and_extracting_failures_have_codes_of_their_own():
    """GB-E999 was once also given to a failure while rendering: now GB-E997."""

    def broken(plan):
        raise RuntimeError("boom")

    plan = Plan(doc_id="p", source="p.txt", text="", sha256="", encoding="")
    out, rendered = _render(plan, broken)
    assert isinstance(out, Failure) and out.code == errors.E997 and rendered is None
    assert errors.E997.meaning != errors.E999.meaning
    assert errors.W007.meaning != errors.W004.meaning


def test_a_code_is_its_string():
    assert errors.E004 == "GB-E004" and f"{errors.E004}" == "GB-E004"
    assert errors.line("a.txt", errors.E004, "no such file") == "a.txt: error GB-E004: no such file"
    assert errors.tagged(errors.W101, "x") == "GB-W101: x"
