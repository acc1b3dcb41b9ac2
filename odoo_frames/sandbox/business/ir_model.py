"""A read-only ``ir.model``: one record per model of the sandbox, as client libraries expect.

Clients look models up there before using them: OdooRPC's ``"res.partner" in odoo.env``
searches ``[('model', '=', 'res.partner')]``, Odooly reads ``search_read([], ['model',
'transient'])`` and ``fields_get()`` the first time ``env[<model>]`` is used.

The sandbox's ``ir.model`` is a *virtual* model (no schema, no dataset): each call fills a
TEMP table ``ir_model`` (the 24 models of the schema, the API-key wizards and ``ir.model``
itself) and runs the generic ORM methods (search, read, name_search, read_group, ...) on an
environment whose registry knows the model, so domains, orders and errors behave exactly
as for any other model. Fields: ``name`` (the model's description), ``model``, ``order``
(``_order``), ``state`` ("base"), ``transient``, ``count`` (records in the table, archived
included), ``inherited_model_ids`` (``_inherits`` parents), ``abstract`` (19.0 only) and the
usual ``display_name`` / ``create_uid`` / ``write_uid``. Ids are the rank of the model name
(the ids of a real database depend on its installation history).

Writing is refused: a non-administrator gets Odoo's access error (``ir.model`` is read-only
for internal users), the administrator a UserError saying the sandbox's models are fixed.

Example::

    >>> env["ir.model"].search_read([("model", "=", "res.partner")], ["name", "transient"])
    [{'id': 17, 'name': 'Contact', 'transient': False}]
"""

from __future__ import annotations

import dataclasses
import functools
import weakref
from collections.abc import Callable
from typing import Any

from .. import security
from ..exceptions import UserError
from ..orm import (
    HOOKS,
    VIRTUAL_MODELS,
    BaseModel,
    Env,
    PublicMethod,
    compute,
    method,
    virtual_model,
)
from ..registry import ModelSpec, Registry
from ..storage import SQL_TYPES, storage_fields
from .apikeys import DESCRIPTION, IDENTITY_CHECK

IR_MODEL = "ir.model"

#: Models outside the schema: (description, transient, _order).
VIRTUAL_MODEL_INFO: dict[str, tuple[str, bool, str]] = {
    IR_MODEL: ("Models", False, "model"),
    DESCRIPTION: ("API Key Description", True, "id"),
    IDENTITY_CHECK: ("Password Check Wizard", True, "id"),
}

#: ``_inherits`` of the sandbox's models (delegation parents).
INHERITS: dict[str, tuple[str, ...]] = {
    "res.users": ("res.partner",),
    "product.product": ("product.template",),
}

#: Generic ORM methods ``ir.model`` answers (everything that only reads).
READ_METHODS = (
    "search",
    "search_count",
    "search_read",
    "read",
    "exists",
    "name_search",
    "fields_get",
    "check_access_rights",
    "check_access",
    "has_access",
    "read_group",
    "formatted_read_group",
    "web_read_group",
    "web_search_read",
    "web_read",
)

#: Methods that would change ``ir.model``: refused.
WRITE_METHODS = {
    "create": "create",
    "name_create": "create",
    "write": "write",
    "web_save": "write",
    "unlink": "unlink",
    "copy": "create",
}


def _common(string: str, ftype: str, **extra: Any) -> dict[str, Any]:
    descriptor = {
        "company_dependent": False,
        "default_export_compatible": False,
        "groupable": True,
        "readonly": False,
        "required": False,
        "searchable": True,
        "sortable": True,
        "store": True,
        "string": string,
        "type": ftype,
    }
    descriptor.update(extra)
    return descriptor


def _computed(string: str, ftype: str, **extra: Any) -> dict[str, Any]:
    return _common(
        string,
        ftype,
        groupable=False,
        readonly=True,
        searchable=False,
        sortable=False,
        store=False,
        **extra,
    )


def _schema(with_abstract: bool) -> dict[str, Any]:
    """``ir.model`` in the format of ``schema.json`` (Odoo 18's field declarations)."""
    fields: dict[str, Any] = {
        "id": _common("ID", "integer", readonly=True),
        "display_name": _common(
            "Display Name",
            "char",
            groupable=False,
            readonly=True,
            sortable=False,
            store=False,
            translate=False,
        ),
        "name": _common("Model Description", "char", required=True, translate=True),
        "model": _common("Model", "char", required=True, translate=False),
        "order": _common(
            "Order",
            "char",
            required=True,
            translate=False,
            help='SQL expression for ordering records in the model; e.g. "x_sequence asc, id desc"',
        ),
        "inherited_model_ids": _computed(
            "Inherited models",
            "many2many",
            relation=IR_MODEL,
            help="The list of models that extends the current model.",
        ),
        "state": _common(
            "Type",
            "selection",
            readonly=True,
            selection=[["manual", "Custom Object"], ["base", "Base Object"]],
        ),
        "transient": _common("Transient Model", "boolean"),
        "count": _computed(
            "Count (Incl. Archived)", "integer", help="Total number of records in this model"
        ),
    }
    if with_abstract:
        fields["abstract"] = _common("Abstract Model", "boolean")
    return {
        IR_MODEL: {
            "order": "model",
            "rec_name": "name",
            "rec_names_search": ["name", "model"],
            "fields": fields,
        }
    }


@functools.cache
def _ir_model_spec(with_abstract: bool) -> ModelSpec:
    spec = Registry.from_schema(_schema(with_abstract))[IR_MODEL]
    return dataclasses.replace(spec, description=VIRTUAL_MODEL_INFO[IR_MODEL][0])


#: (id of the base registry, 19.0 or later) -> (weak reference to it, extended registry)
_EXTENDED: dict[tuple[int, bool], tuple[weakref.ref[Registry], Registry]] = {}


def extended_registry(base: Registry, with_abstract: bool) -> Registry:
    """``base`` plus the ``ir.model`` spec (cached per base registry)."""
    key = (id(base), with_abstract)
    cached = _EXTENDED.get(key)
    if cached is not None and cached[0]() is base:
        return cached[1]
    registry = Registry({**dict(base), IR_MODEL: _ir_model_spec(with_abstract)})
    _EXTENDED[key] = (weakref.ref(base), registry)
    return registry


def _model_names(base: Registry) -> list[str]:
    return sorted(set(base) | set(VIRTUAL_MODEL_INFO) | (VIRTUAL_MODELS - {IR_MODEL}))


def model_ids(base: Registry) -> dict[str, int]:
    """``{model name: ir.model id}``: ids are ranks of the names (``_order`` is ``model``)."""
    return {name: index for index, name in enumerate(_model_names(base), start=1)}


def _table_count(env: Env, table: str) -> int:
    exists = env.cr.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    if exists is None:
        return 0
    return int(env.cr.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


def _refresh(env: Env, spec: ModelSpec) -> None:
    """(Re)fill the TEMP table ``ir_model`` for this call."""
    base = env.db.registry
    columns = storage_fields(spec)
    definitions = ["id INTEGER PRIMARY KEY"] + [
        f'"{f.name}" {SQL_TYPES.get(f.type, "")}'.rstrip() for f in columns
    ]
    names = [f.name for f in columns]
    env.cr.execute("DROP TABLE IF EXISTS temp.ir_model")
    env.cr.execute(f"CREATE TEMP TABLE ir_model ({', '.join(definitions)})")
    ids = model_ids(base)
    rows = []
    for name, rid in ids.items():
        if name in base:
            model_spec = base[name]
            description, transient, order = model_spec.description, False, model_spec.order
            count = _table_count(env, model_spec.table)
        else:
            description, transient, order = VIRTUAL_MODEL_INFO.get(name, (name, False, "id"))
            count = len(ids) if name == IR_MODEL else _table_count(env, name.replace(".", "_"))
        values = {
            "name": description,
            "display_name": description,
            "model": name,
            "order": order,
            "state": "base",
            "transient": int(transient),
            "count": count,
            "abstract": 0,
            "create_uid": 1,
            "write_uid": 1,
        }
        rows.append([rid, *(values.get(n) for n in names)])
    placeholders = ", ".join("?" for _ in range(len(names) + 1))
    quoted = ", ".join(f'"{n}"' for n in names)
    env.cr.executemany(f"INSERT INTO temp.ir_model (id, {quoted}) VALUES ({placeholders})", rows)


def ir_model_records(records: BaseModel) -> BaseModel:
    """``records`` (of the virtual ``ir.model``) in an environment whose registry has it."""
    env = records.env
    registry = extended_registry(env.db.registry, env.profile.major >= 19)
    _refresh(env, registry[IR_MODEL])
    extended = env()
    extended.registry = registry
    return BaseModel(extended, IR_MODEL, records.ids_tuple)


@compute(IR_MODEL, ["inherited_model_ids"])
def _compute_inherited_models(records: BaseModel) -> dict[int, dict[str, Any]]:
    ids = model_ids(records.env.db.registry)
    names = {rid: name for name, rid in ids.items()}
    return {
        rid: {
            "inherited_model_ids": [
                ids[p] for p in INHERITS.get(names.get(rid, ""), ()) if p in ids
            ]
        }
        for rid in records.ids
    }


def _generic(entry: PublicMethod) -> Callable[..., Any]:
    @functools.wraps(entry.func)
    def call(self: BaseModel, *args: Any, **kwargs: Any) -> Any:
        return entry.func(ir_model_records(self), *args, **kwargs)

    return call


def _refusal(name: str, operation: str) -> Callable[..., Any]:
    def refuse(self: BaseModel, *args: Any, **kwargs: Any) -> Any:
        records = ir_model_records(self)
        security.check_model_access(records.env, IR_MODEL, operation)
        raise UserError(
            "The sandbox's ir.model is read-only: its records describe the sandbox's models."
        )

    refuse.__name__ = name
    return refuse


def _register() -> None:
    virtual_model(IR_MODEL)
    for name in READ_METHODS:
        for entry in list(HOOKS.methods.get(("*", name), ())):
            method(IR_MODEL, name, api=entry.api, since=entry.since, until=entry.until)(
                _generic(entry)
            )
    for name, operation in WRITE_METHODS.items():
        api = "model" if name in ("create", "name_create") else "multi"
        method(IR_MODEL, name, api=api)(_refusal(name, operation))


_register()
