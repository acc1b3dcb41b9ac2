"""Company settings the curated data does not carry, at Odoo 18's defaults.

Some fields of the curated models only mirror a company setting (``res.company`` fields
outside ``schema.json``, edited through ``res.config.settings``). A database whose
settings were never changed, like the reference one, has Odoo's defaults; a
``server.json`` company entry may override one (``{"id": 1, "terms_type": "html"}``).

``account.tax.company_price_include`` (the company's default, consulted by taxes without
``price_include_override``) is computed here; the ``sale.order`` mirrors are in :mod:`.sale`.

Example::

    >>> company_setting(env, 1, "account_price_include")
    'tax_excluded'
"""

from __future__ import annotations

from typing import Any

from ..orm import BaseModel, Env, compute

#: ``res.company`` defaults (``account``, ``sale``) of the settings the sandbox mirrors.
COMPANY_SETTING_DEFAULTS: dict[str, Any] = {
    # account: "Default Sales/Purchase Price" of the taxes ("Tax Excluded")
    "account_price_include": "tax_excluded",
    # account: "Default Terms & Conditions" format (plain text)
    "terms_type": "plain",
    # account: "Sales Credit Limit" is off
    "account_use_credit_limit": False,
}


def company_setting(env: Env, company_id: Any, name: str) -> Any:
    """The setting ``name`` of company ``company_id`` (``server.json`` first, then Odoo's default)."""
    for company in env.db.server.get("companies", []):
        if company_id and int(company.get("id", 0)) == int(company_id) and name in company:
            return company[name]
    return COMPANY_SETTING_DEFAULTS[name]


@compute("account.tax", ["company_price_include"])
def compute_tax_company_price_include(taxes: BaseModel) -> dict[int, dict[str, Any]]:
    """``account.tax.company_price_include``: related to the company's setting."""
    env = taxes.env
    return {
        rid: {
            "company_price_include": company_setting(
                env, row["company_id"], "account_price_include"
            )
        }
        for rid, row in taxes.raw(["company_id"]).items()
    }
