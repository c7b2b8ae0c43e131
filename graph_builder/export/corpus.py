"""Write the corpus-wide views (scope ``corpus`` of :mod:`.formats`) once every plan is in.

Several of them need the same derived view: the RDF dataset (Turtle, N-Triples, TriG,
JSON-LD, and through it the NetworkX graph for GraphML and Neo4j). :class:`Corpus` makes each
derived view once, when a writer first asks for it, so selecting ``graphml`` alone never
serializes RDF and selecting every format builds the dataset once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from graph_builder.export.formats import CORPUS_WIDE, FORMATS, selected
from graph_builder.model import Plan

if TYPE_CHECKING:
    import networkx
    from rdflib import Dataset

__all__ = ["Corpus", "write_corpus"]


class Corpus(list):
    """The plans of a build (a list, so a writer of ``(plans, out)`` takes it as it is),
    with the views several writers share, each made on first use.

    ``provenance``: how much evidence the dataset holds (see
    :data:`graph_builder.graph.rdf.PROVENANCE`; default compact).
    """

    def __init__(self, plans: Iterable[Plan] = (), provenance: str | None = None):
        super().__init__(plans)
        self.provenance = provenance

    @cached_property
    def dataset(self) -> Dataset:
        """The rdflib dataset: ontology graph and each plan's facts and evidence graphs.

        ``GB_IRI_BASE`` sets the base of instance IRIs and ``SOURCE_DATE_EPOCH`` the
        extraction time (``make run`` sets it from git)."""
        from graph_builder.graph.rdf import DEFAULT_PROVENANCE, build_dataset

        return build_dataset(self, provenance=self.provenance or DEFAULT_PROVENANCE)

    @cached_property
    def networkx(self) -> networkx.MultiDiGraph:
        """The NetworkX MultiDiGraph of :attr:`dataset` (typed nodes, labelled edges)."""
        from graph_builder.graph.nx import to_networkx

        return to_networkx(self.dataset)


def write_corpus(
    plans: Iterable[Plan],
    out: str | Path,
    formats: Iterable[str] | None = None,
    provenance: str | None = None,
) -> list[Path]:
    """Write the corpus-scope formats among ``formats`` (default: all of them) into ``out``,
    in registry order; returns the paths written. ``plans`` may be a :class:`Corpus` whose
    views are made already."""
    corpus = plans if isinstance(plans, Corpus) else Corpus(plans, provenance)
    names = set(FORMATS) if formats is None else set(formats)
    paths: list[Path] = []
    for fmt in selected(names, CORPUS_WIDE):
        paths += fmt.writer()(corpus, Path(out))
    return paths
