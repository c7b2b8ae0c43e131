"""Helpers of the visualization tests: gold types for the corpus, probe plans, a watched page.

The measure-type classifier is another part of the project; until it lands every extracted
measure has ``measure_type = None``. Tests that need a typed corpus assign the gold types from
tests/data/gold here, in the test, never in the product code.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

from graph_builder.model import Agency, AgencyMention, Measure, Plan, PlanMeta, Span, TypeEvidence
from graph_builder.vocab import agency_functions

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "data" / "gold"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def assign_gold_types(plans: list[Plan]) -> list[Plan]:
    """Copies of ``plans`` whose measures carry the gold measure type (matched by chapter+label)."""
    typed = copy.deepcopy(plans)
    for plan in typed:
        gold = json.loads((GOLD / f"{plan.doc_id}.json").read_text(encoding="utf-8"))
        by_label = {(m["action"], m["label"]): m for m in gold["measures"]}
        for m in plan.measures:
            g = by_label[(m.action, m.label)]
            m.measure_type = TypeEvidence(g["measure_type"], 1.0) if g["measure_type"] else None
    return typed


def probe_plan(
    doc_id: str,
    region: str,
    measures: list[tuple[str, list[tuple[str, str, str]], str | None]],
    title: str = "测试方案",
) -> Plan:
    """A plan built directly: ``measures`` = [(title, [(unit, function, role)], type key)].

    The text is ``（一）title。（责任单位：unit、unit）`` per measure, and every span is cut from it,
    so quotes stay faithful.
    """
    scheme = agency_functions()
    parts = [title + "\n"]
    layout = []
    for i, (mtitle, units, _t) in enumerate(measures):
        label = f"（{'一二三四五六七八九十'[i]}）"
        start = sum(map(len, parts))
        clause = "（责任单位：" + "、".join(u for u, _f, _r in units) + "）"
        parts.append(f"{label}{mtitle}。{clause}\n")
        layout.append((start, label, mtitle, clause))
    text = "".join(parts)
    plan = Plan(
        doc_id, f"{doc_id}.txt", text, "0" * 64, "utf-8", meta=PlanMeta(title=title, region=region)
    )
    agencies: dict[str, Agency] = {}
    for i, ((start, label, mtitle, clause), (_mt, units, tkey)) in enumerate(
        zip(layout, measures, strict=True)
    ):
        t0 = start + len(label)
        c0 = text.index(clause, t0)
        m = Measure(
            index=i,
            action=None,
            label=f"({'一二三四五六七八九十'[i]})",
            label_span=Span.of(text, start, t0),
            title=mtitle,
            title_span=Span.of(text, t0, t0 + len(mtitle)),
            span=Span.of(text, start, c0 + len(clause)),
            clause=Span.of(text, c0, c0 + len(clause)),
            measure_type=TypeEvidence(tkey, 1.0) if tkey else None,
        )
        for pos, (unit, function, role) in enumerate(units):
            key = f"{doc_id}:{unit}"
            c = scheme[function]
            agencies.setdefault(key, Agency(key, unit, [unit], function, c.label_zh, c.label_en))
            u0 = text.index(unit, c0)
            m.responsibilities.append(
                AgencyMention(unit, Span.of(text, u0, u0 + len(unit)), role, pos, agency_key=key)
            )
        plan.measures.append(m)
    plan.agencies = agencies
    return plan


class PageWatch:
    """A page whose outside requests are blocked and recorded, and whose errors are kept."""

    def __init__(self, browser, tmp_path: Path):
        self.context = browser.new_context(
            viewport={"width": 1600, "height": 1000}, service_workers="block"
        )
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file://", "data:", "about:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _request(self, request):
        # Belt and braces: whatever the router sees or not, any request off this machine counts.
        url = request.url
        if not url.startswith(("file://", "data:", "about:", "blob:")) and url not in self.outside:
            self.outside.append(url)

    def _console(self, msg):
        if msg.type in ("error", "assert"):
            self.errors.append(f"console.{msg.type}: {msg.text}")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        return self.page

    def close(self):
        self.context.close()
