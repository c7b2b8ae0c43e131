"""The network page: which agency functions lead which measure types (``agency_measure_types.html``).

pyvis builds the node and edge records (ids, labels, colours, positions) and supplies the
vis-network build; the page around it is our own template, because pyvis's templates link
outside hosts even in ``in_line`` mode (see :mod:`graph_builder.visualize.page`). Positions
come from :func:`~graph_builder.visualize.layout.radial_layout` with physics off, so the
picture is stable. A small inline script (``templates/agency_network.js``) does the region
filter, the participation toggle, the zh/en labels, side-by-side comparison and tooltips; it
builds every tooltip with ``textContent``, so text from documents is never parsed as HTML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from markupsafe import Markup
from pyvis.network import Network

from graph_builder.model import Plan
from graph_builder.visualize.aggregate import (
    ROLES,
    UNCLASSIFIED,
    AgencyMeasureAggregate,
    aggregate,
)
from graph_builder.visualize.layout import radial_layout
from graph_builder.visualize.page import TEMPLATE_DIR, templates, vis_network_assets, write_page

__all__ = [
    "NETWORK_FILE",
    "ALL",
    "area_colors",
    "wrap_caption",
    "build_network",
    "network_data",
    "render_network_html",
    "write_agency_network",
]

#: File name of the page under the output folder.
NETWORK_FILE = "agency_measure_types.html"
#: Key of the all-regions view in the page's per-region counts.
ALL = "*"

# Tableau 10, in the order of the national plan's areas; grey for the unclassified bucket.
_PALETTE = [
    "#4e79a7",
    "#59a14f",
    "#f28e2b",
    "#e15759",
    "#b07aa1",
    "#9c755f",
    "#ff9da7",
    "#76b7b2",
    "#edc948",
    "#bab0ac",
]
_GREY = "#9e9e9e"
_AGENCY_COLOR = {"background": "#37474f", "border": "#263238"}
_AGENCY_HIGHLIGHT = {"background": "#546e7a", "border": "#102027"}

#: vis-network options (physics off: positions are the computed ones).
OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False, "randomSeed": 1},
    "interaction": {
        "hover": True,
        "tooltipDelay": 120,
        "hideEdgesOnDrag": False,
        "keyboard": False,
        "navigationButtons": False,
    },
    "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1.5},
    "nodes": {"font": {"face": "sans-serif"}},
}


def area_colors(agg: AgencyMeasureAggregate) -> dict[str, str]:
    """Colour of each area, by its order in the national plan; grey for unclassified."""
    colors = {}
    for area in sorted(agg.areas.values(), key=lambda a: a.order):
        if area.key == UNCLASSIFIED:
            colors[area.key] = _GREY
        else:
            colors[area.key] = _PALETTE[area.order % len(_PALETTE)]
    return colors


def wrap_caption(text: str, width: int = 7) -> str:
    """Break a long caption without spaces (Chinese) into balanced lines of about ``width``.

    vis-network wraps only at spaces, so ``重点群体基本生活保障`` would be one wide line.
    """
    if " " in text or len(text) <= width + 1:
        return text
    lines = -(-len(text) // width)
    size = -(-len(text) // lines)
    return "\n".join(text[i : i + size] for i in range(0, len(text), size))


def _measure_index(agg: AgencyMeasureAggregate) -> tuple[list[dict], dict[tuple, int]]:
    """Every measure behind an edge once (edges refer to it by index)."""
    rows: list[dict] = []
    index: dict[tuple, int] = {}
    for edge in agg.edges.values():
        for ref in edge.measures:
            key = (ref.doc_id, ref.start, ref.end, ref.label)
            if key not in index:
                index[key] = len(rows)
                rows.append(
                    {
                        "doc": ref.doc_id,
                        "region": ref.region,
                        "action": ref.action,
                        "label": ref.label,
                        "title": ref.title,
                        "quote": ref.quote,
                        "cues": list(ref.type_cues),
                    }
                )
    return rows, index


def build_network(agg: AgencyMeasureAggregate) -> Network:
    """A pyvis network of every node and edge any view can show, at its fixed position."""
    colors = area_colors(agg)
    pos = radial_layout(agg)
    _rows, index = _measure_index(agg)
    led: dict[str, int] = {}
    per_type: dict[str, set] = {}
    for e in agg.edges.values():
        if e.role == "lead":
            led[e.source] = led.get(e.source, 0) + e.count()
        per_type.setdefault(e.target, set()).update((m.doc_id, m.start) for m in e.measures)

    net = Network(directed=True, cdn_resources="in_line")
    for node in agg.nodes.values():
        if node.id not in pos:
            continue
        x, y = pos[node.id]
        common = dict(
            x=x,
            y=y,
            physics=False,
            kind=node.kind,
            key=node.key,
            label_zh=node.label_zh,
            label_en=node.label_en,
            caption_zh=wrap_caption(node.label_zh),
            caption_en=node.label_en,
            full_zh=node.full_label_zh,
            full_en=node.full_label_en,
        )
        if node.kind == "agency":
            n = led.get(node.id, 0)
            net.add_node(
                node.id,
                label=node.label_zh,
                shape="box",
                color={**_AGENCY_COLOR, "highlight": _AGENCY_HIGHLIGHT, "hover": _AGENCY_HIGHLIGHT},
                font={"color": "#ffffff", "size": round(15 + 2.5 * math.sqrt(n))},
                margin=8,
                led=n,
                **common,
            )
        else:
            n = len(per_type.get(node.id, ()))
            color = colors.get(node.area or UNCLASSIFIED, _GREY)
            net.add_node(
                node.id,
                label=wrap_caption(node.label_zh),
                shape="dot",
                color={"background": color, "border": color},
                size=round(7 + 3 * math.sqrt(n), 1),
                font={"size": 17, "strokeWidth": 3, "strokeColor": "#ffffff"},
                widthConstraint={"maximum": 150},
                area=node.area,
                notation=node.notation,
                measures=n,
                **common,
            )
    for edge in agg.edges.values():
        counts = {ALL: edge.count()}
        counts.update({r: edge.count(r) for r in agg.regions if edge.count(r)})
        target = agg.nodes[edge.target]
        color = colors.get(target.area or UNCLASSIFIED, _GREY)
        lead = edge.role == "lead"
        net.add_edge(
            edge.source,
            edge.target,
            id=edge.id,
            role=edge.role,
            counts=counts,
            refs=[
                [index[(m.doc_id, m.start, m.end, m.label)], m.agency or ""] for m in edge.measures
            ],
            color={"color": color if lead else "#90a4ae", "opacity": 0.75 if lead else 0.6},
            dashes=not lead,
            arrows={"to": {"enabled": lead, "scaleFactor": 0.5}},
        )
    return net


def network_data(agg: AgencyMeasureAggregate, title: str) -> dict:
    """Everything the page script needs, as JSON-able data."""
    net = build_network(agg)
    nodes, edges, _heading, _h, _w, _options = net.get_network_data()
    rows, _index = _measure_index(agg)
    colors = area_colors(agg)
    present = {n.area for n in agg.nodes.values() if n.kind == "measure_type"}
    return {
        "title": title,
        "all": ALL,
        "roles": list(ROLES),
        "regions": agg.regions,
        "areas": [
            {
                "key": a.key,
                "notation": a.notation,
                "label_zh": a.label_zh,
                "label_en": a.label_en,
                "color": colors[a.key],
            }
            for a in sorted(agg.areas.values(), key=lambda a: a.order)
            if a.key != UNCLASSIFIED or UNCLASSIFIED in present
        ],
        "nodes": nodes,
        "edges": edges,
        "measures": rows,
        "totals": {
            "measures": {ALL: sum(agg.measures.values()), **agg.measures},
            "classified": {ALL: sum(agg.classified.values()), **agg.classified},
            "unled": {
                ALL: len(agg.unled),
                **{r: sum(1 for m in agg.unled if m.region == r) for r in agg.regions},
            },
        },
        "options": OPTIONS,
    }


@cache
def _app_js() -> str:
    js = (TEMPLATE_DIR / "agency_network.js").read_text(encoding="utf-8")
    if "</script" in js.lower():
        raise ValueError("agency_network.js must not contain a literal </script")
    return js


def render_network_html(
    agg: AgencyMeasureAggregate,
    title: str = "谁牵头什么：部门职能 × 措施类型 · Who leads what",
    links: Sequence[tuple[str, str]] = (),
) -> str:
    """The self-contained page (vis-network, data and script inlined)."""
    vis_js, vis_css = vis_network_assets()
    return (
        templates()
        .get_template("agency_measure_types.html.j2")
        .render(
            title=title,
            data=network_data(agg, title),
            vis_js=Markup(vis_js),
            vis_css=Markup(vis_css),
            app_js=Markup(_app_js()),
            links=list(links),
        )
    )


def write_agency_network(plans: list[Plan], out: Path) -> list[Path]:
    """Part of the ``html`` format (:mod:`.pages`): ``out/agency_measure_types.html``."""
    html = render_network_html(
        aggregate(plans),
        links=[
            ("agency_measure_types_matrix.html", "矩阵 Matrix"),
            ("explorer/index.html", "文件浏览 Explorer"),
            ("report.html", "构建报告 Build report"),
        ],
    )
    return [write_page(Path(out) / NETWORK_FILE, html)]
