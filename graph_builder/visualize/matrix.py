"""The matrix page: agency function × measure type, measures led, overall and per region.

For readers who would rather scan a table than follow lines: the same counts as the network
(:meth:`AgencyMeasureAggregate.lead_matrix`), one table per region, plus tables that put the
regions side by side (measures led per agency function, measures per area and per type).
Column headers are horizontal and wrap (never clipped, CJK upright); clicking a cell lists its
measures with links into the explorer (``explorer/<doc>.html#m<index>``). Static HTML; a few
lines of script switch which region's table is shown and list a cell's measures. Every string is
escaped by Jinja's autoescaping (the measure list is JSON inside a data script), so a
document's markup shows as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from graph_builder.model import Plan
from graph_builder.visualize.aggregate import AgencyMeasureAggregate, AggNode, MeasureRef, aggregate
from graph_builder.visualize.explorer import EXPLORER_DIR, page_names
from graph_builder.visualize.network import area_colors
from graph_builder.visualize.page import templates, write_page

__all__ = [
    "MATRIX_FILE",
    "Cell",
    "Table",
    "lead_table",
    "compare_tables",
    "render_matrix_html",
    "write_agency_matrix",
]

#: File name of the page under the output folder.
MATRIX_FILE = "agency_measure_types_matrix.html"
_TIP_ITEMS = 12


@dataclass(frozen=True)
class Cell:
    """One count, its shade and a plain-text tooltip listing the measures behind it."""

    n: int
    color: str = "#4e79a7"
    alpha: float = 0.0
    tip: str = ""
    refs: tuple[MeasureRef, ...] = ()

    @property
    def keys(self) -> str:
        """The measures behind the count, as keys of the page's measure list."""
        return ",".join(measure_key(m) for m in self.refs)

    @property
    def background(self) -> str:
        """CSS colour: the area's colour at a strength that grows with the count."""
        if not self.n:
            return "transparent"
        r, g, b = (int(self.color[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgba({r},{g},{b},{self.alpha})"


@dataclass(frozen=True)
class Table:
    """A shaded count table: row headers, column headers (optionally grouped), cells, totals."""

    key: str
    caption: str
    rows: list[tuple[str, str]]  # (zh, en)
    cols: list[tuple[str, str, str]]  # (zh, en, full label)
    groups: list[tuple[str, int, str]]  # (label, span, colour) over cols; empty = none
    cells: list[list[Cell]]
    row_totals: list[int]
    col_totals: list[int]
    extra_col: tuple[str, list[int]] | None = None

    @property
    def total(self) -> int:
        return sum(self.row_totals)


def measure_key(ref: MeasureRef) -> str:
    """A measure's key on the page: ``<doc_id>#<index>``."""
    return f"{ref.doc_id}#{ref.index}"


def _tip(refs: list[MeasureRef]) -> str:
    lines = [f"{m.region} {m.action or ''} {m.label} {m.title}".replace("  ", " ") for m in refs]
    if len(lines) > _TIP_ITEMS:
        lines = lines[:_TIP_ITEMS] + [f"… +{len(lines) - _TIP_ITEMS}"]
    return "\n".join(lines)


def _shade(n: int, top: int) -> float:
    return round(0.12 + 0.6 * n / top, 3) if n and top else 0.0


def _labels(node: AggNode) -> tuple[str, str]:
    return node.label_zh, node.label_en


def lead_table(agg: AgencyMeasureAggregate, region: str | None = None) -> Table:
    """Agency function × measure type, measures led (rows and columns with a lead only)."""
    colors = area_colors(agg)
    refs: dict[tuple[str, str], list[MeasureRef]] = {}
    for edge in agg.edges.values():
        if edge.role != "lead":
            continue
        got = [m for m in edge.measures if region is None or m.region == region]
        if got:
            refs[(edge.source, edge.target)] = got
    row_ids = sorted(
        {a for a, _t in refs},
        key=lambda a: (-sum(len(v) for (x, _), v in refs.items() if x == a), agg.nodes[a].key),
    )
    col_ids = sorted({t for _a, t in refs}, key=lambda t: agg.nodes[t].order)
    top = max((len(v) for v in refs.values()), default=0)
    cells = []
    for a in row_ids:
        row = []
        for t in col_ids:
            got = refs.get((a, t), [])
            color = colors.get(agg.nodes[t].area or "", "#9e9e9e")
            row.append(Cell(len(got), color, _shade(len(got), top), _tip(got), tuple(got)))
        cells.append(row)
    groups: list[tuple[str, int, str]] = []
    for t in col_ids:
        area = agg.areas[agg.nodes[t].area or "unclassified"]
        label = f"{area.notation or ''} {area.label_zh}".strip()
        if groups and groups[-1][0] == label:
            groups[-1] = (label, groups[-1][1] + 1, groups[-1][2])
        else:
            groups.append((label, 1, colors[area.key]))
    types_led = [sum(1 for (x, _t) in refs if x == a) for a in row_ids]
    return Table(
        key=region or "*",
        caption=region or "全部地区 All regions",
        rows=[_labels(agg.nodes[a]) for a in row_ids],
        cols=[(*_labels(agg.nodes[t]), agg.nodes[t].full_label_zh) for t in col_ids],
        groups=groups,
        cells=cells,
        row_totals=[sum(c.n for c in row) for row in cells],
        col_totals=[sum(row[j].n for row in cells) for j in range(len(col_ids))],
        extra_col=("牵头类型数 types led", types_led),
    )


def _region_table(
    key: str,
    caption: str,
    items: list[tuple[tuple[str, str], dict[str, list[MeasureRef]], str]],
    regions: list[str],
) -> Table:
    top = max((len(v) for _l, per, _c in items for v in per.values()), default=0)
    cells = [
        [
            Cell(
                len(per.get(r, [])),
                color,
                _shade(len(per.get(r, [])), top),
                _tip(per.get(r, [])),
                tuple(per.get(r, [])),
            )
            for r in regions
        ]
        for _l, per, color in items
    ]
    return Table(
        key=key,
        caption=caption,
        rows=[label for label, _p, _c in items],
        cols=[(r, r, r) for r in regions],
        groups=[],
        cells=cells,
        row_totals=[sum(c.n for c in row) for row in cells],
        col_totals=[sum(row[j].n for row in cells) for j in range(len(regions))],
    )


def _per_region(refs: list[MeasureRef]) -> dict[str, list[MeasureRef]]:
    out: dict[str, list[MeasureRef]] = {}
    for m in refs:
        out.setdefault(m.region, []).append(m)
    return out


def compare_tables(agg: AgencyMeasureAggregate) -> list[Table]:
    """Regions side by side: measures led per agency function; measures per area and per type."""
    colors = area_colors(agg)
    led: dict[str, list[MeasureRef]] = {}
    for edge in agg.edges.values():
        if edge.role == "lead":
            led.setdefault(edge.source, []).extend(edge.measures)
    agencies = sorted(led, key=lambda a: (-len(led[a]), agg.nodes[a].key))
    by_area: dict[str, list[MeasureRef]] = {}
    types = sorted(agg.by_type, key=lambda t: agg.nodes[t].order)
    for t in types:
        by_area.setdefault(agg.nodes[t].area or "unclassified", []).extend(agg.by_type[t])
    areas = sorted(by_area, key=lambda k: agg.areas[k].order)
    return [
        _region_table(
            "agency-region",
            "各地区牵头措施数（按部门职能） Measures led, by agency function and region",
            [(_labels(agg.nodes[a]), _per_region(led[a]), "#607d8b") for a in agencies],
            agg.regions,
        ),
        _region_table(
            "area-region",
            "各地区措施数（按国家方案行动领域） Measures by national action area and region",
            [
                (
                    (
                        f"{agg.areas[k].notation or ''} {agg.areas[k].label_zh}".strip(),
                        agg.areas[k].label_en,
                    ),
                    _per_region(by_area[k]),
                    colors[k],
                )
                for k in areas
            ],
            agg.regions,
        ),
        _region_table(
            "type-region",
            "各地区措施数（按措施类型） Measures by measure type and region",
            [
                (
                    _labels(agg.nodes[t]),
                    _per_region(agg.by_type[t]),
                    colors.get(agg.nodes[t].area or "", "#9e9e9e"),
                )
                for t in types
            ],
            agg.regions,
        ),
    ]


def measure_list(
    tables: Sequence[Table], pages: Mapping[str, str] | None = None
) -> dict[str, list]:
    """Every measure behind a cell: key → [explorer link or "", region, label, title].

    ``pages`` maps a document id to its explorer page name (see
    :func:`~graph_builder.visualize.explorer.page_names`); without it there are no links.
    """
    out: dict[str, list] = {}
    for t in tables:
        for row in t.cells:
            for c in row:
                for m in c.refs:
                    page = (pages or {}).get(m.doc_id)
                    href = f"{EXPLORER_DIR}/{quote(page)}#m{m.index}" if page else ""
                    label = f"{m.action or ''}{'·' if m.action else ''}{m.label}"
                    out.setdefault(measure_key(m), [href, m.region, label, m.title])
    return out


def render_matrix_html(
    agg: AgencyMeasureAggregate,
    title: str = "部门职能 × 措施类型矩阵 · Who leads what, as a matrix",
    links: Sequence[tuple[str, str, str]] = (),
    pages: Mapping[str, str] | None = None,
) -> str:
    """The self-contained matrix page (``pages``: document id → explorer page, for links)."""
    tables = [lead_table(agg, None)] + [lead_table(agg, r) for r in agg.regions]
    compare = compare_tables(agg)
    return (
        templates()
        .get_template("agency_measure_types_matrix.html.j2")
        .render(
            title=title,
            tables=tables,
            compare=compare,
            measure_list=measure_list(tables + compare, pages),
            regions=agg.regions,
            measures=sum(agg.measures.values()),
            classified=sum(agg.classified.values()),
            unled=len(agg.unled),
            links=list(links),
        )
    )


def write_agency_matrix(plans: list[Plan], out: Path) -> list[Path]:
    """Part of the ``html`` format (:mod:`.pages`): ``out/agency_measure_types_matrix.html``."""
    html = render_matrix_html(
        aggregate(plans),
        links=[
            ("agency_measure_types.html", "网络图", "Network"),
            ("explorer/index.html", "文件浏览", "Explorer"),
            ("report.html", "构建报告", "Build report"),
        ],
        pages=dict(zip((p.doc_id for p in plans), page_names(plans), strict=True)),
    )
    return [write_page(Path(out) / MATRIX_FILE, html)]
