"""sale.order and sale.order.line: defaults, computed amounts and the quotation workflow.

Quotations (Odoo 18, ``sale`` + ``sale_stock``):

* ``create``: ``name`` from the ``sale.order`` sequence (``S00025``), ``date_order`` now,
  ``validity_date`` today + the company's ``quotation_validity_days``, addresses from the
  customer (``address_get``), salesperson = the customer's, else the current user,
  currency of the company, default warehouse of the company.
* Lines take their description, unit, price and taxes from the product unless given;
  ``price_subtotal`` / ``price_tax`` / ``price_total`` follow quantity, price, discount and
  taxes; the order's ``amount_*`` are the sums, recomputed whenever a line changes.
* ``action_confirm`` -> state ``sale``, ``date_order`` = now; ``action_cancel`` cancels a
  quotation but returns the "Cancel Sales Order" wizard action for anything else;
  ``action_draft`` resets cancelled/sent quotations; ``action_quotation_sent``;
  ``action_lock``/``action_unlock``.
* Deleting a confirmed order (or a line of one) is refused with Odoo's messages.

Example::

    >>> order = env["sale.order"].create({"partner_id": 12, "order_line": [(0, 0, {"product_id": 7})]})
    >>> order.read(["name", "amount_total"])
    [{'id': 25, 'name': 'S00025', 'amount_total': 280.0}]
    >>> order.browse([4]).action_cancel()["res_model"]
    'sale.order.cancel'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..exceptions import UserError, ValidationError
from ..orm import (
    BaseModel,
    Env,
    before_create,
    before_unlink,
    before_write,
    compute,
    constraint,
    defaults,
    method,
)
from .common import context_today, currency_rounding, tax_records
from .numbering import IR_SEQUENCES, IrSequence
from .settings import company_setting
from .taxes import float_round, line_amounts

ORDER = "sale.order"
LINE = "sale.order.line"

#: Ids of records of the reference database the cancel wizard action names (view and
#: ``sale.mail_template_sale_cancellation``).
CANCEL_VIEW_ID = 1221
CANCEL_TEMPLATE_ID = 20

#: Values Odoo's company settings give a new quotation (``portal_confirmation_sign/pay``).
REQUIRE_SIGNATURE = True
REQUIRE_PAYMENT = True

LOCKED_CANCEL = "You cannot cancel a locked order. Please unlock it first."
UNLINK_CONFIRMED_ORDER = (
    "You can not delete a sent quotation or a confirmed sales order. You must first cancel it."
)
UNLINK_CONFIRMED_LINE = (
    "Once a sales order is confirmed, you can't remove one of its lines (we need to track if "
    "something gets invoiced or delivered).\n                Set the quantity to 0 instead."
)

FLOAT_PRECISION = 1e-6


# ------------------------------------------------------------------------- sequences


def next_sequence_value(env: Env, sequence: IrSequence) -> str:
    """``ir.sequence.next_by_code``: not rolled back with the transaction, like Odoo's.

    The counter starts after the highest number already used in the database (the
    ``ir.sequence`` records are not part of the dataset).
    """
    key = f"ir.sequence:{sequence.code}"
    if not env.db.has_sequence(key):
        used = [
            sequence.number_of(str(row[0]))
            for row in env.cr.execute(f'SELECT name FROM "{env.registry[ORDER].table}"')
        ]
        env.db.ensure_sequence(key, max((n for n in used if n is not None), default=0) + 1)
    return sequence.format(env.db.next_id(key))


# ---------------------------------------------------------------------------- orders


@defaults(ORDER)
def order_defaults(model: BaseModel, names: set[str]) -> dict[str, Any]:
    env = model.env
    return {"name": "New", "date_order": env.now_string, "company_id": env.company_id}


def address_get(partner: BaseModel, kinds: tuple[str, ...]) -> dict[str, int]:
    """``res.partner.address_get``: the first contact of each type in the partner's family."""
    wanted = set(kinds) | {"contact"}
    result: dict[str, int] = {}
    Partner = partner.sudo()
    visited: set[int] = set()
    current = int(partner.id)
    while current:
        to_scan = [current]
        while to_scan:
            rid = to_scan.pop(0)
            visited.add(rid)
            row = Partner.browse([rid]).raw(["type"])[rid]
            if row["type"] in wanted and row["type"] not in result:
                result[row["type"]] = rid
            if len(result) == len(wanted):
                return result
            children = Partner.search([("parent_id", "=", rid), ("is_company", "=", False)])
            to_scan = [c for c in children.ids if c not in visited] + to_scan
        row = Partner.browse([current]).raw(["is_company", "parent_id"])[current]
        if row["is_company"] or not row["parent_id"]:
            break
        current = row["parent_id"]
    default = result.get("contact", int(partner.id))
    return {kind: result.get(kind) or default for kind in wanted}


@before_create(ORDER)
def prepare_orders(model: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    env = model.env
    for vals in vals_list:
        if vals.get("name", "New") == "New":
            vals["name"] = next_sequence_value(env, IR_SEQUENCES[ORDER])
        partner_id = vals.get("partner_id")
        if not vals.get("user_id") and partner_id:
            vals["user_id"] = _salesperson(env, int(partner_id))


def _salesperson(env: Env, partner_id: int) -> int | bool:
    """The customer's salesperson, its company's, else the current user."""
    Partner = env["res.partner"].sudo()
    row = Partner.browse([partner_id]).raw(["user_id", "commercial_partner_id"]).get(partner_id)
    if row is None:
        return env.uid
    if row["user_id"]:
        return int(row["user_id"])
    commercial = row["commercial_partner_id"]
    if commercial:
        user = Partner.browse([commercial]).raw(["user_id"]).get(commercial, {}).get("user_id")
        if user:
            return int(user)
    return env.uid


@compute(ORDER, ["partner_invoice_id", "partner_shipping_id"], depends=["partner_id"])
def compute_addresses(orders: BaseModel) -> dict[int, dict[str, Any]]:
    result: dict[int, dict[str, Any]] = {}
    Partner = orders.env["res.partner"].sudo()
    for rid, row in orders.raw(["partner_id"]).items():
        if not row["partner_id"]:
            result[rid] = {"partner_invoice_id": False, "partner_shipping_id": False}
            continue
        addresses = address_get(Partner.browse([row["partner_id"]]), ("invoice", "delivery"))
        result[rid] = {
            "partner_invoice_id": addresses["invoice"],
            "partner_shipping_id": addresses["delivery"],
        }
    return result


@compute(
    ORDER,
    [
        "validity_date",
        "currency_id",
        "currency_rate",
        "require_signature",
        "require_payment",
        "journal_id",
        "warehouse_id",
    ],
    depends=["company_id"],
)
def compute_company_values(orders: BaseModel) -> dict[int, dict[str, Any]]:
    env = orders.env
    today = context_today(env)
    companies = env["res.company"].sudo()
    result: dict[int, dict[str, Any]] = {}
    for rid, row in orders.raw(["company_id"]).items():
        company_id = row["company_id"]
        company = (
            companies.browse([company_id])
            .raw(["quotation_validity_days", "currency_id"])
            .get(company_id)
            if company_id
            else None
        )
        days = int(company["quotation_validity_days"] or 0) if company else 0
        warehouse = env["stock.warehouse"].sudo().search([("company_id", "=", company_id)], limit=1)
        result[rid] = {
            "validity_date": (today + dt.timedelta(days=days)).isoformat() if days > 0 else False,
            "currency_id": company["currency_id"] if company else False,
            "currency_rate": 1.0,
            "require_signature": REQUIRE_SIGNATURE,
            "require_payment": REQUIRE_PAYMENT,
            "journal_id": False,
            "warehouse_id": warehouse.ids[0] if warehouse else False,
        }
    return result


@compute(
    ORDER,
    ["amount_untaxed", "amount_tax", "amount_total"],
    depends=[
        "order_line",
        "order_line.price_subtotal",
        "order_line.price_tax",
        "order_line.price_total",
    ],
)
def compute_order_amounts(orders: BaseModel) -> dict[int, dict[str, Any]]:
    env = orders.env
    result: dict[int, dict[str, Any]] = {}
    rows = orders.raw(["order_line", "currency_id"])
    Line = env[LINE].sudo()
    for rid, row in rows.items():
        rounding = currency_rounding(env, row["currency_id"])
        lines = Line.browse(row["order_line"]).raw(["price_subtotal", "price_tax", "display_type"])
        untaxed = sum(v["price_subtotal"] for v in lines.values() if not v["display_type"])
        tax = sum(v["price_tax"] for v in lines.values() if not v["display_type"])
        untaxed = float_round(untaxed, rounding)
        tax = float_round(tax, rounding)
        result[rid] = {
            "amount_untaxed": untaxed,
            "amount_tax": tax,
            "amount_total": float_round(untaxed + tax, rounding),
        }
    return result


@compute(ORDER, ["invoice_status"], depends=["state", "order_line", "order_line.invoice_status"])
def compute_order_invoice_status(orders: BaseModel) -> dict[int, dict[str, Any]]:
    Line = orders.env[LINE].sudo()
    result: dict[int, dict[str, Any]] = {}
    for rid, row in orders.raw(["state", "order_line"]).items():
        if row["state"] != "sale":
            result[rid] = {"invoice_status": "no"}
            continue
        lines = Line.browse(row["order_line"]).raw(
            ["invoice_status", "is_downpayment", "display_type"]
        )
        statuses = [
            v["invoice_status"]
            for v in lines.values()
            if not v["is_downpayment"] and not v["display_type"]
        ]
        if any(s == "to invoice" for s in statuses):
            status = "to invoice"
        elif statuses and all(s == "invoiced" for s in statuses):
            status = "invoiced"
        elif statuses and all(s in ("invoiced", "upselling") for s in statuses):
            status = "upselling"
        else:
            status = "no"
        result[rid] = {"invoice_status": status}
    return result


@before_unlink(ORDER)
def refuse_unlink_confirmed(orders: BaseModel) -> None:
    for row in orders.raw(["state"]).values():
        if row["state"] not in ("draft", "cancel"):
            raise UserError(UNLINK_CONFIRMED_ORDER)


def _type_name(state: Any) -> str:
    return "Quotation" if state in ("draft", "sent", "cancel") else "Sales Order"


@compute(ORDER, ["type_name"], depends=["state"])
def compute_type_name(orders: BaseModel) -> dict[int, dict[str, Any]]:
    """Non-stored ``type_name``: "Quotation" or "Sales Order"."""
    return {
        rid: {"type_name": _type_name(row["state"])} for rid, row in orders.raw(["state"]).items()
    }


@compute(
    ORDER,
    [
        "company_price_include",
        "terms_type",
        "partner_credit_warning",
        "tax_calculation_rounding_method",
        "tax_country_id",
        "access_url",
        "access_warning",
    ],
)
def compute_company_mirrors(orders: BaseModel) -> dict[int, dict[str, Any]]:
    """Non-stored fields that follow the company (or the portal) of an order.

    ``tax_country_id`` is the company's fiscal country (the sandbox has no fiscal
    positions, hence none with a foreign VAT); the credit warning is empty while the
    company's credit limit is off (Odoo's default).
    """
    env = orders.env
    rows = orders.raw(["company_id"])
    company_ids = sorted({row["company_id"] for row in rows.values() if row["company_id"]})
    companies = (
        env["res.company"]
        .sudo()
        .browse(company_ids)
        .raw(["tax_calculation_rounding_method", "account_fiscal_country_id"])
    )
    result: dict[int, dict[str, Any]] = {}
    for rid, row in rows.items():
        company_id = row["company_id"]
        company = companies.get(company_id, {})
        result[rid] = {
            "company_price_include": company_setting(env, company_id, "account_price_include"),
            "terms_type": company_setting(env, company_id, "terms_type"),
            "partner_credit_warning": "",
            "tax_calculation_rounding_method": company.get("tax_calculation_rounding_method")
            or False,
            "tax_country_id": company.get("account_fiscal_country_id") or False,
            "access_url": f"/my/orders/{rid}",
            "access_warning": "",
        }
    return result


@compute(ORDER, ["amount_undiscounted", "expected_date"])
def compute_undiscounted_and_expected_date(orders: BaseModel) -> dict[int, dict[str, Any]]:
    """``amount_undiscounted`` (lines before discount) and ``expected_date``.

    A line is expected ``customer_lead`` days after the order date once confirmed,
    after now before; the order expects the earliest line (``picking_policy`` "direct")
    or the latest ("one", ``sale_stock``). Section and note lines do not count.
    """
    env = orders.env
    now = env.now
    rows = orders.raw(["order_line", "date_order", "state", "picking_policy"])
    line_ids = sorted({lid for row in rows.values() for lid in row["order_line"]})
    lines = (
        env[LINE]
        .sudo()
        .browse(line_ids)
        .raw(
            [
                "price_subtotal",
                "discount",
                "price_unit",
                "product_uom_qty",
                "display_type",
                "customer_lead",
            ]
        )
    )
    result: dict[int, dict[str, Any]] = {}
    for rid, row in rows.items():
        total = 0.0
        dates: list[dt.datetime] = []
        for lid in row["order_line"]:
            line = lines.get(lid)
            if line is None:
                continue
            discount = float(line["discount"] or 0.0)
            if discount != 100:
                total += float(line["price_subtotal"] or 0.0) * 100 / (100 - discount)
            else:
                total += float(line["price_unit"] or 0.0) * float(line["product_uom_qty"] or 0.0)
            if line["display_type"]:
                continue
            start = now
            if row["state"] == "sale" and row["date_order"]:
                start = dt.datetime.fromisoformat(str(row["date_order"]))
            dates.append(start + dt.timedelta(days=float(line["customer_lead"] or 0.0)))
        expected: Any = False
        if dates:
            chosen = min(dates) if row["picking_policy"] != "one" else max(dates)
            expected = chosen.strftime("%Y-%m-%d %H:%M:%S")
        result[rid] = {"amount_undiscounted": total, "expected_date": expected}
    return result


@method(ORDER, "action_confirm")
def action_confirm(self: BaseModel) -> bool:
    for rid in self.ids:
        record = self.browse([rid])
        state = record["state"]
        if state not in ("draft", "sent"):
            raise UserError("Some orders are not in a state requiring confirmation.")
        lines = self.env[LINE].sudo().browse(record["order_line"])
        for line in lines.raw(["display_type", "is_downpayment", "product_id"]).values():
            if not line["display_type"] and not line["is_downpayment"] and not line["product_id"]:
                raise UserError("A line on these orders missing a product, you cannot confirm it.")
    self.write({"state": "sale", "date_order": self.env.now_string})
    return True


@method(ORDER, "action_cancel")
def action_cancel(self: BaseModel) -> Any:
    rows = self.raw(["locked", "state"])
    if any(rows[rid]["locked"] for rid in self.ids if rid in rows):
        raise UserError(LOCKED_CANCEL)
    show_wizard = not self.env.context.get("disable_cancel_warning") and any(
        rows[rid]["state"] != "draft" for rid in self.ids if rid in rows
    )
    if show_wizard:
        self.ensure_one()
        type_name = _type_name(rows[int(self.id)]["state"])
        return {
            "name": f"Cancel {type_name}",
            "view_mode": "form",
            "res_model": "sale.order.cancel",
            "view_id": CANCEL_VIEW_ID,
            "type": "ir.actions.act_window",
            "context": {
                "default_template_id": CANCEL_TEMPLATE_ID,
                "default_order_id": int(self.id),
                "mark_so_as_canceled": True,
                "default_email_layout_xmlid": "mail.mail_notification_layout_with_responsible_signature",
                "model_description": type_name,
            },
            "target": "new",
        }
    return self.write({"state": "cancel"})


@method(ORDER, "action_draft")
def action_draft(self: BaseModel) -> bool:
    rows = self.raw(["state"])
    orders = self.browse(
        [rid for rid in self.ids if rid in rows and rows[rid]["state"] in ("cancel", "sent")]
    )
    return orders.write({"state": "draft"})


@method(ORDER, "action_quotation_sent")
def action_quotation_sent(self: BaseModel) -> None:
    rows = self.raw(["state"])
    if any(rows[rid]["state"] != "draft" for rid in self.ids if rid in rows):
        raise UserError("Only draft orders can be marked as sent directly.")
    self.write({"state": "sent"})


@method(ORDER, "action_lock")
def action_lock(self: BaseModel) -> None:
    self.write({"locked": True})


@method(ORDER, "action_unlock")
def action_unlock(self: BaseModel) -> None:
    self.write({"locked": False})


@method(ORDER, "copy")
def copy_order(self: BaseModel, default: Mapping[str, Any] | None = None) -> Any:
    """``copy``: a new quotation (fields with ``copy=False`` take their defaults), lines copied."""
    default = dict(default or {})
    new_ids: list[int] = []
    names = [
        "partner_id",
        "partner_invoice_id",
        "partner_shipping_id",
        "user_id",
        "company_id",
        "client_order_ref",
        "origin",
        "opportunity_id",
        "tag_ids",
        "warehouse_id",
        "require_signature",
        "require_payment",
        "picking_policy",
        "order_line",
    ]
    rows = self.raw(names)
    line_fields = [
        "sequence",
        "name",
        "product_id",
        "product_uom_qty",
        "product_uom",
        "price_unit",
        "discount",
        "tax_id",
        "display_type",
        "customer_lead",
        "analytic_distribution",
        "is_downpayment",
    ]
    Line = self.env[LINE].sudo()
    for rid in self.ids:
        if rid not in rows:
            continue
        row = dict(rows[rid])
        lines = Line.browse(row.pop("order_line")).raw(line_fields)
        vals: dict[str, Any] = {k: v for k, v in row.items() if k != "tag_ids"}
        vals["tag_ids"] = [(6, 0, row["tag_ids"])]
        vals["order_line"] = [
            (
                0,
                0,
                {
                    **{k: v for k, v in line.items() if k != "tax_id"},
                    "tax_id": [(6, 0, line["tax_id"])],
                },
            )
            for line in lines.values()
            if not line["is_downpayment"]
        ]
        vals.update(default)
        new_ids.extend(self.browse([]).create(vals).ids)
    return self.browse(new_ids)


# ----------------------------------------------------------------------------- lines


def _product_values(env: Env, product_id: int, company_id: Any) -> dict[str, Any]:
    """What a line takes from its product: description, unit, price and taxes."""
    Product = env["product.product"].sudo()
    product = Product.browse([product_id])
    row = product.raw(
        ["display_name", "uom_id", "lst_price", "list_price", "taxes_id", "product_tmpl_id"]
    ).get(product_id)
    if row is None:
        return {}
    description = row["display_name"] or ""
    template = row["product_tmpl_id"]
    if template:
        extra = (
            env["product.template"]
            .sudo()
            .browse([template])
            .raw(["description_sale", "sale_delay"])
        )
        sale = extra.get(template, {})
        if sale.get("description_sale"):
            description = f"{description}\n{sale['description_sale']}"
    taxes = env["account.tax"].sudo().browse(row["taxes_id"]).raw(["company_id"])
    tax_ids = [
        tid
        for tid in row["taxes_id"]
        if tid in taxes and taxes[tid]["company_id"] in (company_id, False)
    ]
    return {
        "name": description,
        "product_uom": row["uom_id"],
        "price_unit": row["lst_price"] or row["list_price"] or 0.0,
        "tax_id": [(6, 0, tax_ids)],
    }


def _order_company(env: Env, order_id: Any) -> Any:
    if not order_id:
        return env.company_id
    row = env[ORDER].sudo().browse([int(order_id)]).raw(["company_id"]).get(int(order_id))
    return row["company_id"] if row else env.company_id


@before_create(LINE)
def prepare_lines(model: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    env = model.env
    for vals in vals_list:
        if vals.get("display_type"):
            # sections and notes compute an empty quantity (the default 1.0 does not apply)
            if vals.get("product_uom_qty") == 1.0:
                vals["product_uom_qty"] = 0.0
            vals.setdefault("price_unit", 0.0)
            continue
        if not vals.get("product_id"):
            vals.setdefault("price_unit", 0.0)
            continue
        company = _order_company(env, vals.get("order_id"))
        for name, value in _product_values(env, int(vals["product_id"]), company).items():
            vals.setdefault(name, value)


@before_write(LINE)
def product_change(lines: BaseModel, vals: dict[str, Any]) -> None:
    """A new product brings its description, unit, price and taxes (unless given)."""
    if not vals.get("product_id"):
        return
    env = lines.env
    rows = lines.raw(["product_id", "order_id"])
    if all(row["product_id"] == vals["product_id"] for row in rows.values()):
        return
    first = next(iter(rows.values()), None)
    company = _order_company(env, first["order_id"] if first else None)
    for name, value in _product_values(env, int(vals["product_id"]), company).items():
        vals.setdefault(name, value)


@compute(
    LINE,
    ["state", "salesman_id", "order_partner_id", "currency_id", "company_id"],
    depends=[
        "order_id",
        "order_id.state",
        "order_id.user_id",
        "order_id.partner_id",
        "order_id.currency_id",
        "order_id.company_id",
    ],
)
def compute_line_related(lines: BaseModel) -> dict[int, dict[str, Any]]:
    rows = lines.raw(["order_id"])
    order_ids = sorted({row["order_id"] for row in rows.values() if row["order_id"]})
    orders = (
        lines.env[ORDER]
        .sudo()
        .browse(order_ids)
        .raw(["state", "user_id", "partner_id", "currency_id", "company_id"])
    )
    result: dict[int, dict[str, Any]] = {}
    for rid, row in rows.items():
        order = orders.get(row["order_id"])
        if order is None:
            continue
        result[rid] = {
            "state": order["state"],
            "salesman_id": order["user_id"],
            "order_partner_id": order["partner_id"],
            "currency_id": order["currency_id"],
            "company_id": order["company_id"],
        }
    return result


@compute(
    LINE,
    ["price_subtotal", "price_tax", "price_total"],
    depends=["product_uom_qty", "price_unit", "discount", "tax_id", "currency_id"],
)
def compute_line_amounts(lines: BaseModel) -> dict[int, dict[str, Any]]:
    env = lines.env
    rows = lines.raw(["product_uom_qty", "price_unit", "discount", "tax_id", "currency_id"])
    taxes = tax_records(env, {tid for row in rows.values() for tid in row["tax_id"]})
    result: dict[int, dict[str, Any]] = {}
    for rid, row in rows.items():
        amounts = line_amounts(
            float(row["price_unit"] or 0.0),
            float(row["product_uom_qty"] or 0.0),
            float(row["discount"] or 0.0),
            [taxes[t] for t in row["tax_id"] if t in taxes],
            currency_rounding(env, row["currency_id"]),
        )
        result[rid] = {
            "price_subtotal": amounts.subtotal,
            "price_tax": amounts.tax,
            "price_total": amounts.total,
        }
    return result


@compute(
    LINE,
    ["qty_to_invoice", "invoice_status"],
    depends=["state", "product_id", "product_uom_qty", "qty_delivered", "qty_invoiced"],
)
def compute_line_invoicing(lines: BaseModel) -> dict[int, dict[str, Any]]:
    env = lines.env
    rows = lines.raw(
        ["state", "product_id", "product_uom_qty", "qty_delivered", "qty_invoiced", "display_type"]
    )
    policies = _invoice_policies(
        env, {row["product_id"] for row in rows.values() if row["product_id"]}
    )
    result: dict[int, dict[str, Any]] = {}
    for rid, row in rows.items():
        policy = policies.get(row["product_id"], "order")
        ordered = float(row["product_uom_qty"] or 0.0)
        delivered = float(row["qty_delivered"] or 0.0)
        invoiced = float(row["qty_invoiced"] or 0.0)
        if row["state"] == "sale" and not row["display_type"]:
            to_invoice = (ordered if policy == "order" else delivered) - invoiced
        else:
            to_invoice = 0.0
        if row["state"] != "sale":
            status = "no"
        elif abs(to_invoice) > FLOAT_PRECISION:
            status = "to invoice"
        elif policy == "order" and ordered >= 0.0 and delivered > ordered + FLOAT_PRECISION:
            status = "upselling"
        elif invoiced >= ordered - FLOAT_PRECISION:
            status = "invoiced"
        else:
            status = "no"
        result[rid] = {"qty_to_invoice": to_invoice, "invoice_status": status}
    return result


def _invoice_policies(env: Env, product_ids: set[int]) -> dict[int, str]:
    products = env["product.product"].sudo().browse(sorted(product_ids)).raw(["product_tmpl_id"])
    templates = (
        env["product.template"]
        .sudo()
        .browse(sorted({p["product_tmpl_id"] for p in products.values() if p["product_tmpl_id"]}))
        .raw(["invoice_policy"])
    )
    return {
        pid: templates.get(p["product_tmpl_id"], {}).get("invoice_policy") or "order"
        for pid, p in products.items()
    }


@compute(
    LINE,
    ["display_name"],
    depends=[
        "name",
        "product_id",
        "order_id",
        "order_id.name",
        "order_partner_id",
        "order_partner_id.name",
    ],
)
def compute_line_display_name(lines: BaseModel) -> dict[int, dict[str, Any]]:
    """``S00001 - [FURN_6667] Acoustic Bloc Screens (Wood) (Deco Addict)``."""
    env = lines.env
    rows = lines.raw(["name", "product_id", "order_id", "order_partner_id"])
    orders = (
        env[ORDER].sudo().browse(sorted({r["order_id"] for r in rows.values() if r["order_id"]}))
    )
    order_names = {rid: v["name"] for rid, v in orders.raw(["name"]).items()}
    partners = (
        env["res.partner"]
        .sudo()
        .browse(sorted({r["order_partner_id"] for r in rows.values() if r["order_partner_id"]}))
    )
    partner_names = {rid: v["name"] for rid, v in partners.raw(["name"]).items()}
    products = (
        env["product.product"]
        .sudo()
        .browse(sorted({r["product_id"] for r in rows.values() if r["product_id"]}))
    )
    product_names = {rid: v["name"] for rid, v in products.raw(["name"]).items()}
    result: dict[int, dict[str, Any]] = {}
    for rid, row in rows.items():
        text = (row["name"] or "").split("\n")[0] or product_names.get(row["product_id"]) or ""
        name = f"{order_names.get(row['order_id'], False)} - {text}"
        partner = partner_names.get(row["order_partner_id"])
        if partner:
            name = f"{name} ({partner})"
        result[rid] = {"display_name": name}
    return result


@constraint(LINE, ["display_type", "product_id", "product_uom"])
def check_accountable_lines(lines: BaseModel) -> None:
    """SQL constraints ``accountable_required_fields`` / ``non_accountable_null_fields``."""
    rows = lines.raw(["display_type", "product_id", "product_uom", "product_uom_qty", "price_unit"])
    for row in rows.values():
        if not row["display_type"] and not (row["product_id"] and row["product_uom"]):
            raise ValidationError(
                "The operation cannot be completed: Missing required fields on accountable sale "
                "order line."
            )
        if row["display_type"] and (
            row["product_id"] or row["product_uom_qty"] or row["price_unit"]
        ):
            raise ValidationError(
                "The operation cannot be completed: Forbidden values on non-accountable sale "
                "order line"
            )


@before_unlink(LINE)
def refuse_unlink_confirmed_lines(lines: BaseModel) -> None:
    rows = lines.raw(["state", "display_type", "is_downpayment", "invoice_lines"])
    for row in rows.values():
        if (
            row["state"] == "sale"
            and (row["invoice_lines"] or not row["is_downpayment"])
            and not row["display_type"]
        ):
            raise UserError(UNLINK_CONFIRMED_LINE)
