"""Checks a SPARQL request passes before the engine sees it: size, nesting depth, federation.

The engine (Oxigraph) parses recursively, so a few thousand nested brackets overflow its stack
and kill the process; and it follows ``SERVICE`` to any address, which turns the endpoint into
a proxy into the user's network. Both are decided here on a lexical scan that knows SPARQL's
strings, IRIs and comments, so brackets or the word ``SERVICE`` inside them never count, and
a ``SERVICE`` hidden next to punctuation or behind a prefixed name is still found. The scan is
run on the query as sent and again with ``\\u``/``\\U`` escapes decoded (SPARQL allows the
engine to decode them before parsing), and on each reading of an ambiguous ``<``; the
stricter answer wins. While no ``SERVICE`` host is allowed, the query workers also cannot
open a network socket at all (see :mod:`.query_worker`), so a scan that was fooled still
sends nothing.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field

from graph_builder import errors

__all__ = ["Limits", "Refused", "QueryShape", "scan", "check_query"]


@dataclass(frozen=True)
class Limits:
    """What one request may cost. Defaults suit a local endpoint on a laptop."""

    max_query_chars: int = 100_000
    max_depth: int = 100
    max_body: int = 1 << 20
    timeout: float = 10.0
    memory_mb: int = 1024
    workers: int = 2
    request_deadline: float = 20.0  # seconds a client has to send its whole request
    allowed_services: tuple[str, ...] = field(default_factory=tuple)


class Refused(Exception):
    """A request refused before it runs; ``status`` is the HTTP status line to answer with."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class QueryShape:
    """What the scan found: deepest bracket nesting and each ``SERVICE`` target (None: unknown)."""

    depth: int = 0
    services: list[str | None] = field(default_factory=list)


_IRI = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>")
_WORD = re.compile(r"[^\s(){}\[\]<>\"'#,;?$*+/|=!&^.]+(?:\.+[^\s(){}\[\]<>\"'#,;?$*+/|=!&^.]+)*")
_VAR = re.compile(r"[?$][^\s(){}\[\]<>\"'#,;.?$*+/|=!&^]*")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPEN, _CLOSE = "({[", ")}]"


def _tokens(text: str, iris: str = "all"):
    """Yield ``(kind, value)``: kind is 'iri', 'word', 'var', 'string', 'open', 'close' or 'punct'.

    A ``<`` is an IRI's start or a less-than, and only the engine's parse knows which: a
    "less-than" span such as ``<1+'>`` would open a string for one reading and not the other.
    ``iris`` picks the reading: "all" (every span shaped like an IRI is one), "plain" (not
    those holding a quote) or "none" (``<`` is always an operator)."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            yield "string", text[i : j + len(quote)]
            i = j + len(quote)
        elif (
            c == "<"
            and iris != "none"
            and (m := _IRI.match(text, i))
            and (iris == "all" or "'" not in m.group(1))
        ):
            yield "iri", m.group(1)
            i = m.end()
        elif c in "?$" and (m := _VAR.match(text, i)) and len(m.group()) > 1:
            yield "var", m.group()
            i = m.end()
        elif c in _OPEN:
            yield "open", c
            i += 1
        elif c in _CLOSE:
            yield "close", c
            i += 1
        elif m := _WORD.match(text, i):
            yield "word", m.group()
            i = m.end()
        else:
            yield "punct", c
            i += 1


def scan(text: str, iris: str = "all") -> QueryShape:
    """Nesting depth and ``SERVICE`` targets of one query text, ``<`` read as ``iris`` says."""
    shape, depth = QueryShape(), 0
    prefixes: dict[str, str] = {}
    base = ""
    tokens = list(_tokens(text, iris))
    for k, (kind, value) in enumerate(tokens):
        if kind == "open":
            depth += 1
            shape.depth = max(shape.depth, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind != "word":
            continue
        word = value.lower()
        nxt = tokens[k + 1 : k + 4]
        if word == "base" and nxt and nxt[0][0] == "iri":
            base = urllib.parse.urljoin(base, nxt[0][1])
        elif word == "prefix" and len(nxt) >= 2 and nxt[0][0] == "word" and nxt[1][0] == "iri":
            prefixes[nxt[0][1].rstrip(":")] = urllib.parse.urljoin(base, nxt[1][1])
        elif word.startswith("service"):
            # Anything that starts like the keyword counts, so ``SERVICE:x`` or
            # ``SERVICESILENT`` cannot slip past a parser that needs no word boundary.
            shape.services.append(_target(value, nxt, prefixes, base))
    return shape


def _target(word: str, nxt: list, prefixes: dict[str, str], base: str) -> str | None:
    """The IRI a ``SERVICE`` token points at, or None when it cannot be known from the text."""
    if word.lower() != "service":
        return None
    if nxt and nxt[0][0] == "word" and nxt[0][1].lower() == "silent":
        nxt = nxt[1:]
    if not nxt:
        return None
    kind, value = nxt[0]
    if kind == "iri":
        return urllib.parse.urljoin(base, value)
    if kind == "word" and ":" in value:
        prefix, local = value.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def _decode_escapes(text: str) -> str:
    def one(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group()

    return _ESCAPE.sub(one, text)


def _allowed(target: str | None, allowed: tuple[str, ...]) -> bool:
    if target is None:
        return False
    parts = urllib.parse.urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    for entry in allowed:
        host, want = entry.lower().rsplit(":", 1) if entry.count(":") == 1 else (entry, "")
        if host.lower().strip("[]") == parts.hostname.lower() and (not want or want == str(port)):
            return True
    return False


def check_query(text: str, limits: Limits, kind: str = "query") -> None:
    """Raise :class:`Refused` (a 4xx) if ``text`` is too large, too deep or federates unasked."""
    if len(text) > limits.max_query_chars:
        raise Refused(
            "413 Payload Too Large",
            f"{errors.E066}: {kind} of {len(text)} characters is over the limit of "
            f"{limits.max_query_chars}",
        )
    for variant in {text, _decode_escapes(text)}:
        # Brackets inside IRIs do not count, but a span that only looks like an IRI could hide
        # real nesting; counted with every bracket, a looser bound (5x) still applies.
        depth = scan(variant).depth
        raw_depth = scan(variant, "none").depth
        if depth > limits.max_depth or raw_depth > 5 * limits.max_depth:
            raise Refused(
                "400 Bad Request",
                f"{errors.E066}: {kind} nests brackets {max(depth, raw_depth)} deep; the limit is "
                f"{limits.max_depth}",
            )
        services = scan(variant).services + scan(variant, "plain").services
        for target in services:
            if not _allowed(target, limits.allowed_services):
                where = target or "a target that is not a literal IRI"
                hint = (
                    "federation is off (start the endpoint with --allow-service HOST)"
                    if not limits.allowed_services
                    else "allowed: " + ", ".join(limits.allowed_services)
                )
                raise Refused(
                    "400 Bad Request", f"{errors.E065}: SERVICE to {where} is refused; {hint}"
                )
