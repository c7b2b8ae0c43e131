"""The query page of ``policykg serve``: YASGUI, bundled, with the project's prefixes and
canned queries.

YASGUI (``@zazuko/yasgui`` from the npm registry; see ``yasgui/LICENSE``) is the SPARQL editor
many endpoints ship: syntax highlighting and checking, prefix completion, tabs, result tables
with sorting and CSV download, raw responses. Its script and style are package data served
from ``/yasgui/``, so the page makes no request off the machine. Each canned query opens in
a tab of its own, with its labels in Chinese (``?_lang`` bound to ``zh``); remote completers
(LOV, prefix.cc) are switched off.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

__all__ = ["ASSET_DIR", "asset", "page"]

ASSET_DIR = Path(__file__).resolve().parent / "yasgui"
_ASSETS = {
    "/yasgui/yasgui.min.js": ("yasgui.min.js", "text/javascript; charset=utf-8"),
    "/yasgui/yasgui.min.css": ("yasgui.min.css", "text/css; charset=utf-8"),
    "/yasgui/LICENSE": ("LICENSE", "text/plain; charset=utf-8"),
}


@lru_cache(maxsize=len(_ASSETS))
def asset(path: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of a bundled YASGUI file served at ``path``, or None."""
    if path not in _ASSETS:
        return None
    name, media = _ASSETS[path]
    return media, (ASSET_DIR / name).read_bytes()


def _examples() -> list[dict]:
    from graph_builder.query.runner import bind_parameters, list_queries

    return [
        {"name": q.name, "title": q.title, "query": bind_parameters(q.text, "zh")}
        for q in list_queries()
    ]


@lru_cache(maxsize=4)
def page(title: str = "policykg") -> str:
    """The HTML of the query page (the endpoint is ``sparql`` beside it)."""
    from graph_builder.graph.namespace import PREFIXES

    config = {"prefixes": PREFIXES, "examples": _examples()}
    data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    return _PAGE.replace("__TITLE__", html.escape(title)).replace("__CONFIG__", data)


_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>__TITLE__ SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="yasgui/yasgui.min.css">
<style>body{font:14px system-ui,sans-serif;margin:0 1em}header{display:flex;gap:1em;
align-items:baseline;flex-wrap:wrap}h1{font-size:1.3em;margin:.6em 0}header p{margin:0;color:#555}
.yasgui .autocompleteWrapper{display:none!important}</style>
</head><body>
<header><h1>__TITLE__ SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/sparql</code>; each tab holds one of the canned queries
(<code>policykg query --list</code>); the default graph is the union of the named graphs.
Editor: <a href="yasgui/LICENSE">YASGUI</a> (MIT).</p></header>
<div id="yasgui"></div>
<script src="yasgui/yasgui.min.js"></script>
<script>
(function () {
  const config = __CONFIG__;
  const endpoint = new URL('sparql', window.location.href).toString();
  const prefixes = config.prefixes;
  // Only completers that need no outside service: variables and the prefixes below.
  Yasgui.Yasqe.defaults.autocompleters = ['variables', 'prefixes'];
  Yasgui.Yasr.defaults.prefixes = prefixes;
  const yasgui = new Yasgui(document.getElementById('yasgui'), {
    requestConfig: {endpoint: endpoint, method: 'POST'},
    copyEndpointOnNewTab: true,
    autoAddOnInit: false,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: {getData: () => [{endpoint: endpoint}], keys: []},
    yasr: {prefixes: prefixes},
  });
  config.examples.forEach((q, i) => {
    yasgui.addTab(i === 0, {
      name: q.title || q.name,
      yasqe: {value: q.query},
      requestConfig: {endpoint: endpoint, method: 'POST'},
    });
  });
  window.__gb_yasgui = yasgui;
  window.__gb_examples = config.examples.map((q) => q.name);
})();
</script></body></html>
"""
