"""create / write / unlink / copy and x2many commands, with Odoo 18's results and errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.exceptions import MissingError, ValidationError

from .core_support import NOW, call, reference_core


@pytest.fixture(scope="module")
def core() -> Iterator[SandboxCore]:
    yield from reference_core()


@pytest.fixture(autouse=True)
def fresh(core: SandboxCore) -> None:
    core.reset()


def test_create_returns_an_id_for_a_dict_and_a_list_for_a_list(core: SandboxCore) -> None:
    assert call(core, "crm.tag", "create", {"name": "One"}) == 9
    assert call(core, "crm.tag", "create", [{"name": "Two"}, {"name": "Three"}]) == [10, 11]
    assert call(core, "crm.tag", "create", []) == []


def test_create_sets_log_fields_from_the_user_and_the_clock(core: SandboxCore) -> None:
    tag = call(core, "crm.tag", "create", {"name": "Stamped"}, uid=6)
    [row] = call(core, "crm.tag", "read", [tag], ["create_uid", "write_uid", "create_date"])
    assert row["create_uid"] == [6, "Marc Demo"] and row["write_uid"] == [6, "Marc Demo"]
    assert row["create_date"] == NOW.strftime("%Y-%m-%d %H:%M:%S")


def test_context_defaults_fill_missing_values_including_x2many_commands(
    core: SandboxCore,
) -> None:
    context = {"default_type": "lead", "default_tag_ids": [[6, 0, [1, 2]]]}
    lead = call(core, "crm.lead", "create", {"name": "Ctx"}, context=context)
    [row] = call(core, "crm.lead", "read", [lead], ["type", "tag_ids", "user_id"])
    assert row == {"id": lead, "type": "lead", "tag_ids": [1, 2], "user_id": [2, "Mitchell Admin"]}


def test_missing_required_value_is_the_not_null_validation_error(core: SandboxCore) -> None:
    with pytest.raises(ValidationError) as info:
        call(core, "crm.stage", "create", {"sequence": 3})
    assert str(info.value).endswith("\n\nModel: CRM Stages (crm.stage)\nField: Stage Name (name)\n")


def test_a_failed_create_is_rolled_back_but_consumes_its_ids(core: SandboxCore) -> None:
    with pytest.raises(ValidationError):
        call(core, "crm.tag", "create", [{"name": "ok"}, {"color": 1}])
    assert call(core, "crm.tag", "search_count", [["name", "=", "ok"]]) == 0
    assert call(core, "crm.tag", "create", {"name": "next"}) == 11


def test_write_many_ids_empty_ids_and_empty_values_return_true(core: SandboxCore) -> None:
    assert call(core, "res.partner", "write", [9, 10], {"website": "https://x.example"}) is True
    assert call(core, "res.partner", "write", [], {"website": "nothing"}) is True
    assert call(core, "res.partner", "write", [9], {}) is True
    assert call(core, "res.partner", "search", [["website", "=", "https://x.example"]]) == [10, 9]


def test_write_on_a_missing_record_is_a_missing_error(core: SandboxCore) -> None:
    with pytest.raises(MissingError) as info:
        call(core, "res.partner", "write", [99999], {"name": "x"})
    assert str(info.value) == (
        "Record does not exist or has been deleted.\n(Record: res.partner(99999,), User: 2)"
    )
    with pytest.raises(MissingError, match=r"res\.country\(999999,\)"):
        call(core, "res.partner", "write", [10], {"country_id": 999999})


def test_display_name_writes_are_ignored_and_stored_computes_are_kept(core: SandboxCore) -> None:
    call(core, "res.partner", "write", [13], {"display_name": "Shown", "complete_name": "Other"})
    [row] = call(core, "res.partner", "read", [13], ["display_name", "complete_name"])
    assert row == {"id": 13, "display_name": "OpenWood", "complete_name": "Other"}


def test_unknown_field_in_write_is_a_value_error(core: SandboxCore) -> None:
    with pytest.raises(ValueError, match=r"Invalid field 'nope' on model 'res\.partner'"):
        call(core, "res.partner", "write", [10], {"nope": 1})


def test_many2many_commands(core: SandboxCore) -> None:
    def tags() -> list[int]:
        return call(core, "res.partner", "read", [15], ["category_id"])[0]["category_id"]

    call(core, "res.partner", "write", [15], {"category_id": [[4, 1, 0]]})
    assert tags() == [5, 1]
    call(core, "res.partner", "write", [15], {"category_id": [[3, 5, 0]]})
    assert tags() == [1]
    call(core, "res.partner", "write", [15], {"category_id": [[6, 0, [2, 3]]]})
    assert tags() == [3, 2]
    call(core, "res.partner", "write", [15], {"category_id": [4]})  # plain ids: SET
    assert tags() == [4]
    call(core, "res.partner", "write", [15], {"category_id": [[5, 0, 0]]})
    assert tags() == []
    call(core, "res.partner", "write", [15], {"category_id": [[0, 0, {"name": "New"}]]})
    assert tags() == [8]
    call(core, "res.partner", "write", [15], {"category_id": [[1, 8, {"name": "Renamed"}]]})
    assert call(core, "res.partner.category", "read", [8], ["name"])[0]["name"] == "Renamed"
    call(core, "res.partner", "write", [15], {"category_id": [[2, 8, 0]]})
    assert tags() == [] and call(core, "res.partner.category", "exists", [8]) == []
    call(core, "res.partner", "write", [15], {"category_id": [[9, 0, 0]]})  # unknown: ignored


def test_one2many_unlink_deletes_lines_whose_inverse_is_required(core: SandboxCore) -> None:
    call(core, "sale.order", "write", [1], {"order_line": [[3, 1, 0]]})
    assert call(core, "sale.order.line", "exists", [1]) == []
    call(core, "sale.order", "write", [2], {"order_line": [[5, 0, 0]]})
    assert call(core, "sale.order", "read", [2], ["order_line"])[0]["order_line"] == []


def test_one2many_unlink_detaches_lines_whose_inverse_is_optional(core: SandboxCore) -> None:
    call(core, "res.partner", "write", [12], {"child_ids": [[3, 22, 0]]})
    [row] = call(core, "res.partner", "read", [22], ["parent_id"])
    assert row["parent_id"] is False


def test_one2many_link_and_set_move_lines_between_parents(core: SandboxCore) -> None:
    call(core, "sale.order", "write", [1], {"order_line": [[4, 4, 0]]})
    assert call(core, "sale.order.line", "read", [4], ["order_id"])[0]["order_id"][0] == 1
    call(core, "sale.order", "write", [1], {"order_line": [[6, 0, [1, 2]]]})
    assert call(core, "sale.order.line", "exists", [1, 2, 3, 4]) == [1, 2]


def test_create_with_nested_one2many_commands(core: SandboxCore) -> None:
    partner = call(
        core,
        "res.partner",
        "create",
        {"name": "Parent Co", "is_company": True, "child_ids": [[0, 0, {"name": "Kid"}]]},
    )
    [row] = call(core, "res.partner", "read", [partner], ["child_ids"])
    [kid] = row["child_ids"]
    assert call(core, "res.partner", "read", [kid], ["parent_id"])[0]["parent_id"][0] == partner


def test_unlink_missing_is_a_missing_error_and_unlink_removes_links(core: SandboxCore) -> None:
    with pytest.raises(MissingError):
        call(core, "res.partner", "unlink", [99999])
    assert call(core, "res.partner.category", "unlink", [7]) is True
    assert call(core, "res.partner", "read", [10], ["category_id"])[0]["category_id"] == []


def test_unlink_refuses_when_a_required_reference_remains(core: SandboxCore) -> None:
    with pytest.raises(ValidationError, match="another model requires the record"):
        call(core, "res.country", "unlink", [233])  # states require their country


def test_copy_returns_a_list_of_new_ids_in_18(core: SandboxCore) -> None:
    [new] = call(core, "res.partner.category", "copy", [6])
    assert call(core, "res.partner.category", "read", [new], ["name", "parent_id"])[0] == {
        "id": new,
        "name": "Office Supplies",
        "parent_id": [1, "Vendor"],
    }


def test_archive_and_unarchive_return_none(core: SandboxCore) -> None:
    assert call(core, "crm.tag", "search", [["id", "=", 1]]) == [1]
    assert call(core, "res.partner.category", "action_archive", [1]) is None
    assert call(core, "res.partner.category", "search", [["id", "=", 1]]) == []
    assert call(core, "res.partner.category", "action_unarchive", [1]) is None
    assert call(core, "res.partner.category", "search", [["id", "=", 1]]) == [1]
