"""Serialize the knowledge graph in the formats RDF tools load.

================  =====================  ==================================================
file              format                 content
================  =====================  ==================================================
graph.ttl         Turtle                 union of all graphs (ontology + every document),
                                         with prefixes: for RDF editors and one-file loads
graph.nt          N-Triples              the same union, one sorted line per triple
graph.trig        TriG                   the dataset: one named graph per document, one
                                         for the ontology and vocabularies
graph.nq          N-Quads                the same dataset, one sorted line per quad
graph.jsonld      JSON-LD                the same dataset, compacted with the prefixes
graph.graphml     GraphML                the NetworkX MultiDiGraph (typed nodes, labelled
                                         edges) for Gephi, Cytoscape, yEd
================  =====================  ==================================================

Turtle and N-Triples carry no graph names (they cannot), so they are the merged view; TriG,
N-Quads and JSON-LD keep the named graphs for stores such as GraphDB, Fuseki, Virtuoso,
Oxigraph and Neo4j (neosemantics), which load them into one graph per document.

Every format is deterministic: Turtle is written sorted by rdflib (readable layout, object
lists wrapped); N-Triples, N-Quads and TriG by pyoxigraph from sorted quads (fast); JSON-LD by
:func:`_jsonld` with sorted nodes and keys. With the same ``SOURCE_DATE_EPOCH`` two runs give
byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal
from rdflib.namespace import RDF, XSD

from graph_builder._fs import atomic_write_text
from graph_builder.graph.iris import Iris
from graph_builder.graph.namespace import GBO_ONTOLOGY
from graph_builder.graph.oxigraph import sorted_quads
from graph_builder.graph.rdf import DEFAULT_PROVENANCE, bind_prefixes, build_dataset, union_graph
from graph_builder.model import Plan

__all__ = [
    "RDF_FILES",
    "FORMATS",
    "union_graph",
    "render",
    "serialize",
    "parse",
    "write_rdf",
    "write_graph",
    "GRAPHML_FILE",
    "GRAPH_FORMATS",
]

#: Output file name → (rdflib format, whole dataset?).
RDF_FILES: dict[str, tuple[str, bool]] = {
    "graph.ttl": ("turtle", False),
    "graph.nt": ("nt", False),
    "graph.trig": ("trig", True),
    "graph.nq": ("nquads", True),
    "graph.jsonld": ("json-ld", True),
}


#: The NetworkX view, written beside the RDF files.
GRAPHML_FILE = "graph.graphml"

#: Formats :func:`render` knows.
FORMATS = ("turtle", "nt", "trig", "nquads", "json-ld")


def _compactor(ds: Dataset, used: set[str] | None = None):
    """A function writing an IRI as ``prefix:local`` where a bound namespace covers it;
    each prefix it uses is added to ``used``."""
    spaces = sorted(
        ((str(ns), p) for p, ns in ds.namespace_manager.namespaces() if p),
        key=lambda x: -len(x[0]),
    )

    def compact(iri: str) -> str:
        for ns, prefix in spaces:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
                if used is not None:
                    used.add(prefix)
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    return compact


def _jsonld(ds: Dataset) -> str:
    """JSON-LD of the dataset: one named graph object per graph, compact IRIs from the prefixes,
    a context holding only the prefixes used.

    Written here rather than by rdflib's serializer so that node, key and value order is fixed
    (sorted) and the file is produced in a fraction of the time; a test parses it back.
    """
    used: set[str] = set()
    compact = _compactor(ds, used)
    xsd_string = str(XSD.string)

    def value(o) -> dict:
        if isinstance(o, Literal):
            v: dict = {"@value": str(o)}
            if o.language:
                v["@language"] = o.language
            elif o.datatype is not None and str(o.datatype) != xsd_string:
                v["@type"] = compact(str(o.datatype))
            return v
        if isinstance(o, BNode):
            return {"@id": f"_:{o}"}
        return {"@id": compact(str(o))}

    graphs = []
    for c in sorted(ds.graphs(), key=lambda c: (c.identifier != GBO_ONTOLOGY, str(c.identifier))):
        if not len(c):
            continue
        nodes: dict = {}
        for s, p, o in c:
            node = nodes.setdefault(s, {})
            node.setdefault(p, []).append(o)
        out = []
        for s in sorted(nodes, key=str):
            obj: dict = {"@id": f"_:{s}" if isinstance(s, BNode) else compact(str(s))}
            for p, objs in nodes[s].items():
                if p == RDF.type:
                    obj["@type"] = sorted(compact(str(o)) for o in objs)
                else:
                    vals = [value(o) for o in objs]
                    obj[compact(str(p))] = sorted(vals, key=lambda v: json.dumps(v, sort_keys=True))
            out.append(obj)
        graphs.append({"@id": compact(str(c.identifier)), "@graph": out})
    # Only the prefixes some compact IRI of the file uses (a bound but unused prefix is noise).
    context = {p: str(ns) for p, ns in sorted(ds.namespace_manager.namespaces()) if p in used}
    doc = {"@context": context, "@graph": graphs}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _ox(quads, fmt, prefixes: dict | None = None) -> str:
    return ox.serialize(quads, format=fmt, prefixes=prefixes).decode("utf-8")


def render(ds: Dataset, formats: Iterable[str] = FORMATS) -> dict[str, str]:
    """The dataset in each of ``formats`` (turtle, nt, trig, nquads, json-ld), as text."""
    formats = list(formats)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown RDF format(s): {', '.join(sorted(unknown))}")
    out: dict[str, str] = {}
    if {"nt", "trig", "nquads"} & set(formats):
        quads = sorted_quads(ds)
        prefixes = {p: str(ns) for p, ns in sorted(ds.namespace_manager.namespaces()) if p}
        if "nquads" in formats:
            out["nquads"] = _ox(quads, ox.RdfFormat.N_QUADS)
        if "trig" in formats:
            out["trig"] = _ox(quads, ox.RdfFormat.TRIG, prefixes)
        if "nt" in formats:
            triples = sorted({q.triple for q in quads}, key=str)
            out["nt"] = _ox(triples, ox.RdfFormat.N_TRIPLES)
    if "turtle" in formats:
        out["turtle"] = union_graph(ds).serialize(format="turtle")
    if "json-ld" in formats:
        out["json-ld"] = _jsonld(ds)
    return {f: out[f] for f in formats}


def serialize(ds: Dataset, fmt: str) -> str:
    """The dataset in one format: turtle, nt, trig, nquads or json-ld (see the table above)."""
    return render(ds, [fmt])[fmt]


def parse(path: str | Path, fmt: str | None = None) -> Dataset:
    """Read any of the files above back into a dataset (format from the file ending)."""
    from rdflib.util import guess_format

    path = Path(path)
    fmt = fmt or guess_format(str(path)) or "turtle"
    if path.suffix == ".jsonld":
        fmt = "json-ld"
    ds = Dataset(default_union=True)
    ds.parse(str(path), format=fmt)
    bind_prefixes(ds, Iris())
    return ds


def write_rdf(
    plans: list[Plan], out: Path, ds: Dataset | None = None, files: Iterable[str] | None = None
) -> list[Path]:
    """Write every RDF file of the table above (or those named in ``files``) into ``out``."""
    ds = ds if ds is not None else build_dataset(plans)
    chosen = {n: f for n, f in RDF_FILES.items() if files is None or n in set(files)}
    texts = render(ds, [fmt for fmt, _whole in chosen.values()])
    paths = []
    for name, (fmt, _whole) in chosen.items():
        path = Path(out) / name
        atomic_write_text(path, texts[fmt])
        paths.append(path)
    return paths


#: ``policykg build --formats`` names of what :func:`write_graph` writes (a file's ending).
GRAPH_FORMATS = ("ttl", "nt", "trig", "nq", "jsonld", "graphml", "neo4j")


def write_graph(
    plans: list[Plan],
    out: Path,
    formats: Iterable[str] | None = None,
    provenance: str | None = None,
) -> list[Path]:
    """The ``policykg build`` writer: every RDF file above, ``graph.graphml`` (NetworkX) and
    the Neo4j import files under ``neo4j/`` (made from the same NetworkX graph); or only
    those of ``formats`` (names of :data:`GRAPH_FORMATS`). ``provenance``: how much evidence
    (see :data:`graph_builder.graph.rdf.PROVENANCE`; default compact).

    The dataset is built once for all formats. ``GB_IRI_BASE`` sets the base of instance IRIs
    and ``SOURCE_DATE_EPOCH`` the extraction time (``make run`` sets it from git).
    """
    from graph_builder.export.neo4j import write_neo4j
    from graph_builder.graph.nx import to_networkx, write_graphml

    wanted = set(GRAPH_FORMATS if formats is None else formats)
    ds = build_dataset(plans, provenance=provenance or DEFAULT_PROVENANCE)
    paths = write_rdf(plans, out, ds, [n for n in RDF_FILES if n.split(".", 1)[1] in wanted])
    if {"graphml", "neo4j"} & wanted:
        G = to_networkx(ds)
        if "graphml" in wanted:
            paths.append(write_graphml(G, Path(out) / GRAPHML_FILE))
        if "neo4j" in wanted:
            paths.extend(write_neo4j(G, Path(out) / "neo4j"))
    return paths
