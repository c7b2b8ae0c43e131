"""Canned SPARQL queries: documented, portable, non-empty and correct.

Answers are checked three ways:

* against tests/data/gold where the graph's content comes from fields the extractor fills on
  this corpus (leads, agencies, regions): lead counts per agency, co-owned measures per pair,
  leads per measure type (for every measure that has a measure type);
* against the model for the rest (measure types, instruments, targets), so each query is
  exact on whatever the extractor produced, and the checks tighten by themselves as more of
  the model is filled (a query whose data is present must answer non-empty);
* on probe plans that hold every kind of item, with hand-computed answers.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from graph_builder.graph.identity import agency_identity
from graph_builder.graph.oxigraph import to_store
from graph_builder.query.runner import _ox_value, bind_parameters, list_queries, run_query
from graph_builder.vocab import ONTOLOGY_DIR, agency_functions, load_scheme, products

from .graph_support import (
    corpus_dataset,
    corpus_plans,
    gold_docs,
    gold_same_entity,
    probe_dataset,
    stem,
)

QUERIES = {q.name: q for q in list_queries()}


@pytest.fixture(scope="module")
def corpus_store():
    return to_store(corpus_dataset())


@pytest.fixture(scope="module")
def probe_store():
    return to_store(probe_dataset())


@pytest.fixture(scope="module")
def rdflib_graphs():
    return corpus_dataset(), probe_dataset()


def _ask(store, name, lang="zh"):
    return run_query(QUERIES[name].text, store, lang).records()


def _gold_key(name: str):
    for group in gold_same_entity():
        if name in group:
            return group
    return name


def _region(plan) -> str:
    return plan.meta.region


def _surface_to_node_label() -> dict[tuple[str, str], str]:
    """(region, any surface form) → the agency node's label, from the model's identities."""
    out = {}
    for plan in corpus_plans():
        for a in plan.agencies.values():
            label = agency_identity(a.name, plan).qualified_name
            for form in [a.name, *a.surface_forms]:
                out[(_region(plan), form)] = label
    return out


def _node_to_gold_key() -> dict[tuple[str, str], object]:
    """(region, agency node label) → the gold identity of the unit it stands for."""
    out: dict = {}
    for (region, form), label in _surface_to_node_label().items():
        out.setdefault((region, label), set()).add(_gold_key(form))
    gold_names = {
        (d["region"], _gold_key(n))
        for d in gold_docs().values()
        for m in d["measures"]
        for n in m["agencies"]
    }
    resolved = {}
    for (region, label), keys in out.items():
        known = {k for k in keys if (region, k) in gold_names}
        assert len(known) <= 1, (region, label, known)  # one node never merges two gold units
        resolved[(region, label)] = next(iter(known)) if known else label
    return resolved


def _aligned_measures():
    """(plan, measure, gold measure) for every corpus measure, aligned by action and label."""
    for plan in corpus_plans():
        gold = gold_docs()[stem(plan)]
        by_key = {(g["action"], g["label"]): g for g in gold["measures"]}
        assert len(by_key) == len(gold["measures"]) == len(plan.measures)
        for m in plan.measures:
            yield plan, m, by_key[(m.action, m.label)]


# -- the queries themselves -------------------------------------------------------------


def test_queries_each_has_a_header_naming_its_question_and_columns(corpus_store):
    assert len(QUERIES) >= 8
    for q in QUERIES.values():
        assert q.title and q.question and q.columns, q.name
        result = run_query(q.text, corpus_store)
        declared = [c.strip() for c in re.sub(r"\s*\([^)]*\)", "", q.columns).split(",")]
        assert result.columns == declared, q.name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_queries_need_no_union_default_graph(name, corpus_store, probe_store):
    """An Oxigraph server, Fuseki or GraphDB keep the default graph empty: the canned queries
    read the named graphs, so they answer the same there as with the union."""
    text = bind_parameters(QUERIES[name].text, "zh")
    for store in (corpus_store, probe_store):
        empty_default = store.query(text, use_default_graph_as_union=False)
        rows = [
            tuple(_ox_value(s[v.value]) for v in empty_default.variables) for s in empty_default
        ]
        assert rows == run_query(QUERIES[name].text, store).rows
    assert run_query(QUERIES[name].text, corpus_store).rows, f"{name} answers nothing"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_queries_give_the_same_answer_in_oxigraph_and_rdflib(
    name, corpus_store, probe_store, rdflib_graphs
):
    for g, store in zip(rdflib_graphs, (corpus_store, probe_store), strict=True):
        ox_rows = run_query(QUERIES[name].text, store).rows
        rdflib_rows = run_query(QUERIES[name].text, g).rows
        assert ox_rows == rdflib_rows


# -- against gold: leads, agencies, regions -----------------------------------------------


def test_queries_lead_agencies_match_gold_lead_counts(corpus_store):
    rows = _ask(corpus_store, "lead_agencies")
    assert rows
    to_gold = _node_to_gold_key()
    got = Counter()
    for r in rows:
        got[(r["region"], to_gold[(r["region"], r["agency"])])] += r["measures_led"]
    want = Counter(
        (d["region"], _gold_key(m["lead"])) for d in gold_docs().values() for m in d["measures"]
    )
    assert got == want
    # Rows are ordered by region, then most measures led first.
    assert rows == sorted(rows, key=lambda r: (r["region"], -r["measures_led"], r["agency"]))


def test_queries_agency_co_ownership_matches_gold_pairs(corpus_store):
    rows = _ask(corpus_store, "agency_co_ownership")
    assert rows
    to_gold = _node_to_gold_key()
    got = {
        (
            r["region"],
            frozenset(
                {to_gold[(r["region"], r["agency_a"])], to_gold[(r["region"], r["agency_b"])]}
            ),
        ): r["shared_measures"]
        for r in rows
    }
    pairs = Counter()
    for d in gold_docs().values():
        for m in d["measures"]:
            units = sorted({_gold_key(n) for n in m["agencies"]}, key=str)
            for i, a in enumerate(units):
                for b in units[i + 1 :]:
                    pairs[(d["region"], frozenset({a, b}))] += 1
    want = {k: n for k, n in pairs.items() if n > 1}
    assert got == want
    counts = [r["shared_measures"] for r in rows]
    assert counts == sorted(counts, reverse=True)


def _measure_type_label(key: str) -> tuple[str, str]:
    c = load_scheme("measure_types.ttl")[key]
    return (c.notation or "", c.label_zh)


def test_queries_lead_by_measure_type_matches_gold_leads_of_typed_measures(corpus_store):
    rows = _ask(corpus_store, "lead_by_measure_type")
    to_gold = _node_to_gold_key()
    got = Counter()
    for r in rows:
        key = to_gold[(r["region"], r["agency"])]
        got[(r["region"], r["measure_type"], r["measure_type_label"], key)] += r["measures_led"]
    want = Counter(
        (plan.meta.region, *_measure_type_label(m.measure_type.concept), _gold_key(g["lead"]))
        for plan, m, g in _aligned_measures()
        if m.measure_type is not None
    )
    assert got == want
    assert bool(rows) == any(m.measure_type for p in corpus_plans() for m in p.measures)


def test_queries_lead_functions_by_measure_type_match_the_model(corpus_store):
    rows = _ask(corpus_store, "lead_functions_by_measure_type")
    scheme = agency_functions()
    want_n, want_regions = Counter(), defaultdict(set)
    for plan in corpus_plans():
        for m in plan.measures:
            if m.measure_type is None or not m.leads:
                continue
            function = scheme[plan.agencies[m.leads[0].agency_key].function].label_zh
            key = (*_measure_type_label(m.measure_type.concept), function)
            want_n[key] += 1
            want_regions[key].add(plan.meta.adcode)
    got = {(r["measure_type"], r["measure_type_label"], r["function"]): r for r in rows}
    assert {k: r["measures_led"] for k, r in got.items()} == dict(want_n)
    assert {k: r["regions"] for k, r in got.items()} == {k: len(v) for k, v in want_regions.items()}


# -- against the model: types, instruments, targets ------------------------------------------


def _items(scheme_file: str):
    s = load_scheme(scheme_file)
    return {k: c for k, c in s.concepts.items() if c.broader and c.notation}


def test_queries_national_items_coverage_lists_every_item_for_every_region(corpus_store):
    rows = _ask(corpus_store, "national_items_coverage")
    items = _items("measure_types.ttl")
    assert len(rows) == len(items) * len(corpus_plans())
    want = {}
    for plan in corpus_plans():
        counts = Counter()
        for m in plan.measures:
            types = ([m.measure_type] if m.measure_type else []) + m.measure_type_also
            for k in {t.concept for t in types}:
                counts[k] += 1
        for k, c in items.items():
            want[(plan.meta.region, c.notation)] = counts[k]
    got = {(r["region"], r["item"]): r["measures"] for r in rows}
    assert got == want
    assert all((r["status"] == "covered") == (r["measures"] > 0) for r in rows)


def test_queries_voucher_regions_match_the_model(corpus_store):
    rows = _ask(corpus_store, "voucher_regions")
    want = {}
    for plan in corpus_plans():
        n_i = sum(1 for x in plan.instruments if x.type == "voucher")
        n_m = sum(
            1 for m in plan.measures if any(t.concept == "voucher" for t in m.instrument_tags)
        )
        if n_i or n_m:
            want[plan.meta.region] = (n_i, n_m)
    assert {r["region"]: (r["voucher_instruments"], r["voucher_measures"]) for r in rows} == want


def test_queries_instruments_and_same_product_match_the_model(corpus_store):
    rows = _ask(corpus_store, "instruments")
    label = {k: c.label_zh for k, c in products().concepts.items()}
    want = Counter(
        (
            label.get(x.product, ""),
            x.object or "",
            plan.meta.region,
            x.rate,
            x.rate_max,
            x.amount_yuan,
            x.amount_max_yuan,
            x.amount,
            x.amount_unit,
            x.amount_is_cap,
            "/".join(x.per_units) or x.per,
        )
        for plan in corpus_plans()
        for x in plan.instruments
    )
    got = Counter(
        (
            r["product"],
            r["object"],
            r["region"],
            r["rate"],
            r["rate_max"],
            r["amount_yuan"],
            r["amount_max_yuan"],
            r["amount"],
            r["amount_unit"],
            r["is_cap"],
            r["per"],
        )
        for r in rows
    )
    assert got == want
    # the product column is the concept's label, the object text has a column of its own
    keys = {c.label_zh: k for k, c in products().concepts.items()}
    assert all(
        r["product_concept"].endswith("/" + keys[r["product"]]) if r["product"]
        else r["product_concept"] == ""
        for r in rows
    )  # fmt: skip
    assert any(r["product"] and r["object"] and r["product"] != r["object"] for r in rows)
    same = _ask(corpus_store, "same_product_subsidies")
    regions_of = defaultdict(set)
    for plan in corpus_plans():
        for x in plan.instruments:
            if x.product:
                regions_of[products()[x.product].label_zh].add(plan.sha256)
    shared = {o for o, r in regions_of.items() if len(r) > 1}
    assert shared and {r["product"] for r in same} == shared


def test_queries_targets_2025_match_the_model(corpus_store):
    rows = _ask(corpus_store, "targets_2025")
    want = Counter(
        (plan.meta.region, t.indicator, t.comparator, float(t.value), t.unit, t.span.text)
        for plan in corpus_plans()
        for t in plan.targets
        if t.year == 2025
    )
    got = Counter(
        (r["region"], r["indicator"], r["comparator"], r["value"], r["unit"], r["text"])
        for r in rows
    )
    assert got == want


# -- on probe plans with every kind of item --------------------------------------------------


def _instrument_type_label(key: str) -> str:
    if (ONTOLOGY_DIR / "instrument_types.ttl").exists():
        return load_scheme("instrument_types.ttl")[key].label_zh
    return key


def test_queries_on_probes_voucher_regions(probe_store):
    assert _ask(probe_store, "voucher_regions") == [
        {"region": "株洲市", "voucher_instruments": 1, "voucher_measures": 1}
    ]


def test_queries_on_probes_same_product_compares_rates_and_caps_across_regions(probe_store):
    sub = _instrument_type_label("subsidy")
    rows = [
        {k: v for k, v in r.items() if k != "text"}
        for r in _ask(probe_store, "same_product_subsidies")
    ]
    assert rows == [
        {"product": "数码产品", "region": "株洲市", "type": sub, "rate_pct": 20.0,
         "amount": 1000.0, "amount_unit": "元", "amount_yuan": 1000.0, "is_cap": True,
         "per": "件"},
        {"product": "数码产品", "region": "长春市", "type": sub, "rate_pct": 15.0,
         "amount": 500.0, "amount_unit": "元", "amount_yuan": 500.0, "is_cap": True,
         "per": "件"},
    ]  # fmt: skip
    assert len(_ask(probe_store, "instruments")) == 4


def test_queries_on_probes_targets_2025_with_the_part_they_stand_in(probe_store):
    rows = _ask(probe_store, "targets_2025")
    assert [
        (r["region"], r["indicator"], r["comparator"], r["value"], r["unit"], r["part"])
        for r in rows
    ] == [
        ("株洲市", "新能源汽车销量增长率", ">=", 10.0, "%", "(一) 汽车以旧换新"),
        ("株洲市", "社会消费品零售总额增长率", "~", 6.0, "%", "二、保障措施"),
    ]


def test_queries_on_probes_leads_per_measure_type_per_region_and_overall(probe_store):
    auto, trade = _measure_type_label("automobile"), _measure_type_label("trade_in")
    rows = _ask(probe_store, "lead_by_measure_type")
    assert {(r["region"], r["measure_type"], r["agency"], r["measures_led"]) for r in rows} == {
        ("株洲市", auto[0], "株洲市商务局", 1),
        ("株洲市", trade[0], "株洲市商务局", 1),
        ("长春市", trade[0], "长春市商务局", 1),
    }
    overall = _ask(probe_store, "lead_functions_by_measure_type")
    assert {
        (r["measure_type"], r["function"], r["measures_led"], r["regions"]) for r in overall
    } == {
        (auto[0], "商务", 1, 1),
        (trade[0], "商务", 2, 2),
    }


def test_queries_on_probes_national_items_covered_and_omitted(probe_store):
    rows = _ask(probe_store, "national_items_coverage")
    covered = {(r["region"], r["item"], r["measures"]) for r in rows if r["status"] == "covered"}
    auto, trade = _measure_type_label("automobile"), _measure_type_label("trade_in")
    assert covered == {("株洲市", trade[0], 2), ("株洲市", auto[0], 1), ("长春市", trade[0], 1)}
    assert len(rows) == 2 * len(_items("measure_types.ttl"))
    # Within a region, covered items come first, then omitted ones in item-number order.
    zz = [r for r in rows if r["region"] == "株洲市" and r["status"] == "omitted"]
    assert [r["item"] for r in zz[:3]] == ["(一)", "(二)", "(三)"]


def test_queries_car_trade_in_ranks_subsidies_by_amount_in_yuan(corpus_store):
    rows = _ask(corpus_store, "car_trade_in_subsidies")
    want = sorted(
        (x.amount_yuan, plan.meta.region, x.span.text)
        for plan in corpus_plans()
        for x in plan.instruments
        if x.product == "passenger_car" and x.type == "subsidy" and x.amount_yuan is not None
    )
    assert rows and sorted((r["rank_yuan"], r["region"], r["text"]) for r in rows) == want
    assert [r["rank_yuan"] for r in rows] == sorted((r["rank_yuan"] for r in rows), reverse=True)
    # 2万元 ranks above 15000元: the comparison is in 元, not in the numbers as written
    written = {(r["amount"], r["amount_unit"]): r["rank_yuan"] for r in rows}
    assert written.get((2.0, "万元")) == 20000 and written.get((15000.0, "元")) == 15000


def test_queries_lang_picks_labels_in_that_language_and_falls_back_to_chinese(corpus_store):
    zh = _ask(corpus_store, "lead_functions_by_measure_type")
    en = _ask(corpus_store, "lead_functions_by_measure_type", "en")
    assert len(zh) == len(en)
    scheme = load_scheme("measure_types.ttl")
    english = {c.label_en for c in scheme.concepts.values() if c.label_en}
    assert {r["measure_type_label"] for r in en} <= english | {r["measure_type_label"] for r in zh}
    assert {r["measure_type_label"] for r in en} & english
    # regions have no English label yet: the Chinese one stands in, never an empty cell
    assert all(r["region"] for r in _ask(corpus_store, "lead_agencies", "en"))


def test_queries_agency_workload_counts_each_agencys_measures_by_role(corpus_store):
    """agency_workload: per agency, the measures it leads, joins and implements, and all of
    them, counted from the model's responsibilities (distinct measures: an agency named twice
    in one measure counts once)."""
    rows = _ask(corpus_store, "agency_workload")
    assert rows
    want: dict[tuple, set] = defaultdict(set)
    for plan in corpus_plans():
        label = {k: agency_identity(a.name, plan).qualified_name for k, a in plan.agencies.items()}
        for m in plan.measures:
            named = [(r, "led" if r.role == "lead" else "participates") for r in m.responsibilities]
            named += [(r, "implements") for r in m.implementers]
            for mention, column in named:
                key = (plan.meta.region, label[mention.agency_key])
                want[(*key, column)].add((plan.doc_id, m.index))
                want[(*key, "total")].add((plan.doc_id, m.index))
    got = {
        (r["region"], r["agency"], column): r[column]
        for r in rows
        for column in ("led", "participates", "implements", "total")
        if r[column]
    }
    assert got == {k: len(v) for k, v in want.items()}
    assert rows == sorted(rows, key=lambda r: (r["region"], -r["total"], -r["led"], r["agency"]))
