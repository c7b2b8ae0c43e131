"""Surface forms of one organisation become one agency; functions are shared across regions."""

from __future__ import annotations

from graph_builder.normalize.agencies import classify_function
from graph_builder.vocab import agency_functions


def test_same_bureau_named_three_ways_shares_one_function():
    keys = {
        classify_function(n).concept
        for n in ("市人社局", "市人力社保局", "省人社厅", "市人力资源社会保障局")
    }
    assert keys == {"human_resources_social_security"}


def test_social_insurance_bureau_is_narrower_than_hrss_and_kept_apart():
    scheme = agency_functions()
    leaf = classify_function("市社保局").concept
    assert leaf == "social_insurance"
    assert scheme.top(leaf) == "human_resources_social_security"


def test_alias_is_used_when_the_main_name_has_no_cue():
    assert (
        classify_function("市数字经济局〔市经信局〕").concept == "industry_information_technology"
    )


def test_every_function_concept_has_chinese_and_english_labels():
    for c in agency_functions():
        assert c.label_zh and c.label_en, c.key


def test_corpus_agency_surface_forms_group_as_in_gold(corpus_plans, gold_agencies):
    scheme = agency_functions()
    predicted = {}
    for p in corpus_plans:
        for a in p.agencies.values():
            for f in a.surface_forms:
                predicted[f] = scheme.top(a.function)
    types = gold_agencies["types"]
    mismatched = []
    forms = [f for f in types if f in predicted]
    assert len(forms) > 100
    for i, a in enumerate(forms):
        for b in forms[i + 1 :]:
            if (types[a] == types[b]) != (predicted[a] == predicted[b]):
                mismatched.append((a, b))
    assert mismatched == []


def test_distinct_units_of_one_function_are_not_merged(corpus_plans):
    shanxi = next(p for p in corpus_plans if p.meta.region == "山西省")
    names = {a.name for a in shanxi.agencies.values()}
    assert {"省政务中心", "省审批服务管理局"} <= names
    changchun = next(p for p in corpus_plans if p.meta.region == "长春市")
    names = {a.name for a in changchun.agencies.values()}
    assert {"市人社局", "市社保局", "市建委", "市房管局"} <= names


def test_one_agency_per_organisation_in_a_plan(corpus_plans):
    zhuzhou = next(p for p in corpus_plans if p.meta.region == "株洲市")
    central = [a for a in zhuzhou.agencies.values() if a.function == "central_bank"]
    assert [a.surface_forms for a in central] == [["中国人民银行株洲市分行", "人民银行株洲市分行"]]
    keys = {m.agency_key for m in zhuzhou.iter_mentions() if "人民银行" in m.name}
    assert keys == {central[0].key}
