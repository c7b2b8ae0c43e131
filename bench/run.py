"""``make bench``: how fast and how big, per stage, as the corpus grows.

Builds synthetic corpora (see :mod:`synth`; timing only) of each size in ``BENCH_SIZES``
(default 100,1000,10000) and, for each, measures in a fresh process:

* the streamed pipeline with ``--jobs`` workers: per-stage time (read, segment, extract,
  json, graph, serialize; see :mod:`stages`), documents/s, MB/s, triples/s, wall time and
  peak resident memory of the parent and of the largest worker; N-Quads are appended to one
  file per corpus as each document arrives, and loaded into the embedded store (pyoxigraph)
  when the RDF layer provides them;
* ``policykg build --jobs N`` itself, end to end (skip with ``BENCH_CLI=0``);

then compares, on the seed plans and a synthetic sample, the pipeline's cost per document
with a bare ``jieba.lcut`` of the same text, and rdflib's Turtle serializer with
pyoxigraph's. Each measurement runs in its own process so peak memory is that run's alone.

Environment: ``BENCH_SIZES`` (e.g. ``100,1000``), ``BENCH_JOBS`` (default 2),
``BENCH_DIR`` (default: a folder under the system temp dir, kept for re-runs),
``BENCH_CLI`` (1/0). Not a test: nothing here asserts a time.
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

from stages import STAGES, graph_hooks, peak_rss_mib, run_document  # noqa: E402
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


def measure(corpus: Path, jobs: int, out: Path) -> dict:
    """The streamed pipeline over ``corpus``; runs in its own process (``--measure``)."""
    from graph_builder.build import Progress
    from graph_builder.parallel import imap_ordered

    names = sorted(str(p) for p in corpus.glob("*.txt"))
    out.mkdir(parents=True, exist_ok=True)
    nq_path = out / "corpus.nq"
    sums = dict.fromkeys(STAGES, 0.0)
    seen = dict.fromkeys(STAGES, 0)
    agg = {"docs": 0, "bytes": 0, "measures": 0, "triples": 0, "errors": [], "nq_bytes": 0}
    startup: list[float] = []
    worker_rss = 0.0
    bar = Progress(len(names))
    cpu_docs = 0.0
    j0, c0 = _cpu_jiffies(), _own_cpu()
    start = time.perf_counter()
    with open(nq_path, "wb") as nq:
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
            for k, v in st["times"].items():
                if v is not None:
                    sums[k] += v
                    seen[k] += 1
            if st["nquads"]:
                nq.write(st["nquads"])
                agg["nq_bytes"] += len(st["nquads"])
    wall = time.perf_counter() - start
    result = {
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
    if agg["nq_bytes"]:
        result["store"] = load_store(nq_path, out / "store")
    else:
        nq_path.unlink()
    return result


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
    count = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))
    n_named = int(count["n"].value)
    count = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))
    n_default = int(count["n"].value)
    return {
        "load_s": load,
        "quads": n_named + n_default,
        "count_s": time.perf_counter() - t,
    }


def cli_build(corpus: Path, jobs: int, out: Path) -> dict:
    """``policykg build CORPUS --out OUT --jobs N`` through the real entry point."""
    from graph_builder.cli import main

    j0, c0 = _cpu_jiffies(), _own_cpu()
    start = time.perf_counter()
    status = main(["build", str(corpus), "--out", str(out), "--jobs", str(jobs), "-q"])
    wall = time.perf_counter() - start
    return {
        "status": status,
        "wall": wall,
        "background_cpus": _background_load(j0, _cpu_jiffies(), c0, _own_cpu(), wall),
        "rss_parent_mib": peak_rss_mib(),
        "rss_worker_mib": _children_rss_mib() if jobs > 1 else None,
    }


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
    out["turtle"] = compare_turtle(sample)
    return out


def compare_turtle(sample: list[str]) -> dict | None:
    """The same merged graph through rdflib's Turtle serializer and pyoxigraph's."""
    hooks = graph_hooks()
    if not hooks:
        return None
    import pyoxigraph
    import rdflib

    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import read_input

    build, to_nq = hooks
    merged = rdflib.Graph()
    for path in sample:
        graph = build(extract_plan(read_input(path)))
        if getattr(graph.store, "context_aware", False):  # a Dataset: every named graph
            triples = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
        else:
            triples = graph.triples((None, None, None))
        for triple in triples:
            merged.add(triple)
        for prefix, ns in graph.namespaces():
            merged.bind(prefix, ns, override=False)
    nt = merged.serialize(format="nt", encoding="utf-8")
    ox = list(pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES))
    prefixes = {p: str(ns) for p, ns in merged.namespaces() if p}
    t = time.perf_counter()
    rd = merged.serialize(format="turtle", encoding="utf-8")
    t_rdflib = time.perf_counter() - t
    t = time.perf_counter()
    ox_ttl = pyoxigraph.serialize(ox, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
    t_ox = time.perf_counter() - t
    t = time.perf_counter()
    merged.serialize(format="nt", encoding="utf-8")
    t_rdflib_nt = time.perf_counter() - t
    t = time.perf_counter()
    pyoxigraph.serialize(ox, format=pyoxigraph.RdfFormat.N_TRIPLES)
    t_ox_nt = time.perf_counter() - t
    return {
        "triples": len(merged),
        "rdflib_turtle_s": t_rdflib,
        "pyoxigraph_turtle_s": t_ox,
        "rdflib_ntriples_s": t_rdflib_nt,
        "pyoxigraph_ntriples_s": t_ox_nt,
        "rdflib_bytes": len(rd),
        "pyoxigraph_bytes": len(ox_ttl),
    }


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


def report(runs: list[dict], builds: dict, cmp: dict, jobs: int) -> str:
    lines = []
    first = runs[0]
    lines.append(
        f"policykg benchmark: synthetic corpora {MARKER} – {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, --jobs {jobs}"
    )
    lines.append("Stage rows: time inside a worker (one core) per document. 'all (wall)': elapsed "
                 "time of the whole run / documents, with every worker; 'all (cpu)': CPU time "
                 "per document. growth: per-document time relative to the smallest corpus. "
                 "MB = 10^6 bytes of UTF-8 text.")  # fmt: skip
    lines.append("")
    head = f"{'docs':>6} {'MB':>6} {'stage':10} {'ms/doc':>8} {'docs/s':>8} {'MB/s':>7} {'triples/s':>10} {'growth':>7}"  # fmt: skip
    lines.append(head)
    lines.append("-" * len(head))

    def row(r, mb, label, total, total0, n0, triples=False):
        n = r["docs"]
        per = total / n if total is not None and n else None
        per0 = total0 / n0 if total0 is not None and n0 else None
        tps = r["triples"] / total if triples and total and r["triples"] else None
        growth = _fmt(per and per0 and per / per0, "6.2f") + ("x" if per else " ")
        return (
            f"{r['size']:6d} {mb:6.1f} {label:10} {_fmt(per and per * 1e3, '8.2f')} "
            f"{_fmt(per and 1 / per, '8.1f')} {_fmt(total and mb / total, '7.2f')} "
            f"{_fmt(tps, '10.0f')} {growth}"
        )

    for r in runs:
        mb, n0 = r["bytes"] / MB, first["docs"]
        for k in STAGES:
            sums, sums0 = r["stage_sums"], first["stage_sums"]
            lines.append(row(r, mb, k, sums[k], sums0[k], n0, k in ("graph", "serialize")))
        lines.append(row(r, mb, "all (cpu)", r["cpu_docs"], first["cpu_docs"], n0, True))
        lines.append(row(r, mb, "all (wall)", r["wall"], first["wall"], n0, True))
        lines.append("")
    lines.append(
        f"{'docs':>6} {'measures':>9} {'triples':>9} {'wall s':>8} {'RSS parent':>11} "
        f"{'RSS worker':>11} {'start-up':>9} {'store load':>11} {'errors':>7} {'other load':>11}"
    )
    for r in runs:
        st = r.get("store")
        bg = r.get("background_cpus")
        lines.append(
            f"{r['size']:6d} {r['measures']:9d} {r['triples']:9d} {r['wall']:8.1f} "
            f"{r['rss_parent_mib']:7.0f} MiB {_fmt(r['rss_worker_mib'], '7.0f')} MiB "
            f"{_fmt(statistics.mean(r['startup']) if r['startup'] else None, '7.1f')} s "
            f"{(format(st['load_s'], '9.1f') + ' s') if st else '        n/a'} {len(r['errors']):7d} "
            f"{_fmt(bg, '6.2f')} CPUs"
        )
    lines.append("start-up: building the spaCy pipeline in a worker; store load: N-Quads bulk-loaded "
                 "into pyoxigraph's on-disk store; other load: CPUs used by other processes on "
                 "the machine during the run (from /proc/stat).")  # fmt: skip
    if builds:
        lines.append("")
        lines.append(f"policykg build --jobs {jobs} (end to end, JSON and every view of the model)")
        lines.append(
            f"{'docs':>6} {'wall s':>8} {'docs/s':>8} {'ms/doc':>8} {'RSS parent':>11} {'RSS worker':>11} {'exit':>5} {'other load':>11}"
        )  # fmt: skip
        for size, b in builds.items():
            n = int(size)
            lines.append(
                f"{n:6d} {b['wall']:8.1f} {n / b['wall']:8.1f} {b['wall'] / n * 1e3:8.2f} "
                f"{b['rss_parent_mib']:8.0f} MiB {_fmt(b['rss_worker_mib'], '8.0f')} MiB {b['status']:5d} "
                f"{_fmt(b.get('background_cpus'), '6.2f')} CPUs"
            )  # fmt: skip
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
    t = cmp.get("turtle")
    lines.append("")
    if t:
        lines.append(
            f"Serializers on the merged graph of the synthetic sample ({t['triples']} triples)"
        )
        lines.append(
            f"  Turtle:    rdflib {t['rdflib_turtle_s']:.3f} s   pyoxigraph {t['pyoxigraph_turtle_s']:.3f} s"
            f"   ({t['rdflib_turtle_s'] / max(t['pyoxigraph_turtle_s'], 1e-9):.1f}x)"
        )
        lines.append(f"  N-Triples: rdflib {t['rdflib_ntriples_s']:.3f} s   pyoxigraph {t['pyoxigraph_ntriples_s']:.3f} s"
                     f"   ({t['rdflib_ntriples_s'] / max(t['pyoxigraph_ntriples_s'], 1e-9):.1f}x)")  # fmt: skip
    else:
        lines.append(
            "Serializers (rdflib vs pyoxigraph Turtle): n/a – no RDF layer (graph_builder.graph.rdf) yet"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--measure", metavar="CORPUS", help=argparse.SUPPRESS)
    ap.add_argument("--cli-build", metavar="CORPUS", help=argparse.SUPPRESS)
    ap.add_argument("--compare", metavar="CORPUS", help=argparse.SUPPRESS)
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
        print(json.dumps(measure(Path(args.measure), args.jobs, Path(args.out))))
        return 0
    if args.cli_build:
        print(json.dumps(cli_build(Path(args.cli_build), args.jobs, Path(args.out))))
        return 0
    if args.generate:
        write_corpus(Path(args.generate), args.n, SEEDS)
        print(json.dumps({"generated": args.n}))
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
        runs.append(
            _child(
                "--measure", str(corpus), "--jobs", str(args.jobs), "--out", str(root / f"out-{n}")
            )
        )
        print(f"[bench] pipeline over {n}: {runs[-1]['wall']:.1f} s", file=sys.stderr)
        if os.environ.get("BENCH_CLI", "1") != "0":
            builds[str(n)] = _child(
                "--cli-build",
                str(corpus),
                "--jobs",
                str(args.jobs),
                "--out",
                str(root / f"build-{n}"),
            )
            print(
                f"[bench] policykg build over {n}: {builds[str(n)]['wall']:.1f} s", file=sys.stderr
            )
    cmp = _child("--compare", str(root / f"corpus-{sizes[0]}"))
    print(report(runs, builds, cmp, args.jobs))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"runs": runs, "builds": builds, "compare": cmp}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
