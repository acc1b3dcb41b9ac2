"""Tiny local HTTP servers for the client tests, on 127.0.0.1 with a free port.

* :class:`CannedServer` answers each path with a fixed (or computed) response: enough
  to feed real recorded Odoo answers to the transports.
* :class:`FaultProxy` sits between the client and the sandbox and, when told, drops
  connections, answers 502/503/504 or 429, or stalls before forwarding.

Example::

    with FaultProxy(box.url) as proxy:
        odoo = of.connect(proxy.url, ...)
        proxy.inject("drop", 503)        # the next two requests fail, then all pass
        odoo.call("res.partner", "search_count", [])
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, str], bytes]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that gave up (timeouts) make writes fail: expected here


class _Running:
    """Start/stop a ThreadingHTTPServer in a thread; context manager."""

    server: _QuietServer

    scheme = "http"

    def _serve(
        self, handler: type[BaseHTTPRequestHandler], tls: tuple[str, str] | None = None
    ) -> None:
        self.server = _QuietServer(("127.0.0.1", 0), handler)
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.server.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class CannedServer(_Running):
    """Answers ``routes[path]``: an (status, headers, body) tuple or a callable of the body."""

    def __init__(
        self,
        routes: dict[str, Answer | Callable[[bytes], Answer]],
        *,
        tls: tuple[str, str] | None = None,
    ) -> None:
        self.routes = routes
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self._serve(_CannedHandler, tls)


class _CannedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        owner: CannedServer = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        owner.requests.append((self.command, self.path, dict(self.headers), body))
        route = owner.routes.get(self.path)
        if route is None:
            status, headers, content = 404, {"Content-Type": "text/html"}, b"<h1>Not Found</h1>"
        elif callable(route):
            status, headers, content = route(body)
        else:
            status, headers, content = route
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = _answer


@dataclass(frozen=True)
class Stall:
    """Wait ``seconds`` before forwarding."""

    seconds: float


@dataclass(frozen=True)
class Status:
    """Answer this HTTP status without forwarding (``retry_after`` for 429)."""

    code: int
    retry_after: str | None = None


#: Faults understood by :meth:`FaultProxy.inject`: "drop" (close the connection without
#: an answer, before forwarding), "drop_after" (forward, then close without answering:
#: the server did the work), an int status, a Status or a Stall.
Fault = str | int | Status | Stall


class FaultProxy(_Running):
    """Forwards to ``upstream``; misbehaves on the requests matching ``only`` when told."""

    def __init__(self, upstream: str) -> None:
        parts = urllib.parse.urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self._faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        #: (path, what happened) per request seen, in order.
        self.log: list[tuple[str, str]] = []
        #: Only requests whose path contains one of these get faults (default: object calls).
        self.only: tuple[str, ...] = (
            "/web/dataset/call_kw",
            "/json/2/",
            "/xmlrpc/2/object",
            "/jsonrpc",
        )
        self._serve(_ProxyHandler)

    def inject(self, *faults: Fault) -> None:
        with self._lock:
            self._faults.extend(faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.log.clear()

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            if self._faults and any(part in path for part in self.only):
                return self._faults.popleft()
        return None

    def calls(self, part: str = "") -> list[str]:
        """What happened to the requests whose path contains ``part``."""
        return [what for path, what in self.log if part in path]


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        proxy: FaultProxy = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fault = proxy._next_fault(self.path)
        if fault == "drop":
            proxy.log.append((self.path, "dropped"))
            self._drop()
            return
        if isinstance(fault, int):
            fault = Status(fault)
        if isinstance(fault, Status):
            proxy.log.append((self.path, str(fault.code)))
            self.send_response(fault.code)
            if fault.retry_after is not None:
                self.send_header("Retry-After", fault.retry_after)
            self.send_header("Content-Type", "text/html")
            content = f"<h1>{fault.code}</h1>".encode()
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
            return
        if isinstance(fault, Stall):
            proxy.log.append((self.path, f"stalled {fault.seconds}"))
            time.sleep(fault.seconds)
        status, headers, content = self._forward(proxy, body)
        if fault == "drop_after":
            proxy.log.append((self.path, "forwarded then dropped"))
            self._drop()
            return
        if not isinstance(fault, Stall):
            proxy.log.append((self.path, "forwarded"))
        self.send_response(status)
        for key, value in headers:
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _forward(self, proxy: FaultProxy, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(
            proxy.upstream_host, proxy.upstream_port, timeout=60
        )
        try:
            headers = {
                k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
            }
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    do_GET = do_POST = _handle
