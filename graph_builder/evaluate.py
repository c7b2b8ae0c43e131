"""Score extracted plans against gold files in the schema of tests/data/gold/SCHEMA.md.

Fields are compared as sets of keyed facts, micro-averaged over documents:

* measures: (action, label, title); lead: accuracy over gold measures that were found;
* agencies / implementers: (measure, unit name) pairs; actions: (id, title);
* measure types: primary exact, and primary-or-secondary (our primary is one of gold's types);
* targets: (measure, value, unit) with overlapping quotes, units compared without a
  bracketed alternative counting word (万个（次） is 万个); instruments: (measure, type,
  amount or rate) with overlapping quotes; planned policies: (title, deadline);
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
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

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


def _mkey(m: dict) -> tuple:
    return (m.get("action"), m.get("label"))


def _unit_key(unit: str | None) -> str | None:
    """A unit for comparison: full-width ％ as %, and an alternative counting word written in
    brackets dropped (``万个（次）`` and ``万个``, ``万台(套)`` and ``万台`` name one unit; the
    schema's unit is the measure word with 万/亿, and the gold keeps the bracket in some
    places and not in others)."""
    if unit is None:
        return None
    return re.sub(r"[（(][^（()）]*[）)]", "", unit.replace("％", "%")).strip()


def _overlap(a: str, b: str) -> bool:
    return bool(a and b) and (a in b or b in a)


def _match_items(report: Report, name: str, doc: str, pred: list, gold: list, key, same) -> None:
    """Greedy one-to-one matching of items with equal ``key`` and ``same`` quotes."""
    s = report.score(name)
    used = set()
    for g in gold:
        hit = None
        for i, p in enumerate(pred):
            if i not in used and key(p) == key(g) and same(p, g):
                hit = i
                break
        if hit is None:
            s.fn += 1
            report.misses.append(f"{doc}: {name} missed {g.get('text', g)}")
        else:
            used.add(hit)
            s.tp += 1
    s.fp += len(pred) - len(used)
    for i, p in enumerate(pred):
        if i not in used:
            report.misses.append(f"{doc}: {name} spurious {p.get('text', p)}")


def evaluate_docs(pairs: list[tuple[dict, dict]], agencies_gold: dict | None = None) -> Report:
    """Score (predicted, gold) document pairs."""
    r = Report()
    for pred, gold in pairs:
        doc = gold.get("file", "?")
        for f in DOC_FIELDS:
            if f in gold:
                ok = pred.get(f) == gold.get(f)
                r.acc(f).add(ok)
                if not ok:
                    r.misses.append(f"{doc}: {f} {pred.get(f)!r} != {gold.get(f)!r}")
        r.score("actions").add_sets(
            [(a["id"], a["title"]) for a in pred.get("actions", [])],
            [(a["id"], a["title"]) for a in gold.get("actions", [])],
        )
        pm = {(_mkey(m)): m for m in pred.get("measures", [])}
        r.score("measures").add_sets(
            [(*_mkey(m), m["title"]) for m in pred.get("measures", [])],
            [(*_mkey(m), m["title"]) for m in gold.get("measures", [])],
        )
        for g in gold.get("measures", []):
            p = pm.get(_mkey(g))
            if p is None:
                r.misses.append(f"{doc}: measure {_mkey(g)} not found")
                continue
            ok = p.get("lead") == g.get("lead")
            r.acc("lead").add(ok)
            if not ok:
                r.misses.append(f"{doc}: lead of {_mkey(g)} {p.get('lead')!r} != {g.get('lead')!r}")
            if g.get("measure_type"):
                gold_types = {g["measure_type"], *g.get("measure_type_also", [])}
                r.acc("measure_type_primary").add(p.get("measure_type") == g["measure_type"])
                either = p.get("measure_type") in gold_types
                r.acc("measure_type_primary_or_secondary").add(either)
                if not either:
                    r.misses.append(
                        f"{doc}: type of {_mkey(g)} {p.get('measure_type')!r} not in {sorted(gold_types)}"
                    )
        for fld in ("agencies", "implementers"):
            pred_pairs = [(_mkey(m), a) for m in pred.get("measures", []) for a in m.get(fld, [])]
            gold_pairs = [(_mkey(m), a) for m in gold.get("measures", []) for a in m.get(fld, [])]
            r.score(fld).add_sets(pred_pairs, gold_pairs)
            for x in set(gold_pairs) - set(pred_pairs):
                r.misses.append(f"{doc}: {fld} missed {x}")
            for x in set(pred_pairs) - set(gold_pairs):
                r.misses.append(f"{doc}: {fld} spurious {x}")
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
        _match_items(
            r, "targets", doc, pred.get("targets", []), gold.get("targets", []),
            key=lambda t: (t.get("measure"), float(t.get("value") or 0), _unit_key(t.get("unit"))),
            same=lambda p, g: _overlap(p.get("text", ""), g.get("text", "")),
        )  # fmt: skip
        _match_items(
            r, "instruments", doc, pred.get("instruments", []), gold.get("instruments", []),
            key=lambda i: (i.get("measure"), i.get("type"), i.get("amount"), i.get("rate_pct")),
            same=lambda p, g: _overlap(p.get("text", ""), g.get("text", "")),
        )  # fmt: skip
    if agencies_gold:
        _grouping(r, [p for p, _ in pairs], agencies_gold)
    return r


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
