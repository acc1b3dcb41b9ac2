"""XML-RPC over ``POST /xmlrpc/2/<service>``, carried by requests like the other protocols.

``xmlrpc.client`` only marshals the request; the answer is parsed with defusedxml.
Faults map to the common error classes (codes 1-4, see :mod:`.faults`).

One XML-RPC quirk is smoothed over: Odoo cannot marshal ``None``, so a method that
returns nothing (``action_archive``, ``check_access_rights`` ...) ends in fault 1
"cannot marshal None" *after* it ran and committed. That fault is returned as
``None``, as the JSON protocols do.

Example::

    transport = XmlRpcTransport(HttpPool("http://127.0.0.1:8069"))
    transport.login("ref", "admin", Secret("admin"))
    transport.call("sale.order", "action_confirm", [[25]], {})
"""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Iterable
from typing import Any

from .._secrets import Secret
from ..errors import ProtocolError, RemoteError
from .base import Login, ServerVersion, Transport, describe_response
from .faults import from_xmlrpc_fault, split_traceback
from .http import Body
from .wire import decode_xmlrpc, encode_xmlrpc

__all__ = ["XmlRpcTransport", "decode_answer"]

_NONE_FAULT = "cannot marshal None unless allow_none is enabled"


class XmlRpcTransport(Transport):
    name = "xmlrpc"

    def _post(
        self,
        service: str,
        body: Body,
        *,
        model: str | None = None,
        method: str | None = None,
    ) -> Any:
        path = f"/xmlrpc/2/{service}"
        url = self.http.url(path)
        response = self.http.post(path, body, content_type="text/xml")
        if response.status_code != 200:
            raise ProtocolError(
                f"{url} answered HTTP {response.status_code} instead of XML-RPC: "
                f"{describe_response(response)}",
                url=url,
                status_code=response.status_code,
            )
        try:
            return decode_answer(response.content, model=model, method=method, secrets=self.secrets)
        except RemoteError:
            raise
        except Exception as exc:  # expat / defusedxml errors: not an XML-RPC answer
            raise ProtocolError(
                f"{url} did not answer XML-RPC ({type(exc).__name__}): "
                f"{describe_response(response)}",
                url=url,
                status_code=response.status_code,
            ) from None

    def version(self) -> ServerVersion:
        return ServerVersion.from_payload(
            self._post("common", Body(encode_xmlrpc("version", ())), method="version")
        )

    def list_databases(self) -> list[str]:
        return list(self._post("db", Body(encode_xmlrpc("list", ())), method="list"))

    def login(self, db: str, user: str | None, secret: Secret) -> Login:
        uid = self._post("common", _authenticate_body(db, user, secret), method="authenticate")
        return self._open_session(db, uid, secret)

    def call(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        session, secret = self._logged_in()
        body = _execute_kw_body(session, secret, model, method, args, kwargs)
        return self._post("object", body, model=model, method=method)


def _authenticate_body(db: str, user: str | None, secret: Secret) -> Body:
    return Body(encode_xmlrpc("authenticate", (db, user or "", secret.reveal(), {})))


def _execute_kw_body(
    session: Login,
    secret: Secret,
    model: str,
    method: str,
    args: list[Any],
    kwargs: dict[str, Any],
) -> Body:
    params = (session.db, session.uid, secret.reveal(), model, method, args, kwargs)
    return Body(encode_xmlrpc("execute_kw", params))


def decode_answer(
    content: bytes,
    *,
    model: str | None = None,
    method: str | None = None,
    secrets: Iterable[Secret] = (),
) -> Any:
    """The value of an XML-RPC answer; a fault raises its :class:`RemoteError`.

    Fault 1 "cannot marshal None" means the method ran and returned None: that is None.
    """
    try:
        return decode_xmlrpc(content)
    except xmlrpc.client.Fault as fault:
        if fault.faultCode == 1 and split_traceback(str(fault.faultString))[1] == _NONE_FAULT:
            return None
        raise from_xmlrpc_fault(
            fault.faultCode, fault.faultString, model=model, method=method, secrets=secrets
        ) from None
