"""Score extracted plans against gold files in the schema of tests/data/gold/SCHEMA.md.

Fields are compared as keyed facts, micro-averaged over documents, the way the reference
scorer (``tests/data/scorer/evaluate.py``) compares them, so the two agree:

* measures: (chapter, label), predictions under a gold file's ``cut_labels`` ignored; lead
  and agency order: accuracy over all gold measures (a measure not found counts as wrong);
* agencies (multiset, bracketed aliases ignored) and implementers (set) over matched measures;
  actions: (id, title);
* measure types: primary exact, and primary-or-secondary (our primary is one of gold's types);
* targets: (chapter, measure, value, unit), ％ read as %; instruments: (chapter, measure,
  type, rate, amount);
  both only where the gold annotates them; planned policies: (title, deadline);
* agency grouping: pairwise F1 over surface forms listed in ``agencies.json`` (two forms are
  a pair when they share a function type), and the share of ``same_entity_within_region``
  pairs that the extractor merged into one agency;
* document fields (region, adcode, status, …): accuracy.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

__all__ = ["Score", "Report", "evaluate_docs", "format_report"]

DOC_FIELDS = (
    "region", "region_level", "parent_region", "adcode", "title", "status", "issuer", "date",
    "doc_number", "coordinator",
)  # fmt: skip


@dataclass
class Score:
    tp: float = 0
    fp: float = 0
    fn: float = 0

    @property
    def precision(self) -> float:
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 0.0 if self.fn else 1.0  # nothing predicted where something was due

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add_sets(self, pred, gold) -> None:
        pc, gc = Counter(pred), Counter(gold)
        tp = sum((pc & gc).values())
        self.tp += tp
        self.fp += sum(pc.values()) - tp
        self.fn += sum(gc.values()) - tp


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += bool(ok)


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=dict)
    accuracies: dict[str, Accuracy] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def score(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())

    def acc(self, name: str) -> Accuracy:
        return self.accuracies.setdefault(name, Accuracy())


_LABEL_FORMS = str.maketrans("（）１２３４５６７８９０．、", "()1234567890.、")


def _label(label: str | None) -> str:
    """A measure label as the gold schema writes it: (一), 1., 一、 (1、 and １． are 1.)."""
    label = (label or "").strip().translate(_LABEL_FORMS)
    if re.fullmatch(r"\d+[.、]", label):
        label = label[:-1] + "."
    return label


def _agency(name: str | None) -> str:
    """A unit name for comparison: an alias in brackets and white space dropped."""
    name = re.sub(r"[〔\[【(（][^〕\]】)）]*[〕\]】)）]", "", name or "")
    return re.sub(r"\s+", "", name)


def _mkey(m: dict) -> tuple:
    return (m.get("action"), _label(m.get("label") or m.get("measure")))


def _unit_key(unit: str | None) -> str:
    """A unit for comparison, as the reference scorer compares it: full-width ％ as %."""
    return (unit or "").strip().replace("％", "%")


def _without_cut(pred: dict, gold: dict) -> dict:
    """An excerpt's last measure, cut off mid-text, is in no gold field (``cut_labels``):
    predictions under its label count neither way."""
    cut = {_label(x) for x in gold.get("cut_labels", [])}
    if not cut:
        return pred
    pred = dict(pred)
    pred["measures"] = [m for m in pred.get("measures", []) if _label(m.get("label")) not in cut]
    for f in ("targets", "instruments"):
        pred[f] = [x for x in pred.get(f, []) if _label(x.get("measure")) not in cut]
    return pred


def _match_measures(pred: dict, gold: dict) -> tuple[dict, dict, dict]:
    """Gold and predicted measures by (chapter, label); a label unique on both sides matches
    whatever chapter each side gave it. Returns (gold, pred, remap of predicted keys)."""
    gm = {_mkey(m): m for m in gold.get("measures", [])}
    pm = {_mkey(m): m for m in pred.get("measures", [])}
    glab = Counter(k[1] for k in gm)
    plab = Counter(k[1] for k in pm)
    for k in list(gm):
        if k not in pm and glab[k[1]] == 1 and plab[k[1]] == 1:
            pk = next(x for x in pm if x[1] == k[1])
            if pk not in gm:
                pm[k] = pm.pop(pk)
    remap = {_mkey(m): k for k, m in pm.items()}
    return gm, pm, remap


def evaluate_docs(pairs: list[tuple[dict, dict]], agencies_gold: dict | None = None) -> Report:
    """Score (predicted, gold) document pairs.

    Measures, leads, agencies, implementers, types, targets and instruments are scored the way
    the project's reference scorer (``tests/data/scorer/evaluate.py``) scores them, so the two
    agree: measures by (chapter, label) honouring ``cut_labels``; lead and agency order over
    all gold measures; agencies (multiset, aliases ignored) and implementers (set) over matched
    measures; targets (chapter, measure, value, unit) and instruments (chapter, measure, type,
    rate, amount) as multisets, only where the gold annotates them.
    """
    r = Report()
    for pred, gold in pairs:
        doc = gold.get("file", "?")
        pred = _without_cut(pred, gold)
        for f in DOC_FIELDS:
            if f in gold:
                ok = pred.get(f) == gold.get(f)
                r.acc(f).add(ok)
                if not ok:
                    r.misses.append(f"{doc}: {f} {pred.get(f)!r} != {gold.get(f)!r}")
        if "actions" in gold:
            r.score("actions").add_sets(
                [(a["id"], a["title"]) for a in pred.get("actions", [])],
                [(a["id"], a["title"]) for a in gold.get("actions", [])],
            )
        gm, pm, remap = _match_measures(pred, gold)
        r.score("measures").add_sets(list(pm), list(gm))
        ag, im = r.score("agencies"), r.score("implementers")
        for k, g in gm.items():
            p = pm.get(k)
            if p is None:
                r.acc("lead").add(False)
                r.acc("agency_order").add(False)
                r.misses.append(f"{doc}: measure {k} not found")
                continue
            ok = _agency(p.get("lead")) == _agency(g.get("lead"))
            r.acc("lead").add(ok)
            if not ok:
                r.misses.append(f"{doc}: lead of {k} {p.get('lead')!r} != {g.get('lead')!r}")
            ga = [_agency(a) for a in g.get("agencies", [])]
            pa = [_agency(a) for a in p.get("agencies") or []]
            r.acc("agency_order").add(ga == pa)
            ag.add_sets(pa, ga)
            for x in (Counter(ga) - Counter(pa)).elements():
                r.misses.append(f"{doc}: agencies missed {k} {x}")
            for x in (Counter(pa) - Counter(ga)).elements():
                r.misses.append(f"{doc}: agencies spurious {k} {x}")
            gi = {_agency(a) for a in g.get("implementers") or []}
            pi = {_agency(a) for a in p.get("implementers") or []}
            im.add_sets(list(pi), list(gi))
            for x in sorted(gi ^ pi):
                r.misses.append(
                    f"{doc}: implementers {'missed' if x in gi else 'spurious'} {k} {x}"
                )
            if "measure_type" in g:
                gold_types = {g["measure_type"], *g.get("measure_type_also", [])}
                r.acc("measure_type_primary").add(p.get("measure_type") == g["measure_type"])
                either = p.get("measure_type") in gold_types
                r.acc("measure_type_primary_or_secondary").add(either)
                if not either:
                    r.misses.append(
                        f"{doc}: type of {k} {p.get('measure_type')!r} not in {sorted(gold_types, key=str)}"
                    )
        if "planned_policies" in gold:
            r.score("planned_policies").add_sets(
                [
                    (p["title"], p.get("deadline"), tuple(p.get("agencies", [])))
                    for p in pred.get("planned_policies", [])
                ],
                [
                    (p["title"], p.get("deadline"), tuple(p.get("agencies", [])))
                    for p in gold.get("planned_policies", [])
                ],
            )

        def where(x: dict, remapped: bool, remap: dict = remap) -> tuple:
            k = (x.get("action"), _label(x.get("measure")))
            return remap.get(k, k) if remapped else k

        if "targets" in gold:
            _multiset(
                r, "targets", doc,
                [(*where(t, True), float(t["value"]), _unit_key(t.get("unit")), t.get("text"))
                 for t in pred.get("targets", []) if t.get("value") is not None],
                [(*where(t, False), float(t["value"]), _unit_key(t.get("unit")), t.get("text"))
                 for t in gold["targets"]],
            )  # fmt: skip
        if "instruments" in gold:

            def ikey(i: dict, remapped: bool) -> tuple:
                rate = i.get("rate_pct") and float(i["rate_pct"])
                amount = i.get("amount") and float(i["amount"])
                return (*where(i, remapped), i.get("type"), rate, amount, i.get("text"))

            _multiset(
                r, "instruments", doc,
                [ikey(i, True) for i in pred.get("instruments", [])],
                [ikey(i, False) for i in gold["instruments"]],
            )  # fmt: skip
    if agencies_gold:
        _grouping(r, [p for p, _ in pairs], agencies_gold)
    return r


def _multiset(r: Report, name: str, doc: str, pred: list[tuple], gold: list[tuple]) -> None:
    """Score items keyed by all but their last field (the quote, kept for the misses)."""
    pc = Counter(x[:-1] for x in pred)
    gc = Counter(x[:-1] for x in gold)
    r.score(name).add_sets(list(pc.elements()), list(gc.elements()))
    text = {x[:-1]: x[-1] for x in pred + gold}
    for x in (gc - pc).elements():
        r.misses.append(f"{doc}: {name} missed {text[x]}")
    for x in (pc - gc).elements():
        r.misses.append(f"{doc}: {name} spurious {text[x]}")


def _grouping(r: Report, preds: list[dict], agencies_gold: dict) -> None:
    types = agencies_gold.get("types", {})
    predicted: dict[str, str] = {}
    entity_of: dict[tuple[str, str], int] = {}
    for di, p in enumerate(preds):
        for ai, a in enumerate(p.get("agencies", [])):
            for f in a.get("surface_forms", [a["name"]]):
                predicted.setdefault(f, a.get("type"))
                entity_of[(di, f)] = ai
    forms = sorted(f for f in types if f in predicted)
    s = r.score("agency_grouping_pairwise")
    for a, b in combinations(forms, 2):
        g = types[a] == types[b]
        p = predicted[a] == predicted[b]
        s.tp += g and p
        s.fp += p and not g
        s.fn += g and not p
        if g != p:
            r.misses.append(f"grouping: {a} ~ {b}: gold {g}, predicted {p}")
    acc = r.acc("same_entity_within_region")
    for group in agencies_gold.get("same_entity_within_region", []):
        for di in range(len(preds)):
            present = [entity_of.get((di, f)) for f in group if (di, f) in entity_of]
            if len(present) >= 2:
                acc.add(len(set(present)) == 1)
                if len(set(present)) != 1:
                    r.misses.append(f"same entity not merged: {group}")


def format_report(report: Report) -> str:
    """A plain-text table of the report."""
    lines = [f"{'field':36} {'P':>6} {'R':>6} {'F1':>6} {'n(gold)':>8}"]
    for name, s in report.scores.items():
        lines.append(
            f"{name:36} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {int(s.tp + s.fn):8d}"
        )
    lines.append(f"{'field':36} {'accuracy':>8} {'n':>8}")
    for name, a in report.accuracies.items():
        lines.append(f"{name:36} {a.value:8.3f} {a.total:8d}")
    return "\n".join(lines)


def load_gold(directory: str | Path) -> tuple[dict[str, dict], dict | None]:
    """Gold documents keyed by file stem, and agencies.json when present."""
    d = Path(directory)
    docs = {}
    for p in sorted(d.glob("*.json")):
        if p.name == "agencies.json":
            continue
        docs[p.stem] = json.loads(p.read_text(encoding="utf-8"))
    agencies = d / "agencies.json"
    return docs, (json.loads(agencies.read_text(encoding="utf-8")) if agencies.exists() else None)
