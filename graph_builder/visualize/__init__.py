"""Visualize: pictures of who leads what, read from the model, as self-contained HTML.

- :mod:`~graph_builder.visualize.aggregate`: agency function × measure type counts per region
  (the graph every picture draws).
- :mod:`~graph_builder.visualize.network`: the pyvis/vis-network page.
- :mod:`~graph_builder.visualize.matrix`: the same counts as tables, regions side by side.
- :mod:`~graph_builder.visualize.explorer`: one page per plan: measures, agencies, targets,
  instruments.
- :mod:`~graph_builder.visualize.page`: inlining, escaping and the no-outside-request check.

Every page opens by double-click with no network: scripts and styles are inlined and the
writer refuses a page that would request another host.
"""

from __future__ import annotations

__all__ = ["aggregate", "network", "matrix", "explorer", "page", "layout"]
