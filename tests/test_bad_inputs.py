"""Broken and odd inputs: one clear line naming the file and the reason, the rest is built.

The command line is run as a user runs it (``python -m graph_builder`` in a subprocess), on
a folder that mixes good plans with every kind of bad file listed in issue 7.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph_builder.extract.pipeline import extract_plan
from graph_builder.read import MAX_CHARS, ReadError, decode_bytes, read_input

from ._docgen import make_docx, make_pdf

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOOD = sorted(CORPUS.glob("*.txt"))

NEWS = (
    "本报讯（记者 王明）昨日，市商务局在万达广场举办“惠享消费季”启动仪式，现场气氛热烈。\n"
    "据介绍，本次活动将持续一个月，全市两百余家商户参与，发放消费券共计五百万元。\n"
    "市民李女士表示，活动让她买到了心仪的家电。\n"
)

DUPLICATED_AND_SKIPPED = """某市提振消费专项行动方案
一、增收行动
（一）促进就业。推动就业扩容。（责任单位：市人社局）
（二）提高收入。提高最低工资。（责任单位：市人社局、市财政局）
（二）扩大培训。开展技能培训。（责任单位：市教育局）
（四）稳定预期。发布政策信息。（责任单位：市发展改革委）
（九）远跳一项。这一项跳得很远。（责任单位：市商务局）
二、消费行动
（一）扩大消费。发放消费券。（责任单位：市商务局）
"""

UNBALANCED = """某市提振消费专项行动方案
一、增收行动
（一）促进就业。推动就业扩容（含灵活就业。（责任单位：市人社局）
（二）提高收入。提高最低工资）。（责任单位：市人社局、市财政局
（三）扩大培训。开展技能培训。（责任单位：市教育局）)）
"""


def run_cli(
    *args: str, stdin: bytes | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graph_builder", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def _lines(stderr: bytes) -> list[str]:
    return stderr.decode("utf-8", "replace").splitlines()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """A download folder: two good plans and one file per kind of trouble."""
    d = tmp_path_factory.mktemp("downloads")
    (d / "good.txt").write_bytes(GOOD[0].read_bytes())
    (d / "good-gbk.txt").write_bytes(GOOD[3].read_text(encoding="utf-8").encode("gbk"))
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b" \r\n\t\n\xe3\x80\x80\n")
    (d / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (d / "latin1.txt").write_bytes("Préfecture de police, été".encode("latin-1") + b"\x80\x80")
    (d / "news.txt").write_text(NEWS, encoding="utf-8")
    cut = GOOD[1].read_bytes()[:5001]  # ends inside a three-byte character
    (d / "truncated.txt").write_bytes(cut)
    (d / "numbers.txt").write_text(DUPLICATED_AND_SKIPPED, encoding="utf-8")
    (d / "brackets.txt").write_text(UNBALANCED, encoding="utf-8")
    with open(d / "huge.txt", "wb") as fh:  # 50 MB, sparse: costs no disk and is never read
        fh.truncate(50 * 2**20)
    os.symlink(d / "deleted-long-ago.txt", d / "link.txt")
    (d / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (d / "renamed.docx").write_text("这不是 Word 文件", encoding="utf-8")
    docx_bytes = make_docx(GOOD[2].read_text(encoding="utf-8"), d / "whole.docx").read_bytes()
    (d / "whole.docx").unlink()
    (d / "truncated.docx").write_bytes(docx_bytes[: len(docx_bytes) // 2])
    pdf_bytes = make_pdf(GOOD[2].read_text(encoding="utf-8"), d / "whole.pdf").read_bytes()
    (d / "whole.pdf").unlink()
    (d / "truncated.pdf").write_bytes(pdf_bytes[: len(pdf_bytes) // 3])
    (d / "scripts-only.html").write_text(
        "<html><head><script>var a = '提振消费。';</script></head><body><nav>首页</nav></body></html>",
        encoding="utf-8",
    )
    (d / "glued.txt").write_text("（一）测试。" * (MAX_CHARS // 6 + 10), encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def mixed_run(mixed, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = run_cli("build", str(mixed), "--out", str(out))
    return proc, out


EXPECTED_ERRORS = {
    "empty.txt": ("GB-E001", "empty file"),
    "blank.txt": ("GB-E001", "empty file (only white space)"),
    "picture.txt": ("GB-E002", "binary file (NUL bytes), not a text document"),
    "latin1.txt": ("GB-E003", "not UTF-8, UTF-16 or GB18030 text"),
    "huge.txt": ("GB-E005", "file is 50 MB, over the 20 MB limit; not read"),
    "link.txt": ("GB-E004", "broken symbolic link"),
    "old.doc": ("GB-E010", "old Word format (.doc) is not supported: save it as .docx or PDF"),
    "renamed.docx": ("GB-E030", "not a readable .docx (damaged or truncated ZIP container)"),
    "truncated.docx": ("GB-E030", "not a readable .docx (damaged or truncated ZIP container)"),
    "truncated.pdf": ("GB-E040", "damaged or truncated PDF"),
    "scripts-only.html": ("GB-E021", "web page has no text"),
    "glued.txt": ("GB-E006", "over the 1,000,000 limit"),
}


@pytest.mark.slow
def test_mixed_folder_builds_the_good_files_and_exits_1(mixed_run):
    proc, out = mixed_run
    assert proc.returncode == 1
    built = {p.stem for p in (out / "json").glob("*.json")}
    assert built == {"good", "good-gbk", "news", "truncated", "numbers", "brackets"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {Path(f["source"]).name for f in manifest["failures"]} == set(EXPECTED_ERRORS)
    assert "built 6 documents" in proc.stdout.decode()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_each_bad_file_gets_one_error_line_naming_it_and_the_reason(mixed_run, mixed, name):
    proc, _ = mixed_run
    code, reason = EXPECTED_ERRORS[name]
    lines = [line for line in _lines(proc.stderr) if f"/{name}:" in line]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{mixed / name}: error {code}: ")
    assert reason in lines[0]


@pytest.mark.slow
def test_warnings_name_file_offset_and_reason(mixed_run, mixed):
    proc, _ = mixed_run
    lines = _lines(proc.stderr)

    def having(name: str, code: str) -> list[str]:
        return [x for x in lines if x.startswith(f"{mixed / name}") and f"warning {code}:" in x]

    assert having("news.txt", "GB-W101")
    assert having("truncated.txt", "GB-W003")  # cut inside a character
    (repeated,) = having("numbers.txt", "GB-W102")
    assert "measure number (二) repeated" in repeated
    skips = having("numbers.txt", "GB-W103")
    assert [s.split("warning GB-W103: ")[1] for s in skips] == [
        "measure numbers skip from 2 to 4",
        "measure numbers skip from 4 to 9",
    ]
    assert len(having("brackets.txt", "GB-W106")) == 3
    # Every warning line has the form file:offset: warning CODE: message.
    for line in lines:
        if " warning " in line:
            assert line.split(": warning ")[0].rsplit(":", 1)[-1].isdigit() or " GB-W101" in line


@pytest.mark.slow
def test_good_gbk_file_is_built_like_its_utf8_original(mixed_run):
    _, out = mixed_run
    gbk = json.loads((out / "json" / "good-gbk.json").read_text(encoding="utf-8"))
    ref = extract_plan(read_input(str(GOOD[3])))
    assert gbk["source"]["encoding"] == "gb18030"
    assert [m["title"] for m in gbk["measures"]] == [m.title for m in ref.measures]


@pytest.mark.slow
def test_duplicated_and_skipped_numbers_keep_each_measure_its_own_agencies(mixed_run):
    _, out = mixed_run
    doc = json.loads((out / "json" / "numbers.json").read_text(encoding="utf-8"))
    assert [(m["label"], m["title"], m["agencies"]) for m in doc["measures"]] == [
        ("(一)", "促进就业", ["市人社局"]),
        ("(二)", "提高收入", ["市人社局", "市财政局"]),
        ("(二)", "扩大培训", ["市教育局"]),
        ("(四)", "稳定预期", ["市发展改革委"]),
        ("(九)", "远跳一项", ["市商务局"]),
        ("(一)", "扩大消费", ["市商务局"]),
    ]


@pytest.mark.slow
def test_unbalanced_brackets_still_give_each_measure_its_clause(mixed_run):
    _, out = mixed_run
    doc = json.loads((out / "json" / "brackets.json").read_text(encoding="utf-8"))
    assert [(m["label"], m["agencies"]) for m in doc["measures"]] == [
        ("(一)", ["市人社局"]),
        ("(二)", ["市人社局", "市财政局"]),
        ("(三)", ["市教育局"]),
    ]


@pytest.mark.slow
def test_news_article_warns_and_exits_0_but_1_with_strict(tmp_path):
    news = tmp_path / "news.txt"
    news.write_text(NEWS, encoding="utf-8")
    proc = run_cli("extract", str(news), "--json-dir", str(tmp_path / "j"))
    assert proc.returncode == 0
    assert _lines(proc.stderr) == [
        f"{news}: warning GB-W101: no numbered measures found: is this an action plan?"
    ]
    strict = run_cli("extract", str(news), "--json-dir", str(tmp_path / "j"), "--strict", "-q")
    assert strict.returncode == 1
    assert _lines(strict.stderr) == _lines(proc.stderr)  # -q hides warnings, not failures


@pytest.mark.slow
def test_clean_plan_exits_0_even_with_strict(tmp_path):
    proc = run_cli("extract", str(GOOD[2]), "--json-dir", str(tmp_path), "--strict")
    assert proc.returncode == 0, proc.stderr.decode()


@pytest.mark.slow
def test_missing_file_glob_without_match_and_empty_folder_are_reported(tmp_path):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    missing = tmp_path / "gone.txt"
    pattern = str(tmp_path / "*.pdf")
    proc = run_cli("extract", str(missing), pattern, str(empty), "--json-dir", str(tmp_path / "j"))
    assert proc.returncode == 1
    assert _lines(proc.stderr) == [
        f"{missing}: error GB-E004: no such file or folder",
        f"{pattern}: error GB-E004: no file matches this pattern",
        f"{empty}: error GB-E004: is a folder with no plan files in it",
    ]


@pytest.mark.slow
def test_empty_standard_input_is_an_error(tmp_path):
    proc = run_cli("extract", "-", "--json-dir", str(tmp_path), stdin=b"")
    assert proc.returncode == 1
    assert _lines(proc.stderr) == ["-: error GB-E001: empty file"]


def test_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """The 50 MB check looks at the size only: reading the file would be the bug."""
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(50 * 2**20)
    opened = []
    real_open = open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    with pytest.raises(ReadError) as err:
        read_input(str(huge))
    assert err.value.code == "GB-E005"
    assert str(huge) not in opened


def test_utf8_cut_inside_a_character_is_not_read_as_gb18030():
    data = "（一）促进就业。".encode()[:-1]
    src = decode_bytes(data)
    assert src.encoding == "utf-8"
    assert src.text == "（一）促进就业"
    assert [d.code for d in src.diagnostics] == ["GB-W003"]


def test_every_supported_encoding_reads_the_same_text():
    text = GOOD[4].read_text(encoding="utf-8")
    variants = {
        "utf-8": text.encode("utf-8"),
        "utf-8-sig": text.encode("utf-8-sig"),
        "gb18030": text.encode("gb18030"),
        "utf-16": text.encode("utf-16"),  # with BOM
        "utf-16-be": b"\xfe\xff" + text.encode("utf-16-be"),
    }
    for name, data in variants.items():
        assert decode_bytes(data).text == text, name


def test_bad_utf16_is_an_error_not_a_crash():
    data = b"\xff\xfe" + "（一）".encode("utf-16-le") + b"\x00\xdc" + "测试".encode("utf-16-le")
    with pytest.raises(ReadError) as err:
        decode_bytes(data)
    assert err.value.code == "GB-E003"


def test_circled_measure_labels_are_numbered_not_a_crash():
    """'①'.isdigit() is true but int('①') fails: the numbering check crashed such plans."""
    text = (
        "某市提振消费专项行动方案\n一、增收行动\n①促进就业。（责任单位：市人社局）\n"
        "②提高收入。（责任单位：市财政局）\n②扩大培训。（责任单位：市教育局）\n"
    )
    plan = extract_plan(decode_bytes(text.encode("utf-8"), "circled.txt"))
    assert [(m.label, m.agencies) for m in plan.measures] == [
        ("①", ["市人社局"]),
        ("②", ["市财政局"]),
        ("②", ["市教育局"]),
    ]
    assert [d.code for d in plan.diagnostics] == ["GB-W102"]


@pytest.mark.slow
def test_thousands_of_headings_parse_in_linear_time():
    """A hostile (or enormous) document with 16,000 measures: seconds, not minutes.

    Section ends and clause look-ups were quadratic in the number of headings (16,000 took
    about a minute); they are found with one pass and binary search now.
    """
    import time

    numbers = "一二三四五六七八九十"
    body = "".join(f"（{numbers[i % 10]}）促进。（责任单位：市商务局）\n" for i in range(16000))
    src = decode_bytes(("某市提振消费方案\n" + body).encode("utf-8"), "many.txt")
    extract_plan(decode_bytes("（一）预热。".encode(), "warm.txt"))  # load the pipeline first
    started = time.monotonic()
    plan = extract_plan(src)
    assert len(plan.measures) == 16000
    assert time.monotonic() - started < 30


def test_unreadable_file_is_reported_with_the_system_reason(tmp_path, monkeypatch):
    """Permission denied (simulated: the suite may run as root, who can read anything)."""
    import graph_builder.read.text as text_module

    locked = tmp_path / "locked.txt"
    locked.write_bytes(GOOD[0].read_bytes())

    def denied(file, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(text_module, "open", denied, raising=False)
    with pytest.raises(ReadError) as err:
        read_input(str(locked))
    assert (err.value.code, str(err.value)) == ("GB-E004", "cannot read file: Permission denied")


@pytest.mark.slow
def test_glob_patterns_and_folders_pick_up_plan_files(tmp_path):
    pattern = str(CORPUS / "00[01]_*.txt")
    proc = run_cli("extract", pattern, "--json-dir", str(tmp_path), "-q")
    assert proc.returncode == 0, proc.stderr.decode()
    assert sorted(p.stem for p in tmp_path.glob("*.json")) == [GOOD[0].stem, GOOD[1].stem]
