"""One document through every stage, timed: what each benchmark worker runs.

Stages, in the order of the data flow, each the call ``policykg build`` makes:

=========  ==============================================================================
read       ``graph_builder.read.read_input`` (decode, artefact masking)
segment    ``parse_outline`` (chapters, measures, clauses, tables), timed inside the pipeline
extract    the rest of ``extract_plan``: spaCy Doc, preamble, responsibility clauses,
           agency grouping and linking
json       ``plan_json`` (the per-document JSON file the build writes, as bytes)
graph      ``plan_graph(plan, iris, generated_at)``: the document's facts and evidence graphs,
           made into plain lists of triples as the streamed build makes it (``TripleList``), with the
           cycle collector paused as the build pauses it (``cyclic_gc_paused``)
serialize  those triples as sorted N-Quads by pyoxigraph (``graph.oxigraph.nquads``), the
           bytes the build appends to graph.nq
=========  ==============================================================================

The segment stage is timed by wrapping the ``parse_outline`` the pipeline calls, so the
document is parsed once, exactly as ``policykg`` parses it; ``extract`` is the pipeline's time
minus that.
"""

from __future__ import annotations

import time

__all__ = ["STAGES", "DocStats", "run_document", "peak_rss_mib"]

STAGES = ("read", "segment", "extract", "json", "graph", "serialize")

#: {"source", "bytes", "measures", "triples", "nq_bytes", "times": {stage: wall s}, "cpu": s,
#:  "rss_mib", "error", "startup"}
DocStats = dict

_segment_time = [0.0]
_warm: list[bool] = []


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


def _install_segment_timer() -> None:
    """Wrap ``parse_outline`` where the pipeline finds it: the layout component imports it
    from :mod:`graph_builder.segment.structure` when it runs, and
    :mod:`graph_builder.extract.assemble` holds its own name for callers without an outline."""
    import graph_builder.extract.assemble as assemble
    import graph_builder.segment.structure as structure

    if getattr(structure.parse_outline, "_bench_timed", False):
        return
    inner = structure.parse_outline

    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            _segment_time[0] += time.perf_counter() - t

    timed._bench_timed = True
    structure.parse_outline = timed
    assemble.parse_outline = timed


def run_document(path: str) -> DocStats:
    """Run ``path`` through every stage; times per stage in seconds."""
    from graph_builder.export.json_export import plan_json
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.graph.iris import Iris
    from graph_builder.graph.oxigraph import TripleList, cyclic_gc_paused, nquads
    from graph_builder.graph.rdf import build_time, plan_graph
    from graph_builder.read import read_input

    _install_segment_timer()
    times: dict[str, float | None] = dict.fromkeys(STAGES)
    stats: DocStats = {"source": path, "times": times, "triples": None}
    if not _warm:
        # Building the spaCy pipeline and loading the vocabularies happens once per process;
        # it is reported as start-up, not charged to the first document's stages.
        t = time.perf_counter()
        _warm.append(True)
        run_document(path)
        stats["startup"] = time.perf_counter() - t
    iris, generated_at = Iris(), build_time()
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
        plan_json(plan)
        times["json"] = time.perf_counter() - t
        with cyclic_gc_paused():  # as document_nquads maps and writes in the build
            t = time.perf_counter()
            facts, evidence = TripleList(), TripleList()
            plan_graph(plan, iris, generated_at, facts, evidence)
            times["graph"] = time.perf_counter() - t
            t = time.perf_counter()
            data = nquads(facts, iris.plan_graph(plan))
            ev = nquads(evidence, iris.evidence_graph(iris.plan_key(plan)))
            times["serialize"] = time.perf_counter() - t
        stats["triples"] = data.count(b"\n")  # the facts graph: what graph.nq holds
        stats["evidence_triples"] = ev.count(b"\n")  # the evidence graph: evidence.nq
        stats["nq_bytes"] = len(data) + len(ev)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
        stats["error"] = f"{type(exc).__name__}: {exc}"
    stats["cpu"] = time.process_time() - cpu0
    stats["rss_mib"] = peak_rss_mib()
    return stats
