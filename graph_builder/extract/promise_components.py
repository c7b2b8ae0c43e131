"""spaCy components for what the measures promise, registered as factories.

They run after ``gb_layout`` (which finds the measures) and read their vocabulary from
``ontology/``; each fills ``doc._.gb_plan`` and writes labelled spans with exact offsets:

========================  ==================================  ================================
factory                   writes spans to                     label / ``id_``
========================  ==================================  ================================
``gb_measure_types``      ``doc.spans["gb_measure_types"]``   concept key / concept IRI (cues)
``gb_instrument_types``   ``doc.spans["gb_instrument_types"]`` concept key / concept IRI
``gb_targets``            ``doc.spans["gb_targets"]``         TARGET / ``target:<i>``
``gb_instruments``        ``doc.spans["gb_instruments"]``     schema type / ``instrument:<i>``
``gb_places``             ``doc.spans["gb_places"]``          level / GB/T 2260 code
========================  ==================================  ================================

``gb_measure_types`` is configurable (``title_weight``, ``body_weight``, ``secondary_ratio``,
``secondary_min``) through ``nlp.add_pipe(..., config={...})``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from graph_builder import errors
from graph_builder.extract.components import _plan_of, char_span
from graph_builder.model import Diagnostic, Instrument, Plan

__all__ = ["PROMISE_COMPONENTS"]

#: The factories of this module, in pipeline order.
PROMISE_COMPONENTS = (
    "gb_measure_types",
    "gb_instrument_types",
    "gb_instruments",
    "gb_targets",
    "gb_places",
)


def _set_spans(doc: Doc, key: str, rows) -> None:
    doc.spans[key] = [
        s for s in (char_span(doc, a, b, label, i) for a, b, label, i in rows) if s is not None
    ]


@Language.factory(
    "gb_measure_types",
    assigns=["doc.spans", "doc._.gb_plan"],
    default_config={
        "title_weight": 4.0,
        "body_weight": 1.0,
        "secondary_ratio": 0.5,
        "secondary_min": 3.0,
    },
)
def make_measure_types(
    nlp: Language,
    name: str,
    title_weight: float,
    body_weight: float,
    secondary_ratio: float,
    secondary_min: float,
):
    """Primary and secondary measure types from the cue words of measure_types.ttl."""
    from graph_builder.extract.measure_types import classifier, classify_plan

    clf = classifier(title_weight, body_weight, secondary_ratio, secondary_min)

    def measure_types(doc: Doc) -> Doc:
        plan = _plan_of(doc)
        classify_plan(plan, clf)
        rows = []
        for m in plan.measures:
            for ev in ([m.measure_type] if m.measure_type else []) + m.measure_type_also:
                iri = clf.scheme[ev.concept].iri
                rows += [(s.start, s.end, ev.concept, iri) for s in ev.spans]
        _set_spans(doc, "gb_measure_types", rows)
        return doc

    return measure_types


@Language.factory("gb_instrument_types", assigns=["doc.spans", "doc._.gb_plan"])
def make_instrument_types(nlp: Language, name: str):
    """Instrument types (Hood's NATO leaves) each measure uses, with the cue that shows it."""
    from graph_builder.extract.instrument_types import tag_plan, tagger

    t = tagger()

    def instrument_types(doc: Doc) -> Doc:
        plan = _plan_of(doc)
        tag_plan(plan, t)
        rows = [
            (tag.span.start, tag.span.end, tag.concept, t.scheme[tag.concept].iri)
            for m in plan.measures
            for tag in m.instrument_tags
        ]
        _set_spans(doc, "gb_instrument_types", rows)
        return doc

    return instrument_types


def repeat_warning(plan: Plan, x: Instrument) -> Diagnostic:
    """GB-W150: repeats merged into one instrument are said, not dropped silently (the
    measure named by its label, derived from the index the instrument holds)."""
    label = plan.measure_label(x)
    where = f"measure {label}" if label else "plan-level text"
    places = 1 + len(x.mentions)
    return Diagnostic(
        errors.W150,
        "warning",
        f"one instrument written {x.mention_count} times in {where}: kept once, "
        f"with its {places} quoted place{'s' if places > 1 else ''} as evidence",
        x.span.start,
    )


@Language.factory("gb_instruments", assigns=["doc.spans", "doc._.gb_plan"])
def make_instruments(nlp: Language, name: str):
    """Priced financial instruments (one per tier), as the gold schema defines them."""
    from graph_builder.extract.instruments import find_instruments
    from graph_builder.extract.promise_spans import promise_spans

    def instruments(doc: Doc) -> Doc:
        plan = _plan_of(doc)
        plan.instruments = find_instruments(plan.text, promise_spans(plan))
        plan.diagnostics += [
            repeat_warning(plan, x) for x in plan.instruments if x.mention_count > 1
        ]
        rows = [
            (x.span.start, x.span.end, x.type, f"instrument:{i}")
            for i, x in enumerate(plan.instruments)
        ]
        _set_spans(doc, "gb_instruments", rows)
        return doc

    return instruments


@Language.factory("gb_targets", assigns=["doc.spans", "doc._.gb_plan"])
def make_targets(nlp: Language, name: str):
    """Quantitative targets with value, unit, comparator and year."""
    from graph_builder.extract.promise_spans import plan_year, promise_spans
    from graph_builder.extract.targets import find_targets

    def targets(doc: Doc) -> Doc:
        plan = _plan_of(doc)
        plan.targets = find_targets(plan.text, promise_spans(plan), plan_year(plan))
        rows = [
            (t.span.start, t.span.end, "TARGET", f"target:{i}") for i, t in enumerate(plan.targets)
        ]
        _set_spans(doc, "gb_targets", rows)
        return doc

    return targets


@Language.factory("gb_places", assigns=["doc.spans", "doc._.gb_plan"])
def make_places(nlp: Language, name: str):
    """The plan's region and the districts, counties and cities its measures name."""
    from graph_builder.extract.place_mentions import fill_places
    from graph_builder.normalize.places import gazetteer

    g = gazetteer()

    def places(doc: Doc) -> Doc:
        plan = _plan_of(doc)
        fill_places(plan, g)
        rows = [(p.span.start, p.span.end, p.level, p.adcode) for p in plan.places]
        _set_spans(doc, "gb_places", rows)
        return doc

    return places
