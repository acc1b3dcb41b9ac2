"""Exceptions the sandbox raises, named and shaped exactly like real Odoo's.

The protocol layers (XML-RPC, JSON-RPC, web routes, JSON-2) never look at the
type of an exception directly: they ask :func:`odoo_name` for the dotted name a
real server would report (``odoo.exceptions.AccessError``, ``builtins.ValueError``,
``werkzeug.exceptions.NotFound``...) and :func:`traceback_tail` for the last line
of the traceback text. Python builtins (``ValueError``, ``TypeError``,
``KeyError``, ``AttributeError``, ``IndexError``) are raised as themselves, as
Odoo does.

Hierarchy (as in ``odoo/exceptions.py``)::

    Exception
     ├── UserError                   fault 2, JSON-2 422
     │    ├── AccessDenied           fault 3, JSON-2 403, message "Access Denied"
     │    ├── AccessError            fault 4, JSON-2 403
     │    ├── MissingError           fault 2, JSON-2 404
     │    ├── ValidationError        fault 2, JSON-2 422
     │    └── LockError              fault 2, JSON-2 409 (18+)
     ├── RedirectWarning             fault 2
     ├── ConcurrencyError            fault 1
     ├── SessionExpiredException     JSON-RPC code 100
     ├── HTTPError                   werkzeug.exceptions.* (NotFound, BadRequest, ...)
     └── OperationalError            psycopg2.OperationalError (unknown database)

Example::

    >>> e = AccessError("nope")
    >>> odoo_name(e), traceback_tail(e)
    ('odoo.exceptions.AccessError', 'odoo.exceptions.AccessError: nope\\n')
"""

from __future__ import annotations

import traceback
from typing import Any, ClassVar


class OdooException(Exception):
    """Base of the exceptions that exist in Odoo's own modules (not builtins)."""

    odoo_module: ClassVar[str] = "odoo.exceptions"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str = "", *args: Any) -> None:
        super().__init__(message, *args)
        self.context: dict[str, Any] = {}

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:
        return self.message


class UserError(OdooException):
    http_status = 422


class AccessDenied(UserError):
    http_status = 403

    def __init__(self, message: str = "Access Denied", *args: Any) -> None:
        super().__init__(message, *args)


class AccessError(UserError):
    http_status = 403


class MissingError(UserError):
    http_status = 404


class ValidationError(UserError):
    http_status = 422


class LockError(UserError):
    http_status = 409


class RedirectWarning(OdooException):
    """Four arguments (message, action, button_text, additional_context); str() is the tuple."""

    def __str__(self) -> str:
        return str(self.args)


class ConcurrencyError(OdooException):
    pass


class SessionExpiredException(OdooException):
    odoo_module = "odoo.http"
    http_status = 403

    def __init__(self, message: str = "Session expired", *args: Any) -> None:
        super().__init__(message, *args)


class HTTPError(OdooException):
    """A werkzeug HTTP exception as Odoo reports it inside a JSON-RPC error."""

    odoo_module = "werkzeug.exceptions"
    code: ClassVar[int] = 500
    title: ClassVar[str] = "Internal Server Error"

    def __init__(self, description: str | None = None) -> None:
        self.description = description if description is not None else self.default_description
        super().__init__(f"{self.code} {self.title}: {self.description}")

    default_description: ClassVar[str] = ""


class NotFound(HTTPError):
    code = 404
    title = "Not Found"
    default_description = (
        "The requested URL was not found on the server. If you entered the URL manually "
        "please check your spelling and try again."
    )


class BadRequest(HTTPError):
    code = 400
    title = "Bad Request"
    default_description = (
        "The browser (or proxy) sent a request that this server could not understand."
    )


class Unauthorized(HTTPError):
    code = 401
    title = "Unauthorized"
    default_description = (
        "The server could not verify that you are authorized to access the URL requested. "
        "You either supplied the wrong credentials (e.g. a bad password), or your browser "
        "doesn't understand how to supply the credentials required."
    )


class Forbidden(HTTPError):
    code = 403
    title = "Forbidden"
    default_description = (
        "You don't have the permission to access the requested resource. It is either "
        "read-protected or not readable by the server."
    )


class UnprocessableEntity(HTTPError):
    code = 422
    title = "Unprocessable Entity"
    default_description = (
        "The request was well-formed but was unable to be followed due to semantic errors."
    )


class OperationalError(OdooException):
    """psycopg2.OperationalError: what Odoo raises for a database that does not exist."""

    odoo_module = "psycopg2"


class SerializationFailure(OdooException):
    """``psycopg2.errors.SerializationFailure``: what PostgreSQL answers Odoo for a
    concurrent update. The sandbox raises it when SQLite's lock could not be had."""

    odoo_module = "psycopg2.errors"

    def __init__(
        self, message: str = "could not serialize access due to concurrent update\n", *args: Any
    ) -> None:
        super().__init__(message, *args)


def odoo_name(exc: BaseException) -> str:
    """The dotted class name a real Odoo server reports in ``error.data.name``."""
    cls = type(exc)
    if isinstance(exc, OdooException):
        return f"{exc.odoo_module}.{cls.__name__}"
    module = cls.__module__
    if module == "builtins":
        return f"builtins.{cls.__name__}"
    return f"{module}.{cls.__qualname__}"


def exception_message(exc: BaseException) -> str:
    """``error.data.message``: Odoo's ``exception_to_unicode`` (the args joined by newlines).

    So ``KeyError('x')`` gives ``x`` here (recorded: common-042) while the traceback
    line, built from ``str(exc)``, reads ``KeyError: 'x'``.
    """
    if exc.args:
        return "\n".join(str(arg) for arg in exc.args)
    return str(exc)


def exception_arguments(exc: BaseException) -> list[Any]:
    """``error.data.arguments``: the exception's args as a list."""
    if isinstance(exc, HTTPError):
        return []
    return list(exc.args)


def traceback_tail(exc: BaseException) -> str:
    """Last line of the traceback text, e.g. ``ValueError: Invalid field ...\\n``.

    Builtins are shown with their bare class name, Odoo exceptions with their module.
    """
    name = odoo_name(exc)
    if name.startswith("builtins."):
        name = name[len("builtins.") :]
    text = str(exc)  # what Python's traceback module prints
    return f"{name}: {text}\n" if text else f"{name}\n"


def traceback_text(exc: BaseException) -> str:
    """A traceback in Odoo's shape: the sandbox's own frames (useful when debugging the
    sandbox; they are not part of its contract), then :func:`traceback_tail`."""
    frames = traceback.format_tb(exc.__traceback__) if exc.__traceback__ else ["  [sandbox]\n"]
    return "Traceback (most recent call last):\n" + "".join(frames) + traceback_tail(exc)
