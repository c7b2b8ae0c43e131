"""``make bench``: how fast and how big, per stage, as the corpus grows.

Builds synthetic corpora (see :mod:`synth`; timing only) of each size in ``BENCH_SIZES``
(default 100,1000,10000) and, for each, measures in a fresh process:

* the pipeline with ``--jobs`` workers, stage by stage (read, segment, extract, json, graph,
  serialize; see :mod:`stages`): documents/s, MB of text/s, triples/s, wall time and peak
  resident memory of the parent and of the largest worker;
* ``policykg build CORPUS --jobs N --formats json,nq`` end to end, as a user runs it, and the
  same with ``--store DIR`` (skip both with ``BENCH_CLI=0``): wall time, peak memory of the
  parent and the workers, the named graphs in the store; and the streamed graph.nq
  bulk-loaded into a fresh embedded store (``pyoxigraph.Store(path).bulk_load``), timed and
  counted;

then compares, on the seed plans and a synthetic sample, the pipeline's cost per document
with a bare ``jieba.lcut`` of the same text, and, on the same sample graphs, rdflib's Turtle
serializer with pyoxigraph's (and rdflib's N-Triples with the build's pyoxigraph N-Quads).
Each measurement runs in its own process so peak memory is that run's alone.

The report ends with the goals checked (PASS/FAIL): 10,000 plans end to end in under 10
minutes, peak memory under 2 GiB, time per document within 1.5x from the smallest corpus to
the largest, the pipeline within 5x of a bare jieba pass.

Environment: ``BENCH_SIZES`` (e.g. ``100,1000``), ``BENCH_JOBS`` (default 2),
``BENCH_VARIANTS`` (``files``, ``store`` or both, the default),
``BENCH_DIR`` (default: a folder under the system temp dir; corpora are kept for re-runs,
build outputs are deleted after measuring unless ``BENCH_KEEP=1``: 10,000 plans make about
20 GB of N-Quads and twice that in stores), ``BENCH_CLI`` (1/0). Not a test: nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from stages import STAGES, peak_rss_mib, run_document  # noqa: E402
from synth import MARKER, write_corpus  # noqa: E402

SEEDS = sorted(glob.glob(str(REPO / "corpus" / "*.txt")))
MB = 1e6


def _children_rss_mib() -> float:
    """Largest peak RSS of the reaped worker processes (KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) jiffies of the whole machine, from /proc/stat (Linux only)."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields[:8]) - idle, sum(fields[:8])


def _own_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _background_load(j0, j1, cpu0: float, cpu1: float, wall: float) -> float | None:
    """CPUs' worth of work by other processes during the run (other users of the machine)."""
    if not j0 or not j1 or wall <= 0:
        return None
    hz = os.sysconf("SC_CLK_TCK")
    busy = (j1[0] - j0[0]) / hz
    return max(busy - (cpu1 - cpu0), 0.0) / wall


def _crashed(path: str) -> dict:
    return {"source": path, "times": dict.fromkeys(STAGES), "error": "worker died"}


# --------------------------------------------------------------------------- one corpus run


def measure(corpus: Path, jobs: int) -> dict:
    """The pipeline over ``corpus``, stage by stage; runs in its own process (``--measure``)."""
    from graph_builder.batch import Progress
    from graph_builder.parallel import imap_ordered

    names = sorted(str(p) for p in corpus.glob("*.txt"))
    sums = dict.fromkeys(STAGES, 0.0)
    seen = dict.fromkeys(STAGES, 0)
    agg = {"docs": 0, "bytes": 0, "measures": 0, "triples": 0, "evidence_triples": 0,
           "errors": [], "nq_bytes": 0}  # fmt: skip
    startup: list[float] = []
    worker_rss = 0.0
    bar = Progress(len(names))
    cpu_docs = 0.0
    j0, c0 = _cpu_jiffies(), _own_cpu()
    start = time.perf_counter()
    for st in imap_ordered(run_document, names, jobs, on_crash=_crashed):
        bar.step()
        if "startup" in st:
            startup.append(st["startup"])
        worker_rss = max(worker_rss, st.get("rss_mib", 0.0))
        if st.get("error"):
            agg["errors"].append(f"{st['source']}: {st['error']}")
            continue
        agg["docs"] += 1
        cpu_docs += st["cpu"]
        agg["bytes"] += st["bytes"]
        agg["measures"] += st["measures"]
        agg["triples"] += st["triples"] or 0
        agg["evidence_triples"] += st.get("evidence_triples") or 0
        agg["nq_bytes"] += st.get("nq_bytes", 0)
        for k, v in st["times"].items():
            if v is not None:
                sums[k] += v
                seen[k] += 1
    wall = time.perf_counter() - start
    return {
        "cpu_docs": cpu_docs,
        "background_cpus": _background_load(j0, _cpu_jiffies(), c0, _own_cpu(), wall),
        "size": len(names),
        "jobs": jobs,
        "wall": wall,
        "stage_sums": {k: (sums[k] if seen[k] else None) for k in STAGES},
        "startup": startup,
        "rss_parent_mib": peak_rss_mib(),
        "rss_worker_mib": worker_rss if jobs > 1 else None,
        **agg,
    }


def load_store(nq_path: Path, store_dir: Path) -> dict:
    """Bulk-load the N-Quads into pyoxigraph's on-disk store and count what arrived."""
    import shutil

    import pyoxigraph

    shutil.rmtree(store_dir, ignore_errors=True)
    t = time.perf_counter()
    store = pyoxigraph.Store(str(store_dir))
    store.bulk_load(path=str(nq_path), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    load = time.perf_counter() - t
    t = time.perf_counter()
    counts = _count_store(store)
    return {"load_s": load, **counts, "count_s": time.perf_counter() - t}


def _count_store(store) -> dict:
    """Quads and named graphs in a store (the default graph should be empty)."""
    count = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))
    n_named = int(count["n"].value)
    count = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))
    return {
        "quads": n_named,
        "default_graph_triples": int(count["n"].value),
        "graphs": sum(1 for _ in store.named_graphs()),
    }


#: The two ways ``policykg build`` is timed: the streamed files alone, and with the store.
VARIANTS = {"files": "--formats json,nq", "store": "--formats json,nq --store DIR"}


def _variants() -> list[str]:
    """``BENCH_VARIANTS`` (default: both), e.g. ``files`` to skip the slower store build."""
    wanted = os.environ.get("BENCH_VARIANTS", ",".join(VARIANTS)).split(",")
    unknown = [v for v in wanted if v.strip() not in VARIANTS]
    if unknown:
        raise SystemExit(f"BENCH_VARIANTS: unknown {unknown}; choose from {list(VARIANTS)}")
    return [v.strip() for v in wanted]


def cli_build(corpus: Path, jobs: int, out: Path, variant: str) -> dict:
    """``policykg build CORPUS --out OUT --jobs N --formats json,nq [--store OUT/store]``
    through the real entry point. Then, for ``files``, graph.nq is bulk-loaded into a fresh
    store (timed); for ``store``, the store is counted. Outputs are deleted afterwards."""
    import shutil

    import pyoxigraph

    from graph_builder.cli import main

    shutil.rmtree(out, ignore_errors=True)
    store_dir = out / "store"
    argv = ["build", str(corpus), "--out", str(out), "--jobs", str(jobs)]
    argv += ["--formats", "json,nq", "-q"]
    if variant == "store":
        argv += ["--store", str(store_dir)]
    j0, c0 = _cpu_jiffies(), _own_cpu()
    start = time.perf_counter()
    status = main(argv)
    wall = time.perf_counter() - start
    result = {
        "status": status,
        "wall": wall,
        "background_cpus": _background_load(j0, _cpu_jiffies(), c0, _own_cpu(), wall),
        "rss_parent_mib": peak_rss_mib(),
        "rss_worker_mib": _children_rss_mib() if jobs > 1 else None,
        "nq_bytes": (out / "graph.nq").stat().st_size,
        "json_files": sum(1 for _ in (out / "json").glob("*.json")),
    }
    if variant == "store":
        store = pyoxigraph.Store.read_only(str(store_dir))
        result["store"] = _count_store(store)
        result["store_bytes"] = sum(p.stat().st_size for p in store_dir.rglob("*") if p.is_file())
        del store
    else:
        result["bulk"] = load_store(out / "graph.nq", out / "bulk-store")
    if os.environ.get("BENCH_KEEP") != "1":
        shutil.rmtree(out)
    return result


def incremental_build(corpus: Path, jobs: int, work: Path) -> dict:
    """``policykg build --incremental`` of a copy of ``corpus``, then one plan changed and
    the build run again: the second build's wall time, the plans it reused and extracted."""
    import shutil

    from graph_builder.export.stream import build

    shutil.rmtree(work, ignore_errors=True)
    src = work / "plans"
    shutil.copytree(corpus, src)
    out = work / "out"
    t = time.perf_counter()
    first = build([str(src)], out, "json,nq", jobs=jobs, progress=False, incremental=True)
    full = time.perf_counter() - t
    changed = sorted(src.glob("*.txt"))[len(first._documents) // 2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n。\n", encoding="utf-8")
    t = time.perf_counter()
    again = build([str(src)], out, "json,nq", jobs=jobs, progress=False, incremental=True)
    wall = time.perf_counter() - t
    docs = len(again._documents)
    if os.environ.get("BENCH_KEEP") != "1":
        shutil.rmtree(work)
    return {"docs": docs, "full_s": full, "wall": wall, "reused": again.reused,
            "extracted": docs - again.reused}  # fmt: skip


def dask_build(corpus: Path, work: Path) -> dict:
    """``policykg build --cluster`` on a local Dask cluster of two worker processes, and the
    same corpus with ``--jobs 1``: times, and whether every output file is byte-identical."""
    import shutil

    from distributed import LocalCluster

    from graph_builder.cli import main

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    shutil.rmtree(work, ignore_errors=True)
    common = ["--formats", "json,nq", "-q"]
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster:  # fmt: skip
        t = time.perf_counter()
        status = main(["build", str(corpus), "--out", str(work / "dask"),
                       "--cluster", cluster.scheduler_address, *common])  # fmt: skip
        wall = time.perf_counter() - t
    t = time.perf_counter()
    main(["build", str(corpus), "--out", str(work / "one"), "--jobs", "1", *common])
    one_s = time.perf_counter() - t

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes()
                for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip

    a, b = files(work / "dask"), files(work / "one")
    same = a == b
    docs = sum(1 for n in a if n.startswith("json/"))
    if os.environ.get("BENCH_KEEP") != "1":
        shutil.rmtree(work)
    return {"docs": docs, "wall": wall, "jobs1_s": one_s, "identical": same, "status": status,
            "files": len(a)}  # fmt: skip


# --------------------------------------------------------------------------- comparisons


def _per_doc(fn, items, repeat: int) -> float:
    """Best of ``repeat`` passes, in seconds per item."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for x in items:
            fn(x)
        best = min(best, time.perf_counter() - t)
    return best / len(items)


def compare(sample: list[str]) -> dict:
    """Pipeline versus bare jieba per document; rdflib versus pyoxigraph Turtle."""
    import jieba

    from graph_builder.extract.pipeline import extract_plan, make_nlp
    from graph_builder.read import read_input

    jieba.setLogLevel(60)
    jieba.initialize()
    out: dict = {}
    for label, paths in (("seed", SEEDS), ("synthetic", sample)):
        srcs = [read_input(p) for p in paths]
        texts = [s.text for s in srcs]
        for s in srcs:  # warm: pipelines built, vocabularies loaded, jieba's dictionary in
            extract_plan(s)
            extract_plan(s, "jieba")
            jieba.lcut(s.text)
        nlp = make_nlp("char")
        repeat = 5 if len(paths) < 20 else 2
        row = {
            "docs": len(paths),
            "chars_per_doc": statistics.mean(len(t) for t in texts),
            "jieba_lcut": _per_doc(jieba.lcut, texts, repeat),
            "spacy_make_doc": _per_doc(nlp.make_doc, texts, repeat),
            "pipeline_char": _per_doc(extract_plan, srcs, repeat),
            "pipeline_jieba": _per_doc(lambda s: extract_plan(s, "jieba"), srcs, repeat),
        }
        out[label] = row
    out["serializers"] = compare_serializers([*SEEDS, *sample[:20]])
    return out


def compare_serializers(sample: list[str]) -> dict:
    """rdflib's and pyoxigraph's serializers on the same document graphs, per document.

    Each sample plan's named graph is built once as an rdflib graph (``plan_graph``) and once
    as pyoxigraph Triples (the same terms converted, timed apart); then Turtle by each
    library, rdflib's N-Triples, and the sorted N-Quads the build writes (``nquads``: each
    term written by pyoxigraph, from the rdflib terms). Best of three passes.
    """
    import pyoxigraph as ox

    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.graph.iris import Iris
    from graph_builder.graph.oxigraph import nquads, ox_term
    from graph_builder.graph.rdf import bind_prefixes, build_time, plan_graph
    from graph_builder.read import read_input

    iris, when = Iris(), build_time()
    graphs, names = [], []
    for path in sample:
        plan = extract_plan(read_input(path))
        g = plan_graph(plan, iris, when)
        bind_prefixes(g, iris)
        graphs.append(g)
        names.append(iris.plan_graph(plan))
    prefixes = {p: str(ns) for p, ns in graphs[0].namespaces() if p}

    def to_ox(g):
        return [ox.Triple(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in g]

    oxs = [to_ox(g) for g in graphs]
    tasks = {
        "rdflib_turtle": lambda i: graphs[i].serialize(format="turtle", encoding="utf-8"),
        "pyoxigraph_turtle": lambda i: ox.serialize(
            oxs[i], format=ox.RdfFormat.TURTLE, prefixes=prefixes
        ),
        "rdflib_ntriples": lambda i: graphs[i].serialize(format="nt", encoding="utf-8"),
        "pyoxigraph_nquads": lambda i: nquads(graphs[i], names[i]),
        "convert_to_pyoxigraph": lambda i: to_ox(graphs[i]) and b"",  # no output: 0 bytes
    }
    out: dict = {"docs": len(graphs), "triples": sum(len(g) for g in graphs)}
    for name, fn in tasks.items():
        best, size = float("inf"), 0
        for _ in range(3):
            t = time.perf_counter()
            size = sum(len(fn(i)) for i in range(len(graphs)))
            best = min(best, time.perf_counter() - t)
        out[name] = {"s": best, "bytes": size}
    return out


# --------------------------------------------------------------------------- driver


def _child(*args: str) -> dict:
    """Run this script in a fresh process and read the JSON it prints last."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _fmt(x: float | None, spec: str) -> str:
    if x is None:
        width = spec.split(".")[0]
        return format("n/a", f">{width}") if width.isdigit() else "n/a"
    return format(x, spec)


def _growth(per: float | None, per0: float | None) -> str:
    return _fmt(per and per0 and per / per0, "6.2f") + ("x" if per and per0 else " ")


def report(runs: list[dict], builds: dict, cmp: dict, jobs: int, extra: dict | None = None) -> str:
    lines = []
    first = runs[0]
    lines.append(
        f"policykg benchmark: synthetic corpora {MARKER} – {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, --jobs {jobs}"
    )
    lines.append("Stage rows: time inside a worker (one core) per document. 'all (wall)': elapsed "
                 "time of the whole run / documents, with every worker; 'all (cpu)': CPU time "
                 "per document. growth: per-document time relative to the smallest corpus. "
                 "MB = 10^6 bytes of UTF-8 text; triples/s: distinct triples of the documents' "
                 "named graphs per second of that stage.")  # fmt: skip
    lines.append("")
    head = f"{'docs':>6} {'MB':>6} {'stage':10} {'ms/doc':>8} {'docs/s':>8} {'MB/s':>7} {'triples/s':>10} {'growth':>7}"  # fmt: skip
    lines.append(head)
    lines.append("-" * len(head))

    def row(r, mb, label, total, total0, n0):
        n = r["docs"]
        per = total / n if total is not None and n else None
        per0 = total0 / n0 if total0 is not None and n0 else None
        tps = r["triples"] / total if total and r["triples"] else None
        return (
            f"{r['size']:6d} {mb:6.1f} {label:10} {_fmt(per and per * 1e3, '8.2f')} "
            f"{_fmt(per and 1 / per, '8.1f')} {_fmt(total and mb / total, '7.2f')} "
            f"{_fmt(tps, '10.0f')} {_growth(per, per0)}"
        )

    for r in runs:
        mb, n0 = r["bytes"] / MB, first["docs"]
        for k in STAGES:
            sums, sums0 = r["stage_sums"], first["stage_sums"]
            lines.append(row(r, mb, k, sums[k], sums0[k], n0))
        lines.append(row(r, mb, "all (cpu)", r["cpu_docs"], first["cpu_docs"], n0))
        lines.append(row(r, mb, "all (wall)", r["wall"], first["wall"], n0))
        lines.append("")
    lines.append(
        f"{'docs':>6} {'measures':>9} {'triples':>10} {'N-Quads':>9} {'wall s':>8} "
        f"{'RSS parent':>11} {'RSS worker':>11} {'start-up':>9} {'errors':>7} {'other load':>11}"
    )
    for r in runs:
        lines.append(
            f"{r['size']:6d} {r['measures']:9d} {r['triples']:10d} "
            f"{r['nq_bytes'] / 1e9:6.2f} GB {r['wall']:8.1f} "
            f"{r['rss_parent_mib']:7.0f} MiB {_fmt(r['rss_worker_mib'], '7.0f')} MiB "
            f"{_fmt(statistics.mean(r['startup']) if r['startup'] else None, '7.1f')} s "
            f"{len(r['errors']):7d} {_fmt(r.get('background_cpus'), '6.2f')} CPUs"
        )
    lines.append("start-up: building the spaCy pipeline in a worker; other load: CPUs used by "
                 "other processes on the machine during the run (from /proc/stat): figures "
                 "taken while it is high are slower than the machine can do.")  # fmt: skip
    if builds:
        lines.append("")
        lines.append(f"policykg build CORPUS --jobs {jobs} ... end to end: extraction, JSON and "
                     "graph.nq (and the store) written as each document arrives")  # fmt: skip
        lines.append(
            f"{'docs':>6} {'options':30} {'wall s':>8} {'docs/s':>7} {'ms/doc':>7} {'growth':>7} "
            f"{'MB/s':>6} {'triples/s':>10} {'RSS parent':>11} {'RSS worker':>11} {'graphs':>7} "
            f"{'exit':>4} {'other load':>11}"
        )
        run_of = {str(r["size"]): r for r in runs}
        for variant, label in VARIANTS.items():
            done = {n: b[variant] for n, b in builds.items() if variant in b}
            if not done:
                continue
            size0 = min(done, key=int)
            per0 = done[size0]["wall"] / int(size0)
            for size, b in done.items():
                n, r = int(size), run_of.get(size)
                mb = r["bytes"] / MB if r else None
                graphs = b["store"]["graphs"] if "store" in b else None
                lines.append(
                    f"{n:6d} {label:30} {b['wall']:8.1f} {n / b['wall']:7.1f} "
                    f"{b['wall'] / n * 1e3:7.1f} {_growth(b['wall'] / n, per0)} "
                    f"{_fmt(mb and mb / b['wall'], '6.2f')} "
                    f"{_fmt(r and r['triples'] / b['wall'], '10.0f')} "
                    f"{b['rss_parent_mib']:7.0f} MiB {_fmt(b['rss_worker_mib'], '7.0f')} MiB "
                    f"{_fmt(graphs, '7.0f')} {b['status']:4d} "
                    f"{_fmt(b.get('background_cpus'), '6.2f')} CPUs"
                )
        lines.append(
            "graphs: named graphs in the store afterwards (documents + the ontology graph)."
        )
        bulk = {n: b["files"]["bulk"] for n, b in builds.items() if "files" in b}
        if bulk:
            lines.append("")
            lines.append("The streamed graph.nq bulk-loaded into a fresh embedded store "
                         "(pyoxigraph Store(path).bulk_load)")  # fmt: skip
            lines.append(f"{'docs':>6} {'N-Quads':>9} {'load s':>8} {'quads':>11} {'quads/s':>9} "
                         f"{'graphs':>7} {'count s':>8}")  # fmt: skip
            for size, k in bulk.items():
                nq = builds[size]["files"]["nq_bytes"]
                lines.append(
                    f"{int(size):6d} {nq / 1e9:6.2f} GB {k['load_s']:8.1f} "
                    f"{k['quads']:11d} {k['quads'] / k['load_s']:9.0f} {k['graphs']:7d} "
                    f"{k['count_s']:8.1f}"
                )
    lines.append("")
    lines.append("What the pipeline costs over the floor (one process, best of several passes)")
    lines.append(
        f"{'sample':10} {'docs':>5} {'chars':>7} {'jieba.lcut':>11} {'spaCy doc':>10} "
        f"{'pipeline':>10} {'pipe+jieba':>11} {'pipeline/jieba':>15}"
    )
    for label in ("seed", "synthetic"):
        c = cmp[label]
        lines.append(
            f"{label:10} {c['docs']:5d} {c['chars_per_doc']:7.0f} "
            f"{c['jieba_lcut'] * 1e3:8.2f} ms {c['spacy_make_doc'] * 1e3:7.2f} ms "
            f"{c['pipeline_char'] * 1e3:7.2f} ms {c['pipeline_jieba'] * 1e3:8.2f} ms "
            f"{c['pipeline_char'] / c['jieba_lcut']:14.2f}x"
        )
    t = cmp["serializers"]
    lines.append("")
    lines.append(f"Serializers on the same document graphs ({t['docs']} documents: the seeds and "
                 f"synthetic ones; {t['triples'] / t['docs']:.0f} triples each on average; "
                 "best of 3)")  # fmt: skip
    lines.append(f"{'serializer':44} {'ms/doc':>8} {'MB/s':>7} {'MB out':>7}")
    labels = {
        "rdflib_turtle": "rdflib Graph.serialize('turtle')",
        "pyoxigraph_turtle": "pyoxigraph serialize(TURTLE)",
        "rdflib_ntriples": "rdflib Graph.serialize('nt')",
        "pyoxigraph_nquads": "N-Quads lines by pyoxigraph, sorted (build)",
        "convert_to_pyoxigraph": "rdflib terms → pyoxigraph Triples",
    }
    for key, label in labels.items():
        x = t[key]
        lines.append(
            f"{label:44} {x['s'] / t['docs'] * 1e3:8.2f} "
            f"{_fmt(x['bytes'] and x['bytes'] / MB / x['s'], '7.1f')} "
            f"{_fmt(x['bytes'] and x['bytes'] / MB, '7.1f')}"
        )
    r, o = t["rdflib_turtle"]["s"], t["pyoxigraph_turtle"]["s"]
    c = t["convert_to_pyoxigraph"]["s"]
    lines.append(f"Turtle: pyoxigraph is {r / max(o, 1e-9):.1f}x faster than rdflib on the same "
                 f"graph, {r / max(o + c, 1e-9):.1f}x counting the conversion of rdflib's terms "
                 "into pyoxigraph Triples (last line).")  # fmt: skip
    extra = extra or {}
    lines.append("")
    lines.append("Lean graph: triples per plan in the default graph (graph.nq: the facts) and in "
                 "the evidence graph (evidence.nq, --provenance compact)")  # fmt: skip
    lines.append(f"{'docs':>6} {'facts/plan':>11} {'evidence/plan':>14}")
    for r in runs:
        n = max(r["docs"], 1)
        lines.append(f"{r['size']:6d} {r['triples'] / n:11.0f} "
                     f"{r.get('evidence_triples', 0) / n:14.0f}")  # fmt: skip
    if "incremental" in extra:
        x = extra["incremental"]
        lines.append("")
        lines.append(f"Incremental rebuild (--incremental, --jobs {jobs}, --formats json,nq): "
                     f"{x['docs']} plans, one changed")  # fmt: skip
        lines.append(f"  full build {x['full_s']:.1f} s; rebuild {x['wall']:.1f} s: "
                     f"{x['reused']} reused, {x['extracted']} extracted")  # fmt: skip
    if "dask" in extra:
        x = extra["dask"]
        lines.append("")
        lines.append("Dask: policykg build --cluster on a LocalCluster of 2 worker processes "
                     "(--formats json,nq)")  # fmt: skip
        lines.append(f"  {x['docs']} plans in {x['wall']:.1f} s ({x['docs'] / x['wall']:.1f} "
                     f"plans/s); --jobs 1 took {x['jobs1_s']:.1f} s; outputs "
                     f"{'byte-identical' if x['identical'] else 'DIFFERENT'} "
                     f"({x['files']} files)")  # fmt: skip
    lines.append("")
    lines += goals(builds, cmp, jobs, runs, extra)
    return "\n".join(lines)


#: The goals the benchmark checks (issue "Scale out"): for 10,000 plans with --jobs 2.
GOAL_WALL_S = 240
GOAL_PEAK_MIB = 1024
GOAL_GROWTH = 1.2
GOAL_OVER_JIEBA = 2.0
GOAL_TRIPLES = 3000
GOAL_BULK_S = 240
GOAL_INCREMENTAL_S = 10
#: Corpus sizes of the incremental and Dask rows (``BENCH_INCREMENTAL=0`` / ``BENCH_DASK=0``
#: skip them).
INCREMENTAL_SIZE = int(os.environ.get("BENCH_INCREMENTAL_SIZE", "1000"))
DASK_SIZE = int(os.environ.get("BENCH_DASK_SIZE", "1000"))


def goals(
    builds: dict, cmp: dict, jobs: int, runs: list[dict] | None = None, extra: dict | None = None
) -> list[str]:
    """The goals against the figures of ``policykg build --formats json,nq`` (end to end).

    Peak memory is counted as the parent's peak plus ``jobs`` times the largest worker's: an
    upper bound on what the run held at once.
    """
    runs, extra = runs or [], extra or {}
    lines = [f"Goals (end to end: policykg build --jobs {jobs} --formats json,nq)"]

    def check(ok: bool | None, text: str) -> None:
        mark = "n/a " if ok is None else ("PASS" if ok else "FAIL")
        lines.append(f"  {mark}  {text}")

    files = {int(n): b["files"] for n, b in builds.items() if "files" in b}
    if files:
        big, small = max(files), min(files)
        b = files[big]
        note = "" if big >= 10_000 else f" (goal stated for 10,000; largest run: {big:,})"
        check(
            b["wall"] < GOAL_WALL_S, f"{big:,} plans in {b['wall']:.0f} s < {GOAL_WALL_S} s{note}"
        )
        peak = b["rss_parent_mib"] + jobs * (b["rss_worker_mib"] or 0)
        check(peak < GOAL_PEAK_MIB, f"peak memory {peak:.0f} MiB < {GOAL_PEAK_MIB} MiB "
              f"(parent {b['rss_parent_mib']:.0f} + {jobs} x worker "
              f"{b['rss_worker_mib'] or 0:.0f})")  # fmt: skip
        if big > small:
            growth = (b["wall"] / big) / (files[small]["wall"] / small)
            check(growth <= GOAL_GROWTH, f"time per document x{growth:.2f} from {small:,} to "
                  f"{big:,} plans <= x{GOAL_GROWTH}")  # fmt: skip
        else:
            check(None, "time per document growth: needs two corpus sizes")
        if "bulk" in b:
            check(b["bulk"]["load_s"] < GOAL_BULK_S, f"default graph (graph.nq) of {big:,} plans "
                  f"bulk-loaded into an on-disk Oxigraph store in {b['bulk']['load_s']:.0f} s "
                  f"< {GOAL_BULK_S} s{note}")  # fmt: skip
    else:
        check(None, "end-to-end goals: BENCH_CLI=0 skipped policykg build")
    if runs:
        r = max(runs, key=lambda r: r["size"])
        per = r["triples"] / max(r["docs"], 1)
        check(per <= GOAL_TRIPLES, f"{per:.0f} triples per plan in the default graph <= "
              f"{GOAL_TRIPLES} ({r['size']:,} plans; evidence in its own graph)")  # fmt: skip
    over = max(cmp[k]["pipeline_char"] / cmp[k]["jieba_lcut"] for k in ("seed", "synthetic"))
    check(over <= GOAL_OVER_JIEBA, f"pipeline costs x{over:.2f} a bare jieba.lcut per document "
          f"<= x{GOAL_OVER_JIEBA}")  # fmt: skip
    if "incremental" in extra:
        x = extra["incremental"]
        check(x["wall"] < GOAL_INCREMENTAL_S and x["extracted"] == 1,
              f"incremental rebuild of {x['docs']:,} plans with one changed in {x['wall']:.1f} s "
              f"< {GOAL_INCREMENTAL_S} s ({x['extracted']} extracted)")  # fmt: skip
    if "dask" in extra:
        x = extra["dask"]
        check(x["identical"] and x["status"] == 0,
              f"Dask build of {x['docs']:,} plans on a local 2-worker cluster in "
              f"{x['wall']:.0f} s, outputs byte-identical to --jobs 1")  # fmt: skip
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--measure", metavar="CORPUS", help=argparse.SUPPRESS)
    ap.add_argument("--cli-build", metavar="CORPUS", help=argparse.SUPPRESS)
    ap.add_argument("--variant", choices=tuple(VARIANTS), help=argparse.SUPPRESS)
    ap.add_argument("--compare", metavar="CORPUS", help=argparse.SUPPRESS)
    ap.add_argument("--incremental", metavar="CORPUS", help=argparse.SUPPRESS)
    ap.add_argument("--dask", metavar="CORPUS", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--generate", metavar="DIR", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "100,1000,10000"))
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("BENCH_JOBS", "2")))
    ap.add_argument(
        "--dir", default=os.environ.get("BENCH_DIR", str(Path(tempfile.gettempdir()) / "policykg-bench"))
    )  # fmt: skip
    ap.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    args = ap.parse_args(argv)

    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.jobs)))
        return 0
    if args.cli_build:
        print(json.dumps(cli_build(Path(args.cli_build), args.jobs, Path(args.out), args.variant)))
        return 0
    if args.generate:
        write_corpus(Path(args.generate), args.n, SEEDS)
        print(json.dumps({"generated": args.n}))
        return 0
    if args.incremental:
        print(json.dumps(incremental_build(Path(args.incremental), args.jobs, Path(args.out))))
        return 0
    if args.dask:
        print(json.dumps(dask_build(Path(args.dask), Path(args.out))))
        return 0
    if args.compare:
        sample = sorted(str(p) for p in Path(args.compare).glob("*.txt"))[:100]
        print(json.dumps(compare(sample)))
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    root = Path(args.dir)
    runs, builds = [], {}
    for n in sizes:
        corpus = root / f"corpus-{n}"
        t = time.perf_counter()
        _child("--generate", str(corpus), "--n", str(n))
        print(
            f"[bench] corpus of {n}: {time.perf_counter() - t:.1f} s to generate", file=sys.stderr
        )
        runs.append(_child("--measure", str(corpus), "--jobs", str(args.jobs)))
        print(f"[bench] pipeline over {n}: {runs[-1]['wall']:.1f} s", file=sys.stderr)
        if os.environ.get("BENCH_CLI", "1") != "0":
            builds[str(n)] = {}
            for variant in _variants():
                out = root / f"build-{n}"
                got = _child("--cli-build", str(corpus), "--jobs", str(args.jobs),
                             "--out", str(out), "--variant", variant)  # fmt: skip
                builds[str(n)][variant] = got
                print(f"[bench] policykg build {VARIANTS[variant]} over {n}: {got['wall']:.1f} s",
                      file=sys.stderr)  # fmt: skip
    extra = {}
    for name, size in (("incremental", INCREMENTAL_SIZE), ("dask", DASK_SIZE)):
        if os.environ.get(f"BENCH_{name.upper()}", "1") == "0":
            continue
        corpus = root / f"corpus-{size}"
        _child("--generate", str(corpus), "--n", str(size))
        extra[name] = _child(f"--{name}", str(corpus), "--jobs", str(args.jobs),
                             "--out", str(root / f"{name}-{size}"))  # fmt: skip
        print(f"[bench] {name} over {size}: {extra[name]['wall']:.1f} s", file=sys.stderr)
    cmp = _child("--compare", str(root / f"corpus-{sizes[0]}"))
    print(report(runs, builds, cmp, args.jobs, extra))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"runs": runs, "builds": builds, "compare": cmp, **extra}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
