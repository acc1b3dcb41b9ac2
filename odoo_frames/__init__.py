"""odoo_frames: Odoo data as lazy DataFrames.

Example::

    import odoo_frames as of

    odoo = of.connect("https://acme.odoo.com", db="acme", user="ana@acme.com", api_key="...")
    odoo.call("res.partner", "search_count", [("is_company", "=", True)])

``import odoo_frames`` stays light: pandas, polars and the sandbox load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from .client import Client, connect
from .errors import (
    AccessError,
    ArgumentError,
    AuthenticationError,
    ConcurrencyError,
    ConfigurationError,
    ConnectError,
    DatabaseNotFound,
    MethodNotFound,
    MissingError,
    ModelNotFound,
    OdooError,
    ProtocolError,
    RateLimited,
    RemoteError,
    RequestTimeout,
    ServerError,
    ServerUnavailable,
    SessionExpired,
    TransportError,
    UserError,
    ValidationError,
)
from .transport.retry import RetryPolicy

__all__ = [
    "AccessError",
    "ArgumentError",
    "AuthenticationError",
    "Client",
    "ConcurrencyError",
    "ConfigurationError",
    "ConnectError",
    "DatabaseNotFound",
    "MethodNotFound",
    "MissingError",
    "ModelNotFound",
    "OdooError",
    "ProtocolError",
    "RateLimited",
    "RemoteError",
    "RequestTimeout",
    "RetryPolicy",
    "ServerError",
    "ServerUnavailable",
    "SessionExpired",
    "TransportError",
    "UserError",
    "ValidationError",
    "connect",
]

__version__ = "0.1.0"

_LAZY_SUBMODULES = frozenset({"sandbox"})


def __getattr__(name: str) -> Any:
    # `of.sandbox.start()` without importing the sandbox (werkzeug, sqlite) up front.
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
