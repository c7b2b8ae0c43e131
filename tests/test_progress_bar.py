"""The progress bar: documents done, rate and ETA on a terminal, nothing otherwise."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from graph_builder.batch import Progress, iter_extract
from graph_builder.cli import main

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


def test_progress_is_silent_when_stream_is_not_a_terminal():
    stream = io.StringIO()  # isatty() is False, like a pipe or a log file
    bar = Progress(3, stream=stream)
    for _ in range(3):
        bar.step()
    assert not bar.enabled
    assert stream.getvalue() == ""


def test_progress_prints_done_rate_and_eta_when_enabled():
    stream = io.StringIO()
    bar = Progress(3, enabled=True, stream=stream)
    bar.step()
    first = stream.getvalue()
    assert "1/3 documents" in first and "doc/s" in first and "ETA" in first
    bar.step(2)
    out = stream.getvalue()
    assert out.rstrip("\n").split("\r")[-1].startswith("3/3 documents")
    assert out.endswith("\n")  # the finished bar leaves the line for what follows


def test_progress_redraws_are_throttled_but_the_last_is_always_drawn():
    stream = io.StringIO()
    bar = Progress(5000, enabled=True, stream=stream)
    for _ in range(5000):
        bar.step()
    out = stream.getvalue()
    assert out.count("\r") < 50
    assert "5000/5000 documents" in out


def test_cli_progress_auto_is_silent_when_stderr_is_captured(tmp_path, capsys):
    assert main(["extract", str(CORPUS), "--json-dir", str(tmp_path), "-q"]) == 0
    assert "documents" not in capsys.readouterr().err


@pytest.mark.slow
def test_cli_progress_on_with_jobs_reports_every_document(tmp_path, capsys):
    args = ["extract", str(CORPUS), "--json-dir", str(tmp_path), "-q", "-j", "2"]
    assert main([*args, "--progress", "on"]) == 0
    err = capsys.readouterr().err
    assert "5/5 documents" in err and "doc/s" in err


def test_iter_extract_steps_the_bar_once_per_yielded_result(capsys):
    names = []
    for out in iter_extract([str(CORPUS)], progress=True):
        names.append(out.source)
        err = capsys.readouterr().err
        assert err == "" or f"{len(names)}/5 documents" in err
    assert len(names) == 5
