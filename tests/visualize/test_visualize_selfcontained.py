"""Pages open with no network: nothing is fetched from another host, text is UTF-8."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyvis.network import Network

from graph_builder.export.outputs import write_outputs
from graph_builder.visualize.aggregate import aggregate
from graph_builder.visualize.network import render_network_html
from graph_builder.visualize.page import (
    ExternalReferenceError,
    external_references,
    json_for_script,
    write_page,
)


def test_pyvis_inline_mode_still_links_outside_hosts_which_is_why_we_render_our_own(tmp_path):
    net = Network(cdn_resources="in_line")
    net.add_node(1, label="a")
    net.add_node(2, label="b")
    net.add_edge(1, 2)
    html = net.generate_html()
    outside = external_references(html)
    assert any("cdn.jsdelivr.net" in u and "bootstrap" in u for u in outside), outside


def test_external_references_finds_fetches_but_not_links_or_licence_text():
    html = (
        '<a href="https://example.org/read-more">x</a>'
        "<!-- see http://opensource.org/licenses/MIT -->"
        '<link rel="icon" href="data:,"><img src="local.png">'
        '<script src="//cdn.example.com/a.js"></script>'
        "<style>@import 'https://fonts.example.com/f.css'; .x{background:url(http://img.example.com/i.png)}</style>"
    )
    assert external_references(html) == [
        "//cdn.example.com/a.js",
        "http://img.example.com/i.png",
        "https://fonts.example.com/f.css",
    ]


def test_write_page_refuses_a_page_that_would_fetch_from_outside(tmp_path):
    with pytest.raises(ExternalReferenceError, match="outside hosts"):
        write_page(tmp_path / "x.html", '<script src="https://unpkg.com/vis-network"></script>')
    assert not (tmp_path / "x.html").exists()


def test_json_for_script_cannot_end_the_script_element_and_reads_back_unchanged():
    data = {"t": "</script><script>alert(1)</script><!-- & \u2028"}
    text = json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


@pytest.mark.slow
def test_build_writes_self_contained_utf8_pages(gold_typed_plans, tmp_path):
    written = write_outputs(gold_typed_plans, tmp_path)
    pages = sorted(p for p in written if p.suffix == ".html")
    names = {str(p.relative_to(tmp_path)) for p in pages}
    assert {
        "agency_measure_types.html",
        "agency_measure_types_matrix.html",
        "explorer/index.html",
    } <= names
    assert {f"explorer/{p.doc_id}.html" for p in gold_typed_plans} <= names
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert "agency_measure_types.html" in manifest["files"]
    for page in pages:
        raw = page.read_bytes()
        html = raw.decode("utf-8")  # raises if not UTF-8
        assert '<meta charset="utf-8">' in html[:300]
        assert external_references(html) == [], page
        assert "<script src" not in html and 'rel="stylesheet"' not in html


def test_network_page_inlines_vis_network_from_the_pyvis_package(gold_typed_plans):
    import pyvis

    html = render_network_html(aggregate(gold_typed_plans))
    bundled = Path(pyvis.__file__).parent / "templates/lib/vis-9.1.2/vis-network.min.js"
    head = bundled.read_text(encoding="utf-8")[:2000]
    assert head in html
    # deterministic: the same corpus gives byte-identical pages (positions do not jump)
    assert html == render_network_html(aggregate(gold_typed_plans))
