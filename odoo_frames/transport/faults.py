"""Server error reports -> :mod:`odoo_frames.errors` classes, for every protocol.

The three wire formats carry the same Odoo exception differently:

* XML-RPC: ``faultCode`` 1 (anything, the traceback is the faultString), 2 (UserError
  and its subclasses ValidationError, MissingError), 3 (AccessDenied), 4 (AccessError);
  the legacy ``/xmlrpc/<service>`` endpoints use strings like ``"warning -- MissingError"``.
* JSON-RPC and the web routes: ``error.data.name`` is the Python class path
  (``odoo.exceptions.AccessError``, ``builtins.ValueError``), ``error.data.message`` the
  message, ``error.data.debug`` the traceback; session expiry is ``error.code`` 100.
* JSON-2: the HTTP status (401, 403, 404, 409, 422, 500) and a body with ``name``,
  ``message``, ``arguments``, ``context``, ``debug``.

All of them end in :func:`remote_error`, so one Odoo exception is one client class.
Every text is passed through :func:`odoo_frames._secrets.redact`.

Example::

    >>> e = from_xmlrpc_fault(4, "You are not allowed to modify 'User' (res.users) records.")
    >>> type(e).__name__, e.remote_type
    ('AccessError', 'odoo.exceptions.AccessError')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from .._secrets import Secret, redact
from ..errors import (
    AccessError,
    AuthenticationError,
    ConcurrencyError,
    MethodNotFound,
    MissingError,
    ModelNotFound,
    RemoteError,
    ServerError,
    SessionExpired,
    UserError,
    ValidationError,
)

__all__ = [
    "from_json2_error",
    "from_jsonrpc_error",
    "from_xmlrpc_fault",
    "remote_error",
    "split_traceback",
]

_BY_NAME: Final[dict[str, type[RemoteError]]] = {
    "odoo.exceptions.AccessDenied": AuthenticationError,
    "odoo.exceptions.AccessError": AccessError,
    "odoo.exceptions.MissingError": MissingError,
    "odoo.exceptions.ValidationError": ValidationError,
    "odoo.exceptions.UserError": UserError,
    "odoo.exceptions.RedirectWarning": UserError,
    "odoo.exceptions.Warning": UserError,
    "odoo.exceptions.except_orm": UserError,
    "odoo.exceptions.LockError": ConcurrencyError,
    "odoo.exceptions.ConcurrencyError": ConcurrencyError,
    "odoo.http.SessionExpiredException": SessionExpired,
    "psycopg2.errors.SerializationFailure": ConcurrencyError,
    "psycopg2.errors.LockNotAvailable": ConcurrencyError,
    "psycopg2.errors.DeadlockDetected": ConcurrencyError,
    "psycopg2.errors.TransactionRollbackError": ConcurrencyError,
    "psycopg2.extensions.TransactionRollbackError": ConcurrencyError,
}

#: The odoo.exceptions class behind each integer XML-RPC fault code.
_FAULT_CODES: Final = {
    2: "odoo.exceptions.UserError",
    3: "odoo.exceptions.AccessDenied",
    4: "odoo.exceptions.AccessError",
}

_UNKNOWN_MODEL = re.compile(
    r"^(?:Object (?P<a>\S+) doesn't exist|the model '(?P<b>[^']+)' does not exist)"
)
_UNKNOWN_METHOD = re.compile(
    r"^(?:The method '[^']+' does not exist|type object '[^']+' has no attribute '[^']+'|"
    r"'[^']+' object has no attribute '[^']+')"
)
#: Messages of MissingError / ValidationError, for XML-RPC where fault code 2 is shared.
_MISSING_TEXTS: Final = (
    "Record does not exist or has been deleted",
    "One of the documents you are trying to access has been deleted",
)
_VALIDATION_TEXTS: Final = (
    "The operation cannot be completed",
    "You cannot create recursive",
)


def remote_error(
    remote_type: str,
    message: str,
    *,
    traceback: str = "",
    arguments: list[Any] | None = None,
    context: dict[str, Any] | None = None,
    protocol: str | None = None,
    model: str | None = None,
    method: str | None = None,
    http_status: int | None = None,
    secrets: Iterable[Secret | None] = (),
    refine_user_error: bool = False,
) -> RemoteError:
    """The client exception for a server exception named ``remote_type``.

    ``refine_user_error`` (XML-RPC) derives MissingError / ValidationError from the
    message when only "some UserError" is known.
    """
    secrets = tuple(secrets)
    message = redact(message or "", secrets)
    cls = _BY_NAME.get(remote_type)
    if cls is None:
        cls = MethodNotFound if _UNKNOWN_METHOD.match(message) else ServerError
    if cls is UserError:
        if _UNKNOWN_MODEL.match(message):
            cls = ModelNotFound
        elif refine_user_error and message.startswith(_MISSING_TEXTS):
            cls, remote_type = MissingError, "odoo.exceptions.MissingError"
        elif refine_user_error and message.startswith(_VALIDATION_TEXTS):
            cls, remote_type = ValidationError, "odoo.exceptions.ValidationError"
    return cls(
        message or remote_type,
        remote_type=remote_type,
        remote_traceback=redact(traceback or "", secrets),
        arguments=_redacted_list(arguments, secrets),
        context=context if isinstance(context, dict) else {},
        model=model,
        method=method,
        protocol=protocol,
        http_status=http_status,
    )


def from_jsonrpc_error(
    error: Any,
    *,
    protocol: str = "jsonrpc",
    model: str | None = None,
    method: str | None = None,
    secrets: Iterable[Secret | None] = (),
) -> RemoteError:
    """The ``error`` member of a JSON-RPC response (``/jsonrpc`` and the web routes)."""
    if not isinstance(error, dict):
        error = {"message": str(error)}
    data = error.get("data") if isinstance(error.get("data"), dict) else {}
    name = str(data.get("name") or "")
    if not name and error.get("code") == 100:
        name = "odoo.http.SessionExpiredException"
    message = data.get("message")
    if not isinstance(message, str) or not message:
        message = str(error.get("message") or name or "unknown server error")
    return _serialized_error(
        name, message, data, protocol=protocol, model=model, method=method, secrets=secrets
    )


def from_xmlrpc_fault(
    code: Any,
    text: Any,
    *,
    model: str | None = None,
    method: str | None = None,
    secrets: Iterable[Secret | None] = (),
) -> RemoteError:
    """An XML-RPC ``<fault>``: integer codes of ``/xmlrpc/2``, strings of ``/xmlrpc``."""
    text = str(text or "")
    options: dict[str, Any] = {
        "protocol": "xmlrpc",
        "model": model,
        "method": method,
        "secrets": secrets,
    }
    if isinstance(code, int) and code in _FAULT_CODES:
        return remote_error(_FAULT_CODES[code], text, refine_user_error=code == 2, **options)
    if isinstance(code, str) and code.startswith("warning -- "):
        # Legacy endpoint: "warning -- MissingError\n\n<message>".
        kind, _, message = code[len("warning -- ") :].partition("\n\n")
        name = "odoo.exceptions.UserError" if kind == "Warning" else f"odoo.exceptions.{kind}"
        return remote_error(name, message or text, **options)
    if code == "AccessDenied":
        return remote_error("odoo.exceptions.AccessDenied", text or "Access Denied", **options)
    # Code 1 (or a legacy free-text code): the faultString is the traceback.
    remote_type, message = split_traceback(text)
    if not remote_type and isinstance(code, str) and code:
        message = code
    return remote_error(remote_type, message or text, traceback=text, **options)


def from_json2_error(
    status: int,
    body: Any,
    *,
    model: str | None = None,
    method: str | None = None,
    secrets: Iterable[Secret | None] = (),
) -> RemoteError:
    """A JSON-2 error answer: HTTP status and its JSON body (or None when not JSON)."""
    data = body if isinstance(body, dict) else {}
    name = str(data.get("name") or "")
    message = data.get("message")
    if not isinstance(message, str) or not message:
        message = body if isinstance(body, str) and body else f"HTTP {status}"
    if not name or name.startswith("werkzeug.exceptions."):
        name = _json2_name_from_status(status, message, name)
    return _serialized_error(
        name,
        message,
        data,
        protocol="json2",
        model=model,
        method=method,
        http_status=status,
        secrets=secrets,
    )


def _serialized_error(
    remote_type: str, message: str, data: Mapping[str, Any], **options: Any
) -> RemoteError:
    """:func:`remote_error` with the details of Odoo's ``serialize_exception`` ``data``.

    ``debug`` is the traceback; ``arguments`` and ``context`` are kept when well-formed.
    """
    arguments, context = data.get("arguments"), data.get("context")
    return remote_error(
        remote_type,
        message,
        traceback=str(data.get("debug") or ""),
        arguments=arguments if isinstance(arguments, list) else None,
        context=context if isinstance(context, dict) else None,
        **options,
    )


def _json2_name_from_status(status: int, message: str, name: str) -> str:
    """werkzeug exceptions (401, 404...) say little; the status and message say more."""
    if status == 401:
        return "odoo.exceptions.AccessDenied"
    if status == 404 and _UNKNOWN_MODEL.match(message):
        return "odoo.exceptions.UserError"  # refined to ModelNotFound by the message
    if status == 404 and _UNKNOWN_METHOD.match(message):
        return name or "builtins.AttributeError"
    if not name:
        return {
            403: "odoo.exceptions.AccessError",
            404: "odoo.exceptions.MissingError",
            409: "odoo.exceptions.LockError",
            422: "odoo.exceptions.UserError",
        }.get(status, "")
    return name


def split_traceback(text: str) -> tuple[str, str]:
    """(``"builtins.ValueError"``, message) from a Python traceback's last exception.

    Frames are indented; the exception line is the first unindented line after the
    last ``Traceback (most recent call last):``; the message runs to the end.
    """
    marker = "Traceback (most recent call last):"
    if marker not in text:
        return "", text.strip()
    tail = text.rsplit(marker, 1)[1]
    lines = tail.split("\n")
    for index, line in enumerate(lines):
        if line and not line[0].isspace():
            head, sep, rest = line.partition(": ")
            if not re.fullmatch(r"[A-Za-z_][\w.]*", head):
                return "", "\n".join(lines[index:]).strip()
            message = "\n".join([rest, *lines[index + 1 :]]) if sep else ""
            name = head if "." in head else f"builtins.{head}"
            return name, message.strip()
    return "", text.strip()


def _redacted_list(values: list[Any] | None, secrets: tuple[Secret | None, ...]) -> list[Any]:
    if not values:
        return []
    return [redact(v, secrets) if isinstance(v, str) else v for v in values]
