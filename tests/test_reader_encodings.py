"""Reading keeps every offset pointing into the original text."""

from __future__ import annotations

import codecs

import pytest

from graph_builder.read import ReadError, decode_bytes, read_path

from .conftest import CORPUS

SAMPLE = "株洲市提振消费专项行动方案\n（一）稳就业。（责任单位：市人社局）\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("utf-16"), "utf-16"),
    ],
)
def test_encodings_decode_to_the_same_text(data, encoding):
    src = decode_bytes(data, "x.txt")
    assert src.text == SAMPLE
    assert src.encoding == encoding


def test_conversion_artefact_is_masked_without_moving_offsets():
    src = read_path(CORPUS / "002_2bd917dc5b4b3183.txt")
    [art] = [s for s in src.ignored if "bookmark" in s.text]
    assert src.text[art.start : art.end] == "[bookmark: _GoBack]"
    assert len(src.masked) == len(src.text)
    assert src.masked[art.start : art.end].strip() == ""


def test_web_page_residue_at_the_end_is_ignored():
    src = read_path(CORPUS / "003_75496fdd0e1ca6bb.txt")
    assert src.ignored and src.ignored[-1].text.split() == ["热门", "本周", "本月"]


@pytest.mark.parametrize(
    "data, code",
    [(b"", "GB-E001"), (b"   \n\t", "GB-E001"), (b"\x00\x01\x02binary\x00", "GB-E002")],
)
def test_unreadable_bytes_raise_with_a_code(data, code):
    with pytest.raises(ReadError) as e:
        decode_bytes(data, "bad.txt")
    assert e.value.code == code
