"""The format registry (export/formats.py) is the one list of what a build writes: every name
``--help`` offers is registered, and each registered format writes its files and no other's
(that export/ imports point one way is tests/test_import_cycles.py's)."""

from __future__ import annotations

import re

import pytest

from graph_builder.cli import main
from graph_builder.export.formats import ALL, CORPUS, FORMATS, STREAMED, parse_formats
from graph_builder.export.outputs import write_outputs


def _files(name: str, doc_id: str) -> set[str]:
    return {f.replace("<doc>", doc_id) for f in FORMATS[name].files}


def test_the_names_build_help_offers_are_the_registry(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["build", "--help"])
    assert exc.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    m = re.search(r"--formats LIST (.*?)E\.g\.", text)
    assert m, text
    lists = re.findall(r":((?: [a-z0-9]+,)* [a-z0-9]+)\.", m[1])  # ": json, text, nq."
    offered = [n.strip() for names in lists for n in names.split(",")]
    assert sorted(offered) == sorted(FORMATS)
    assert set(STREAMED) | set(CORPUS) == set(FORMATS)
    assert parse_formats(None) == parse_formats(ALL) == {ALL, *FORMATS}


def test_every_writer_is_importable_and_every_format_has_files():
    for fmt in FORMATS.values():
        assert callable(fmt.writer()), fmt.name
        assert fmt.files and fmt.media_type and fmt.help, fmt.name


@pytest.mark.parametrize("name", list(FORMATS))
def test_each_format_alone_writes_its_files_and_no_others(corpus_plans, tmp_path, name):
    plan = corpus_plans[0]
    out = tmp_path / "out"
    written = {p.relative_to(out).as_posix() for p in write_outputs([plan], out, formats=name)}
    assert _files(name, plan.doc_id) <= written
    others = set().union(*(_files(n, plan.doc_id) for n in FORMATS if n != name))
    assert not written & others
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == written | {"manifest.json"}
