"""Model-specific behaviour of the sandbox, one module per Odoo app.

Importing this package registers the business hooks (computed fields, defaults,
constraints, public methods) with :mod:`odoo_frames.sandbox.orm`:

* :mod:`.partner` — res.partner names, commercial entity, field sync, constraints;
* :mod:`.country` — res.country name_search (codes first);
* :mod:`.sale` — quotations and orders: defaults, amounts, confirm / cancel / draft;
* :mod:`.account` — journal entries: post, reset, cancel, protections;
* :mod:`.crm` — leads: stages, won / lost, probabilities;
* :mod:`.generic` — ``toggle_active`` of every model;
* :mod:`.web_client` — ``web_read``, ``web_search_read``, ``web_save``;
* :mod:`.apikeys` — the API-key wizards and the keys they mint;
* :mod:`.users` — ``res.users.context_get``;
* :mod:`.settings` — company settings outside the curated data (Odoo's defaults);
* :mod:`.ir_model` — a read-only ``ir.model`` describing the sandbox's models.

Pure helpers used by those: :mod:`.taxes` (rounding, line taxes), :mod:`.numbering`
(document numbers), :mod:`.lead_scoring` (predictive lead scoring).

Example::

    >>> from odoo_frames.sandbox import business   # registers everything
    >>> business.apikeys.key_owner(db, key)
"""

from __future__ import annotations

from . import (
    account,
    apikeys,
    country,
    crm,
    generic,
    invoice_lines,
    ir_model,  # last: it wraps the generic methods registered above
    partner,
    product,
    sale,
    settings,
    users,
    web_client,
)

__all__ = [
    "account",
    "apikeys",
    "country",
    "crm",
    "generic",
    "invoice_lines",
    "ir_model",
    "partner",
    "product",
    "sale",
    "settings",
    "users",
    "web_client",
]
