"""Push named graphs to a store through the SPARQL 1.1 Graph Store HTTP Protocol.

``PUT <endpoint>?graph=<iri>`` replaces a graph, so loading the same corpus twice leaves the
store as it was after the first load. Credentials come from the environment, never from the
command line: ``GB_STORE_USER`` and ``GB_STORE_PASSWORD`` (HTTP basic) or ``GB_STORE_TOKEN``
(bearer); a ``user:password@`` in the endpoint URL is used too but never printed.

Every request has one deadline for the whole exchange (connect, send, status, headers, body):
a watchdog closes the socket when it passes, so a server that trickles a byte a second cannot
stretch it. Each way the network can fail ends in a :class:`StoreError` whose message is one
line with its own code.
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import ssl
import threading
import urllib.parse
from dataclasses import dataclass

from graph_builder import errors

__all__ = ["StoreError", "GraphStore", "redact"]


class StoreError(Exception):
    """An HTTP or connection failure, with a message fit for one line of stderr."""

    def __init__(self, code: str, message: str):
        # What a server sends back is shown, so control characters are replaced: one line.
        message = "".join(c if c.isprintable() else "?" for c in message)
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def redact(url: str) -> str:
    """``url`` without ``user:password@`` (for every message that shows it)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


@dataclass
class GraphStore:
    """A Graph Store Protocol service, e.g. ``http://localhost:7878/store`` (Oxigraph),
    ``http://localhost:3030/ds/data`` (Fuseki), ``…/repositories/NAME/rdf-graphs/service``
    (GraphDB), ``http://localhost:8890/sparql-graph-crud-auth`` (Virtuoso).
    ``timeout`` bounds each request as a whole, in seconds."""

    endpoint: str
    timeout: float = 60.0

    def _headers(self, content_type: str | None = None) -> dict:
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        user, password = os.environ.get("GB_STORE_USER"), os.environ.get("GB_STORE_PASSWORD")
        token = os.environ.get("GB_STORE_TOKEN")
        url_user = urllib.parse.urlsplit(self.endpoint)
        if user is None and url_user.username is not None:
            user = urllib.parse.unquote(url_user.username)
            password = urllib.parse.unquote(url_user.password or "")
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
        shown = f"{method} {redact(url)}"
        try:
            parts = urllib.parse.urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise StoreError(errors.E060, f"{shown}: bad URL ({exc})") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(errors.E060, f"{shown}: not an http(s) URL")
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(parts.hostname, port, timeout=self.timeout)
        target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            sock = conn.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        watchdog = threading.Timer(self.timeout, expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            try:
                conn.connect()
            except ConnectionRefusedError:
                raise StoreError(
                    errors.E060, f"{shown}: cannot connect: connection refused"
                ) from None
            except (OSError, ssl.SSLError) as exc:
                if expired.is_set() or isinstance(exc, TimeoutError):
                    raise StoreError(
                        errors.E064, f"{shown}: no connection within {self.timeout:g} s"
                    ) from None
                reason = exc.strerror or str(exc) or type(exc).__name__
                raise StoreError(errors.E060, f"{shown}: cannot connect: {reason}") from None
            return self._exchange(conn, method, target, data, content_type, shown, expired)
        finally:
            watchdog.cancel()
            conn.close()

    def _exchange(self, conn, method, target, data, content_type, shown, expired) -> int:
        """Send the request and read the whole answer; each failure named with its own code."""
        try:
            conn.request(method, target, body=data, headers=self._headers(content_type))
            resp = conn.getresponse()
            body = resp.read()
        except http.client.IncompleteRead as exc:
            if expired.is_set():
                raise StoreError(
                    errors.E064, f"{shown}: no complete answer within {self.timeout:g} s"
                ) from None
            raise StoreError(
                errors.E063,
                f"{shown}: the answer ended early ({len(exc.partial)} bytes of "
                f"{len(exc.partial) + (exc.expected or 0)})",
            ) from None
        except http.client.RemoteDisconnected:
            if expired.is_set():
                raise StoreError(
                    errors.E064, f"{shown}: no complete answer within {self.timeout:g} s"
                ) from None
            raise StoreError(
                errors.E061, f"{shown}: the server closed the connection without an answer"
            ) from None
        except (
            http.client.BadStatusLine,
            http.client.LineTooLong,
            http.client.HTTPException,
        ) as exc:
            if expired.is_set():
                raise StoreError(
                    errors.E064, f"{shown}: no complete answer within {self.timeout:g} s"
                ) from None
            detail = str(exc).strip()[:80] or type(exc).__name__
            raise StoreError(errors.E062, f"{shown}: not an HTTP answer ({detail!r})") from None
        except TimeoutError:
            raise StoreError(
                errors.E064, f"{shown}: no complete answer within {self.timeout:g} s"
            ) from None
        except OSError as exc:
            if expired.is_set():
                raise StoreError(
                    errors.E064, f"{shown}: no complete answer within {self.timeout:g} s"
                ) from None
            reason = exc.strerror or type(exc).__name__
            raise StoreError(errors.E061, f"{shown}: connection dropped ({reason})") from None
        if expired.is_set():
            raise StoreError(errors.E064, f"{shown}: no complete answer within {self.timeout:g} s")
        if resp.status >= 400:
            lines = body.decode("utf-8", "replace").strip().splitlines()
            detail = f": {lines[0][:200]}" if lines else ""
            hint = " (set GB_STORE_USER and GB_STORE_PASSWORD)" if resp.status in (401, 403) else ""
            raise StoreError(
                errors.E301, f"{shown}: HTTP {resp.status} {resp.reason}{detail}{hint}"
            )
        return resp.status

    def put(self, graph_iri: str, ntriples: bytes) -> int:
        """Replace ``graph_iri`` with the N-Triples ``ntriples``; returns the HTTP status."""
        return self._send("PUT", self.url(graph_iri), ntriples, "application/n-triples")

    def delete(self, graph_iri: str) -> int:
        return self._send("DELETE", self.url(graph_iri))
