"""``res.users.context_get``: the user's context, as clients fetch it right after login.

Odoo 18 builds it from the user's ``lang`` and ``tz`` (fields of the user's partner, read
through ``_inherits``; no ``context_*`` field exists in this module set), makes sure the
language is installed (else the company partner's language, else ``en_US``) and adds
``uid``. Key order: ``lang``, ``tz``, ``uid``. It works for every user about himself,
over XML-RPC, JSON-RPC, the web routes and JSON-2 (``POST /json/2/res.users/context_get``).

Example::

    >>> env["res.users"].context_get()          # admin of the reference database
    {'lang': 'en_US', 'tz': 'Europe/Brussels', 'uid': 2}
"""

from __future__ import annotations

from typing import Any

from ..orm import BaseModel, Env, method

#: Odoo's ``DEFAULT_LANG``.
DEFAULT_LANG = "en_US"


def installed_languages(env: Env) -> list[str]:
    """Codes of the installed languages (``server.json`` ``languages``; ``en_US`` only)."""
    return [str(code) for code in env.db.server.get("languages", [DEFAULT_LANG])]


def _partner_values(env: Env, partner_id: Any) -> dict[str, Any]:
    if not partner_id:
        return {"lang": False, "tz": False}
    partners = env["res.partner"].sudo().browse([int(partner_id)]).raw(["lang", "tz"])
    return dict(partners.get(int(partner_id), {"lang": False, "tz": False}))


@method("res.users", "context_get", api="model")
def context_get(self: BaseModel) -> dict[str, Any]:
    """The current user's context: ``{"lang", "tz", "uid"}``."""
    env = self.env
    users = env["res.users"].sudo().browse([env.uid]).raw(["partner_id", "company_id"])
    user = users.get(env.uid, {"partner_id": False, "company_id": False})
    values = _partner_values(env, user["partner_id"])
    langs = installed_languages(env)
    lang = values["lang"]
    if lang not in langs:
        # no request language over RPC: the company partner's language comes next
        lang = False
        if user["company_id"]:
            companies = (
                env["res.company"].sudo().browse([int(user["company_id"])]).raw(["partner_id"])
            )
            company = companies.get(int(user["company_id"]))
            if company is not None:
                lang = _partner_values(env, company["partner_id"])["lang"]
        if lang not in langs:
            lang = DEFAULT_LANG if DEFAULT_LANG in langs or not langs else langs[0]
    return {"lang": lang, "tz": values["tz"] or False, "uid": env.uid}
