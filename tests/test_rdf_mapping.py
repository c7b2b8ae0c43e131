"""The model → RDF mapping: every kind of item, its typed values, evidence and provenance."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from rdflib import Literal

from graph_builder import __version__
from graph_builder.export.rdf_export import union_graph
from graph_builder.graph.iris import Iris
from graph_builder.graph.namespace import (
    DCTERMS,
    GBO,
    GBO_ONTOLOGY,
    OA,
    ORG,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
)
from graph_builder.graph.rdf import build_time, decimal_literal

from .graph_support import corpus_dataset, corpus_plans, probe_dataset, probe_plan

IRIS = Iris()
MT = "https://w3id.org/graph-builder/vocab/measure-type/"
IT = "https://w3id.org/graph-builder/vocab/instrument-type/"


def _probe():
    plan = probe_plan()
    g = union_graph(probe_dataset(plan, with_ontology=False))
    return plan, g, IRIS.plan_key(plan)


def _selectors(g, span):
    """(position, quote) nodes of a span: its selectors (full provenance) or the span itself
    (compact, the default)."""
    sels = list(g.objects(span, OA.hasSelector))
    if not sels:
        return span, span
    pos = next(s for s in sels if (s, RDF.type, OA.TextPositionSelector) in g)
    quote = next(s for s in sels if (s, RDF.type, OA.TextQuoteSelector) in g)
    return pos, quote


def _quote(g, item, prop=GBO.evidence):
    pos, quote = _selectors(g, g.value(item, prop))
    return int(g.value(pos, OA.start)), int(g.value(pos, OA.end)), str(g.value(quote, OA.exact))


def test_rdf_dataset_has_one_named_graph_per_document_plus_the_ontology():
    ds = corpus_dataset()
    names = {c.identifier for c in ds.graphs() if len(c)}
    expected = {IRIS.plan_graph(p) for p in corpus_plans()} | {GBO_ONTOLOGY}
    expected |= {IRIS.evidence_graph(IRIS.plan_key(p)) for p in corpus_plans()}
    assert names == expected
    onto = ds.graph(GBO_ONTOLOGY)
    assert (GBO_ONTOLOGY, RDF.type, None) in onto
    assert len(set(onto.subjects(RDF.type, SKOS.Concept))) > 100


@pytest.mark.slow
def test_rdf_every_quote_of_the_corpus_is_the_text_at_its_offsets():
    g = union_graph(corpus_dataset())
    texts = {IRIS.document(IRIS.plan_key(p)): p.text for p in corpus_plans()}
    spans = list(g.subjects(RDF.type, OA.SpecificResource))
    assert len(spans) > 1000
    for span in spans:
        doc = g.value(span, OA.hasSource)
        pos, q = _selectors(g, span)
        start, end = int(g.value(pos, OA.start)), int(g.value(pos, OA.end))
        quote = str(g.value(q, OA.exact))
        assert texts[doc][start:end] == quote


@pytest.mark.slow
def test_rdf_every_extracted_item_has_evidence_document_and_activity():
    g = union_graph(corpus_dataset())
    classes = [GBO.Action, GBO.Measure, GBO.Responsibility, GBO.PlannedPolicy]
    for cls in classes:
        items = set(g.subjects(RDF.type, cls))
        assert items, cls
        for item in items:
            assert g.value(item, GBO.evidence) is not None, item
            assert g.value(item, GBO.inDocument) is not None, item
            # The activity is stated once, of the document's graph that holds the item.
            graph = IRIS.graph(str(g.value(item, GBO.inDocument)).rsplit("/", 1)[-1])
            assert g.value(graph, PROV.wasGeneratedBy) is not None, item


def test_rdf_responsibility_is_a_qualified_node_with_role_and_position():
    plan, g, key = _probe()
    m1 = IRIS.measure(key, 1)
    rows = []
    for r in g.objects(m1, GBO.hasResponsibility):
        agency = g.value(r, GBO.agency)
        rows.append(
            (
                int(g.value(r, GBO.position)),
                g.value(r, GBO.role),
                str(g.value(agency, SKOS.prefLabel)),
            )
        )
    assert sorted(rows) == [
        (0, GBO.Lead, "株洲市商务局"),
        (1, GBO.Participant, "株洲市财政局"),
        (2, GBO.Participant, "醴陵市人民政府"),
    ]
    lead = g.value(m1, GBO.leadAgency)
    assert str(g.value(lead, SKOS.prefLabel)) == "株洲市商务局"
    assert len(set(g.objects(m1, GBO.responsibleAgency))) == 3
    assert _quote(g, IRIS.responsibility(key, "m1", "participant", 1))[2] == "市财政局"


def test_rdf_agencies_are_organisations_classified_in_the_function_scheme_with_region():
    plan, g, key = _probe()
    lead = g.value(IRIS.measure(key, 1), GBO.leadAgency)
    assert (lead, RDF.type, GBO.Agency) in g
    assert g.value(lead, ORG.classification) == Iris.concept("agency-function", "commerce")
    assert g.value(lead, GBO.jurisdiction) == IRIS.region("430200")
    county = next(
        a for a in g.subjects(RDF.type, GBO.Agency) if "醴陵" in str(g.value(a, SKOS.prefLabel))
    )
    # 醴陵市人民政府 belongs to the county-level city 醴陵市, under 株洲市, under 湖南省.
    region = g.value(county, GBO.jurisdiction)
    assert region == IRIS.region("430281")
    assert g.value(region, GBO.withinRegion) == IRIS.region("430200")
    assert g.value(IRIS.region("430200"), GBO.withinRegion) == IRIS.region("430000")
    assert g.value(IRIS.region("430200"), GBO.administrativeLevel) == GBO.PrefecturalLevel


def test_rdf_measure_types_link_to_skos_concepts_with_assignment_evidence():
    plan, g, key = _probe()
    m1, m2 = IRIS.measure(key, 1), IRIS.measure(key, 2)
    assert g.value(m1, GBO.measureType) == Iris.concept("measure-type", "automobile")
    assert set(g.objects(m1, GBO.alsoMeasureType)) == {Iris.concept("measure-type", "trade_in")}
    assert str(g.value(m2, GBO.measureType)) == MT + "trade_in"
    by_concept = {g.value(a, GBO.concept): a for a in g.objects(m1, GBO.hasTypeAssignment)}
    primary = by_concept[Iris.concept("measure-type", "automobile")]
    assert g.value(primary, GBO.isPrimary) == Literal(True)
    assert g.value(primary, GBO.score) == decimal_literal(2.5)
    assert _quote(g, primary)[2] == "新能源乘用车"
    # A type with no cue spans cites the measure it was read from.
    also = by_concept[Iris.concept("measure-type", "trade_in")]
    assert g.value(also, GBO.isPrimary) == Literal(False)
    assert _quote(g, also)[:2] == (plan.measures[0].span.start, plan.measures[0].span.end)


def test_rdf_instrument_tags_link_to_instrument_type_concepts_with_cue_and_quote():
    plan, g, key = _probe()
    m1 = IRIS.measure(key, 1)
    assert {str(o) for o in g.objects(m1, GBO.usesInstrumentType)} == {
        IT + "voucher",
        IT + "subsidy",
    }
    tags = {str(g.value(t, GBO.cue)): t for t in g.objects(m1, GBO.hasInstrumentTagging)}
    assert set(tags) == {"消费券", "补贴"}
    start, end, quote = _quote(g, tags["消费券"])
    assert quote == "消费券" == plan.text[start:end]


def test_rdf_targets_have_typed_value_unit_comparator_year_and_the_part_they_stand_in():
    plan, g, key = _probe()
    t1, t2 = IRIS.target(key, 1), IRIS.target(key, 2)
    assert g.value(t1, GBO.value) == Literal("10.0", datatype=XSD.decimal)
    assert g.value(t1, GBO.value).toPython() == Decimal("10")
    assert g.value(t1, GBO.unit) == Literal("%")
    assert g.value(t1, GBO.comparator) == Literal(">=")
    assert g.value(t1, GBO.targetYear) == Literal("2025", datatype=XSD.gYear)
    assert g.value(t1, GBO.indicator) == Literal("新能源汽车销量增长率", lang="zh")
    assert (IRIS.measure(key, 1), GBO.hasTarget, t1) in g
    assert _quote(g, t1, GBO.valueEvidence)[2] == "10%"
    # A target outside any measure belongs to its action (chapter).
    assert (IRIS.action(key, 2), GBO.hasTarget, t2) in g
    assert g.value(t2, GBO.comparator) == Literal("~")


def test_rdf_priced_instruments_have_rate_amount_cap_flag_unit_and_type():
    plan, g, key = _probe()
    sub, voucher, digital = (IRIS.instrument(key, i) for i in (1, 2, 3))
    assert str(g.value(sub, GBO.instrumentType)) == IT + "subsidy"
    assert g.value(sub, GBO.amount) == Literal("2.0", datatype=XSD.decimal)
    assert g.value(sub, GBO.amountUnit) == Literal("万元")
    assert g.value(sub, GBO.amountIsCap) == Literal(True)
    assert g.value(sub, GBO.per) == Literal("辆")
    assert g.value(sub, GBO.ratePercent) is None
    assert str(g.value(voucher, GBO.instrumentType)) == IT + "voucher"
    assert g.value(voucher, GBO.amountIsCap) == Literal(False)
    assert g.value(digital, GBO.ratePercent) == Literal("20.0", datatype=XSD.decimal)
    assert (IRIS.measure(key, 2), GBO.hasInstrument, digital) in g
    assert g.value(digital, GBO.instrumentObject) == Literal(
        "手机、平板、智能手表（手环）", lang="zh"
    )


def test_rdf_place_mentions_link_text_to_regions():
    plan, g, key = _probe()
    doc, m1 = IRIS.document(key), IRIS.measure(key, 1)
    pm = g.value(m1, GBO.mentionsPlace)
    assert pm == g.value(doc, GBO.mentionsPlace)
    assert g.value(pm, GBO.place) == IRIS.region("430281")
    assert str(g.value(IRIS.region("430281"), RDFS.label)) == "醴陵市"
    assert _quote(g, pm)[2] == "醴陵市"


def test_rdf_document_carries_meta_with_evidence():
    plan, g, key = _probe()
    doc = IRIS.document(key)
    assert g.value(doc, DCTERMS.title) == Literal("株洲市提振消费专项行动方案", lang="zh")
    assert g.value(doc, DCTERMS.spatial) == IRIS.region("430200")
    assert g.value(doc, GBO.status) == GBO.Draft
    assert g.value(doc, GBO.sha256) == Literal(plan.sha256)
    assert _quote(g, doc, GBO.titleEvidence)[2] == "株洲市提振消费专项行动方案"
    assert _quote(g, doc, GBO.regionEvidence)[2] == "株洲市"


def test_rdf_corpus_documents_with_issuer_date_and_number_map_them():
    g = union_graph(corpus_dataset())
    plan = next(p for p in corpus_plans() if p.meta.doc_number)
    doc = IRIS.document(IRIS.plan_key(plan))
    assert g.value(doc, GBO.docNumber) == Literal(plan.meta.doc_number)
    assert g.value(doc, DCTERMS.issued) == Literal(plan.meta.date, datatype=XSD.date)
    issuer = g.value(doc, DCTERMS.publisher)
    assert str(g.value(issuer, SKOS.prefLabel)) == plan.meta.issuer
    assert _quote(g, doc, GBO.docNumberEvidence)[2] == plan.meta.doc_number


def test_rdf_provenance_names_tool_version_and_source_date_epoch_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    assert build_time() == datetime(2025, 1, 1, tzinfo=timezone.utc)
    from graph_builder.graph.rdf import build_dataset

    plan = probe_plan()
    g = union_graph(build_dataset([plan], with_ontology=False))
    key = IRIS.plan_key(plan)
    act = IRIS.extraction(key)
    assert (act, RDF.type, PROV.Activity) in g
    assert g.value(act, PROV.startedAtTime) == Literal(
        "2025-01-01T00:00:00Z", datatype=XSD.dateTime
    )
    assert g.value(act, PROV.used) == IRIS.document(key)
    agent = g.value(act, PROV.wasAssociatedWith)
    assert g.value(agent, SDO.softwareVersion) == Literal(__version__)
    assert g.value(IRIS.plan_graph(plan), PROV.wasGeneratedBy) == act
    full = union_graph(build_dataset([plan], with_ontology=False, provenance="full"))
    assert full.value(IRIS.measure(key, 1), PROV.wasGeneratedBy) == act


def test_rdf_build_time_rejects_a_malformed_source_date_epoch(monkeypatch):
    import pytest

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        build_time()


def test_rdf_decimal_literals_are_canonical():
    assert str(decimal_literal(7)) == "7.0"
    assert str(decimal_literal(1.5)) == "1.5"
    assert str(decimal_literal(0.25)) == "0.25"
    assert str(decimal_literal(2300.0)) == "2300.0"
    assert decimal_literal(7).datatype == XSD.decimal
