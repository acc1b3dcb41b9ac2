"""Odoo 19's JSON-2 API: ``POST /json/2/<model>/<method>`` with a bearer API key.

JSON-2 only takes named arguments: the body is ``{"ids": [...], "context": {...},
<parameter>: <value>, ...}``. The client's ``call(model, method, *args, **kwargs)``
keeps the positional style of the other protocols, so positional arguments are mapped
to the Python parameter names of each ORM method for the server's version
(:func:`named_arguments`). For other methods, a first positional argument is the record
ids (as Odoo itself does for non-``@api.model`` methods) and the rest must be named.

``create`` answers a list of ids here even for one dict; it is normalised to the
single id the other protocols return.

Example::

    transport = Json2Transport(HttpPool("http://127.0.0.1:8069"))
    transport.login("ref", None, Secret("5e3d5d49..."))
    transport.call("res.partner", "search_read", [[("is_company", "=", True)], ["name"]], {})
    # POST /json/2/res.partner/search_read {"domain": [...], "fields": ["name"], "context": {}}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .._secrets import MaskedText, Secret
from ..errors import ArgumentError, MethodNotFound, ProtocolError
from .base import Login, ServerVersion, Transport, decode_response, describe_response
from .faults import from_json2_error
from .http import Body
from .wire import decode_json, encode_json

__all__ = ["Json2Transport", "named_arguments"]

#: Parameter names after ``self`` (and the record ids) of the common ORM methods, 19.0.
_PARAMETERS: Final[dict[str, tuple[str, ...]]] = {
    "search": ("domain", "offset", "limit", "order"),
    "search_count": ("domain", "limit"),
    "search_read": ("domain", "fields", "offset", "limit", "order"),
    "search_fetch": ("domain", "field_names", "offset", "limit", "order"),
    "read": ("fields", "load"),
    "write": ("vals",),
    "create": ("vals_list",),
    "unlink": (),
    "copy": ("default",),
    "name_search": ("name", "domain", "operator", "limit"),
    "name_create": ("name",),
    "default_get": ("fields",),
    "fields_get": ("allfields", "attributes"),
    "read_group": ("domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"),
    "formatted_read_group": (
        "domain",
        "groupby",
        "aggregates",
        "having",
        "offset",
        "limit",
        "order",
    ),
    "formatted_read_grouping_sets": ("domain", "grouping_sets", "aggregates"),
    "check_access_rights": ("operation", "raise_exception"),
    "check_access": ("operation",),
    "has_access": ("operation",),
    "web_search_read": ("domain", "specification", "offset", "limit", "order", "count_limit"),
    "web_read": ("specification",),
    "web_save": ("vals", "specification"),
    "web_read_group": ("domain", "groupby", "aggregates", "limit", "offset", "order"),
    "context_get": (),
    "action_archive": (),
    "action_unarchive": (),
}

#: ``@api.model`` methods: no record ids; every positional argument is a parameter.
_MODEL_METHODS: Final = frozenset(
    {
        "search",
        "search_count",
        "search_read",
        "search_fetch",
        "create",
        "name_search",
        "name_create",
        "default_get",
        "fields_get",
        "read_group",
        "formatted_read_group",
        "formatted_read_grouping_sets",
        "check_access_rights",
        "web_search_read",
        "web_read_group",
        "context_get",
        "get_views",
    }
)

#: Older spellings of renamed parameters, accepted as keywords and renamed.
_RENAMED: Final = {
    "default_get": {"fields_list": "fields"},
    "name_search": {"args": "domain"},
}


def named_arguments(
    model: str, method: str, args: list[Any], kwargs: Mapping[str, Any]
) -> tuple[list[Any] | None, dict[str, Any]]:
    """(ids or None, named parameters) for a positional-style call.

    Raises :class:`ArgumentError` when a positional argument has no known name.
    """
    positional = list(args)
    ids: list[Any] | None = None
    if method not in _MODEL_METHODS and positional:
        first = positional.pop(0)
        ids = list(first) if isinstance(first, list | tuple) else [first]
    names = _PARAMETERS.get(method)
    named: dict[str, Any] = {}
    if positional:
        if names is None:
            raise ArgumentError(
                f"JSON-2 only takes named arguments and the parameter names of "
                f"{model}.{method} are not known to odoo_frames: pass them as keywords, "
                f"e.g. client.call({model!r}, {method!r}, ids, name=value)"
            )
        if len(positional) > len(names):
            raise ArgumentError(
                f"{model}.{method} takes at most {len(names)} positional argument(s) "
                f"({', '.join(names) or 'none'}) after the ids, {len(positional)} given"
            )
        named.update(zip(names, positional))
    for key, value in kwargs.items():
        key = _RENAMED.get(method, {}).get(key, key)
        if key in named:
            raise ArgumentError(f"{model}.{method} got {key!r} both by position and by name")
        named[key] = value
    if "ids" in named:
        raise ArgumentError("'ids' is reserved by JSON-2: give the record ids as first argument")
    return ids, named


class Json2Transport(Transport):
    name = "json2"

    def version(self) -> ServerVersion:
        url = self.http.url("/web/version")
        response = self.http.get("/web/version")
        payload = decode_response(response, url, expect="the JSON-2 version answer")
        try:
            return ServerVersion.from_payload(payload)
        except ValueError:
            raise ProtocolError(
                f"{url} did not answer a version: {describe_response(response)}", url=url
            ) from None

    def list_databases(self) -> list[str]:
        from .web import WebSessionTransport

        return WebSessionTransport(self.http, secrets=self.secrets).list_databases()

    def login(self, db: str, user: str | None, secret: Secret) -> Login:
        # The key alone identifies the user: context_get tells who it is (uid, lang, tz).
        self.session = Login(db=db, uid=0)
        self._secret = secret
        try:
            context, uid = self._whoami(user)
        except BaseException:
            self.session = self._secret = None
            raise
        if not uid:
            raise ProtocolError(
                f"{self.http.url('/json/2/res.users/context_get')} did not tell the user id: "
                "pass user=... (the login)",
                url=self.http.url("/json/2/res.users/context_get"),
            )
        self.session = Login(db=db, uid=int(uid), user_context=context)
        return self.session

    def _whoami(self, user: str | None) -> tuple[dict[str, Any], int | None]:
        try:
            context = self.call("res.users", "context_get", [], {})
        except MethodNotFound:
            if not user:
                raise
            return self._find_user(user)
        uid = context.get("uid") if isinstance(context, dict) else None
        if not uid and user:
            return self._find_user(user)
        return (dict(context) if isinstance(context, dict) else {}), uid

    def _find_user(self, login: str) -> tuple[dict[str, Any], int | None]:
        ids = self.call("res.users", "search", [[("login", "=", login)]], {"limit": 1})
        if not ids:
            return {}, None
        uid = int(ids[0])
        return self._user_context(uid), uid

    def call(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        session, secret = self._logged_in()
        named = dict(kwargs)
        context = named.pop("context", None)
        ids, params = named_arguments(model, method, args, named)
        payload: dict[str, Any] = dict(params)
        if ids is not None:
            payload["ids"] = ids
        payload["context"] = context if context is not None else {}
        path = f"/json/2/{model}/{method}"
        response = self.http.post(
            path,
            Body(encode_json(payload)),
            content_type="application/json; charset=utf-8",
            headers=_headers(session.db, secret),
        )
        if response.status_code != 200:
            raise self._error(response, path, model, method)
        result = decode_response(response, self.http.url(path), expect="JSON")
        if method == "create" and args and isinstance(args[0], Mapping):
            # One dict in, one id out, as on the other protocols.
            return result[0] if isinstance(result, list) and len(result) == 1 else result
        return result

    def _error(self, response: Any, path: str, model: str, method: str) -> Exception:
        url = self.http.url(path)
        try:
            body = decode_json(response.content)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            hint = ""
            if response.status_code == 404:
                hint = (
                    " (an HTML 404 here usually means the database is unknown to the server: "
                    "check db)"
                )
            return ProtocolError(
                f"{url} answered HTTP {response.status_code}{hint}: {describe_response(response)}",
                url=url,
                status_code=response.status_code,
            )
        return from_json2_error(
            response.status_code, body, model=model, method=method, secrets=self.secrets
        )


def _headers(db: str, secret: Secret) -> dict[str, str]:
    return {
        "Authorization": MaskedText(f"bearer {secret.reveal()}"),
        "X-Odoo-Database": db,
    }
