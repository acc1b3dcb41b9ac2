"""The web client's routes and its sessions: ``/web/session/*``, ``/web/dataset/call_kw``,
``/web/webclient/version_info``, ``/web/database/list``, as Odoo 18 answers them.

Sessions live in memory (:class:`SessionStore`), or, when worker processes share the
sandbox (``--workers``), in a SQLite file (:class:`FileSessionStore`, same interface) so
that any worker knows a session another one opened. The ``session_id`` cookie is set like
Odoo does it: ``session_id=<sid>; Expires=<now + 1 year>; Max-Age=604800; HttpOnly;
Path=/`` whenever a session was modified or the client's cookie does not name it (a
fresh client calling ``/web/webclient/version_info`` gets one), never on an error.

The sandbox behaves like the recorded server, which listed several databases without a
``dbfilter``: a request without a session that knows its database is served by the
"no database" routes only, so ``/web/dataset/call_kw`` without a (valid) cookie is an
HTML ``404 Not Found``; a session that has a database but no user (after
``/web/session/logout``) gets the JSON-RPC error 100 "Odoo Session Expired".

Example (what a client does)::

    POST /web/session/authenticate {"jsonrpc": "2.0", "params": {"db": "demo",
         "login": "admin", "password": "admin"}}           -> session info + cookie
    POST /web/dataset/call_kw/res.partner/search_count {"jsonrpc": "2.0", "params":
         {"model": "res.partner", "method": "search_count", "args": [[]], "kwargs": {}}}
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from werkzeug.http import dump_cookie
from werkzeug.utils import redirect as werkzeug_redirect
from werkzeug.wrappers import Response

from .exceptions import NotFound

if TYPE_CHECKING:
    from .app import Call

__all__ = [
    "SESSION_LIFETIME",
    "DataSet",
    "DatabaseList",
    "FileSessionStore",
    "Session",
    "SessionStore",
    "WebClient",
    "WebSession",
    "call_kw_pre_dispatch",
    "cids_cookie",
    "local_redirect",
    "session_cookie",
]

#: Odoo's default ``sessions.max_inactivity_seconds``: the cookie's Max-Age, 7 days.
SESSION_LIFETIME = 60 * 60 * 24 * 7
#: Odoo's ``Response.set_cookie`` puts ``Expires`` one year ahead unless told otherwise.
COOKIE_EXPIRES = datetime.timedelta(days=365)

_SID_PATTERN = re.compile(r"[A-Za-z0-9_-]{84}")


def _new_sid() -> str:
    return secrets.token_urlsafe(63)  # 84 url-safe characters


@dataclasses.dataclass
class WebSession:
    """What Odoo keeps in a web session that the sandbox needs."""

    sid: str
    db: str | None = None
    uid: int | None = None
    login: str | None = None
    #: changed during this request: save it and (re)send the cookie.
    is_dirty: bool = False
    #: give it a new sid at the end of this request (login, logout).
    should_rotate: bool = False

    def touch(self) -> None:
        self.is_dirty = True

    def log_in(self, db: str, uid: int, login: str) -> None:
        self.db, self.uid, self.login = db, uid, login
        self.is_dirty = self.should_rotate = True

    def logout(self, *, keep_db: bool) -> None:
        if not keep_db:
            self.db = None
        self.uid = self.login = None
        self.is_dirty = self.should_rotate = True


class SessionStore:
    """Web sessions in memory, thread-safe; a session unused for ``max_inactivity``
    seconds is forgotten (as Odoo's session garbage collector does)."""

    def __init__(
        self,
        max_inactivity: float = SESSION_LIFETIME,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_inactivity = max_inactivity
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple[WebSession, float]] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

    def get(self, sid: str | None) -> WebSession:
        """The session a cookie names: each request works on its own copy.

        No or a malformed sid gives a new session; a well-formed unknown sid (expired,
        destroyed) gives an empty session that keeps this sid, as Odoo does.
        """
        if not sid or not _SID_PATTERN.fullmatch(sid):
            return WebSession(sid=_new_sid())
        now = self._clock()
        with self._lock:
            entry = self._sessions.get(sid)
            if entry is not None and now - entry[1] > self.max_inactivity:
                del self._sessions[sid]
                entry = None
            if entry is None:
                return WebSession(sid=sid)
            self._sessions[sid] = (entry[0], now)
            return dataclasses.replace(entry[0])

    def save(self, session: WebSession) -> None:
        stored = dataclasses.replace(session, is_dirty=False, should_rotate=False)
        now = self._clock()
        with self._lock:
            self._sessions[session.sid] = (stored, now)
            expired = [
                sid for sid, (_, seen) in self._sessions.items() if now - seen > self.max_inactivity
            ]
            for sid in expired:
                del self._sessions[sid]

    def delete(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)

    def rotate(self, session: WebSession) -> None:
        """Give the session a new sid (the old one stops working) and save it."""
        self.delete(session.sid)
        session.sid = _new_sid()
        session.should_rotate = False
        self.save(session)

    def commit(self, session: WebSession, cookie_sid: str | None) -> bool:
        """End of a successful request: save; True when the cookie must be (re)sent."""
        if session.should_rotate:
            self.rotate(session)
        elif session.is_dirty:
            self.save(session)
        return session.is_dirty or cookie_sid != session.sid

    def clear(self) -> None:
        with self._lock:
            self._sessions.clear()


class FileSessionStore(SessionStore):
    """Web sessions in a SQLite file, for worker processes that must all see them.

    Each process opens its own connection on first use (a connection never crosses a
    ``fork``). The last use of a session is written at most every
    :attr:`touch_interval` seconds, not on every request.
    """

    #: how stale the recorded last use may get before a request rewrites it (seconds)
    touch_interval = 60.0

    def __init__(
        self,
        path: str | os.PathLike[str],
        max_inactivity: float = SESSION_LIFETIME,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(max_inactivity, clock)
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    @property
    def conn(self) -> sqlite3.Connection:
        """This process's connection to the sessions file (created with its table)."""
        if self._conn is None or self._pid != os.getpid():
            # after a fork the parent's connection object is left alone, never used
            from .storage import connect_file

            self._conn = connect_file(self.path)
            self._pid = os.getpid()
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS web_session (sid TEXT PRIMARY KEY, db TEXT, "
                "uid INTEGER, login TEXT, seen REAL NOT NULL)"
            )
        return self._conn

    def close(self) -> None:
        """Close this process's connection (before forking workers, for one)."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM web_session").fetchone()[0])

    def get(self, sid: str | None) -> WebSession:
        if not sid or not _SID_PATTERN.fullmatch(sid):
            return WebSession(sid=_new_sid())
        now = self._clock()
        row = self.conn.execute(
            "SELECT db, uid, login, seen FROM web_session WHERE sid = ?", (sid,)
        ).fetchone()
        if row is not None and now - row[3] > self.max_inactivity:
            self.delete(sid)
            row = None
        if row is None:
            return WebSession(sid=sid)
        if now - row[3] > self.touch_interval:
            self.conn.execute("UPDATE web_session SET seen = ? WHERE sid = ?", (now, sid))
        return WebSession(sid=sid, db=row[0], uid=row[1], login=row[2])

    def save(self, session: WebSession) -> None:
        now = self._clock()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")  # one transaction: this session, forget expired ones
        try:
            conn.execute(
                "INSERT OR REPLACE INTO web_session (sid, db, uid, login, seen) "
                "VALUES (?, ?, ?, ?, ?)",
                (session.sid, session.db, session.uid, session.login, now),
            )
            conn.execute("DELETE FROM web_session WHERE seen < ?", (now - self.max_inactivity,))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def delete(self, sid: str) -> None:
        self.conn.execute("DELETE FROM web_session WHERE sid = ?", (sid,))

    def clear(self) -> None:
        self.conn.execute("DELETE FROM web_session")


def session_cookie(sid: str) -> str:
    """``Set-Cookie`` value of the session cookie (attributes as recorded from Odoo 18)."""
    expires = datetime.datetime.now(datetime.UTC) + COOKIE_EXPIRES
    return dump_cookie(
        "session_id", sid, max_age=SESSION_LIFETIME, expires=expires, httponly=True, path="/"
    )


def cids_cookie() -> str:
    """``Set-Cookie`` that clears the web client's company selection on logout."""
    expires = datetime.datetime.now(datetime.UTC) + COOKIE_EXPIRES
    return dump_cookie("cids", "", max_age=0, expires=expires, path="/")


def local_redirect(location: str, code: int = 303) -> Response:
    """Odoo's ``request.redirect(location, local=True)``: scheme and host are dropped."""
    parts = urlsplit(location)
    local = "/" + urlunsplit(("", "", parts.path, parts.query, parts.fragment)).lstrip("/\\")
    return werkzeug_redirect(local, code)


def call_kw_pre_dispatch(call: Call) -> None:
    """What Odoo 18 does for ``call_kw`` before authenticating and parsing the envelope.

    It looks at ``params.model``/``params.method`` to choose a read-only cursor, so a
    broken body fails *there*, with ``"id": null`` (e.g. a JSONDecodeError, or
    ``NotFound`` for a missing model name), and not as ``400 Invalid JSON data``.
    """
    params = call.json_payload()["params"]
    try:
        _ = params["model"]
    except KeyError:
        raise NotFound() from None
    _ = params["method"]  # KeyError when missing, as in Odoo


class Session:
    """Controller of ``/web/session/*`` (Odoo's class is ``Session`` too)."""

    def __init__(self, call: Call) -> None:
        self.call = call

    def get_session_info(self) -> dict[str, Any]:
        call = self.call
        call.session.touch()
        assert call.db is not None and call.uid is not None  # auth='user'
        return call.service.session_info(call.db, call.uid)

    def authenticate(
        self, db: Any, login: Any, password: Any, base_location: Any = None
    ) -> dict[str, Any]:
        call = self.call
        uid = call.service.authenticate(db, login, password, interactive=True)
        call.session.log_in(db, uid, login)
        if call.db is None:
            # A request without database has no environment to refresh the session
            # token: Odoo rotates right here and sets the cookie (then once more at the
            # end of the request: two identical Set-Cookie headers, as recorded).
            call.sessions.rotate(call.session)
            call.add_cookie(session_cookie(call.session.sid))
        return call.service.session_info(db, uid)

    def check(self) -> None:
        return None  # authentication already did the job

    def destroy(self) -> None:
        self.call.session.logout(keep_db=False)
        self.call.add_cookie(cids_cookie())

    def logout(self, redirect: str | None = None) -> Response:
        call = self.call
        call.session.logout(keep_db=True)
        if call.db is not None:
            call.add_cookie(cids_cookie())
        return local_redirect(call.profile.logout_redirect if redirect is None else redirect)


class DataSet:
    """Controller of ``/web/dataset/call_kw[/<path>]``."""

    def __init__(self, call: Call) -> None:
        self.call = call

    def call_kw(
        self, model: Any, method: Any, args: Any, kwargs: Any, path: str | None = None
    ) -> Any:
        call = self.call
        assert call.db is not None and call.uid is not None  # auth='user'
        try:
            return call.service.call_kw(call.db, call.uid, model, method, args, kwargs)
        except NotFound:
            # Odoo finds out about an unknown model before it reads the envelope's id.
            call.request_id = None
            raise


class DatabaseList:
    """Controller of ``/web/database/list``: the databases (``list_db`` on, no dbfilter)."""

    def __init__(self, call: Call) -> None:
        self.call = call

    def list(self) -> list[str]:
        return self.call.service.list_databases()


class WebClient:
    """Controller of ``/web/webclient/version_info``."""

    def __init__(self, call: Call) -> None:
        self.call = call

    def version_info(self) -> Any:
        return self.call.service.dispatch_rpc("common", "version", [])
