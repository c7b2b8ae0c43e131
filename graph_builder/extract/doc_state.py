"""The pipeline's state on the spaCy Doc, in plain values, and the Plan rebuilt from it.

A Doc must survive ``doc.to_bytes()``, :class:`~spacy.tokens.DocBin` and the pickling of
``nlp.pipe(n_process=2)``: all of them serialise ``doc.user_data`` (where extension values
live) with msgpack, which cannot hold a :class:`~graph_builder.model.Plan`. So what the
components find is kept on the Doc as span groups and as plain values (lists, dicts, str, int,
float, bool, None) in declared extensions:

=====================  =========================================================  ==========
extension              holds                                                      set by
=====================  =========================================================  ==========
``doc._.gb_masked``    the reader's masked text (artefacts blanked)               make_doc
``doc._.gb_source``    doc_id, source, sha256, encoding, ignored, diagnostics     make_doc
``doc._.gb_outline``   the outline of headings, measure blocks and tables         gb_layout
``doc._.gb_plan``      the plan found so far (:func:`encode_plan`)                components
=====================  =========================================================  ==========

The codec is lossless and driven by the dataclasses' own type hints, so a field added to the
model is carried without touching this module. The text is not copied: it is ``doc.text``.

Decoding a plan after every component would cost more than the components, so the Plan a
component has just built is also cached beside the Doc (:func:`doc_cache`, which no serialiser sees),
tagged with the very state object it was encoded to: :func:`working_plan` uses the cache only
while ``doc._.gb_plan`` is still that object, and otherwise rebuilds from the state.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
import types
import typing
import weakref
from collections.abc import Callable, Sequence
from functools import cache
from operator import attrgetter
from typing import Any

from spacy.tokens import Doc

from graph_builder.model import Diagnostic, Measure, Plan, Span
from graph_builder.segment.structure import Outline

__all__ = [
    "ensure_extensions",
    "encode_value",
    "decode_value",
    "encode_plan",
    "decode_plan",
    "encode_outline",
    "decode_outline",
    "source_state",
    "doc_cache",
    "doc_text",
    "empty_plan",
    "working_plan",
    "store_plan",
    "outline_of",
    "store_outline",
    "plan_from_doc",
]

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]

#: Per-Doc caches, dropped with their Doc. Not ``doc.user_hooks``: ``doc.to_bytes()`` warns
#: (W109) for every Doc that has any, and ``nlp.pipe(n_process=2)`` calls it for each Doc.
_CACHES: weakref.WeakKeyDictionary[Doc, dict] = weakref.WeakKeyDictionary()
#: Keys of the caches.
_CACHE = "gb_plan_cache"
_OUTLINE_CACHE = "gb_outline_cache"
TEXT_HOOK = "gb_text"


def ensure_extensions() -> None:
    """Register the Doc extensions once (idempotent); all hold plain values."""
    for name in ("gb_masked", "gb_source", "gb_outline", "gb_plan"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


ensure_extensions()


def _same(x: Any) -> Any:
    return x


def _codec(tp: Any) -> Codec:
    """Encoder and decoder for one type hint (built once per hint)."""
    plain = (int, float, str, bool, type(None), Any, dict)  # a bare dict holds plain values
    if tp in plain or typing.get_origin(tp) is typing.Literal:
        return _same, _same
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if all(_codec(a) == (_same, _same) for a in inner):
            return _same, _same
        if len(inner) != 1:
            raise TypeError(f"no codec for {tp!r}")
        enc, dec = _codec(inner[0])
        return (lambda v: None if v is None else enc(v)), (lambda v: None if v is None else dec(v))
    if origin is list:
        enc, dec = _codec(args[0])
        if enc is _same:
            return list, list
        return (lambda v: list(map(enc, v))), (lambda v: list(map(dec, v)))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            enc, dec = _codec(args[0])
            return (lambda v: list(map(enc, v))), (lambda v: tuple(map(dec, v)))
        codecs = [_codec(a) for a in args]
        return (
            lambda v: [c[0](x) for c, x in zip(codecs, v, strict=True)],
            lambda v: tuple(c[1](x) for c, x in zip(codecs, v, strict=True)),
        )
    if origin is dict:
        enc, dec = _codec(args[1])
        return (lambda v: {k: enc(x) for k, x in v.items()}), (
            lambda v: {k: dec(x) for k, x in v.items()}
        )
    if dataclasses.is_dataclass(tp):
        return _dataclass_codec(tp)
    if isinstance(tp, type) and issubclass(tp, tuple) and hasattr(tp, "_fields"):
        return _namedtuple_codec(tp)
    raise TypeError(f"no codec for {tp!r}")


@cache
def _namedtuple_codec(cls: type) -> Codec:
    """A NamedTuple (a clause's ends) as a plain tuple of its values."""
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    codecs = [_codec(hints[n]) for n in cls._fields]
    if any(c[0] is not _same for c in codecs):
        encs, decs = [c[0] for c in codecs], [c[1] for c in codecs]
        return (
            lambda v: [e(x) for e, x in zip(encs, v, strict=True)],
            lambda v: cls(*[d(x) for d, x in zip(decs, v, strict=True)]),
        )
    return tuple, lambda v: cls(*v)


@cache
def _dataclass_codec(cls: type) -> Codec:
    """A dataclass as the tuple of its field values, in field order (an array in msgpack
    and JSON; it comes back as a list, which decodes the same)."""
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    names = [f.name for f in dataclasses.fields(cls)]
    getter = attrgetter(*names)
    codecs = [_codec(hints[n]) for n in names]
    mapped = [c for c in codecs if c[0] is not _same]
    decoders = [c[1] for c in codecs]

    if not mapped and len(names) > 1:
        encode = getter  # Span, Diagnostic, Cell ...: the values as they are, in C
    else:
        encode = _compiled_encoder(cls, names, hints, codecs)

    if not mapped:

        def decode(row: list) -> Any:
            return cls(*row)

    else:

        def decode(row: list) -> Any:
            return cls(*[d(v) for d, v in zip(decoders, row, strict=True)])

    return encode, decode


def encode_value(obj: Any) -> Any:
    """Any dataclass of the model or the vocabulary (a ConceptScheme) as plain values."""
    return _dataclass_codec(type(obj))[0](obj)


def decode_value(cls: type, state: Any) -> Any:
    """The ``cls`` that :func:`encode_value` wrote."""
    return _dataclass_codec(cls)[1](state)


def _compiled_encoder(cls: type, names: list[str], hints: dict, codecs: list[Codec]):
    """``obj -> [field values]`` as one generated function: a plan has hundreds of these
    objects and the pipeline encodes them as it goes, so no per-field loop or call is spent
    on a plain value, nor on an absent optional one."""
    env: dict[str, Any] = {}
    parts = []
    for i, (n, (enc, _dec)) in enumerate(zip(names, codecs, strict=True)):
        if enc is _same:
            parts.append(f"o.{n}")
            continue
        tp = hints[n]
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        optional = typing.get_origin(tp) in (typing.Union, types.UnionType) and len(inner) == 1
        env[f"e{i}"] = _codec(inner[0])[0] if optional else enc
        parts.append(f"(None if o.{n} is None else e{i}(o.{n}))" if optional else f"e{i}(o.{n})")
    source = f"def encode(o):\n    return [{', '.join(parts)}]\n"
    exec(compile(source, f"<encode {cls.__qualname__}>", "exec"), env)
    return env["encode"]


@cache
def field_codec(cls: type, name: str) -> tuple[int, Codec]:
    """Position and codec of one field of ``cls`` in its encoded row."""
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    names = [f.name for f in dataclasses.fields(cls)]
    return names.index(name), _codec(hints[name])


@cache
def _plan_codecs() -> dict[str, Codec]:
    """Codec of each field of Plan but its text (the Doc's own)."""
    hints = typing.get_type_hints(Plan, vars(sys.modules[Plan.__module__]))
    return {
        f.name: _codec(hints[f.name]) for f in dataclasses.fields(Plan) if f.name != "text"
    }


def encode_plan(plan: Plan) -> dict:
    """``plan`` as plain values, one entry per field (without its text)."""
    return {name: c[0](getattr(plan, name)) for name, c in _plan_codecs().items()}


def decode_plan(state: dict, text: str) -> Plan:
    """The Plan that :func:`encode_plan` wrote, over ``text``."""
    fields = {name: c[1](state[name]) for name, c in _plan_codecs().items()}
    return Plan(text=text, **fields)


def encode_outline(outline: Outline) -> list:
    """The layout's outline as plain values."""
    return _dataclass_codec(Outline)[0](outline)


def decode_outline(state: list) -> Outline:
    """The outline that :func:`encode_outline` wrote."""
    return _dataclass_codec(Outline)[1](state)


def source_state(
    doc_id: str,
    source: str,
    sha256: str,
    encoding: str,
    ignored: list[Span],
    diagnostics: list[Diagnostic],
) -> dict:
    """What the reader knows of a document, for ``doc._.gb_source``."""
    span = _codec(Span)[0]
    diag = _codec(Diagnostic)[0]
    return {
        "doc_id": doc_id,
        "source": source,
        "sha256": sha256,
        "encoding": encoding,
        "ignored": [span(s) for s in ignored],
        "diagnostics": [diag(d) for d in diagnostics],
    }


def doc_cache(doc: Doc) -> dict:
    """What is kept for ``doc`` while it lives, outside its serialised state."""
    cache = _CACHES.get(doc)
    if cache is None:
        cache = _CACHES[doc] = {}
    return cache


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc (spaCy joins the tokens anew on every access,
    which costs as much as a component) and kept beside the cache."""
    cache = doc_cache(doc)
    text = cache.get(TEXT_HOOK)
    if text is None:
        text = cache[TEXT_HOOK] = doc.text
    return text


def empty_plan(doc: Doc) -> Plan:
    """The plan before any component ran: the reader's facts, or the text's hash."""
    text = doc_text(doc)
    src = doc._.gb_source
    if src is None:
        digest = hashlib.sha256(text.encode()).hexdigest()
        return Plan(doc_id=digest[:12], source="-", text=text, sha256=digest, encoding="utf-8")
    span = _codec(Span)[1]
    diag = _codec(Diagnostic)[1]
    return Plan(
        doc_id=src["doc_id"],
        source=src["source"],
        text=text,
        sha256=src["sha256"],
        encoding=src["encoding"],
        ignored=[span(s) for s in src["ignored"]],
        diagnostics=[diag(d) for d in src["diagnostics"]],
    )


def working_plan(doc: Doc) -> Plan:
    """The plan the next component extends: the cached one while it matches the Doc's state,
    else rebuilt from the state (after DocBin, pickling or a hand-edited ``doc._.gb_plan``)."""
    state = doc._.gb_plan
    cached = doc_cache(doc).get(_CACHE)
    if cached is not None and cached[0] is state:
        return cached[1]
    plan = empty_plan(doc) if state is None else decode_plan(state, doc_text(doc))
    doc_cache(doc)[_CACHE] = (state, plan)
    return plan


def store_plan(doc: Doc, plan: Plan, fields: Sequence[str] | None = None) -> None:
    """Write what a component changed in ``plan`` to the Doc's state and cache the plan.

    ``fields`` names the Plan fields the component set (``"targets"``) or the fields it set
    on every measure (``"measures.instrument_tags"``); only those are encoded again. None
    encodes the whole plan. The state is a new dict each time, so the cache follows it."""
    old = doc._.gb_plan
    if fields is None or old is None:
        state = encode_plan(plan)
    else:
        state = dict(old)
        codecs = _plan_codecs()
        for name in fields:
            top, _, sub = name.partition(".")
            if not sub:
                state[top] = codecs[top][0](getattr(plan, top))
                continue
            rows = state[top]
            items = getattr(plan, top)
            if len(rows) != len(items):
                state[top] = codecs[top][0](items)
                continue
            pos, (enc, _dec) = field_codec(Measure, sub)
            for row, item in zip(rows, items, strict=True):
                row[pos] = enc(getattr(item, sub))
    doc._.gb_plan = state
    doc_cache(doc)[_CACHE] = (state, plan)


def outline_of(doc: Doc) -> Outline | None:
    """The layout's outline, from ``doc._.gb_outline`` (None before ``gb_layout``)."""
    state = doc._.gb_outline
    cached = doc_cache(doc).get(_OUTLINE_CACHE)
    if cached is not None and cached[0] is state:
        return cached[1]
    outline = None if state is None else decode_outline(state)
    doc_cache(doc)[_OUTLINE_CACHE] = (state, outline)
    return outline


def store_outline(doc: Doc, outline: Outline) -> None:
    """Write the outline to ``doc._.gb_outline`` and keep it as the cache."""
    state = encode_outline(outline)
    doc._.gb_outline = state
    doc_cache(doc)[_OUTLINE_CACHE] = (state, outline)


def plan_from_doc(doc: Doc) -> Plan:
    """The Plan of a processed Doc, from its state (or the matching cache)."""
    return working_plan(doc)
