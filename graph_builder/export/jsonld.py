"""The JSON-LD dataset (``graph.jsonld``): one named graph object per graph, compact IRIs.

Written here rather than by rdflib's serializer so that node, key and value order is fixed
(sorted) and the file is produced in a fraction of the time; a test parses it back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Dataset, Literal
from rdflib.namespace import RDF, XSD

from graph_builder._fs import atomic_write_text
from graph_builder.graph.namespace import GBO_ONTOLOGY

if TYPE_CHECKING:
    from graph_builder.export.corpus import Corpus

__all__ = ["jsonld", "write_jsonld", "JSONLD_FILE"]

JSONLD_FILE = "graph.jsonld"


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


def jsonld(ds: Dataset) -> str:
    """JSON-LD of the dataset: one named graph object per graph, compact IRIs from the prefixes,
    a context holding only the prefixes used; the ontology graph first, then by IRI."""
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


def write_jsonld(corpus: Corpus, out: Path) -> list[Path]:
    """Corpus writer of ``jsonld`` (see :mod:`.formats`): ``out/graph.jsonld``."""
    path = Path(out) / JSONLD_FILE
    atomic_write_text(path, jsonld(corpus.dataset))
    return [path]
