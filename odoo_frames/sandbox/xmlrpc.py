"""XML-RPC: ``POST /xmlrpc/2/<service>`` (integer fault codes) and ``/xmlrpc/<service>``
(legacy, string fault codes), byte for byte as Odoo 18 answers.

Requests are parsed with Python's unmarshaller behind defusedxml's expat parser (no
entity expansion, no external references) with ``use_datetime=True``, as Odoo does
(``<dateTime.iso8601>`` arrives as ``datetime``, ``<base64>`` as ``xmlrpc.client.Binary``).
Responses go through Odoo's marshaller: ``allow_none=False`` (a ``None`` result becomes
the fault "cannot marshal None unless allow_none is enabled"), dates and datetimes as
strings, bytes decoded, ASCII control characters removed from strings. HTTP 200 and
``text/xml`` for results and faults alike.

Example::

    >>> print(dumps((6,)), end="")
    <?xml version="1.0"?>
    <methodResponse>
    <params>
    <param>
    <value><int>6</int></value>
    </param>
    </params>
    <BLANKLINE>
    </methodResponse>
    >>> fault_code_int(AccessDenied()).faultCode
    3
"""

from __future__ import annotations

import datetime
import xmlrpc.client
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from defusedxml.xmlrpc import DefusedExpatParser
from werkzeug.wrappers import Response

from .exceptions import (
    AccessDenied,
    AccessError,
    MissingError,
    RedirectWarning,
    UserError,
    exception_message,
    traceback_text,
)

if TYPE_CHECKING:
    from .app import Call

__all__ = ["XMLRPC", "OdooMarshaller", "dumps", "fault_code_int", "fault_code_string", "loads"]

XML_CONTENT_TYPE = "text/xml; charset=utf-8"

# Fault codes of /xmlrpc/2 (clients know these constants).
FAULT_APPLICATION_ERROR = 1
FAULT_WARNING = 2
FAULT_ACCESS_DENIED = 3
FAULT_ACCESS_ERROR = 4

#: 0 to 31 except tab, newline and carriage return: XML 1.0 cannot carry them.
CONTROL_CHARACTERS = dict.fromkeys(set(range(32)) - {9, 10, 13})


class OdooMarshaller(xmlrpc.client.Marshaller):
    """Odoo's marshaller: what its XML-RPC responses are made of."""

    dispatch: dict[Any, Any] = dict(xmlrpc.client.Marshaller.dispatch)  # noqa: RUF012

    def _dump_str(self, value: str, write: Callable[[str], Any]) -> None:
        self.dump_unicode(value.translate(CONTROL_CHARACTERS), write)

    def _dump_bytes(self, value: bytes, write: Callable[[str], Any]) -> None:
        # Odoo sends binary field values as base64 text, never as <base64>.
        self._dump_str(value.decode(), write)

    def _dump_datetime(self, value: datetime.datetime, write: Callable[[str], Any]) -> None:
        self._dump_str(value.strftime("%Y-%m-%d %H:%M:%S"), write)

    def _dump_date(self, value: datetime.date, write: Callable[[str], Any]) -> None:
        self._dump_str(value.strftime("%Y-%m-%d"), write)

    dispatch[str] = _dump_str
    dispatch[bytes] = _dump_bytes
    dispatch[datetime.datetime] = _dump_datetime
    dispatch[datetime.date] = _dump_date
    dispatch[defaultdict] = dispatch[dict]


def dumps(value: tuple[Any, ...] | xmlrpc.client.Fault) -> str:
    """A ``methodResponse`` document, in Odoo's exact layout (not ``xmlrpc.client.dumps``'s)."""
    body = OdooMarshaller(allow_none=False).dumps(value)
    return f'<?xml version="1.0"?>\n<methodResponse>\n{body}\n</methodResponse>\n'


def loads(data: bytes) -> tuple[tuple[Any, ...], str | None]:
    """``(params, method_name)`` of a ``methodCall``, parsed without XML expansion attacks."""
    unmarshaller = xmlrpc.client.Unmarshaller(use_datetime=True)
    parser = DefusedExpatParser(unmarshaller)
    parser.feed(data)
    parser.close()
    return unmarshaller.close(), unmarshaller.getmethodname()


def fault_code_int(exc: BaseException) -> xmlrpc.client.Fault:
    """``/xmlrpc/2``: Odoo's ``xmlrpc_handle_exception_int`` (order of the checks matters)."""
    if isinstance(exc, RedirectWarning):
        return xmlrpc.client.Fault(FAULT_WARNING, str(exc))
    if isinstance(exc, AccessError):
        return xmlrpc.client.Fault(FAULT_ACCESS_ERROR, str(exc))
    if isinstance(exc, AccessDenied):
        return xmlrpc.client.Fault(FAULT_ACCESS_DENIED, str(exc))
    if isinstance(exc, UserError):
        return xmlrpc.client.Fault(FAULT_WARNING, str(exc))
    return xmlrpc.client.Fault(FAULT_APPLICATION_ERROR, traceback_text(exc))


def _string_fault(code: str, text: str) -> xmlrpc.client.Fault:
    # The legacy endpoint really sends a string faultCode (typeshed expects an int).
    return xmlrpc.client.Fault(code, text)  # type: ignore[arg-type]


def fault_code_string(exc: BaseException) -> xmlrpc.client.Fault:
    """Legacy ``/xmlrpc``: Odoo's ``xmlrpc_handle_exception_string``."""
    if isinstance(exc, RedirectWarning):
        return _string_fault("warning -- Warning\n\n" + str(exc), "")
    if isinstance(exc, MissingError):
        return _string_fault("warning -- MissingError\n\n" + str(exc), "")
    if isinstance(exc, AccessError):
        return _string_fault("warning -- AccessError\n\n" + str(exc), "")
    if isinstance(exc, AccessDenied):
        return _string_fault("AccessDenied", str(exc))
    if isinstance(exc, UserError):
        return _string_fault("warning -- UserError\n\n" + str(exc), "")
    return _string_fault(exception_message(exc), traceback_text(exc))


class XMLRPC:
    """Controller of the XML-RPC routes (``type='http'``, ``auth='none'``, no session)."""

    def __init__(self, call: Call) -> None:
        self.call = call

    def xmlrpc_1(self, service: str) -> Response:
        return self._serve(service, fault_code_string)

    def xmlrpc_2(self, service: str) -> Response:
        return self._serve(service, fault_code_int)

    def _serve(
        self, service: str, fault: Callable[[BaseException], xmlrpc.client.Fault]
    ) -> Response:
        # Everything, parsing and marshalling included, ends up as a fault: Odoo wraps the
        # whole exchange in one try/except.
        try:
            params, method = loads(self.call.request.get_data())
            result = self.call.service.dispatch_rpc(service, method, list(params))  # type: ignore[arg-type]
            body = dumps((result,))
        except Exception as exc:
            body = dumps(fault(exc))
        return Response(body, content_type=XML_CONTENT_TYPE)
