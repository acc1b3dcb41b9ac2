"""Odoo 19's JSON-2 API (only served by profiles with ``has_json2``).

* ``POST /json/2/<model>/<method>``: body = the method's named arguments plus the
  reserved ``ids`` and ``context``; ``Authorization: bearer <api key>``;
  ``X-Odoo-Database: <db>``. The answer is the bare JSON result, or an error object
  ``{"name", "message", "arguments", "context", "debug"}`` with a real HTTP status:
  400 (body not a JSON object), 401 (+ ``WWW-Authenticate``: missing or invalid key),
  403 (AccessError, AccessDenied), 404 (unknown model/method, MissingError),
  409 (LockError), 415 (wrong Content-Type, HTML page), 422 (UserError,
  ValidationError, bad arguments), 500 (anything else).
* ``GET /web/version`` and ``/json/version``: ``{"version_info": [...], "version": "19.0"}``.
* ``GET /doc-bearer/<model>.json``: the model's fields and public methods.

Example::

    curl -H "Authorization: bearer $KEY" -H "X-Odoo-Database: demo" \\
         -H "Content-Type: application/json" -d '{"domain": [], "limit": 2}' \\
         http://127.0.0.1:8069/json/2/res.partner/search
    [3, 7]
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from .exceptions import (
    AccessDenied,
    BadRequest,
    HTTPError,
    NotFound,
    SessionExpiredException,
    Unauthorized,
    UserError,
)
from .jsonrpc import dumps, json_response, serialize_exception

if TYPE_CHECKING:
    from .app import Call

__all__ = [
    "DocController",
    "Version",
    "WebJson2Controller",
    "authenticate_bearer",
    "dispatch",
    "handle_error",
]

_BEARER = re.compile(r"^bearer\s+(.+)$", re.IGNORECASE)


def _has_browser_sec_headers(call: Call) -> bool:
    """A browser navigating to the URL itself may use its session cookie instead of a key."""
    headers = call.request.headers
    return (
        headers.get("Sec-Fetch-Dest") == "document"
        and headers.get("Sec-Fetch-Mode") == "navigate"
        and headers.get("Sec-Fetch-Site") in ("none", "same-origin")
        and headers.get("Sec-Fetch-User") == "?1"
    )


def authenticate_bearer(call: Call) -> int:
    """Odoo's ``auth='bearer'``: the uid of the API key, or of the browser's session."""
    header = call.request.headers.get("Authorization")
    match = _BEARER.match(header) if header else None
    if match:
        assert call.db is not None  # bearer routes are never served without a database
        uid = call.service.check_api_key(call.db, match.group(1))
        if not uid:
            raise Unauthorized("Invalid apikey")
        if call.session.uid and call.session.uid != uid:
            raise AccessDenied("Session user does not match the used apikey")
        return uid
    if call.session.uid is None:
        raise Unauthorized('User not authenticated, use the "Authorization" header')
    if not _has_browser_sec_headers(call):
        raise AccessDenied('Missing "Authorization" or Sec-headers for interactive usage')
    return call.session.uid


def dispatch(call: Call) -> Response:
    """Odoo's ``Json2Dispatcher.dispatch``: the body is the endpoint's keyword arguments."""
    payload: Any = {}
    if call.request.content_length:
        try:
            payload = call.json_payload()
        except ValueError as exc:
            raise BadRequest(f"could not parse the body as json: {exc.args[0]}") from exc
        if not isinstance(payload, dict):
            raise BadRequest("could not parse the body, expecting a json object")
    result = call.invoke({**payload, **call.path_args})
    if isinstance(result, Response):
        return result
    return json_response(dumps(result))


def handle_error(call: Call, exc: BaseException) -> Response:
    """Odoo's ``Json2Dispatcher.handle_error``: a JSON body and a meaningful status."""
    headers = None
    if isinstance(exc, UserError | SessionExpiredException):
        status = exc.http_status
        body = serialize_exception(exc, debug_last=True)
    elif isinstance(exc, HTTPError):
        status = exc.code
        description = exc.description
        body = serialize_exception(
            exc, debug_last=True, message=description, arguments=[description, exc.code]
        )
        if isinstance(exc, Unauthorized):
            headers = [("WWW-Authenticate", "Bearer")]
    elif isinstance(exc, HTTPException):  # raised by werkzeug itself (e.g. body too large)
        status = exc.code or 500
        description = exc.description or ""
        body = serialize_exception(
            exc, debug_last=True, message=description, arguments=[description, status]
        )
    else:
        status = 500
        body = serialize_exception(exc, debug_last=True)
    return json_response(dumps(body), status=status, headers=headers)


class WebJson2Controller:
    """Controller of ``/json/2/...`` (names as in Odoo's ``rpc`` module)."""

    def __init__(self, call: Call) -> None:
        self.call = call

    def web_json_2_404(self, subpath: str | None = None) -> None:
        raise NotFound("Did you mean POST /json/2/<model>/<method>?")

    def web_json_2_rpc(
        self, model: str, method: str, ids: Any = None, context: Any = None, **kwargs: Any
    ) -> Any:
        call = self.call
        assert call.db is not None and call.uid is not None  # auth='bearer'
        return call.service.call_named(
            call.db, call.uid, model, method, ids, kwargs, {} if context is None else context
        )


class Version:
    """Controller of ``/web/version`` and ``/json/version`` (19.0)."""

    def __init__(self, call: Call) -> None:
        self.call = call

    def version(self) -> Response:
        profile = self.call.profile
        body = {"version_info": list(profile.version_info), "version": profile.server_version}
        return json_response(dumps(body))


class DocController:
    """Controller of ``/doc-bearer/<model>.json`` (module ``api_doc``)."""

    def __init__(self, call: Call) -> None:
        self.call = call

    def doc_bearer_model(self, model_name: str) -> Any:
        call = self.call
        assert call.db is not None and call.uid is not None  # auth='bearer'
        return call.service.method_doc(call.db, call.uid, model_name)
