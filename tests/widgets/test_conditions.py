"""The filter builder's rules, without widgets: field type -> operators, text -> values."""

from __future__ import annotations

import datetime as dt

import pytest

from odoo_frames.domain import Domain
from odoo_frames.expr import FilterError, compile_filter
from odoo_frames.schema import FieldSpec
from odoo_frames.widgets.conditions import (
    IncompleteCondition,
    condition,
    filterable,
    operators_for,
    parse_value,
)

NAME = FieldSpec("name", "char")
AMOUNT = FieldSpec("amount_total", "monetary")
QTY = FieldSpec("qty", "integer")
COMPANY = FieldSpec("is_company", "boolean")
STATE = FieldSpec("state", "selection", selection=(("draft", "Quotation"), ("sale", "Sales Order")))
COUNTRY = FieldSpec("country_id", "many2one", relation="res.country")
TAGS = FieldSpec("category_id", "many2many", relation="res.partner.category")
DAY = FieldSpec("date_deadline", "date")
WHEN = FieldSpec("create_date", "datetime")


def domain(spec: FieldSpec, operator: str, value: object) -> Domain:
    return compile_filter(condition(spec, operator, value))


def test_operators_follow_the_field_type() -> None:
    assert operators_for(NAME)[:2] == ("contains", "does not contain")
    assert ">" in operators_for(AMOUNT) and "contains" not in operators_for(AMOUNT)
    assert operators_for(COMPANY) == ("=", "!=")
    assert "in" in operators_for(STATE)
    assert "contains" in operators_for(COUNTRY)
    assert operators_for(TAGS) == ("contains", "is set", "is not set")
    assert not filterable(FieldSpec("image", "binary"))
    assert not filterable(FieldSpec("total", "float", searchable=False))


@pytest.mark.parametrize(
    ("spec", "text", "value"),
    [
        (QTY, "42", 42),
        (AMOUNT, "1000.5", 1000.5),
        (COMPANY, "yes", True),
        (COMPANY, "False", False),
        (STATE, "Sales Order", "sale"),
        (STATE, "draft", "draft"),
        (COUNTRY, "20", 20),
        (DAY, "2026-01-31", dt.date(2026, 1, 31)),
        (WHEN, "2026-01-31 08:30", dt.datetime(2026, 1, 31, 8, 30)),
        (NAME, "  Acme ", "Acme"),
    ],
)
def test_typed_text_becomes_a_value_of_the_field(spec: FieldSpec, text: str, value: object) -> None:
    assert parse_value(spec, text) == value


@pytest.mark.parametrize(
    ("spec", "text", "reason"),
    [
        (QTY, "", "type a value"),
        (QTY, "4.5", "not a whole number"),
        (AMOUNT, "lots", "not a number"),
        (COMPANY, "maybe", "not True or False"),
        (STATE, "won", "not one of draft, sale"),
        (COUNTRY, "Belgium", "not a record id"),
        (DAY, "31/01/2026", "not a date"),
    ],
)
def test_incomplete_rows_say_why(spec: FieldSpec, text: str, reason: str) -> None:
    with pytest.raises(IncompleteCondition, match=reason):
        condition(spec, operators_for(spec)[0] if spec is not NAME else "=", text)


def test_rows_compile_like_hand_written_filters() -> None:
    assert domain(NAME, "contains", "acme") == Domain([("name", "ilike", "acme")])
    assert domain(NAME, "does not contain", "acme") == Domain([("name", "not ilike", "acme")])
    assert domain(AMOUNT, ">=", "1000") == Domain([("amount_total", ">=", 1000.0)])
    assert domain(COMPANY, "=", True) == Domain([("is_company", "=", True)])
    assert domain(STATE, "in", "draft, Sales Order") == Domain([("state", "in", ["draft", "sale"])])
    assert domain(COUNTRY, "=", "20") == Domain([("country_id", "=", 20)])
    assert domain(COUNTRY, "contains", "belg") == Domain([("country_id", "ilike", "belg")])
    assert domain(TAGS, "contains", "3") == Domain([("category_id", "in", [3])])
    assert domain(NAME, "is not set", None) == Domain([("name", "=", False)])
    assert domain(NAME, "is set", None) == Domain([("name", "!=", False)])


def test_an_operator_the_field_has_not_is_refused() -> None:
    with pytest.raises(FilterError, match="does not apply"):
        condition(COMPANY, ">", "1")
