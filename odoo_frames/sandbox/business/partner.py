"""res.partner: names, commercial entity, field synchronisation and constraints (Odoo 18).

* ``commercial_partner_id``: the partner itself when it is a company or has no parent,
  else its parent's commercial partner.
* ``complete_name`` / ``display_name``: ``"Company, Contact"`` for a contact of a company
  (the company part is the commercial company's name, or the parent's name); an address
  without name shows its type ("Invoice Address").
* Commercial fields (``vat``, receivable/payable accounts...) are copied from the
  commercial partner to its contacts when a contact gets a parent, and pushed down to every
  contact when the company changes them. Address fields are copied from the parent to
  ``type = 'contact'`` children.
* Constraints: no cycle in ``parent_id`` ("You cannot create recursive Partner
  hierarchies."), and a contact needs a name (the SQL check ``check_name``).
* ``name_create("Raoul <raoul@example.com>")`` splits the name and the email.

Example::

    >>> env["res.partner"].create({"name": "New Contact", "parent_id": 12}).read(["display_name", "vat"])
    [{'id': 44, 'display_name': 'Ready Mat, New Contact', 'vat': 'US12345675'}]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..exceptions import ValidationError
from ..orm import (
    BaseModel,
    before_create,
    before_write,
    compute,
    constraint,
    method,
    on_create,
    on_write,
)

MODEL = "res.partner"

#: Fields a contact shares with its commercial entity (``_commercial_fields``).
COMMERCIAL_FIELDS = (
    "vat",
    "company_registry",
    "industry_id",
    "property_account_receivable_id",
    "property_account_payable_id",
)

#: Fields a ``contact`` child copies from its parent (``_address_fields``).
ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")

#: Address types whose name is shown as their type when they have no name.
DISPLAYED_TYPES = ("invoice", "delivery", "other")

_EMAIL_RE = re.compile(r"^\s*(?:\"?(?P<name>[^\"<]*?)\"?\s*)?<(?P<email>[^>]+@[^>]+)>\s*$")
_BARE_EMAIL_RE = re.compile(r"^\s*(?P<email>[^@\s<>]+@[^@\s<>]+)\s*$")


# --------------------------------------------------------------------------- helpers


def _partner_rows(records: BaseModel) -> dict[int, dict[str, Any]]:
    """id -> row of the records and all their ancestors (cycle-safe)."""
    names = ["name", "parent_id", "is_company", "type"]
    if "company_name" in records.spec.fields:
        names.append("company_name")
    rows: dict[int, dict[str, Any]] = {}
    pending = set(records.ids)
    while pending:
        fetched = records.browse(sorted(pending)).raw(names)
        rows.update(fetched)
        pending = {
            row["parent_id"]
            for row in fetched.values()
            if row["parent_id"] and row["parent_id"] not in rows
        }
    return rows


def _commercial_of(rid: int, rows: Mapping[int, Mapping[str, Any]]) -> int:
    seen = set()
    current = rid
    while True:
        row = rows.get(current)
        if row is None or row["is_company"] or not row["parent_id"] or current in seen:
            return current
        seen.add(current)
        current = row["parent_id"]


def _complete_name(
    rid: int, rows: Mapping[int, Mapping[str, Any]], labels: Mapping[str, str]
) -> str:
    """``res.partner._get_complete_name`` (display_name without context options)."""
    row = rows[rid]
    name = row["name"] or ""
    parent = row["parent_id"]
    company_name = row.get("company_name") or False
    if company_name or parent:
        if not name and row["type"] in DISPLAYED_TYPES:
            name = labels.get(row["type"], row["type"])
        if not row["is_company"]:
            commercial = rows.get(_commercial_of(rid, rows), row)
            commercial_company_name = (
                commercial["name"] if commercial["is_company"] else commercial.get("company_name")
            )
            prefix = commercial_company_name or (rows[parent]["name"] if parent in rows else "")
            name = f"{prefix or ''}, {name}"
    return name.strip()


# -------------------------------------------------------------------------- computes


@compute(
    MODEL,
    ["commercial_partner_id"],
    depends=["is_company", "parent_id", "parent_id.commercial_partner_id"],
)
def compute_commercial_partner(records: BaseModel) -> dict[int, dict[str, Any]]:
    rows = _partner_rows(records)
    return {rid: {"commercial_partner_id": _commercial_of(rid, rows)} for rid in records.ids}


@compute(
    MODEL,
    ["complete_name", "display_name"],
    depends=[
        "name",
        "type",
        "is_company",
        "parent_id",
        "parent_id.name",
        "commercial_partner_id",
        "commercial_partner_id.name",
        "commercial_partner_id.is_company",
    ],
)
def compute_names(records: BaseModel) -> dict[int, dict[str, Any]]:
    rows = _partner_rows(records)
    labels = dict(records.spec.fields["type"].selection)
    result: dict[int, dict[str, Any]] = {}
    for rid in records.ids:
        if rid not in rows:
            continue
        name = _complete_name(rid, rows, labels)
        result[rid] = {"complete_name": name or False, "display_name": name or False}
    return result


@compute(MODEL, ["company_type"], depends=["is_company"])
def compute_company_type(records: BaseModel) -> dict[int, dict[str, Any]]:
    """Non-stored ``company_type``: ``company`` or ``person``, from ``is_company``."""
    return {
        rid: {"company_type": "company" if row["is_company"] else "person"}
        for rid, row in records.raw(["is_company"]).items()
    }


@before_create(MODEL)
def company_type_on_create(model: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    for vals in vals_list:
        _company_type_inverse(vals)


@before_write(MODEL)
def company_type_on_write(records: BaseModel, vals: dict[str, Any]) -> None:
    _company_type_inverse(vals)


def _company_type_inverse(vals: dict[str, Any]) -> None:
    """Writing ``company_type`` sets ``is_company`` (the field's inverse)."""
    if "company_type" in vals:
        vals["is_company"] = vals.pop("company_type") == "company"


# ----------------------------------------------------------------------- constraints


@constraint(MODEL, ["parent_id"])
def check_parent_recursion(records: BaseModel) -> None:
    rows = _partner_rows(records)
    for rid in records.ids:
        seen = {rid}
        current = rows.get(rid, {}).get("parent_id")
        while current:
            if current in seen:
                raise ValidationError("You cannot create recursive Partner hierarchies.")
            seen.add(current)
            current = rows.get(current, {}).get("parent_id")


@constraint(MODEL, ["name", "type"])
def check_name(records: BaseModel) -> None:
    """SQL constraint ``check_name``: CHECK((type='contact' AND name IS NOT NULL) or type!='contact')."""
    for values in records.raw(["name", "type"]).values():
        if values["type"] == "contact" and values["name"] is False:
            raise ValidationError("The operation cannot be completed: Contacts require a name")


# ------------------------------------------------------------------ synchronisation


def _syncable(records: BaseModel, names: tuple[str, ...]) -> list[str]:
    """The fields of ``names`` this database stores (company-dependent ones in company 1 only)."""
    spec = records.spec
    out = []
    for name in names:
        f = spec.fields.get(name)
        if f is None or f.column is None:
            continue
        if f.company_dependent and records.env.company_id != 1:
            continue
        out.append(name)
    return out


def _commercial_sync_from_company(partner: BaseModel) -> None:
    """A contact takes the commercial fields of its commercial partner."""
    commercial_id = partner["commercial_partner_id"]
    if not commercial_id or commercial_id == partner.id:
        return
    names = _syncable(partner, COMMERCIAL_FIELDS)
    values = partner.browse([commercial_id]).raw(names)[commercial_id]
    current = partner.raw(names)[int(partner.id)]
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    if changed:
        partner.sudo().write(changed)


def _commercial_sync_to_children(partner: BaseModel) -> None:
    """Every non-company descendant takes the commercial fields of ``partner``."""
    names = _syncable(partner, COMMERCIAL_FIELDS)
    values = partner.raw(names)[int(partner.id)]
    descendants: list[int] = []
    pending = [int(partner.id)]
    seen = set(pending)
    while pending:
        children = (
            partner.sudo()
            .with_context(active_test=False)
            .search([("parent_id", "in", pending), ("is_company", "=", False)])
        )
        pending = [c for c in children.ids if c not in seen]
        seen.update(pending)
        descendants.extend(pending)
    if descendants and values:
        partner.browse(descendants).sudo().write(dict(values))


def _address_from_parent(partner: BaseModel) -> None:
    """``onchange_parent_id``: a contact copies its parent's address when the parent has one."""
    row = partner.raw(["parent_id", "type"])[int(partner.id)]
    if not row["parent_id"] or row["type"] != "contact":
        return
    names = _syncable(partner, ADDRESS_FIELDS)
    address = partner.browse([row["parent_id"]]).raw(names)[row["parent_id"]]
    if not any(address.values()):
        return
    current = partner.raw(names)[int(partner.id)]
    changed = {k: v for k, v in address.items() if current.get(k) != v}
    if changed:
        partner.sudo().write(changed)


def _children_sync(partner: BaseModel, vals: Mapping[str, Any]) -> None:
    rid = int(partner.id)
    children = partner.sudo().with_context(active_test=False).search([("parent_id", "=", rid)])
    if not children:
        return
    if partner["commercial_partner_id"] == rid and any(f in vals for f in COMMERCIAL_FIELDS):
        _commercial_sync_to_children(partner)
    address = {k: vals[k] for k in _syncable(partner, ADDRESS_FIELDS) if k in vals}
    if address:
        contacts = children.raw(["type"])
        ids = [cid for cid, row in contacts.items() if row["type"] == "contact"]
        if ids:
            partner.browse(ids).sudo().write(address)


def _fields_sync(partner: BaseModel, vals: Mapping[str, Any]) -> None:
    """``res.partner._fields_sync``: upstream (from the parent) then downstream (to children)."""
    if vals.get("parent_id") or vals.get("type") == "contact":
        if vals.get("parent_id"):
            _commercial_sync_from_company(partner)
        _address_from_parent(partner)
    _children_sync(partner, vals)


@on_create(MODEL)
def sync_created(records: BaseModel, vals_list: list[dict[str, Any]]) -> None:
    for partner, vals in zip(records, vals_list):
        _fields_sync(partner, vals)


@on_write(MODEL)
def sync_written(records: BaseModel, vals: dict[str, Any]) -> None:
    if not (
        "parent_id" in vals
        or vals.get("type") == "contact"
        or any(f in vals for f in COMMERCIAL_FIELDS + ADDRESS_FIELDS)
    ):
        return
    for partner in records.exists():
        _fields_sync(partner, vals)


# ----------------------------------------------------------------------- name_create


def parse_partner_name(text: str) -> tuple[str, str]:
    """``_parse_partner_name``: ``"Raoul <raoul@example.com>"`` -> ``("Raoul", "raoul@example.com")``."""
    match = _EMAIL_RE.match(text or "")
    if match:
        return (match["name"] or "").strip(), match["email"].strip().lower()
    match = _BARE_EMAIL_RE.match(text or "")
    if match:
        return "", match["email"].lower()
    return text, ""


@method(MODEL, "name_create", api="model")
def name_create(self: BaseModel, name: str) -> list[Any]:
    partner_name, email = parse_partner_name(name)
    values: dict[str, Any] = {"name": partner_name or email}
    if email:
        values["email"] = email
    partner = self.create(values)
    return [partner.id, partner.display_names().get(int(partner.id), False)]


@method(MODEL, "copy")
def copy_partner(self: BaseModel, default: Mapping[str, Any] | None = None) -> BaseModel:
    """``copy``: the copy is named ``"<name> (copy)"`` (``res.partner.copy_data``)."""
    copies: list[int] = []
    names = self.raw(["name"])
    for rid in self.ids:
        values = dict(default or {})
        if rid in names and "name" not in values:
            values["name"] = f"{names[rid]['name']} (copy)"
        copies.extend(BaseModel.copy(self.browse([rid]), values).ids)
    return self.browse(copies)
