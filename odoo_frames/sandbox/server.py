"""A threaded werkzeug HTTP server running a WSGI app in a background thread.

Bound to 127.0.0.1 by default; ``port=0`` picks a free port (read it back from
:attr:`BackgroundServer.port`). Quiet by default: no access log lines.

Example::

    with BackgroundServer(app, port=0) as server:   # app: any WSGI application
        requests.get(server.url + "/web/version")
"""

from __future__ import annotations

import socket
import threading
from typing import TYPE_CHECKING, Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["BackgroundServer", "request_handler"]


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's handler with Nagle's algorithm off and optional logging."""

    quiet = True

    def setup(self) -> None:
        super().setup()
        # Headers and body are written separately: without TCP_NODELAY a keep-alive
        # client can wait ~40 ms (delayed ACK) on every small response.
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # not a TCP socket
            pass

    def log(self, type: str, message: str, *args: Any) -> None:
        # Access lines and malformed-request notices; the app logs its own failures.
        if not self.quiet:
            super().log(type, message, *args)


class _VerboseRequestHandler(_RequestHandler):
    quiet = False


class _OneRequestHandler(_RequestHandler):
    """HTTP/1.0: the connection closes after each answer. A process that serves one
    request at a time (a prefork worker) must not wait on a client's idle keep-alive
    connection; Odoo's prefork workers answer HTTP/1.0 for the same reason."""

    protocol_version = "HTTP/1.0"


class _VerboseOneRequestHandler(_OneRequestHandler):
    quiet = False


def request_handler(*, quiet: bool, keep_alive: bool = True) -> type[WSGIRequestHandler]:
    """The request handler class: quiet or logging, keep-alive or one request per connection."""
    if keep_alive:
        return _RequestHandler if quiet else _VerboseRequestHandler
    return _OneRequestHandler if quiet else _VerboseOneRequestHandler


class BackgroundServer:
    """Serve ``app`` over HTTP from a daemon thread until :meth:`stop`."""

    def __init__(
        self, app: WSGIApplication, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True
    ) -> None:
        handler = _RequestHandler if quiet else _VerboseRequestHandler
        self._server: BaseWSGIServer = make_server(
            host, port, app, threaded=True, request_handler=handler
        )
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._server.host)

    @property
    def port(self) -> int:
        return int(self._server.port)

    @property
    def url(self) -> str:
        host = self.host
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("server already started")
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so that stop() returns quickly
            name=f"odoo_frames-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting requests, close the socket and wait for the serving thread."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()
