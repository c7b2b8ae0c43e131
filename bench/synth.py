"""Synthetic corpora for timing: the seed plans' measures recombined across regions.

A benchmark needs thousands of plans of realistic size and shape; we have five. Each
synthetic plan takes a region from the GB/T 2260 gazetteer (cpca's table), chapter titles
from the seeds, and under each chapter a random draw of the seeds' measures, each with its
own responsibility clause, renumbered. The seed's region name inside a measure is replaced by
the new region's, so agency names read naturally (株洲市商务局 → 岳阳市商务局).

Every generated file says what it is: its name contains ``synthetic``, and the line under the
title reads ``（合成样本，仅用于计时）``. They are for timing only, never for evaluation.

Generation is deterministic: plan ``i`` of a corpus depends only on the seeds and ``i``, so
the 1,000-plan corpus is the first 1,000 plans of the 10,000-plan one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MARKER", "SeedMeasure", "SeedChapter", "load_seeds", "synthesize", "write_corpus"]

#: The line that marks every generated document as synthetic.
MARKER = "（合成样本，仅用于计时）"

_NUMERALS = "一二三四五六七八九十"


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (enough for chapter and measure labels)."""
    if n < 1 or n > 99:
        raise ValueError(n)
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _NUMERALS[tens - 1]
    return head + "十" + (_NUMERALS[ones - 1] if ones else "")


@dataclass(frozen=True)
class SeedMeasure:
    """A measure of a seed plan without its label: title, body and responsibility clause."""

    body: str
    region: str | None
    region_short: str | None


@dataclass(frozen=True)
class SeedChapter:
    title: str


def _short(name: str) -> str | None:
    from graph_builder.normalize.places import gazetteer

    places = gazetteer().by_name.get(name, [])
    return places[0].short if places and places[0].short != name else None


def load_seeds(paths: list[str]) -> tuple[list[SeedChapter], list[SeedMeasure]]:
    """Chapters and measures of the seed plans, read with the project's own extractor."""
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import read_input

    chapters: list[SeedChapter] = []
    measures: list[SeedMeasure] = []
    for path in paths:
        plan = extract_plan(read_input(path))
        region = plan.meta.region
        chapters.extend(SeedChapter(a.title) for a in plan.actions)
        for m in plan.measures:
            body = plan.text[m.label_span.end : m.span.end].strip()
            if body:
                measures.append(SeedMeasure(body, region, _short(region) if region else None))
    if not chapters or not measures:
        raise ValueError("the seed documents yielded no chapters or measures")
    return chapters, measures


def _regions():
    from graph_builder.normalize.places import gazetteer, is_generic

    # Not the generic rows (县, 市辖区): they name no region.
    places = [p for p in gazetteer().by_code.values() if not is_generic(p.name)]
    return sorted(places, key=lambda p: p.adcode)


def synthesize(
    i: int, chapters: list[SeedChapter], measures: list[SeedMeasure], regions, seed: int = 2025
) -> tuple[str, str]:
    """Plan number ``i``: (file name, text)."""
    rng = random.Random(seed * 1_000_003 + i)
    place = rng.choice(regions)
    region = place.name
    # The plan's number is in its title: a document is identified by region and title, and
    # a corpus of 10,000 plans draws many regions more than once.
    lines = [f"{region}第{i + 1}号提振消费专项行动方案", MARKER, ""]
    lines.append(f"为进一步提振消费、扩大内需，结合{region}实际，制定本方案。")
    lines.append("")
    for c in range(rng.randint(4, 8)):
        chapter = rng.choice(chapters)
        lines.append(f"{cn_numeral(c + 1)}、{chapter.title}")
        lines.append("")
        for k in range(rng.randint(2, 6)):
            m = rng.choice(measures)
            body = m.body
            if m.region:
                body = body.replace(m.region, region)
                if m.region_short:
                    body = body.replace(m.region_short, place.short)
            lines.append(f"（{cn_numeral(k + 1)}）{body}")
            lines.append("")
    return f"{i:05d}_synthetic_{place.adcode}.txt", "\n".join(lines)


def write_corpus(directory: str | Path, n: int, seeds: list[str]) -> list[Path]:
    """Write ``n`` synthetic plans into ``directory`` (kept if already complete)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    done = out / ".complete"
    stamp = f"{n} numbered-titles"  # corpora written before titles were numbered are redone
    if done.exists() and done.read_text() == stamp:
        return sorted(out.glob("*.txt"))
    chapters, measures = load_seeds(seeds)
    regions = _regions()
    paths = []
    for i in range(n):
        name, text = synthesize(i, chapters, measures, regions)
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    done.write_text(stamp)
    return paths
