"""The one small interface every wire protocol implements, and what they share.

A :class:`Transport` knows how to ask a server for its version and databases, how to
log in, and how to ``call(model, method, args, kwargs)`` an ORM method. It raises the
classes of :mod:`odoo_frames.errors` (mapped by :mod:`.faults`) and nothing else.
Retries, caching and contexts are the client's business, not the transport's.

Example::

    transport = JsonRpcTransport(HttpPool("http://127.0.0.1:8069"))
    transport.version()                                   # ServerVersion('18.0')
    transport.login("ref", "admin", Secret("admin"))      # Login(uid=2, ...)
    transport.call("res.partner", "search_count", [[]], {})
"""

from __future__ import annotations

import itertools
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import requests

from .._secrets import Secret
from ..errors import AuthenticationError, MethodNotFound, ProtocolError, ServerError
from .faults import from_jsonrpc_error
from .http import Body, HttpPool
from .wire import decode_json, encode_json

log = logging.getLogger("odoo_frames.transport")

__all__ = [
    "Capabilities",
    "Login",
    "ServerVersion",
    "Transport",
    "jsonrpc_call",
    "jsonrpc_envelope",
]


@dataclass(frozen=True, order=False)
class ServerVersion:
    """What ``common.version()`` / ``/web/version`` say: ``"18.0"``, ``(18, 0, 0, ...)``."""

    version: str
    info: tuple[Any, ...]

    @classmethod
    def from_payload(cls, payload: Any) -> ServerVersion:
        """From ``common.version()`` (``server_version``...) or ``/web/version``."""
        if not isinstance(payload, Mapping):
            raise ValueError(f"not a version answer: {payload!r}")
        info = payload.get("server_version_info", payload.get("version_info"))
        version = payload.get("server_version", payload.get("version"))
        if not isinstance(info, list | tuple) or not info:
            raise ValueError(f"not a version answer: {payload!r}")
        if not isinstance(version, str):
            version = ".".join(str(p) for p in info[:2])
        return cls(version=version, info=tuple(info))

    @property
    def major(self) -> int:
        """18 for "18.0", also for SaaS builds ("saas~18" -> 18)."""
        return _number(self.info[0])

    @property
    def minor(self) -> int:
        return _number(self.info[1]) if len(self.info) > 1 else 0

    @property
    def series(self) -> str:
        return f"{self.major}.{self.minor}"

    def at_least(self, major: int, minor: int = 0) -> bool:
        return (self.major, self.minor) >= (major, minor)

    def __str__(self) -> str:
        return self.version


def _number(part: Any) -> int:
    if isinstance(part, int):
        return part
    digits = re.search(r"\d+", str(part))
    return int(digits.group(0)) if digits else 0


@dataclass(frozen=True)
class Capabilities:
    """What this server version can do, for the layers above (groupby, schema, fetch)."""

    #: ``/json/2/<model>/<method>`` answers (19.0+).
    json2: bool
    #: ``formatted_read_group`` exists (19.0+); otherwise use ``read_group``.
    formatted_read_group: bool
    #: ``read_group`` is callable (deprecated but present in 19).
    read_group: bool
    #: Domains accept ``any`` / ``not any`` (17.0+).
    any_operator: bool
    #: fields_get key of the default aggregate: ``group_operator`` (<17.2) or ``aggregator``.
    aggregator_key: str
    #: name_search's domain parameter: ``args`` (<19) or ``domain``.
    name_search_domain_arg: str
    #: default_get's parameter: ``fields_list`` (<19) or ``fields``.
    default_get_arg: str

    @classmethod
    def for_version(cls, version: ServerVersion, *, json2: bool | None = None) -> Capabilities:
        v19 = version.at_least(19)
        return cls(
            json2=v19 if json2 is None else json2,
            formatted_read_group=v19,
            read_group=True,
            any_operator=version.at_least(17),
            aggregator_key="aggregator" if version.at_least(17, 2) else "group_operator",
            name_search_domain_arg="domain" if version.at_least(19) else "args",
            default_get_arg="fields" if v19 else "fields_list",
        )


@dataclass(frozen=True)
class Login:
    """The result of logging in."""

    db: str
    uid: int
    #: The user's context as the server sees it: ``lang``, ``tz``...
    user_context: Mapping[str, Any] = field(default_factory=dict)
    #: The user's display name, when the protocol tells it.
    name: str | None = None


class Transport(ABC):
    """One wire protocol. Subclasses: xmlrpc, jsonrpc, web, json2."""

    #: The protocol name shown as ``client.protocol``.
    name: ClassVar[str]

    def __init__(self, http: HttpPool, *, secrets: Iterable[Secret] = ()) -> None:
        self.http = http
        #: Every secret of the connection, masked in the texts of errors.
        self.secrets: tuple[Secret, ...] = tuple(secrets)
        self.session: Login | None = None
        self._secret: Secret | None = None

    def __repr__(self) -> str:
        who = f" db={self.session.db!r} uid={self.session.uid}" if self.session else ""
        return f"<{type(self).__name__} {self.http.base_url}{who}>"

    @abstractmethod
    def version(self) -> ServerVersion:
        """The server version, without logging in."""

    @abstractmethod
    def list_databases(self) -> list[str]:
        """The databases the server lists (AuthenticationError if it does not list them)."""

    @abstractmethod
    def login(self, db: str, user: str | None, secret: Secret) -> Login:
        """Check the credentials; later calls run as this user on this database."""

    @abstractmethod
    def call(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """Call a public ORM method; ``kwargs['context']``, if any, is the whole context."""

    def close(self) -> None:
        self.http.close()

    def _user_context(self, uid: int) -> dict[str, Any]:
        """The user's context (lang, tz...): ``res.users.context_get``, else read the user."""
        try:
            context = self.call("res.users", "context_get", [], {})
        except MethodNotFound:
            # Servers without context_get (test servers): the user record says the same.
            try:
                rows = self.call("res.users", "read", [[uid], ["lang", "tz"]], {})
            except ServerError as error:
                log.warning("cannot read the language and timezone of uid %d: %s", uid, error)
                return {}
            context = {k: v for k, v in (rows[0] if rows else {}).items() if k in ("lang", "tz")}
        return dict(context) if isinstance(context, Mapping) else {}

    def _open_session(self, db: str, uid: Any, secret: Secret) -> Login:
        """Log in as ``uid``, the answer of ``common.authenticate`` (False: refused).

        The session exists before the user's context is read: that read runs as the user.
        """
        if not uid:
            raise AuthenticationError(
                "Access Denied", remote_type="odoo.exceptions.AccessDenied", protocol=self.name
            )
        self.session = Login(db=db, uid=int(uid))
        self._secret = secret
        self.session = Login(db=db, uid=int(uid), user_context=self._user_context(int(uid)))
        return self.session

    def _logged_in(self) -> tuple[Login, Secret]:
        """The session and its secret; RuntimeError before login()."""
        if self.session is None or self._secret is None:
            raise RuntimeError(f"{type(self).__name__}: call login() first")
        return self.session, self._secret


# --- JSON-RPC envelope, shared by /jsonrpc, the web routes and version probes --------------

_request_ids = itertools.count(1)


def jsonrpc_envelope(params: Mapping[str, Any]) -> Body:
    """The POST body ``{"jsonrpc": "2.0", "method": "call", "params": ..., "id": n}``."""
    return Body(
        encode_json(
            {"jsonrpc": "2.0", "method": "call", "params": params, "id": next(_request_ids)}
        )
    )


def jsonrpc_call(
    http: HttpPool,
    path: str,
    body: Body,
    *,
    protocol: str,
    headers: Mapping[str, str] | None = None,
    model: str | None = None,
    method: str | None = None,
    secrets: Iterable[Secret] = (),
) -> tuple[Any, requests.Response]:
    """POST a JSON-RPC body; the ``result`` (None when absent) and the response.

    Raises the mapped :class:`RemoteError` for an ``error`` member, ProtocolError for a
    non-JSON or non-200 answer (``status_code`` tells which).
    """
    response = http.post(path, body, content_type="application/json", headers=headers)
    payload = decode_response(response, http.url(path), expect="JSON-RPC")
    if not isinstance(payload, dict) or ("error" not in payload and "jsonrpc" not in payload):
        raise ProtocolError(
            f"{http.url(path)} did not answer a JSON-RPC envelope: {describe_response(response)}",
            url=http.url(path),
            status_code=response.status_code,
        )
    if "error" in payload:
        raise from_jsonrpc_error(
            payload["error"], protocol=protocol, model=model, method=method, secrets=secrets
        )
    # Odoo omits "result" when the method returned None.
    return payload.get("result"), response


def decode_response(response: requests.Response, url: str, *, expect: str) -> Any:
    """The JSON body of a 200 answer; ProtocolError naming the status and content otherwise."""
    if response.status_code != 200:
        raise ProtocolError(
            f"{url} answered HTTP {response.status_code} instead of {expect}: "
            f"{describe_response(response)}",
            url=url,
            status_code=response.status_code,
        )
    try:
        return decode_json(response.content)
    except ValueError:
        raise ProtocolError(
            f"{url} did not answer JSON ({expect} expected): {describe_response(response)}",
            url=url,
            status_code=response.status_code,
        ) from None


def describe_response(response: requests.Response) -> str:
    kind = response.headers.get("Content-Type", "no content type")
    text = response.content[:200].decode("utf-8", "replace")
    text = re.sub(r"<[^>]+>", " ", text)  # HTML error pages: keep the words
    text = " ".join(text.split())
    return f"{kind}, {text!r}" if text else kind
