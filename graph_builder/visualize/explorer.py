"""The per-document explorer: one page per plan with its measures, agencies, targets, instruments.

``explorer/<doc_id>.html`` shows a plan chapter by chapter: each measure's full text with its
evidence highlighted in place (units, targets, instruments, cue words, places, the clause; see
:mod:`.evidence`), its measure type (or *unclassified*) with each cue word once, who leads, who
takes part and who carries it out (with each unit's function), its quantitative targets and
priced instruments, and the quotes they come from. ``explorer/text/<doc_id>.html`` is the
document's text (``text/<doc>.txt``) as a page; links into it carry an RFC 5147 fragment
(``#char=START,END``) and the span is marked. ``explorer/index.html`` lists the plans (a plan
named ``index`` gets ``index-2.html``) and searches every measure of every plan, offline, in an
index inlined in the page. Pages are static HTML escaped by Jinja.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from graph_builder.model import AgencyMention, Instrument, Measure, Plan, Target
from graph_builder.normalize.english import agency_en, plan_region_en
from graph_builder.visualize.aggregate import UNCLASSIFIED, measure_types
from graph_builder.visualize.evidence import Piece, measure_pieces, unique_texts
from graph_builder.visualize.page import templates, write_page

__all__ = [
    "EXPLORER_DIR",
    "MeasureView",
    "plan_view",
    "page_name",
    "render_plan_html",
    "render_index_html",
    "render_text_html",
    "search_rows",
    "text_page_name",
    "write_explorer",
]

#: Folder of the explorer pages under the output folder.
EXPLORER_DIR = "explorer"
#: Folder of the documents' text pages, under :data:`EXPLORER_DIR`.
TEXT_DIR = "text"

_ROLE = {
    "lead": ("牵头", "lead"),
    "participant": ("参与", "takes part"),
    "implementer": ("落实", "carries out"),
}


@dataclass
class MeasureView:
    """What the page shows for one measure."""

    measure: Measure
    type_zh: str
    type_en: str
    area_zh: str
    also: list[str]
    agencies: list[dict]
    targets: list[Target] = field(default_factory=list)
    instruments: list[Instrument] = field(default_factory=list)
    #: The measure's full text cut at its evidence (see :mod:`.evidence`).
    pieces: list[Piece] = field(default_factory=list)
    #: Cue words of its measure type, each once.
    cues: list[str] = field(default_factory=list)
    #: Policy-instrument type cues, each once.
    tags: list[str] = field(default_factory=list)
    #: Whether the responsibility clause lies inside the measure's text (then it is marked
    #: there and not quoted again).
    clause_inside: bool = False


def _agency_row(plan: Plan, m: AgencyMention, role: str) -> dict:
    a = plan.agencies.get(m.agency_key) if m.agency_key else None
    return {
        "role": _ROLE.get(role, (role, role)),
        "name": m.name,
        "name_en": agency_en(a, plan) if a else None,
        "as_written": m.span.text if m.span.text != m.name else None,
        "function": f"{a.label_zh} · {a.label_en}" if a else "",
    }


def _type_labels(concept: str | None) -> tuple[str, str, str]:
    mt = measure_types()
    if not concept:
        return "未分类", "unclassified", ""
    if concept not in mt:
        return concept, concept, ""
    c = mt[concept]
    top = mt[mt.top(concept)]
    return c.label_zh, c.label_en, f"{top.notation or ''} {top.label_zh}".strip()


def _part(item: Target | Instrument) -> tuple:
    """The part an item is shown under: its measure (by index: labels may repeat), else
    its chapter (plan-level items, listed after the measures)."""
    if item.measure_index is not None:
        return ("measure", item.measure_index)
    return ("action", item.action)


def plan_view(plan: Plan, text_href: str = "") -> dict:
    """The page's content for one plan: chapters with their measures, plan-level items;
    ``text_href`` is the link to the document's text page."""
    by_measure_t: dict[tuple, list[Target]] = {}
    for t in plan.targets:
        by_measure_t.setdefault(_part(t), []).append(t)
    by_measure_i: dict[tuple, list[Instrument]] = {}
    for i in plan.instruments:
        by_measure_i.setdefault(_part(i), []).append(i)

    views: list[MeasureView] = []
    for m in plan.measures:
        t = m.measure_type
        zh, en, area = _type_labels(t.concept if t else None)
        rows = [
            _agency_row(plan, x, "lead" if x.role == "lead" else "participant")
            for x in m.responsibilities
        ]
        rows += [_agency_row(plan, x, "implementer") for x in m.implementers]
        targets = by_measure_t.pop(("measure", m.index), [])
        instruments = by_measure_i.pop(("measure", m.index), [])
        views.append(
            MeasureView(
                measure=m,
                type_zh=zh,
                type_en=en,
                area_zh=area,
                also=[_type_labels(x.concept)[0] for x in m.measure_type_also],
                agencies=rows,
                targets=targets,
                instruments=instruments,
                pieces=measure_pieces(plan, m, targets, instruments),
                cues=unique_texts(t.spans) if t else [],
                tags=unique_texts(x.span for x in m.instrument_tags),
                clause_inside=bool(
                    m.clause and m.span.start <= m.clause.start and m.clause.end <= m.span.end
                ),
            )
        )
    chapters = []
    seen = set()
    for a in plan.actions:
        chapters.append((f"{a.id}、{a.title}", [v for v in views if v.measure.action == a.id]))
        seen.add(a.id)
    rest = [v for v in views if v.measure.action not in seen]
    if rest:
        chapters.append(("措施 Measures" if not plan.actions else "其他措施 Other measures", rest))
    # Targets and instruments not inside any measure are plan-level (goals, general terms).
    plan_targets = [t for ts in by_measure_t.values() for t in ts]
    plan_instruments = [i for xs in by_measure_i.values() for i in xs]
    return {
        "chapters": chapters,
        "plan_targets": plan_targets,
        "plan_instruments": plan_instruments,
        "typed": sum(1 for v in views if v.measure.measure_type is not None),
        "unclassified": UNCLASSIFIED,
        "text_href": text_href,
        "region_en": plan_region_en(plan),
    }


#: The explorer's own pages: a plan's page never takes one of these names.
RESERVED_PAGES = ("index.html",)


def page_name(plan: Plan) -> str:
    """File name of a plan's page: its document id (see :func:`page_names` for a set)."""
    return f"{plan.doc_id}.html"


def page_names(plans: Sequence[Plan]) -> list[str]:
    """The page name of each plan: its document id, unless that is the explorer's own page
    (an input called ``index.txt``) or, ignoring case, another plan's page; then ``-2``,
    ``-3`` … is added."""
    taken = {n.casefold() for n in RESERVED_PAGES}
    names = []
    for p in plans:
        name, n = page_name(p), 1
        while name.casefold() in taken:
            n += 1
            name = f"{p.doc_id}-{n}.html"
        taken.add(name.casefold())
        names.append(name)
    return names


Link = tuple[str, str, str]  # (href, Chinese text, English text)


def text_page_name(name: str) -> str:
    """Path of a plan's text page relative to the explorer folder (``name``: its page)."""
    return f"{TEXT_DIR}/{name}"


def render_plan_html(plan: Plan, links: Sequence[Link] = (), text_href: str = "") -> str:
    """The self-contained page of one plan (``text_href``: its text page, relative)."""
    text_href = text_href or quote(text_page_name(page_name(plan)))
    return (
        templates()
        .get_template("explorer_plan.html.j2")
        .render(plan=plan, view=plan_view(plan, text_href), links=list(links))
    )


def render_text_html(plan: Plan, links: Sequence[Link] = ()) -> str:
    """The document's text (what every offset points into) as a page; ``#char=S,E`` marks a
    span."""
    return (
        templates().get_template("explorer_text.html.j2").render(plan=plan, links=list(links))
    )


def search_rows(plans: Sequence[Plan], names: Sequence[str]) -> list[list]:
    """One row per measure of every plan: [page, measure index, region, label, title, text]."""
    return [
        [
            quote(name),
            m.index,
            p.meta.region or p.doc_id,
            f"{m.action or ''}{'·' if m.action else ''}{m.label}",
            m.title,
            p.text[m.span.start : m.span.end],
        ]
        for p, name in zip(plans, names, strict=True)
        for m in p.measures
    ]


def render_index_html(
    plans: Sequence[Plan],
    links: Sequence[Link] = (),
    names: Sequence[str] | None = None,
) -> str:
    """The list of plans, each linking to its page (``names``: see :func:`page_names`), and
    the search over all of them (its index inlined: the page stays self-contained)."""
    names = page_names(plans) if names is None else names
    rows = [
        {
            "href": quote(name),
            "text_href": quote(text_page_name(name)),
            "plan": p,
            "typed": sum(1 for m in p.measures if m.measure_type is not None),
            "region_en": plan_region_en(p),
        }
        for p, name in zip(plans, names, strict=True)
    ]
    return (
        templates()
        .get_template("explorer_index.html.j2")
        .render(rows=rows, links=list(links), search=search_rows(plans, names))
    )


def write_explorer(plans: list[Plan], out: Path) -> list[Path]:
    """Part of the ``html`` format (:mod:`.pages`): ``out/explorer/*.html``, the
    text pages ``out/explorer/text/*.html`` and the search index."""
    folder = Path(out) / EXPLORER_DIR
    back: list[Link] = [
        ("index.html", "全部文件", "All plans"),
        ("../agency_measure_types.html", "网络图", "Network"),
        ("../agency_measure_types_matrix.html", "矩阵", "Matrix"),
        ("../report.html", "构建报告", "Build report"),
    ]
    up = [("../" + href, zh, en) for href, zh, en in back]
    names = page_names(plans)
    paths = []
    for p, name in zip(plans, names, strict=True):
        paths.append(write_page(folder / name, render_plan_html(p, back)))
        paths.append(write_page(folder / text_page_name(name), render_text_html(p, up)))
    paths.append(write_page(folder / "index.html", render_index_html(plans, back[1:], names)))
    return paths
