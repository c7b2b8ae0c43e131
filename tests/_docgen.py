"""Make the same plan as a web page, a Word file and a PDF, with standard tools, at test time.

The seed is a plain-text plan; its paragraphs and tables (as :mod:`graph_builder.segment.tables`
finds them) are laid out again the way publishers do: a government web page with menus,
scripts and a footer around the text, a .docx written with python-docx, a PDF typeset with
reportlab in its built-in Chinese CID font (STSong-Light, no font file needed).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from graph_builder.segment.tables import find_tables

__all__ = ["seed_blocks", "make_html", "make_docx", "make_pdf"]

Block = tuple[str, object]  # ("p", str) or ("table", list[list[str]])


def seed_blocks(text: str) -> list[Block]:
    """Paragraphs (non-empty lines) and tables of a plain-text plan, in order."""
    tables = find_tables(text)
    blocks: list[Block] = []
    pos = 0
    for t in [*tables, None]:
        stop = t.start if t is not None else len(text)
        for line in text[pos:stop].split("\n"):
            if line.strip():
                blocks.append(("p", line.strip(" \t\u3000\r")))
        if t is not None:
            blocks.append(("table", [[c.text for c in row] for row in t.rows]))
            pos = t.end
    return blocks


def _html_body(blocks: list[Block], title_outside: bool) -> str:
    parts = []
    start = 0
    if title_outside and blocks and blocks[0][0] == "p":
        parts.append(
            '<div class="article-head"><h1 class="title">'
            + escape(blocks[0][1])
            + '</h1><div class="info">发布时间：2025-05-06 来源：市政府办公室'
            + " 【字体：<a href='#'>大</a> <a href='#'>中</a> <a href='#'>小</a>】</div></div>"
        )
        start = 1
    parts.append('<div class="content"><div class="TRS_Editor">')
    for kind, body in blocks[start:]:
        if kind == "p":
            # Publishers indent with no-break or ideographic spaces and wrap source lines.
            parts.append(f"<p style='text-indent:2em'>&nbsp;&nbsp;{escape(body)}</p>\n")
        else:
            rows = "".join(
                "<tr>"
                + "".join(
                    "<td><p>" + "</p><p>".join(map(escape, c.split("\n"))) + "</p></td>"
                    for c in row
                )
                + "</tr>\n"
                for row in body
            )
            parts.append(f"<table border='1'><tbody>{rows}</tbody></table>\n")
    parts.append("</div></div>")
    return "".join(parts)


def make_html(text: str, encoding: str = "utf-8", title_outside: bool = False) -> bytes:
    """A government-style page holding the plan, in ``encoding`` (declared in a meta tag)."""
    blocks = seed_blocks(text)
    menu = "".join(
        f"<li><a href='/{i}'>{w}</a></li>"
        for i, w in enumerate(["首页", "政务公开", "政务服务", "互动交流", "走进本市", "专题专栏"])
    )
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<title>{escape(str(blocks[0][1]))}_市人民政府门户网站</title>
<style>.nav li {{ float: left; }} /* 样式：导航。 */</style>
<script>var msg = "欢迎访问本网站，请使用新版浏览器。"; if (a < b && c > d) {{ go(); }}</script>
</head><body>
<div class="top"><div class="logo">市人民政府门户网站</div>
<ul class="nav">{menu}</ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 通知公告</div>
<div class="main-wrap">
{_html_body(blocks, title_outside)}
<div class="tools">【<a href="javascript:print()">打印本页</a>】【<a href="javascript:close()">关闭窗口</a>】</div>
</div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="/a">关于进一步促进消费的若干措施</a></li><li><a href="/b">政策解读：提振消费专项行动</a></li>
</ul></div>
<div class="footer">主办：市人民政府办公室　承办：市大数据中心<br>
版权所有：市人民政府。地址：人民路1号，电话：0000-0000000。网站标识码：0000000000</div>
<script type="text/javascript">document.write("<p>统计代码，页面访问量。</p>");</script>
</body></html>
"""
    return page.encode(encoding)


def make_docx(text: str, path: Path) -> Path:
    """The plan as a Word file: one paragraph per line, tables as Word tables."""
    import docx

    document = docx.Document()
    for kind, body in seed_blocks(text):
        if kind == "p":
            document.add_paragraph(body)
        else:
            width = max(len(r) for r in body)
            table = document.add_table(rows=len(body), cols=width)
            for r, row in enumerate(body):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    lines = value.split("\n")
                    cell.text = lines[0]
                    for extra in lines[1:]:
                        cell.add_paragraph(extra)
    document.save(str(path))
    return path


def make_pdf(text: str, path: Path) -> Path:
    """The plan typeset as a PDF with a text layer (reportlab, CID font STSong-Light)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body",
        fontName="STSong-Light",
        fontSize=12,
        leading=20,
        firstLineIndent=24,
        wordWrap="CJK",
    )
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    story = []
    for kind, content in seed_blocks(text):
        if kind == "p":
            story.append(Paragraph(escape(content), body))
        else:
            rows = [[Paragraph(escape(v).replace("\n", "<br/>"), cell) for v in r] for r in content]
            story.append(Table(rows, style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")])))

    def page_number(canvas, doc):
        canvas.setFont("STSong-Light", 10)
        canvas.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")

    SimpleDocTemplate(str(path), pagesize=A4).build(
        story, onFirstPage=page_number, onLaterPages=page_number
    )
    return path
