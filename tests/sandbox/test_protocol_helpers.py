"""A small fake of the sandbox's ``Service`` and helpers to serve it over real HTTP.

The protocol tests (``test_protocol_*.py``) check the wire formats against this fake,
so they do not depend on the ORM; ``test_protocol_start.py`` runs the real core.
The fake raises exactly what the real core raises for the same request (classes of
``odoo_frames.sandbox.exceptions`` and builtins), with the recorded messages.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from typing import Any

import requests

from odoo_frames.sandbox.app import SandboxApp
from odoo_frames.sandbox.exceptions import (
    AccessDenied,
    AccessError,
    MissingError,
    NotFound,
    OperationalError,
    UnprocessableEntity,
    UserError,
)
from odoo_frames.sandbox.server import BackgroundServer
from odoo_frames.sandbox.versions import VersionProfile, profile
from odoo_frames.sandbox.web import SessionStore

DB = "ref"
API_KEY = "5e3d5d4901f42bb465d4a618f2de967b6b0687a8"
USERS = {"admin": (2, "admin"), "demo": (6, "demo")}
PARTNERS = [
    {"id": 1, "name": "Deco Addict", "email": "deco@example.com"},
    {"id": 2, "name": "Azure\x01Interior", "email": False},
    {"id": 3, "name": "Wood Corner", "email": "wood@example.com"},
]


def exp_login(db: str, login: str, password: str) -> Any:
    """Named like Odoo's function, so a missing argument reads like Odoo's TypeError."""
    return exp_authenticate(db, login, password, None)


def exp_authenticate(db: str, login: str, password: str, user_agent_env: Any) -> Any:
    if db != DB:
        raise OperationalError(f'database "{db}" does not exist\n')
    if not password:
        raise AssertionError("scope and key required")
    uid, secret = USERS.get(login, (None, None))
    if uid is not None and (password == secret or (login == "admin" and password == API_KEY)):
        return uid
    return False


class FakeService:
    """Answers a handful of requests the way the real core does."""

    def __init__(self, version: str = "18.0", rows: int = 0) -> None:
        self.profile: VersionProfile = profile(version)
        #: search_read on "big.model" returns this many rows (performance tests)
        self.rows = rows
        self.calls: list[tuple[Any, ...]] = []

    # --- Service protocol ---------------------------------------------------------
    def list_databases(self) -> list[str]:
        return [DB]

    def dispatch_rpc(self, service: str, method: str, params: list[Any]) -> Any:
        functions = {
            "common": {
                "version": self._version,
                "login": exp_login,
                "authenticate": exp_authenticate,
            },
            "db": {"server_version": lambda: self.profile.server_version},
            "object": {"execute_kw": self._execute_kw},
        }[service]
        if method not in functions:
            raise Exception(f"Method not found: {method}")
        return functions[method](*params)

    def authenticate(self, db: str, login: str, password: str, *, interactive: bool) -> int:
        if interactive and password == API_KEY:
            raise AccessDenied()
        uid = exp_authenticate(db, login, password, {})
        if not uid:
            raise AccessDenied()
        return int(uid)

    def check_api_key(self, db: str, key: str) -> int | None:
        return 2 if key == API_KEY else None

    def call_kw(
        self, db: str, uid: int, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        if model not in ("res.partner", "big.model"):
            raise NotFound()
        return self._call(uid, model, method, args, kwargs)

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
        self.calls.append(("call_named", uid, model, method, ids, params, context))
        if model not in ("res.partner", "big.model"):
            raise NotFound(f"the model {model!r} does not exist")
        if method == "search":
            if "domain" not in params:
                raise UnprocessableEntity("missing a required argument: 'domain'")
            return [row["id"] for row in PARTNERS]
        if method == "create":
            if ids:
                raise UnprocessableEntity(f"cannot call {model}.{method} with ids")
            return [4]
        return self._call(uid, model, method, [ids or [], *params.values()], {})

    def session_info(self, db: str, uid: int) -> dict[str, Any]:
        name = {2: "Mitchell Admin", 6: "Marc Demo"}[uid]
        return {"uid": uid, "db": db, "name": name, "user_context": {"uid": uid}}

    def method_doc(self, db: str, uid: int, model: str) -> dict[str, Any]:
        if model != "res.partner":
            raise NotFound()
        return {"model": model, "name": "Contact", "fields": {}, "methods": {}}

    # --- the fake's object service --------------------------------------------------
    def _version(self) -> dict[str, Any]:
        return {
            "server_version": self.profile.server_version,
            "server_version_info": list(self.profile.version_info),
            "server_serie": self.profile.series,
            "protocol_version": 1,
        }

    def _execute_kw(
        self,
        db: str,
        uid: int,
        password: str,
        model: str,
        method: str,
        args: list[Any],
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        login = {2: "admin", 6: "demo"}.get(int(uid))
        if login is None or exp_authenticate(db, login, password, None) != uid:
            raise AccessDenied()
        if model not in ("res.partner", "big.model"):
            raise UserError(f"Object {model} doesn't exist")
        return self._call(uid, model, method, args, kwargs or {})

    def _call(
        self, uid: int, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        self.calls.append((uid, model, method, args, kwargs))
        if method == "search_count":
            return len(PARTNERS)
        if method == "read":
            ids = args[0]
            return [dict(row) for row in PARTNERS if row["id"] in ids]
        if method == "search_read" and model == "big.model":
            return [
                {"id": i, "name": f"Record {i}", "amount": i * 1.5, "partner_id": [3, "Wood"]}
                for i in range(1, self.rows + 1)
            ]
        if method == "dates":
            return [datetime.datetime(2026, 11, 27, 13, 20, 44), datetime.date(2026, 11, 27)]
        if method == "check_access_rights":
            return None
        if method == "write":
            if uid == 6:
                raise AccessError("You are not allowed to modify 'Contact' (res.partner) records.")
            if any(i not in (1, 2, 3) for i in args[0]):
                raise MissingError("Record does not exist or has been deleted.")
            return True
        if method == "unlink":
            raise ValueError("Invalid field 'x' on model 'res.partner'")
        raise AttributeError(f"The method '{model}.{method}' does not exist")


@contextlib.contextmanager
def serve(
    service: FakeService | None = None, *, sessions: SessionStore | None = None
) -> Iterator[str]:
    """Serve ``service`` (default: a FakeService for 18.0) on a free port; yield its URL."""
    app = SandboxApp(service or FakeService(), sessions=sessions)
    with BackgroundServer(app, port=0) as server:
        yield server.url


def web_login(url: str, login: str = "admin", password: str = "admin") -> requests.Session:
    """An HTTP client holding a web session (like the recorder's cookie jar)."""
    http = requests.Session()
    response = http.post(
        f"{url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "method": "call", "params": {"db": DB, "login": login,
              "password": password}, "id": 1},
    )  # fmt: skip
    assert response.json()["result"]["uid"] == USERS[login][0]
    return http


def test_the_fake_answers_version_like_odoo() -> None:
    assert FakeService().dispatch_rpc("common", "version", [])["server_serie"] == "18.0"


def test_the_fake_refuses_a_wrong_password() -> None:
    assert FakeService().dispatch_rpc("common", "login", [DB, "admin", "nope"]) is False
