"""A saved web archive (.mht/.mhtml) reads as the web page inside it.

The archive is made here as browsers save one (MIME multipart/related, the page
quoted-printable in GBK, an image beside it), from a seed plan's page, so the comparison is
with the same page read directly.
"""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest

from graph_builder.extract.pipeline import extract_plan
from graph_builder.read import READERS, ReadError, read_bytes

from ._docgen import make_html

SEED = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))[0]


def _archive(page: bytes | None, charset: str = "gbk") -> bytes:
    parts = [
        "From: <Saved by Blink>\r\nSubject: plan\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----B"\r\n\r\n'
    ]
    if page is not None:
        body = quopri.encodestring(page).decode("ascii").replace("\n", "\r\n")
        parts.append(
            f"------B\r\nContent-Type: text/html; charset={charset}\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "Content-Location: https://www.example.gov.cn/zwgk/plan.html\r\n\r\n" + body + "\r\n"
        )
    gif = base64.b64encode(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").decode("ascii")
    parts.append(
        "------B\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Location: https://www.example.gov.cn/logo.gif\r\n\r\n" + gif + "\r\n------B--\r\n"
    )
    return "".join(parts).encode("ascii")


@pytest.mark.parametrize("suffix", [".mht", ".mhtml"])
def test_a_web_archive_gives_the_page_inside_it(suffix):
    assert READERS[suffix] == "mhtml"
    page = make_html(SEED.read_text(encoding="utf-8"), encoding="gbk")
    direct = extract_plan(read_bytes(page, "plan.html", ".html"))
    archived = read_bytes(_archive(page), f"plan{suffix}", suffix)
    plan = extract_plan(archived)
    assert direct.measures, "the page must have measures for the comparison to mean anything"
    assert plan.text == direct.text
    assert [(m.label, m.span.text) for m in plan.measures] == [
        (m.label, m.span.text) for m in direct.measures
    ]


def test_a_web_archive_without_a_page_is_refused_with_its_code():
    with pytest.raises(ReadError) as err:
        read_bytes(_archive(None), "empty.mht", ".mht")
    assert err.value.code == "GB-E023"
