"""Business methods every model with an ``active`` field has (Odoo 18 ``BaseModel``).

``toggle_active`` inverts ``active`` on the records and returns None (JSON-RPC then has
no ``result``; XML-RPC cannot marshal it). ``action_archive`` / ``action_unarchive`` are
the ORM's (:mod:`..orm`); models such as ``crm.lead`` override all three.

Example::

    >>> env["res.partner"].browse([13]).toggle_active()    # archives OpenWood
"""

from __future__ import annotations

from ..orm import BaseModel, method


def split_by_active(records: BaseModel) -> tuple[list[int], list[int]]:
    """The ids of the active records and those of the archived ones (in ``records``' order)."""
    rows = records.raw(["active"])
    active = [rid for rid in records.ids if rid in rows and rows[rid]["active"]]
    inactive = [rid for rid in records.ids if rid in rows and not rows[rid]["active"]]
    return active, inactive


def invert_active(records: BaseModel) -> tuple[list[int], list[int]]:
    """Archive the active records, then restore the archived ones: (archived, restored) ids."""
    active, inactive = split_by_active(records)
    if active:
        records.browse(active).write({"active": False})
    if inactive:
        records.browse(inactive).write({"active": True})
    return active, inactive


@method("*", "toggle_active")
def toggle_active(self: BaseModel) -> None:
    if "active" not in self.spec.fields:
        raise AssertionError(f"No 'active' field on model {self._name}")
    invert_active(self)
