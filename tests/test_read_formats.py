"""The same plan as text, web page, Word file and PDF gives the same measures and agencies.

The HTML, DOCX and PDF are made here from the seed documents in corpus/ with standard tools
(see tests/_docgen.py), so what is compared is the reader, not a hand-made fixture.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from graph_builder.export.json_export import plan_to_dict
from graph_builder.export.outputs import write_outputs
from graph_builder.extract.pipeline import extract_plan
from graph_builder.read import ReadError, read_bytes, read_input, sniff_format

from ._docgen import make_docx, make_html, make_pdf, seed_blocks

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))


def _measures(plan) -> list[tuple]:
    d = plan_to_dict(plan)
    return [(m["action"], m["label"], m["title"], tuple(m["agencies"])) for m in d["measures"]]


def _agencies(plan) -> list[str]:
    return sorted(a["name"] for a in plan_to_dict(plan)["agencies"])


@cache
def _reference(seed: Path):
    return extract_plan(read_input(str(seed)))


def _seed_text(seed: Path) -> str:
    return seed.read_text(encoding="utf-8")


def _assert_same_plan(converted, seed: Path) -> None:
    ref = _reference(seed)
    assert ref.measures, "the seed must have measures for the comparison to mean anything"
    assert _measures(converted) == _measures(ref)
    assert _agencies(converted) == _agencies(ref)
    assert [(a.id, a.title) for a in converted.actions] == [(a.id, a.title) for a in ref.actions]
    for m in converted.measures:
        assert m.span.text == converted.text[m.span.start : m.span.end]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_html_page_gives_same_measures_and_agencies_as_text(seed):
    src = read_bytes(make_html(_seed_text(seed)), f"{seed.stem}.html", ".html")
    _assert_same_plan(extract_plan(src), seed)


@pytest.mark.parametrize("seed", SEEDS[:2], ids=lambda p: p.stem[:3])
def test_gbk_html_page_with_title_outside_content_reads_the_same(seed):
    data = make_html(_seed_text(seed), encoding="gbk", title_outside=True)
    src = read_bytes(data, f"{seed.stem}.htm", ".htm")
    assert src.encoding == "html/gb18030"
    plan = extract_plan(src)
    _assert_same_plan(plan, seed)
    assert plan.meta.title == _reference(seed).meta.title


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_docx_gives_same_measures_and_agencies_as_text(seed, tmp_path):
    path = make_docx(_seed_text(seed), tmp_path / f"{seed.stem}.docx")
    _assert_same_plan(extract_plan(read_input(str(path))), seed)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_pdf_gives_same_measures_and_agencies_as_text(seed, tmp_path):
    path = make_pdf(_seed_text(seed), tmp_path / f"{seed.stem}.pdf")
    _assert_same_plan(extract_plan(read_input(str(path))), seed)


def test_tables_survive_every_format(tmp_path):
    """The appendix table of planned policies (000) comes back from DOCX, HTML and PDF."""
    seed = SEEDS[0]
    text = _seed_text(seed)
    ref = [(p.title, [a.name for a in p.agencies]) for p in _reference(seed).planned_policies]
    assert len(ref) == 4
    sources = {
        "html": read_bytes(make_html(text), "t.html", ".html"),
        "docx": read_input(str(make_docx(text, tmp_path / "t.docx"))),
        "pdf": read_input(str(make_pdf(text, tmp_path / "t.pdf"))),
    }
    for fmt, src in sources.items():
        got = [(p.title, [a.name for a in p.agencies]) for p in extract_plan(src).planned_policies]
        assert got == ref, fmt


def test_html_keeps_the_plan_and_drops_navigation_scripts_and_footer():
    text = read_bytes(make_html(_seed_text(SEEDS[0])), "p.html", ".html").text
    assert text.startswith("株洲市提振消费专项行动方案\n")
    for residue in (
        "互动交流",  # menu
        "当前位置",  # breadcrumb
        "欢迎访问本网站",  # script
        "样式：导航",  # style
        "统计代码",  # script writing a paragraph
        "网站标识码",  # footer
        "相关链接",  # link list after the text
        "打印本页",  # page tools
    ):
        assert residue not in text, residue
    assert "\t市发展改革委、市商务局、市财政局\n" in text


def test_html_without_tags_is_read_as_plain_text():
    data = _seed_text(SEEDS[1]).encode("utf-8")
    assert read_bytes(data, "saved.html", ".html").text == _seed_text(SEEDS[1])


def test_html_joins_source_line_breaks_between_chinese_characters():
    page = "<html><body><p>（一）促进\n  就业。推动 Smart\nCity 建设。</p></body></html>"
    assert (
        read_bytes(page.encode(), "p.html", ".html").text
        == "（一）促进就业。推动 Smart City 建设。\n"
    )


def test_docx_renders_word_automatic_numbering(tmp_path):
    """Labels Word draws itself (numPr) are written into the rendition as Word shows them."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f"<w:abstractNum {nsdecls('w')} w:abstractNumId='90'>"
            "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='chineseCounting'/>"
            "<w:lvlText w:val='%1、'/></w:lvl>"
            "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='chineseCounting'/>"
            "<w:lvlText w:val='（%2）'/></w:lvl></w:abstractNum>"
        )
    )
    numbering.append(
        parse_xml(f"<w:num {nsdecls('w')} w:numId='90'><w:abstractNumId w:val='90'/></w:num>")
    )

    def para(text: str, level: int) -> None:
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(
                f"<w:numPr {nsdecls('w')}><w:ilvl w:val='{level}'/><w:numId w:val='90'/></w:numPr>"
            )
        )

    document.add_paragraph("某市提振消费专项行动方案")
    para("增收行动", 0)
    para("促进就业。（责任单位：市人社局、市财政局）", 1)
    para("提高收入。（责任单位：市发展改革委）", 1)
    para("消费行动", 0)
    para("扩大消费。（责任单位：市商务局）", 1)
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    src = read_input(str(path))
    assert "一、增收行动\n（一）促进就业。" in src.text
    assert "二、消费行动\n（一）扩大消费。" in src.text
    plan = extract_plan(src)
    assert [(m.action, m.label, m.agencies) for m in plan.measures] == [
        ("一", "(一)", ["市人社局", "市财政局"]),
        ("一", "(二)", ["市发展改革委"]),
        ("二", "(一)", ["市商务局"]),
    ]


@pytest.mark.slow
def test_pdf_drops_page_numbers_and_joins_lines_back_into_paragraphs(tmp_path):
    """Every paragraph of the seed comes back whole, across line and page breaks, and the
    page numbers are gone. (The CID font has no glyph for the middle dot, so it is absent.)"""
    seed = SEEDS[1]
    src = read_input(str(make_pdf(_seed_text(seed), tmp_path / "p.pdf")))
    expected = [line.strip().replace("·", "") for line in _seed_text(seed).split("\n")]
    assert [line for line in src.text.split("\n") if line] == [x for x in expected if x]
    assert not re.search(r"(?m)^— \d+ —$", src.text)


def test_pdf_without_text_layer_is_refused_as_scanned(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(buf, "PNG")
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 50, 50, 400, 560)
    c.showPage()
    c.save()
    with pytest.raises(ReadError, match=r"no text layer \(scanned PDF\?\)") as err:
        read_input(str(path))
    assert err.value.code == "GB-E042"


def test_encrypted_pdf_asks_for_a_password(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(100, 700, "locked")
    c.save()
    with pytest.raises(ReadError, match="password") as err:
        read_input(str(path))
    assert err.value.code == "GB-E041"


def test_content_decides_the_format_when_the_file_ending_is_wrong(tmp_path):
    seed = SEEDS[2]
    pdf = make_pdf(_seed_text(seed), tmp_path / "plan.pdf").read_bytes()
    docx_bytes = make_docx(_seed_text(seed), tmp_path / "plan.docx").read_bytes()
    assert sniff_format(pdf) == "pdf"
    assert sniff_format(docx_bytes) == "docx"
    assert sniff_format(make_html("一、测试")) == "html"
    wrong = tmp_path / "download.txt"
    wrong.write_bytes(pdf)
    _assert_same_plan(extract_plan(read_input(str(wrong))), seed)
    served_as_doc = tmp_path / "plan.doc"  # sites serve web pages and .docx files as .doc
    served_as_doc.write_bytes(make_html(_seed_text(seed)))
    _assert_same_plan(extract_plan(read_input(str(served_as_doc))), seed)
    served_as_doc.write_bytes(docx_bytes)
    _assert_same_plan(extract_plan(read_input(str(served_as_doc))), seed)


@pytest.mark.slow
def test_standard_input_accepts_a_word_file(tmp_path):
    seed = SEEDS[3]
    data = make_docx(_seed_text(seed), tmp_path / "in.docx").read_bytes()
    out = tmp_path / "json"
    proc = subprocess.run(
        [sys.executable, "-m", "graph_builder", "extract", "-", "--json-dir", str(out)],
        input=data,
        capture_output=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    (result,) = out.glob("stdin-*.json")
    measures = json.loads(result.read_text(encoding="utf-8"))["measures"]
    assert [(m["label"], m["agencies"]) for m in measures] == [
        (lbl, list(ag)) for _, lbl, _, ag in _measures(_reference(seed))
    ]


@pytest.mark.slow
def test_offsets_point_into_the_stored_rendition_of_every_format(tmp_path):
    """Quotes in the JSON equal the stored text/<doc>.txt at their offsets, for each format."""
    text = _seed_text(SEEDS[0])
    plans = [
        extract_plan(read_bytes(make_html(text, "gbk"), "page.html", ".html")),
        extract_plan(read_input(str(make_docx(text, tmp_path / "word.docx")))),
        extract_plan(read_input(str(make_pdf(text, tmp_path / "print.pdf")))),
    ]
    out = tmp_path / "out"
    write_outputs(plans, out)
    for plan in plans:
        with open(out / "text" / f"{plan.doc_id}.txt", encoding="utf-8", newline="") as fh:
            stored = fh.read()
        assert stored == plan.text
        doc = json.loads((out / "json" / f"{plan.doc_id}.json").read_text(encoding="utf-8"))
        quotes = [m["evidence"]["span"] for m in doc["measures"]]
        quotes += [a for m in doc["measures"] for a in m["evidence"]["agencies"]]
        assert quotes
        for q in quotes:
            assert stored[q["start"] : q["end"]] == q["text"]


def test_seed_blocks_cover_every_paragraph():
    blocks = seed_blocks(_seed_text(SEEDS[0]))
    assert blocks[0] == ("p", "株洲市提振消费专项行动方案")
    assert sum(kind == "table" for kind, _ in blocks) == 1


WORD_SAVED_PAGE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>某某</o:Author></o:DocumentProperties></xml><![endif]-->
<style><!-- p.MsoNormal {margin:0cm;} --></style></head>
<body lang=ZH-CN><div class=WordSection1>
<p class=MsoNormal align=center><b><span style='font-size:22.0pt'>某市提振消费专项行动方案<o:p></o:p></span></b></p>
<p class=MsoNormal style='text-indent:32.0pt'><span>一、增收行动<o:p></o:p></span></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>（一）<span
style='font:7.0pt "Times New Roman"'>&nbsp; </span></span><![endif]><span>促进就业。推动堃山园区就业。（责任单位：市人社局、市财政局）<o:p></o:p></span></p>
<p class=MsoNormal>&nbsp;&nbsp;<span>（二）提高收入。提高最低</span><span lang=EN-US>工资。</span><span>（责任单位：市发展改革委）</span></p>
</div></body></html>"""


def test_word_saved_gb2312_page_with_gbk_characters_and_nbsp_labels():
    """Declared GB2312 but holding a GBK-only character (堃): read as GB18030, no U+FFFD;
    list labels Word writes with &nbsp; padding are still headings."""
    src = read_bytes(WORD_SAVED_PAGE.encode("gbk"), "word.htm", ".htm")
    assert src.encoding == "html/gb18030"
    assert "堃山园区" in src.text and "\ufffd" not in src.text
    assert "某某" not in src.text  # document properties in conditional comments are dropped
    plan = extract_plan(src)
    assert [(m.action, m.label, m.title, m.agencies) for m in plan.measures] == [
        ("一", "(一)", "促进就业", ["市人社局", "市财政局"]),
        ("一", "(二)", "提高收入", ["市发展改革委"]),
    ]


def test_chinese_page_mislabelled_as_western_charset_is_still_read():
    page = "<html><head><meta charset=iso-8859-1></head><body><p>（一）促进就业。</p></body></html>"
    for enc in ("gbk", "utf-8"):
        src = read_bytes(page.encode(enc), "x.html", ".html")
        assert src.text == "（一）促进就业。\n", enc


def test_docx_tracked_changes_read_as_accepted(tmp_path):
    """A draft with tracked changes: inserted text counts, deleted text does not."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("某市提振消费专项行动方案")
    document.add_paragraph("一、增收行动")
    p = document.add_paragraph("（一）促进就业。")
    w = nsdecls("w")
    p._p.append(
        parse_xml(f"<w:ins {w} w:id='1' w:author='a'><w:r><w:t>扩大岗位。</w:t></w:r></w:ins>")
    )
    p._p.append(
        parse_xml(
            f"<w:del {w} w:id='2' w:author='a'><w:r><w:delText>（责任单位：市教育局）</w:delText>"
            "</w:r></w:del>"
        )
    )
    p._p.append(parse_xml(f"<w:r {w}><w:t>（责任单位：市人社局）</w:t></w:r>"))
    document.add_paragraph("（二）提高收入。（责任单位：市财政局）")
    path = tmp_path / "draft.docx"
    document.save(str(path))
    src = read_input(str(path))
    assert "（一）促进就业。扩大岗位。（责任单位：市人社局）\n" in src.text
    assert "市教育局" not in src.text
    assert [m.agencies for m in extract_plan(src).measures] == [["市人社局"], ["市财政局"]]
