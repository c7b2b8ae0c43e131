"""notebooks/explore.ipynb runs top to bottom and shows tables and the network inline."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow  # runs the notebook in a Jupyter kernel

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore.ipynb"


def test_explore_notebook_runs_top_to_bottom_with_tables_and_inline_network():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    htmls = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert sum("<table" in h for h in htmls) >= 4  # plans, measures, leaders, regions, matrix
    assert any("<iframe srcdoc=" in h and "gb-data" in h for h in htmls)
    text = "".join(o.get("text", "") for o in outputs)
    assert "5 plans, 125 measures, 0 failures" in text
    # Every canned query ran into a table with rows.
    from graph_builder.query.runner import list_queries

    markdown = "".join(o["data"].get("text/markdown", "") for o in outputs if "data" in o)
    for q in list_queries():
        assert f"**{q.name}**" in markdown
    assert " (0 rows)" not in markdown
