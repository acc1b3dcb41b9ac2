"""``SandboxCore``: the ORM side of the sandbox behind :class:`.service.Service`.

The wire protocols decode a request and call one of these methods; everything about
*meaning* happens here, as in Odoo's ``odoo/service`` package: the ``common``, ``db``
and ``object`` services of ``dispatch_rpc``, ``execute_kw``'s argument handling (ids
from ``args[0]`` for record methods, ``context`` replacing the context, ``create``
returning an id or a list, recordsets becoming id lists), method visibility, the web
client's ``call_kw``, JSON-2's named arguments (19.0), the session info.

One call is one transaction: anything raised rolls back what the call did (ids consumed
stay consumed). Calls are serialised by the database lock. On a database file shared by
worker processes (``--workers``), calls of read-only methods (:data:`READONLY_METHODS`,
Odoo's ``@api.readonly`` ones) run in read transactions, concurrently with everything;
the others take the write lock first. A call whose lock could not be had
(:class:`.exceptions.SerializationFailure`) is run again from scratch, like Odoo's
``retrying``: at most :data:`MAX_TRIES_ON_CONCURRENCY_FAILURE` times, then the error goes
to the client as PostgreSQL's ``SerializationFailure``.

Example::

    >>> core = SandboxCore.from_reference()                 # ../shared/odoo-reference
    >>> core.dispatch_rpc("common", "authenticate", ["ref", "admin", "admin", {}])
    2
    >>> core.dispatch_rpc("object", "execute_kw",
    ...     ["ref", 2, "admin", "res.partner", "search_read", [[["id", "=", 10]]], {"fields": ["name"]}])
    [{'id': 10, 'name': 'Deco Addict'}]
    >>> core.reset()                                        # back to the loaded data
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import random
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from . import security
from .exceptions import (
    AccessDenied,
    AccessError,
    NotFound,
    OperationalError,
    SerializationFailure,
    UnprocessableEntity,
    UserError,
)
from .orm import BaseModel, Env, PublicMethod, find_method
from .registry import Registry
from .storage import Database
from .versions import VersionProfile
from .versions import profile as get_profile

__all__ = ["MAX_TRIES_ON_CONCURRENCY_FAILURE", "READONLY_METHODS", "SandboxCore"]

Clock = Callable[[], dt.datetime]
T = TypeVar("T")

#: Odoo's ``odoo.service.model.MAX_TRIES_ON_CONCURRENCY_FAILURE``.
MAX_TRIES_ON_CONCURRENCY_FAILURE = 5

#: Methods that only read: their calls start as read transactions (Odoo runs them on a
#: read-only cursor). Should one write after all, its call is replayed as a writer,
#: as Odoo replays a call that wrote on a read-only cursor.
READONLY_METHODS = frozenset(
    {
        "check_access",
        "check_access_rights",
        "check_access_rule",
        "context_get",
        "default_get",
        "exists",
        "fields_get",
        "formatted_read_group",
        "get_views",
        "has_access",
        "name_get",
        "name_search",
        "read",
        "read_group",
        "search",
        "search_count",
        "search_fetch",
        "search_read",
        "web_read",
        "web_read_group",
        "web_search_read",
    }
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _load_business() -> None:
    """Import the business package so its hooks register (once)."""
    import importlib

    importlib.import_module("odoo_frames.sandbox.read_group")  # registers read_group & co
    try:
        importlib.import_module("odoo_frames.sandbox.business")
    except ModuleNotFoundError as exc:  # pragma: no cover - only while the package is written
        if exc.name != "odoo_frames.sandbox.business":
            raise


class SandboxCore:
    """The sandbox's :class:`.service.Service`: databases, authentication, ORM dispatch."""

    def __init__(
        self,
        databases: Mapping[str, Database],
        profile: VersionProfile | str = "18.0",
        *,
        clock: Clock | None = None,
    ) -> None:
        _load_business()
        self.profile = get_profile(profile) if isinstance(profile, str) else profile
        self.databases: dict[str, Database] = dict(databases)
        self.clock: Clock = clock or _utc_now

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_dataset(
        cls,
        dataset: Mapping[str, Any],
        server: Mapping[str, Any],
        profile: VersionProfile | str = "18.0",
        *,
        clock: Clock | None = None,
    ) -> SandboxCore:
        """One database loaded from the reference format (``dataset.json`` + ``server.json``)."""
        db = Database.from_dataset(dataset, server, Registry.load())
        return cls({db.name: db}, profile, clock=clock)

    @classmethod
    def from_demo(
        cls, scale: int, profile: VersionProfile | str = "18.0", seed: int = 0
    ) -> SandboxCore:
        """A database of generated demo data (``demo.generate(scale, seed=seed)``)."""
        from . import demo

        dataset, server = demo.generate(scale, seed=seed)
        return cls.from_dataset(dataset, server, profile)

    @classmethod
    def from_reference(
        cls, directory: str | Path | None = None, profile: VersionProfile | str = "18.0"
    ) -> SandboxCore:
        """The recorded reference database (``dataset.json``/``server.json`` of ``directory``)."""
        base = (
            Path(directory)
            if directory
            else Path(__file__).resolve().parents[3] / ("shared/odoo-reference")
        )
        dataset = json.loads((base / "dataset.json").read_text("utf-8"))
        server = json.loads((base / "server.json").read_text("utf-8"))
        return cls.from_dataset(dataset, server, profile)

    def reset(self) -> None:
        """Restore every database to its loaded state."""
        for db in self.databases.values():
            db.reset()

    def list_databases(self) -> list[str]:
        return sorted(self.databases)

    @property
    def server(self) -> dict[str, Any]:
        """``server.json`` of the first database (users, passwords, API keys)."""
        first = self.databases[self.list_databases()[0]]
        return first.server

    def close(self) -> None:
        for db in self.databases.values():
            db.close()

    # ------------------------------------------------------------------------ helpers

    def database(self, name: Any) -> Database:
        """The database ``name``, or PostgreSQL's connection error as Odoo reports it."""
        db = self.databases.get(name) if isinstance(name, str) else None
        if db is None:
            raise OperationalError(
                'connection to server at "127.0.0.1", port 5432 failed: FATAL:  '
                f'database "{name}" does not exist\n'
            )
        return db

    def env(
        self,
        db: str | Database,
        uid: int,
        context: Mapping[str, Any] | None = None,
        su: bool = False,
    ) -> Env:
        """An environment on ``db`` (for tests and in-process use)."""
        database = db if isinstance(db, Database) else self.database(db)
        return Env(database, uid, context, su=su, profile=self.profile, now=self.clock())

    # ------------------------------------------------------------------ authentication

    def authenticate(self, db: str, login: str, password: str, *, interactive: bool) -> int:
        database = self.database(db)
        with database.transaction(readonly=True):
            return security.authenticate(database, login, password, interactive=interactive)

    def check_api_key(self, db: str, key: str) -> int | None:
        database = self.database(db)
        with database.transaction(readonly=True):
            return security.api_key_owner(database, key)

    # -------------------------------------------------------------------- dispatch_rpc

    def dispatch_rpc(self, service: str, method: str, params: list[Any]) -> Any:
        if service == "common":
            return self._dispatch_common(method, list(params))
        if service == "db":
            return self._dispatch_db(method, list(params))
        if service == "object":
            return self._dispatch_object(method, list(params))
        raise KeyError(service)

    def _dispatch_common(self, method: str, params: list[Any]) -> Any:
        functions: dict[str, Callable[..., Any]] = {
            "version": self._exp_version(),
            "about": self._exp_about(),
            "login": self._exp_login(),
            "authenticate": self._exp_authenticate(),
        }
        fn = functions.get(method)
        if fn is None:
            raise Exception(f"Method not found: {method}")
        return fn(*params)

    def version_info(self) -> dict[str, Any]:
        return {
            "server_version": self.profile.server_version,
            "server_version_info": list(self.profile.version_info),
            "server_serie": self.profile.series,
            "protocol_version": 1,
        }

    def _exp_version(self) -> Callable[..., Any]:
        def exp_version() -> dict[str, Any]:
            return self.version_info()

        exp_version.__qualname__ = "exp_version"
        return exp_version

    def _exp_about(self) -> Callable[..., Any]:
        def exp_about(extended: bool = False) -> Any:
            info = "See http://openerp.com"
            if extended:
                return [info, self.profile.server_version]
            return info

        exp_about.__qualname__ = "exp_about"
        return exp_about

    def _exp_authenticate(self) -> Callable[..., Any]:
        def exp_authenticate(db: Any, login: Any, password: Any, user_agent_env: Any) -> Any:
            database = self.database(db)
            try:
                with database.transaction(readonly=True):
                    return security.authenticate(database, login, password, interactive=False)
            except AccessDenied:
                return False

        exp_authenticate.__qualname__ = "exp_authenticate"
        return exp_authenticate

    def _exp_login(self) -> Callable[..., Any]:
        authenticate = self._exp_authenticate()

        def exp_login(db: Any, login: Any, password: Any) -> Any:
            return authenticate(db, login, password, None)

        exp_login.__qualname__ = "exp_login"
        return exp_login

    def _dispatch_db(self, method: str, params: list[Any]) -> Any:
        def exp_db_exist(db_name: Any) -> bool:
            return db_name in self.databases

        def exp_list(document: bool = False) -> list[str]:
            return self.list_databases()

        def exp_list_lang() -> list[list[str]]:
            return [["en_US", "English (US)"]]

        def exp_server_version() -> str:
            return self.profile.server_version

        for fn in (exp_db_exist, exp_list, exp_list_lang, exp_server_version):
            fn.__qualname__ = fn.__name__
        public: dict[str, Callable[..., Any]] = {
            "db_exist": exp_db_exist,
            "list": exp_list,
            "list_lang": exp_list_lang,
            "server_version": exp_server_version,
        }
        if method in public:
            return public[method](*params)
        protected = {
            "create_database",
            "duplicate_database",
            "drop",
            "dump",
            "restore",
            "rename",
            "change_admin_password",
            "migrate_databases",
            "list_countries",
        }
        if method in protected:
            # The master password is not known to the sandbox: check_super() refuses.
            raise AccessDenied()
        raise KeyError(f"Method not found: {method}")

    def _dispatch_object(self, method: str, params: list[Any]) -> Any:
        db_name, uid, password = params[0], int(params[1]), params[2]
        database = self.database(db_name)
        with database.transaction(readonly=True):
            security.check_credentials(database, uid, password)
        if method == "execute":

            def execute(db: Database, uid: int, obj: str, method: str, *args: Any) -> Any:
                return self._execute(db, uid, obj, method, *args)

            return execute(database, uid, *params[3:])
        if method == "execute_kw":
            return self._execute_kw()(database, uid, *params[3:])
        raise NameError(f"Method not available {method}")

    def _execute_kw(self) -> Callable[..., Any]:
        def execute_kw(
            db: Database, uid: int, obj: str, method: str, args: Any, kw: Any = None
        ) -> Any:
            return self._execute(db, uid, obj, method, *args, **(kw or {}))

        execute_kw.__qualname__ = "execute_kw"
        return execute_kw

    def _execute(self, db: Database, uid: int, obj: str, method: str, *args: Any, **kw: Any) -> Any:
        self._check_method_name(obj, method)

        def execute() -> Any:
            env = Env(db, uid, {}, profile=self.profile, now=self.clock())
            if obj not in env:
                raise UserError(f"Object {obj} doesn't exist")
            # execute(*args) hands call_kw a tuple: args[0] of nothing is "tuple index out of range"
            return self._call_kw(env, obj, method, tuple(args), kw)

        return self._retrying(db, method, execute)

    @staticmethod
    def _retrying(db: Database, method: Any, call: Callable[[], T]) -> T:
        """Run ``call`` in one transaction; again on a lock conflict (Odoo's ``retrying``).

        Only a database file shared by worker processes ever conflicts: in memory, the
        database lock serialises the calls and this is one plain transaction.
        """
        readonly = isinstance(method, str) and method in READONLY_METHODS
        for attempt in range(1, MAX_TRIES_ON_CONCURRENCY_FAILURE + 1):
            try:
                with db.transaction(readonly=readonly):
                    return call()
            except SerializationFailure:
                if attempt == MAX_TRIES_ON_CONCURRENCY_FAILURE:
                    raise
                if not readonly:
                    # Odoo sleeps random.uniform(0, 2 ** try) s; SQLite already waited
                    # busy_timeout for the lock, so a short pause is enough here.
                    time.sleep(random.uniform(0, 0.05 * 2**attempt))
                readonly = False  # a reader that wrote: replay it as a writer
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ method calls

    def _check_method_name(self, model: str, name: str) -> None:
        """Private names are refused before anything else (17/18 ``check_method_name``)."""
        if not isinstance(name, str):
            raise TypeError(f"method name must be a string, not {type(name).__name__}")
        if name.startswith("_") or name == "init":
            if self.profile.major >= 19:
                raise AccessError(
                    f"Private methods (such as '{model}.{name}') cannot be called remotely."
                )
            raise AccessError(f"Private methods (such as {name}) cannot be called remotely.")

    def _public_method(self, model: str, name: str) -> PublicMethod:
        entry = find_method(model, name, self.profile.major)
        if entry is None:
            if self.profile.major >= 19:
                raise AttributeError(f"The method '{model}.{name}' does not exist")
            raise AttributeError(f"The method '{name}' does not exist on the model '{model}'")
        return entry

    def _call_kw(
        self, env: Env, model: str, name: str, args: Any, kwargs: Mapping[str, Any]
    ) -> Any:
        """Odoo's ``call_kw``: ids from ``args[0]`` for record methods, context replaced."""
        entry = self._public_method(model, name)
        kwargs = dict(kwargs)
        context = kwargs.pop("context", None)
        records = env(context=dict(context or {}))[model]
        if entry.api == "multi":
            ids, args = args[0], args[1:]
            records = records.browse(ids)
        result = entry.func(records, *args, **kwargs)
        if name == "create" and entry.api == "model" and isinstance(result, BaseModel):
            return result.id if isinstance(args[0], Mapping) else result.ids
        return self._downgrade(name, result)

    def _downgrade(self, name: str, result: Any) -> Any:
        if isinstance(result, BaseModel):
            if name == "copy" and not self.profile.copy_returns_list:
                return result.id
            return result.ids
        return result

    def call_kw(
        self, db: str, uid: int, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        database = self.database(db)

        def call() -> Any:
            env = Env(database, uid, {}, profile=self.profile, now=self.clock())
            if model not in env:
                raise NotFound()
            self._check_method_name(model, method)
            # the web route passes the JSON list as is ("list index out of range")
            return self._call_kw(env, model, method, list(args), kwargs)

        return self._retrying(database, method, call)

    def call_named(
        self,
        db: str,
        uid: int,
        model: str,
        method: str,
        ids: list[int] | None,
        params: dict[str, Any],
        context: dict[str, Any],
    ) -> Any:
        database = self.database(db)

        def call() -> Any:
            env = Env(database, uid, dict(context or {}), profile=self.profile, now=self.clock())
            if model not in env:
                raise NotFound(f"the model '{model}' does not exist")
            if method.startswith("_") or method == "init":
                raise AccessError(
                    f"Private methods (such as '{model}.{method}') cannot be called remotely."
                )
            entry = find_method(model, method, self.profile.major)
            if entry is None:
                raise NotFound(f"The method '{model}.{method}' does not exist")
            if entry.api == "model" and ids:
                raise UnprocessableEntity(f"cannot call {model}.{method} with ids")
            try:
                bound = entry.signature.bind(**params)
            except TypeError as exc:
                raise UnprocessableEntity(str(exc)) from None
            records = env[model]
            if entry.api == "multi":
                records = records.browse(list(ids or []))
            result = entry.func(records, *bound.args, **bound.kwargs)
            if isinstance(result, BaseModel):
                return result.ids
            return result

        return self._retrying(database, method, call)

    # ------------------------------------------------------------------ session info

    def session_info(self, db: str, uid: int) -> dict[str, Any]:
        database = self.database(db)
        with database.transaction(readonly=True):
            return _session_info(self, database, uid)

    def method_doc(self, db: str, uid: int, model: str) -> dict[str, Any]:
        database = self.database(db)
        with database.transaction(readonly=True):
            env = Env(database, uid, {}, profile=self.profile, now=self.clock())
            if model not in env:
                raise NotFound(f"the model '{model}' does not exist")
            from .orm import HOOKS, VIRTUAL_MODELS

            if model in env.registry:
                description = env.registry[model].description
                fields = env[model].fields_get()
            else:  # a virtual model (ir.model, the API-key wizards)
                from .business.ir_model import VIRTUAL_MODEL_INFO

                description = VIRTUAL_MODEL_INFO.get(model, (model,))[0]
                fields_get = find_method(model, "fields_get", self.profile.major)
                fields = fields_get.func(env[model]) if fields_get is not None else {}
            methods: dict[str, Any] = {}
            owners = (model,) if model in VIRTUAL_MODELS else ("*", model)
            names = sorted({name for (m, name) in HOOKS.methods if m in owners})
            for name in names:
                entry = find_method(model, name, self.profile.major)
                if entry is None:
                    continue
                methods[name] = _method_description(entry, model)
            return {
                "model": model,
                "name": description,
                "doc": None,
                "fields": fields,
                "methods": methods,
            }


def _method_description(entry: PublicMethod, model: str) -> dict[str, Any]:
    sig = entry.signature
    parameters: dict[str, Any] = {}
    for param in sig.parameters.values():
        info: dict[str, Any] = {"kind": param.kind.name.lower()}
        if param.default is not inspect.Parameter.empty:
            try:
                json.dumps(param.default)
                info["default"] = param.default
            except TypeError:
                info["default"] = repr(param.default)
        parameters[param.name] = info
    doc = inspect.getdoc(entry.func)
    api = ["model"] if entry.api == "model" else []
    return {
        "signature": f"{sig}",
        "parameters": parameters,
        "doc": doc,
        "api": api,
        "model": model,
        "module": "base",
    }


_VIEW_INFO = {
    "list": {"display_name": "List", "icon": "oi oi-view-list", "multi_record": True},
    "form": {"display_name": "Form", "icon": "fa fa-address-card", "multi_record": False},
    "graph": {"display_name": "Graph", "icon": "fa fa-area-chart", "multi_record": True},
    "pivot": {"display_name": "Pivot", "icon": "oi oi-view-pivot", "multi_record": True},
    "calendar": {"display_name": "Calendar", "icon": "fa fa-calendar", "multi_record": True},
    "kanban": {"display_name": "Kanban", "icon": "oi oi-view-kanban", "multi_record": True},
    "search": {"display_name": "Search", "icon": "oi oi-search", "multi_record": True},
    "activity": {"display_name": "Activity", "icon": "fa fa-clock-o", "multi_record": True},
}


def _user_settings(database: Database, uid: int) -> dict[str, Any]:
    uids = sorted(int(u["uid"]) for u in security.server_users(database))
    settings_id = uids.index(uid) + 1 if uid in uids else uid
    return {
        "id": settings_id,
        "user_id": {"id": uid},
        "is_discuss_sidebar_category_channel_open": True,
        "is_discuss_sidebar_category_chat_open": True,
        "push_to_talk_key": False,
        "use_push_to_talk": False,
        "voice_active_duration": 200,
        "channel_notifications": False,
        "mute_until_dt": False,
        "volumes": [["ADD", []]],
    }


def _session_info(core: SandboxCore, database: Database, uid: int) -> dict[str, Any]:
    """``ir.http.session_info()`` of Odoo 18 for ``uid``, built from the database."""
    env = Env(database, uid, {}, su=True, profile=core.profile, now=core.clock())
    user = (
        env["res.users"]
        .browse([uid])
        .raw(
            [
                "name",
                "login",
                "partner_id",
                "company_id",
                "company_ids",
                "share",
                "notification_type",
            ]
        )[uid]
    )
    entry = security.user_entry(database, uid) or {}
    partner_id = user["partner_id"]
    partner = (
        env["res.partner"].browse([partner_id]).raw(["write_date", "display_name"])[partner_id]
    )
    admin = security.is_admin(database, uid)
    lang = entry.get("lang") or "en_US"
    tz = entry.get("tz") or False
    companies = (
        env["res.company"]
        .browse(user["company_ids"])
        .raw(["name", "sequence", "child_ids", "parent_id"])
    )
    allowed = {
        str(cid): {
            "id": cid,
            "name": vals["name"],
            "sequence": vals["sequence"],
            "child_ids": vals["child_ids"],
            "parent_id": vals["parent_id"],
        }
        for cid, vals in sorted(
            companies.items(), key=lambda item: (item[1]["sequence"], item[1]["name"]), reverse=True
        )
    }
    currencies = {}
    for cid, vals in (
        env["res.currency"]
        .search([("active", "=", True)])
        .raw(["symbol", "position", "decimal_places"])
        .items()
    ):
        currencies[str(cid)] = {
            "symbol": vals["symbol"],
            "position": vals["position"],
            "digits": [69, vals["decimal_places"]],
        }
    odoobot = env["res.partner"].browse([2]).raw(["write_date", "email", "name", "active"]).get(2)
    settings = _user_settings(database, uid)
    store_partners: list[dict[str, Any]] = []
    if odoobot is not None:
        store_partners.append(
            {
                "active": odoobot["active"],
                "email": odoobot["email"],
                "id": 2,
                "im_status": "bot",
                "isInternalUser": True,
                "is_company": False,
                "name": odoobot["name"],
                "userId": 1,
                "write_date": odoobot["write_date"],
            }
        )
    store_partners.append(
        {
            "active": True,
            "id": partner_id,
            "isAdmin": admin,
            "isInternalUser": not user["share"],
            "name": user["name"],
            "notification_preference": user["notification_type"],
            "userId": uid,
            "write_date": partner["write_date"],
        }
    )
    info: dict[str, Any] = {
        "uid": uid,
        "is_system": admin,
        "is_admin": admin,
        "is_public": False,
        "is_internal_user": not user["share"],
        "user_context": {"lang": lang, "tz": tz, "uid": uid},
        "db": database.name,
        "user_settings": settings,
        "server_version": core.profile.server_version,
        "server_version_info": list(core.profile.version_info),
        "support_url": "https://www.odoo.com/buy",
        "name": user["name"],
        "username": user["login"],
        "partner_write_date": partner["write_date"],
        "partner_display_name": partner["display_name"],
        "partner_id": partner_id,
        "web.base.url": "http://127.0.0.1:8069",
        "active_ids_limit": 20000,
        "profile_session": None,
        "profile_collectors": None,
        "profile_params": None,
        "max_file_upload_size": 134217728,
        "home_action_id": False,
        "cache_hashes": {"translations": "0" * 40, "load_menus": "0" * 64},
        "currencies": currencies,
        "bundle_params": {"lang": lang},
        "test_mode": False,
        "view_info": _VIEW_INFO,
        "user_companies": {
            "current_company": user["company_id"],
            "allowed_companies": allowed,
            "disallowed_ancestor_companies": {},
        },
        "show_effect": True,
        "display_switch_company_menu": len(allowed) > 1,
        "max_time_between_keys_in_ms": 150,
        "websocket_worker_version": f"{core.profile.series}-2",
        "tour_enabled": False,
        "current_tour": None,
        "storeData": {
            "Store": {
                "action_discuss_id": 126,
                "channel_types_with_seen_infos": ["chat", "group"],
                "hasGifPickerFeature": False,
                "hasLinkPreviewFeature": True,
                "hasMessageTranslationFeature": False,
                "internalUserGroupId": 1,
                "mt_comment_id": 1,
                "odoobot": {"id": 2, "type": "partner"},
                "self": {"id": partner_id, "type": "partner"},
                "settings": settings,
            },
            "res.partner": store_partners,
        },
        "odoobot_initialized": False,
    }
    if admin:
        info["iap_company_enrich"] = True
    info["can_insert_in_spreadsheet"] = False
    return info
