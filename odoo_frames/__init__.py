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

from .apply import ApplyResult
from .client import Client, connect
from .domain import Domain
from .errors import (
    AccessError,
    ApplyError,
    ArgumentError,
    AuthenticationError,
    ConcurrencyError,
    ConfigurationError,
    ConflictError,
    ConnectError,
    DatabaseNotFound,
    DomainError,
    FieldNotFound,
    FilterError,
    GroupByError,
    MethodNotFound,
    MissingError,
    ModelNotFound,
    OdooError,
    ProtocolError,
    QuerySyntaxError,
    RateLimited,
    RemoteError,
    RequestTimeout,
    ServerError,
    ServerUnavailable,
    SessionExpired,
    TransportError,
    UsageError,
    UserError,
    ValidationError,
    WritebackError,
)
from .frame import OdooFrame
from .snapshot import Snapshot, snapshot_of
from .transport.retry import RetryPolicy
from .writeback import Plan

__all__ = [
    "AccessError",
    "ApplyError",
    "ApplyResult",
    "ArgumentError",
    "AuthenticationError",
    "Client",
    "ConcurrencyError",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "DatabaseNotFound",
    "Domain",
    "DomainError",
    "FieldNotFound",
    "FilterError",
    "GroupByError",
    "MethodNotFound",
    "MissingError",
    "ModelNotFound",
    "OdooError",
    "OdooFrame",
    "Plan",
    "ProtocolError",
    "QuerySyntaxError",
    "RateLimited",
    "RemoteError",
    "RequestTimeout",
    "RetryPolicy",
    "ServerError",
    "ServerUnavailable",
    "SessionExpired",
    "Snapshot",
    "TransportError",
    "UsageError",
    "UserError",
    "ValidationError",
    "WritebackError",
    "connect",
    "snapshot_of",
]

__version__ = "0.1.0"

_LAZY_SUBMODULES = frozenset({"sandbox"})


def __getattr__(name: str) -> Any:
    # `of.sandbox.start()` without importing the sandbox (werkzeug, sqlite) up front.
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
