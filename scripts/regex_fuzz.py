"""Time every regular expression graph_builder compiles on inputs built to make it backtrack.

Why: Python's ``re`` backtracks. A pattern with nested or overlapping quantifiers
(``(?:每[^\\d，]{1,3})+$``: 每 is both the start of an item and a filler of the item before)
takes exponential time on a run of the characters it matches followed by one it does not; a
``…+$`` searched over a long run takes quadratic time. A plan of 300 bytes was enough to stall
a build for minutes (issue 13). Reading patterns by eye misses such cases, so this fuzzer
times them.

How: the patterns are collected by wrapping ``re._compile`` while graph_builder is imported
and while the seed corpus is extracted, so module constants, patterns built from the
ontology at run time and ``re.search(r"…")`` literals are all seen (only those compiled from a
frame inside ``graph_builder/``). For each pattern, inputs are generated from its own parse
tree (``re._parser``): every unbounded repeat is unrolled ``n`` times, a character class
yields one of the pattern's own literal characters it accepts (so 每 fills ``[^\\d，]``),
each alternative of a branch is taken in turn; and simple runs of each literal character
(``每每每…``, ``、、、…``, digits, brackets). Each input is tried as is, with a character no
pattern matches appended, and cut in the middle. ``n`` grows (8, 16, … 64, then doubling to
``max_n``) until one ``search`` call takes longer than ``budget`` seconds: that pattern is
flagged with the input that did it.

Run: ``.venv/bin/python scripts/regex_fuzz.py [--budget 0.1] [--max-n 4096]``; exit status 1
when a pattern is flagged. ``tests/test_regex_fuzz.py`` runs it on every pattern.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

try:  # Python ≥ 3.11
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = str(ROOT / "graph_builder")
RE_DIR = os.path.dirname(re.__file__)

#: A character none of the patterns is written to match: it makes a match fail at the end.
BREAKER = "\u2603"
#: Characters every pattern is tried with, besides its own literals.
COMMON = "每1，、 （）(\n。a"
SIZES = (8, 16, 24, 32, 40, 48, 56, 64, 128, 256, 512, 1024, 2048, 4096)

#: Patterns only ever used with ``.match(text, pos)`` at one position, never searched: their
#: cost is that of one match, which is what is timed for them (a ``search`` would retry them
#: from every position of a run of spaces, which the code never does).
MATCH_ONLY = {
    r"\s*[-－—–~～至到]\s*": "quantities._RANGE: a range dash right after a unit",
    r"(?:(?:和|、|或|至|到)[^，,；;。]{0,14}?)?(?:/[^/，,；;。\s]{1,3})*"
    r"(?:及以上|以上|以下|以内)?(?:的)?(?:补助|补贴|奖励)?标准": "number_roles._STANDARD_AFTER",
}


@dataclass
class Finding:
    pattern: str
    where: str
    seconds: float
    sample: str


def collect_patterns(run_corpus: bool = True) -> dict[tuple[str, int], str]:
    """Every (pattern, flags) compiled by graph_builder code, with the place that compiled it."""
    seen: dict[tuple[str, int], str] = {}
    original = re._compile  # type: ignore[attr-defined]

    def spy(pattern, flags):
        compiled = original(pattern, flags)
        if isinstance(pattern, str) and (pattern, int(flags)) not in seen:
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename.startswith(RE_DIR):
                frame = frame.f_back  # re.compile, re.search … calling _compile
            name = frame.f_code.co_filename if frame is not None else ""
            if name.startswith(PACKAGE):  # not a library's pattern (Jinja, rdflib …)
                seen[(pattern, int(flags))] = f"{os.path.relpath(name, ROOT)}:{frame.f_lineno}"
        return compiled

    re._compile = spy  # type: ignore[attr-defined]
    re.purge()
    try:
        import pkgutil

        import graph_builder

        for mod in pkgutil.walk_packages(graph_builder.__path__, "graph_builder."):
            if mod.name.endswith("__main__"):
                continue
            __import__(mod.name)
        if run_corpus:
            from graph_builder.batch import extract_all

            extract_all([str(ROOT / "corpus")], progress=False)
        # module constants compiled before the spy was installed (already imported)
        for name, module in list(sys.modules.items()):
            if not name.startswith("graph_builder"):
                continue
            for value in vars(module).values():
                if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                    key = (value.pattern, int(value.flags))
                    seen.setdefault(key, f"{name.replace('.', '/')}.py")
    finally:
        re._compile = original  # type: ignore[attr-defined]
    return seen


def _literals(pattern: str) -> list[str]:
    """The characters a pattern names (CJK, punctuation, digits), in first-seen order."""
    out: dict[str, None] = {}
    for ch in pattern:
        if ch.isalnum() and ch.isascii():
            continue
        if ch in "\\()[]{}?*+|^$.:<>=!-,'\"#":
            continue
        out.setdefault(ch, None)
    return list(out)


def _accepts(items, ch: str) -> bool:
    """Whether an ``IN`` set of the parse tree accepts ``ch`` (case-sensitive)."""
    negate = False
    hit = False
    code = ord(ch)
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit |= av == code
        elif op is C.RANGE:
            hit |= av[0] <= code <= av[1]
        elif op is C.CATEGORY:
            hit |= bool(
                re.match(
                    {
                        C.CATEGORY_DIGIT: r"\d",
                        C.CATEGORY_NOT_DIGIT: r"\D",
                        C.CATEGORY_SPACE: r"\s",
                        C.CATEGORY_NOT_SPACE: r"\S",
                        C.CATEGORY_WORD: r"\w",
                        C.CATEGORY_NOT_WORD: r"\W",
                    }.get(av, r"(?!)"),
                    ch,
                )
            )
    return hit != negate


class _Generator:
    """Strings a parsed pattern matches, with unbounded repeats unrolled ``n`` times."""

    def __init__(self, alphabet: list[str], n: int, choice: int):
        self.alphabet = alphabet
        self.n = n
        self.choice = choice
        self.sticky = choice % 2 == 1  # fill classes with the last literal written (每每…)
        self.last = ""

    def pick(self, accept) -> str:
        if self.sticky and self.last and accept(self.last):
            return self.last
        for k in range(len(self.alphabet)):
            ch = self.alphabet[(k + self.choice) % len(self.alphabet)]
            if accept(ch):
                return ch
        return "x"

    def seq(self, parsed) -> str:
        return "".join(self.node(op, av) for op, av in parsed)

    def node(self, op, av) -> str:
        if op is C.LITERAL:
            self.last = chr(av)
            return self.last
        if op is C.NOT_LITERAL:
            return self.pick(lambda ch: ord(ch) != av)
        if op is C.ANY:
            return self.pick(lambda ch: ch != "\n")
        if op is C.IN:
            return self.pick(lambda ch: _accepts(av, ch))
        if op is C.BRANCH:
            branches = av[1]
            return self.seq(branches[(self.choice // 2) % len(branches)])
        if op is C.SUBPATTERN:
            return self.seq(av[-1])
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            times = self.n if hi is C.MAXREPEAT else max(lo, min(hi, self.n))
            pieces: list[str] = []
            size = 0
            for _ in range(times):  # nested repeats stop at 8 n characters, not n × n
                pieces.append(self.seq(sub))
                size += len(pieces[-1])
                if size > 8 * self.n:
                    break
            return "".join(pieces)
        if op is getattr(C, "ATOMIC_GROUP", None):
            return self.seq(av)
        return ""  # anchors, look-arounds, back-references


def inputs(pattern: str, flags: int, n: int) -> Iterator[str]:
    """Adversarial inputs of about size ``n`` for one pattern."""
    alphabet = _literals(pattern) + [c for c in COMMON if c not in pattern]
    try:
        parsed = P.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - a pattern the parser of this version cannot read
        parsed = None
    bases: list[str] = []
    if parsed is not None:
        for choice in range(8):
            text = _Generator(alphabet, n, choice).seq(parsed)
            if text:
                bases.append(text[: 8 * n])
    for ch in alphabet[:24]:
        bases.append(ch * n)
    for a, b in zip(alphabet[:8], alphabet[1:9], strict=False):
        bases.append((a + b) * (n // 2))
    for text in bases:
        yield text
        yield text + BREAKER
        yield text[: len(text) // 2] + BREAKER + text[len(text) // 2 :]
        yield "\u3000" * 2 + text + "1"


def fuzz_one(pattern: str, flags: int, budget: float, max_n: int) -> tuple[float, str] | None:
    """``(seconds, input)`` of the first call over ``budget``, or None."""
    rx = re.compile(pattern, flags)
    call = rx.match if pattern in MATCH_ONLY else rx.search
    for n in SIZES:
        if n > max_n:
            break
        for text in inputs(pattern, flags, n):
            t0 = time.perf_counter()
            call(text)
            dt = time.perf_counter() - t0
            if dt > budget:
                return dt, text
    return None


def fuzz(budget: float = 0.1, max_n: int = 4096, run_corpus: bool = True) -> list[Finding]:
    """Every graph_builder pattern that takes longer than ``budget`` on a fuzzed input."""
    out = []
    for (pattern, flags), where in sorted(collect_patterns(run_corpus).items()):
        hit = fuzz_one(pattern, flags, budget, max_n)
        if hit is not None:
            out.append(Finding(pattern, where, hit[0], hit[1]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--budget", type=float, default=0.1, help="seconds per search call")
    ap.add_argument("--max-n", type=int, default=4096, help="largest repeat count")
    ap.add_argument("--no-corpus", action="store_true", help="only patterns compiled on import")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    n_patterns = len(collect_patterns(not args.no_corpus))
    found = fuzz(args.budget, args.max_n, not args.no_corpus)
    for f in found:
        sample = f.sample if len(f.sample) <= 60 else f.sample[:30] + "…" + f.sample[-30:]
        print(f"{f.where}: {f.seconds:.2f} s on {len(f.sample)} chars {sample!r}\n  {f.pattern!r}")
    print(
        f"{n_patterns} patterns, {len(found)} flagged, {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
