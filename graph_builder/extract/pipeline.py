"""Build the spaCy pipeline and run it over documents.

``spacy.blank("zh")`` with the character segmenter by default: every offset is then a token
boundary and spans are exact. ``segmenter="jieba"`` gives word tokens for users who add
word-level components; the project's own spans keep exact offsets either way.
"""

from __future__ import annotations

from functools import lru_cache

from graph_builder.extract.char_tokens import char_doc, is_char_tokenizer
from graph_builder.extract.doc_state import TEXT_HOOK, doc_cache, plan_from_doc, source_state
from graph_builder.model import Plan
from graph_builder.read import SourceText

__all__ = ["COMPONENTS", "make_nlp", "make_doc", "extract_plan", "plan_from_doc"]

#: The project's components, in pipeline order.
COMPONENTS = ("gb_layout", "gb_responsibility", "gb_agency_linker")
#: What the measures promise (graph_builder.extract.promise_components).
COMPONENTS += (
    "gb_measure_types",
    "gb_instrument_types",
    "gb_instruments",
    "gb_targets",
    "gb_places",
)


@lru_cache(maxsize=4)
def make_nlp(segmenter: str = "char"):
    """A blank Chinese pipeline with the project's components added."""
    import spacy

    import graph_builder.extract.components  # noqa: F401  (registers the factories)
    import graph_builder.extract.promise_components  # noqa: F401  (registers the factories)

    config = {"nlp": {"tokenizer": {"segmenter": segmenter}}}
    nlp = spacy.blank("zh", config=config)
    if segmenter == "jieba":
        nlp.tokenizer.initialize()
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def make_doc(nlp, source: SourceText):
    """A Doc for ``source`` carrying its masked text and what the reader knows of it
    (plain values, see :mod:`graph_builder.extract.doc_state`)."""
    if is_char_tokenizer(nlp.tokenizer):  # the same tokens, in linear time
        doc = char_doc(nlp.vocab, source.text)
    else:
        doc = nlp.make_doc(source.text)
    doc_cache(doc)[TEXT_HOOK] = source.text  # what doc.text would join again
    doc._.gb_masked = source.masked
    doc._.gb_source = source_state(
        source.doc_id,
        source.source,
        source.sha256,
        source.encoding,
        source.ignored,
        source.diagnostics,
    )
    return doc


def extract_plan(source: SourceText, segmenter: str = "char") -> Plan:
    """Run the whole pipeline on one decoded document."""
    nlp = make_nlp(segmenter)
    doc = make_doc(nlp, source)
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return plan_from_doc(doc)
