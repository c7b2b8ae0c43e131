"""A SPARQL 1.1 Protocol endpoint over an Oxigraph store (the engine is pyoxigraph's).

``GET /sparql?query=…`` and ``POST /sparql`` (form-encoded ``query=`` or a
``application/sparql-query`` body) answer SELECT and ASK as JSON, XML, CSV or TSV and
CONSTRUCT/DESCRIBE as Turtle, N-Triples, RDF/XML or JSON-LD, chosen by the ``Accept`` header
(or a ``format`` parameter). ``default-graph-uri`` and ``named-graph-uri`` are honoured; without
them the default graph is the union of all named graphs, so queries need no ``GRAPH`` clause.
Updates are refused (403) unless the server was started with ``allow_update``. ``GET /`` is a
query page (YASGUI, served from the package: no outside request). The server binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import threading
import urllib.parse
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pyoxigraph as ox

from graph_builder.store.query_page import asset, page

__all__ = ["SparqlApp", "serve", "make_app_server", "negotiate"]

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
#: ``format``/``output`` parameter values, by the kind of result they are asked of. The same
#: word names a different media type for solutions and for graphs: SPARQLWrapper sends
#: ``format=xml`` by default, which means SPARQL Results XML for SELECT/ASK and RDF/XML for
#: CONSTRUCT/DESCRIBE (``json`` likewise means JSON-LD for a graph).
_SHORT = {
    "solutions": {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
    },
    "graph": {
        "xml": "application/rdf+xml",
        "rdfxml": "application/rdf+xml",
        "rdf+xml": "application/rdf+xml",
        "json": "application/ld+json",
        "jsonld": "application/ld+json",
        "json-ld": "application/ld+json",
        "turtle": "text/turtle",
        "ttl": "text/turtle",
        "n3": "text/turtle",
        "nt": "application/n-triples",
        "n-triples": "application/n-triples",
    },
}
#: Other names clients use for the media types offered (Turtle is valid N3).
_ALIASES = {
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/n3": "text/turtle",
    "text/plain": "application/n-triples",
    "application/x-json+ld": "application/ld+json",
}
MAX_BODY = 1 << 20


def _negotiate(accept: str, offered: dict, default: str) -> str | None:
    """The offered media type the Accept header prefers (q-values honoured), or None."""
    if not accept:
        return default
    best, best_q = None, 0.0
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        media = _ALIASES.get(media, media)
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media in ("*/*", "application/*", "text/*"):
            candidate = default
        elif media in offered:
            candidate = media
        else:
            continue
        score = q - i * 1e-6
        if score > best_q:
            best, best_q = candidate, score
    return best


def negotiate(kind: str, accept: str, fmt: str | None = None) -> str | None:
    """The media type to answer with: ``kind`` is ``"solutions"`` (SELECT, ASK) or ``"graph"``
    (CONSTRUCT, DESCRIBE). A ``format``/``output`` parameter naming a format of that kind (a
    short word or a media type) wins over the ``Accept`` header; an unknown one is ignored, as
    clients send the same parameter for every query form. None when nothing offered fits."""
    offered, default = (
        (_RESULTS, "application/sparql-results+json")
        if kind == "solutions"
        else (_GRAPHS, "text/turtle")
    )
    if fmt:
        media = _SHORT[kind].get(fmt.lower()) or _ALIASES.get(fmt.lower(), fmt.lower())
        if media in offered:
            return media
    return _negotiate(accept, offered, default)


class SparqlApp:
    """The WSGI application. One store, shared by threads (Oxigraph reads are thread-safe)."""

    def __init__(self, store: ox.Store, allow_update: bool = False, title: str = "policykg"):
        self.store = store
        self.allow_update = allow_update
        self.title = title

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if path in ("/", "/index.html") and method == "GET":
                return self._respond(
                    start_response, "200 OK", "text/html; charset=utf-8", self.page().encode()
                )
            if path.startswith("/yasgui/") and method == "GET":
                found = asset(path)
                if found is None:
                    return self._error(start_response, "404 Not Found", f"no such file: {path}")
                return self._respond(start_response, "200 OK", *found)
            if path != "/sparql":
                return self._error(
                    start_response, "404 Not Found", f"no such path: {path} (use /sparql)"
                )
            params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            query = update = None
            if method == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                if length > MAX_BODY:
                    return self._error(
                        start_response, "413 Payload Too Large", "request over 1 MiB"
                    )
                body = environ["wsgi.input"].read(length).decode("utf-8") if length else ""
                if ctype == "application/sparql-query":
                    query = body
                elif ctype == "application/sparql-update":
                    update = body
                elif ctype in ("application/x-www-form-urlencoded", ""):
                    form = urllib.parse.parse_qs(body, keep_blank_values=True)
                    params = {**params, **form}
                else:
                    return self._error(
                        start_response, "415 Unsupported Media Type", f"cannot read {ctype}"
                    )
            elif method != "GET":
                return self._error(start_response, "405 Method Not Allowed", "use GET or POST")
            query = query or (params.get("query") or [None])[0]
            update = update or (params.get("update") or [None])[0]
            if update is not None:
                return self._update(start_response, update)
            if not query:
                return self._error(start_response, "400 Bad Request", "missing query parameter")
            return self._query(start_response, query, params, environ.get("HTTP_ACCEPT", ""))
        except Exception as exc:  # noqa: BLE001 - a bad request must not kill the server
            return self._error(start_response, "500 Internal Server Error", str(exc))

    def _query(self, start_response, query, params, accept):
        defaults = [ox.NamedNode(u) for u in params.get("default-graph-uri", [])]
        named = [ox.NamedNode(u) for u in params.get("named-graph-uri", [])]
        fmt = (params.get("format") or params.get("output") or [None])[0]
        try:
            result = self.store.query(
                query,
                use_default_graph_as_union=not defaults,
                default_graph=defaults or None,
                named_graphs=named or None,
            )
        except SyntaxError as exc:
            return self._error(start_response, "400 Bad Request", f"query syntax: {exc}")
        except (ValueError, OSError) as exc:
            return self._error(start_response, "400 Bad Request", str(exc))
        if isinstance(result, ox.QueryTriples):
            media = negotiate("graph", accept, fmt)
            if media is None:
                return self._error(
                    start_response, "406 Not Acceptable", "graph results: " + ", ".join(_GRAPHS)
                )
            body = ox.serialize(result, format=_GRAPHS[media])
        else:
            media = negotiate("solutions", accept, fmt)
            if media is None:
                return self._error(
                    start_response, "406 Not Acceptable", "results: " + ", ".join(_RESULTS)
                )
            body = result.serialize(format=_RESULTS[media])
        charset = "; charset=utf-8" if media.startswith("text/") else ""
        return self._respond(start_response, "200 OK", media + charset, body)

    def _update(self, start_response, update):
        if not self.allow_update:
            return self._error(
                start_response,
                "403 Forbidden",
                "this endpoint is read-only (start it with --allow-update)",
            )
        try:
            self.store.update(update)
        except SyntaxError as exc:
            return self._error(start_response, "400 Bad Request", f"update syntax: {exc}")
        return self._respond(start_response, "204 No Content", "text/plain", b"")

    @staticmethod
    def _respond(start_response, status, media, body: bytes):
        start_response(status, [("Content-Type", media), ("Content-Length", str(len(body))),
                                ("Access-Control-Allow-Origin", "*")])  # fmt: skip
        return [body]

    def _error(self, start_response, status, message):
        return self._respond(
            start_response, status, "text/plain; charset=utf-8", (message + "\n").encode()
        )

    def page(self) -> str:
        """The query page (YASGUI, bundled: see :mod:`graph_builder.store.query_page`)."""
        return page(self.title)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


def make_app_server(app: SparqlApp, host: str = "127.0.0.1", port: int = 7878, quiet: bool = True):
    """A threaded WSGI server for ``app`` (port 0 picks a free port: see ``server_port``)."""
    handler = _QuietHandler if quiet else WSGIRequestHandler
    return make_server(host, port, app, server_class=_Server, handler_class=handler)


def serve(store: ox.Store, host: str = "127.0.0.1", port: int = 7878, allow_update: bool = False,
          ready: threading.Event | None = None) -> None:  # fmt: skip
    """Serve until interrupted."""
    server = make_app_server(SparqlApp(store, allow_update), host, port, quiet=False)
    if ready is not None:
        ready.set()
    try:
        server.serve_forever()
    finally:
        server.server_close()
