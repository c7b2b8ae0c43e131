"""Every serialization parses back to the same graph; two runs give byte-identical files."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph_builder.export.rdf_export import FORMATS, render, union_graph

from .graph_support import CORPUS, REPO, corpus_dataset


@pytest.fixture(scope="module")
def rendered():
    return render(corpus_dataset(), FORMATS)


def _named_graphs(ds: Dataset) -> dict:
    return {c.identifier: c for c in ds.graphs() if len(c)}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_rdf_union_formats_parse_back_isomorphic(rendered, fmt):
    back = Graph()
    back.parse(data=rendered[fmt], format=fmt)
    expected = union_graph(corpus_dataset())
    assert len(back) == len(expected)
    assert isomorphic(back, expected)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["trig", "nquads", "json-ld"])
def test_rdf_dataset_formats_parse_back_with_every_named_graph_isomorphic(rendered, fmt):
    back = Dataset()
    back.parse(data=rendered[fmt], format=fmt)
    want, got = _named_graphs(corpus_dataset()), _named_graphs(back)
    assert set(got) == set(want)
    for name, graph in want.items():
        assert isomorphic(got[name], graph), name


@pytest.mark.slow
def test_rdf_turtle_is_readable_with_prefixes_and_no_generated_ones(rendered):
    ttl = rendered["turtle"]
    head = [line for line in ttl.splitlines() if line.startswith("@prefix")]
    prefixes = {line.split()[1].rstrip(":") for line in head}
    assert {
        "gbo",
        "mt",
        "af",
        "org",
        "prov",
        "oa",
        "skos",
        "dcterms",
        "measure",
        "agency",
    } <= prefixes
    assert not any(p.startswith("ns") and p[2:].isdigit() for p in prefixes)
    # Instance IRIs are written as prefixed names, never in full.
    body = ttl[ttl.index("\n\n") :]
    assert "<https://w3id.org/graph-builder/id/" not in body
    assert "株洲市提振消费专项行动方案" in body  # Chinese is written as is, not escaped


@pytest.mark.slow
def test_rdf_jsonld_compacts_iris_with_a_context(rendered):
    import json

    doc = json.loads(rendered["json-ld"])
    assert doc["@context"]["gbo"] == "https://w3id.org/graph-builder/ontology#"
    graphs = {g["@id"] for g in doc["@graph"]}
    assert any(g.startswith("graph:") for g in graphs)


_BUILD = (
    "import sys\n"
    "from graph_builder.batch import extract_all\n"
    "from graph_builder.export.corpus import write_corpus\n"
    "write_corpus(extract_all([sys.argv[1]]).plans, sys.argv[2])\n"
)


@pytest.mark.slow
def test_rdf_two_runs_give_byte_identical_files(tmp_path):
    """Separate processes with different hash seeds: no set or dict order leaks into files."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed, SOURCE_DATE_EPOCH="1735689600")
        env.pop("GB_IRI_BASE", None)
        subprocess.run(
            [sys.executable, "-c", _BUILD, str(CORPUS), str(out)],
            check=True,
            cwd=REPO,
            env=env,
        )
        outs.append(out)
    names = sorted(str(p.relative_to(outs[0])) for p in outs[0].rglob("*") if p.is_file())
    assert "graph.ttl" in names and "graph.graphml" in names
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
