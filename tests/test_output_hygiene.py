"""Outputs a user looks at cannot be hijacked by what the inputs hold (issue 13): a file name
prints as one line without escape codes, a page shows no bidi override, no CSV cell is a
formula, special files and unreadable folders are named in an error, not waited on; and
Big5 or noise is not taken for GB18030 text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx
import pytest

from graph_builder.batch import Failure, extract_all
from graph_builder.export.neo4j import write_neo4j
from graph_builder.query.runner import Result, format_result
from graph_builder.read.text import ReadError, decode_bytes
from graph_builder.safetext import for_terminal
from graph_builder.visualize.page import json_for_script, templates

PLAN = "关于提振消费的行动方案\n一、总体要求\n（一）扩大就业。力争新增就业100万人。（责任单位：市商务局）\n"


def test_a_file_name_cannot_forge_a_line_or_send_escape_codes():
    name = "a.txt: ok\nb.txt: error GB-E999: forged \x1b[31mred\u202e.txt"
    line = Failure(name, "GB-E004", "no such file").format()
    assert "\n" not in line and "\x1b" not in line and "\u202e" not in line
    assert "\\n" in line and "\\x1b[31m" in line and "\\u202e" in line
    assert for_terminal("市商务局\t(1)") == "市商务局\t(1)"  # ordinary text untouched


@pytest.mark.slow
def test_fifo_in_an_input_folder_is_named_and_skipped_without_waiting(tmp_path):
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    done = subprocess.run(
        [sys.executable, "-m", "graph_builder", "extract", str(tmp_path), "--json-dir",
         str(tmp_path / "out")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "pipe.txt: error GB-E075" in done.stderr
    assert (tmp_path / "out" / "a.json").exists()


def test_unreadable_subfolder_is_named_in_an_error(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(PLAN, encoding="utf-8")
    real = os.scandir

    def scandir(path="."):  # what a folder without read permission does (tests run as root)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = extract_all([str(tmp_path)])
    assert [(Path(f.source).name, f.code) for f in result.failures] == [("locked", "GB-E076")]
    assert [Path(p.source).name for p in result.plans] == ["a.txt"]


def test_csv_cells_never_start_a_formula(tmp_path):
    G = networkx.MultiDiGraph()
    G.add_node("https://x/1", type="Measure", label="=HYPERLINK(\"http://evil\")", n=-3)
    G.add_node("https://x/2", type="Measure", label="'quoted", n=2)
    G.add_edge("https://x/1", "https://x/2", key="rel", id="e1", note="@SUM(A1)")
    write_neo4j(G, tmp_path)
    nodes = (tmp_path / "nodes.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in nodes and "''quoted" in nodes and ",-3" in nodes
    assert "'@SUM(A1)" in (tmp_path / "relationships.csv").read_text(encoding="utf-8")
    assert "STARTS WITH \"'\"" in (tmp_path / "import.cypher").read_text(encoding="utf-8")
    table = Result(["name"], [["+cmd|' /C calc'!A0"], ["-1"], ["市商务局"]])
    out = format_result(table, "csv").splitlines()
    assert out[1].startswith("\"'+cmd") or out[1].startswith("'+cmd")
    assert out[2] == "'-1" and out[3] == "市商务局"


def test_pages_show_no_bidi_override():
    html = templates().from_string("<h1>{{ title }}</h1>").render(title="方案\u202e案方")
    assert "\u202e" not in html and "\ufffd" in html
    assert "\u202e" not in json_for_script({"title": "方案\u202e\u2066案方"})


@pytest.mark.parametrize(
    "data",
    [
        "關於提振消費的專項行動方案。力爭新增就業一百萬人，推動以舊換新。".encode("big5") * 3,
        bytes((x * 7919) % 126 + 0x81 for x in range(3000)),
    ],
    ids=["big5", "high-bytes"],
)
def test_big5_and_high_byte_noise_are_not_taken_for_gb18030(data):
    with pytest.raises(ReadError) as err:
        decode_bytes(data)
    assert err.value.code == "GB-E074"


def test_gbk_plan_still_reads():
    src = decode_bytes(PLAN.encode("gbk"))
    assert src.encoding == "gb18030" and src.text.startswith("关于提振消费")


def test_label_past_the_supported_range_is_warned(tmp_path):
    body = PLAN + "（1000）推动消费。（责任单位：市商务局）\n"
    (tmp_path / "p.txt").write_text(body, encoding="utf-8")
    plan = extract_all([str(tmp_path / "p.txt")]).plans[0]
    assert "GB-W121" in [d.code for d in plan.diagnostics]
