"""read / search_read / search / search_count / exists, in Odoo 18's read format."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.orm import InvalidTextRepresentation

from .core_support import call, reference_core


@pytest.fixture(scope="module")
def core() -> Iterator[SandboxCore]:
    yield from reference_core()


def test_read_keeps_the_order_of_the_ids_repeats_duplicates_and_skips_missing(
    core: SandboxCore,
) -> None:
    rows = call(core, "res.partner", "read", [30, 10, 99999, 10], ["name"])
    assert rows == [
        {"id": 30, "name": "Gordon Owens"},
        {"id": 10, "name": "Deco Addict"},
        {"id": 10, "name": "Deco Addict"},
    ]


def test_many2one_reads_as_id_and_display_name_unless_load_is_not_classic(
    core: SandboxCore,
) -> None:
    classic = call(core, "sale.order", "read", [1], ["partner_id", "user_id"])
    bare = call(core, "sale.order", "read", [1], ["partner_id"], load=None)
    assert classic == [{"id": 1, "partner_id": [10, "Deco Addict"], "user_id": [6, "Marc Demo"]}]
    assert bare == [{"id": 1, "partner_id": 10}]


def test_unset_values_read_false_except_numbers_and_x2many(core: SandboxCore) -> None:
    [row] = call(core, "res.partner", "read", [10], ["ref", "supplier_rank", "parent_id"])
    assert row == {"id": 10, "ref": False, "supplier_rank": 0, "parent_id": False}


def test_x2many_ids_come_in_the_comodel_order(core: SandboxCore) -> None:
    [partner] = call(core, "res.partner", "read", [12], ["child_ids", "category_id"])
    assert partner["child_ids"] == [22, 26, 38, 25, 37, 31, 39]  # complete_name, id desc
    assert partner["category_id"] == [7, 6]  # "Vendor / Desk..." < "Vendor / Office..."


def test_one2many_field_domains_filter_the_lines(core: SandboxCore) -> None:
    [move] = call(core, "account.move", "read", [1], ["line_ids", "invoice_line_ids"])
    assert move["line_ids"] == [5, 6, 29]
    assert move["invoice_line_ids"] == [5, 6]


def test_delegated_fields_read_through_the_parent(core: SandboxCore) -> None:
    [variant] = call(core, "product.product", "read", [5], ["name", "categ_id", "display_name"])
    assert variant["name"] == "Office Chair"
    assert variant["display_name"] == "[FURN_7777] Office Chair"


def test_company_dependent_fields_read_empty_for_another_company(core: SandboxCore) -> None:
    fields = ["property_account_receivable_id"]
    here = call(core, "res.partner", "read", [10], fields)
    there = call(core, "res.partner", "read", [10], fields, context={"allowed_company_ids": [2]})
    assert here[0]["property_account_receivable_id"] == [7, "121000 Account Receivable"]
    assert there[0]["property_account_receivable_id"] is False


def test_read_without_fields_returns_every_field(core: SandboxCore) -> None:
    [tag] = call(core, "crm.tag", "read", [1])
    assert set(tag) == {
        "id", "name", "color", "display_name", "create_uid", "create_date", "write_uid",
        "write_date",
    }  # fmt: skip


def test_unknown_field_and_fields_given_as_a_string_are_value_errors(core: SandboxCore) -> None:
    with pytest.raises(ValueError, match=r"Invalid field 'no_such_field' on model 'res\.partner'"):
        call(core, "res.partner", "read", [10], ["name", "no_such_field"])
    with pytest.raises(ValueError, match=r"Invalid field 'n' on model 'res\.partner'"):
        call(core, "res.partner", "read", [10], "name")


def test_non_integer_ids_fail_like_postgresql(core: SandboxCore) -> None:
    with pytest.raises(InvalidTextRepresentation) as info:
        call(core, "res.partner", "read", ["abc"], ["name"])
    assert str(info.value).startswith('invalid input syntax for type integer: "abc"\nLINE 1: ...')


def test_non_numeric_limit_fails_like_postgresql(core: SandboxCore) -> None:
    with pytest.raises(InvalidTextRepresentation) as info:
        call(core, "res.partner", "search_read", [], fields=["name"], limit="x")
    assert str(info.value) == (
        'invalid input syntax for type bigint: "x"\n'
        'LINE 1: ...er"."complete_name" ASC , "res_partner"."id" DESC  LIMIT \'x\'\n'
        + " " * 68
        + "^\n"
    )


def test_search_read_follows_the_default_order_and_active_test(core: SandboxCore) -> None:
    rows = call(core, "res.users", "search_read", [], fields=["login"])
    assert [r["login"] for r in rows] == ["portal", "demo", "admin"]
    everyone = call(core, "res.users", "search_count", [], context={"active_test": False})
    assert everyone == 7


def test_search_returns_ids_and_search_count_honours_limit(core: SandboxCore) -> None:
    assert call(core, "res.country", "search", [["code", "=", "BE"]]) == [20]
    assert call(core, "res.partner", "search_count", [], limit=3) == 3


def test_exists_filters_missing_ids(core: SandboxCore) -> None:
    assert call(core, "res.partner", "exists", [10, 99999]) == [10]


def test_archived_records_are_readable_by_id(core: SandboxCore) -> None:
    assert call(core, "res.partner", "read", [2], ["name", "active"]) == [
        {"id": 2, "name": "OdooBot", "active": False}
    ]
