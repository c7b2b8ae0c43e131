"""A SPARQL 1.1 Protocol endpoint over an Oxigraph store, hardened for a browser's neighbourhood.

``GET /sparql?query=…`` and ``POST /sparql`` (form-encoded ``query=`` or a
``application/sparql-query`` body) answer SELECT and ASK as JSON, XML, CSV or TSV and
CONSTRUCT/DESCRIBE as Turtle, N-Triples, RDF/XML or JSON-LD, chosen by the ``Accept`` header
(or a ``format`` parameter). ``default-graph-uri`` and ``named-graph-uri`` are honoured; without
them the default graph is the union of all named graphs, so queries need no ``GRAPH`` clause.
``GET /`` is a query page (YASGUI, served from the package: no outside request).

The engine is pyoxigraph's; this module is the layer in front of it, because the engine
crashes on deep nesting, follows ``SERVICE`` anywhere and cannot be interrupted:

* every query runs in a worker process (:mod:`.pool`) that is killed and replaced when it
  passes the time limit or the memory limit or its client disconnects;
* size, nesting depth and ``SERVICE`` targets are checked before the engine parses
  (:mod:`.query_guard`); federation is off unless hosts are allowed, and while it is off
  the workers cannot even open a network socket (Linux seccomp);
* bodies are read only with a ``Content-Length`` within the limit; the ``Host`` header must
  name this server (DNS rebinding); no CORS header unless an origin is allowed; updates only
  with ``allow_update``, from the same origin and with the bearer token printed at start;
* the HTTP server has a listen backlog of 128, a bounded number of threads and deadlines for
  slow clients; client faults get a 4xx, never a 500.

The parts are separate functions so each can change alone: :meth:`SparqlApp.read_request`
(parsing and body limit), :meth:`SparqlApp.check_host` / :meth:`SparqlApp.check_update`
(who may ask), :mod:`.negotiation` (result formats), :meth:`SparqlApp.page` (the page).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import shutil
import socket
import tempfile
import threading
import urllib.parse
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

import pyoxigraph as ox

from graph_builder import errors
from graph_builder.store.negotiation import negotiate
from graph_builder.store.pool import Stopped, WorkerPool
from graph_builder.store.query_guard import Limits, Refused, check_query
from graph_builder.store.query_page import asset, page

__all__ = ["SparqlApp", "serve", "make_app_server", "Limits", "negotiate"]

_TEXT = "text/plain; charset=utf-8"


def _materialize(store: ox.Store) -> Path:
    """Copy an in-memory store to a temporary on-disk one the workers can open."""
    folder = Path(tempfile.mkdtemp(prefix="policykg-serve-"))
    disk = ox.Store(str(folder))
    disk.bulk_load(store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    disk.flush()
    del disk  # closes the store before a worker opens it
    return folder


class SparqlApp:
    """The WSGI application. ``store`` is an on-disk store folder or an ``ox.Store`` (copied to
    a temporary folder). Call :meth:`close` to stop its workers. With ``allow_update`` one
    worker opens the store for writing and runs queries and updates one at a time (a store
    has one writer); otherwise ``limits.workers`` read-only workers run queries side by side."""

    def __init__(self, store: ox.Store | str | Path, allow_update: bool = False,
                 title: str = "policykg", limits: Limits | None = None,
                 cors: tuple[str, ...] = (), token: str | None = None):  # fmt: skip
        self.allow_update = allow_update
        self.title = title
        self.limits = limits or Limits()
        self.cors = tuple(o.rstrip("/") for o in cors)
        self.update_token = (token or secrets.token_urlsafe(24)) if allow_update else None
        self.names: set[str] = {"localhost"}
        self.port: int | None = None
        if isinstance(store, ox.Store):
            self._temp: Path | None = _materialize(store)
            folder = self._temp
        else:
            self._temp, folder = None, Path(store)
        self.pool = WorkerPool(
            folder,
            self.limits.workers,
            writable=allow_update,
            memory_mb=self.limits.memory_mb,
            network=bool(self.limits.allowed_services),
        )

    def bind(self, host: str, port: int) -> None:
        """Tell the app the address it is served on (for the Host and Origin checks)."""
        self.port = port
        if host not in ("", "0.0.0.0", "::"):
            self.names.add(host.lower())
        else:  # on every interface: the machine's own names are this server too
            self.names |= {socket.gethostname().lower(), socket.getfqdn().lower()}

    def close(self) -> None:
        self.pool.close()
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)

    # -- request handling ----------------------------------------------------------------

    def __call__(self, environ, start_response):
        try:
            status, headers, body = self.handle(environ)
        except (Refused, Stopped) as exc:
            status, headers, body = exc.status, [], (exc.message + "\n").encode()
            headers.append(("Content-Type", _TEXT))
            if exc.status.startswith("405"):
                headers.append(("Allow", "GET, POST" + (", OPTIONS" if self.cors else "")))
            if exc.status.startswith("401"):
                headers.append(("WWW-Authenticate", 'Bearer realm="policykg update"'))
        except Exception as exc:  # noqa: BLE001 - a server fault must not kill the server
            status, headers = "500 Internal Server Error", [("Content-Type", _TEXT)]
            body = f"{errors.E069}: internal error: {type(exc).__name__}: {exc}\n".encode()
        headers += [("Content-Length", str(len(body))), ("X-Content-Type-Options", "nosniff")]
        headers += self.cors_headers(environ)
        start_response(status, headers)
        return [body]

    def handle(self, environ) -> tuple[str, list, bytes]:
        """(status, headers, body) for one request; raises :class:`Refused` for client faults."""
        self.check_host(environ.get("HTTP_HOST", ""))
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "OPTIONS" and self.cors:
            environ.get("gb.read_done", lambda: None)()
            return "204 No Content", [], b""
        if method not in ("GET", "POST"):
            raise Refused("405 Method Not Allowed", f"{method} is not supported; use GET or POST")
        if path in ("/", "/index.html"):
            if method != "GET":
                raise Refused("405 Method Not Allowed", "the query page is read with GET")
            environ.get("gb.read_done", lambda: None)()
            return "200 OK", [("Content-Type", "text/html; charset=utf-8")], self.page().encode()
        if path.startswith("/yasgui/"):
            if method != "GET":
                raise Refused("405 Method Not Allowed", "the query page is read with GET")
            environ.get("gb.read_done", lambda: None)()
            found = asset(path)
            if found is None:
                raise Refused("404 Not Found", f"no such file: {path}")
            return "200 OK", [("Content-Type", found[0])], found[1]
        if path != "/sparql":
            raise Refused("404 Not Found", f"no such path: {path} (use /sparql)")
        params, query, update = self.read_request(environ)
        environ.get("gb.read_done", lambda: None)()
        gone = _gone_check(environ.get("gb.socket"))
        if update is not None:
            if method != "POST":
                raise Refused("405 Method Not Allowed", "updates are sent with POST")
            self.check_update(environ)
            check_query(update, self.limits, "update")
            answer = self.pool.run({"op": "update", "text": update}, self.limits.timeout, gone)
        else:
            if not query:
                raise Refused("400 Bad Request", "missing query parameter")
            check_query(query, self.limits)
            fmt = (params.get("format") or params.get("output") or [None])[0]
            request = {
                "op": "query",
                "text": query,
                "default": params.get("default-graph-uri", []),
                "named": params.get("named-graph-uri", []),
                "accept": environ.get("HTTP_ACCEPT", ""),
                "format": fmt,
            }
            answer = self.pool.run(request, self.limits.timeout, gone)
        return answer.status, [("Content-Type", answer.media)], answer.body

    def read_request(self, environ) -> tuple[dict, str | None, str | None]:
        """(parameters, query, update) of a request; the body is read only when its
        ``Content-Length`` is present and within the limit (never chunked)."""
        try:
            params = urllib.parse.parse_qs(
                environ.get("QUERY_STRING", ""), keep_blank_values=True, errors="strict",
                max_num_fields=100,
            )  # fmt: skip
        except ValueError as exc:
            raise Refused("400 Bad Request", f"bad query string: {exc}") from None
        query = update = None
        if environ.get("REQUEST_METHOD") == "POST":
            body = self._read_body(environ)
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-query":
                query = body
            elif ctype == "application/sparql-update":
                update = body
            elif ctype in ("application/x-www-form-urlencoded", ""):
                try:
                    form = urllib.parse.parse_qs(
                        body, keep_blank_values=True, errors="strict", max_num_fields=100
                    )
                except ValueError as exc:
                    raise Refused("400 Bad Request", f"bad form body: {exc}") from None
                params = {**params, **form}
            else:
                raise Refused("415 Unsupported Media Type", f"cannot read {ctype}")
        query = query or (params.get("query") or [None])[0]
        update = update or (params.get("update") or [None])[0]
        return params, query, update

    def _read_body(self, environ) -> str:
        limit = self.limits.max_body
        if environ.get("HTTP_TRANSFER_ENCODING"):
            raise Refused(
                "413 Payload Too Large",
                f"{errors.E068}: chunked bodies are not read; send a Content-Length of at most "
                f"{limit} bytes",
            )
        raw = environ.get("CONTENT_LENGTH", "").strip()
        if not raw:
            return ""
        if not raw.lstrip("+-").isdigit():
            raise Refused("400 Bad Request", f"{errors.E068}: bad Content-Length {raw[:40]!r}")
        length = int(raw)
        if length < 0 or length > limit:
            raise Refused(
                "413 Payload Too Large",
                f"{errors.E068}: Content-Length {raw[:40]} is outside 0…{limit} bytes",
            )
        data = environ["wsgi.input"].read(length)
        if len(data) < length:
            raise Refused(
                "400 Bad Request", f"{errors.E068}: the body ended before its Content-Length"
            )
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Refused("400 Bad Request", f"the body is not UTF-8: {exc}") from None

    # -- who may ask -----------------------------------------------------------------------

    def check_host(self, host: str) -> None:
        """Refuse a ``Host`` that is not this server (a DNS-rebinding page sends its own name).
        IP literals and ``localhost`` on the bound port pass; so does the bound host name."""
        if not host:
            return
        try:
            parts = urllib.parse.urlsplit("//" + host)
            name, port = (parts.hostname or "").lower(), parts.port or 80
        except ValueError:
            name, port = "", -1
        if self.port is not None and port != self.port:
            raise Refused(
                "421 Misdirected Request", f"{errors.E068}: Host {host[:80]!r} is not this server"
            )
        if name in self.names:
            return
        try:
            ipaddress.ip_address(name)
        except ValueError:
            raise Refused(
                "421 Misdirected Request",
                f"{errors.E068}: Host {host[:80]!r} is not this server (DNS rebinding?)",
            ) from None

    def check_update(self, environ) -> None:
        """Updates: allowed at all, from this origin (no cross-site form), with the token."""
        if not self.allow_update:
            raise Refused(
                "403 Forbidden", "this endpoint is read-only (start it with --allow-update)"
            )
        origin = environ.get("HTTP_ORIGIN")
        own = "http://" + environ.get("HTTP_HOST", "")
        if (origin and origin != own) or environ.get("HTTP_SEC_FETCH_SITE") == "cross-site":
            raise Refused(
                "403 Forbidden",
                f"{errors.E068}: updates are refused from another origin ({origin})",
            )
        sent = environ.get("HTTP_AUTHORIZATION", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {self.update_token}".encode()):
            raise Refused(
                "401 Unauthorized",
                f"{errors.E068}: updates need the header 'Authorization: Bearer TOKEN' with the token "
                "printed when the endpoint started",
            )

    def cors_headers(self, environ) -> list[tuple[str, str]]:
        """CORS headers only for an origin given with ``--cors``."""
        origin = environ.get("HTTP_ORIGIN", "").rstrip("/")
        if not origin or origin not in self.cors:
            return []
        return [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Methods", "GET, POST"),
            ("Access-Control-Allow-Headers", "Accept, Content-Type"),
            ("Vary", "Origin"),
        ]

    # -- the page --------------------------------------------------------------------------

    def page(self) -> str:
        """The query page (YASGUI, bundled: see :mod:`graph_builder.store.query_page`)."""
        return page(self.title)


def _gone_check(sock: socket.socket | None):
    """A function telling whether the client has closed its connection."""
    import select

    def gone() -> bool:
        if sock is None:
            return False
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    return gone


class _Server(ThreadingMixIn, WSGIServer):
    """Threaded, with a real listen backlog and at most ``max_threads`` connections handled at
    once (the rest wait in the backlog rather than costing a thread each)."""

    daemon_threads = True
    request_queue_size = 128
    max_threads = 32

    def server_activate(self) -> None:
        self._slots = threading.BoundedSemaphore(self.max_threads)
        self._closing = False
        super().server_activate()

    def process_request(self, request, client_address) -> None:
        while not self._slots.acquire(timeout=0.5):
            if self._closing:
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except Exception:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        pass  # a client that vanished mid-request is not news

    def shutdown(self) -> None:
        self._closing = True
        super().shutdown()


class _Handler(WSGIRequestHandler):
    """Closes a connection whose request is not complete within the server's read deadline,
    and waits at most ``timeout`` seconds for any single read or write."""

    timeout = 10
    quiet = True

    def setup(self) -> None:
        super().setup()
        deadline = self.server.get_app().limits.request_deadline
        self._timer = threading.Timer(deadline, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def handle(self) -> None:
        try:
            super().handle()
        except (OSError, ValueError):
            self.close_connection = True

    def finish(self) -> None:
        self._timer.cancel()
        try:
            super().finish()
        except OSError:
            pass

    def get_environ(self) -> dict:
        env = super().get_environ()
        env["gb.socket"] = self.connection
        env["gb.read_done"] = self._timer.cancel
        return env

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        if not self.quiet:
            super().log_message(format, *args)


def make_app_server(app: SparqlApp, host: str = "127.0.0.1", port: int = 7878, quiet: bool = True):
    """A threaded WSGI server for ``app`` (port 0 picks a free port: see ``server_port``)."""
    handler = type("Handler", (_Handler,), {"quiet": quiet})
    server = _Server((host, port), handler)
    server.set_app(app)
    app.bind(host, server.server_port)
    return server


def serve(store: ox.Store | str | Path, host: str = "127.0.0.1", port: int = 7878,
          allow_update: bool = False, ready: threading.Event | None = None,
          limits: Limits | None = None, cors: tuple[str, ...] = ()) -> None:  # fmt: skip
    """Serve until interrupted."""
    app = SparqlApp(store, allow_update, limits=limits, cors=cors)
    try:
        server = make_app_server(app, host, port, quiet=False)
    except BaseException:
        app.close()
        raise
    if ready is not None:
        ready.set()
    try:
        server.serve_forever()
    finally:
        server.server_close()
        app.close()
