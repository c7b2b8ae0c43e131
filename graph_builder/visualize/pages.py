"""The ``html`` format: every self-contained page of a build, written together.

Who leads what (network, matrix), the per-plan explorer and the build report are one
``--formats`` name because they link to each other (the report links the others).
"""

from __future__ import annotations

from pathlib import Path

from graph_builder.model import Plan
from graph_builder.visualize.explorer import write_explorer
from graph_builder.visualize.matrix import write_agency_matrix
from graph_builder.visualize.network import write_agency_network
from graph_builder.visualize.report import write_report

__all__ = ["write_pages"]


def write_pages(plans: list[Plan], out: Path) -> list[Path]:
    """Corpus writer of ``html`` (see :mod:`graph_builder.export.formats`)."""
    paths: list[Path] = []
    for write in (write_agency_network, write_agency_matrix, write_explorer, write_report):
        paths += write(plans, out)
    return paths
