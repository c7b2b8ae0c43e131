"""The model's references: items point at their measure by index, the issuer is resolved once.

Why: a target or instrument that names its measure by label is looked up again by every
view, and a plan may number two measures alike (a restarted or repeated （一）); the lookup
then links both measures' items to one of them. Likewise an issuer classified by each view
could get two function types. The model holds the reference and the resolved value; the
views only read them.
"""

from __future__ import annotations

import json

import pytest

from graph_builder.export.json_export import plan_json
from graph_builder.export.rdf_export import union_graph
from graph_builder.graph.iris import Iris
from graph_builder.graph.namespace import DCTERMS, GBO, ORG
from graph_builder.graph.nx import to_networkx
from graph_builder.graph.rdf import build_dataset
from graph_builder.model import Plan

from .conftest import extract_text

IRIS = Iris()

#: Two measures of one chapter both labelled （一）, each with its own target and payment.
TWIN_LABELS = (
    "株洲市商务局关于印发株洲市提振消费专项行动方案的通知\n"
    "一、扩大商品消费\n"
    "（一）汽车以旧换新。对报废旧车并购买新能源乘用车的，给予最高2万元补贴。"
    "到2025年，新能源汽车销量增长10%以上。（市商务局负责）\n"
    "（一）家电以旧换新。对购买一级能效家电的，按售价的15%给予补贴，最高2000元。"
    "到2025年，家电销售额增长8%。（市财政局负责）\n"
)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return extract_text(TWIN_LABELS)


def test_twin_labels_are_two_measures_of_one_chapter(plan):
    assert [(m.index, m.action, m.label) for m in plan.measures] == [
        (0, "一", "(一)"),
        (1, "一", "(一)"),
    ]


def test_targets_and_instruments_hold_the_index_of_their_own_measure(plan):
    assert [(t.measure_index, t.value) for t in plan.targets] == [(0, 10), (1, 8)]
    assert [(i.measure_index, i.amount, i.rate_pct) for i in plan.instruments] == [
        (0, 2, None),
        (1, 2000, 15),
    ]
    car, appliance = plan.measures
    assert plan.measure_of(plan.targets[0]) is car
    assert plan.measure_of(plan.instruments[1]) is appliance
    assert plan.measure_label(plan.targets[1]) == "(一)"  # derived for display, not looked up


def test_rdf_links_each_item_to_its_own_measure(plan):
    g = union_graph(build_dataset([plan], with_ontology=False))
    key = IRIS.plan_key(plan)
    m1, m2 = IRIS.measure(key, 1), IRIS.measure(key, 2)
    t1, t2 = IRIS.target(key, 1), IRIS.target(key, 2)
    x1, x2 = IRIS.instrument(key, 1), IRIS.instrument(key, 2)
    assert set(g.subjects(GBO.hasTarget, t1)) == {m1}
    assert set(g.subjects(GBO.hasTarget, t2)) == {m2}
    assert set(g.subjects(GBO.hasInstrument, x1)) == {m1}
    assert set(g.subjects(GBO.hasInstrument, x2)) == {m2}


def test_json_writes_the_label_derived_from_the_measure(plan):
    d = json.loads(plan_json(plan))
    assert [(t["action"], t["measure"], t["value"]) for t in d["targets"]] == [
        ("一", "(一)", 10),
        ("一", "(一)", 8),
    ]


def test_issuer_is_resolved_on_the_model(plan):
    issuer = plan.issuer_agency
    assert plan.meta.issuer == "株洲市商务局"
    assert issuer is not None and issuer.name == plan.meta.issuer
    assert issuer.function == "commerce" and issuer.function_cue


def test_issuer_function_in_the_views_is_the_models(plan):
    ds = build_dataset([plan], with_ontology=False)
    g = union_graph(ds)
    doc = IRIS.document(IRIS.plan_key(plan))
    publisher = g.value(doc, DCTERMS.publisher)
    concept = IRIS.concept("agency-function", plan.issuer_agency.function)
    assert set(g.objects(publisher, ORG.classification)) == {concept}
    G = to_networkx(ds)
    assert G.nodes[str(publisher)]["function"] == plan.issuer_agency.function
    d = json.loads(plan_json(plan))
    assert d["issuer"] == plan.issuer_agency.name
    # an agency the measures name under the issuer's name carries the same function
    named = {a["name"]: a["function"] for a in d["agencies"]}
    assert named.get(d["issuer"], plan.issuer_agency.function) == plan.issuer_agency.function


def test_views_refuse_an_issuer_no_normalisation_resolved(plan):
    import copy

    unresolved = copy.deepcopy(plan)
    unresolved.issuer_agency = None
    with pytest.raises(ValueError, match="not resolved"):
        build_dataset([unresolved], with_ontology=False)


def test_views_refuse_a_mention_no_normalisation_resolved(plan):
    import copy

    unresolved = copy.deepcopy(plan)
    unresolved.measures[0].responsibilities[0].agency_key = None
    with pytest.raises(ValueError, match="names no agency"):
        build_dataset([unresolved], with_ontology=False)
