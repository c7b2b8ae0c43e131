"""graph_builder: knowledge graphs of Chinese consumption action plans."""

__version__ = "0.1.0"
