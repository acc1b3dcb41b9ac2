"""JSON-RPC 2.0 as Odoo speaks it: the envelope, its error format, and ``POST /jsonrpc``.

Also home of the JSON encoding every JSON protocol of the sandbox shares (``/jsonrpc``,
the web session routes, JSON-2): orjson straight to bytes, with Odoo's ``json_default``
rules (datetimes as ``"YYYY-MM-DD HH:MM:SS"``, dates as ``"YYYY-MM-DD"``, bytes decoded,
anything else ``str()``).

What a real Odoo 18 answers, and therefore this module::

    --> {"jsonrpc": "2.0", "method": "call", "params": {"service": "common",
         "method": "version", "args": []}, "id": 1}
    <-- {"jsonrpc": "2.0", "id": 1, "result": {"server_version": "18.0", ...}}

* the ``id`` is echoed whatever its type (``null`` when absent); ``jsonrpc`` and
  ``method`` of the envelope are not checked;
* a ``None`` result omits the ``result`` key;
* errors are HTTP 200 with ``error`` = ``{"code", "message", "data"}``; ``code`` is
  ``profile.jsonrpc_error_code`` (200 up to 18.0, 0 in 19.0), 404 for ``NotFound``,
  100 ("Odoo Session Expired") for an expired web session;
* a body that is not JSON is answered ``400 Invalid JSON data`` (HTML content type),
  bypassing the envelope.
"""

from __future__ import annotations

import datetime
import inspect
import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson
from werkzeug.wrappers import Response

from .._gc import gc_paused
from .exceptions import (
    HTTPError,
    NotFound,
    SessionExpiredException,
    exception_arguments,
    exception_message,
    odoo_name,
    traceback_text,
)
from .versions import VersionProfile

if TYPE_CHECKING:
    from .app import Call

__all__ = [
    "JSON_CONTENT_TYPE",
    "JSON_MIMETYPES",
    "RPC",
    "AbortWithResponse",
    "dispatch",
    "dumps",
    "error_response",
    "filter_kwargs",
    "handle_error",
    "json_response",
    "loads",
    "serialize_exception",
]

#: Content types Odoo's JSON-RPC dispatcher accepts.
JSON_MIMETYPES = ("application/json", "application/json-rpc")
JSON_CONTENT_TYPE = "application/json; charset=utf-8"

_ORJSON_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


class AbortWithResponse(Exception):
    """Answer with this response as is, bypassing the dispatcher's error handling.

    Odoo does this (``werkzeug.exceptions.abort(Response(...))``) for bodies that are
    not JSON: the answer is a bare ``400 Invalid JSON data``, not a JSON-RPC error.
    """

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def json_default(value: Any) -> Any:
    """Odoo's ``json_default``: how values JSON does not know are written."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode()
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)


def dumps(value: Any) -> bytes:
    """JSON bytes, as Odoo's ``json.dumps(..., ensure_ascii=False, default=json_default)``."""
    try:
        return orjson.dumps(value, default=json_default, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        # Integers beyond 64 bits and the like: the standard library knows them.
        return json.dumps(value, ensure_ascii=False, default=json_default).encode()


def loads(data: bytes) -> Any:
    """Parse a JSON body like Odoo does; ``ValueError`` with Python's own message if invalid."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        # Python's json accepts a few things orjson refuses (NaN, huge integers) and
        # words its errors the way Odoo reports them ("Expecting value: line 1 ...").
        return json.loads(data.decode("utf-8", "replace"))


def json_response(
    body: bytes, status: int = 200, headers: list[tuple[str, str]] | None = None
) -> Response:
    return Response(body, status=status, headers=headers, content_type=JSON_CONTENT_TYPE)


def serialize_exception(
    exc: BaseException,
    *,
    debug_last: bool,
    message: str | None = None,
    arguments: list[Any] | None = None,
) -> dict[str, Any]:
    """Odoo's ``serialize_exception``: ``error.data`` of JSON-RPC, the body of JSON-2 errors.

    Key order: name, debug, message, arguments, context (<= 18.0) or name, message,
    arguments, context, debug (19.0).
    """
    name = odoo_name(exc)
    debug = traceback_text(exc)
    if message is None:
        message = exception_message(exc)
    if arguments is None:
        arguments = exception_arguments(exc)
    context = getattr(exc, "context", None) or {}
    if debug_last:
        return {
            "name": name,
            "message": message,
            "arguments": arguments,
            "context": context,
            "debug": debug,
        }
    return {
        "name": name,
        "debug": debug,
        "message": message,
        "arguments": arguments,
        "context": context,
    }


def _result_response(request_id: Any, result: Any) -> Response:
    envelope: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
    if result is not None:
        envelope["result"] = result
    return json_response(dumps(envelope))


def error_response(request_id: Any, exc: BaseException, profile: VersionProfile) -> Response:
    """The JSON-RPC error envelope for ``exc`` (always HTTP 200)."""
    code, message = profile.jsonrpc_error_code, "Odoo Server Error"
    if isinstance(exc, NotFound) or (isinstance(exc, HTTPError) and exc.code == 404):
        code, message = 404, "404: Not Found"
    elif isinstance(exc, SessionExpiredException):
        code, message = 100, "Odoo Session Expired"
    data = serialize_exception(exc, debug_last=profile.error_debug_last)
    error = {"code": code, "message": message, "data": data}
    return json_response(dumps({"jsonrpc": "2.0", "id": request_id, "error": error}))


@lru_cache(maxsize=256)
def _accepted_names(function: Callable[..., Any]) -> frozenset[str] | None:
    """Names a function accepts by keyword, or None when it takes ``**kwargs``."""
    names = set()
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            return None
        if parameter.kind in (
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            inspect.Parameter.KEYWORD_ONLY,
        ):
            names.add(parameter.name)
    return frozenset(names)


def filter_kwargs(function: Callable[..., Any], params: dict[str, Any]) -> dict[str, Any]:
    """Odoo's ``filter_kwargs``: unknown parameters of a route are dropped, not refused."""
    names = _accepted_names(getattr(function, "__func__", function))
    if names is None:
        return params
    return {key: value for key, value in params.items() if key in names}


def dispatch(call: Call) -> Response:
    """Odoo's ``JsonRPCDispatcher.dispatch`` (routes ``type='json'``/``'jsonrpc'``)."""
    try:
        payload = call.json_payload()
        call.request_id = payload.get("id")
    except ValueError:
        raise AbortWithResponse(
            Response("Invalid JSON data", status=400, mimetype="text/html")
        ) from None
    except AttributeError:  # valid JSON, but not an object
        raise AbortWithResponse(
            Response("Invalid JSON-RPC data", status=400, mimetype="text/html")
        ) from None
    params = dict(payload.get("params", {}), **call.path_args)
    # Odoo applies a top-level "context" to the request environment; the sandbox's
    # endpoints take their context from their own arguments (e.g. call_kw's kwargs).
    params.pop("context", None)
    # Paused from the call until its result is encoded and freed: re-enabling the
    # collector before the rows of a big read die costs a full young collection over
    # all of them (~20 ms for 50k rows), for objects that die anyway.
    with gc_paused():
        return _result_response(call.request_id, call.invoke(params))


def handle_error(call: Call, exc: BaseException) -> Response:
    return error_response(call.request_id, exc, call.profile)


class RPC:
    """Controller of ``POST /jsonrpc`` (Odoo's class is named ``RPC`` too: its name shows in
    the TypeError a request without ``args`` gets, "RPC.jsonrpc() missing 1 required...")."""

    def __init__(self, call: Call) -> None:
        self.call = call

    def jsonrpc(self, service: Any, method: Any, args: Any) -> Any:
        return self.call.service.dispatch_rpc(service, method, args)
