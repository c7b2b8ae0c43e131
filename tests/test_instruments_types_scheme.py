"""The policy-instrument scheme (Hood's NATO classes) and the tags it gives measures."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from graph_builder.extract.instrument_types import InstrumentTagger, counts_by_top
from graph_builder.model import Measure, Plan, Span
from graph_builder.vocab import ONTOLOGY_DIR, instrument_types

IT = "https://w3id.org/graph-builder/vocab/instrument-type/"
LEAVES = (
    "subsidy trade_in_subsidy voucher loan_interest_subsidy tax_fee_relief reward special_fund "
    "procurement pilot campaign_event standard_regulation deregulation publicity "
    "coordination_mechanism"
).split()


def test_instrument_scheme_has_hoods_four_top_concepts_and_the_asked_leaves():
    scheme = instrument_types()
    assert scheme.iri == IT
    tops = {c.key for c in scheme if not c.broader}
    assert tops == {"nodality", "authority", "treasure", "organisation"}
    for key in LEAVES:
        assert scheme[key].broader in tops, key
        assert scheme[key].label_zh and scheme[key].label_en and scheme[key].cues, key


def test_instrument_scheme_file_has_header_and_definitions():
    g = Graph().parse(Path(ONTOLOGY_DIR) / "instrument_types.ttl")
    scheme = URIRef(IT)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    for p in (DCTERMS.title, OWL.versionInfo, DCTERMS.modified):
        assert g.value(scheme, p) is not None, p
    for c in g.subjects(RDF.type, SKOS.Concept):
        langs = {lit.language for lit in g.objects(c, SKOS.prefLabel)}
        assert langs == {"zh", "en"}, c
        assert g.value(c, SKOS.definition) is not None, c


def test_priced_types_map_to_the_gold_schema_types():
    priced = {c.flags["pricedType"] for c in instrument_types() if "pricedType" in c.flags}
    assert priced == {"subsidy", "reward", "voucher", "loan_interest_subsidy", "fund_support"}


def _measure(text: str, title: str, clause: str | None = None) -> tuple[Plan, Measure]:
    start = text.index(title)
    c = text.index(clause) if clause else None
    m = Measure(
        index=0,
        action=None,
        label="1.",
        label_span=Span.of(text, 0, 2),
        title=title,
        title_span=Span.of(text, start, start + len(title)),
        span=Span.of(text, 0, len(text)),
        clause=Span.of(text, c, c + len(clause)) if clause else None,
    )
    plan = Plan("probe", "probe.txt", text, "0", "utf-8", measures=[m])
    return plan, m


def test_instrument_tags_keep_the_cue_span_and_skip_the_clause():
    text = "1.激活汽车消费。开展汽车消费季活动，发放消费券，简化审批流程。（责任单位：市宣传部）"
    plan, m = _measure(text, "激活汽车消费", "（责任单位：市宣传部）")
    tags = InstrumentTagger(instrument_types()).tag(text, m)
    got = {t.concept: t.span.text for t in tags}
    assert got == {"campaign_event": "消费季", "voucher": "消费券", "deregulation": "简化"}
    assert all(text[t.span.start : t.span.end] == t.cue for t in tags)


def test_instrument_negative_cue_blocks_what_it_covers():
    text = "1.净化市场。严厉打击虚假宣传行为。"
    plan, m = _measure(text, "净化市场")
    tags = {t.concept for t in InstrumentTagger(instrument_types()).tag(text, m)}
    assert "publicity" not in tags and "enforcement" in tags


def test_instrument_counts_by_top_count_measures_once_per_class():
    text = "1.促消费。发放消费券，给予补贴，开展宣传。"
    plan, m = _measure(text, "促消费")
    m.instrument_tags = InstrumentTagger(instrument_types()).tag(text, m)
    assert counts_by_top(plan) == {"treasure": 1, "nodality": 1}
