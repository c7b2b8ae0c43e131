"""spaCy components of the pipeline, registered as factories.

Each component is a class, like spaCy's own ``SpanRuler``: its settings come from
``default_config``, its vocabulary is loaded in :meth:`PlanComponent.initialize` (from
``ontology/`` through :mod:`graph_builder.vocab`) and saved with the pipeline by
``to_disk``/``to_bytes``, so ``spacy.load`` of a saved pipeline needs no ontology. What the
components find stays on the Doc in plain values (:mod:`graph_builder.extract.doc_state`):
the plan so far in ``doc._.gb_plan``, the outline in ``doc._.gb_outline``, and labelled spans
with exact offsets in span groups:

=====================  ==========================  =======================================
factory                writes spans to              labels
=====================  ==========================  =======================================
``gb_layout``          ``doc.spans["gb_layout"]``  TITLE STATUS ISSUER DATE DOC_NUMBER
                                                    REGION ACTION MEASURE CLAUSE TABLE
``gb_responsibility``  ``doc.spans["gb_agencies"]`` lead participant implementer
``gb_agency_linker``   (sets ``kb_id_`` of agency spans to the function concept IRI)
=====================  ==========================  =======================================

Add them to any Chinese pipeline with ``nlp.add_pipe("gb_layout")`` etc.; they only need the
text, so they work after any tokenizer. A Doc made by
:func:`~graph_builder.extract.pipeline.make_doc` also carries the reader's masked text
(artefacts blanked) in ``doc._.gb_masked``; :func:`~graph_builder.extract.doc_state.plan_from_doc`
gives the :class:`~graph_builder.model.Plan` of a processed Doc.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import ensure_path

from graph_builder.extract.assemble import SpanRow, assemble_responsibilities, assemble_structure
from graph_builder.extract.doc_state import (
    doc_text,
    empty_plan,
    ensure_extensions,
    outline_of,
    store_outline,
    store_plan,
    working_plan,
)
from graph_builder.model import Plan

__all__ = ["PlanComponent", "ensure_extensions", "char_span", "spans_of"]


def char_span(doc: Doc, start: int, end: int, label: str, id_: str = "") -> SpacySpan | None:
    """A span for exact character offsets; expanded to token bounds if the tokenizer
    split differently (offsets of record always stay in the model)."""
    span = doc.char_span(start, end, label=label, alignment_mode="strict")
    if span is None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is not None and id_:
        span.id_ = id_
    return span


def spans_of(doc: Doc, rows: Iterable[SpanRow]) -> list[SpacySpan]:
    """Spans for ``(start, end, label, id)`` rows (those the tokens cannot hold are left
    out; the model keeps every offset)."""
    return [s for s in (char_span(doc, a, b, label, i) for a, b, label, i in rows) if s]


class PlanComponent:
    """One step of the plan's extraction, run on a Doc.

    ``__call__`` takes the plan so far from the Doc, lets :meth:`fill` extend it, writes the
    Plan fields named in ``plan_fields`` back to ``doc._.gb_plan`` and the rows :meth:`fill`
    returns to ``doc.spans[spans_key]``. Subclasses that need vocabulary load it in
    :meth:`initialize` and say in :meth:`get_data`/:meth:`set_data` how it is saved; a
    component used without ``nlp.initialize()`` initializes itself on its first Doc.
    """

    #: The span group the component writes (None: none).
    spans_key: ClassVar[str | None] = None
    #: The Plan fields it sets (``"measures.x"``: field x of every measure); None: all.
    plan_fields: ClassVar[Sequence[str] | None] = ()
    #: Whether it starts the plan afresh (the layout) rather than extending the Doc's.
    fresh: ClassVar[bool] = False

    def __init__(self, nlp: Language, name: str, **cfg: Any) -> None:
        self.name = name
        self.cfg = cfg
        self.ready = False

    def initialize(
        self, get_examples: Callable[[], Iterable] | None = None, *, nlp: Language | None = None
    ) -> None:
        """Load the vocabulary from the ontology (none by default)."""
        self.ready = True

    def get_data(self) -> dict:
        """The vocabulary the component uses, as plain values (what ``to_disk`` saves)."""
        return {}

    def set_data(self, data: dict) -> None:
        """Use vocabulary saved by :meth:`get_data` instead of loading the ontology."""
        self.ready = True

    def fill(self, doc: Doc, plan: Plan) -> Iterable[SpanRow] | None:
        """Extend ``plan``; return the rows of the span group (None: leave the group)."""
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        self._ensure_ready()
        plan = empty_plan(doc) if self.fresh else working_plan(doc)
        rows = self.fill(doc, plan)
        store_plan(doc, plan, None if self.fresh else self.plan_fields)
        if self.spans_key is not None and rows is not None:
            doc.spans[self.spans_key] = spans_of(doc, rows)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Process a stream of Docs one by one (nothing is gained by batching)."""
        for doc in docs:
            yield self(doc)

    def _ensure_ready(self) -> None:
        if not self.ready:
            self.initialize()

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The vocabulary, as msgpack."""
        self._ensure_ready()
        return srsly.msgpack_dumps(self.get_data())

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> PlanComponent:
        self.set_data(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """The vocabulary, as ``data.json`` in the component's directory."""
        self._ensure_ready()
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "data.json", self.get_data())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> PlanComponent:
        self.set_data(srsly.read_json(ensure_path(path) / "data.json"))
        return self


def _masked(doc: Doc) -> str:
    return doc._.gb_masked or doc_text(doc)


class Layout(PlanComponent):
    """Find preamble facts, chapters, measures and responsibility clauses."""

    spans_key = "gb_layout"
    plan_fields = None
    fresh = True

    def fill(self, doc: Doc, plan: Plan) -> list[SpanRow]:
        from graph_builder.extract.responsibility import find_clauses
        from graph_builder.segment.structure import parse_outline

        masked = _masked(doc)
        outline = parse_outline(masked, find_clauses)
        store_outline(doc, outline)
        return assemble_structure(plan, masked, outline)


class Responsibility(PlanComponent):
    """Read every clause (and task tables) into lead, participant and implementer mentions."""

    spans_key = "gb_agencies"
    plan_fields = (
        "measures.responsibilities",
        "measures.implementers",
        "measures.unread",
        "measures.deadline",
        "measures.deadline_span",
        "planned_policies",
        "coordinator",
        "lead_rule",
        "lead_rule_span",
        "diagnostics",
    )

    def fill(self, doc: Doc, plan: Plan) -> list[SpanRow]:
        return assemble_responsibilities(plan, _masked(doc), outline_of(doc))


class AgencyLinker(PlanComponent):
    """Group surface forms into agencies and link each to its function concept."""

    plan_fields = (
        "agencies",
        "measures.responsibilities",
        "measures.implementers",
        "planned_policies",
        "coordinator",
        "diagnostics",
    )

    def initialize(self, get_examples=None, *, nlp=None) -> None:
        """The agency-function scheme (for the concept IRIs) from the ontology."""
        from graph_builder.vocab import agency_functions

        self.scheme = agency_functions()
        self.ready = True

    def get_data(self) -> dict:
        from graph_builder.extract.doc_state import encode_value

        return {"functions": encode_value(self.scheme)}

    def set_data(self, data: dict) -> None:
        from graph_builder.extract.doc_state import decode_value
        from graph_builder.vocab import ConceptScheme

        self.scheme = decode_value(ConceptScheme, data["functions"])
        self.ready = True

    def fill(self, doc: Doc, plan: Plan) -> None:
        from graph_builder.normalize.agencies import group_agencies

        group_agencies(plan)
        by_id = {
            (a.span.start, a.span.end): plan.agencies[a.agency_key] for a in plan.iter_mentions()
        }
        linked = []
        for span in doc.spans.get("gb_agencies", []):
            agency = by_id.get((span.start_char, span.end_char))
            iri = self.scheme[agency.function].iri if agency is not None else ""
            # Spans of a SpanGroup are copies: build new ones carrying the concept IRI.
            linked.append(
                SpacySpan(doc, span.start, span.end, label=span.label_, kb_id=iri, span_id=span.id_)
            )
        doc.spans["gb_agencies"] = linked
        return None


@Language.factory(
    "gb_layout", assigns=["doc.spans", "doc._.gb_plan", "doc._.gb_outline"], default_config={}
)
def make_layout(nlp: Language, name: str) -> Layout:
    """Find preamble facts, chapters, measures and responsibility clauses."""
    return Layout(nlp, name)


@Language.factory(
    "gb_responsibility",
    assigns=["doc.spans", "doc._.gb_plan"],
    requires=["doc._.gb_plan", "doc._.gb_outline"],
    default_config={},
)
def make_responsibility(nlp: Language, name: str) -> Responsibility:
    """Read every clause (and task tables) into lead, participant and implementer mentions."""
    return Responsibility(nlp, name)


@Language.factory(
    "gb_agency_linker",
    assigns=["doc.spans", "doc._.gb_plan"],
    requires=["doc.spans", "doc._.gb_plan"],
    default_config={},
)
def make_agency_linker(nlp: Language, name: str) -> AgencyLinker:
    """Group surface forms into agencies and link each to its function concept."""
    return AgencyLinker(nlp, name)
