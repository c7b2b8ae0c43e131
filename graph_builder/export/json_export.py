"""The JSON view of a plan, in the schema of tests/data/gold/SCHEMA.md.

Every gold field is written with the same name and normalisation so files can be scored field
by field; on top of it each item carries its evidence (quote and character offsets) and the
file lists the plan's agencies (name, surface forms, function type with zh/en labels).
"""

from __future__ import annotations

import json
from pathlib import Path

from graph_builder.model import AgencyMention, Instrument, Plan, Span, Target
from graph_builder.quotes import QUOTE_INLINE_MAX, is_long
from graph_builder.vocab import agency_functions

__all__ = [
    "plan_to_dict",
    "plan_json",
    "json_files",
    "bound_quotes",
    "quote_text",
    "QUOTE_INLINE_MAX",
    "SCHEMA_VERSION",
]

SCHEMA_VERSION = "1.0"


def _span(s: Span | None) -> dict | None:
    return s.as_dict() if s else None


def _mention(m: AgencyMention) -> dict:
    d = {"name": m.name, "role": m.role, "position": m.position, "source": m.source}
    d.update(m.span.as_dict())
    if m.restored_prefix:
        d["restored_prefix"] = m.restored_prefix
    if not m.known:
        d["known_form"] = False  # kept by its place in the clause (GB-W110)
    return d


def _target(t: Target, measure: str | None) -> dict:
    """A target in the gold schema; ``measure`` is the label of the measure it stands in
    (:meth:`Plan.measure_label`: the schema names a measure by label, the model by index)."""
    d = {
        "action": t.action,
        "measure": measure,
        "text": t.span.text,
        "indicator": t.indicator,
        "value": t.value,
        "unit": t.unit,
        "comparator": t.comparator,
        "year": t.year,
        "evidence": _span(t.span),
    }
    if getattr(t, "value_max", None) is not None:
        d["value_max"] = t.value_max  # upper bound of a range (增长5%-8%)
    if getattr(t, "value_span", None) is not None:
        d["evidence_value"] = _span(t.value_span)
    return d


def _instruments(i: Instrument, measure: str | None = None) -> list[dict]:
    """An instrument as the gold schema's objects, one per tier: a range (10%-50%) is one
    instrument in the model and the graph, but the schema (and every scorer reading it) lists
    its two ends as two tiers. Each tier says which end it is (``range_tier``) and keeps the
    whole range (``rate_pct_max`` / ``amount_max``). ``measure`` is the label of the measure
    it stands in, as for :func:`_target`."""
    low = _instrument(i, measure)
    if i.rate_pct_max is None and i.amount_max is None:
        return [low]
    high = dict(low)
    if i.rate_pct_max is not None:
        high["rate_pct"], high["rate"] = i.rate_pct_max, i.rate_max
    if i.amount_max is not None:
        high["amount"], high["amount_yuan"] = i.amount_max, i.amount_max_yuan
    low["range_tier"], high["range_tier"] = "min", "max"
    return [low, high]


def _instrument(i: Instrument, measure: str | None) -> dict:
    return {
        "action": i.action,
        "measure": measure,
        "text": i.span.text,
        "type": i.type,
        "object": i.object,
        "rate_pct": i.rate_pct,
        "amount": i.amount,
        "amount_unit": i.amount_unit,
        "amount_is_cap": i.amount_is_cap,
        "per": i.per,
        "per_units": list(i.per_units),
        "rate_pct_max": i.rate_pct_max,
        "amount_max": i.amount_max,
        "rate": i.rate,
        "rate_max": i.rate_max,
        "amount_yuan": i.amount_yuan,
        "amount_max_yuan": i.amount_max_yuan,
        "product": i.product,
        "evidence": _span(i.span),
        "product_evidence": _span(i.product_span),
        # the same instrument written again in its part (model.Instrument.mentions)
        "mention_count": i.mention_count,
        "evidence_mentions": [s.as_dict() for s in i.mentions],
    }


def plan_to_dict(plan: Plan) -> dict:
    """The plan as a JSON-ready dict (gold schema plus evidence)."""
    scheme = agency_functions()
    meta = plan.meta
    measures = []
    for m in plan.measures:
        d = {
            "action": m.action,
            "label": m.label,
            "title": m.title,
            "agencies": m.agencies,
            "lead": m.lead,
            "implementers": [x.name for x in m.implementers],
            "measure_type": m.measure_type.concept if m.measure_type else None,
            "measure_type_also": [t.concept for t in m.measure_type_also],
            "instrument_types": sorted({t.concept for t in m.instrument_tags}),
            "deadline": m.deadline,
            "evidence": {
                "span": _span(m.span),
                "label": _span(m.label_span),
                "title": _span(m.title_span),
                "clause": _span(m.clause),
                "deadline": _span(m.deadline_span),
                "agencies": [_mention(a) for a in m.responsibilities],
                "implementers": [_mention(a) for a in m.implementers],
                "unread": [u.as_dict() for u in m.unread],
                "measure_type": (
                    {
                        "concept": m.measure_type.concept,
                        "spans": [
                            {**s.as_dict(), "count": m.measure_type.count_of(k)}
                            for k, s in enumerate(m.measure_type.spans)
                        ],
                    }
                    if m.measure_type
                    else None
                ),
                "instrument_types": [
                    {"concept": t.concept, "cue": t.cue, **t.span.as_dict()}
                    for t in m.instrument_tags
                ],
                "places": [
                    {"name": p.name, "adcode": p.adcode, "level": p.level, **p.span.as_dict()}
                    for p in m.places
                ],
            },
        }
        measures.append(d)
    agencies = []
    for a in plan.agencies.values():
        top = scheme.top(a.function)
        agencies.append(
            {
                "name": a.name,
                "surface_forms": a.surface_forms,
                "type": top,
                "label_zh": scheme[top].label_zh,
                "label_en": scheme[top].label_en,
                "function": a.function,
                "function_cue": a.function_cue,
                "level": a.level,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "file": Path(plan.source).name,
        "region": meta.region,
        "region_level": meta.region_level,
        "parent_region": meta.parent_region,
        "adcode": meta.adcode,
        "title": meta.title,
        "status": meta.status,
        "issuer": meta.issuer,
        "date": meta.date,
        "doc_number": meta.doc_number,
        "lead_rule": plan.lead_rule,
        "coordinator": plan.coordinator.name if plan.coordinator else None,
        "actions": [
            {"id": a.id, "title": a.title, "evidence": _span(a.span)} for a in plan.actions
        ],
        "measures": measures,
        "targets": [_target(t, plan.measure_label(t)) for t in plan.targets],
        "instruments": [
            t for i in plan.instruments for t in _instruments(i, plan.measure_label(i))
        ],
        "planned_policies": [
            {
                "title": p.title,
                "agencies": [a.name for a in p.agencies],
                "deadline": p.deadline,
                "evidence": {
                    "span": _span(p.span),
                    "deadline": _span(p.deadline_span),
                    "agencies": [_mention(a) for a in p.agencies],
                },
            }
            for p in plan.planned_policies
        ],
        "places": [
            {
                "name": p.name,
                "adcode": p.adcode,
                "level": p.level,
                "parent": p.parent,
                **p.span.as_dict(),
            }
            for p in plan.places
        ],
        "agencies": agencies,
        "evidence": {
            "title": _span(meta.title_span),
            "region": _span(meta.region_span),
            "status": _span(meta.status_span),
            "issuer": _span(meta.issuer_span),
            "date": _span(meta.date_span),
            "doc_number": _span(meta.doc_number_span),
            "lead_rule": _span(plan.lead_rule_span),
            "coordinator": _mention(plan.coordinator) if plan.coordinator else None,
        },
        "source": {
            "path": plan.source,
            "sha256": plan.sha256,
            "encoding": plan.encoding,
            "length": len(plan.text),
            "ignored": [s.as_dict() for s in plan.ignored],
        },
        "diagnostics": [
            {"code": d.code, "level": d.level, "message": d.message, "offset": d.start}
            for d in plan.diagnostics
        ],
    }


def _quote_key(start: int, end: int) -> str:
    return f"{start}-{end}"


#: The JSON values :func:`bound_quotes` looks inside.
_CONTAINERS = (dict, list)


def bound_quotes(d: dict) -> dict:
    """``d`` (from :func:`plan_to_dict`) with quotes over :data:`QUOTE_INLINE_MAX` written
    once in ``d["quotes"]`` (added only when there is one); see :func:`quote_text`.

    A longer span's text is written once, in the document's ``quotes`` table
    (``"<start>-<end>": text``), and each place that cites it says ``"quote":
    "<start>-<end>"`` instead of ``"text"`` (the rule of :mod:`graph_builder.quotes`)."""
    quotes: dict[str, str] = {}

    def walk(x):
        if isinstance(x, dict):
            text = x.get("text")
            if isinstance(text, str) and is_long(text):
                span = x if "start" in x else x.get("evidence")
                if isinstance(span, dict) and "start" in span:
                    key = _quote_key(span["start"], span["end"])
                    quotes[key] = text
                    if span is x:
                        del x["text"]
                    else:  # an item's own "text" (a gold field): kept, empty
                        x["text"] = None
                    x["quote"] = key
            for v in list(x.values()):
                if isinstance(v, _CONTAINERS):  # most values are scalars: no call for them
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                if isinstance(v, _CONTAINERS):
                    walk(v)

    walk(d)
    if quotes:
        order = sorted(quotes, key=lambda k: tuple(map(int, k.split("-"))))
        d["quotes"] = {k: quotes[k] for k in order}
    return d


def quote_text(doc: dict, cited: dict) -> str | None:
    """The exact text a span dict or item of a plan's JSON quotes: its ``text``, or the entry
    of ``doc["quotes"]`` its ``quote`` names."""
    if cited.get("text") is not None:
        return cited["text"]
    key = cited.get("quote")
    return doc.get("quotes", {}).get(key) if key else None


#: Compact JSON of one value by the C encoder (``json.dumps`` with ``indent`` runs the
#: pure-Python encoder, ~3 ms per plan: a tenth of the whole build's time per document).
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def dumps_by_line(d: dict) -> str:
    """``d`` as JSON text with one line per top-level field and one line per item of a
    top-level list (a measure, a target, an agency …), final newline.

    Why this layout and not ``indent``: each item is encoded by the C encoder in one call,
    which is four times faster than indenting every nested value in Python, and a plan's
    JSON still reads and diffs item by item (``grep``, ``diff``, ``jq`` all work on it).
    """
    fields = []
    for key, value in d.items():
        name = _ENCODE(key)
        if isinstance(value, list) and value:
            items = ",\n  ".join(map(_ENCODE, value))
            fields.append(f" {name}: [\n  {items}\n ]")
        else:
            fields.append(f" {name}: {_ENCODE(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def plan_json(plan: Plan) -> bytes:
    """The JSON file of one plan, as bytes (UTF-8, one line per item, see
    :func:`dumps_by_line`); long quotes written once (see :data:`QUOTE_INLINE_MAX`)."""
    return dumps_by_line(bound_quotes(plan_to_dict(plan))).encode("utf-8")


def json_files(plan: Plan) -> dict[str, bytes]:
    """Document writer of ``json`` (see :mod:`.formats`): path under the output folder → bytes."""
    return {f"json/{plan.doc_id}.json": plan_json(plan)}
