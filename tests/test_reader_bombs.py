"""Decompression bombs are refused early, in seconds and with little memory (issue 13).

Each bomb is built here, then read in a fresh process whose peak memory and time are
measured, so the figures are those of reading it alone. The peak is the new process's own
``VmHWM``: Linux carries ``ru_maxrss`` over an ``exec`` from the process that spawned it (a
vfork shares the parent's memory), so it would report the pytest process's peak instead.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_READ = """
import json, resource, sys, time
def peak_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
from graph_builder.batch import extract_one
out = extract_one(sys.argv[1])
print(json.dumps({
    "code": getattr(out, "code", None),
    "message": getattr(out, "message", ""),
    "diagnostics": [d.code for d in getattr(out, "diagnostics", [])],
    "seconds": time.perf_counter() - t0,
    "max_rss_mb": peak_mb(),
}))
"""


def _read_in_child(path: Path) -> dict:
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _READ, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - t0
    return result


def _docx_with_document(path: Path, write_body) -> None:
    """A real .docx (made by python-docx) whose document.xml is streamed by ``write_body``."""
    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with out.open(info.filename, "w", force_zip64=True) as f:
                    f.write(f'<?xml version="1.0"?><w:document {_W}><w:body>'.encode())
                    write_body(f)
                    f.write(b"</w:body></w:document>")
            else:
                out.writestr(info, src.read(info))


@pytest.mark.slow
def test_docx_unpacking_to_290_mb_is_refused_fast_and_small(tmp_path):
    path = tmp_path / "bomb.docx"

    def body(f):
        f.write(b"<w:p><w:r><w:t>")
        chunk = "消".encode() * (1 << 20)
        for _ in range(96):  # 96 × 3 MB
            f.write(chunk)
        f.write(b"</w:t></w:r></w:p>")

    _docx_with_document(path, body)
    assert path.stat().st_size < 2 * 2**20
    r = _read_in_child(path)
    assert r["code"] in ("GB-E071", "GB-E032"), r
    assert r["seconds"] < 5 and r["max_rss_mb"] < 500, r


@pytest.mark.slow
def test_docx_of_millions_of_empty_paragraphs_is_refused_fast_and_small(tmp_path):
    path = tmp_path / "paragraphs.docx"

    def body(f):
        for _ in range(60):
            f.write(b"<w:p/>" * 50_000)

    _docx_with_document(path, body)
    r = _read_in_child(path)
    assert r["code"] == "GB-E072", r
    assert r["seconds"] < 5 and r["max_rss_mb"] < 500, r


def test_docx_with_malformed_numbering_is_read_with_a_warning(tmp_path):
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("关于提振消费的行动方案")
    d.add_paragraph("一、总体要求", style="List Number")
    d.add_paragraph("力争新增就业100万人。")
    d.save(buf)
    path = tmp_path / "numbering.docx"
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        assert "word/numbering.xml" in src.namelist()
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/numbering.xml":
                body = body[: len(body) // 2]  # cut in the middle of an element
            out.writestr(info, body)
    from graph_builder.read import read_input

    src = read_input(str(path))
    assert "力争新增就业100万人" in src.text
    assert [d.code for d in src.diagnostics] == ["GB-W120"]


def _pdf_with_stream(path: Path, inflated: int) -> None:
    """A one-page PDF whose content stream inflates to ``inflated`` bytes of spaces."""
    z = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(z.compress(chunk) for _ in range(inflated >> 20)) + z.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))


@pytest.mark.slow
@pytest.mark.parametrize("mb", [1000])
def test_pdf_with_a_flatedecode_bomb_is_refused_fast_and_small(tmp_path, mb):
    path = tmp_path / "bomb.pdf"
    _pdf_with_stream(path, mb << 20)
    assert path.stat().st_size < 2 * 2**20
    r = _read_in_child(path)
    assert r["code"] == "GB-E073", r
    assert r["seconds"] < 5 and r["max_rss_mb"] < 500, r
