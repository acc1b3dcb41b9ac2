"""account.move on the reference database: posting, numbering, reset, cancel, protections."""

from __future__ import annotations

from typing import Any

import pytest

from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.exceptions import UserError, ValidationError

from .core_support import call

pytestmark = pytest.mark.usefixtures("reset_core")

POSTED_UNLINK = (
    "You can't delete a posted journal item. Don\u2019t play games with your accounting "
    "records; reset the journal entry to draft before deleting it."
)


def move(core: SandboxCore, rid: int, fields: list[str]) -> dict[str, Any]:
    return call(core, "account.move", "read", [rid], fields)[0]


def test_posted_entries_and_items_cannot_be_deleted(core: SandboxCore) -> None:
    for model in ("account.move", "account.move.line"):
        with pytest.raises(UserError) as info:
            call(core, model, "unlink", [1])
        assert str(info.value) == POSTED_UNLINK


def test_reset_to_draft_keeps_the_name_then_the_entry_can_be_deleted(core: SandboxCore) -> None:
    assert call(core, "account.move", "button_draft", [1]) is None
    assert move(core, 1, ["name", "state", "posted_before"]) == {
        "id": 1,
        "name": "INV/2026/00001",
        "state": "draft",
        "posted_before": True,
    }
    assert (
        call(core, "account.move.line", "read", [5], ["parent_state"])[0]["parent_state"] == "draft"
    )
    assert call(core, "account.move", "unlink", [1]) is True
    assert call(core, "account.move.line", "read", [5, 6, 29], ["name"]) == []
    with pytest.raises(
        UserError, match=r"Only posted/cancelled journal entries can be reset to draft\."
    ):
        call(core, "account.move", "button_draft", [6])


def test_readonly_fields_of_a_posted_entry(core: SandboxCore) -> None:
    with pytest.raises(UserError) as info:
        call(
            core,
            "account.move",
            "write",
            [2],
            {"ref": "ok", "date": "2026-01-01", "partner_id": 10},
        )
    assert (
        str(info.value)
        == "You cannot modify the following readonly fields on a posted move: date, partner_id"
    )
    assert call(core, "account.move", "write", [2], {"ref": "allowed"}) is True


def test_posting_an_empty_bill_lists_what_is_missing(core: SandboxCore) -> None:
    with pytest.raises(UserError) as info:
        call(core, "account.move", "action_post", [6])
    assert sorted(str(info.value).split("\n")) == [
        "The Bill/Refund date is required to validate this document.",
        "The field 'Vendor' is required, please complete it to validate the Vendor Bill.",
        "You need to add a line before posting.",
    ]
    with pytest.raises(UserError, match=r"The entry INV/2026/00001 \(id 1\) is already posted."):
        call(core, "account.move", "action_post", [1])


def test_reposting_keeps_the_name_and_a_new_entry_gets_the_next_number(core: SandboxCore) -> None:
    call(core, "account.move", "button_draft", [2])
    assert call(core, "account.move", "action_post", [2]) is False
    assert move(core, 2, ["name", "state"]) == {
        "id": 2,
        "name": "INV/2026/00002",
        "state": "posted",
    }

    rid = call(
        core,
        "account.move",
        "create",
        {
            "move_type": "entry",
            "journal_id": 3,
            "date": "2026-11-20",
            "line_ids": [
                (0, 0, {"account_id": 7, "debit": 100.0, "credit": 0.0}),
                (0, 0, {"account_id": 45, "debit": 0.0, "credit": 100.0}),
            ],
        },
    )
    assert move(core, rid, ["name", "state", "amount_total"]) == {
        "id": rid,
        "name": "/",
        "state": "draft",
        "amount_total": 100.0,
    }
    assert call(core, "account.move", "action_post", [rid]) is False
    assert move(core, rid, ["name", "state", "sequence_prefix", "sequence_number"]) == {
        "id": rid,
        "name": "MISC/2026/11/0003",
        "state": "posted",
        "sequence_prefix": "MISC/2026/11/",
        "sequence_number": 3,
    }


def test_unbalanced_entries_are_not_posted(core: SandboxCore) -> None:
    rid = call(
        core,
        "account.move",
        "create",
        {
            "journal_id": 3,
            "line_ids": [(0, 0, {"account_id": 7, "debit": 100.0, "credit": 0.0})],
        },
    )
    with pytest.raises(UserError, match=r"The entry is not balanced\."):
        call(core, "account.move", "action_post", [rid])
    assert move(core, rid, ["state", "name"]) == {"id": rid, "state": "draft", "name": "/"}


def test_a_new_customer_invoice_defaults_to_the_sales_journal(core: SandboxCore) -> None:
    rid = call(
        core,
        "account.move",
        "create",
        {"partner_id": 10},
        context={"default_move_type": "out_invoice"},
    )
    values = move(core, rid, ["move_type", "journal_id", "date", "currency_id", "invoice_user_id"])
    assert values == {
        "id": rid,
        "move_type": "out_invoice",
        "journal_id": [1, "Customer Invoices"],
        "date": "2026-11-27",
        "currency_id": [1, "USD"],
        "invoice_user_id": [2, "Mitchell Admin"],
    }


def test_cancel_resets_posted_entries_first(core: SandboxCore) -> None:
    assert call(core, "account.move", "button_cancel", [3]) is None
    assert move(core, 3, ["state", "auto_post"]) == {"id": 3, "state": "cancel", "auto_post": "no"}
    call(core, "account.move", "button_draft", [3])
    assert move(core, 3, ["state"])["state"] == "draft"


def items(core: SandboxCore, move_id: int) -> list[tuple[str, float]]:
    line_ids = move(core, move_id, ["line_ids"])["line_ids"]
    lines = call(core, "account.move.line", "read", line_ids, ["display_type", "balance"])
    return sorted((line["display_type"], line["balance"]) for line in lines)


def test_an_invoice_books_revenue_taxes_and_receivable(core: SandboxCore) -> None:
    rid = call(
        core,
        "account.move",
        "create",
        {
            "partner_id": 10,
            "invoice_line_ids": [
                (0, 0, {"product_id": 6, "quantity": 2}),
                (0, 0, {"product_id": 6, "quantity": 1, "tax_ids": [(6, 0, [1])]}),
            ],
        },
        context={"default_move_type": "out_invoice"},
    )
    assert move(core, rid, ["amount_untaxed", "amount_tax", "amount_total"]) == {
        "id": rid,
        "amount_untaxed": 120.0,
        "amount_tax": 6.0,
        "amount_total": 126.0,
    }
    assert items(core, rid) == [
        ("payment_term", 126.0),
        ("product", -80.0),
        ("product", -40.0),
        ("tax", -6.0),
    ]
    product_ids = move(core, rid, ["invoice_line_ids"])["invoice_line_ids"]
    first = call(
        core, "account.move.line", "read", [product_ids[0]], ["name", "account_id", "price_unit"]
    )[0]
    assert (first["name"], first["account_id"], first["price_unit"]) == (
        "[FURN_8888] Office Lamp",
        [27, "400000 Product Sales"],
        40.0,
    )
    call(core, "account.move", "write", [rid], {"invoice_line_ids": [(2, product_ids[1], 0)]})
    assert items(core, rid) == [("payment_term", 80.0), ("product", -80.0)]
    assert call(core, "account.move", "action_post", [rid]) is False
    assert move(core, rid, ["name", "invoice_date", "payment_reference"]) == {
        "id": rid,
        "name": "INV/2026/00005",
        "invoice_date": "2026-11-27",
        "payment_reference": "INV/2026/00005",
    }


def test_a_bill_books_expenses_at_cost_and_a_payable(core: SandboxCore) -> None:
    rid = call(
        core,
        "account.move",
        "create",
        {
            "partner_id": 15,
            "invoice_date": "2026-11-20",
            "invoice_line_ids": [(0, 0, {"product_id": 5, "quantity": 3})],
        },
        context={"default_move_type": "in_invoice"},
    )
    assert items(core, rid) == [("payment_term", -165.0), ("product", 165.0)]
    call(core, "account.move", "action_post", [rid])
    assert move(core, rid, ["name", "amount_total", "amount_total_signed"]) == {
        "id": rid,
        "name": "BILL/2026/11/0002",
        "amount_total": 165.0,
        "amount_total_signed": -165.0,
    }


def test_item_check_constraints(core: SandboxCore) -> None:
    with pytest.raises(ValidationError, match="Wrong credit or debit value in accounting entry!"):
        call(
            core,
            "account.move",
            "create",
            {
                "journal_id": 3,
                "line_ids": [(0, 0, {"account_id": 7, "debit": 10.0, "credit": 10.0})],
            },
        )
    with pytest.raises(ValidationError, match=r"Missing required account on accountable line\."):
        call(
            core, "account.move", "create", {"journal_id": 3, "line_ids": [(0, 0, {"debit": 10.0})]}
        )
