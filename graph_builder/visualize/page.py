"""Self-contained HTML pages: inlined assets, safe embedding of document text, checked writes.

A page must open by double-click with no network. So every script and style is inlined, data
from documents reaches a page only through :func:`json_for_script` (inside a
``<script type="application/json">``) or Jinja's HTML autoescaping, and :func:`write_page`
refuses to write a page that would make the browser fetch anything from another host.

Why not pyvis's own ``cdn_resources="in_line"``: its template inlines vis-network but still
links Bootstrap CSS and JS from cdn.jsdelivr.net on every page (and tom-select from
cdnjs.cloudflare.com in ``remote`` mode); :func:`external_references` finds those. We keep
pyvis for the network data and its bundled vis-network build, and render our own template.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from graph_builder.export.io import atomic_write_text

__all__ = [
    "TEMPLATE_DIR",
    "ExternalReferenceError",
    "json_for_script",
    "external_references",
    "vis_network_assets",
    "templates",
    "write_page",
]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

# Places in HTML/CSS where a URL makes the browser fetch something.
_FETCHING = [
    re.compile(
        r"""<(?:script|img|iframe|embed|source|audio|video|track|input)\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)""",
        re.I,
    ),
    re.compile(r"""<link\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]+)""", re.I),
    re.compile(r"""<object\b[^>]*?\bdata\s*=\s*["']?([^"'\s>]+)""", re.I),
    re.compile(r"""\bsrcset\s*=\s*["']?([^"'\s>]+)""", re.I),
    re.compile(r"""url\(\s*["']?([^"')\s]+)""", re.I),
    re.compile(r"""@import\s+["']([^"']+)""", re.I),
]
_OUTSIDE = re.compile(r"^(?:https?:)?//", re.I)


class ExternalReferenceError(ValueError):
    """A page would fetch a resource from another host."""


def json_for_script(data) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, ``<!--`` or line separators.

    ``<``, ``>`` and ``&`` become ``\\u003c`` …; JSON.parse reads them back unchanged.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def external_references(html: str) -> list[str]:
    """URLs on other hosts that the browser would request when opening ``html``.

    Links a reader may click (``<a href>``) and URLs inside licence comments or strings are
    not requests and are not reported.
    """
    found = []
    for pattern in _FETCHING:
        for m in pattern.finditer(html):
            url = m.group(1)
            if _OUTSIDE.match(url):
                found.append(url)
    return sorted(set(found))


def _pyvis_lib() -> Path:
    import pyvis

    return Path(pyvis.__file__).resolve().parent / "templates" / "lib"


@cache
def vis_network_assets() -> tuple[str, str]:
    """(JavaScript, CSS) of the vis-network build bundled with pyvis, ready to inline."""
    lib = _pyvis_lib() / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # A literal end tag would close the inline element early; escape it as JS/CSS allow.
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.I)
    css = re.sub(r"</(style)", r"\\3c/\1", css, flags=re.I)
    return js, css


@cache
def templates() -> Environment:
    """The Jinja environment of the page templates; HTML autoescaping is always on."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Script content is raw text: entities are not decoded there, so the JSON goes in as is
    # (already free of "<", ">" and "&").
    env.filters["script_json"] = lambda data: Markup(json_for_script(data))
    return env


def write_page(path: Path, html: str) -> Path:
    """Write ``html`` as UTF-8, atomically, after checking it fetches nothing from outside."""
    outside = external_references(html)
    if outside:
        raise ExternalReferenceError(f"{path}: page would request outside hosts: {outside}")
    atomic_write_text(path, html)
    return path
