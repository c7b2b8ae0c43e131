"""spaCy components of the pipeline, registered as factories.

Each component reads and extends ``doc._.gb_plan`` (the :class:`~graph_builder.model.Plan`
being built) and adds labelled spans with exact offsets to the Doc:

=====================  ==========================  =======================================
factory                writes spans to              labels
=====================  ==========================  =======================================
``gb_layout``          ``doc.spans["gb_layout"]``  TITLE STATUS ISSUER DATE DOC_NUMBER
                                                    REGION ACTION MEASURE CLAUSE TABLE
``gb_responsibility``  ``doc.spans["gb_agencies"]`` lead participant implementer
``gb_agency_linker``   (sets ``kb_id_`` of agency spans to the function concept IRI)
=====================  ==========================  =======================================

Add them to any Chinese pipeline with ``nlp.add_pipe("gb_layout")`` etc.; they only need the
text, so they work after any tokenizer. A Doc made by :func:`make_doc` also carries the
reader's masked text (artefacts blanked) in ``doc._.gb_masked``.
"""

from __future__ import annotations

import hashlib

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from graph_builder.extract.assemble import assemble_responsibilities, assemble_structure
from graph_builder.model import Plan

__all__ = ["ensure_extensions", "char_span"]


def ensure_extensions() -> None:
    """Register the Doc extensions once (idempotent)."""
    if not Doc.has_extension("gb_plan"):
        Doc.set_extension("gb_plan", default=None)
    if not Doc.has_extension("gb_masked"):
        Doc.set_extension("gb_masked", default=None)
    if not Doc.has_extension("gb_outline"):
        Doc.set_extension("gb_outline", default=None)


ensure_extensions()


def char_span(doc: Doc, start: int, end: int, label: str, id_: str = "") -> SpacySpan | None:
    """A span for exact character offsets; expanded to token bounds if the tokenizer
    split differently (offsets of record always stay in the model)."""
    span = doc.char_span(start, end, label=label, alignment_mode="strict")
    if span is None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is not None and id_:
        span.id_ = id_
    return span


def _plan_of(doc: Doc) -> Plan:
    if doc._.gb_plan is None:
        text = doc.text
        doc._.gb_plan = Plan(
            doc_id=hashlib.sha256(text.encode()).hexdigest()[:12],
            source="-",
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            encoding="utf-8",
        )
    return doc._.gb_plan


@Language.factory("gb_layout", assigns=["doc.spans", "doc._.gb_plan", "doc._.gb_outline"])
def make_layout(nlp: Language, name: str):
    """Find preamble facts, chapters, measures and responsibility clauses."""

    def layout(doc: Doc) -> Doc:
        plan = _plan_of(doc)
        masked = doc._.gb_masked or doc.text
        spans = assemble_structure(plan, masked)
        doc.spans["gb_layout"] = [
            s for s in (char_span(doc, a, b, label, i) for a, b, label, i in spans) if s is not None
        ]
        return doc

    return layout


@Language.factory("gb_responsibility", assigns=["doc.spans", "doc._.gb_plan"])
def make_responsibility(nlp: Language, name: str):
    """Read every clause (and task tables) into lead, participant and implementer mentions."""

    def responsibility(doc: Doc) -> Doc:
        plan = _plan_of(doc)
        masked = doc._.gb_masked or doc.text
        spans = assemble_responsibilities(plan, masked)
        doc.spans["gb_agencies"] = [
            s for s in (char_span(doc, a, b, label, i) for a, b, label, i in spans) if s is not None
        ]
        return doc

    return responsibility


@Language.factory("gb_agency_linker", assigns=["doc._.gb_plan"])
def make_agency_linker(nlp: Language, name: str):
    """Group surface forms into agencies and link each to its function concept."""
    from graph_builder.normalize.agencies import group_agencies
    from graph_builder.vocab import agency_functions

    def linker(doc: Doc) -> Doc:
        plan = _plan_of(doc)
        group_agencies(plan)
        scheme = agency_functions()
        by_id = {
            (a.span.start, a.span.end): plan.agencies[a.agency_key] for a in plan.iter_mentions()
        }
        linked = []
        for span in doc.spans.get("gb_agencies", []):
            agency = by_id.get((span.start_char, span.end_char))
            iri = scheme[agency.function].iri if agency is not None else ""
            # Spans of a SpanGroup are copies: build new ones carrying the concept IRI.
            linked.append(
                SpacySpan(doc, span.start, span.end, label=span.label_, kb_id=iri, span_id=span.id_)
            )
        doc.spans["gb_agencies"] = linked
        return doc

    return linker
