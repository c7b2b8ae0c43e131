"""Walk every Span of a Plan (or any model object) and check it against the source text."""

from __future__ import annotations

import dataclasses

from graph_builder.model import Diagnostic, Plan, Span

__all__ = ["iter_spans", "assert_spans_faithful"]


def iter_spans(obj, path: str = "plan"):
    """Yield (path, span) for every Span reachable from ``obj``."""
    if isinstance(obj, Span):
        yield path, obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if f.name == "text" and isinstance(obj, Plan):
                continue
            yield from iter_spans(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from iter_spans(v, f"{path}[{k!r}]")
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            yield from iter_spans(v, f"{path}[{i}]")


def assert_spans_faithful(plan: Plan) -> int:
    """Every span lies within the text and quotes it exactly; returns how many were checked."""
    n = 0
    text = plan.text
    for path, span in iter_spans(plan):
        assert 0 <= span.start <= span.end <= len(text), f"{path} out of bounds: {span}"
        assert span.text == text[span.start : span.end], f"{path} quote differs: {span}"
        n += 1
    for d in plan.diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.start is None or 0 <= d.start <= len(text), d
    return n
