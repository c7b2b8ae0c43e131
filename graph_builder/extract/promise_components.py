"""spaCy components for what the measures promise, registered as factories.

They run after ``gb_layout`` (which finds the measures), are classes like those of
:mod:`graph_builder.extract.components` (vocabulary loaded from ``ontology/`` in
``initialize`` and saved with the pipeline), extend the plan in ``doc._.gb_plan`` and write
labelled spans with exact offsets:

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
from graph_builder.extract.assemble import SpanRow
from graph_builder.extract.components import PlanComponent
from graph_builder.extract.doc_state import decode_value, encode_value, outline_of
from graph_builder.model import Diagnostic, Instrument, Plan

__all__ = ["PROMISE_COMPONENTS", "repeat_warning"]

#: The factories of this module, in pipeline order.
PROMISE_COMPONENTS = (
    "gb_measure_types",
    "gb_instrument_types",
    "gb_instruments",
    "gb_targets",
    "gb_places",
)

#: What every component of this module needs: the measures of ``gb_layout``.
_REQUIRES = ["doc._.gb_plan"]
_ASSIGNS = ["doc.spans", "doc._.gb_plan"]


class MeasureTypes(PlanComponent):
    """Primary and secondary measure types from the cue words of measure_types.ttl."""

    spans_key = "gb_measure_types"
    plan_fields = ("measures.measure_type", "measures.measure_type_also")

    def initialize(self, get_examples=None, *, nlp=None) -> None:
        from graph_builder.vocab import measure_types

        self._use(measure_types())

    def _use(self, scheme) -> None:
        from graph_builder.extract.measure_types import MeasureTypeClassifier

        self.clf = MeasureTypeClassifier(scheme, **self.cfg)
        self.ready = True

    def get_data(self) -> dict:
        return {"scheme": encode_value(self.clf.scheme)}

    def set_data(self, data: dict) -> None:
        from graph_builder.vocab import ConceptScheme

        self._use(decode_value(ConceptScheme, data["scheme"]))

    def fill(self, doc: Doc, plan: Plan) -> list[SpanRow]:
        from graph_builder.extract.measure_types import classify_plan

        classify_plan(plan, self.clf)
        rows = []
        for m in plan.measures:
            for ev in ([m.measure_type] if m.measure_type else []) + m.measure_type_also:
                iri = self.clf.scheme[ev.concept].iri
                rows += [(s.start, s.end, ev.concept, iri) for s in ev.spans]
        return rows


class InstrumentTypes(PlanComponent):
    """Instrument types (Hood's NATO leaves) each measure uses, with the cue that shows it."""

    spans_key = "gb_instrument_types"
    plan_fields = ("measures.instrument_tags",)

    def initialize(self, get_examples=None, *, nlp=None) -> None:
        from graph_builder.extract.instrument_types import tagger

        self.tagger = tagger()
        self.ready = True

    def get_data(self) -> dict:
        return {"scheme": encode_value(self.tagger.scheme)}

    def set_data(self, data: dict) -> None:
        from graph_builder.extract.instrument_types import InstrumentTagger
        from graph_builder.vocab import ConceptScheme

        self.tagger = InstrumentTagger(decode_value(ConceptScheme, data["scheme"]))
        self.ready = True

    def fill(self, doc: Doc, plan: Plan) -> list[SpanRow]:
        from graph_builder.extract.instrument_types import tag_plan

        tag_plan(plan, self.tagger)
        scheme = self.tagger.scheme
        return [
            (tag.span.start, tag.span.end, tag.concept, scheme[tag.concept].iri)
            for m in plan.measures
            for tag in m.instrument_tags
        ]


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


class Instruments(PlanComponent):
    """Priced financial instruments (one per tier), as the gold schema defines them."""

    spans_key = "gb_instruments"
    plan_fields = ("instruments", "diagnostics")

    def fill(self, doc: Doc, plan: Plan) -> list[SpanRow]:
        from graph_builder.extract.instruments import find_instruments
        from graph_builder.extract.promise_spans import promise_spans

        plan.instruments = find_instruments(plan.text, promise_spans(plan, outline_of(doc)))
        plan.diagnostics += [
            repeat_warning(plan, x) for x in plan.instruments if x.mention_count > 1
        ]
        return [
            (x.span.start, x.span.end, x.type, f"instrument:{i}")
            for i, x in enumerate(plan.instruments)
        ]


class Targets(PlanComponent):
    """Quantitative targets with value, unit, comparator and year."""

    spans_key = "gb_targets"
    plan_fields = ("targets",)

    def fill(self, doc: Doc, plan: Plan) -> list[SpanRow]:
        from graph_builder.extract.promise_spans import plan_year, promise_spans
        from graph_builder.extract.targets import find_targets

        regions = promise_spans(plan, outline_of(doc))
        plan.targets = find_targets(plan.text, regions, plan_year(plan))
        return [
            (t.span.start, t.span.end, "TARGET", f"target:{i}") for i, t in enumerate(plan.targets)
        ]


class Places(PlanComponent):
    """The plan's region and the districts, counties and cities its measures name.

    The gazetteer is cpca's table of divisions, a package resource rather than ontology
    vocabulary: it is loaded in ``initialize`` and not copied into a saved pipeline."""

    spans_key = "gb_places"
    plan_fields = ("places", "measures.places")

    def initialize(self, get_examples=None, *, nlp=None) -> None:
        from graph_builder.normalize.places import gazetteer

        self.gazetteer = gazetteer()
        self.ready = True

    def set_data(self, data: dict) -> None:
        self.initialize()

    def fill(self, doc: Doc, plan: Plan) -> list[SpanRow]:
        from graph_builder.extract.place_mentions import fill_places

        fill_places(plan, self.gazetteer)
        return [(p.span.start, p.span.end, p.level, p.adcode) for p in plan.places]


@Language.factory(
    "gb_measure_types",
    assigns=_ASSIGNS,
    requires=_REQUIRES,
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
) -> MeasureTypes:
    """Primary and secondary measure types from the cue words of measure_types.ttl."""
    return MeasureTypes(
        nlp,
        name,
        title_weight=title_weight,
        body_weight=body_weight,
        secondary_ratio=secondary_ratio,
        secondary_min=secondary_min,
    )


@Language.factory(
    "gb_instrument_types", assigns=_ASSIGNS, requires=_REQUIRES, default_config={}
)
def make_instrument_types(nlp: Language, name: str) -> InstrumentTypes:
    """Instrument types each measure uses, with the cue that shows it."""
    return InstrumentTypes(nlp, name)


@Language.factory(
    "gb_instruments",
    assigns=_ASSIGNS,
    requires=["doc._.gb_plan", "doc._.gb_outline"],
    default_config={},
)
def make_instruments(nlp: Language, name: str) -> Instruments:
    """Priced financial instruments (one per tier)."""
    return Instruments(nlp, name)


@Language.factory(
    "gb_targets",
    assigns=_ASSIGNS,
    requires=["doc._.gb_plan", "doc._.gb_outline"],
    default_config={},
)
def make_targets(nlp: Language, name: str) -> Targets:
    """Quantitative targets with value, unit, comparator and year."""
    return Targets(nlp, name)


@Language.factory("gb_places", assigns=_ASSIGNS, requires=_REQUIRES, default_config={})
def make_places(nlp: Language, name: str) -> Places:
    """The plan's region and the districts, counties and cities its measures name."""
    return Places(nlp, name)
