"""The project's components run as spaCy factories and put spans with offsets on the Doc."""

from __future__ import annotations

import pytest
import spacy

import graph_builder.extract.components  # noqa: F401  (registers the factories)
from graph_builder.extract.pipeline import COMPONENTS, make_nlp, plan_from_doc

from .conftest import CORPUS

TEXT = (CORPUS / "001_a1b410eb9fcdb795.txt").read_text(encoding="utf-8")


def test_components_can_be_added_to_a_users_own_blank_pipeline():
    nlp = spacy.blank("zh")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    doc = nlp(TEXT)
    labels = {s.label_ for s in doc.spans["gb_layout"]}
    assert {"TITLE", "ACTION", "MEASURE", "CLAUSE"} <= labels
    measures = [s for s in doc.spans["gb_layout"] if s.label_ == "MEASURE"]
    assert len(measures) == 26
    assert measures[0].text.startswith("（一）推动高质量充分就业")
    leads = [s for s in doc.spans["gb_agencies"] if s.label_ == "lead"]
    assert len(leads) == 26
    assert leads[0].text == "市人力资源社会保障局"
    assert leads[0].kb_id_.endswith("agency-function/human_resources_social_security")
    assert plan_from_doc(doc).measures[0].lead == "市人力资源社会保障局"


def test_agency_span_offsets_point_at_the_written_text():
    nlp = make_nlp()
    doc = nlp(TEXT)
    for span in doc.spans["gb_agencies"]:
        assert TEXT[span.start_char : span.end_char] == span.text


@pytest.mark.slow
def test_jieba_segmenter_gives_the_same_plan():
    from graph_builder.export.json_export import plan_to_dict
    from graph_builder.extract.pipeline import extract_plan
    from graph_builder.read import decode_bytes

    src = decode_bytes(TEXT.encode(), "001.txt")
    a = plan_to_dict(extract_plan(src, "char"))
    b = plan_to_dict(extract_plan(src, "jieba"))
    assert a == b


@pytest.mark.slow
def test_every_component_is_found_by_name_in_a_fresh_process():
    # registered through the spacy_factories entry points: no import of ours comes first
    import subprocess
    import sys

    code = (
        "import spacy, sys\n"
        "nlp = spacy.blank('zh')\n"
        "for name in sys.argv[1:]: nlp.add_pipe(name)\n"
        "print(' '.join(nlp.pipe_names))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *COMPONENTS], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == list(COMPONENTS)
