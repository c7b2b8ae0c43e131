"""Write every view of a built corpus into an output folder.

``policykg build`` and ``make run`` call :func:`write_outputs`; each view is one function
below, so adding a format is adding a line to :data:`WRITERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph_builder._fs import atomic_write_bytes
from graph_builder.export.rdf_export import write_graph
from graph_builder.export.stream import document_files
from graph_builder.export.tables import write_tables
from graph_builder.model import Plan
from graph_builder.visualize.explorer import write_explorer
from graph_builder.visualize.matrix import write_agency_matrix
from graph_builder.visualize.network import write_agency_network
from graph_builder.visualize.report import write_report

__all__ = ["write_outputs", "WRITERS", "WRITER_FORMATS"]


def _write_document_files(plans: list[Plan], out: Path, view: str) -> list[Path]:
    paths = []
    for plan in plans:
        for name, data in document_files(plan, {view}).items():
            atomic_write_bytes(out / name, data)
            paths.append(out / name)
    return paths


def write_json(plans: list[Plan], out: Path) -> list[Path]:
    """One JSON per document (gold schema plus evidence) under ``out/json``."""
    return _write_document_files(plans, out, "json")


def write_texts(plans: list[Plan], out: Path) -> list[Path]:
    """The plain-text rendition each document's offsets point into, under ``out/text``."""
    return _write_document_files(plans, out, "text")


WRITERS: list[Callable[[list[Plan], Path], list[Path]]] = [write_json, write_texts]
WRITERS.append(write_graph)  # graph.ttl/.nt/.nq/.trig/.jsonld/.graphml (export/rdf_export.py)
# Who leads what (issue 5): network, matrix and per-plan explorer pages, self-contained HTML.
WRITERS += [write_agency_network, write_agency_matrix, write_explorer]
# For analysts (issue 14): CSV tables for spreadsheets and the build summary page.
WRITERS += [write_tables, write_report]

#: ``--formats`` name (export/formats.py) of each corpus-level writer of WRITERS; one not named
#: here is written with ``all``. write_json and write_texts are streamed per document and
#: write_graph is asked for the graph formats selected (export/stream.py).
WRITER_FORMATS: dict[Callable, str] = {
    write_agency_network: "html",
    write_agency_matrix: "html",
    write_explorer: "html",
    write_tables: "tables",
    write_report: "html",
}


def write_outputs(
    plans: list[Plan], out: str | Path, failures=(), formats: str | None = None
) -> list[Path]:
    """Write all views (or the ``formats`` selected, see export/formats.py); returns the paths
    written (a manifest is written last). The same files as ``policykg build`` writes, which
    streams the per-document ones (export/stream.py)."""
    from graph_builder.export.stream import CorpusWriter

    with CorpusWriter(out, formats) as writer:
        for plan in plans:
            writer.add(plan)
        for failure in failures:
            writer.add(failure)
        return writer.finish()
