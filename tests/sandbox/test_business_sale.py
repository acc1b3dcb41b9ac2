"""Quotations and sales orders on the reference database, called as a client would (execute_kw)."""

from __future__ import annotations

from typing import Any

import pytest

from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.exceptions import UserError, ValidationError

from .core_support import NOW, call

pytestmark = pytest.mark.usefixtures("reset_core")


def read_one(core: SandboxCore, model: str, rid: int, fields: list[str]) -> dict[str, Any]:
    return call(core, model, "read", [rid], fields)[0]


def test_a_new_quotation_gets_its_number_dates_addresses_and_salesperson(core: SandboxCore) -> None:
    order_id = call(core, "sale.order", "create", {"partner_id": 12})
    assert order_id == 25
    order = read_one(
        core,
        "sale.order",
        order_id,
        [
            "name",
            "state",
            "date_order",
            "validity_date",
            "partner_invoice_id",
            "partner_shipping_id",
            "user_id",
            "company_id",
            "currency_id",
            "invoice_status",
            "locked",
            "warehouse_id",
        ],
    )
    assert order == {
        "id": 25,
        "name": "S00025",
        "state": "draft",
        "date_order": "2026-11-27 13:55:00",
        "validity_date": "2026-12-27",
        "partner_invoice_id": [12, "Ready Mat"],
        "partner_shipping_id": [12, "Ready Mat"],
        "user_id": [2, "Mitchell Admin"],
        "company_id": [1, "My Company (San Francisco)"],
        "currency_id": [1, "USD"],
        "invoice_status": "no",
        "locked": False,
        "warehouse_id": [1, "YourCompany"],
    }
    assert call(core, "sale.order", "create", {"partner_id": 10}) == 26
    assert read_one(core, "sale.order", 26, ["name"])["name"] == "S00026"


def test_a_line_takes_description_price_unit_and_taxes_from_its_product(core: SandboxCore) -> None:
    line_id = call(core, "sale.order.line", "create", {"order_id": 3, "product_id": 6})
    line = read_one(
        core,
        "sale.order.line",
        line_id,
        [
            "name",
            "product_uom",
            "price_unit",
            "price_subtotal",
            "price_total",
            "tax_id",
            "state",
            "display_name",
            "sequence",
            "product_uom_qty",
        ],
    )
    assert line == {
        "id": 51,
        "name": "[FURN_8888] Office Lamp",
        "product_uom": [1, "Units"],
        "price_unit": 40.0,
        "price_subtotal": 40.0,
        "price_total": 40.0,
        "tax_id": [],
        "state": "draft",
        "display_name": "S00003 - [FURN_8888] Office Lamp (Ready Mat)",
        "sequence": 10,
        "product_uom_qty": 1.0,
    }
    assert read_one(core, "sale.order", 3, ["amount_total"])["amount_total"] == 417.5


def test_amounts_follow_quantity_discount_taxes_and_line_removal(core: SandboxCore) -> None:
    line_id = call(core, "sale.order.line", "create", {"order_id": 3, "product_id": 6})
    call(
        core,
        "sale.order.line",
        "write",
        [line_id],
        {"product_uom_qty": 4, "discount": 10, "tax_id": [(6, 0, [1])]},
    )
    line = read_one(
        core, "sale.order.line", line_id, ["price_subtotal", "price_tax", "price_total"]
    )
    assert (line["price_subtotal"], line["price_tax"], line["price_total"]) == (144.0, 21.6, 165.6)
    order = read_one(core, "sale.order", 3, ["amount_untaxed", "amount_tax", "amount_total"])
    assert (order["amount_untaxed"], order["amount_tax"], order["amount_total"]) == (
        521.5,
        21.6,
        543.1,
    )
    call(core, "sale.order.line", "unlink", [line_id])
    assert read_one(core, "sale.order", 3, ["amount_total"])["amount_total"] == 377.5


def test_a_product_with_sale_taxes_brings_them(core: SandboxCore) -> None:
    product = call(
        core,
        "product.product",
        "search_read",
        [["taxes_id", "!=", False]],
        fields=["lst_price"],
        limit=1,
    )[0]
    line_id = call(core, "sale.order.line", "create", {"order_id": 3, "product_id": product["id"]})
    line = read_one(core, "sale.order.line", line_id, ["tax_id", "price_subtotal", "price_tax"])
    assert line["tax_id"] == [1]
    assert line["price_tax"] == pytest.approx(round(product["lst_price"] * 0.15, 2))


def test_written_computed_amounts_stay_until_a_dependency_changes(core: SandboxCore) -> None:
    call(core, "sale.order", "write", [1], {"amount_total": 1.0})
    assert read_one(core, "sale.order", 1, ["amount_total", "amount_untaxed"]) == {
        "id": 1,
        "amount_total": 1.0,
        "amount_untaxed": 1740.0,
    }


def test_confirm_then_cancel_returns_the_wizard_and_keeps_the_order(core: SandboxCore) -> None:
    order_id = call(
        core,
        "sale.order",
        "create",
        {"partner_id": 12, "order_line": [(0, 0, {"product_id": 7, "product_uom_qty": 2})]},
    )
    assert call(core, "sale.order", "action_confirm", [order_id]) is True
    action = call(core, "sale.order", "action_cancel", [order_id])
    assert action == {
        "name": "Cancel Sales Order",
        "view_mode": "form",
        "res_model": "sale.order.cancel",
        "view_id": 1221,
        "type": "ir.actions.act_window",
        "context": {
            "default_template_id": 20,
            "default_order_id": order_id,
            "mark_so_as_canceled": True,
            "default_email_layout_xmlid": "mail.mail_notification_layout_with_responsible_signature",
            "model_description": "Sales Order",
        },
        "target": "new",
    }
    assert call(core, "sale.order", "action_draft", [order_id]) is True  # nothing to reset
    order = read_one(
        core, "sale.order", order_id, ["state", "invoice_status", "amount_total", "date_order"]
    )
    assert order == {
        "id": order_id,
        "state": "sale",
        "invoice_status": "to invoice",
        "amount_total": 560.0,
        "date_order": "2026-11-27 13:55:00",
    }
    line = call(
        core,
        "sale.order.line",
        "search_read",
        [["order_id", "=", order_id]],
        fields=["state", "invoice_status", "qty_to_invoice"],
    )
    assert line == [
        {"id": 51, "state": "sale", "invoice_status": "to invoice", "qty_to_invoice": 2.0}
    ]


def test_cancel_draft_unlink_cycle_of_a_quotation(core: SandboxCore) -> None:
    assert call(core, "sale.order", "action_cancel", [2]) is True
    assert read_one(core, "sale.order", 2, ["state"])["state"] == "cancel"
    assert call(core, "sale.order", "action_draft", [2]) is True
    assert read_one(core, "sale.order", 2, ["state"])["state"] == "draft"
    call(core, "sale.order", "action_quotation_sent", [2])
    assert read_one(core, "sale.order", 2, ["state"])["state"] == "sent"
    with pytest.raises(UserError, match="You can not delete a sent quotation"):
        call(core, "sale.order", "unlink", [2])
    call(core, "sale.order", "action_draft", [2])
    call(core, "sale.order", "action_cancel", [2])
    assert call(core, "sale.order", "unlink", [2]) is True
    assert call(core, "sale.order.line", "read", [4, 5], ["name"]) == []


def test_confirmed_orders_and_their_lines_are_protected(core: SandboxCore) -> None:
    with pytest.raises(UserError, match=r"Some orders are not in a state requiring confirmation\."):
        call(core, "sale.order", "action_confirm", [4])
    with pytest.raises(UserError) as info:
        call(core, "sale.order.line", "unlink", [8])
    assert str(info.value) == (
        "Once a sales order is confirmed, you can't remove one of its lines (we need to track if "
        "something gets invoiced or delivered).\n                Set the quantity to 0 instead."
    )
    with pytest.raises(ValueError, match="Expected singleton"):
        call(core, "sale.order", "action_cancel", [4, 6])
    call(core, "sale.order", "action_lock", [4])
    with pytest.raises(
        UserError, match=r"You cannot cancel a locked order\. Please unlock it first\."
    ):
        call(core, "sale.order", "action_cancel", [4])


def test_creating_an_order_without_customer_names_the_missing_field(core: SandboxCore) -> None:
    with pytest.raises(ValidationError, match=r"Field: Customer \(partner_id\)"):
        call(core, "sale.order", "create", {"client_order_ref": "x"})


def test_copy_is_a_new_quotation_with_the_same_lines(core: SandboxCore) -> None:
    new_ids = call(core, "sale.order", "copy", [4])
    order = read_one(
        core, "sale.order", new_ids[0], ["name", "state", "order_line", "amount_total"]
    )
    assert order["name"] == "S00025"
    assert order["state"] == "draft"
    assert len(order["order_line"]) == 4
    assert order["amount_total"] == 2240.0


def test_sections_and_lines_without_product(core: SandboxCore) -> None:
    section = call(
        core,
        "sale.order.line",
        "create",
        {"order_id": 1, "display_type": "line_section", "name": "Desks"},
    )
    assert read_one(
        core, "sale.order.line", section, ["product_uom_qty", "price_unit", "price_subtotal"]
    ) == {"id": section, "product_uom_qty": 0.0, "price_unit": 0.0, "price_subtotal": 0.0}
    with pytest.raises(ValidationError) as info:
        call(core, "sale.order.line", "create", {"order_id": 1, "name": "no product"})
    assert str(info.value) == (
        "The operation cannot be completed: Missing required fields on accountable sale order line."
    )


def test_products_create_their_template_or_variant(core: SandboxCore) -> None:
    product_id = call(
        core,
        "product.product",
        "create",
        {"name": "Gadget", "default_code": "GAD", "list_price": 12.5},
    )
    product = read_one(
        core,
        "product.product",
        product_id,
        ["display_name", "product_tmpl_id", "lst_price", "uom_id", "categ_id"],
    )
    assert product == {
        "id": 49,
        "display_name": "[GAD] Gadget",
        "product_tmpl_id": [38, "[GAD] Gadget"],
        "lst_price": 12.5,
        "uom_id": [1, "Units"],
        "categ_id": [1, "All"],
    }
    template_id = call(core, "product.template", "create", {"name": "Widget", "list_price": 3.0})
    variants = read_one(core, "product.template", template_id, ["product_variant_ids"])[
        "product_variant_ids"
    ]
    assert variants == [50]
    call(core, "product.template", "write", [template_id], {"list_price": 4.0})
    line_id = call(core, "sale.order.line", "create", {"order_id": 3, "product_id": 50})
    assert read_one(core, "sale.order.line", line_id, ["name", "price_unit"]) == {
        "id": line_id,
        "name": "Widget",
        "price_unit": 4.0,
    }
    copy_id = call(core, "product.template", "copy", [template_id])[0]
    assert read_one(core, "product.template", copy_id, ["name"])["name"] == "Widget (copy)"


def test_fields_mirroring_the_company_and_the_lines(core: SandboxCore) -> None:
    # the values real Odoo 18 answers for S00001 (read of all fields, read-013)
    order = read_one(
        core,
        "sale.order",
        1,
        [
            "company_price_include",
            "terms_type",
            "partner_credit_warning",
            "tax_calculation_rounding_method",
            "tax_country_id",
            "access_url",
            "access_warning",
            "amount_undiscounted",
        ],
    )
    assert order == {
        "id": 1,
        "company_price_include": "tax_excluded",
        "terms_type": "plain",
        "partner_credit_warning": "",
        "tax_calculation_rounding_method": "round_per_line",
        "tax_country_id": [233, "United States"],
        "access_url": "/my/orders/1",
        "access_warning": "",
        "amount_undiscounted": 1740.0,
    }
    tax = read_one(core, "account.tax", 1, ["company_price_include"])
    assert tax["company_price_include"] == "tax_excluded"


def test_expected_date_is_now_plus_the_lead_time_until_confirmed(core: SandboxCore) -> None:
    draft = read_one(core, "sale.order", 1, ["expected_date", "state"])
    assert draft["state"] == "draft"
    assert draft["expected_date"] == NOW.strftime("%Y-%m-%d %H:%M:%S")
