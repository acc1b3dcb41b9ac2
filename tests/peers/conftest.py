"""A small demo-data sandbox per test module, and the credentials the peer clients use.

Each test module gets its own sandbox (``start(scale=SCALE)``, version from the module's
``SANDBOX_VERSION``, default 18.0) on a free port of 127.0.0.1, so the libraries'
caches, sessions and the records they create never leak between modules.

Tests listed in ``known_failures.txt`` (``<module>::<test>[<param>]  # reason``) run as
``xfail(strict=True)``: what the sandbox lacks today, kept honest until it is fixed.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

#: Records per model in the demo data: enough for groups and pages, fast to generate.
SCALE = int(os.environ.get("ODOO_FRAMES_PEERS_SCALE", "200"))

KNOWN_FAILURES = Path(__file__).with_name("known_failures.txt")

#: What the demo data is documented to contain when the sandbox does not say otherwise.
DEFAULT_USERS = {
    "admin": {"login": "admin", "password": "admin"},
    "demo": {"login": "demo", "password": "demo"},
}

_names = itertools.count(1)


@dataclass(frozen=True)
class User:
    login: str
    password: str
    uid: int | None = None
    api_key: str | None = None


@dataclass(frozen=True)
class Server:
    """Where a peer client connects: the sandbox handle reduced to plain values."""

    url: str
    host: str
    port: int
    db: str
    version: str
    admin: User
    demo: User


def _users(box: Any) -> dict[str, User]:
    """Users as the sandbox handle tells them: ``box.users`` ((login, password) pairs or
    dicts), ``box.api_key`` for admin; documented demo defaults otherwise."""
    users = {
        login: User(login=login, password=info["password"]) for login, info in DEFAULT_USERS.items()
    }
    for entry in getattr(box, "users", None) or []:
        if isinstance(entry, dict):
            login, password = entry["login"], entry.get("password", "")
            api_key = entry.get("api_key")
        else:
            login, password, api_key = entry[0], entry[1], None
        users[login] = User(login=login, password=password, api_key=api_key)
    api_key = getattr(box, "api_key", None)
    if api_key and users["admin"].api_key is None:
        admin = users["admin"]
        users["admin"] = User(admin.login, admin.password, admin.uid, str(api_key))
    return users


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    from odoo_frames.sandbox import start

    version = getattr(request.module, "SANDBOX_VERSION", "18.0")
    box = start(version=version, scale=SCALE)
    try:
        parts = urlsplit(box.url)
        assert parts.hostname == "127.0.0.1", box.url
        users = _users(box)
        yield Server(
            url=box.url.rstrip("/"),
            host=parts.hostname,
            port=int(parts.port or 80),
            db=box.db,
            version=version,
            admin=users["admin"],
            demo=users["demo"],
        )
    finally:
        box.stop()


def unique_name(prefix: str = "Peer test") -> str:
    """A partner name no demo record has, so the test finds exactly its own records."""
    return f"{prefix} {os.getpid()}-{next(_names)}"


def _known_failures() -> dict[str, str]:
    if not KNOWN_FAILURES.exists():
        return {}
    known = {}
    for line in KNOWN_FAILURES.read_text(encoding="utf-8").splitlines():
        entry, _, reason = line.partition("#")
        if entry.strip():
            known[entry.strip()] = reason.strip() or "known failure"
    return known


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    known = _known_failures()
    for item in items:
        key = item.nodeid.replace("\\", "/").rsplit("tests/peers/", 1)[-1]
        if key in known:
            item.add_marker(pytest.mark.xfail(strict=True, reason=known[key]))
