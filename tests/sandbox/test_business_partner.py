"""res.partner on the reference database: names, commercial sync, constraints, name_create."""

from __future__ import annotations

from typing import Any

import pytest

from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.exceptions import ValidationError

from .core_support import call

pytestmark = pytest.mark.usefixtures("reset_core")

FIELDS = [
    "name",
    "display_name",
    "complete_name",
    "parent_id",
    "commercial_partner_id",
    "vat",
    "city",
]


def partner(core: SandboxCore, rid: int, fields: list[str] = FIELDS) -> dict[str, Any]:
    return call(core, "res.partner", "read", [rid], fields)[0]


def test_a_contact_is_named_after_its_company_and_inherits_vat_and_address(
    core: SandboxCore,
) -> None:
    rid = call(core, "res.partner", "create", {"name": "New Contact", "parent_id": 12})
    assert partner(core, rid) == {
        "id": 44,
        "name": "New Contact",
        "display_name": "Ready Mat, New Contact",
        "complete_name": "Ready Mat, New Contact",
        "parent_id": [12, "Ready Mat"],
        "commercial_partner_id": [12, "Ready Mat"],
        "vat": "US12345675",
        "city": "Tracy",
    }


def test_moving_a_contact_and_changing_the_company_vat_propagate(core: SandboxCore) -> None:
    rid = call(core, "res.partner", "create", {"name": "New Contact", "parent_id": 12})
    call(core, "res.partner", "write", [rid], {"parent_id": 15})
    moved = partner(core, rid)
    assert (moved["display_name"], moved["vat"], moved["city"]) == (
        "Azure Interior, New Contact",
        "US12345677",
        "Fremont",
    )
    call(core, "res.partner", "write", [15], {"vat": "US99999999", "city": "Oakland"})
    for contact in call(core, "res.partner", "read", [rid, 27], ["vat", "city"]):
        assert (contact["vat"], contact["city"]) == ("US99999999", "Oakland")


def test_children_created_with_their_company_get_its_commercial_fields(core: SandboxCore) -> None:
    rid = call(
        core,
        "res.partner",
        "create",
        {
            "name": "Commands Inc",
            "is_company": True,
            "vat": "BE0477472701",
            "child_ids": [
                (0, 0, {"name": "Contact One"}),
                (0, 0, {"name": "Contact Two", "type": "invoice"}),
            ],
        },
    )
    children = call(
        core,
        "res.partner",
        "read",
        [rid + 1, rid + 2],
        ["display_name", "vat", "commercial_partner_id"],
    )
    assert [c["display_name"] for c in children] == [
        "Commands Inc, Contact One",
        "Commands Inc, Contact Two",
    ]
    assert {c["vat"] for c in children} == {"BE0477472701"}
    assert {tuple(c["commercial_partner_id"]) for c in children} == {(rid, "Commands Inc")}


def test_renaming_a_company_renames_its_contacts(core: SandboxCore) -> None:
    call(core, "res.partner", "write", [15], {"name": "Azure Blue"})
    assert partner(core, 27, ["display_name"])["display_name"] == "Azure Blue, Brandon Freeman"


def test_an_address_without_name_shows_its_type(core: SandboxCore) -> None:
    rid = call(core, "res.partner", "create", {"parent_id": 12, "type": "invoice"})
    assert partner(core, rid, ["display_name"])["display_name"] == "Ready Mat, Invoice Address"


def test_written_display_name_is_ignored_and_complete_name_is_kept(core: SandboxCore) -> None:
    call(core, "res.partner", "write", [13], {"display_name": "Shown"})
    call(core, "res.partner", "write", [13], {"complete_name": "Complete"})
    assert partner(core, 13, ["name", "complete_name", "display_name"]) == {
        "id": 13,
        "name": "OpenWood",
        "complete_name": "Complete",
        "display_name": "OpenWood",
    }


def test_recursive_hierarchies_are_refused(core: SandboxCore) -> None:
    with pytest.raises(
        ValidationError, match=r"^You cannot create recursive Partner hierarchies\.$"
    ):
        call(core, "res.partner", "write", [10], {"parent_id": 10})
    with pytest.raises(ValidationError, match="recursive"):
        call(core, "res.partner", "write", [10], {"parent_id": 19})  # 19 is a contact of 10


def test_a_contact_needs_a_name(core: SandboxCore) -> None:
    with pytest.raises(ValidationError) as info:
        call(core, "res.partner", "create", {"email": "noname@example.com"})
    assert str(info.value) == "The operation cannot be completed: Contacts require a name"
    assert call(core, "res.partner", "create", {"type": "delivery", "parent_id": 12})


def test_name_create_splits_name_and_email(core: SandboxCore) -> None:
    rid, name = call(core, "res.partner", "name_create", "Raoul Grosbedon <Raoul@Example.com>")
    assert name == "Raoul Grosbedon"
    assert partner(core, rid, ["email"])["email"] == "raoul@example.com"
    rid, name = call(core, "res.partner", "name_create", "plain@example.com")
    assert name == "plain@example.com"


def test_a_copied_partner_is_named_as_a_copy(core: SandboxCore) -> None:
    copy_id = call(core, "res.partner", "copy", [10])[0]
    assert partner(core, copy_id, ["name", "display_name"]) == {
        "id": copy_id,
        "name": "Deco Addict (copy)",
        "display_name": "Deco Addict (copy)",
    }


def test_company_type_reads_and_writes_is_company(core: SandboxCore) -> None:
    assert [
        p["company_type"] for p in call(core, "res.partner", "read", [10, 27], ["company_type"])
    ] == [
        "company",
        "person",
    ]
    rid = call(core, "res.partner", "create", {"name": "Co", "company_type": "company"})
    assert partner(core, rid, ["is_company"])["is_company"] is True
    call(core, "res.partner", "write", [rid], {"company_type": "person"})
    assert partner(core, rid, ["is_company", "company_type"]) == {
        "id": rid,
        "is_company": False,
        "company_type": "person",
    }
