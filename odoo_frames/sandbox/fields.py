"""Field values: Odoo's write format -> SQLite column, column -> Odoo's read format.

Three value formats meet in the sandbox:

* the *write format* clients send (``False`` for unset, many2one as an id, dates as
  ``"YYYY-MM-DD"``, x2many as commands),
* the *column* stored in SQLite (NULL, 0/1, text, ids: see :mod:`.storage`),
* the *read format* of ``read()`` (protocol.md 4.2): ``False`` for unset except numbers
  (``0``/``0.0``); many2one as ``[id, display_name]`` (added by the ORM, which knows names).

Also here: the constant ``default=`` declarations of the 24 models' fields
(:data:`STATIC_DEFAULTS`), used by ``default_get`` and ``create`` before the ``@defaults``
hooks of :mod:`.orm`.

Example::

    >>> column_value(reg["res.partner"].fields["active"], True)
    1
    >>> read_value(reg["res.partner"].fields["customer_rank"], None)
    0
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .registry import FieldSpec

if TYPE_CHECKING:
    from .orm import Env

__all__ = [
    "STATIC_DEFAULTS",
    "column_value",
    "empty_value",
    "read_plain",
    "read_value",
    "reader",
]

NUMERIC_TYPES = frozenset({"integer", "float", "monetary"})
X2MANY_TYPES = frozenset({"one2many", "many2many"})


def column_value(field: FieldSpec, value: Any) -> Any:
    """A write-format value -> the SQLite column value (Odoo's ``convert_to_column``).

    Raises ``ValueError`` with Odoo's text for a value of the wrong shape.
    """
    ftype = field.type
    if ftype == "boolean":
        return int(bool(value))
    if ftype == "integer":
        return int(value or 0)
    if ftype in ("float", "monetary"):
        number = float(value or 0.0)
        digits = field.descriptor.get("digits")
        if ftype == "float" and isinstance(digits, (list, tuple)) and len(digits) == 2:
            number = round(number, int(digits[1]))
        return number
    if value is None or value is False:
        return None
    if ftype == "many2one":
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
            if value is None:
                return None
        return int(value)
    if ftype == "date":
        return date_string(value)
    if ftype == "datetime":
        return datetime_string(value)
    if ftype == "json":
        return json.dumps(value)
    if ftype in ("char", "text", "html"):
        return value if isinstance(value, str) else str(value)
    if ftype == "selection":
        keys = [k for k, _ in field.selection]
        if keys and value not in keys:
            raise ValueError(f"Wrong value for {field.model}.{field.name}: {value!r}")
        return value
    if ftype == "many2one_reference":
        return int(value)
    return value


def read_value(field: FieldSpec, column: Any) -> Any:
    """A SQLite column value -> the read format (many2one: the bare id or False)."""
    ftype = field.type
    if ftype == "boolean":
        return bool(column)
    if ftype == "integer":
        return int(column) if column is not None else 0
    if ftype in ("float", "monetary"):
        return float(column) if column is not None else 0.0
    if column is None:
        return False
    if ftype == "json":
        try:
            return json.loads(column)
        except (TypeError, ValueError):
            return column
    if ftype == "many2one":
        return int(column)
    return column


def _read_boolean(column: Any) -> Any:
    return bool(column)


def _read_integer(column: Any) -> Any:
    return int(column) if column is not None else 0


def _read_float(column: Any) -> Any:
    return float(column) if column is not None else 0.0


def _read_many2one(column: Any) -> Any:
    return int(column) if column is not None else False


def read_plain(column: Any) -> Any:
    """The reader of most types: the column value, NULL reads ``False``."""
    return column if column is not None else False


def reader(field: FieldSpec) -> Callable[[Any], Any]:
    """``read_value`` for one field, with its type looked up once: reading 50k rows
    calls it for every cell, so the per-cell work must be a single small function."""
    ftype = field.type
    if ftype == "boolean":
        return _read_boolean
    if ftype == "integer":
        return _read_integer
    if ftype in ("float", "monetary"):
        return _read_float
    if ftype == "many2one":
        return _read_many2one
    if ftype == "json":
        return lambda column: read_value(field, column)
    return read_plain


def empty_value(field: FieldSpec) -> Any:
    """What ``read`` shows for a field without a value."""
    if field.type in X2MANY_TYPES:
        return []
    return read_value(field, None)


def date_string(value: Any) -> str:
    """``Date.to_string(Date.to_date(value))``: accepts dates, datetimes and their strings."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    parsed = dt.datetime.strptime(text[:10], "%Y-%m-%d")
    return parsed.date().isoformat()


def datetime_string(value: Any) -> str:
    """``Datetime.to_string(Datetime.to_datetime(value))``: second precision, a date means 00:00:00."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d 00:00:00")
    text = str(value)
    if len(text) == 10:
        return dt.datetime.strptime(text, "%Y-%m-%d").strftime("%Y-%m-%d 00:00:00")
    parsed = dt.datetime.strptime(text[:19].replace("T", " "), "%Y-%m-%d %H:%M:%S")
    return parsed.strftime("%Y-%m-%d %H:%M:%S")


DefaultValue = Any | Callable[["Env"], Any]

#: Constant (or trivially dynamic) ``default=`` of the fields of the 24 models, as declared
#: in Odoo 18's field definitions. Model-specific dynamic defaults (dates, sequences,
#: company-based values) are ``@defaults`` hooks of the business module.
STATIC_DEFAULTS: dict[str, dict[str, DefaultValue]] = {
    "res.partner": {
        "active": True,
        "is_company": False,
        "type": "contact",
        "lang": lambda env: env.context.get("lang") or "en_US",
        "tz": lambda env: env.context.get("tz") or False,
        "customer_rank": 0,
        "supplier_rank": 0,
    },
    "res.partner.category": {"active": True},
    "res.currency": {"active": True, "rounding": 0.01, "position": "after"},
    "res.company": {"active": True, "sequence": 10},
    "res.users": {"active": True, "notification_type": "email"},
    "product.template": {
        "active": True,
        "type": "consu",
        "list_price": 1.0,
        "sale_ok": True,
        "purchase_ok": True,
        "invoice_policy": "order",
        "tracking": "none",
        "sequence": 1,
    },
    "product.product": {"active": True},
    "uom.uom": {"active": True, "factor": 1.0, "rounding": 0.01, "uom_type": "reference"},
    "sale.order": {
        "state": "draft",
        "locked": False,
        "picking_policy": "direct",
    },
    "sale.order.line": {
        "sequence": 10,
        "product_uom_qty": 1.0,
        "discount": 0.0,
        "customer_lead": 0.0,
        "is_downpayment": False,
    },
    "account.move": {
        "state": "draft",
        "move_type": "entry",
        "auto_post": "no",
    },
    "account.move.line": {"display_type": "product", "quantity": 1.0, "discount": 0.0},
    "account.journal": {
        "active": True,
        "sequence": 10,
        "invoice_reference_type": "invoice",
        "invoice_reference_model": "odoo",
        "show_on_dashboard": True,
    },
    "account.tax": {
        "active": True,
        "amount_type": "percent",
        "type_tax_use": "sale",
        "sequence": 1,
        "tax_exigibility": "on_invoice",
    },
    "stock.location": {"active": True, "usage": "internal"},
    "stock.warehouse": {
        "active": True,
        "reception_steps": "one_step",
        "delivery_steps": "ship_only",
    },
    "crm.lead": {
        "active": True,
        "type": "opportunity",
        "priority": "0",
        "user_id": lambda env: env.uid,
    },
    "crm.stage": {"sequence": 1},
}
