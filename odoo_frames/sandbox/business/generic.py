"""Business methods every model with an ``active`` field has (Odoo 18 ``BaseModel``).

``toggle_active`` inverts ``active`` on the records and returns None (JSON-RPC then has
no ``result``; XML-RPC cannot marshal it). ``action_archive`` / ``action_unarchive`` are
the ORM's (:mod:`..orm`); models such as ``crm.lead`` override all three.

Example::

    >>> env["res.partner"].browse([13]).toggle_active()    # archives OpenWood
"""

from __future__ import annotations

from ..orm import BaseModel, method


@method("*", "toggle_active")
def toggle_active(self: BaseModel) -> None:
    if "active" not in self.spec.fields:
        raise AssertionError(f"No 'active' field on model {self._name}")
    rows = self.raw(["active"])
    active = [rid for rid in self.ids if rid in rows and rows[rid]["active"]]
    inactive = [rid for rid in self.ids if rid in rows and not rows[rid]["active"]]
    if active:
        self.browse(active).write({"active": False})
    if inactive:
        self.browse(inactive).write({"active": True})
