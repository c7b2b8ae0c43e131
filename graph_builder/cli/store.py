"""``policykg serve`` and ``policykg load``: the graph as a SPARQL endpoint or in a store.

The store code and its imports load only when one of these commands runs; the input
options, progress setting and exit codes are :mod:`graph_builder.cli.common`'s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_builder import errors
from graph_builder.cli.common import EXIT_INPUT, EXIT_OK, add_inputs, progress

__all__ = ["add_store_commands", "RDF_SUFFIXES"]

#: File endings read as RDF datasets rather than as plan documents.
RDF_SUFFIXES = (".nq", ".trig", ".ttl", ".nt", ".jsonld", ".rdf")


def add_store_commands(sub) -> None:
    """Register ``serve`` and ``load`` (in that order) on ``sub``."""
    p = sub.add_parser(
        "serve",
        help="serve a graph or store as a SPARQL 1.1 endpoint (read-only, localhost)",
        description="Serve SOURCE over the SPARQL 1.1 Protocol at http://HOST:PORT/sparql, with a "
        "query page at / (YASGUI, bundled: one tab per canned query, result tables, CSV "
        "download; nothing fetched from outside). SOURCE is an on-disk store made by 'policykg build --store DIR', an "
        "RDF file (.nq .trig .ttl .nt .jsonld), or plan documents/folders, which are extracted "
        "first. Results as JSON, XML, CSV or TSV (SELECT/ASK) and Turtle, N-Triples, RDF/XML or "
        "JSON-LD (CONSTRUCT/DESCRIBE) by the Accept header or a format parameter (format=xml is RDF/XML for a graph, as "
        "SPARQLWrapper expects). Safe by default: every query runs in "
        "a worker process stopped at --timeout and --memory-limit; SERVICE (federation) is "
        "refused unless --allow-service; no CORS header unless --cors; the Host header must "
        "name this server; updates are refused unless --allow-update, and then need the token "
        "printed at start ('Authorization: Bearer TOKEN') and the same origin.",
    )
    p.add_argument("source", nargs="*", default=["outputs/graph.nq"], metavar="SOURCE",
                   help="store folder, RDF file or plan inputs (default: outputs/graph.nq)")  # fmt: skip
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p.add_argument(
        "--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)"
    )
    p.add_argument(
        "--allow-update",
        action="store_true",
        help="accept SPARQL UPDATE requests with the bearer token printed at start, from the "
        "same origin only (queries then run one at a time in the one process that may write)",
    )
    p.add_argument("--timeout", type=float, default=10.0, metavar="S",
                   help="time limit of one query or update in seconds (default: 10)")  # fmt: skip
    p.add_argument("--memory-limit", type=int, default=1024, metavar="MB",
                   help="memory limit of one query worker in MB (default: 1024)")  # fmt: skip
    p.add_argument("--workers", type=int, default=2, metavar="N",
                   help="query worker processes, i.e. queries run at once (default: 2)")  # fmt: skip
    p.add_argument("--allow-service", action="append", default=[], metavar="HOST",
                   help="allow SERVICE (federated queries) to HOST or HOST:PORT; repeatable; "
                   "refused by default")  # fmt: skip
    p.add_argument("--cors", action="append", default=[], metavar="ORIGIN",
                   help="send Access-Control-Allow-Origin to this origin (e.g. "
                   "http://localhost:3000); repeatable; none by default")  # fmt: skip
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "load",
        help="push the graph to a store over the SPARQL 1.1 Graph Store Protocol",
        description="PUT one named graph per document (and one for the ontology) to a Graph "
        "Store Protocol endpoint, e.g. http://localhost:7878/store (Oxigraph), "
        "http://localhost:3030/DATASET/data (Fuseki), http://HOST:7200/repositories/REPO/"
        "rdf-graphs/service (GraphDB), http://localhost:8890/sparql-graph-crud-auth (Virtuoso). "
        "PUT replaces a graph, so loading again never duplicates; a graph is named by the "
        "plan's region and title (else its text), so a revised version of a plan replaces "
        "the earlier one and two plans with one file name never do (the count of graphs "
        "replaced is printed). Credentials are read from "
        "GB_STORE_USER and GB_STORE_PASSWORD (basic) or GB_STORE_TOKEN (bearer); a "
        "user:password@ in the URL is used but never printed. Each request has an overall "
        "deadline (--timeout); every network failure is one line with a GB code.",
    )
    add_inputs(p, ["corpus"])
    p.add_argument("--endpoint", required=True, metavar="URL", help="Graph Store Protocol URL")
    p.add_argument("--base", default=None, metavar="IRI", help="base IRI of minted identifiers")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S",
                   help="deadline of each request as a whole, in seconds (default: 60)")  # fmt: skip
    p.set_defaults(func=cmd_load)


def _graphs_of_rdf_file(path: Path):
    """(graph IRI, N-Triples) per named graph of an RDF dataset file."""
    import pyoxigraph as ox

    from graph_builder.graph.ntriples import ntriples, ox_triples

    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    by_graph: dict[str, list] = {}
    for q in ox.parse(path=str(path), format=fmt):
        key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        by_graph.setdefault(key, []).append(q)
    for iri in sorted(by_graph):
        if not iri:
            print(f"{path}: triples outside named graphs are not loaded", file=sys.stderr)
            continue
        yield iri, ntriples(ox_triples(by_graph[iri]))


def _source_graphs(inputs: list[str], args):
    """Named graphs to load: from RDF files as they are, from documents by extraction."""
    from graph_builder.batch import extract_all
    from graph_builder.store.embedded import document_graphs

    rdf = [Path(i) for i in inputs if Path(i).suffix.lower() in RDF_SUFFIXES]
    docs = [i for i in inputs if Path(i).suffix.lower() not in RDF_SUFFIXES]
    failures = []
    for path in rdf:
        if not path.exists():
            failures.append(f"{path}: error {errors.E004}: no such file")
            continue
        yield from _graphs_of_rdf_file(path)
    if docs:
        result = extract_all(
            docs,
            args.segmenter,
            progress=progress(args),
        )
        failures += [f.format() for f in result.failures]
        yield from document_graphs(result.plans, getattr(args, "base", None))
    for line in failures:
        print(line, file=sys.stderr)
    args._failed = bool(failures)


def cmd_load(args) -> int:
    from graph_builder.graph.namespace import GBO_ONTOLOGY
    from graph_builder.store.gsp import GraphStore, StoreError, redact

    store = GraphStore(args.endpoint, timeout=args.timeout)
    args._failed = False
    n = replaced = 0
    try:
        for iri, data in _source_graphs(args.inputs, args):
            status = store.put(iri, data)
            n += 1
            # Graph Store Protocol: 201 Created for a new graph, 200/204 for one replaced.
            if status != 201 and iri != str(GBO_ONTOLOGY):
                replaced += 1
    except StoreError as exc:
        print(f"load: error {exc}", file=sys.stderr)
        return EXIT_INPUT
    if not args.quiet:
        note = (
            f" ({replaced} replaced a graph of the same plan already there: an earlier load or "
            "an earlier version)"
            if replaced
            else ""
        )
        print(f"loaded {n} named graphs into {redact(args.endpoint)}{note}")
    return EXIT_INPUT if args._failed else EXIT_OK


def cmd_serve(args) -> int:
    import shutil
    import tempfile

    import pyoxigraph as ox

    from graph_builder.store.embedded import load_dataset_file, put_graph
    from graph_builder.store.endpoint import Limits, SparqlApp, make_app_server

    sources = [Path(s) for s in args.source]
    if len(sources) == 1 and sources[0].is_dir() and not any(sources[0].glob("*.txt")):
        try:
            ox.Store.read_only(str(sources[0]))  # only a check: the workers open it
        except OSError as exc:
            print(
                f"{sources[0]}: error {errors.E302}: not an Oxigraph store ({exc})", file=sys.stderr
            )
            return EXIT_INPUT
        store, temp = sources[0], None
    else:
        # The query workers open an on-disk store, so the sources are loaded straight into a
        # temporary one (no second copy in memory); it is removed when the server stops.
        temp = Path(tempfile.mkdtemp(prefix="policykg-serve-"))
        disk = ox.Store(str(temp))
        args._failed = False
        for s in sources:
            if s.suffix.lower() in RDF_SUFFIXES:
                if not s.exists():
                    print(
                        f"{s}: error {errors.E004}: no such file (run 'make run' first?)",
                        file=sys.stderr,
                    )
                    del disk
                    shutil.rmtree(temp, ignore_errors=True)
                    return EXIT_INPUT
                load_dataset_file(disk, s)
        docs = [str(s) for s in sources if s.suffix.lower() not in RDF_SUFFIXES]
        if docs:
            args.inputs, args.segmenter, args.progress = docs, "char", "auto"
            for iri, data in _source_graphs(docs, args):
                put_graph(disk, iri, data)
        disk.flush()
        del disk  # closed, so a worker may open it (for writing, with --allow-update)
        store = temp
    limits = Limits(
        timeout=args.timeout,
        memory_mb=args.memory_limit,
        workers=args.workers,
        allowed_services=tuple(args.allow_service),
    )
    try:
        app = SparqlApp(store, args.allow_update, limits=limits, cors=tuple(args.cors))
    except OSError as exc:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
        print(f"serve: error {errors.E069}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    try:
        server = make_app_server(app, args.host, args.port, quiet=False)
    except OSError as exc:
        app.close()
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
        print(
            f"serve: error {errors.E303}: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return EXIT_INPUT
    print(f"SPARQL endpoint on http://{args.host}:{server.server_port}/sparql (query page: /); "
          "Ctrl-C stops", file=sys.stderr)  # fmt: skip
    if app.update_token:
        print(f"updates allowed with the header 'Authorization: Bearer {app.update_token}'",
              file=sys.stderr, flush=True)  # fmt: skip
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    return EXIT_OK


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """``--store DIR`` for ``policykg build``: add or replace documents in an on-disk store."""
    parser.add_argument(
        "--store",
        metavar="DIR",
        default=None,
        help="also add or replace each document's named graphs (facts, evidence) in the "
        "Oxigraph store at DIR "
        "(created if missing; other documents' graphs are left as they are)",
    )
