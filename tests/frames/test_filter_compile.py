"""Filters compile to the Odoo domain that selects what pandas would select.

Golden tests: one expression, the exact domain it must send. The field types come
from a small fields_get-like table (a frame passes the real one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from odoo_frames.domain import Domain
from odoo_frames.expr import Columns, Expr, FilterError, compile_filter

TYPES = {
    "name": "char",
    "state": "selection",
    "amount_total": "monetary",
    "qty": "float",
    "count": "integer",
    "locked": "boolean",
    "date_order": "datetime",
    "validity_date": "date",
    "partner_id": "many2one",
    "partner_id.country_id.code": "char",
    "partner_id.name": "char",
    "tag_ids": "many2many",
    "order_line": "one2many",
    "order_line.product_uom_qty": "float",
    "order_line.name": "char",
}


@dataclass
class Info:
    type: str


def resolve(path: str) -> Info:
    return Info(TYPES[path])


so = Columns()


def domain(expr: Expr) -> list:
    return list(compile_filter(expr, resolve))


CASES: list[tuple[str, Expr, list]] = [
    ("char equality", so.name == "Azure", [("name", "=", "Azure")]),
    ("char inequality keeps nulls", so.name != "Azure", [("name", "!=", "Azure")]),
    ("selection", so.state == "sale", [("state", "=", "sale")]),
    ("number greater than", so.amount_total > 1000, [("amount_total", ">", 1000)]),
    (
        "number less than also matches unset (read as 0)",
        so.amount_total < 5,
        ["|", ("amount_total", "<", 5), ("amount_total", "=", False)],
    ),
    ("number equals zero is Odoo's = False", so.qty == 0, [("qty", "=", False)]),
    ("number not zero", so.qty != 0, [("qty", "!=", False)]),
    ("numpy scalar", so.count == np.int64(3), [("count", "=", 3)]),
    ("boolean true", so.locked == True, [("locked", "=", True)]),  # noqa: E712
    ("boolean from 0", so.locked == 0, [("locked", "=", False)]),
    ("many2one id", so.partner_id == 7, [("partner_id", "=", 7)]),
    (
        "dotted path is pushed down",
        so.partner_id.country_id.code == "BE",
        [("partner_id.country_id.code", "=", "BE")],
    ),
    ("None means unset", so.name == None, [("name", "=", False)]),  # noqa: E711
    ("not None means set", so.name != None, [("name", "!=", False)]),  # noqa: E711
    ("isna", so.partner_id.isna(), [("partner_id", "=", False)]),
    ("notna", so.partner_id.notna(), [("partner_id", "!=", False)]),
    ("isin", so.state.isin(["sale", "done"]), [("state", "in", ["sale", "done"])]),
    ("isin empty matches nothing", so.state.isin([]), [(0, "=", 1)]),
    ("not isin empty matches everything", ~so.state.isin([]), []),
    ("isin with None matches unset", so.name.isin(["a", None]), [("name", "in", ["a", False])]),
    ("isin numbers with 0 matches unset", so.count.isin([0, 2]), [("count", "in", [0, 2, False])]),
    ("not isin", ~so.state.isin(["sale"]), [("state", "not in", ["sale"])]),
    (
        "between is inclusive",
        so.amount_total.between(10, 20),
        ["&", ("amount_total", ">=", 10), ("amount_total", "<=", 20)],
    ),
    (
        "between neither",
        so.amount_total.between(10, 20, inclusive="neither"),
        ["&", ("amount_total", ">", 10), ("amount_total", "<", 20)],
    ),
    ("contains case sensitive", so.name.str.contains("desk"), [("name", "like", "desk")]),
    (
        "contains ignoring case",
        so.name.str.contains("Desk", case=False),
        [("name", "ilike", "Desk")],
    ),
    ("contains escapes % and _", so.name.str.contains("50%_"), [("name", "like", "50\\%\\_")]),
    ("startswith", so.name.str.startswith("A_"), [("name", "=like", "A\\_%")]),
    (
        "endswith ignoring case",
        so.name.str.endswith(".com", case=False),
        [("name", "=ilike", "%.com")],
    ),
    (
        "not startswith keeps nulls",
        ~so.name.str.startswith("A"),
        ["|", "!", ("name", "=like", "A%"), ("name", "=", False)],
    ),
    ("not contains", ~so.name.str.contains("x"), [("name", "not like", "x")]),
    (
        "year of a datetime is a UTC range",
        so.date_order.dt.year == 2025,
        [
            "&",
            ("date_order", ">=", "2025-01-01 00:00:00"),
            ("date_order", "<", "2026-01-01 00:00:00"),
        ],
    ),
    (
        "year of a date",
        so.validity_date.dt.year >= 2025,
        [("validity_date", ">=", "2025-01-01")],
    ),
    (
        "month is a date part leaf",
        so.date_order.dt.month == 3,
        [("date_order.month_number", "=", 3)],
    ),
    (
        "month isin",
        so.date_order.dt.month.isin([1, 2]),
        [("date_order.month_number", "in", [1, 2])],
    ),
    (
        "day of a datetime",
        so.date_order.dt.date == dt.date(2025, 3, 1),
        [
            "&",
            ("date_order", ">=", "2025-03-01 00:00:00"),
            ("date_order", "<", "2025-03-02 00:00:00"),
        ],
    ),
    (
        "aware datetime converted to UTC",
        so.date_order >= dt.datetime(2025, 1, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        [("date_order", ">=", "2025-01-01 00:00:00")],
    ),
    (
        "pandas timestamp",
        so.date_order < pd.Timestamp("2025-06-01 12:30", tz="UTC"),
        [("date_order", "<", "2025-06-01 12:30:00")],
    ),
    (
        "date against a date field",
        so.validity_date == dt.date(2025, 1, 31),
        [("validity_date", "=", "2025-01-31")],
    ),
    (
        "date against a datetime field is midnight UTC",
        so.date_order >= dt.date(2025, 1, 31),
        [("date_order", ">=", "2025-01-31 00:00:00")],
    ),
    ("x2many contains", so.tag_ids.contains(3), [("tag_ids", "in", [3])]),
    ("x2many not contains", ~so.tag_ids.contains([3, 4]), [("tag_ids", "not in", [3, 4])]),
    (
        "x2many any",
        so.order_line.any(lambda line: line.product_uom_qty > 5),
        [("order_line", "any", Domain([("product_uom_qty", ">", 5)]))],
    ),
    (
        "x2many not any",
        ~so.order_line.any(lambda line: line.name.str.contains("desk", case=False)),
        [("order_line", "not any", Domain([("name", "ilike", "desk")]))],
    ),
    (
        "and / or",
        (so.state == "sale") & ((so.amount_total > 10) | (so.partner_id == 3)),
        ["&", ("state", "=", "sale"), "|", ("amount_total", ">", 10), ("partner_id", "=", 3)],
    ),
    (
        "negation pushed down with De Morgan",
        ~((so.state == "sale") | (so.name == "x")),
        ["&", ("state", "!=", "sale"), ("name", "!=", "x")],
    ),
    (
        "negated char comparison keeps nulls like pandas",
        ~(so.name < "m"),
        ["|", ("name", ">=", "m"), ("name", "=", False)],
    ),
    ("negated number comparison", ~(so.amount_total < 5), [("amount_total", ">=", 5)]),
    (
        "raw domain combines",
        (so.state == "sale") & Domain([("name", "=", "x")]),
        ["&", ("state", "=", "sale"), ("name", "=", "x")],
    ),
]


@pytest.mark.parametrize(("title", "expr", "expected"), CASES, ids=[c[0] for c in CASES])
def test_filter_compiles_to_the_expected_domain(title: str, expr: Expr, expected: list) -> None:
    assert domain(expr) == expected


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: so.amount_total > so.qty, "never two fields"),
        (lambda: domain(so.tag_ids == 3), r"tag_ids\.contains\(id\)"),
        (lambda: domain(so.partner_id == "Azure"), "display_name"),
        (lambda: domain(so.amount_total.str.contains("1")), "monetary field, not text"),
        (lambda: domain(so.name.dt.year == 2020), "char field, not a date"),
        (lambda: domain(so.validity_date.dt.hour == 3), "has no hours"),
        (lambda: so.name.str.contains("a.*b", regex=True), "regular expression"),
        (lambda: so.state.isin("sale"), "list of values"),
        (lambda: domain(so.partner_id.contains(3)), "one2many / many2many"),
        (lambda: domain(so.name > None), "only == and !="),
        (lambda: so.amount_total.between(1, 2, inclusive="maybe"), "inclusive"),
        (lambda: so.date_order.dt.month == "March", "integers"),
    ],
)
def test_filters_no_domain_can_express_raise_a_clear_error(make, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        make()


def test_bool_of_a_filter_explains_the_operators() -> None:
    with pytest.raises(TypeError, match=r"& \(and\), \| \(or\) and ~ \(not\)"):
        bool(so.state == "sale")
    with pytest.raises(TypeError, match="ambiguous"):
        if so.state:  # type: ignore[truthy-bool]
            pass


def test_without_types_comparisons_compile_literally() -> None:
    assert list(compile_filter((so.a == 1) & (so.b.c < 2))) == ["&", ("a", "=", 1), ("b.c", "<", 2)]
