"""Write every view of a built corpus into an output folder.

``policykg build`` and ``make run`` call :func:`write_outputs`; each view is one function
below, so adding a format is adding a line to :data:`WRITERS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from graph_builder.export.io import atomic_write_text
from graph_builder.export.json_export import write_plan_json
from graph_builder.export.rdf_export import write_graph
from graph_builder.model import Plan
from graph_builder.visualize.explorer import write_explorer
from graph_builder.visualize.matrix import write_agency_matrix
from graph_builder.visualize.network import write_agency_network

__all__ = ["write_outputs", "WRITERS"]


def write_json(plans: list[Plan], out: Path) -> list[Path]:
    """One JSON per document (gold schema plus evidence) under ``out/json``."""
    return [write_plan_json(p, out / "json") for p in plans]


def write_texts(plans: list[Plan], out: Path) -> list[Path]:
    """The plain-text rendition each document's offsets point into, under ``out/text``."""
    paths = []
    for p in plans:
        path = out / "text" / f"{p.doc_id}.txt"
        atomic_write_text(path, p.text)
        paths.append(path)
    return paths


WRITERS: list[Callable[[list[Plan], Path], list[Path]]] = [write_json, write_texts]
WRITERS.append(write_graph)  # graph.ttl/.nt/.nq/.trig/.jsonld/.graphml (export/rdf_export.py)
# Who leads what (issue 5): network, matrix and per-plan explorer pages, self-contained HTML.
WRITERS += [write_agency_network, write_agency_matrix, write_explorer]


def write_outputs(plans: list[Plan], out: str | Path, failures=()) -> list[Path]:
    """Write all views; returns the paths written (a manifest is written last)."""
    out = Path(out)
    written: list[Path] = []
    for writer in WRITERS:
        written.extend(writer(plans, out))
    manifest = {
        "documents": [
            {
                "doc_id": p.doc_id,
                "source": p.source,
                "sha256": p.sha256,
                "measures": len(p.measures),
            }
            for p in plans
        ],
        "failures": [{"source": f.source, "code": f.code, "message": f.message} for f in failures],
        "files": sorted(str(p.relative_to(out)) for p in written),
    }
    atomic_write_text(
        out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    )
    return written
