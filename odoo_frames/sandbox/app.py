"""The sandbox's WSGI application: routing and the life of one request, as in Odoo's
``odoo.http`` (only the parts a client can observe).

For each request:

1. load the web session named by the ``session_id`` cookie (or a new one);
2. pick the database: the session's, else (19.0) the ``X-Odoo-Database`` header; the
   sandbox plays a server that lists several databases and has no ``dbfilter``, like
   the recorded one, so without either only the ``auth='none'`` routes exist and every
   other path is an HTML 404;
3. match the route; check the Content-Type a JSON route needs (HTML 400, 415 in 19.0);
4. authenticate (``auth='user'``: the session's user, else "Odoo Session Expired";
   ``auth='bearer'``: the API key);
5. dispatch with the route's dispatcher (``http``: plain responses, XML-RPC;
   ``json``: JSON-RPC envelope; ``json2``: JSON-2) which also turns exceptions into
   that protocol's error answer;
6. on success only, save the session and send the cookie when needed.

Example::

    from odoo_frames.sandbox.app import SandboxApp
    from odoo_frames.sandbox.core import SandboxCore
    from odoo_frames.sandbox.server import BackgroundServer

    app = SandboxApp(SandboxCore.from_demo(100, "18.0"))  # any service.Service
    with BackgroundServer(app, port=0) as server:
        print(server.url)                                # http://127.0.0.1:<free port>
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from werkzeug.exceptions import (
    BadRequest as WerkzeugBadRequest,
)
from werkzeug.exceptions import (
    Forbidden as WerkzeugForbidden,
)
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    UnprocessableEntity,
    UnsupportedMediaType,
    default_exceptions,
)
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import json2, jsonrpc
from .exceptions import HTTPError, SessionExpiredException, UserError
from .jsonrpc import JSON_MIMETYPES, AbortWithResponse, filter_kwargs
from .web import (
    DatabaseList,
    DataSet,
    Session,
    SessionStore,
    WebClient,
    WebSession,
    call_kw_pre_dispatch,
    local_redirect,
    session_cookie,
)
from .xmlrpc import XMLRPC

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .service import Service

__all__ = ["MAX_CONTENT_LENGTH", "Call", "Route", "SandboxApp", "routes_for"]

_logger = logging.getLogger(__name__)

#: Odoo's ``DEFAULT_MAX_CONTENT_LENGTH``: bodies over 128 MiB are refused (413).
MAX_CONTENT_LENGTH = 128 * 1024 * 1024
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_UNPARSED: Any = object()

RouteKind = Literal["http", "json", "json2"]
RouteAuth = Literal["none", "user", "bearer", "public"]


@dataclass(frozen=True)
class Route:
    """One ``@http.route`` of Odoo: its paths, controller method and options."""

    paths: tuple[str, ...]
    controller: type
    method: str
    kind: RouteKind
    auth: RouteAuth
    methods: tuple[str, ...] | None = None
    save_session: bool = True
    csrf: bool = True
    #: runs before authentication (Odoo's ``readonly=`` callable of ``call_kw``).
    pre_dispatch: Callable[[Call], None] | None = None


def routes_for(has_json2: bool) -> list[Route]:
    """The routing table: what the recorded Odoo 18 serves, plus JSON-2 for 19.0."""
    routes = [
        Route(
            ("/xmlrpc/<service>",),
            XMLRPC,
            "xmlrpc_1",
            "http",
            "none",
            methods=("POST",),
            save_session=False,
            csrf=False,
        ),
        Route(
            ("/xmlrpc/2/<service>",),
            XMLRPC,
            "xmlrpc_2",
            "http",
            "none",
            methods=("POST",),
            save_session=False,
            csrf=False,
        ),
        Route(("/jsonrpc",), jsonrpc.RPC, "jsonrpc", "json", "none", save_session=False),
        Route(("/web/webclient/version_info",), WebClient, "version_info", "json", "none"),
        Route(("/web/database/list",), DatabaseList, "list", "json", "none"),
        Route(("/web/session/authenticate",), Session, "authenticate", "json", "none"),
        Route(("/web/session/get_session_info",), Session, "get_session_info", "json", "user"),
        Route(("/web/session/check",), Session, "check", "json", "user"),
        Route(("/web/session/destroy",), Session, "destroy", "json", "user"),
        Route(("/web/session/logout",), Session, "logout", "http", "none"),
        Route(
            ("/web/dataset/call_kw", "/web/dataset/call_kw/<path:path>"),
            DataSet,
            "call_kw",
            "json",
            "user",
            pre_dispatch=call_kw_pre_dispatch,
        ),
    ]
    if has_json2:
        routes += [
            Route(("/web/version", "/json/version"), json2.Version, "version", "http", "none"),
            Route(
                ("/json/2", "/json/2/<path:subpath>"),
                json2.WebJson2Controller,
                "web_json_2_404",
                "json2",
                "public",
                methods=("GET", "POST", "PUT", "DELETE", "PATCH"),
            ),
            Route(
                ("/json/2/<model>/<method>",),
                json2.WebJson2Controller,
                "web_json_2_rpc",
                "json2",
                "bearer",
                methods=("POST",),
                save_session=False,
            ),
            Route(
                ("/doc-bearer/<model_name>.json",),
                json2.DocController,
                "doc_bearer_model",
                "json2",
                "bearer",
            ),
        ]
    return routes


class Call:
    """One request being served: what controllers and dispatchers work with."""

    def __init__(
        self,
        app: SandboxApp,
        request: Request,
        session: WebSession,
        db: str | None,
        route: Route,
        path_args: dict[str, Any],
    ) -> None:
        self.request = request
        self.service: Service = app.service
        self.profile = app.service.profile
        self.sessions = app.sessions
        self.session = session
        self.db = db
        self.route = route
        self.path_args = path_args
        #: the authenticated user (routes with ``auth='user'`` or ``'bearer'``)
        self.uid: int | None = None
        #: the JSON-RPC ``id``, once the envelope was read
        self.request_id: Any = None
        #: ``Set-Cookie`` values set by the endpoint (Odoo's ``future_response``)
        self.cookies: list[str] = []
        self._payload: Any = _UNPARSED

    def json_payload(self) -> Any:
        """The JSON body (parsed once); ``ValueError`` when it is not JSON."""
        if self._payload is _UNPARSED:
            self._payload = jsonrpc.loads(self.request.get_data())
        return self._payload

    def invoke(self, params: dict[str, Any]) -> Any:
        """Call the route's controller method with the parameters it accepts."""
        endpoint = getattr(self.route.controller(self), self.route.method)
        return endpoint(**filter_kwargs(endpoint, params))

    def add_cookie(self, set_cookie: str) -> None:
        self.cookies.append(set_cookie)


class _Dispatcher:
    """How one kind of route reads requests and writes answers and errors."""

    def __init__(
        self,
        dispatch: Callable[[Call], Response],
        handle_error: Callable[[Call, BaseException], Response],
    ) -> None:
        self.dispatch = dispatch
        self.handle_error = handle_error


def _http_dispatch(call: Call) -> Response:
    request = call.request
    if request.method not in _SAFE_METHODS and call.route.csrf:
        # The sandbox never hands out CSRF tokens, so such requests fail as in Odoo.
        if call.db is None:
            return local_redirect("/web/database/selector")
        raise WerkzeugBadRequest("Session expired (invalid CSRF token)")
    result = call.invoke({**request.args.to_dict(), **call.path_args})
    if not isinstance(result, Response):
        raise TypeError(f"http route returned {type(result).__name__}, not a Response")
    return result


def _http_handle_error(call: Call, exc: BaseException) -> Response:
    """Odoo's ``HttpDispatcher.handle_error``: werkzeug's HTML error pages."""
    if isinstance(exc, HTTPException):
        return exc.get_response()
    if isinstance(exc, HTTPError):
        return default_exceptions[exc.code](exc.description).get_response()
    if isinstance(exc, UserError):
        page = default_exceptions.get(exc.http_status, UnprocessableEntity)
        return page(exc.message).get_response()
    _logger.error("error on %s", call.request.path, exc_info=exc)
    return InternalServerError().get_response()


_DISPATCHERS: dict[str, _Dispatcher] = {
    "http": _Dispatcher(_http_dispatch, _http_handle_error),
    "json": _Dispatcher(jsonrpc.dispatch, jsonrpc.handle_error),
    "json2": _Dispatcher(json2.dispatch, json2.handle_error),
}


def _build_map(routes: Iterable[Route]) -> Map:
    rules = [
        Rule(path, endpoint=route, methods=route.methods, merge_slashes=False)
        for route in routes
        for path in route.paths
    ]
    return Map(rules, strict_slashes=False, merge_slashes=False)


class SandboxApp:
    """WSGI application serving a :class:`~odoo_frames.sandbox.service.Service`.

    ``multi_db=True`` (default) plays the recorded server (several databases, no
    dbfilter). With ``multi_db=False`` and a single database, requests without a
    session use that database, as an Odoo server with one database does: then
    ``auth='user'`` routes answer "Odoo Session Expired" instead of 404.
    """

    def __init__(
        self, service: Service, *, sessions: SessionStore | None = None, multi_db: bool = True
    ) -> None:
        self.service = service
        self.sessions = sessions if sessions is not None else SessionStore()
        self.multi_db = multi_db
        routes = routes_for(service.profile.has_json2)
        self._db_map = _build_map(routes)
        self._nodb_map = _build_map(route for route in routes if route.auth == "none")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        request.max_content_length = MAX_CONTENT_LENGTH
        try:
            response = self.serve(request)
        except Exception:  # a bug of the sandbox itself: answer 500 and keep serving
            _logger.exception("sandbox failed on %s %s", request.method, request.path)
            response = InternalServerError().get_response()
        return response(environ, start_response)

    def serve(self, request: Request) -> Response:
        cookie_sid = request.cookies.get("session_id")
        session = self.sessions.get(cookie_sid)
        try:
            db = self._database(request, session)
            routing = self._db_map if db is not None else self._nodb_map
            route, path_args = routing.bind_to_environ(request.environ).match()
        except HTTPException as exc:  # 404, 405, redirects: werkzeug's own pages
            return exc.get_response(request.environ)
        call = Call(self, request, session, db, route, dict(path_args))

        mismatch = self._content_type_error(call)
        if mismatch is not None:
            return mismatch.get_response()

        dispatcher = _DISPATCHERS[route.kind]
        try:
            if route.pre_dispatch is not None:
                route.pre_dispatch(call)
            self._authenticate(call)
            response = dispatcher.dispatch(call)
        except AbortWithResponse as abort:
            response = abort.response
        except Exception as exc:
            return dispatcher.handle_error(call, exc)

        for set_cookie in call.cookies:
            response.headers.add("Set-Cookie", set_cookie)
        if route.save_session and self.sessions.commit(session, cookie_sid):
            response.headers.add("Set-Cookie", session_cookie(session.sid))
        return response

    def _database(self, request: Request, session: WebSession) -> str | None:
        databases = self.service.list_databases()
        # X-Odoo-Database arrived with JSON-2 in 19.0.
        header = request.headers.get("X-Odoo-Database") if self.service.profile.has_json2 else None
        if session.db is not None and session.db in databases:
            if header and header != session.db:
                raise WerkzeugForbidden(
                    "Cannot use both the session_id cookie and the x-odoo-database header."
                )
            return session.db
        if header:
            return header if header in databases else None
        if not self.multi_db and len(databases) == 1:
            return databases[0]
        return None

    def _content_type_error(self, call: Call) -> HTTPException | None:
        """The HTML error Odoo answers when the body does not fit a JSON route."""
        request, route, profile = call.request, call.route, call.profile
        json_ok = request.mimetype in JSON_MIMETYPES
        json2_ok = request.mimetype == "application/json" or not request.content_length
        if route.kind == "http" or (route.kind == "json" and json_ok):
            return None
        if route.kind == "json2" and json2_ok:
            return None
        compatible = ["http"]
        if json_ok:
            compatible.append(profile.json_route_type)
        if profile.has_json2 and json2_ok:
            compatible.append("json2")
        route_type = profile.json_route_type if route.kind == "json" else route.kind
        message = (
            f"Request inferred type is compatible with {compatible} but {route.paths[0]!r} "
            f"is type={route_type!r}.\n\nPlease verify the Content-Type request header and "
            "try again."
        )
        if profile.content_type_error_status == 415:
            accepted = JSON_MIMETYPES if route.kind == "json" else ("application/json",)
            response = UnsupportedMediaType(message).get_response()
            response.headers["Accept"] = ", ".join(accepted)
            return UnsupportedMediaType(message, response=response)
        return WerkzeugBadRequest(message)

    def _authenticate(self, call: Call) -> None:
        auth = call.route.auth
        if auth == "user":
            if call.session.uid is None:
                raise SessionExpiredException("Session expired")
            call.uid = call.session.uid
        elif auth == "bearer":
            call.uid = json2.authenticate_bearer(call)
