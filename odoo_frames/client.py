"""The connection to one Odoo database: :func:`connect` and :class:`Client`.

``connect()`` resolves the settings (arguments, profile, environment; see
:mod:`odoo_frames.config`), asks the server its version, chooses the protocol, finds
the database when there is only one, and logs in. Everything wrong is reported then,
with what to check.

Protocol choice (``protocol="auto"``), visible as ``client.protocol``:

* JSON-2 on Odoo 19+ when an API key is given;
* else the web-session routes when a password is given;
* else ``/jsonrpc`` with the API key as password;
* XML-RPC only when asked (``protocol="xmlrpc"``).

A :class:`Client` is an immutable view: ``with_context``, ``cached`` and ``retrying``
return new views sharing the connection, its schema cache and its call cache.

Example::

    import odoo_frames as of

    odoo = of.connect("https://acme.odoo.com", db="acme", user="ana@acme.com", api_key="...")
    odoo                      # <Client url='https://acme.odoo.com' db='acme' ... protocol='json2'>
    odoo.call("res.partner", "search_count", [("is_company", "=", True)])
    fr = odoo.with_context(lang="fr_FR", tz="Europe/Paris")
    ref = odoo.cached(ttl=3600)          # read-only calls answered from memory for an hour
    odoo.retrying("action_confirm").call("sale.order", "action_confirm", [42])
"""

from __future__ import annotations

import copy
import difflib
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from ._secrets import Secret
from .config import Settings, resolve_settings
from .errors import (
    AccessError,
    ArgumentError,
    AuthenticationError,
    ConfigurationError,
    DatabaseNotFound,
    ModelNotFound,
    OdooError,
    ProtocolError,
    RemoteError,
)
from .transport import (
    READ_ONLY_METHODS,
    TRANSPORTS,
    Capabilities,
    HttpPool,
    Json2Transport,
    JsonRpcTransport,
    Login,
    RetryPolicy,
    ServerVersion,
    Transport,
)

__all__ = ["Client", "connect"]

log = logging.getLogger("odoo_frames.client")

#: Suggested for typos when ir.model cannot be read (portal users, test servers).
_COMMON_MODELS = (
    "account.account",
    "account.analytic.account",
    "account.journal",
    "account.move",
    "account.move.line",
    "account.payment",
    "account.tax",
    "crm.lead",
    "crm.stage",
    "crm.tag",
    "hr.employee",
    "product.category",
    "product.product",
    "product.template",
    "project.project",
    "project.task",
    "purchase.order",
    "purchase.order.line",
    "res.company",
    "res.country",
    "res.country.state",
    "res.currency",
    "res.partner",
    "res.partner.category",
    "res.users",
    "sale.order",
    "sale.order.line",
    "stock.location",
    "stock.move",
    "stock.picking",
    "stock.quant",
    "stock.warehouse",
    "uom.uom",
)


def connect(
    url: str | None = None,
    db: str | None = None,
    user: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    protocol: str = "auto",
    timeout: float | tuple[float, float] | None = None,
    verify: bool | str | None = None,
    context: Mapping[str, Any] | None = None,
    profile: str | None = None,
    *,
    config_file: str | os.PathLike[str] | None = None,
    proxies: Mapping[str, str] | None = None,
    retry: RetryPolicy | None = None,
    rate_limit: float | None = None,
    max_parallel: int | None = None,
    cache_ttl: float | None = None,
) -> Client:
    """Connect and log in to an Odoo database; returns a :class:`Client`.

    Settings missing from the arguments come from the named ``profile`` (or
    ``ODOO_PROFILE``), then ``ODOO_URL``, ``ODOO_DB``, ``ODOO_USER``, ``ODOO_PASSWORD``,
    ``ODOO_API_KEY``, then the config file's default profile. ``db`` may be omitted when
    the server lists exactly one database.

    ``timeout`` is seconds or ``(connect, read)`` seconds (default 10, 120); ``verify``
    is True (default), False or a CA bundle path; proxies come from the environment
    unless ``proxies`` is given. ``retry`` sets the backoff of read-only calls
    (``RetryPolicy(delays=(1, 4, 16))`` by default); ``rate_limit`` caps calls per
    second and ``max_parallel`` concurrent requests; ``cache_ttl`` turns the read cache
    on (see :meth:`Client.cached`).
    """
    # Rebind at once: no frame keeps the plain secrets (tracebacks formatted with locals).
    password = Secret.wrap(password)  # type: ignore[assignment]
    api_key = Secret.wrap(api_key)  # type: ignore[assignment]
    settings = resolve_settings(
        url=url,
        db=db,
        user=user,
        password=password,
        api_key=api_key,
        protocol=None if protocol in (None, "auto") else protocol,
        timeout=timeout,
        verify=verify,
        proxies=proxies,
        context=context,
        rate_limit=rate_limit,
        max_parallel=max_parallel,
        profile=profile,
        config_file=config_file,
    )
    return Client.from_settings(settings, retry=retry, cache_ttl=cache_ttl)


class _CallCache:
    """Results of read-only calls for ``ttl`` seconds; least recently used entries go first."""

    def __init__(self, maxsize: int = 1024, clock: Callable[[], float] = time.monotonic) -> None:
        self.maxsize = maxsize
        self.clock = clock
        self._entries: OrderedDict[bytes, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes, ttl: float) -> tuple[bool, Any]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or self.clock() - entry[0] > ttl:
                self.misses += 1
                return False, None
            self._entries.move_to_end(key)
            self.hits += 1
            return True, copy.deepcopy(entry[1])

    def put(self, key: bytes, value: Any) -> None:
        with self._lock:
            self._entries[key] = (self.clock(), copy.deepcopy(value))
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class _Connection:
    """What all views of one client share: transport, version, caches."""

    def __init__(
        self,
        settings: Settings,
        transport: Transport,
        version: ServerVersion,
        capabilities: Capabilities,
        login: Login,
    ) -> None:
        self.settings = settings
        self.transport = transport
        self.version = version
        self.capabilities = capabilities
        self.login = login
        self.schema: dict[tuple[str, str | None], dict[str, Any]] = {}
        self.model_names: list[str] | None = None
        self.calls = _CallCache()
        self.lock = threading.Lock()


class Client:
    """A logged-in connection to one Odoo database. Create it with :func:`connect`."""

    def __init__(
        self,
        connection: _Connection,
        *,
        context: Mapping[str, Any],
        retry: RetryPolicy,
        cache_ttl: float | None = None,
    ) -> None:
        self._conn = connection
        self._context: dict[str, Any] = dict(context)
        self._retry = retry
        self._cache_ttl = cache_ttl

    # -- construction -------------------------------------------------------------------

    @classmethod
    def connect(cls, *args: Any, **kwargs: Any) -> Client:
        """Same as :func:`odoo_frames.connect`."""
        return connect(*args, **kwargs)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        retry: RetryPolicy | None = None,
        cache_ttl: float | None = None,
    ) -> Client:
        """Connect with resolved :class:`~odoo_frames.config.Settings`."""
        http = HttpPool(
            settings.url,
            timeout=settings.timeout,
            verify=settings.verify,
            proxies=settings.proxies,
            rate_limit=settings.rate_limit,
            max_parallel=settings.max_parallel,
        )
        try:
            version, has_json2 = _detect_version(http, settings)
            protocol = _choose_protocol(settings, version, has_json2)
            transport = TRANSPORTS[protocol](http, secrets=settings.secrets)
            db = settings.db or _single_database(transport, settings)
            login = _login(transport, settings, db)
        except BaseException:
            http.close()
            raise
        capabilities = Capabilities.for_version(version, json2=has_json2)
        connection = _Connection(settings, transport, version, capabilities, login)
        context = {k: v for k in ("lang", "tz") if (v := login.user_context.get(k))}
        context.update(settings.context)
        log.info(
            "connected to %s database %s as %s (uid %d) over %s, Odoo %s",
            settings.url,
            login.db,
            settings.user or login.name or "?",
            login.uid,
            protocol,
            version,
        )
        return cls(connection, context=context, retry=retry or RetryPolicy(), cache_ttl=cache_ttl)

    def _view(self, **changes: Any) -> Client:
        options: dict[str, Any] = {
            "context": self._context,
            "retry": self._retry,
            "cache_ttl": self._cache_ttl,
        }
        options.update(changes)
        return type(self)(self._conn, **options)

    # -- what it is connected to --------------------------------------------------------

    @property
    def url(self) -> str:
        return self._conn.settings.url

    @property
    def db(self) -> str:
        return self._conn.login.db

    @property
    def user(self) -> str | None:
        """The login, or the user's name when connected by API key alone (JSON-2)."""
        return self._conn.settings.user or self._conn.login.name

    @property
    def uid(self) -> int:
        return self._conn.login.uid

    @property
    def protocol(self) -> str:
        """``"json2"``, ``"web"``, ``"jsonrpc"`` or ``"xmlrpc"``."""
        return self._conn.transport.name

    @property
    def server_version(self) -> str:
        """As the server says it: ``"18.0"``, ``"saas~17.4"``..."""
        return self._conn.version.version

    @property
    def version_info(self) -> tuple[Any, ...]:
        """``(18, 0, 0, "final", 0, "")``."""
        return self._conn.version.info

    @property
    def version(self) -> ServerVersion:
        return self._conn.version

    @property
    def capabilities(self) -> Capabilities:
        """What the server can do: JSON-2, formatted_read_group, parameter names..."""
        return self._conn.capabilities

    @property
    def context(self) -> dict[str, Any]:
        """The context sent with every call (a copy)."""
        return dict(self._context)

    @property
    def cache_ttl(self) -> float | None:
        return self._cache_ttl

    @property
    def retry_policy(self) -> RetryPolicy:
        return self._retry

    @property
    def settings(self) -> Settings:
        return self._conn.settings

    @property
    def transport(self) -> Transport:
        return self._conn.transport

    def __repr__(self) -> str:
        parts = [
            f"url={self.url!r}",
            f"db={self.db!r}",
            f"user={self.user!r}",
            f"protocol={self.protocol!r}",
            f"version={self.server_version!r}",
        ]
        if self._cache_ttl:
            parts.append(f"cache={self._cache_ttl:g}s")
        if self._retry.extra_methods:
            parts.append(f"retrying={sorted(self._retry.extra_methods)!r}")
        return f"<Client {' '.join(parts)}>"

    def _repr_html_(self) -> str:
        # Notebook display: what repr() shows, escaped; no call to the server, no secret.
        import html

        shown = [
            ("url", self.url),
            ("database", self.db),
            ("user", self.user),
            ("protocol", self.protocol),
            ("Odoo", self.server_version),
        ]
        rows = "".join(
            f"<tr><th style='text-align:left'>{name}</th><td>{html.escape(str(value))}</td></tr>"
            for name, value in shown
        )
        return f"<div><strong>Client</strong><table>{rows}</table></div>"

    # -- views --------------------------------------------------------------------------

    def with_context(self, context: Mapping[str, Any] | None = None, /, **values: Any) -> Client:
        """A view whose calls carry this context on top of the current one.

        ``odoo.with_context(lang="fr_FR", tz="Europe/Paris", allowed_company_ids=[1, 2])``;
        a value of ``None`` removes the key.
        """
        merged = dict(self._context)
        for key, value in {**(context or {}), **values}.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        return self._view(context=merged)

    def cached(self, ttl: float | None = 3600) -> Client:
        """A view answering read-only calls from memory for ``ttl`` seconds (None: off).

        For slow-changing data (countries, products, fields); the cache is shared by all
        views of the connection and keyed by model, method, arguments and context.
        """
        if ttl is not None and ttl <= 0:
            ttl = None
        return self._view(cache_ttl=ttl)

    def retrying(self, *methods: str) -> Client:
        """A view that also retries ``methods`` on transient faults (no names: all methods).

        Only for methods that are safe to run twice: Odoo may have applied the first
        attempt before the connection dropped.
        """
        return self._view(retry=self._retry.allowing(methods or ("*",)))

    # -- calls --------------------------------------------------------------------------

    def call(self, model: str, method: str, /, *args: Any, **kwargs: Any) -> Any:
        """Call any public method: ``call("sale.order", "action_confirm", [42])``.

        Positional and keyword arguments are those of the Odoo method (ids first for
        record methods). The client context is sent, with ``context=`` merged on top.
        Read-only methods are retried on transient faults; others are not.
        """
        if not isinstance(model, str) or not model:
            raise ArgumentError(f"the model must be a name like 'res.partner', not {model!r}")
        if not isinstance(method, str) or not method:
            raise ArgumentError(f"the method must be a name like 'search_read', not {method!r}")
        if method.startswith("_"):
            raise ArgumentError(
                f"{model}.{method} is private: Odoo refuses methods starting with '_' over RPC"
            )
        extra = kwargs.pop("context", None)
        context = dict(self._context)
        if extra:
            context.update(extra)
        kwargs["context"] = context
        return self._invoke(model, method, list(args), kwargs)

    def _invoke(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        key = None
        if self._cache_ttl and method in READ_ONLY_METHODS:
            key = _cache_key(model, method, args, kwargs)
            if key is not None:
                hit, value = self._conn.calls.get(key, self._cache_ttl)
                if hit:
                    log.debug("%s.%s answered from the cache", model, method)
                    return value
        transport = self._conn.transport
        started = time.perf_counter()
        result = self._retry.run(
            lambda: transport.call(model, method, args, kwargs),
            method=method,
            label=f"{model}.{method}",
        )
        log.debug(
            "%s.%s over %s in %.1f ms",
            model,
            method,
            transport.name,
            (time.perf_counter() - started) * 1000,
        )
        if key is not None:
            self._conn.calls.put(key, result)
        return result

    # -- schema -------------------------------------------------------------------------

    def fields_get(self, model: str, attributes: list[str] | None = None) -> dict[str, Any]:
        """``fields_get`` of ``model``, cached per model and context language.

        ``attributes`` keeps only those descriptor keys. :meth:`refresh_schema` forgets.
        """
        key = (model, self._context.get("lang"))
        with self._conn.lock:
            fields = self._conn.schema.get(key)
        if fields is None:
            fields = self.call(model, "fields_get")
            if not isinstance(fields, dict):
                raise ProtocolError(f"{model}.fields_get did not answer a mapping of fields")
            with self._conn.lock:
                self._conn.schema[key] = fields
        if attributes is not None:
            fields = {
                name: {k: v for k, v in desc.items() if k in attributes}
                for name, desc in fields.items()
            }
        return copy.deepcopy(fields)

    def refresh_schema(self, model: str | None = None) -> None:
        """Forget cached fields (of one model, or all) and cached call results."""
        with self._conn.lock:
            if model is None:
                self._conn.schema.clear()
                self._conn.model_names = None
            else:
                for key in [k for k in self._conn.schema if k[0] == model]:
                    del self._conn.schema[key]
        self._conn.calls.clear()

    def model_names(self) -> list[str]:
        """Names of the models the server knows (from ``ir.model``; cached).

        When ``ir.model`` cannot be read, the models seen so far and common Odoo models.
        """
        with self._conn.lock:
            names = self._conn.model_names
        if names is None:
            try:
                rows = self.call("ir.model", "search_read", [], ["model"])
                names = sorted({row["model"] for row in rows})
            except (RemoteError, ProtocolError):
                names = list(_COMMON_MODELS)  # ir.model may be unreadable for this user
            with self._conn.lock:
                self._conn.model_names = names
        with self._conn.lock:
            known = {model for model, _ in self._conn.schema}
        return sorted(set(names) | known)

    def check_model(self, model: str) -> None:
        """Raise :class:`ModelNotFound` (a KeyError) with suggestions if ``model`` is unknown."""
        if not isinstance(model, str) or not model.strip():
            raise ModelNotFound(f"a model name like 'res.partner' is needed, not {model!r}")
        try:
            self.fields_get(model, attributes=["type"])
        except ModelNotFound as error:
            close = difflib.get_close_matches(model, self.model_names(), n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise ModelNotFound(
                f"no model {model!r} in database {self.db!r} on {self.url}{hint}",
                suggestions=close,
                remote_type=error.remote_type,
                model=model,
                protocol=self.protocol,
            ) from None
        except AccessError:
            pass  # the model exists; reading it may still be allowed or fail later

    def __getitem__(self, model: str) -> Any:
        """``odoo["sale.order"]``: a lazy OdooFrame of the model (no RPC but fields_get)."""
        self.check_model(model)
        return self._frame(model)

    # HOOK for odoo_frames.frame: the frame module is imported here, lazily, so that
    # `import odoo_frames` stays light. OdooFrame(client, model) is the expected signature.
    def _frame(self, model: str) -> Any:
        from .frame import OdooFrame

        return OdooFrame(self, model)

    # HOOK for odoo_frames.writeback (issue 6): ``odoo.diff(before, after)``, imported lazily.
    def diff(self, before: Any, after: Any, **options: Any) -> Any:
        """The write-back :class:`~odoo_frames.writeback.Plan` turning ``before`` into ``after``.

        The model comes from ``before`` (read by a frame) or ``model=``; see
        :func:`odoo_frames.writeback.diff` for ``allow_delete``, ``resolve_names``...
        """
        from .writeback import diff

        return diff(self, before, after, **options)

    # -- server -------------------------------------------------------------------------

    def list_databases(self) -> list[str]:
        """The databases the server lists (AuthenticationError if listing is disabled)."""
        transport = self._conn.transport
        return self._retry.run(
            transport.list_databases, method="list_databases", label="database list", retry=True
        )

    def close(self) -> None:
        """Close the connections (all views of this client)."""
        self._conn.transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cache_key(model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> bytes | None:
    try:
        return orjson.dumps(
            [model, method, args, kwargs],
            option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
            default=repr,
        )
    except TypeError:
        return None


# --- connecting -----------------------------------------------------------------------------


def _detect_version(http: HttpPool, settings: Settings) -> tuple[ServerVersion, bool]:
    """The server version and whether JSON-2 answers; the probe follows the protocol asked."""
    if settings.protocol in ("xmlrpc", "jsonrpc", "web"):
        transport = TRANSPORTS[settings.protocol](http)
        try:
            version = transport.version()
        except (ProtocolError, RemoteError) as error:
            raise _not_odoo(settings, [error]) from None
        return version, version.at_least(19)
    try:
        version = Json2Transport(http).version()
        if version.at_least(19):
            return version, True
    except ProtocolError as first:
        # Before 19 there is no /web/version: ask the common service.
        try:
            return JsonRpcTransport(http).version(), False
        except (ProtocolError, RemoteError) as second:
            raise _not_odoo(settings, [first, second]) from None
    return version, False


def _not_odoo(settings: Settings, errors: list[OdooError]) -> ProtocolError:
    reasons = "; ".join(e.message.splitlines()[0] for e in errors)
    return ProtocolError(
        f"{settings.url} does not answer like an Odoo server ({reasons}). "
        f"Check the URL (from {settings.source('url')})",
        url=settings.url,
    )


def _choose_protocol(settings: Settings, version: ServerVersion, has_json2: bool) -> str:
    requested = settings.protocol
    if requested == "json2" and not has_json2:
        raise ConfigurationError(
            f"protocol 'json2' needs Odoo 19 or later and {settings.url} runs Odoo {version}: "
            "use protocol='auto', or 'jsonrpc' where the API key works as the password"
        )
    if requested != "auto":
        chosen = requested
    elif has_json2 and settings.api_key is not None:
        chosen = "json2"
    elif settings.password is not None:
        chosen = "web"
    else:
        chosen = "jsonrpc"
    if chosen != "json2" and not settings.user:
        raise ConfigurationError(
            f"no user (login): Odoo {version} at {settings.url} has no JSON-2 API, and the other "
            "protocols need the login with the API key: pass user=... or set ODOO_USER"
        )
    return chosen


def _secret_for(settings: Settings, protocol: str) -> Secret:
    if protocol == "web":
        secret = settings.password
    elif protocol == "json2":
        secret = settings.api_key
    else:
        secret = settings.api_key or settings.password
    assert secret is not None  # resolve_settings and _choose_protocol made sure
    return secret


def _single_database(transport: Transport, settings: Settings) -> str:
    try:
        names = transport.list_databases()
    except (RemoteError, ProtocolError):
        raise ConfigurationError(
            f"no database given and {settings.url} does not list its databases: "
            "pass db=..., set ODOO_DB or add db = ... to the profile"
        ) from None
    if len(names) == 1:
        return names[0]
    if not names:
        raise ConfigurationError(f"{settings.url} lists no database")
    raise ConfigurationError(
        f"no database given and {settings.url} serves {len(names)}: {', '.join(names)}. "
        "Pass db=..., set ODOO_DB or add db = ... to the profile"
    )


def _login(transport: Transport, settings: Settings, db: str) -> Login:
    secret = _secret_for(settings, transport.name)
    kind = "API key" if secret is settings.api_key else "password"
    try:
        return transport.login(db, settings.user, secret)
    except AuthenticationError as error:
        who = f"login {settings.user!r}" if settings.user else "the API key"
        user_src = f"the user (from {settings.source('user')}) and " if settings.user else ""
        secret_src = settings.source("api_key" if kind == "API key" else "password")
        raise AuthenticationError(
            f"{settings.url} refused {who} on database {db!r} ({error.message}): check "
            f"{user_src}the {kind} (from {secret_src})",
            remote_type=error.remote_type,
            protocol=transport.name,
            http_status=error.http_status,
        ) from None
    except (RemoteError, ProtocolError) as error:
        if not _means_unknown_database(error):
            raise
        available: list[str] | None
        try:
            available = transport.list_databases()
        except (RemoteError, ProtocolError):
            available = None
        listing = (
            f"; available: {', '.join(available)}"
            if available
            else " (the server does not list its databases)"
        )
        raise DatabaseNotFound(
            f"database {db!r} does not exist on {settings.url}{listing}. "
            f"Check db (from {settings.source('db')})",
            available=available,
        ) from None


def _means_unknown_database(error: OdooError) -> bool:
    if isinstance(error, ProtocolError):
        return error.status_code == 404  # JSON-2 and web routes without a database
    if isinstance(error, RemoteError):
        text = error.message.lower()
        if error.remote_type.startswith("psycopg2.") and "does not exist" in text:
            return True
        return "database not found" in text
    return False
