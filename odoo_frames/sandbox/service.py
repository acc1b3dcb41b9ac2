"""The sandbox's service layer: what every wire protocol calls into.

The protocol modules (``xmlrpc.py``, ``jsonrpc.py``, ``web.py``, ``json2.py``) only
decode requests, call one of these methods and encode the result or the exception.
Everything Odoo-specific about *meaning* (authentication, ``execute_kw`` argument
handling, ids extraction, ``create`` return shapes, method visibility, ORM calls)
lives behind this interface.

Exceptions raised here are the ones of :mod:`odoo_frames.sandbox.exceptions` or
Python builtins (``ValueError``, ``TypeError``, ``KeyError``, ``AttributeError``,
``IndexError``), exactly the classes real Odoo would raise for the same request; the
protocol layer turns them into faults / error envelopes / HTTP statuses.

A method that returns ``None`` returns ``None`` here (JSON-RPC then omits ``result``,
XML-RPC turns it into the "cannot marshal None" fault).
"""

from __future__ import annotations

from typing import Any, Protocol

from .versions import VersionProfile


class Service(Protocol):
    """Interface implemented by the ORM side of the sandbox (see ``core.py``)."""

    profile: VersionProfile

    def dispatch_rpc(self, service: str, method: str, params: list[Any]) -> Any:
        """Odoo's ``dispatch_rpc``: services ``common``, ``db`` and ``object``.

        Used by ``/xmlrpc/2/<service>``, ``/xmlrpc/<service>`` and ``/jsonrpc``.
        Unknown service -> ``KeyError(service)``; unknown method -> ``Exception``
        "Method not found: <name>" (raised as the class real Odoo uses).
        """
        ...

    def list_databases(self) -> list[str]:
        """Sorted database names."""
        ...

    def authenticate(self, db: str, login: str, password: str, *, interactive: bool) -> int:
        """Check a login; returns the uid or raises ``AccessDenied``.

        ``interactive=True`` is the web login (``/web/session/authenticate``), which
        refuses API keys, as Odoo does. Unknown db -> ``OperationalError``.
        """
        ...

    def check_api_key(self, db: str, key: str) -> int | None:
        """The uid owning this API key (JSON-2 bearer), or None."""
        ...

    def call_kw(
        self, db: str, uid: int, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        """Odoo's ``call_kw`` for an already authenticated user (web session routes).

        ``kwargs['context']`` replaces the call's context. Unknown model raises
        ``NotFound`` (the web route's behaviour); the object service's
        ``execute_kw`` instead raises ``UserError("Object x doesn't exist")``.
        """
        ...

    def call_named(
        self,
        db: str,
        uid: int,
        model: str,
        method: str,
        ids: list[int] | None,
        params: dict[str, Any],
        context: dict[str, Any],
    ) -> Any:
        """JSON-2: named arguments only; ``create`` returns a list of ids."""
        ...

    def session_info(self, db: str, uid: int) -> dict[str, Any]:
        """The body of ``/web/session/authenticate`` and ``/web/session/get_session_info``."""
        ...

    def method_doc(self, db: str, uid: int, model: str) -> dict[str, Any]:
        """``/doc-bearer/<model>.json``: model, name, fields and public method signatures."""
        ...
