"""GraphML (``graph.graphml``): the NetworkX view as a file Gephi, Cytoscape and yEd open.

The view itself (typed nodes, labelled edges, one per RDF triple that links two resources)
is :func:`graph_builder.graph.nx.to_networkx`; this module only writes it and reads it back.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import networkx

from graph_builder._fs import atomic_open

if TYPE_CHECKING:
    from graph_builder.export.corpus import Corpus

__all__ = ["GRAPHML_FILE", "write_graphml", "read_graphml", "write_graphml_view"]

GRAPHML_FILE = "graph.graphml"

#: Characters XML 1.0 cannot hold (C0 controls but tab, newline and return; U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value):
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def write_graphml(G: networkx.MultiDiGraph, path: str | Path) -> Path:
    """Write GraphML that Gephi opens: typed attributes, unique edge ids (atomic write).

    GraphML is XML, which cannot hold some control characters a document may contain; they
    are written as U+FFFD here (the RDF files keep them as they are).
    """
    path = Path(path)
    if any(
        _NOT_XML.search(v) for _, d in G.nodes(data=True) for v in d.values() if isinstance(v, str)
    ) or any(
        _NOT_XML.search(v) for *_, d in G.edges(data=True) for v in d.values() if isinstance(v, str)
    ):
        H = networkx.MultiDiGraph()
        H.add_nodes_from(
            (_xml_safe(n), {k: _xml_safe(v) for k, v in d.items()}) for n, d in G.nodes(data=True)
        )
        H.add_edges_from(
            (_xml_safe(u), _xml_safe(v), k, {a: _xml_safe(x) for a, x in d.items()})
            for u, v, k, d in G.edges(keys=True, data=True)
        )
        G = H
    with atomic_open(path, "wb", None) as fh:
        networkx.write_graphml(G, fh, edge_id_from_attribute="id")
    return path


def read_graphml(path: str | Path) -> networkx.MultiDiGraph:
    """Read a GraphML file written by :func:`write_graphml` (edge keys are the edge labels)."""
    H = networkx.read_graphml(str(path), force_multigraph=True)
    G = networkx.MultiDiGraph()
    G.add_nodes_from(H.nodes(data=True))
    for u, v, data in H.edges(data=True):
        data = dict(data)
        data.setdefault("id", "")
        label = data.get("label", "")
        key, n = label, 1
        while G.has_edge(u, v, key):
            n += 1
            key = f"{label}#{n}"
        G.add_edge(u, v, key=key, **data)
    return G


def write_graphml_view(corpus: Corpus, out: Path) -> list[Path]:
    """Corpus writer of ``graphml`` (see :mod:`.formats`): ``out/graph.graphml``."""
    return [write_graphml(corpus.networkx, Path(out) / GRAPHML_FILE)]
