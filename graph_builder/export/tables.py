"""Ready tables for spreadsheet users: plans, measures, responsibilities, targets, instruments.

``outputs/tables/<name>.csv``: one row per item, every row with its document id, the offsets
into ``text/<doc>.txt`` and the exact quote, so a row can always be traced back (a quote
over 1,000 characters is cut with ``…``, :func:`graph_builder.quotes.view_quote`; its
offsets still give the whole). An instrument written several times in its measure is one
row, ``mention_count`` saying how often. Files are
CSV as RFC 4180 describes (comma, double quotes, CRLF) in UTF-8 with a byte-order mark,
which Excel needs to read Chinese text (without it Excel on Chinese Windows assumes GBK and
shows mojibake); pandas (``encoding="utf-8-sig"``) and LibreOffice read it as well.

Read from the intermediate model, like every view; no text is parsed here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from graph_builder._fs import atomic_write_bytes
from graph_builder.model import Plan
from graph_builder.normalize.english import agency_en, plan_region_en
from graph_builder.quotes import view_quote

__all__ = ["TABLES_DIR", "TABLES", "BOM", "csv_bytes", "plan_tables", "write_tables"]

#: Folder of the tables under the output folder.
TABLES_DIR = "tables"
#: The UTF-8 byte-order mark Excel looks for.
BOM = "\ufeff"


def _num(v: float | None) -> str:
    """A number without a spurious ``.0`` (2300.0 → 2300); empty for None."""
    if v is None:
        return ""
    return format(v, "g") if v != int(v) or abs(v) >= 1e16 else str(int(v))


def _plans(plan: Plan) -> Iterable[dict]:
    m = plan.meta
    yield {
        "doc_id": plan.doc_id,
        "source": plan.source,
        "title": m.title or "",
        "region": m.region or "",
        "region_en": plan_region_en(plan) or "",
        "adcode": m.adcode or "",
        "region_level": m.region_level or "",
        "status": m.status or "",
        "issuer": m.issuer or "",
        "date": m.date or "",
        "doc_number": m.doc_number or "",
        "measures": len(plan.measures),
        "typed_measures": sum(1 for x in plan.measures if x.measure_type is not None),
        "targets": len(plan.targets),
        "instruments": len(plan.instruments),
        "agencies": len(plan.agencies),
        "sha256": plan.sha256,
    }


def _of_measure(plan: Plan, x) -> dict:
    """The columns that name a measure: plan, region, index, action and label."""
    return {
        "doc_id": plan.doc_id,
        "region": plan.meta.region or "",
        "measure": x.index,
        "action": x.action or "",
        "label": x.label,
    }


def _measures(plan: Plan) -> Iterable[dict]:
    for x in plan.measures:
        t = x.measure_type
        yield {
            **_of_measure(plan, x),
            "title": x.title,
            "measure_type": t.concept if t else "",
            "also_types": " ".join(e.concept for e in x.measure_type_also),
            "lead": x.lead or "",
            "participants": "、".join(a.name for a in x.responsibilities if a.role != "lead"),
            "deadline": x.deadline or "",
            "clause": view_quote(x.clause),
            **_quoted(x.span),
        }


def _responsibilities(plan: Plan) -> Iterable[dict]:
    for x in plan.measures:
        for a in [*x.responsibilities, *x.implementers]:
            agency = plan.agencies.get(a.agency_key) if a.agency_key else None
            yield {
                **_of_measure(plan, x),
                "role": a.role,
                "position": a.position,
                "unit": a.name,
                "unit_en": (agency_en(agency, plan) or "") if agency else "",
                "function": agency.function if agency else "",
                "function_zh": agency.label_zh if agency else "",
                "function_en": agency.label_en if agency else "",
                "known_form": "true" if a.known else "false",
                "from": a.source,
                **_quoted(a.span),
            }


def _placed(plan: Plan, item) -> dict:
    """The columns that say where a target or an instrument stands: plan, region, part."""
    return {
        "doc_id": plan.doc_id,
        "region": plan.meta.region or "",
        "action": item.action or "",
        "measure": plan.measure_label(item) or "",
    }


def _quoted(span) -> dict:
    """The columns that trace a row to its text: offsets into text/<doc>.txt and the quote."""
    return {"start": span.start, "end": span.end, "quote": view_quote(span)}


def _targets(plan: Plan) -> Iterable[dict]:
    for t in plan.targets:
        yield {
            **_placed(plan, t),
            "indicator": t.indicator,
            "comparator": t.comparator,
            "value": _num(t.value),
            "value_max": _num(t.value_max),
            "unit": t.unit,
            "year": t.year or "",
            **_quoted(t.span),
        }


def _instruments(plan: Plan) -> Iterable[dict]:
    for i in plan.instruments:
        yield {
            **_placed(plan, i),
            "type": i.type,
            "product": i.product or "",
            "object": i.object or "",
            "rate_pct": _num(i.rate_pct),
            "amount": _num(i.amount),
            "amount_unit": i.amount_unit or "",
            "amount_is_cap": "true" if i.amount_is_cap else "false",
            "per": i.per or "",
            "mention_count": i.mention_count,
            **_quoted(i.span),
        }


#: Table name → the rows one plan gives.
TABLES: dict[str, Callable[[Plan], Iterable[dict]]] = {
    "plans": _plans,
    "measures": _measures,
    "responsibilities": _responsibilities,
    "targets": _targets,
    "instruments": _instruments,
}


def plan_tables(plans: Sequence[Plan]) -> dict[str, list[dict]]:
    """Every table's rows over ``plans``, in input order."""
    return {name: [row for p in plans for row in rows(p)] for name, rows in TABLES.items()}


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence], bom: bool = True) -> bytes:
    """RFC 4180 CSV (CRLF line ends) in UTF-8, with a byte-order mark unless ``bom=False``."""
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8")


def write_tables(plans: list[Plan], out: Path) -> list[Path]:
    """Corpus writer of ``tables`` (see :mod:`.formats`): ``out/tables/<name>.csv``.

    A table with no rows still gets its header, so a script reading it never breaks on an
    empty corpus.
    """
    folder = Path(out) / TABLES_DIR
    paths = []
    for name, rows_of in TABLES.items():
        rows = [row for p in plans for row in rows_of(p)]
        columns = list(rows[0]) if rows else _columns(rows_of)
        path = folder / f"{name}.csv"
        atomic_write_bytes(path, csv_bytes(columns, ([r[c] for c in columns] for r in rows)))
        paths.append(path)
    return paths


def _columns(rows_of: Callable[[Plan], Iterable[dict]]) -> list[str]:
    """The columns of a table, read from its row function's first row on a probe plan."""
    from graph_builder.model import Agency, AgencyMention, Instrument, Measure, Span, Target

    s = Span(0, 0, "")
    probe = Plan(doc_id="", source="", text="", sha256="", encoding="")
    a = AgencyMention("", s, "lead", 0, agency_key="k")
    probe.agencies = {"k": Agency("k", "", [], "", "", "")}
    probe.measures = [Measure(0, None, "", s, "", s, s, responsibilities=[a])]
    probe.targets = [Target(None, None, s, "", 0.0, "", "", None)]
    probe.instruments = [Instrument(None, None, s, "", None, None, None, None, False, None)]
    return list(next(iter(rows_of(probe))))
