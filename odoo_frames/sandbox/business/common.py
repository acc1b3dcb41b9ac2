"""Small helpers shared by the business modules: dates in the user's time zone, SQL rows.

Odoo's ``fields.Date.context_today`` is "today" in ``context.tz``, else in the user's
``tz`` (``server.json``), else UTC; computed defaults such as a quotation's validity
date use it.

Example::

    >>> context_today(env)            # 2026-11-27 for admin (Europe/Brussels) at 13:55 UTC
    datetime.date(2026, 11, 27)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..orm import BaseModel, Env
from .taxes import Tax


def user_tz(env: Env) -> str | None:
    """``context.tz`` or the user's time zone (``server.json``), None for UTC."""
    if env.tz:
        return env.tz
    for entry in env.db.server.get("users", []):
        if int(entry.get("uid", 0)) == env.uid and entry.get("tz"):
            return str(entry["tz"])
    return None


def context_today(env: Env) -> dt.date:
    """Odoo's ``fields.Date.context_today``: the call's moment as a date in the user's zone."""
    moment = env.now.replace(tzinfo=dt.UTC)
    name = user_tz(env)
    if name:
        try:
            moment = moment.astimezone(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return moment.date()


def json_ids(ids: Iterable[int]) -> str:
    """Ids as a JSON array, for ``... IN (SELECT value FROM json_each(?))``."""
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def rows(env: Env, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(env.cr.execute(sql, tuple(params)).fetchall())


def records_by_field(records: BaseModel, field: str, value: Any) -> BaseModel:
    """The records of ``records`` whose raw ``field`` equals ``value``."""
    values = records.raw([field])
    return records.browse(
        [rid for rid in records.ids if rid in values and values[rid][field] == value]
    )


def tax_records(env: Env, ids: Iterable[int]) -> dict[int, Tax]:
    """The ``account.tax`` records of ``ids`` as :class:`.taxes.Tax` values."""
    rows = (
        env["account.tax"]
        .sudo()
        .browse(sorted(set(ids)))
        .raw(["amount", "amount_type", "price_include_override", "include_base_amount", "sequence"])
    )
    return {
        tid: Tax(
            id=tid,
            amount=float(t["amount"] or 0.0),
            amount_type=t["amount_type"] or "percent",
            price_include=t["price_include_override"] == "tax_included",
            include_base_amount=bool(t["include_base_amount"]),
            sequence=int(t["sequence"] or 0),
        )
        for tid, t in rows.items()
    }


def currency_rounding(env: Env, currency_id: Any) -> float:
    """``res.currency.rounding`` (0.01 when unknown)."""
    if not currency_id:
        return 0.01
    row = (
        env["res.currency"]
        .sudo()
        .browse([int(currency_id)])
        .raw(["rounding"])
        .get(int(currency_id))
    )
    return float(row["rounding"]) if row and row["rounding"] else 0.01
