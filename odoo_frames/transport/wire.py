"""Python values <-> request bodies: JSON (orjson) and XML-RPC (xmlrpc.client + defusedxml).

Odoo exchanges dates as ``"YYYY-MM-DD"`` and datetimes as ``"YYYY-MM-DD HH:MM:SS"`` in
UTC on every protocol, so both encoders write them that way (an aware datetime is
converted to UTC first; a naive one is taken as UTC). Sets become lists, Decimals
floats, numpy scalars and arrays plain values.

XML-RPC answers are parsed with defusedxml's expat parser (no entity expansion, no
external references): ``xmlrpc.client`` only marshals.

Example::

    >>> import datetime as dt
    >>> encode_json({"d": dt.datetime(2024, 5, 1, 12, 30)})
    b'{"d":"2024-05-01 12:30:00"}'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import xmlrpc.client
from typing import Any

import orjson
from defusedxml.xmlrpc import DefusedExpatParser

from .._gc import gc_paused
from ..errors import ArgumentError

__all__ = [
    "decode_json",
    "decode_xmlrpc",
    "encode_json",
    "encode_xmlrpc",
    "to_odoo_value",
]

_JSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_SERIALIZE_NUMPY


def odoo_datetime(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return odoo_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, set | frozenset):
        return list(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if hasattr(value, "tolist"):  # numpy / pandas values orjson does not take natively
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot send a {type(value).__name__} to Odoo: {value!r}")


def encode_json(payload: Any) -> bytes:
    try:
        return orjson.dumps(payload, default=_json_default, option=_JSON_OPTIONS)
    except TypeError as exc:
        # orjson wraps the TypeError of _json_default, whose text names the value.
        reason = exc.__cause__ or exc
        raise ArgumentError(
            f"{reason}" if exc.__cause__ else f"cannot send to Odoo: {exc}"
        ) from None


#: Bodies from this size on are decoded with the cyclic garbage collector paused.
LARGE_BODY = 256 * 1024


def decode_json(content: bytes) -> Any:
    """Raises orjson.JSONDecodeError (a ValueError) on a body that is not JSON."""
    if len(content) < LARGE_BODY:
        return orjson.loads(content)
    with gc_paused():
        return orjson.loads(content)


_INT_MAX = 2**31 - 1


def to_odoo_value(value: Any) -> Any:
    """A value XML-RPC can marshal, written the way Odoo reads it."""
    if value is None or isinstance(value, bool | str | float):
        return value
    if isinstance(value, int):
        if not -_INT_MAX - 1 <= value <= _INT_MAX:
            # XML-RPC <int> is 32-bit; Odoo itself sends such integers as floats.
            return float(value)
        return value
    if isinstance(value, dict):
        return {str(k): to_odoo_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_odoo_value(v) for v in value]
    if isinstance(value, dt.datetime):
        return odoo_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes | bytearray):
        # Binary fields travel as base64 text; bytes here are assumed to be that text.
        return bytes(value).decode("ascii")
    if hasattr(value, "tolist"):
        return to_odoo_value(value.tolist())
    if hasattr(value, "item"):
        return to_odoo_value(value.item())
    raise ArgumentError(f"cannot send a {type(value).__name__} to Odoo: {value!r}")


def encode_xmlrpc(method: str, params: tuple[Any, ...]) -> bytes:
    body = xmlrpc.client.dumps(
        tuple(to_odoo_value(p) for p in params),
        methodname=method,
        allow_none=True,
        encoding="utf-8",
    )
    return body.encode("utf-8")


def decode_xmlrpc(content: bytes) -> Any:
    """The single value of a methodResponse; raises xmlrpc.client.Fault for a fault.

    Raises ValueError-like errors (ExpatError, DTDForbidden...) on a malformed body.
    """
    unmarshaller = xmlrpc.client.Unmarshaller(use_datetime=False, use_builtin_types=True)
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    with gc_paused() if len(content) >= LARGE_BODY else contextlib.nullcontext():
        parser.feed(content)
        parser.close()
    result = unmarshaller.close()  # raises Fault
    return result[0] if len(result) == 1 else result
