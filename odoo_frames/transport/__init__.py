"""Wire protocols behind one small interface (:class:`Transport`).

========  ==========================================  ==========================
name      endpoint                                    credentials
========  ==========================================  ==========================
json2     ``POST /json/2/<model>/<method>`` (19+)     API key (bearer)
web       ``/web/session/authenticate`` + call_kw     password (session cookie)
jsonrpc   ``POST /jsonrpc``                           password or API key
xmlrpc    ``POST /xmlrpc/2/<service>``                password or API key
========  ==========================================  ==========================

Example::

    from odoo_frames.transport import TRANSPORTS, HttpPool
    transport = TRANSPORTS["jsonrpc"](HttpPool("http://127.0.0.1:8069"))
"""

from __future__ import annotations

from typing import Final

from .base import Capabilities, Login, ServerVersion, Transport
from .http import HttpPool
from .json2 import Json2Transport
from .jsonrpc import JsonRpcTransport
from .retry import READ_ONLY_METHODS, RateLimiter, RetryPolicy
from .web import WebSessionTransport
from .xmlrpc import XmlRpcTransport

__all__ = [
    "READ_ONLY_METHODS",
    "TRANSPORTS",
    "Capabilities",
    "HttpPool",
    "Json2Transport",
    "JsonRpcTransport",
    "Login",
    "RateLimiter",
    "RetryPolicy",
    "ServerVersion",
    "Transport",
    "WebSessionTransport",
    "XmlRpcTransport",
]

TRANSPORTS: Final[dict[str, type[Transport]]] = {
    "json2": Json2Transport,
    "web": WebSessionTransport,
    "jsonrpc": JsonRpcTransport,
    "xmlrpc": XmlRpcTransport,
}
