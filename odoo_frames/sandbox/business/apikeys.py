"""Minting API keys the way the web client does (Odoo 18 ``res.users.apikeys*`` wizards).

The flow the preferences dialog runs::

    res.users.apikeys.description.web_save([], {"name": "my key", "duration": "0"}, specification={})
        -> [{"id": 2}]
    res.users.apikeys.description.make_key([2])
        -> act_window "Security Control" on res.users.identitycheck, res_id 3
    res.users.identitycheck.write([3], {"password": "admin"})        -> True
    res.users.identitycheck.run_check([3])
        -> act_window "API Key Ready", context {"default_key": "<40 hex chars>"}

The key (20 random bytes, hex) then works as the user's password on RPC endpoints
(:func:`key_owner`, consulted by :mod:`..security`), like the one ``server.json``
declares. The wizard models are not part of the 24-model schema: their records live in
small tables of their own, with their own id sequences. The reference database had
already minted one key through the wizards, so its next wizard ids are 2.
``make_key`` always asks for the password (Odoo skips the check for 10 minutes after a
successful one in the same web session; the sandbox does not track that).

Example::

    >>> key = mint_key(env, "scenario key", password="admin")   # the whole flow, for tests
    >>> key_owner(env.db, key)
    2
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from ..exceptions import AccessDenied, MissingError, UserError
from ..orm import BaseModel, Env, method, virtual_model
from ..storage import Database

DESCRIPTION = "res.users.apikeys.description"
IDENTITY_CHECK = "res.users.identitycheck"
APIKEYS = "res.users.apikeys"

INCORRECT_PASSWORD = (
    "Incorrect Password, try again or click on Forgot Password to reset your password."
)

#: ``duration`` selection of the description wizard: days, "0" = persistent, "-1" = custom date.
DURATIONS = ("1", "7", "30", "90", "365", "0", "-1")

_TABLES = {
    DESCRIPTION: (
        "CREATE TABLE IF NOT EXISTS res_users_apikeys_description ("
        "id INTEGER PRIMARY KEY, name TEXT, duration TEXT, expiration_date TEXT, "
        "create_uid INTEGER, create_date TEXT, write_uid INTEGER, write_date TEXT)"
    ),
    IDENTITY_CHECK: (
        "CREATE TABLE IF NOT EXISTS res_users_identitycheck ("
        "id INTEGER PRIMARY KEY, request TEXT, auth_method TEXT, password TEXT, "
        "create_uid INTEGER, create_date TEXT, write_uid INTEGER, write_date TEXT)"
    ),
    APIKEYS: (
        "CREATE TABLE IF NOT EXISTS res_users_apikeys ("
        "id INTEGER PRIMARY KEY, name TEXT, user_id INTEGER, scope TEXT, "
        "expiration_date TEXT, key_index TEXT, key_hash TEXT, create_date TEXT)"
    ),
}

_FIELDS = {
    DESCRIPTION: ("name", "duration", "expiration_date"),
    IDENTITY_CHECK: ("request", "auth_method", "password"),
}


# --------------------------------------------------------------------------- storage


def _table(model: str) -> str:
    return model.replace(".", "_")


def _ensure(db: Database, model: str) -> None:
    """Create the wizard's table and id sequence on first use (and after a reset)."""
    db.conn.execute(_TABLES[model])
    if not db.has_sequence(model):
        # Each key minted before the dataset was recorded used one record of each wizard.
        minted = sum(1 for user in db.server.get("users", []) if user.get("api_key"))
        row = db.conn.execute(f'SELECT MAX(id) FROM "{_table(model)}"').fetchone()
        db.ensure_sequence(model, max(minted + 1, int(row[0] or 0) + 1))


def _create(env: Env, model: str, vals: Mapping[str, Any]) -> int:
    _ensure(env.db, model)
    unknown = [k for k in vals if k not in _FIELDS[model]]
    if unknown:
        raise ValueError(f"Invalid field {unknown[0]!r} on model {model!r}")
    rid = env.db.next_id(model)
    columns = {k: vals[k] for k in _FIELDS[model] if k in vals}
    if model == DESCRIPTION:
        columns.setdefault("duration", "1" if not _is_admin(env) else "0")
    columns.update(create_uid=env.uid, write_uid=env.uid, create_date=env.now_string)
    columns["write_date"] = env.now_string
    names = list(columns)
    env.cr.execute(
        f'INSERT INTO "{_table(model)}" (id, {", ".join(names)}) VALUES (?, {", ".join("?" for _ in names)})',
        [rid, *(_column(columns[n]) for n in names)],
    )
    return rid


def _column(value: Any) -> Any:
    return None if value is False else value


def _rows(env: Env, model: str, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The records of ``ids`` the current user created (wizards are private to their user)."""
    _ensure(env.db, model)
    columns = ("id", "create_uid", *_FIELDS[model])
    found: dict[int, dict[str, Any]] = {}
    for row in env.cr.execute(
        f'SELECT {", ".join(columns)} FROM "{_table(model)}" WHERE id IN (SELECT value FROM json_each(?))',
        (json.dumps([int(i) for i in ids]),),
    ):
        values = dict(zip(columns, row))
        if env.su or values["create_uid"] == env.uid:
            found[int(values["id"])] = {k: (False if v is None else v) for k, v in values.items()}
    return found


def _existing(records: BaseModel) -> dict[int, dict[str, Any]]:
    rows = _rows(records.env, records._name, records.ids)
    missing = [rid for rid in records.ids if rid not in rows]
    if missing:
        raise MissingError(
            "Record does not exist or has been deleted.\n"
            f"(Record: {records._name}({', '.join(str(m) for m in missing)},), User: {records.env.uid})"
        )
    return rows


def _write(records: BaseModel, vals: Mapping[str, Any]) -> bool:
    rows = _existing(records)
    unknown = [k for k in vals if k not in _FIELDS[records._name]]
    if unknown:
        raise ValueError(f"Invalid field {unknown[0]!r} on model {records._name!r}")
    if not vals or not rows:
        return True
    names = list(vals)
    assignments = ", ".join(f'"{n}" = ?' for n in [*names, "write_uid", "write_date"])
    records.env.cr.execute(
        f'UPDATE "{_table(records._name)}" SET {assignments} WHERE id IN (SELECT value FROM json_each(?))',
        [
            *(_column(vals[n]) for n in names),
            records.env.uid,
            records.env.now_string,
            json.dumps(list(rows)),
        ],
    )
    return True


def _read(records: BaseModel, specification: Sequence[str]) -> list[dict[str, Any]]:
    rows = _rows(records.env, records._name, records.ids)
    out = []
    for rid in records.ids:
        if rid not in rows:
            continue
        values: dict[str, Any] = {"id": rid}
        for name in specification:
            if name == "id":
                continue
            if name == "display_name":
                values[name] = rows[rid].get("name") or f"{records._name},{rid}"
            elif name in _FIELDS[records._name]:
                values[name] = False if name == "password" else rows[rid][name]
            else:
                raise ValueError(f"Invalid field {name!r} on model {records._name!r}")
        out.append(values)
    return out


def _is_admin(env: Env) -> bool:
    from .. import security

    return security.is_admin(env.db, env.uid)


def _register_crud(model: str) -> None:
    """``create`` / ``write`` / ``read`` / ``unlink`` / ``web_save`` / ``web_read`` of a wizard."""

    def create(self: BaseModel, vals_list: Any) -> Any:
        if isinstance(vals_list, Mapping):
            return _create(self.env, model, vals_list)
        return [_create(self.env, model, vals) for vals in vals_list]

    def write(self: BaseModel, vals: Mapping[str, Any]) -> bool:
        return _write(self, vals)

    def read(self: BaseModel, fields: Sequence[str] | None = None) -> list[dict[str, Any]]:
        return _read(self, list(fields or _FIELDS[model]))

    def unlink(self: BaseModel) -> bool:
        rows = _existing(self)
        self.env.cr.execute(
            f'DELETE FROM "{_table(model)}" WHERE id IN (SELECT value FROM json_each(?))',
            (json.dumps(list(rows)),),
        )
        return True

    def web_read(self: BaseModel, specification: Mapping[str, Any]) -> list[dict[str, Any]]:
        return _read(self, list(specification))

    def web_save(
        self: BaseModel,
        vals: Mapping[str, Any],
        specification: Mapping[str, Any],
        next_id: int | None = None,
    ) -> list[dict[str, Any]]:
        if self.ids:
            _write(self, vals)
            ids = self.ids
        else:
            ids = [_create(self.env, model, vals)]
        if next_id:
            ids = [next_id]
        return _read(self.browse(ids), list(specification))

    method(model, "create", api="model")(create)
    method(model, "write")(write)
    method(model, "read")(read)
    method(model, "unlink")(unlink)
    method(model, "web_read")(web_read)
    method(model, "web_save")(web_save)


virtual_model(DESCRIPTION)
virtual_model(IDENTITY_CHECK)
_register_crud(DESCRIPTION)
_register_crud(IDENTITY_CHECK)


# ------------------------------------------------------------------------------ flow


@method(DESCRIPTION, "make_key")
def make_key(self: BaseModel) -> dict[str, Any]:
    """Ask for the password first (``@check_identity``): returns the identity-check wizard."""
    _existing(self)
    context = {k: v for k, v in self.env.context.items() if _jsonable(v)}
    request = json.dumps([context, self._name, self.ids, "make_key", [], {}])
    check_id = _create(self.env, IDENTITY_CHECK, {"request": request, "auth_method": "password"})
    return {
        "type": "ir.actions.act_window",
        "res_model": IDENTITY_CHECK,
        "res_id": check_id,
        "name": "Security Control",
        "target": "new",
        "views": [[False, "form"]],
    }


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


@method(IDENTITY_CHECK, "run_check")
def run_check(self: BaseModel) -> Any:
    """Check the password typed in the wizard, then run the method that asked for it."""
    from .. import security

    rows = _existing(self)
    self.ensure_one()
    row = rows[int(self.id)]
    login_row = self.env.cr.execute(
        "SELECT login FROM res_users WHERE id = ?", (row["create_uid"],)
    ).fetchone()
    try:
        if login_row is None or not row["password"]:
            raise AccessDenied()
        security.authenticate(
            self.env.db, str(login_row[0]), str(row["password"]), interactive=True
        )
    except AccessDenied:
        raise UserError(INCORRECT_PASSWORD) from None
    finally:
        _write(self, {"password": False})
    _context, model, ids, method_name, _args, _kwargs = json.loads(row["request"])
    if model != DESCRIPTION or method_name != "make_key":
        raise UserError(f"Unsupported identity-checked method {model}.{method_name}")
    return _make_key_now(BaseModel(self.env, DESCRIPTION, tuple(ids)))


def _make_key_now(descriptions: BaseModel) -> dict[str, Any]:
    rows = _existing(descriptions)
    descriptions.ensure_one()
    row = rows[int(descriptions.id)]
    key = generate_key(descriptions.env, str(row["name"] or ""), _expiration(descriptions.env, row))
    descriptions.env.cr.execute(
        "DELETE FROM res_users_apikeys_description WHERE id = ?", (int(descriptions.id),)
    )
    return {
        "type": "ir.actions.act_window",
        "res_model": "res.users.apikeys.show",
        "name": "API Key Ready",
        "views": [[False, "form"]],
        "target": "new",
        "context": {"default_key": key},
    }


def _expiration(env: Env, row: Mapping[str, Any]) -> str | None:
    duration = str(row.get("duration") or "0")
    if duration == "0":
        if not _is_admin(env):
            raise UserError("You cannot create a persistent API key.")
        return None
    if duration == "-1":
        return str(row["expiration_date"]) if row.get("expiration_date") else None
    return (env.now + dt.timedelta(days=int(duration))).strftime("%Y-%m-%d %H:%M:%S")


# ------------------------------------------------------------------------------ keys


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_key(
    env: Env, name: str, expiration: str | None = None, scope: str | None = None
) -> str:
    """``res.users.apikeys._generate``: store a new key of the current user, return it."""
    _ensure(env.db, APIKEYS)
    key = secrets.token_hex(20)
    env.cr.execute(
        "INSERT INTO res_users_apikeys (id, name, user_id, scope, expiration_date, key_index, "
        "key_hash, create_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            env.db.next_id(APIKEYS),
            name,
            env.uid,
            scope,
            expiration,
            key[:8],
            _hash(key),
            env.now_string,
        ),
    )
    return key


def key_owner(db: Database, key: str, now: dt.datetime | None = None) -> int | None:
    """The user of an API key minted in this database (not expired), or None."""
    if not key or not isinstance(key, str):
        return None
    exists = db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'res_users_apikeys'"
    ).fetchone()
    if exists is None:
        return None
    moment = (now or dt.datetime.now(dt.UTC).replace(tzinfo=None)).strftime("%Y-%m-%d %H:%M:%S")
    row = db.conn.execute(
        "SELECT k.user_id FROM res_users_apikeys k JOIN res_users u ON u.id = k.user_id "
        "WHERE k.key_index = ? AND k.key_hash = ? AND u.active = 1 "
        "AND (k.expiration_date IS NULL OR k.expiration_date >= ?)",
        (key[:8], _hash(key), moment),
    ).fetchone()
    return int(row[0]) if row else None


def mint_key(env: Env, name: str, password: str) -> str:
    """The whole wizard flow in one call (for tests and scripts); returns the key."""
    description = _create(env, DESCRIPTION, {"name": name, "duration": "0"})
    action = make_key(BaseModel(env, DESCRIPTION, (description,)))
    check = BaseModel(env, IDENTITY_CHECK, (int(action["res_id"]),))
    _write(check, {"password": password})
    result = run_check(check)
    return str(result["context"]["default_key"])
