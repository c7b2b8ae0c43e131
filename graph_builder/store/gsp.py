"""Push named graphs to a store through the SPARQL 1.1 Graph Store HTTP Protocol.

``PUT <endpoint>?graph=<iri>`` replaces a graph, so loading the same corpus twice leaves the
store as it was after the first load. Credentials come from the environment, never from the
command line: ``GB_STORE_USER`` and ``GB_STORE_PASSWORD`` (HTTP basic) or ``GB_STORE_TOKEN``
(bearer).
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

__all__ = ["StoreError", "GraphStore"]


class StoreError(Exception):
    """An HTTP or connection failure, with a message fit for one line of stderr."""


@dataclass
class GraphStore:
    """A Graph Store Protocol service, e.g. ``http://localhost:7878/store`` (Oxigraph),
    ``http://localhost:3030/ds/data`` (Fuseki), ``…/repositories/NAME/rdf-graphs/service``
    (GraphDB), ``http://localhost:8890/sparql-graph-crud-auth`` (Virtuoso)."""

    endpoint: str
    timeout: float = 60.0

    def _headers(self, content_type: str | None = None) -> dict:
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        user, password = os.environ.get("GB_STORE_USER"), os.environ.get("GB_STORE_PASSWORD")
        token = os.environ.get("GB_STORE_TOKEN")
        if user is not None and password is not None:
            raw = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {raw}"
        elif token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def url(self, graph_iri: str) -> str:
        sep = "&" if "?" in self.endpoint else "?"
        return f"{self.endpoint}{sep}graph={urllib.parse.quote(graph_iri, safe='')}"

    def _send(self, method: str, url: str, data: bytes | None = None, content_type=None) -> int:
        req = urllib.request.Request(
            url, data=data, method=method, headers=self._headers(content_type)
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
                return resp.status
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip().splitlines()
            detail = f": {body[0][:200]}" if body else ""
            hint = " (set GB_STORE_USER and GB_STORE_PASSWORD)" if exc.code in (401, 403) else ""
            raise StoreError(
                f"{method} {url}: HTTP {exc.code} {exc.reason}{detail}{hint}"
            ) from None
        except urllib.error.URLError as exc:
            raise StoreError(f"{method} {url}: cannot connect: {exc.reason}") from None
        except TimeoutError:
            raise StoreError(f"{method} {url}: no answer within {self.timeout:.0f} s") from None

    def put(self, graph_iri: str, ntriples: bytes) -> int:
        """Replace ``graph_iri`` with the N-Triples ``ntriples``; returns the HTTP status."""
        return self._send("PUT", self.url(graph_iri), ntriples, "application/n-triples")

    def delete(self, graph_iri: str) -> int:
        return self._send("DELETE", self.url(graph_iri))
