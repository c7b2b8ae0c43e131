"""One document through every stage, timed: what each benchmark worker runs.

Stages, in the order of the data flow:

=========  ==============================================================================
read       ``graph_builder.read.read_input`` (decode, artefact masking)
segment    ``parse_outline`` (chapters, measures, clauses, tables), timed inside the pipeline
extract    the rest of ``extract_plan``: spaCy Doc, preamble, responsibility clauses,
           agency grouping and linking
json       ``plan_to_dict`` + ``json.dumps`` (the per-document JSON view)
graph      the plan's RDF graph, if ``graph_builder.graph.rdf`` exists (else n/a)
serialize  that graph as N-Quads bytes (else n/a); the parent appends them to one file
=========  ==============================================================================

The segment stage is timed by wrapping the ``parse_outline`` the pipeline calls, so the
document is parsed once, exactly as ``policykg`` parses it; ``extract`` is the pipeline's time
minus that.
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable
from functools import lru_cache

__all__ = ["STAGES", "DocStats", "run_document", "graph_hooks", "peak_rss_mib"]

STAGES = ("read", "segment", "extract", "json", "graph", "serialize")

#: {"source", "bytes", "measures", "triples", "times": {stage: wall s}, "cpu": s, "nquads",
#:  "rss_mib", "error", "startup"}
DocStats = dict

_segment_time = [0.0]
_warm: list[bool] = []

#: Where the RDF layer may put "plan → graph"; the first that exists is used.
_GRAPH_MODULES = ("graph_builder.graph.rdf", "graph_builder.export.rdf", "graph_builder.rdf")
_GRAPH_FUNCS = ("plan_to_graph", "plan_graph", "build_graph", "to_graph", "plan_to_dataset")
_NQUADS_FUNCS = ("plan_to_nquads", "to_nquads", "serialize_nquads")


@lru_cache(maxsize=1)
def graph_hooks() -> tuple[Callable, Callable] | None:
    """``(plan → graph, graph → N-Quads bytes)`` from the RDF layer, or None if absent.

    The benchmark lights up its graph and serialize stages as soon as the RDF layer is
    merged; until then they print n/a instead of timing something else.
    """
    for modname in _GRAPH_MODULES:
        try:
            mod = importlib.import_module(modname)
        except ImportError:
            continue
        build = next((getattr(mod, f) for f in _GRAPH_FUNCS if hasattr(mod, f)), None)
        if build is None:
            continue
        to_nq = next((getattr(mod, f) for f in _NQUADS_FUNCS if hasattr(mod, f)), None)
        return build, (to_nq or _nquads)
    return None


def peak_rss_mib() -> float:
    """Peak resident memory of this process in MiB.

    ``VmHWM`` from ``/proc`` where there is one: unlike ``getrusage``'s ``ru_maxrss`` it
    starts afresh at ``exec``, so a child does not report the peak of the process it was
    forked from. Elsewhere, ``ru_maxrss`` (KiB on Linux, bytes on macOS).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    import sys

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024


def _nquads(graph) -> bytes:
    """N-Quads of an rdflib Graph or Dataset (N-Triples is N-Quads in the default graph)."""
    fmt = "nquads" if getattr(graph.store, "context_aware", False) else "nt"
    data = graph.serialize(format=fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode()


def _count(graph) -> int:
    try:
        return len(graph)
    except TypeError:
        return 0


def _install_segment_timer() -> None:
    import graph_builder.extract.assemble as assemble

    if getattr(assemble.parse_outline, "_bench_timed", False):
        return
    inner = assemble.parse_outline

    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            _segment_time[0] += time.perf_counter() - t

    timed._bench_timed = True
    assemble.parse_outline = timed


def run_document(path: str, keep_nquads: bool = True) -> DocStats:
    """Run ``path`` through every stage; times per stage in seconds."""
    from graph_builder.export.json_export import plan_to_dict
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import read_input

    _install_segment_timer()
    times: dict[str, float | None] = dict.fromkeys(STAGES)
    stats: DocStats = {"source": path, "times": times, "triples": None, "nquads": b""}
    if not _warm:
        # Building the spaCy pipeline and loading the vocabularies happens once per process;
        # it is reported as start-up, not charged to the first document's stages.
        t = time.perf_counter()
        _warm.append(True)
        run_document(path, keep_nquads=False)
        stats["startup"] = time.perf_counter() - t
    cpu0 = time.process_time()
    try:
        t = time.perf_counter()
        src = read_input(path)
        times["read"] = time.perf_counter() - t
        stats["bytes"] = len(src.text.encode("utf-8"))
        _segment_time[0] = 0.0
        t = time.perf_counter()
        plan = extract_plan(src)
        total = time.perf_counter() - t
        times["segment"] = _segment_time[0]
        times["extract"] = total - _segment_time[0]
        stats["measures"] = len(plan.measures)
        t = time.perf_counter()
        json.dumps(plan_to_dict(plan), ensure_ascii=False)
        times["json"] = time.perf_counter() - t
        hooks = graph_hooks()
        if hooks:
            build, to_nq = hooks
            t = time.perf_counter()
            graph = build(plan)
            times["graph"] = time.perf_counter() - t
            stats["triples"] = _count(graph)
            t = time.perf_counter()
            data = to_nq(graph)
            times["serialize"] = time.perf_counter() - t
            if keep_nquads:
                stats["nquads"] = data
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
        stats["error"] = f"{type(exc).__name__}: {exc}"
    stats["cpu"] = time.process_time() - cpu0
    stats["rss_mib"] = peak_rss_mib()
    return stats
