"""``policykg serve`` and ``policykg load``: the graph as a SPARQL endpoint or in a store.

Kept apart from :mod:`graph_builder.cli` (which only registers these subcommands) so the
store code and its imports load only when one of them runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_store_commands", "RDF_SUFFIXES"]

#: File endings read as RDF datasets rather than as plan documents.
RDF_SUFFIXES = (".nq", ".trig", ".ttl", ".nt", ".jsonld", ".rdf")


def add_store_commands(sub, add_inputs) -> None:
    p = sub.add_parser(
        "serve",
        help="serve a graph or store as a SPARQL 1.1 endpoint (read-only, localhost)",
        description="Serve SOURCE over the SPARQL 1.1 Protocol at http://HOST:PORT/sparql, with a "
        "query page at /. SOURCE is an on-disk store made by 'policykg build --store DIR', an "
        "RDF file (.nq .trig .ttl .nt .jsonld), or plan documents/folders, which are extracted "
        "first. Results as JSON, XML, CSV or TSV (SELECT/ASK) and Turtle, N-Triples, RDF/XML or "
        "JSON-LD (CONSTRUCT/DESCRIBE) by the Accept header. Updates are refused unless "
        "--allow-update.",
    )
    p.add_argument("source", nargs="*", default=["outputs/graph.nq"], metavar="SOURCE",
                   help="store folder, RDF file or plan inputs (default: outputs/graph.nq)")  # fmt: skip
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p.add_argument(
        "--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)"
    )
    p.add_argument("--allow-update", action="store_true", help="accept SPARQL UPDATE requests")
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
        "GB_STORE_USER and GB_STORE_PASSWORD (basic) or GB_STORE_TOKEN (bearer), never from "
        "the command line.",
    )
    add_inputs(p, ["corpus"])
    p.add_argument("--endpoint", required=True, metavar="URL", help="Graph Store Protocol URL")
    p.add_argument("--base", default=None, metavar="IRI", help="base IRI of minted identifiers")
    p.set_defaults(func=cmd_load)


def _graphs_of_rdf_file(path: Path):
    """(graph IRI, N-Triples) per named graph of an RDF dataset file."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    by_graph: dict[str, list] = {}
    for q in ox.parse(path=str(path), format=fmt):
        key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        by_graph.setdefault(key, []).append(ox.Triple(q.subject, q.predicate, q.object))
    for iri in sorted(by_graph):
        if not iri:
            print(f"{path}: triples outside named graphs are not loaded", file=sys.stderr)
            continue
        yield iri, ox.serialize(by_graph[iri], format=ox.RdfFormat.N_TRIPLES)


def _source_graphs(inputs: list[str], args):
    """Named graphs to load: from RDF files as they are, from documents by extraction."""
    from graph_builder.build import extract_all
    from graph_builder.store.embedded import document_graphs

    rdf = [Path(i) for i in inputs if Path(i).suffix.lower() in RDF_SUFFIXES]
    docs = [i for i in inputs if Path(i).suffix.lower() not in RDF_SUFFIXES]
    failures = []
    for path in rdf:
        if not path.exists():
            failures.append(f"{path}: error GB-E004: no such file")
            continue
        yield from _graphs_of_rdf_file(path)
    if docs:
        result = extract_all(
            docs,
            args.segmenter,
            progress=None if args.progress == "auto" else args.progress == "on",
        )
        failures += [f.format() for f in result.failures]
        yield from document_graphs(result.plans, getattr(args, "base", None))
    for line in failures:
        print(line, file=sys.stderr)
    args._failed = bool(failures)


def cmd_load(args) -> int:
    from graph_builder.graph.namespace import GBO_ONTOLOGY
    from graph_builder.store.gsp import GraphStore, StoreError

    store = GraphStore(args.endpoint)
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
        print(f"load: error GB-E301: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        note = (
            f" ({replaced} replaced a graph of the same plan already there: an earlier load or "
            "an earlier version)"
            if replaced
            else ""
        )
        print(f"loaded {n} named graphs into {args.endpoint}{note}")
    return 1 if args._failed else 0


def cmd_serve(args) -> int:
    import pyoxigraph as ox

    from graph_builder.store.embedded import load_dataset_file, open_store, put_graph
    from graph_builder.store.endpoint import serve

    sources = [Path(s) for s in args.source]
    if len(sources) == 1 and sources[0].is_dir() and not any(sources[0].glob("*.txt")):
        try:
            store = open_store(sources[0], read_only=not args.allow_update)
        except OSError as exc:
            print(f"{sources[0]}: error GB-E302: not an Oxigraph store ({exc})", file=sys.stderr)
            return 1
    else:
        store = ox.Store()
        args._failed = False
        for s in sources:
            if s.suffix.lower() in RDF_SUFFIXES:
                if not s.exists():
                    print(
                        f"{s}: error GB-E004: no such file (run 'make run' first?)", file=sys.stderr
                    )
                    return 1
                load_dataset_file(store, s)
        docs = [str(s) for s in sources if s.suffix.lower() not in RDF_SUFFIXES]
        if docs:
            args.inputs, args.segmenter, args.progress = docs, "char", "auto"
            for iri, data in _source_graphs(docs, args):
                put_graph(store, iri, data)
    print(f"SPARQL endpoint on http://{args.host}:{args.port}/sparql (query page: /); Ctrl-C stops",
          file=sys.stderr)  # fmt: skip
    try:
        serve(store, args.host, args.port, args.allow_update)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(
            f"serve: error GB-E303: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    return 0


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
