"""name_search, name_create, fields_get, default_get, access checks, versions and hooks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from odoo_frames.sandbox import orm
from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.orm import HOOKS, BaseModel

from .core_support import call, reference_core


@pytest.fixture(scope="module")
def core() -> Iterator[SandboxCore]:
    yield from reference_core()


@pytest.fixture(scope="module")
def core17() -> Iterator[SandboxCore]:
    yield from reference_core("17.0")


@pytest.fixture(autouse=True)
def fresh(core: SandboxCore) -> None:
    core.reset()


def test_name_search_matches_rec_names_search_fields_in_default_order(core: SandboxCore) -> None:
    assert call(core, "res.partner", "name_search", name="deco") == [
        [10, "Deco Addict"],
        [36, "Deco Addict, Addison Olson"],
        [19, "Deco Addict, Douglas Fletcher"],
        [20, "Deco Addict, Floyd Steward"],
    ]
    assert call(core, "res.partner", "name_search", name="agrolait") == [[10, "Deco Addict"]]
    assert call(core, "res.partner", "name_search", "a", limit=2) == [
        [15, "Azure Interior"],
        [27, "Azure Interior, Brandon Freeman"],
    ]


def test_name_search_takes_args_in_18_and_domain_in_19(core: SandboxCore) -> None:
    companies = call(core, "res.partner", "name_search", name="a", args=[["is_company", "=", True]])
    assert [15, "Azure Interior"] in companies and len(companies) == 9
    with pytest.raises(TypeError, match="unexpected keyword argument 'domain'"):
        call(core, "res.partner", "name_search", name="a", domain=[])


def test_name_create_returns_the_id_and_display_name(core: SandboxCore) -> None:
    assert call(core, "crm.tag", "name_create", "Fresh") == [9, "Fresh"]
    assert call(core, "crm.tag", "name_create", "") == [10, False]


def test_fields_get_filters_fields_and_attributes(core: SandboxCore) -> None:
    result = call(
        core, "res.partner", "fields_get", ["name", "country_id"], ["type", "relation", "help"]
    )
    assert result == {
        "name": {"type": "char"},
        "country_id": {"type": "many2one", "relation": "res.country"},
    }


def test_fields_get_lists_every_field_of_real_odoo(core: SandboxCore) -> None:
    names = call(core, "res.partner", "fields_get")
    assert len(names) == 165 and {"company_registry", "create_uid", "user_ids"} <= set(names)


def test_fields_get_17_says_group_operator_and_has_no_groupable(core17: SandboxCore) -> None:
    result = call(core17, "sale.order", "fields_get", ["amount_total"])
    assert result["amount_total"]["group_operator"] == "sum"
    assert "aggregator" not in result["amount_total"]
    assert "groupable" not in result["amount_total"]


def test_default_get_returns_only_fields_with_defaults(core: SandboxCore) -> None:
    fields = ["name", "active", "is_company", "type", "lang", "tz", "company_id", "customer_rank"]
    assert call(core, "res.partner", "default_get", fields) == {
        "active": True,
        "is_company": False,
        "type": "contact",
        "lang": "en_US",
        "tz": False,
        "customer_rank": 0,
    }
    defaults = call(core, "res.partner", "default_get", ["type"], context={"default_type": "other"})
    assert defaults == {"type": "other"}


def test_check_access_rights_returns_none_in_18_and_true_in_17(
    core: SandboxCore, core17: SandboxCore
) -> None:
    assert call(core, "res.partner", "check_access_rights", "read") is None
    assert call(core17, "res.partner", "check_access_rights", "read") is True
    denied = call(
        core, "res.country", "check_access_rights", "unlink", uid=6, raise_exception=False
    )
    assert denied is False


def test_check_access_and_has_access_look_at_records(core: SandboxCore) -> None:
    assert call(core, "res.partner", "check_access", [10], "read") is None
    assert call(core, "res.partner", "has_access", [10], "write") is True
    assert call(core, "crm.lead", "has_access", [1], "read", uid=6) is False


def test_stored_compute_hooks_follow_their_dependencies(core: SandboxCore) -> None:
    def shout(tags: BaseModel) -> dict[int, dict[str, Any]]:
        return {rid: {"display_name": f"{row['name']}!"} for rid, row in tags.raw(["name"]).items()}

    orm.compute("crm.tag", ["display_name"], depends=["name"])(shout)
    try:
        tag = call(core, "crm.tag", "create", {"name": "Loud"})
        assert call(core, "crm.tag", "read", [tag], ["display_name"])[0]["display_name"] == "Loud!"
        call(core, "crm.tag", "write", [tag], {"name": "Louder"})
        [row] = call(core, "crm.tag", "read", [tag], ["display_name"])
        assert row["display_name"] == "Louder!"
    finally:
        HOOKS.computes["crm.tag"].remove(
            next(c for c in HOOKS.computes["crm.tag"] if c.func is shout)
        )
        HOOKS.version += 1


def test_one2many_dependencies_recompute_the_parent(core: SandboxCore) -> None:
    def count_children(partners: BaseModel) -> dict[int, dict[str, Any]]:
        values = partners.raw(["child_ids"])
        return {rid: {"comment": f"{len(row['child_ids'])} kids"} for rid, row in values.items()}

    orm.compute("res.partner", ["comment"], depends=["child_ids.parent_id"])(count_children)
    try:
        call(core, "res.partner", "write", [22], {"parent_id": 10})  # from Ready Mat to Deco
        rows = call(core, "res.partner", "read", [10, 12], ["comment"])
        assert [r["comment"] for r in rows] == ["4 kids", "6 kids"]
    finally:
        HOOKS.computes["res.partner"].remove(
            next(c for c in HOOKS.computes["res.partner"] if c.func is count_children)
        )
        HOOKS.version += 1
