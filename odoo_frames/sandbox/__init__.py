"""A local Odoo-compatible server on SQLite, with demo data or the reference dataset.

It answers XML-RPC, JSON-RPC, the web session routes and (19.0) JSON-2 exactly like a
real Odoo 17.0/18.0/19.0 does, from one background thread of your process.

Example::

    import odoo_frames as of

    with of.sandbox.start(scale=10_000) as box:     # Odoo 18.0, database "demo"
        odoo = box.connect()                        # admin / admin
        odoo["res.partner"].to_pandas()

    box = of.sandbox.start("19.0", data="odoo-reference/dataset.json")   # + server.json
    box.url, box.db, box.api_key                    # for other clients (curl, odoorpc...)
    box.reset()                                     # back to the data as loaded
    box.stop()

From a shell: ``python -m odoo_frames.sandbox --port 8069`` or ``odoo-frames sandbox``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from .app import SandboxApp
from .server import BackgroundServer
from .versions import DEFAULT_VERSION, VersionProfile, profile

if TYPE_CHECKING:
    from ..client import Client
    from .service import Service

__all__ = ["DEFAULT_SCALE", "Sandbox", "load_data", "start"]

#: Size of the demo data (partners; the other models scale with it) when nothing is given.
DEFAULT_SCALE = 1000


class Sandbox:
    """A running sandbox: where it listens and how to log in.

    ``password`` and ``api_key`` are attributes (it is a local test server) but never
    part of ``repr()``.
    """

    def __init__(
        self,
        service: Service,
        server_info: dict[str, Any],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        quiet: bool = True,
    ) -> None:
        self._service = service
        self._server_info = server_info
        admin = _admin_user(server_info)
        self.db: str = str(server_info["database"])
        self.login: str = str(admin["login"])
        self.password: str = str(admin["password"])
        self.api_key: str | None = admin.get("api_key")
        self.version: str = service.profile.series
        self.app = SandboxApp(service)
        self._http = BackgroundServer(self.app, host, port, quiet=quiet)
        self._http.start()
        self.url: str = self._http.url
        self._running = True

    def __repr__(self) -> str:
        state = "" if self._running else ", stopped"
        return (
            f"Sandbox(url={self.url!r}, db={self.db!r}, login={self.login!r}, "
            f"version={self.version!r}{state})"
        )

    def _repr_html_(self) -> str:
        # Notebook display: what repr() shows, escaped; never the password or API key.
        import html

        shown = [
            ("url", self.url),
            ("database", self.db),
            ("login", self.login),
            ("Odoo", self.version),
            ("state", "running" if self._running else "stopped"),
        ]
        rows = "".join(
            f"<tr><th style='text-align:left'>{name}</th><td>{html.escape(str(value))}</td></tr>"
            for name, value in shown
        )
        return f"<div><strong>Sandbox</strong><table>{rows}</table></div>"

    @property
    def profile(self) -> VersionProfile:
        return self._service.profile

    @property
    def users(self) -> list[tuple[str, str]]:
        """``(login, password)`` of every user of the loaded data."""
        return [(str(u["login"]), str(u.get("password", ""))) for u in self._server_info["users"]]

    @property
    def api_keys(self) -> dict[str, str]:
        """``{login: API key}`` of the users that have one (admin, and demo in demo data)."""
        return {
            str(u["login"]): str(u["api_key"])
            for u in self._server_info["users"]
            if u.get("api_key")
        }

    def connect(self, **kwargs: Any) -> Client:
        """``odoo_frames.connect()`` to this sandbox as admin (keyword arguments override)."""
        from .. import connect

        settings: dict[str, Any] = {
            "url": self.url,
            "db": self.db,
            "user": self.login,
            "password": self.password,
        }
        settings.update(kwargs)
        return connect(**settings)

    def reset(self) -> None:
        """Restore the records as they were loaded (web sessions stay valid)."""
        reset = getattr(self._service, "reset", None)
        if reset is None:
            raise TypeError(f"{type(self._service).__name__} cannot reset its data")
        reset()

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._running:
            self._running = False
            self._http.stop()
            close = getattr(self._service, "close", None)
            if close is not None:
                close()

    def banner(self) -> str:
        """What ``odoo-frames sandbox`` prints: URL, database, logins and API key."""
        return banner(self._server_info, self.version, self.url)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()


def banner(server_info: dict[str, Any], version: str, url: str) -> str:
    """The lines ``odoo-frames sandbox`` prints: URL, database, logins and API key."""
    admin = _admin_user(server_info)
    users = [(str(u["login"]), str(u.get("password", ""))) for u in server_info["users"]]
    lines = [
        f"Odoo {version} sandbox (odoo_frames)",
        f"  URL:       {url}",
        f"  database:  {server_info['database']}",
        "  logins:    " + ", ".join(f"{login} / {pw}" for login, pw in users),
    ]
    if admin.get("api_key"):
        lines.append(f"  API key:   {admin['api_key']} (user {admin['login']})")
    return "\n".join(lines)


def _admin_user(server_info: dict[str, Any]) -> dict[str, Any]:
    users = server_info["users"]
    for user in users:
        if user.get("login") == "admin":
            return dict(user)
    return dict(users[0])


def start(
    version: str | int | float = DEFAULT_VERSION,
    scale: int | None = None,
    data: str | os.PathLike[str] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    seed: int = 0,
    quiet: bool = True,
) -> Sandbox:
    """Start a sandbox in a background thread and return its handle.

    ``data``: a ``dataset.json`` in the reference format, loaded with the
    ``server.json`` next to it (database name, users, API keys). Otherwise demo data of
    ``scale`` partners (default 1000) made by a seeded generator: database ``demo``,
    users ``admin``/``admin`` (with an API key) and ``demo``/``demo``.
    ``port=0`` picks a free port; the server listens on ``host`` (127.0.0.1).
    """
    version_profile = profile(version)
    from .core import SandboxCore  # the ORM loads only when a sandbox starts

    dataset, server_info = load_data(scale, data, seed)
    core = SandboxCore.from_dataset(dataset, server_info, version_profile)
    return Sandbox(core, server_info, host=host, port=port, quiet=quiet)


def load_data(
    scale: int | None, data: str | os.PathLike[str] | None, seed: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dataset and ``server.json`` a sandbox starts with (see :func:`start`).

    ``data``: a ``dataset.json`` and the ``server.json`` beside it; otherwise demo data of
    ``scale`` partners (default 1000), whose server info holds the users, passwords and
    API key the generator made.
    """
    if data is not None:
        if scale is not None:
            raise ValueError("give either scale= (demo data) or data= (a dataset.json), not both")
        dataset_path = Path(data)
        dataset = orjson.loads(dataset_path.read_bytes())
        server_info = orjson.loads((dataset_path.parent / "server.json").read_bytes())
        return dataset, server_info
    from . import demo

    return demo.generate(DEFAULT_SCALE if scale is None else scale, seed=seed)
