"""Users, credentials, model access rights and record rules, with Odoo 18's messages.

Users are the ``res.users`` records of the database; their passwords and API keys come
from ``server.json`` (``db.server["users"]``: login, password, uid, api_key). The API key
is accepted as a password on RPC endpoints and refused by the web login
(``interactive=True``), as Odoo does.

Access rights are modelled by *profile*: the administrator (``admin``, uid 2, or a user
whose ``server.json`` entry says ``"profile": "admin"``) may do everything the ACLs allow
(all of it for the 24 models); every other internal user gets the rights of Odoo's demo
user "Marc Demo" (a salesman, own documents only): :data:`SALESMAN_ACL`. Group names in
the messages are Odoo 18's (``Administration/Access Rights``, ``Invoicing/Administrator``...;
those not seen in a recording are the groups Odoo 18's CSV access files grant).

Record rules: a salesman sees only his own (or unassigned) leads, sale orders and their
lines; every non-superuser sees records of its allowed companies (or without company).

Example::

    >>> check_model_access(env_demo, "res.country", "unlink", raise_exception=False)
    False
    >>> rule_domain(env_demo, "crm.lead", "read")
    ['|', ('user_id', '=', 6), ('user_id', '=', False)]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .exceptions import AccessDenied, AccessError, MissingError

if TYPE_CHECKING:
    from .orm import Env
    from .storage import Database

__all__ = [
    "SALESMAN_ACL",
    "api_key_owner",
    "authenticate",
    "check_credentials",
    "check_model_access",
    "is_admin",
    "rule_access_error",
    "rule_domain",
]

OPERATION_VERBS = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}

#: model -> (operations a salesman may do, groups allowing the operations he may not).
SALESMAN_ACL: dict[str, tuple[str, tuple[str, ...]]] = {
    "res.partner": ("rwcu", ()),
    "res.partner.category": ("rwcu", ()),
    "res.country": ("r", ("Administration/Settings",)),
    "res.country.state": ("r", ("Administration/Settings",)),
    "res.currency": ("r", ("Administration/Settings",)),
    "res.company": ("r", ("Administration/Access Rights",)),
    "res.users": ("r", ("Administration/Access Rights",)),
    "product.product": ("r", ("Inventory/Administrator", "Sales/Administrator")),
    "product.template": ("r", ("Inventory/Administrator", "Sales/Administrator")),
    "product.category": ("r", ("Inventory/Administrator",)),
    "uom.uom": ("r", ("Administration/Settings",)),
    "sale.order": ("rwc", ("Sales/Administrator",)),
    "sale.order.line": ("rwcu", ()),
    "account.move": ("r", ("Invoicing/Billing",)),
    "account.move.line": ("r", ("Invoicing/Billing",)),
    "account.account": ("r", ("Invoicing/Administrator",)),
    "account.journal": ("r", ("Invoicing/Administrator",)),
    "account.tax": ("r", ("Invoicing/Administrator",)),
    "stock.quant": ("r", ("Inventory/User",)),
    "stock.location": ("r", ("Inventory/Administrator",)),
    "stock.warehouse": ("r", ("Inventory/Administrator",)),
    "crm.lead": ("rwcu", ()),
    "crm.stage": ("r", ("Sales/Administrator",)),
    "crm.tag": ("rwc", ("Sales/Administrator",)),
}

OP_LETTER = {"read": "r", "write": "w", "create": "c", "unlink": "u"}

#: "Personal" record rules of a salesman: model -> salesperson field.
SALESMAN_RULE_FIELDS = {
    "crm.lead": "user_id",
    "sale.order": "user_id",
    "sale.order.line": "salesman_id",
}

#: Models without the generic ``company_id`` multi-company rule.
NO_COMPANY_RULE = frozenset({"res.users", "res.company"})

RULE_MESSAGE = (
    "Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n"
    "Sorry, {user} (id={uid}) doesn't have '{operation}' access to:\n"
    "- {description} ({model})\n\n"
    "If you really, really need access, perhaps you can win over your friendly "
    "administrator with a batch of freshly baked cookies."
)


# ------------------------------------------------------------------------------ users


def server_users(db: Database) -> list[Mapping[str, Any]]:
    return list(db.server.get("users", []))


def user_entry(db: Database, uid: int) -> Mapping[str, Any] | None:
    for entry in server_users(db):
        if int(entry.get("uid", 0)) == uid:
            return entry
    return None


def is_admin(db: Database, uid: int) -> bool:
    """Administrators have every access right (uid 2 or ``"profile": "admin"``)."""
    entry = user_entry(db, uid)
    if entry is not None and entry.get("profile"):
        return entry["profile"] == "admin"
    return uid in (1, 2)


def _user_row(db: Database, uid: int) -> tuple[int, str, bool] | None:
    row = db.conn.execute(
        "SELECT u.id, u.login, u.active FROM res_users u WHERE u.id = ?", (uid,)
    ).fetchone()
    if row is None:
        return None
    return int(row[0]), str(row[1]), bool(row[2])


def _secrets(db: Database, uid: int) -> tuple[str | None, str | None]:
    entry = user_entry(db, uid)
    if entry is None:
        return None, None
    return entry.get("password"), entry.get("api_key")


def authenticate(db: Database, login: str, password: str, *, interactive: bool) -> int:
    """``res.users.authenticate``: the uid, or AccessDenied.

    Non-interactive logins (RPC) fall back to the API keys, which assert a non-empty key
    (``AssertionError: scope and key required``, as recorded for an empty password).
    """
    row = db.conn.execute(
        "SELECT id FROM res_users WHERE login = ? AND active = 1", (login,)
    ).fetchone()
    if row is None:
        raise AccessDenied()
    uid = int(row[0])
    stored, api_key = _secrets(db, uid)
    if password and stored is not None and password == stored:
        return uid
    if interactive:
        raise AccessDenied()
    if not password:
        raise AssertionError("scope and key required")
    if api_key and password == api_key:
        return uid
    if _minted_key_owner(db, password) == uid:
        return uid
    raise AccessDenied()


def check_credentials(db: Database, uid: int, password: Any) -> None:
    """``res.users.check(db, uid, password)`` of every object-service call."""
    if not password:
        raise AccessDenied()
    row = _user_row(db, uid)
    if row is None:
        raise MissingError(
            f"Record does not exist or has been deleted.\n(Record: res.users({uid},), User: {uid})"
        )
    if not row[2]:
        raise AccessDenied()
    stored, api_key = _secrets(db, uid)
    if stored is not None and password == stored:
        return
    if api_key and password == api_key:
        return
    if _minted_key_owner(db, password) == uid:
        return
    raise AccessDenied()


def api_key_owner(db: Database, key: str) -> int | None:
    """The uid whose API key is ``key`` (JSON-2 bearer tokens), or None."""
    if not key:
        return None
    for entry in server_users(db):
        if entry.get("api_key") and entry["api_key"] == key:
            uid = int(entry["uid"])
            row = _user_row(db, uid)
            if row is not None and row[2]:
                return uid
    extra = db.server.get("api_keys", {})
    if isinstance(extra, Mapping) and key in extra:
        return int(extra[key])
    return _minted_key_owner(db, key)


def _minted_key_owner(db: Database, key: Any) -> int | None:
    """Owner of a key minted through the API-key wizards (``business.apikeys``)."""
    from .business.apikeys import key_owner

    return key_owner(db, key) if isinstance(key, str) else None


# ---------------------------------------------------------------------- access rights


def check_model_access(env: Env, model: str, operation: str, raise_exception: bool = True) -> bool:
    """``ir.model.access.check``: True, False or the AccessError with Odoo's text."""
    if operation not in OP_LETTER:
        raise ValueError(f"Invalid access mode: {operation}")
    if env.su or is_admin(env.db, env.uid):
        return True
    allowed, groups = SALESMAN_ACL.get(model, ("r", ("Administration/Settings",)))
    if OP_LETTER[operation] in allowed:
        return True
    if not raise_exception:
        return False
    description = env.registry[model].description if model in env.registry else model
    if groups:
        group_text = "This operation is allowed for the following groups:\n" + "\n".join(
            f"\t- {g}" for g in groups
        )
    else:
        group_text = "No group currently allows this operation."
    raise AccessError(
        f"You are not allowed to {OPERATION_VERBS[operation]} '{description}' ({model}) records."
        f"\n\n{group_text}\n\nContact your administrator to request access if necessary."
    )


def rule_domain(env: Env, model: str, operation: str) -> list[Any]:
    """The record-rule domain of ``model`` for the user (AND of the applicable rules)."""
    if env.su:
        return []
    spec = env.registry.get(model)
    parts: list[list[Any]] = []
    if not is_admin(env.db, env.uid) and model in SALESMAN_RULE_FIELDS:
        fname = SALESMAN_RULE_FIELDS[model]
        parts.append(["|", (fname, "=", env.uid), (fname, "=", False)])
    if spec is not None and model not in NO_COMPANY_RULE:
        company = spec.fields.get("company_id")
        if company is not None and company.relation == "res.company" and company.store:
            parts.append(["|", ("company_id", "=", False), ("company_id", "in", env.company_ids)])
        companies = spec.fields.get("company_ids")
        if (
            company is None
            and companies is not None
            and companies.relation == "res.company"
            and model == "account.account"
        ):
            parts.append([("company_ids", "in", env.company_ids)])
    if not parts:
        return []
    domain: list[Any] = []
    for index, part in enumerate(parts):
        if index:
            domain.insert(0, "&")
        domain.extend(part)
    return domain


def rule_access_error(env: Env, model: str, operation: str) -> AccessError:
    """The AccessError of a record-rule violation, as shown to a non-debug user."""
    name_row = env.cr.execute(
        "SELECT p.name FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = ?",
        (env.uid,),
    ).fetchone()
    user = name_row[0] if name_row else f"res.users({env.uid},)"
    description = env.registry[model].description if model in env.registry else model
    return AccessError(
        RULE_MESSAGE.format(
            user=user, uid=env.uid, operation=operation, description=description, model=model
        )
    )
