"""The Domain value: normalisation, composition, equality, printing."""

from __future__ import annotations

import pytest

from odoo_frames.domain import Domain, DomainError


def test_implicit_and_is_made_explicit() -> None:
    assert Domain([("a", "=", 1), ("b", "=", 2)]).to_list() == [
        "&",
        ["a", "=", 1],
        ["b", "=", 2],
    ]


def test_same_meaning_by_construction_compares_equal() -> None:
    implicit = Domain([("a", "=", 1), ("b", "=", 2)])
    explicit = Domain(["&", ("a", "=", 1), ("b", "=", 2)])
    assert implicit == explicit
    assert hash(implicit) == hash(explicit)
    assert implicit == [("a", "=", 1), ("b", "=", 2)]


def test_three_leaves_nest_like_odoo_normalize_domain() -> None:
    d = Domain([("a", "=", 1), ("b", "=", 2), ("c", "=", 3)])
    assert list(d) == ["&", "&", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]


def test_and_or_compose_and_absorb_true_and_false() -> None:
    a, b = Domain.leaf("a", "=", 1), Domain.leaf("b", "=", 2)
    assert (a & b) == ["&", ("a", "=", 1), ("b", "=", 2)]
    assert (a | b) == ["|", ("a", "=", 1), ("b", "=", 2)]
    assert (Domain.true() & a) == a
    assert (Domain.true() | a).is_true()
    assert (Domain.false() & a).is_false()
    assert (Domain.false() | a) == a


@pytest.mark.parametrize(
    ("operator", "negated"),
    [
        ("=", "!="),
        ("!=", "="),
        ("<", ">="),
        ("<=", ">"),
        (">", "<="),
        (">=", "<"),
        ("in", "not in"),
        ("not in", "in"),
        ("like", "not like"),
        ("ilike", "not ilike"),
        ("any", "not any"),
    ],
)
def test_negating_a_leaf_flips_its_operator(operator: str, negated: str) -> None:
    value = [("x", "=", 1)] if "any" in operator else 5
    leaf = Domain.leaf("f", operator, value)
    assert next((~leaf).leaves())[1] == negated


def test_negating_a_composite_uses_bang_and_double_negation_cancels() -> None:
    d = Domain.leaf("a", "=", 1) | Domain.leaf("b", "=", 2)
    assert list(~d) == ["!", "|", ("a", "=", 1), ("b", "=", 2)]
    assert ~~d == d
    leaf = Domain.leaf("name", "=like", "A%")
    assert list(~leaf) == ["!", ("name", "=like", "A%")]


def test_repr_and_pretty() -> None:
    d = Domain.leaf("state", "=", "sale") & Domain.leaf("amount_total", ">", 1000)
    assert repr(d) == "['&', ('state', '=', 'sale'), ('amount_total', '>', 1000)]"
    assert (Domain.leaf("a", "=", 1) | Domain.leaf("b", "=", 2)).pretty() == (
        "'|'\n    ('a', '=', 1)\n    ('b', '=', 2)"
    )


def test_alias_and_case_of_operators_are_normalised() -> None:
    assert Domain([("a", "<>", 1)]) == [("a", "!=", 1)]
    assert Domain([("a", "ILIKE", "x")]) == [("a", "ilike", "x")]


def test_any_sub_domain_is_a_domain_and_serialises() -> None:
    d = Domain([("order_line", "any", [("qty", ">", 5), ("price", "<", 3)])])
    assert d.to_list() == [["order_line", "any", ["&", ["qty", ">", 5], ["price", "<", 3]]]]


def test_fields_lists_the_paths() -> None:
    d = Domain([("a.b", "=", 1), "|", ("c", "=", 2), ("a.b", "=", 3)])
    assert d.fields() == {"a.b", "c"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (["|", ("a", "=", 1)], "missing 1 operand"),
        (["&"], "missing 2 operands"),
        ([("a", "=")], "exactly three items"),
        ([("a", "equals", 1)], "invalid operator 'equals'"),
        (["or", ("a", "=", 1)], "invalid item 'or'"),
        ([42], "invalid item 42"),
        ([("", "=", 1)], "invalid field ''"),
    ],
)
def test_malformed_domains_are_rejected_with_the_reason(raw: list, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        Domain(raw)
