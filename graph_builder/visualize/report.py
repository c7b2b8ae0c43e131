"""The build summary page ``report.html``: what a build found, per plan, and what it could not read.

A build used to end with one line; a user deciding whether to trust a plan's graph needs, per
plan: its measures (and how many have a measure type), targets and instruments; how much of
the responsibility text was read (the ``reading`` counts of the manifest:
:class:`~graph_builder.batch.ReadingCounts`, with the units of unknown form, GB-W110, and the
clause text not read, GB-W111); its warnings by code; and which items of the national action
plan it covers or omits, answered by the canned query ``national_items_coverage.rq`` over the
plans' own graphs (so the page and ``policykg query national_items_coverage`` agree).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from graph_builder.batch import ReadingCounts
from graph_builder.model import Diagnostic, Plan
from graph_builder.normalize.english import plan_region_en
from graph_builder.visualize.explorer import EXPLORER_DIR, page_names, text_page_name
from graph_builder.visualize.page import templates, write_page

__all__ = ["REPORT_FILE", "PlanReport", "coverage", "plan_reports", "render_report_html", "write_report"]

#: File name of the page under the output folder.
REPORT_FILE = "report.html"
#: The canned query the coverage comes from.
COVERAGE_QUERY = "national_items_coverage"


@dataclass
class PlanReport:
    """What the page says about one plan."""

    plan: Plan
    page: str
    text_page: str
    reading: ReadingCounts
    typed: int
    codes: list[tuple[str, str, int]]  # (code, level, count)
    diagnostics: list[Diagnostic]
    covered: list[tuple[str, str, int]] = field(default_factory=list)  # (item, label, measures)
    omitted: list[tuple[str, str]] = field(default_factory=list)  # (item, label)
    region_en: str | None = None


def coverage(plans: Sequence[Plan]) -> dict[str, list[dict]]:
    """Rows of ``national_items_coverage`` per region, over the graphs of ``plans``."""
    import pyoxigraph as ox

    from graph_builder.graph.oxigraph import document_nquads, ontology_nquads
    from graph_builder.query.runner import resolve_query, run_query

    if not plans:
        return {}
    store = ox.Store()
    store.bulk_load(ontology_nquads(), format=ox.RdfFormat.N_QUADS)
    for p in plans:
        store.bulk_load(document_nquads(p), format=ox.RdfFormat.N_QUADS)
    out: dict[str, list[dict]] = {}
    for row in run_query(resolve_query(COVERAGE_QUERY)[1], store).records():
        out.setdefault(row["region"], []).append(row)
    return out


def _region_key(plan: Plan) -> str:
    # The query names a document by its region's label, else the document's own label.
    return plan.meta.region or plan.meta.title or plan.doc_id


def plan_reports(plans: Sequence[Plan]) -> list[PlanReport]:
    """One report per plan, in input order."""
    cov = coverage(plans)
    names = page_names(plans)
    out = []
    for p, name in zip(plans, names, strict=True):
        counts = Counter((d.code, d.level) for d in p.diagnostics)
        rows = cov.get(_region_key(p), [])
        out.append(
            PlanReport(
                plan=p,
                page=f"{EXPLORER_DIR}/{quote(name)}",
                text_page=f"{EXPLORER_DIR}/{quote(text_page_name(name))}",
                reading=ReadingCounts.of(p),
                typed=sum(1 for m in p.measures if m.measure_type is not None),
                codes=sorted((c, lvl, n) for (c, lvl), n in counts.items()),
                diagnostics=p.diagnostics,
                covered=[
                    (r["item"], r["item_label"], int(r["measures"]))
                    for r in rows
                    if r["status"] == "covered"
                ],
                omitted=[(r["item"], r["item_label"]) for r in rows if r["status"] == "omitted"],
                region_en=plan_region_en(p),
            )
        )
    return out


def render_report_html(plans: Sequence[Plan], links: Sequence[tuple[str, str, str]] = ()) -> str:
    """The self-contained report page."""
    reports = plan_reports(plans)
    total = ReadingCounts()
    for r in reports:
        total = total + r.reading
    return (
        templates()
        .get_template("report.html.j2")
        .render(reports=reports, total=total, links=list(links))
    )


def write_report(plans: list[Plan], out: Path) -> list[Path]:
    """Part of the ``html`` format (:mod:`.pages`): ``out/report.html``."""
    links = [
        ("explorer/index.html", "文件浏览", "Explorer"),
        ("agency_measure_types.html", "网络图", "Network"),
        ("agency_measure_types_matrix.html", "矩阵", "Matrix"),
        ("tables/measures.csv", "表格", "Tables (CSV)"),
    ]
    return [write_page(Path(out) / REPORT_FILE, render_report_html(plans, links))]
