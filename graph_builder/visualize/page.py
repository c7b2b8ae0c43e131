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
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from graph_builder._fs import atomic_write_text
from graph_builder.quotes import view_quote
from graph_builder.safetext import for_display

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

# Attributes whose URL the browser fetches, by element ("*": any element).
_FETCH_ATTRS = {
    "src": {"script", "img", "iframe", "embed", "source", "audio", "video", "track", "input"},
    "href": {"link"},
    "data": {"object"},
    "srcset": {"*"},
    "poster": {"video"},
}
# Fetches inside CSS (a <style> element or a style attribute).
_CSS_FETCH = [
    re.compile(r"""url\(\s*["']?([^"')\s]+)""", re.I),
    re.compile(r"""@import\s+["']([^"']+)""", re.I),
]
_OUTSIDE = re.compile(r"^(?:https?:)?//", re.I)


class _Fetches(HTMLParser):
    """The URLs a page's own markup fetches: attributes and CSS, never text or scripts.

    Document text on a page (a plan quoting ``url(https://…)``) is data, not markup: the
    parser sees it as text, so it can never stop a build.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            elements = _FETCH_ATTRS.get(name)
            if elements and (tag in elements or "*" in elements):
                if name == "srcset":
                    self.urls += [part.split()[0] for part in value.split(",") if part.split()]
                else:
                    self.urls.append(value.strip())
            elif name == "style":
                self._css(value)
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data)

    def _css(self, css: str) -> None:
        for pattern in _CSS_FETCH:
            self.urls += [m.group(1) for m in pattern.finditer(css)]


class ExternalReferenceError(ValueError):
    """A page would fetch a resource from another host."""


def json_for_script(data) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, ``<!--`` or line separators.

    ``<``, ``>`` and ``&`` become ``\\u003c`` …; JSON.parse reads them back unchanged.
    """
    # control and bidi characters (a right-to-left override reverses a title) shown as U+FFFD
    text = for_display(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def external_references(html: str) -> list[str]:
    """URLs on other hosts that the browser would request when opening ``html``.

    Only the page's own markup is read (fetching attributes, ``<style>`` and ``style=``):
    links a reader may click (``<a href>``), URLs inside comments, scripts' strings and the
    document text shown on the page are not requests and are not reported.
    """
    parser = _Fetches()
    parser.feed(html)
    parser.close()
    return sorted({u for u in parser.urls if _OUTSIDE.match(u)})


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


def _shown(value):
    """A template value as shown: a plain string without control or bidi characters."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return for_display(value)
    return value


@cache
def templates() -> Environment:
    """The Jinja environment of the page templates; HTML autoescaping is always on."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # every value shown: control and bidi characters become U+FFFD (see safetext)
        finalize=_shown,
    )
    # Script content is raw text: entities are not decoded there, so the JSON goes in as is
    # (already free of "<", ">" and "&").
    env.filters["script_json"] = lambda data: Markup(json_for_script(data))
    # Every quote a page copies for an item goes through the views' one length rule.
    env.filters["quote"] = view_quote
    return env


def write_page(path: Path, html: str) -> Path:
    """Write ``html`` as UTF-8, atomically, after checking it fetches nothing from outside."""
    outside = external_references(html)
    if outside:
        raise ExternalReferenceError(f"{path}: page would request outside hosts: {outside}")
    atomic_write_text(path, html)
    return path
