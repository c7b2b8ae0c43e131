"""No Chinese word is spelled in the extraction code: vocabulary lives in ``ontology/*.ttl``
and reaches the code through ``graph_builder/lexicon.py`` (issue 16).

The scan reads the string literals of ``graph_builder/{read,segment,extract,normalize,graph}``
(``ast.Constant`` strings that are not docstrings; an f-string's literal parts too) and fails
on a Han character (U+3400–U+9FFF, U+F900–U+FAFF). Punctuation (、，；（）) is syntax and is
not checked. Files not yet converted are listed in ``ALLOWED``; the list only shrinks: a
listed file that has become clean fails too, so that it is taken off.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .source_scan import code_strings

PACKAGE = Path(__file__).resolve().parents[1] / "graph_builder"
FOLDERS = ("read", "segment", "extract", "normalize", "graph")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

#: Files whose literals still hold Chinese words, by path under ``graph_builder/``, each with
#: why it is still here. Empty: every folder scanned is clean. A file put here must say why,
#: and comes off once it is clean (the test says so).
ALLOWED: dict[str, str] = {}


def han_literals(source: str) -> list[tuple[int, str]]:
    """(line, literal) of every non-docstring string literal of ``source`` holding Han."""
    return sorted((n.lineno, n.value) for n in code_strings(source) if HAN.search(n.value))


def _files() -> list[str]:
    return sorted(
        p.relative_to(PACKAGE).as_posix() for f in FOLDERS for p in (PACKAGE / f).rglob("*.py")
    )


@pytest.mark.parametrize("name", _files())
def test_no_han_in_string_literals(name):
    found = han_literals((PACKAGE / name).read_text("utf-8"))
    if name in ALLOWED:
        assert found, f"{name} is clean now: take it off ALLOWED"
    else:
        assert not found, (
            f"{name}: Chinese words in code, move them to ontology/*.ttl and read them "
            f"through graph_builder.lexicon: {found[:5]}"
        )


def test_allow_list_names_existing_files():
    assert set(ALLOWED) <= set(_files())


def test_the_allow_list_only_shrinks(monkeypatch):
    """A file listed while clean fails: the list cannot keep stale entries."""
    monkeypatch.setitem(ALLOWED, "extract/units.py", "probe")
    with pytest.raises(AssertionError, match="clean now"):
        test_no_han_in_string_literals("extract/units.py")


def test_the_scan_finds_a_word_and_skips_docstrings():
    probe = '''
"""模块说明：牵头单位。"""
import re
def f():
    """函数说明：配合。"""
    x = "牵头"
    y = f"{x}负责"
    z = re.compile(r"[\\u4e00-\\u9fa5]+、")
    return "、，；"
'''
    found = han_literals(probe)
    assert [line for line, _ in found] == [6, 7]
    assert found[0][1] == "牵头" and found[1][1] == "负责"


def test_lexicon_is_where_the_syntax_constants_live():
    from graph_builder import lexicon

    assert han_literals((PACKAGE / "lexicon.py").read_text("utf-8"))
    assert lexicon.alternation(["草案", "草案稿", "a.b"]) == r"(?:a\.b|草案稿|草案)"
    assert lexicon.char_class(["市", "省"]) == "[市省]"
    with pytest.raises(ValueError):
        lexicon.char_class(["自治区"])
