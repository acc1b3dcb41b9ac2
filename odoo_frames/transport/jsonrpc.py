"""JSON-RPC over ``POST /jsonrpc``: the ``common``, ``db`` and ``object`` services.

Stateless: every ``execute_kw`` carries db, uid and the password or API key. Works on
every Odoo version (deprecated in 19, where JSON-2 replaces it).

Example::

    transport = JsonRpcTransport(HttpPool("http://127.0.0.1:8069"))
    transport.login("ref", "admin", Secret("5e3d5d49..."))   # an API key works as password
    transport.call("res.partner", "search_read", [[("is_company", "=", True)]],
                   {"fields": ["name"], "limit": 5})
"""

from __future__ import annotations

from typing import Any

from .._secrets import Secret
from .base import Login, ServerVersion, Transport, jsonrpc_call, jsonrpc_envelope
from .http import Body

__all__ = ["JsonRpcTransport"]


class JsonRpcTransport(Transport):
    name = "jsonrpc"
    path = "/jsonrpc"

    def _service(
        self,
        service: str,
        method: str,
        body: Body,
        *,
        model: str | None = None,
        odoo_method: str | None = None,
    ) -> Any:
        result, _ = jsonrpc_call(
            self.http,
            self.path,
            body,
            protocol=self.name,
            model=model,
            method=odoo_method or method,
            secrets=self.secrets,
        )
        return result

    def version(self) -> ServerVersion:
        body = jsonrpc_envelope({"service": "common", "method": "version", "args": []})
        return ServerVersion.from_payload(self._service("common", "version", body))

    def list_databases(self) -> list[str]:
        body = jsonrpc_envelope({"service": "db", "method": "list", "args": []})
        return list(self._service("db", "list", body))

    def login(self, db: str, user: str | None, secret: Secret) -> Login:
        uid = self._service("common", "authenticate", _authenticate_body(db, user, secret))
        return self._open_session(db, uid, secret)

    def call(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        session, secret = self._logged_in()
        body = _execute_kw_body(session, secret, model, method, args, kwargs)
        return self._service("object", "execute_kw", body, model=model, odoo_method=method)


# The plain secret only exists inside these short functions, which return before the
# request is sent: frames in a traceback never hold it (see _secrets.py).


def _authenticate_body(db: str, user: str | None, secret: Secret) -> Body:
    return jsonrpc_envelope(
        {
            "service": "common",
            "method": "authenticate",
            "args": [db, user or "", secret.reveal(), {}],
        }
    )


def _execute_kw_body(
    session: Login,
    secret: Secret,
    model: str,
    method: str,
    args: list[Any],
    kwargs: dict[str, Any],
) -> Body:
    return jsonrpc_envelope(
        {
            "service": "object",
            "method": "execute_kw",
            "args": [session.db, session.uid, secret.reveal(), model, method, args, kwargs],
        }
    )
