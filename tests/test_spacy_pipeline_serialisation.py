"""A processed Doc holds plain values only, so spaCy can save, ship and reload it.

The Plan rebuilt from a Doc after DocBin, after ``nlp.pipe(n_process=2)`` or from a pipeline
saved with ``nlp.to_disk`` and loaded in a fresh process gives the same JSON as
``extract_plan``."""

from __future__ import annotations

import json
import subprocess
import sys

import spacy
from spacy.tokens import DocBin

from graph_builder.export.json_export import plan_json
from graph_builder.extract.doc_state import plan_from_doc
from graph_builder.extract.pipeline import COMPONENTS, extract_plan, make_doc, make_nlp
from graph_builder.read import read_input

from .conftest import CORPUS

SEED = CORPUS / "001_a1b410eb9fcdb795.txt"


def _processed(path=SEED):
    nlp = make_nlp()
    doc = make_doc(nlp, read_input(str(path)))
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return nlp, doc


def _spans(doc) -> dict:
    return {
        key: [(s.start_char, s.end_char, s.label_, s.id_, s.kb_id_) for s in group]
        for key, group in doc.spans.items()
    }


def test_the_docs_state_is_plain_values():
    _nlp, doc = _processed()
    # msgpack and JSON both take it: no Python object of ours on the Doc
    json.dumps([doc._.gb_plan, doc._.gb_outline, doc._.gb_source])
    doc.to_bytes()


def test_docbin_round_trip_rebuilds_the_same_plan():
    nlp, doc = _processed()
    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    (back,) = DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab)
    assert _spans(back) == _spans(doc)
    assert plan_json(plan_from_doc(back)) == plan_json(extract_plan(read_input(str(SEED))))


def test_a_components_vocabulary_round_trips_through_bytes():
    nlp = make_nlp()
    for name in ("gb_measure_types", "gb_instrument_types", "gb_agency_linker"):
        proc = nlp.get_pipe(name)
        data = proc.to_bytes()
        again = type(proc)(nlp, name, **proc.cfg).from_bytes(data)
        assert again.to_bytes() == data


def test_pipe_with_two_processes_gives_what_one_gives():
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))[:3]]
    nlp = spacy.blank("zh")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    one = [plan_json(plan_from_doc(d)) for d in nlp.pipe(texts, n_process=1)]
    two = [plan_json(plan_from_doc(d)) for d in nlp.pipe(texts, n_process=2)]
    assert two == one


def test_a_saved_pipeline_loads_in_a_fresh_process(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    nlp = spacy.blank("zh")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    nlp.initialize()
    doc = nlp(text)
    nlp.to_disk(tmp_path / "pipeline")
    code = (
        "import json, sys, spacy\n"
        "from graph_builder.extract.doc_state import plan_from_doc\n"
        "from graph_builder.export.json_export import plan_json\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "doc = nlp(open(sys.argv[2], encoding='utf-8').read())\n"
        "spans = {k: [[s.start_char, s.end_char, s.label_, s.id_, s.kb_id_] for s in g]"
        " for k, g in doc.spans.items()}\n"
        "print(json.dumps({'pipes': nlp.pipe_names, 'spans': spans,"
        " 'plan': plan_json(plan_from_doc(doc)).decode()}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "pipeline"), str(SEED)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout)
    assert got["pipes"] == list(COMPONENTS)
    assert got["spans"] == {k: [list(r) for r in v] for k, v in _spans(doc).items()}
    assert got["plan"] == plan_json(plan_from_doc(doc)).decode()


def test_what_components_require_is_assigned_before_them():
    # spaCy's own check of the declared requires/assigns finds nothing missing
    problems = make_nlp().analyze_pipes(pretty=False)["problems"]
    assert all(not p for p in problems.values()), problems
