"""Agencies are placed in their plan's region tree, never in an unrelated region (issue 17).

三门峡's 各县（市、区）人民政府 was given jurisdiction region/500200 (县, the counties under
重庆市), because the gazetteer's generic row 县 was looked up without the plan's region.
"""

from __future__ import annotations

import pytest
from rdflib import URIRef

from graph_builder.batch import extract_all
from graph_builder.graph.identity import agency_identity
from graph_builder.graph.iris import Iris
from graph_builder.graph.namespace import GBO, RDF
from graph_builder.graph.rdf import build_dataset
from graph_builder.normalize.agencies import region_of_unit
from graph_builder.normalize.places import gazetteer

from .conftest import ROOT, extract_text

REALWORLD = ROOT / "tests" / "data" / "realworld" / "raw"


@pytest.fixture(scope="module")
def all_plans(corpus_plans):
    return list(corpus_plans) + extract_all([str(REALWORLD)], progress=False).plans


def test_no_agency_lies_outside_its_plans_region_tree_on_seeds_and_realworld(all_plans):
    g = gazetteer()
    assert len(all_plans) >= 5 + 15
    for plan in all_plans:
        for agency in plan.agencies.values():
            code = agency_identity(agency.name, plan).adcode
            if code is None:
                continue
            assert plan.meta.adcode, (plan.source, agency.name, code)
            assert g.in_tree(g.by_code[code], plan.meta.adcode), (plan.source, agency.name, code)


@pytest.mark.slow
def test_rdf_jurisdictions_of_the_seeds_lie_in_each_plans_region_tree(corpus_plans):
    g = gazetteer()
    iris = Iris()
    ds = build_dataset(corpus_plans, with_ontology=False)
    region_ns = str(iris.ns["region"])
    for plan in corpus_plans:
        graph = ds.graph(iris.plan_graph(plan))
        for agency in graph.subjects(RDF.type, GBO.Agency):
            for region in graph.objects(agency, GBO.jurisdiction):
                code = str(region)[len(region_ns) :]
                assert g.in_tree(g.by_code[code], plan.meta.adcode), (plan.source, code)
    sanmenxia = next(p for p in corpus_plans if p.meta.region == "三门峡市")
    chongqing_counties = URIRef(region_ns + "500200")
    assert (None, None, chongqing_counties) not in ds.graph(iris.plan_graph(sanmenxia))


def test_a_collective_unit_takes_the_plans_region():
    assert region_of_unit("各县（市、区）人民政府", "411200") == (None, "411200")
    assert region_of_unit("各县市区人民政府", "430200") == (None, "430200")


def test_generic_division_names_resolve_to_nothing():
    g = gazetteer()
    assert not list(g.find("各县（市、区）人民政府"))
    for generic in ("县", "区", "市辖区", "省直辖县级行政区划"):
        assert g.resolve_in_region(generic, "411200") is None
        assert generic not in g.by_name
    assert g.by_code["500200"].name == "县"  # still reachable by its code


def test_a_place_is_looked_up_only_in_the_plans_region_tree():
    g = gazetteer()
    assert g.resolve_in_region("鼓楼区", "350100").adcode.startswith("3501")  # 福州's
    assert g.resolve_in_region("鼓楼区", "430200") is None  # no 鼓楼区 in 株洲
    assert g.resolve_in_region("株洲市", None) is None  # no region, no lookup
    assert g.resolve_in_region("湖南省", "430200").adcode == "430000"  # above the plan
    assert g.resolve_in_region("醴陵市", "430000").adcode == "430281"  # below the plan
    assert region_of_unit("长沙市商务局", "430200") == (None, None)
    assert region_of_unit("醴陵市商务局", "430200") == ("county", "430281")
    assert region_of_unit("市商务局", "430200") == ("city", "430200")


def test_a_unit_naming_another_region_gets_no_region_and_a_warning():
    plan = extract_text(
        "株洲市提振消费专项行动方案\n一、扩大消费\n（一）促进汽车消费。（株洲市商务局、长沙市商务局按职责分工负责）\n"
        "（二）促进家电消费。（株洲市商务局负责）\n"
    )
    assert plan.meta.adcode == "430200"
    names = {a.name for a in plan.agencies.values()}
    assert "长沙市商务局" in names
    assert agency_identity("长沙市商务局", plan).adcode is None
    assert any(d.code == "GB-W107" and "长沙市" in d.message for d in plan.diagnostics)


def test_realworld_plan_whose_region_is_not_read_says_so(all_plans):
    chongqing = next(p for p in all_plans if p.source.endswith("02_chongqing.txt"))
    assert chongqing.meta.adcode != "500200"  # not the generic row 县
    if chongqing.meta.adcode is None:
        assert any(d.code == "GB-W108" for d in chongqing.diagnostics)

