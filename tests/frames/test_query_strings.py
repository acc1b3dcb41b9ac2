"""frame.query(...) strings: pandas.query syntax to domains, errors with position."""

from __future__ import annotations

import pytest

from odoo_frames.expr import compile_filter
from odoo_frames.query import QuerySyntaxError, parse_query


def compiled(query: str, **variables: object) -> list:
    return list(compile_filter(parse_query(query, variables)))


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        ("state == 'sale'", {}, [("state", "=", "sale")]),
        (
            "state == 'sale' and amount_total > 1000",
            {},
            ["&", ("state", "=", "sale"), ("amount_total", ">", 1000)],
        ),
        (
            "state == 'sale' and amount_total > 1000 and partner_id.country_id.code in @codes",
            {"codes": ["BE", "FR"]},
            [
                "&",
                "&",
                ("state", "=", "sale"),
                ("amount_total", ">", 1000),
                ("partner_id.country_id.code", "in", ["BE", "FR"]),
            ],
        ),
        ("state not in ['draft', 'cancel']", {}, [("state", "not in", ["draft", "cancel"])]),
        (
            "100 < amount_total <= 500",
            {},
            ["&", ("amount_total", ">", 100), ("amount_total", "<=", 500)],
        ),
        ("1000 < amount_total", {}, [("amount_total", ">", 1000)]),
        ("a == 1 or b == 2", {}, ["|", ("a", "=", 1), ("b", "=", 2)]),
        ("not (a == 1)", {}, [("a", "!=", 1)]),
        (
            "(a == 1) | (b == 2) & (c == 3)",
            {},
            ["|", ("a", "=", 1), "&", ("b", "=", 2), ("c", "=", 3)],
        ),
        (
            "state != 'draft' & ~(partner_id == 3)",
            {},
            ["&", ("state", "!=", "draft"), ("partner_id", "!=", 3)],
        ),
        ("amount_total >= @low", {"low": 5.5}, [("amount_total", ">=", 5.5)]),
        ("amount_total > -3", {}, [("amount_total", ">", -3)]),
        ("email == None", {}, [("email", "=", False)]),
        ("name.str.contains('desk', case=False)", {}, [("name", "ilike", "desk")]),
        ("email.str.endswith('@gmail.com')", {}, [("email", "=like", "%@gmail.com")]),
        ("partner_id.isna()", {}, [("partner_id", "=", False)]),
        ("state.isin(['sale'])", {}, [("state", "in", ["sale"])]),
        ("`my field` == 3", {}, [("my field", "=", 3)]),
        ("note == 'an @ in a string'", {}, [("note", "=", "an @ in a string")]),
    ],
)
def test_query_strings_compile_like_the_expressions(
    query: str, variables: dict, expected: list
) -> None:
    assert compiled(query, **variables) == expected


@pytest.mark.parametrize(
    ("query", "reason", "column"),
    [
        ("amount_total > amount_tax", "comparing two columns", 16),
        ("foo(3)", "function call 'foo'", 1),
        ("x in @nope", "@nope is not a defined variable", 6),
        ("name", "is a column, not a condition", 1),
        ("name == 'a' or", "invalid syntax", None),
        ("a + 1 == 2", "not a literal value", None),
        ("1 == 2", "needs a column", 1),
        ("name.lower() == 'x'", r"method \.lower\(\) is not supported", None),
        ("", "empty", None),
    ],
)
def test_bad_queries_say_where_and_why(query: str, reason: str, column: int | None) -> None:
    with pytest.raises(QuerySyntaxError, match=reason) as info:
        parse_query(query, {})
    if column is not None:
        assert info.value.offset == column - 1
        assert f"at column {column}" in str(info.value)
