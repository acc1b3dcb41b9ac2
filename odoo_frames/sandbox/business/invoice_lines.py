"""The journal items of a draft invoice follow its invoice lines (Odoo's "dynamic lines").

For a draft invoice, bill, refund or receipt, after any change of its product lines (or
of the partner, dates, lines commands):

* each product line gets ``price_subtotal`` / ``price_total`` from quantity, price,
  discount and taxes, and the matching ``balance`` / ``debit`` / ``credit`` (credit for
  revenue on customer invoices, debit for expenses on bills, the other way round for
  refunds);
* one ``tax`` line per tax holds the tax amounts (account 251000 "Tax Received" for sales
  taxes, 131000 "Tax Paid" for purchase taxes of the generic chart);
* one ``payment_term`` line on the partner's receivable (or payable) account balances
  the entry, due at ``invoice_date_due`` (else the invoice date, else the date).

A new product line takes its label, account, unit price, unit and taxes from its product,
as Odoo's onchanges do. Deleting an item directly (``account.move.line.unlink``) does not
rebalance; deleting it through the invoice's ``invoice_line_ids`` commands does.

Example::

    >>> move = env["account.move"].with_context(default_move_type="out_invoice").create(
    ...     {"partner_id": 10, "invoice_line_ids": [(0, 0, {"product_id": 6, "quantity": 2})]})
    >>> move.raw(["amount_total"]), len(move["line_ids"])
    ({...: {'amount_total': 80.0}}, 2)
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from ..orm import BaseModel, Env, before_create, on_create, on_write
from ..storage import Database
from .account import INVOICE_TYPES, LINE, MOVE, PURCHASE_TYPES
from .common import currency_rounding, tax_records
from .taxes import float_round, line_amounts

#: context key set while the sandbox itself writes journal items (no re-synchronisation).
SYNCING = "sandbox_invoice_sync"

#: Account codes of the generic chart holding sales / purchase taxes.
TAX_ACCOUNT_CODES = {"sale": "251000", "purchase": "131000"}

#: Fields of a product line whose change re-balances the invoice.
LINE_TRIGGERS = frozenset(
    {"quantity", "price_unit", "discount", "tax_ids", "product_id", "display_type", "move_id"}
)
MOVE_TRIGGERS = frozenset(
    {"partner_id", "invoice_date", "invoice_date_due", "line_ids", "invoice_line_ids", "date"}
)


def _direction(move_type: str) -> int:
    """Sign of a product line's balance: revenue is a credit, expenses a debit."""
    return -1 if move_type in ("out_invoice", "out_receipt", "in_refund") else 1


def _account_by_code(env: Env, code: str) -> int | bool:
    found = env["account.account"].sudo().search([("code", "=", code)], limit=1)
    return found.ids[0] if found else False


def _partner_account(env: Env, partner_id: Any, move_type: str) -> int | bool:
    field = (
        "property_account_payable_id"
        if move_type in PURCHASE_TYPES
        else "property_account_receivable_id"
    )
    account_type = "liability_payable" if move_type in PURCHASE_TYPES else "asset_receivable"
    if partner_id:
        row = env["res.partner"].sudo().browse([int(partner_id)]).raw([field]).get(int(partner_id))
        if row and row[field]:
            return int(row[field])
    found = env["account.account"].sudo().search([("account_type", "=", account_type)], limit=1)
    return found.ids[0] if found else False


# ------------------------------------------------------------------- product defaults


def _product_line_values(env: Env, move: Mapping[str, Any], product_id: int) -> dict[str, Any]:
    """Label, account, unit price, unit and taxes of a new invoice line for ``product_id``."""
    move_type = move["move_type"]
    purchase = move_type in PURCHASE_TYPES
    product = (
        env["product.product"]
        .sudo()
        .browse([product_id])
        .raw(
            [
                "display_name",
                "product_tmpl_id",
                "lst_price",
                "list_price",
                "standard_price",
                "uom_id",
            ]
        )
        .get(product_id)
    )
    if product is None:
        return {}
    template_id = product["product_tmpl_id"]
    template = (
        env["product.template"]
        .sudo()
        .browse([template_id])
        .raw(
            [
                "description_sale",
                "taxes_id",
                "supplier_taxes_id",
                "categ_id",
                "property_account_income_id",
                "property_account_expense_id",
            ]
        )
        .get(template_id, {})
    )
    label = product["display_name"] or ""
    if not purchase and template.get("description_sale"):
        label = f"{label}\n{template['description_sale']}"
    account = template.get(
        "property_account_expense_id" if purchase else "property_account_income_id"
    )
    if not account and template.get("categ_id"):
        category = (
            env["product.category"]
            .sudo()
            .browse([template["categ_id"]])
            .raw(["property_account_expense_categ_id", "property_account_income_categ_id"])
            .get(template["categ_id"], {})
        )
        account = category.get(
            "property_account_expense_categ_id" if purchase else "property_account_income_categ_id"
        )
    if not account and move.get("journal_id"):
        journal = (
            env["account.journal"].sudo().browse([move["journal_id"]]).raw(["default_account_id"])
        )
        account = journal.get(move["journal_id"], {}).get("default_account_id")
    tax_ids = template.get("supplier_taxes_id" if purchase else "taxes_id") or []
    taxes = env["account.tax"].sudo().browse(tax_ids).raw(["company_id"])
    tax_ids = [
        t for t in tax_ids if t in taxes and taxes[t]["company_id"] in (move["company_id"], False)
    ]
    price = (
        product["standard_price"] if purchase else (product["lst_price"] or product["list_price"])
    )
    return {
        "name": label,
        "account_id": account or False,
        "price_unit": price or 0.0,
        "product_uom_id": product["uom_id"],
        "tax_ids": [(6, 0, tax_ids)],
    }


@before_create(LINE)
def prepare_invoice_lines(model: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    env = model.env
    moves: dict[int, Mapping[str, Any]] = {}
    for vals in vals_list:
        move_id = vals.get("move_id")
        if not move_id or vals.get("display_type", "product") != "product":
            continue
        if move_id not in moves:
            moves[move_id] = (
                env[MOVE]
                .sudo()
                .browse([int(move_id)])
                .raw(
                    ["move_type", "journal_id", "company_id", "partner_id", "commercial_partner_id"]
                )
                .get(int(move_id), {})
            )
        move = moves[move_id]
        if move.get("move_type") not in INVOICE_TYPES:
            continue
        if vals.get("product_id"):
            for name, value in _product_line_values(env, move, int(vals["product_id"])).items():
                vals.setdefault(name, value)
        if not vals.get("partner_id") and (
            move.get("commercial_partner_id") or move.get("partner_id")
        ):
            vals["partner_id"] = move.get("commercial_partner_id") or move.get("partner_id")


# -------------------------------------------------------------------- synchronisation


def sync_invoice(move: BaseModel) -> None:
    """Rebalance a draft invoice: product line amounts, tax lines, payment-term line."""
    env = move.env.with_context(**{SYNCING: True}).sudo()
    move = move.with_env(env)
    rid = int(move.id)
    row = move.raw(
        [
            "move_type",
            "state",
            "line_ids",
            "partner_id",
            "commercial_partner_id",
            "currency_id",
            "invoice_date",
            "invoice_date_due",
            "date",
        ]
    ).get(rid)
    if row is None or row["state"] != "draft" or row["move_type"] not in INVOICE_TYPES:
        return
    move_type = row["move_type"]
    sign = _direction(move_type)
    rounding = currency_rounding(env, row["currency_id"])
    Line = env[LINE]
    lines = Line.browse(row["line_ids"]).raw(
        [
            "display_type",
            "quantity",
            "price_unit",
            "discount",
            "tax_ids",
            "tax_line_id",
            "balance",
            "price_subtotal",
            "price_total",
            "account_id",
            "date_maturity",
            "partner_id",
        ]
    )
    partner = row["commercial_partner_id"] or row["partner_id"]
    taxes = tax_records(env, {t for line in lines.values() for t in line["tax_ids"]})
    tax_totals: dict[int, float] = defaultdict(float)
    total = 0.0
    for line_id, line in lines.items():
        if line["display_type"] != "product":
            continue
        amounts = line_amounts(
            float(line["price_unit"] or 0.0),
            float(line["quantity"] or 0.0),
            float(line["discount"] or 0.0),
            [taxes[t] for t in line["tax_ids"] if t in taxes],
            rounding,
        )
        for tax_id, amount in amounts.per_tax:
            tax_totals[tax_id] += amount
        balance = float_round(sign * amounts.subtotal, rounding)
        total += balance
        _update(
            Line.browse([line_id]),
            line,
            {
                "price_subtotal": amounts.subtotal,
                "price_total": amounts.total,
                **_amount_values(balance),
            },
        )
    existing_tax_lines = {
        line["tax_line_id"]: line_id
        for line_id, line in lines.items()
        if line["display_type"] == "tax"
    }
    tax_names = env["account.tax"].browse(sorted(tax_totals)).raw(["name", "type_tax_use"])
    for tax_id, amount in tax_totals.items():
        balance = float_round(sign * amount, rounding)
        total += balance
        values = {"tax_line_id": tax_id, **_amount_values(balance)}
        if tax_id in existing_tax_lines:
            tax_line_id = existing_tax_lines.pop(tax_id)
            _update(Line.browse([tax_line_id]), lines[tax_line_id], values)
        elif amount:
            use = "purchase" if move_type in PURCHASE_TYPES else "sale"
            Line.create(
                {
                    "move_id": rid,
                    "display_type": "tax",
                    "name": tax_names.get(tax_id, {}).get("name") or "",
                    "account_id": _account_by_code(env, TAX_ACCOUNT_CODES[use]),
                    "partner_id": partner,
                    "quantity": 0.0,
                    **values,
                }
            )
    if existing_tax_lines:
        Line.browse(list(existing_tax_lines.values())).unlink()
    terms = [line_id for line_id, line in lines.items() if line["display_type"] == "payment_term"]
    due = row["invoice_date_due"] or row["invoice_date"] or row["date"]
    values = {
        **_amount_values(float_round(-total, rounding)),
        "date_maturity": due,
        "partner_id": partner,
        "account_id": _partner_account(env, partner, move_type),
    }
    if terms:
        _update(Line.browse([terms[0]]), lines[terms[0]], values)
        if len(terms) > 1:
            Line.browse(terms[1:]).unlink()
    elif total:
        Line.create(
            {"move_id": rid, "display_type": "payment_term", "name": "", "quantity": 0.0, **values}
        )


def _amount_values(balance: float) -> dict[str, float]:
    return {
        "balance": balance,
        "amount_currency": balance,
        "debit": balance if balance > 0 else 0.0,
        "credit": -balance if balance < 0 else 0.0,
    }


def _update(line: BaseModel, current: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    if changed:
        line.write(changed)


def _moves_to_sync(env: Env, move_ids: set[int]) -> None:
    for move_id in sorted(move_ids):
        sync_invoice(env[MOVE].browse([move_id]))


#: Ids the entries being created will get: their lines (created by ``invoice_line_ids``
#: commands inside the entry's ``create``) are balanced once, when the entry is complete,
#: so that the tax and payment-term items come after every product line, as in Odoo.
#: A failed create leaves ids that are never used again (sequences are not rolled back).
_CREATING: weakref.WeakKeyDictionary[Database, set[int]] = weakref.WeakKeyDictionary()


@before_create(MOVE)
def remember_new_moves(model: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    first = model.env.db.peek_id(MOVE)
    _CREATING.setdefault(model.env.db, set()).update(range(first, first + len(vals_list)))


@on_create(LINE)
def lines_created(lines: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    if lines.env.context.get(SYNCING):
        return
    creating = _CREATING.get(lines.env.db, set())
    moves = {
        row["move_id"]
        for row in lines.raw(["move_id"]).values()
        if row["move_id"] and row["move_id"] not in creating
    }
    _moves_to_sync(lines.env, moves)


@on_write(LINE)
def lines_written(lines: BaseModel, vals: dict[str, Any]) -> None:
    if lines.env.context.get(SYNCING) or not LINE_TRIGGERS & set(vals):
        return
    moves = {row["move_id"] for row in lines.raw(["move_id"]).values() if row["move_id"]}
    _moves_to_sync(lines.env, moves)


@on_create(MOVE)
def invoices_created(moves: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    _CREATING.get(moves.env.db, set()).difference_update(moves.ids)
    if moves.env.context.get(SYNCING):
        return
    _moves_to_sync(moves.env, set(moves.ids))


@on_write(MOVE)
def invoices_written(moves: BaseModel, vals: dict[str, Any]) -> None:
    if moves.env.context.get(SYNCING) or not MOVE_TRIGGERS & set(vals):
        return
    _moves_to_sync(moves.env, set(moves.exists().ids))
