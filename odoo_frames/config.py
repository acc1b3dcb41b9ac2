"""Connection settings: from arguments, a named profile, the environment.

Each setting comes from the first of:

1. the argument given to :func:`odoo_frames.connect`;
2. the named profile, when ``profile=`` or ``ODOO_PROFILE`` names one;
3. the environment: ``ODOO_URL``, ``ODOO_DB``, ``ODOO_USER``, ``ODOO_PASSWORD``,
   ``ODOO_API_KEY`` (and ``ODOO_PROTOCOL``);
4. the profile named by ``default = "..."`` in the config file.

The config file is TOML, ``~/.config/odoo-frames/config.toml`` (``$XDG_CONFIG_HOME`` is
honoured; ``ODOO_FRAMES_CONFIG`` or ``config_file=`` point elsewhere). One table per
profile; secrets are never written in it, they come from an environment variable or
from the system keyring (``pip install keyring``)::

    default = "acme"

    [acme]
    url = "https://acme.odoo.com"
    db = "acme"
    user = "ana@acme.com"
    api_key_env = "ACME_ODOO_KEY"     # the API key is in this environment variable

    [staging]
    url = "https://staging.acme.com"
    user = "ana@acme.com"
    keyring = "password"              # keyring service "odoo-frames", name "staging"
    timeout = [5, 60]                 # connect, read (seconds)
    verify = "/etc/ssl/acme-ca.pem"   # custom CA bundle
    context = { lang = "fr_FR" }

Example::

    >>> s = resolve_settings(url="http://localhost:8069", db="demo", user="admin",
    ...                      password="admin", environ={})
    >>> s.password
    Secret('********')
"""

from __future__ import annotations

import difflib
import math
import os
import tomllib
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ._secrets import Secret
from .errors import ConfigurationError

__all__ = [
    "DEFAULT_TIMEOUT",
    "PROTOCOLS",
    "Settings",
    "Timeout",
    "default_config_path",
    "normalize_protocol",
    "resolve_settings",
]

#: Protocol names accepted by ``connect(protocol=...)``.
PROTOCOLS: Final = ("auto", "json2", "web", "jsonrpc", "xmlrpc")

_PROTOCOL_ALIASES: Final = {
    "json-2": "json2",
    "json_2": "json2",
    "json-rpc": "jsonrpc",
    "json_rpc": "jsonrpc",
    "xml-rpc": "xmlrpc",
    "xml_rpc": "xmlrpc",
    "session": "web",
}

#: (connect, read) seconds. 120 s of reading is Odoo's own default ``limit_time_real``.
DEFAULT_TIMEOUT: Final = (10.0, 120.0)

Timeout = tuple[float, float]

_ENV: Final = {
    "url": "ODOO_URL",
    "db": "ODOO_DB",
    "user": "ODOO_USER",
    "password": "ODOO_PASSWORD",
    "api_key": "ODOO_API_KEY",
    "protocol": "ODOO_PROTOCOL",
}

_PROFILE_KEYS: Final = (
    "url",
    "db",
    "user",
    "protocol",
    "timeout",
    "verify",
    "context",
    "password_env",
    "api_key_env",
    "keyring",
    "keyring_service",
    "keyring_name",
    "rate_limit",
    "max_parallel",
)

KEYRING_SERVICE: Final = "odoo-frames"


@dataclass(frozen=True)
class Settings:
    """Everything needed to reach and log in to one Odoo database. Secrets are masked."""

    url: str
    db: str | None = None
    user: str | None = None
    password: Secret | None = None
    api_key: Secret | None = None
    protocol: str = "auto"
    timeout: Timeout = DEFAULT_TIMEOUT
    #: True, False, or the path of a CA bundle.
    verify: bool | str = True
    #: None: proxies from the environment (HTTPS_PROXY, NO_PROXY...), as requests does.
    proxies: Mapping[str, str] | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    rate_limit: float | None = None
    max_parallel: int | None = None
    profile: str | None = None
    #: Where each setting came from ("argument", "ODOO_URL", "profile 'acme' (path)").
    sources: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def secrets(self) -> tuple[Secret, ...]:
        return tuple(s for s in (self.password, self.api_key) if s is not None)

    def source(self, name: str) -> str:
        """Where the setting ``name`` came from, for error messages."""
        return self.sources.get(name, "default")


def normalize_protocol(name: str) -> str:
    """``"JSON-RPC"`` -> ``"jsonrpc"``; ConfigurationError naming the valid ones."""
    key = str(name).strip().lower()
    key = _PROTOCOL_ALIASES.get(key, key)
    if key not in PROTOCOLS:
        hint = _did_you_mean(key, [*PROTOCOLS, *_PROTOCOL_ALIASES])
        raise ConfigurationError(
            f"unknown protocol {name!r}{hint}: use one of {', '.join(PROTOCOLS)}"
        )
    return key


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$ODOO_FRAMES_CONFIG``, else ``$XDG_CONFIG_HOME/odoo-frames/config.toml``."""
    env = os.environ if environ is None else environ
    if env.get("ODOO_FRAMES_CONFIG"):
        return Path(env["ODOO_FRAMES_CONFIG"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(base) / "odoo-frames" / "config.toml"


def resolve_settings(
    *,
    url: str | None = None,
    db: str | None = None,
    user: str | None = None,
    password: str | Secret | None = None,
    api_key: str | Secret | None = None,
    protocol: str | None = None,
    timeout: float | tuple[float, float] | None = None,
    verify: bool | str | None = None,
    proxies: Mapping[str, str] | None = None,
    context: Mapping[str, Any] | None = None,
    rate_limit: float | None = None,
    max_parallel: int | None = None,
    profile: str | None = None,
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Merge arguments, profile and environment into :class:`Settings`; no network.

    Raises :class:`ConfigurationError` naming what to check: missing URL or
    credentials, unknown protocol, malformed or unknown profile, secrets in plain text.
    """
    # Wrap at once so that no frame of this call holds a plain secret (tracebacks with locals).
    password = Secret.wrap(password)
    api_key = Secret.wrap(api_key)
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}

    def take(name: str, value: Any, source: str) -> None:
        if value is not None and name not in values:
            values[name] = value
            sources[name] = source

    for name, value in {
        "url": url,
        "db": db,
        "user": user,
        "password": password,
        "api_key": api_key,
        "protocol": protocol,
        "timeout": timeout,
        "verify": verify,
        "context": context,
        "rate_limit": rate_limit,
        "max_parallel": max_parallel,
    }.items():
        take(name, value, "argument")

    path = Path(config_file).expanduser() if config_file is not None else None
    named = profile or env.get("ODOO_PROFILE") or None
    if named:
        source = "argument profile=" if profile else "ODOO_PROFILE"
        for name, (value, where) in _load_profile(named, path, env, source).items():
            take(name, value, where)
    for name, var in _ENV.items():
        raw = env.get(var)
        if raw:
            take(name, Secret(raw) if name in ("password", "api_key") else raw, var)
    if not named and "url" not in values:
        default_name = _default_profile_name(path, env)
        if default_name:
            named = default_name
            for name, (value, where) in _load_profile(
                named, path, env, "the config file's default"
            ).items():
                take(name, value, where)

    return _build(values, sources, named, path, env, proxies)


def _build(
    values: dict[str, Any],
    sources: dict[str, str],
    profile: str | None,
    path: Path | None,
    env: Mapping[str, str],
    proxies: Mapping[str, str] | None,
) -> Settings:
    config_path = path or default_config_path(env)
    if "url" not in values:
        raise ConfigurationError(
            "no Odoo URL: pass url=..., set ODOO_URL, or name a profile of "
            f"{config_path} with profile=... or ODOO_PROFILE"
        )
    url = _normalize_url(values["url"], sources["url"])
    proto = normalize_protocol(values.get("protocol", "auto"))
    password: Secret | None = values.get("password")
    api_key: Secret | None = values.get("api_key")
    user = values.get("user")
    if password is None and api_key is None:
        raise ConfigurationError(
            "no password or API key: pass password=... or api_key=..., set ODOO_PASSWORD or "
            "ODOO_API_KEY, or give the profile a password_env, api_key_env or keyring entry"
        )
    # With an API key, JSON-2 (Odoo 19+) needs no login; the client checks once it knows
    # the server version (protocol "auto").
    if not user and not (proto in ("json2", "auto") and api_key is not None):
        raise ConfigurationError(
            "no user (login): pass user=..., set ODOO_USER or add user = ... to the profile"
        )
    if proto == "web" and password is None:
        raise ConfigurationError(
            "protocol 'web' logs in with a password and Odoo refuses API keys there: "
            "give password=..., or use protocol='json2' (Odoo 19+) or 'jsonrpc' with the API key"
        )
    if proto == "json2" and api_key is None:
        raise ConfigurationError(
            "protocol 'json2' authenticates with an API key (bearer token): give api_key=... "
            "or ODOO_API_KEY, or use protocol='web' with the password"
        )
    return Settings(
        url=url,
        db=values.get("db") or None,
        user=user or None,
        password=password,
        api_key=api_key,
        protocol=proto,
        timeout=_normalize_timeout(values.get("timeout", DEFAULT_TIMEOUT), sources.get("timeout")),
        verify=_normalize_verify(values.get("verify", True), sources.get("verify")),
        proxies=dict(proxies) if proxies is not None else None,
        context=dict(_check_context(values.get("context", {}), sources.get("context"))),
        rate_limit=_positive_or_none(values.get("rate_limit"), "rate_limit", float),
        max_parallel=_positive_or_none(values.get("max_parallel"), "max_parallel", int),
        profile=profile,
        sources=sources,
    )


def _normalize_url(raw: Any, source: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigurationError(f"the URL (from {source}) must be a non-empty string")
    text = raw.strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        guess = f" (did you mean 'https://{text}'?)" if "://" not in text else ""
        raise ConfigurationError(
            f"the URL {text!r} (from {source}) must start with http:// or https://{guess}"
        )
    if parts.username is not None or parts.password is not None:
        # Credentials in a URL end up in logs and reprs; refuse them outright.
        raise ConfigurationError(
            f"the URL (from {source}) contains credentials: give them as user=/password= "
            "or api_key= instead, and use the URL without 'user:password@'"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ConfigurationError(f"the URL {text!r} (from {source}) has an invalid port") from None
    path = parts.path.rstrip("/")
    # A URL copied from the browser ("/odoo/action-12", "/web#id=3") points at the UI.
    if path in ("/web", "/odoo") or path.startswith(("/web/", "/odoo/", "/web#")):
        path = ""
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _normalize_timeout(raw: Any, source: str | None) -> Timeout:
    where = f" (from {source})" if source else ""
    try:
        if isinstance(raw, Mapping):
            pair = (float(raw["connect"]), float(raw["read"]))
        elif isinstance(raw, list | tuple):
            if len(raw) != 2:
                raise ValueError
            pair = (float(raw[0]), float(raw[1]))
        else:
            if isinstance(raw, bool):
                raise ValueError
            pair = (float(raw), float(raw))
    except (ValueError, TypeError, KeyError):
        raise ConfigurationError(
            f"timeout{where} must be seconds, or [connect, read] seconds, not {raw!r}"
        ) from None
    if not all(math.isfinite(t) and t > 0 for t in pair):
        raise ConfigurationError(f"timeout{where} must be positive, not {raw!r}")
    return pair


def _normalize_verify(raw: Any, source: str | None) -> bool | str:
    where = f" (from {source})" if source else ""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str | os.PathLike):
        path = Path(raw).expanduser()
        if not path.exists():
            raise ConfigurationError(
                f"verify{where} names a CA bundle that does not exist: {str(path)!r}"
            )
        return str(path)
    raise ConfigurationError(
        f"verify{where} must be true, false or the path of a CA bundle, not {raw!r}"
    )


def _check_context(raw: Any, source: str | None) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping) or not all(isinstance(k, str) for k in raw):
        where = f" (from {source})" if source else ""
        raise ConfigurationError(f"context{where} must be a mapping of names to values")
    return raw


def _positive_or_none(raw: Any, name: str, kind: type[Any]) -> Any:
    if raw is None:
        return None
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = kind(raw)
    except (TypeError, ValueError):
        raise ConfigurationError(f"{name} must be a positive number, not {raw!r}") from None
    if value <= 0:
        raise ConfigurationError(f"{name} must be a positive number, not {raw!r}")
    return value


# --- profiles -----------------------------------------------------------------------------


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigurationError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigurationError(f"cannot read config file {path}: {exc.strerror}") from None


def _default_profile_name(path: Path | None, env: Mapping[str, str]) -> str | None:
    config_path = path or default_config_path(env)
    if path is None and not config_path.exists():
        return None
    data = _read_config(config_path)
    name = data.get("default")
    if name is None:
        return None
    if not isinstance(name, str):
        raise ConfigurationError(
            f"config file {config_path}: 'default' must be the name of a profile, not {name!r}"
        )
    return name


def _load_profile(
    name: str, path: Path | None, env: Mapping[str, str], chosen_by: str
) -> dict[str, tuple[Any, str]]:
    """The profile's settings as {name: (value, source)}, secrets resolved and wrapped."""
    config_path = path or default_config_path(env)
    if not config_path.exists():
        raise ConfigurationError(
            f"profile {name!r} ({chosen_by}) needs the config file {config_path}, "
            "which does not exist (ODOO_FRAMES_CONFIG or config_file= point elsewhere)"
        )
    data = _read_config(config_path)
    profiles = {k: v for k, v in data.items() if isinstance(v, dict)}
    if name not in profiles:
        known = ", ".join(sorted(profiles)) or "none"
        raise ConfigurationError(
            f"no profile {name!r} in {config_path}{_did_you_mean(name, list(profiles))} "
            f"(profiles: {known})"
        )
    table = profiles[name]
    where = f"profile {name!r} ({config_path})"
    for plain in ("password", "api_key", "apikey", "secret"):
        if plain in table:
            raise ConfigurationError(
                f"{where} holds a plain-text {plain!r}: secrets are not read from config files. "
                f'Use {plain.replace("apikey", "api_key")}_env = "VARIABLE_NAME" or '
                f'keyring = "{"password" if plain == "password" else "api_key"}"'
            )
    for key in table:
        if key not in _PROFILE_KEYS:
            raise ConfigurationError(
                f"{where}: unknown key {key!r}{_did_you_mean(key, list(_PROFILE_KEYS))} "
                f"(known keys: {', '.join(_PROFILE_KEYS)})"
            )
    for key in ("url", "db", "user", "protocol", "password_env", "api_key_env"):
        if key in table and not isinstance(table[key], str):
            raise ConfigurationError(f"{where}: {key} must be a string, not {table[key]!r}")

    result: dict[str, tuple[Any, str]] = {}
    for key in ("url", "db", "user", "protocol", "timeout", "verify", "context"):
        if key in table:
            result[key] = (table[key], where)
    for key in ("rate_limit", "max_parallel"):
        if key in table:
            result[key] = (table[key], where)
    for secret_name in ("password", "api_key"):
        var = table.get(f"{secret_name}_env")
        if var:
            value = env.get(var)
            if not value:
                raise ConfigurationError(
                    f"{where} takes the {secret_name.replace('_', ' ')} from the environment "
                    f"variable {var}, which is not set"
                )
            result[secret_name] = (Secret(value), f"{var} (named by {where})")
    if "keyring" in table:
        kind = table["keyring"]
        if kind not in ("password", "api_key"):
            raise ConfigurationError(
                f'{where}: keyring must be "password" or "api_key" (which secret the '
                f"keyring holds), not {kind!r}"
            )
        service = str(table.get("keyring_service", KEYRING_SERVICE))
        entry = str(table.get("keyring_name", name))
        result[kind] = (_from_keyring(service, entry, where), f"keyring {service}/{entry}")
    return result


def _from_keyring(service: str, entry: str, where: str) -> Secret:
    try:
        import keyring
    except ImportError:
        raise ConfigurationError(
            f"{where} reads its secret from the system keyring, but the keyring package is "
            "not installed: pip install keyring (or odoo-frames[keyring])"
        ) from None
    try:
        value = keyring.get_password(service, entry)
    except Exception as exc:  # keyring backends raise their own classes
        raise ConfigurationError(
            f"{where}: the system keyring failed ({type(exc).__name__})"
        ) from None
    if not value:
        raise ConfigurationError(
            f"{where}: no secret in the system keyring for service {service!r} and name "
            f"{entry!r}; store it with: keyring set {service} {entry}"
        )
    return Secret(value)


def _did_you_mean(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
