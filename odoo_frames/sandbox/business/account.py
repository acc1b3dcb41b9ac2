"""account.move / account.move.line: posting, resetting, cancelling, protections (Odoo 18).

* ``action_post`` validates (lines, partner, bill date...), numbers the entry from its
  journal (see :mod:`.numbering`), marks it posted and ``posted_before``; returns ``False``.
* ``button_draft`` resets posted or cancelled entries (the name stays), ``button_cancel``
  cancels drafts (resetting posted ones first); both return ``None``.
* A posted entry cannot be deleted, nor can its items; its readonly fields (``date``,
  ``partner_id``, lines...) cannot be written.
* New entries get a journal of their type, today's date, the company currency, ``/`` as
  name; amounts and the items' ``parent_state`` follow the entry.

Example::

    >>> env["account.move"].browse([6]).action_post()
    UserError: You need to add a line before posting.
    The Bill/Refund date is required to validate this document.
    The field 'Vendor' is required, please complete it to validate the Vendor Bill.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..exceptions import UserError, ValidationError
from ..orm import (
    BaseModel,
    Env,
    before_unlink,
    before_write,
    compute,
    constraint,
    defaults,
    method,
)
from .common import context_today
from .numbering import REFUND_TYPES, PreviousName, next_move_name
from .taxes import float_round

MOVE = "account.move"
LINE = "account.move.line"

POSTED_UNLINK = (
    "You can't delete a posted journal item. Don\u2019t play games with your accounting "
    "records; reset the journal entry to draft before deleting it."
)

#: Fields of a posted entry that cannot be written (``account.move.write``).
UNMODIFIABLE_WHEN_POSTED = (
    "invoice_line_ids",
    "line_ids",
    "invoice_date",
    "date",
    "partner_id",
    "invoice_payment_term_id",
    "currency_id",
    "fiscal_position_id",
    "invoice_cash_rounding_id",
)

SALE_TYPES = frozenset({"out_invoice", "out_refund", "out_receipt"})
PURCHASE_TYPES = frozenset({"in_invoice", "in_refund", "in_receipt"})
INVOICE_TYPES = SALE_TYPES | PURCHASE_TYPES

#: journal type a new entry of each move type is created in.
JOURNAL_TYPE_OF = {
    **dict.fromkeys(SALE_TYPES, "sale"),
    **dict.fromkeys(PURCHASE_TYPES, "purchase"),
    "entry": "general",
}


# -------------------------------------------------------------------------- defaults


@defaults(MOVE)
def move_defaults(model: BaseModel, names: set[str]) -> dict[str, Any]:
    env = model.env
    move_type = env.context.get("default_move_type", "entry")
    values: dict[str, Any] = {
        "name": "/",
        "date": context_today(env).isoformat(),
        "company_id": env.company_id,
    }
    journal = default_journal(env, move_type)
    if journal:
        values["journal_id"] = journal
    currency = _company_currency(env, env.company_id)
    if currency:
        values["currency_id"] = currency
    if move_type in INVOICE_TYPES:
        values["invoice_user_id"] = env.uid
    return values


def default_journal(env: Env, move_type: str) -> int | None:
    """The first journal (by sequence) of the type matching ``move_type`` in the company."""
    journal_type = JOURNAL_TYPE_OF.get(move_type, "general")
    journals = (
        env["account.journal"]
        .sudo()
        .search([("type", "=", journal_type), ("company_id", "=", env.company_id)], limit=1)
    )
    return journals.ids[0] if journals else None


def _company_currency(env: Env, company_id: Any) -> Any:
    if not company_id:
        return False
    row = env["res.company"].sudo().browse([int(company_id)]).raw(["currency_id"])
    return row.get(int(company_id), {}).get("currency_id", False)


# -------------------------------------------------------------------------- computes


@compute(
    MOVE, ["commercial_partner_id"], depends=["partner_id", "partner_id.commercial_partner_id"]
)
def compute_commercial_partner(moves: BaseModel) -> dict[int, dict[str, Any]]:
    rows = moves.raw(["partner_id"])
    partners = (
        moves.env["res.partner"]
        .sudo()
        .browse(sorted({r["partner_id"] for r in rows.values() if r["partner_id"]}))
        .raw(["commercial_partner_id"])
    )
    return {
        rid: {
            "commercial_partner_id": partners.get(row["partner_id"], {}).get(
                "commercial_partner_id", False
            )
            if row["partner_id"]
            else False
        }
        for rid, row in rows.items()
    }


def _direction(move_type: str) -> int:
    """+1 when the untaxed amount is the items' balance, -1 when it is its opposite."""
    return -1 if move_type in ("out_invoice", "out_receipt", "in_refund") else 1


@compute(
    MOVE,
    ["amount_untaxed", "amount_tax", "amount_total", "amount_total_signed", "amount_residual"],
    depends=["move_type", "line_ids", "line_ids.balance", "line_ids.display_type"],
)
def compute_amounts(moves: BaseModel) -> dict[int, dict[str, Any]]:
    env = moves.env
    rows = moves.raw(["move_type", "line_ids", "currency_id"])
    Line = env[LINE].sudo()
    result: dict[int, dict[str, Any]] = {}
    for rid, row in rows.items():
        lines = Line.browse(row["line_ids"]).raw(["balance", "display_type"]).values()
        move_type = row["move_type"] or "entry"
        if move_type == "entry":
            total = sum(v["balance"] for v in lines if v["balance"] > 0)
            result[rid] = {
                "amount_untaxed": 0.0,
                "amount_tax": 0.0,
                "amount_total": float_round(total),
                "amount_total_signed": float_round(total),
                "amount_residual": 0.0,
            }
            continue
        sign = _direction(move_type)
        untaxed = sign * sum(v["balance"] for v in lines if v["display_type"] == "product")
        tax = sign * sum(v["balance"] for v in lines if v["display_type"] == "tax")
        total = float_round(untaxed + tax)
        signed = total if move_type in ("out_invoice", "out_receipt", "in_refund") else -total
        result[rid] = {
            "amount_untaxed": float_round(untaxed),
            "amount_tax": float_round(tax),
            "amount_total": total,
            "amount_total_signed": signed,
            "amount_residual": total,
        }
    return result


@compute(
    LINE,
    [
        "parent_state",
        "move_name",
        "date",
        "journal_id",
        "company_id",
        "currency_id",
        "company_currency_id",
    ],
    depends=[
        "move_id",
        "move_id.state",
        "move_id.name",
        "move_id.date",
        "move_id.journal_id",
        "move_id.company_id",
        "move_id.currency_id",
    ],
)
def compute_line_related(lines: BaseModel) -> dict[int, dict[str, Any]]:
    env = lines.env
    rows = lines.raw(["move_id"])
    moves = env[MOVE].sudo().browse(sorted({r["move_id"] for r in rows.values() if r["move_id"]}))
    values = moves.raw(["state", "name", "date", "journal_id", "company_id", "currency_id"])
    result: dict[int, dict[str, Any]] = {}
    for rid, row in rows.items():
        move = values.get(row["move_id"])
        if move is None:
            continue
        company_currency = _company_currency(env, move["company_id"])
        result[rid] = {
            "parent_state": move["state"],
            "move_name": move["name"],
            "date": move["date"],
            "journal_id": move["journal_id"],
            "company_id": move["company_id"],
            "currency_id": move["currency_id"] or company_currency,
            "company_currency_id": company_currency,
        }
    return result


@compute(LINE, ["balance", "amount_currency"], depends=["debit", "credit"])
def compute_line_balance(lines: BaseModel) -> dict[int, dict[str, Any]]:
    result: dict[int, dict[str, Any]] = {}
    for rid, row in lines.raw(["debit", "credit"]).items():
        balance = float_round(float(row["debit"] or 0.0) - float(row["credit"] or 0.0))
        result[rid] = {"balance": balance, "amount_currency": balance}
    return result


# ----------------------------------------------------------------------- protections


@before_write(MOVE)
def refuse_posted_changes(moves: BaseModel, vals: dict[str, Any]) -> None:
    if moves.env.context.get("skip_readonly_check"):
        return
    readonly = [name for name in vals if name in UNMODIFIABLE_WHEN_POSTED]
    if not readonly:
        return
    for row in moves.raw(["state"]).values():
        if vals.get("state", row["state"]) == "posted":
            raise UserError(
                "You cannot modify the following readonly fields on a posted move: "
                + ", ".join(readonly)
            )


@before_unlink(MOVE)
def refuse_unlink_posted(moves: BaseModel) -> None:
    if any(row["state"] == "posted" for row in moves.raw(["state"]).values()):
        raise UserError(POSTED_UNLINK)


@before_unlink(LINE)
def refuse_unlink_posted_lines(lines: BaseModel) -> None:
    if any(row["parent_state"] == "posted" for row in lines.raw(["parent_state"]).values()):
        raise UserError(POSTED_UNLINK)


@constraint(LINE, ["debit", "credit", "account_id", "display_type"])
def check_line_values(lines: BaseModel) -> None:
    """SQL constraints ``check_credit_debit`` and ``check_accountable_required_fields``."""
    for row in lines.raw(["debit", "credit", "account_id", "display_type"]).values():
        if float(row["debit"] or 0.0) * float(row["credit"] or 0.0) != 0:
            raise ValidationError(
                "The operation cannot be completed: Wrong credit or debit value in accounting entry!"
            )
        if row["display_type"] not in ("line_section", "line_note") and not row["account_id"]:
            raise ValidationError(
                "The operation cannot be completed: Missing required account on accountable line."
            )


# --------------------------------------------------------------------------- actions


def _validation_messages(moves: BaseModel) -> list[str]:
    """Odoo gathers these in a set (their order varies); the sandbox keeps a stable order."""
    messages: list[str] = []

    def add(message: str) -> None:
        if message not in messages:
            messages.append(message)

    rows = moves.raw(
        ["name", "state", "move_type", "partner_id", "invoice_date", "line_ids", "amount_total"]
    )
    Line = moves.env[LINE].sudo()
    for rid, row in rows.items():
        if row["state"] in ("posted", "cancel"):
            add(f"The entry {row['name']} (id {rid}) is already posted.")
        lines = Line.browse(row["line_ids"]).raw(["display_type"]).values()
        if not [v for v in lines if v["display_type"] not in ("line_section", "line_note")]:
            add("You need to add a line before posting.")
    for row in rows.values():
        move_type = row["move_type"]
        if move_type not in INVOICE_TYPES:
            continue
        if row["amount_total"] < 0:
            add(
                "You cannot validate an invoice with a negative total amount. You should create a "
                "credit note instead. Use the action menu to transform it into a credit note or "
                "refund."
            )
        if not row["invoice_date"] and move_type in PURCHASE_TYPES:
            add("The Bill/Refund date is required to validate this document.")
        if not row["partner_id"]:
            if move_type in SALE_TYPES:
                add(
                    "The field 'Customer' is required, please complete it to validate the "
                    "Customer Invoice."
                )
            else:
                add(
                    "The field 'Vendor' is required, please complete it to validate the Vendor Bill."
                )
    return messages


def _check_balanced(moves: BaseModel) -> None:
    Line = moves.env[LINE].sudo()
    for row in moves.raw(["line_ids", "journal_id"]).values():
        lines = Line.browse(row["line_ids"]).raw(["debit", "credit"]).values()
        debit = float_round(sum(float(v["debit"] or 0.0) for v in lines))
        credit = float_round(sum(float(v["credit"] or 0.0) for v in lines))
        if abs(debit - credit) > 0.001:
            journal = moves.env["account.journal"].sudo().browse([row["journal_id"]])
            journal_name = journal.raw(["name"]).get(row["journal_id"], {}).get("name", "")
            raise UserError(
                "The entry is not balanced.\n"
                f"The total of debits equals ${debit:,.2f} and the total of credits equals "
                f"${credit:,.2f}.\n"
                f'You might want to specify a default account on journal "{journal_name}" to '
                "automatically balance each move."
            )


def _assign_name(move: BaseModel) -> None:
    """Number a draft entry from its journal's previous names (``sequence.mixin``)."""
    env = move.env
    rid = int(move.id)
    row = move.raw(["name", "journal_id", "move_type", "date"])[rid]
    if row["name"] and row["name"] != "/":
        return
    journal = (
        env["account.journal"]
        .sudo()
        .browse([row["journal_id"]])
        .raw(["code", "type", "refund_sequence"])[row["journal_id"]]
    )
    refund_sequence = bool(journal["refund_sequence"])
    previous = [
        PreviousName(str(name), refund_sequence and move_type in REFUND_TYPES)
        for name, move_type in env.cr.execute(
            f'SELECT name, move_type FROM "{env.registry[MOVE].table}" '
            "WHERE journal_id = ? AND id != ? AND name IS NOT NULL AND name != '/'",
            (row["journal_id"], rid),
        )
    ]
    day = dt.date.fromisoformat(str(row["date"]))
    numbered = next_move_name(
        str(journal["code"]), str(journal["type"]), refund_sequence, row["move_type"], day, previous
    )
    move.sudo().write(
        {
            "name": numbered.name,
            "sequence_prefix": numbered.prefix,
            "sequence_number": numbered.number,
        }
    )


@method(MOVE, "action_post")
def action_post(self: BaseModel) -> bool:
    messages = _validation_messages(self)
    if messages:
        raise UserError("\n".join(messages))
    today = context_today(self.env).isoformat()
    for move in self:
        row = move.raw(["move_type", "invoice_date", "date", "invoice_date_due", "name"])[
            int(move.id)
        ]
        updates: dict[str, Any] = {}
        if row["move_type"] in SALE_TYPES and not row["invoice_date"]:
            updates["invoice_date"] = today
            if row["move_type"] != "entry":
                updates["date"] = today
        invoice_date = updates.get("invoice_date", row["invoice_date"])
        if row["move_type"] in INVOICE_TYPES and not row["invoice_date_due"] and invoice_date:
            updates["invoice_date_due"] = invoice_date
        if updates:
            move.write(updates)
        _assign_name(move)
    _check_balanced(self)
    self.write({"state": "posted", "posted_before": True})
    for move in self:
        row = move.raw(["move_type", "payment_reference", "name"])[int(move.id)]
        if row["move_type"] == "out_invoice" and not row["payment_reference"]:
            move.sudo().write({"payment_reference": row["name"]})
            # the receivable item is labelled with the payment reference
            terms = (
                move.env[LINE]
                .sudo()
                .search(
                    [
                        ("move_id", "=", int(move.id)),
                        ("display_type", "=", "payment_term"),
                        ("name", "in", ["", False]),
                    ]
                )
            )
            if terms:
                terms.write({"name": row["name"]})
    return False


@method(MOVE, "button_draft")
def button_draft(self: BaseModel) -> None:
    if any(row["state"] not in ("cancel", "posted") for row in self.raw(["state"]).values()):
        raise UserError("Only posted/cancelled journal entries can be reset to draft.")
    self.write({"state": "draft"})


@method(MOVE, "button_cancel")
def button_cancel(self: BaseModel) -> None:
    rows = self.raw(["state"])
    posted = [rid for rid, row in rows.items() if row["state"] == "posted"]
    if posted:
        button_draft(self.browse(posted))
    if any(row["state"] != "draft" for row in self.raw(["state"]).values()):
        raise UserError("Only draft journal entries can be cancelled.")
    self.write({"auto_post": "no", "state": "cancel"})
