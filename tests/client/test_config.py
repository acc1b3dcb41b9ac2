"""Connection settings: arguments, then a named profile, then ODOO_* variables.

Every mistake is reported before anything is sent, with what to check.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from odoo_frames import ConfigurationError
from odoo_frames._secrets import Secret
from odoo_frames.config import default_config_path, normalize_protocol, resolve_settings

BASE = {"url": "http://127.0.0.1:8069", "db": "ref", "user": "admin", "password": "s3cret-pw"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_arguments_make_settings_with_masked_secrets() -> None:
    settings = resolve_settings(**BASE, environ={})
    assert settings.url == "http://127.0.0.1:8069"
    assert settings.password == Secret("s3cret-pw")
    assert "s3cret-pw" not in repr(settings)
    assert settings.source("url") == "argument"
    assert settings.timeout == (10.0, 120.0)
    assert settings.verify is True
    assert settings.protocol == "auto"


def test_environment_fills_what_arguments_leave_out() -> None:
    env = {
        "ODOO_URL": "https://acme.example.com/",
        "ODOO_DB": "acme",
        "ODOO_USER": "ana",
        "ODOO_API_KEY": "k" * 40,
    }
    settings = resolve_settings(db="other", environ=env)
    assert (settings.url, settings.db, settings.user) == (
        "https://acme.example.com",
        "other",
        "ana",
    )
    assert settings.api_key == Secret("k" * 40)
    assert settings.source("api_key") == "ODOO_API_KEY"
    assert settings.source("db") == "argument"


def test_named_profile_takes_its_secret_from_an_environment_variable(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [acme]
        url = "https://acme.example.com"
        db = "acme"
        user = "ana@acme.com"
        api_key_env = "ACME_KEY"
        timeout = [3, 30]
        context = { lang = "fr_FR" }
        rate_limit = 5
        """,
    )
    env = {"ACME_KEY": "abcdef0123456789", "ODOO_URL": "http://ignored"}
    settings = resolve_settings(profile="acme", config_file=path, environ=env)
    assert settings.url == "https://acme.example.com"  # the profile named wins over ODOO_URL
    assert settings.api_key == Secret("abcdef0123456789")
    assert settings.timeout == (3.0, 30.0)
    assert settings.context == {"lang": "fr_FR"}
    assert settings.rate_limit == 5.0
    assert settings.profile == "acme"
    assert "ACME_KEY" in settings.source("api_key")


def test_odoo_profile_variable_and_default_profile(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        default = "b"
        [a]
        url = "http://a.example.com"
        user = "u"
        password_env = "PW"
        [b]
        url = "http://b.example.com"
        user = "u"
        password_env = "PW"
        """,
    )
    env = {"PW": "pw-1234", "ODOO_FRAMES_CONFIG": str(path)}
    assert resolve_settings(environ={**env, "ODOO_PROFILE": "a"}).url == "http://a.example.com"
    assert resolve_settings(environ=env).url == "http://b.example.com"
    # With ODOO_URL set, the default profile is not used.
    only_env = {
        **env,
        "ODOO_URL": "http://c.example.com",
        "ODOO_USER": "x",
        "ODOO_PASSWORD": "pw-1",
    }
    assert resolve_settings(environ=only_env).url == ("http://c.example.com")


def test_keyring_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = {("odoo-frames", "prod"): "from-the-keyring"}
    fake = types.ModuleType("keyring")
    fake.get_password = lambda service, name: store.get((service, name))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    path = write(
        tmp_path, '[prod]\nurl = "https://x.example.com"\nuser = "u"\nkeyring = "password"\n'
    )
    settings = resolve_settings(profile="prod", config_file=path, environ={})
    assert settings.password == Secret("from-the-keyring")
    store.clear()
    with pytest.raises(ConfigurationError, match="keyring set odoo-frames prod"):
        resolve_settings(profile="prod", config_file=path, environ={})


def test_keyring_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring -> ImportError
    path = write(
        tmp_path, '[prod]\nurl = "https://x.example.com"\nuser = "u"\nkeyring = "api_key"\n'
    )
    with pytest.raises(ConfigurationError, match="pip install keyring"):
        resolve_settings(profile="prod", config_file=path, environ={})


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[acme\nurl = 1", "not valid TOML"),
        ('[acme]\nurl = "https://x"\nuser = "u"\npassword = "plain"\n', "plain-text 'password'"),
        ('[acme]\nurl = "https://x"\nuser = "u"\napi_key = "plain"\n', "api_key_env"),
        ('[acme]\nurll = "https://x"\n', "unknown key 'urll' .*did you mean 'url'"),
        ("[acme]\nurl = 8069\n", "url must be a string"),
        (
            '[acme]\nurl = "https://x"\nuser = "u"\npassword_env = "NOT_SET_ANYWHERE"\n',
            "NOT_SET_ANYWHERE, which is not set",
        ),
        (
            '[acme]\nurl = "https://x"\nuser = "u"\nkeyring = "yes"\n',
            'keyring must be "password" or "api_key"',
        ),
        ('[acmee]\nurl = "https://x"\n', "no profile 'acme' .*did you mean 'acmee'"),
        (
            '[acme]\nurl = "https://x"\nuser = "u"\npassword_env = "PW"\ntimeout = "soon"\n',
            "timeout .* must be seconds",
        ),
    ],
)
def test_malformed_profile_files_say_what_is_wrong(tmp_path: Path, text: str, match: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigurationError, match=match):
        resolve_settings(profile="acme", config_file=path, environ={"PW": "pw-1234"})


def test_missing_config_file_for_a_named_profile(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        resolve_settings(profile="acme", environ={"XDG_CONFIG_HOME": str(tmp_path)})


def test_default_config_path_honours_xdg_and_override(tmp_path: Path) -> None:
    assert (
        default_config_path({"XDG_CONFIG_HOME": str(tmp_path)})
        == tmp_path / "odoo-frames" / "config.toml"
    )
    assert (
        default_config_path({"ODOO_FRAMES_CONFIG": str(tmp_path / "x.toml")}) == tmp_path / "x.toml"
    )


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"url": None}, "no Odoo URL: pass url=..., set ODOO_URL"),
        ({"url": "acme.odoo.com"}, "did you mean 'https://acme.odoo.com'"),
        ({"url": "ftp://acme.odoo.com"}, "must start with http:// or https://"),
        ({"url": "https://ana:pw@acme.odoo.com"}, "contains credentials"),
        ({"password": None}, "no password or API key"),
        ({"user": None}, "no user"),
        ({"protocol": "soap"}, "unknown protocol 'soap'.*auto, json2, web, jsonrpc, xmlrpc"),
        ({"protocol": "jsnrpc"}, "did you mean 'jsonrpc'"),
        ({"protocol": "json2"}, "'json2' authenticates with an API key"),
        ({"password": None, "api_key": "k" * 40, "protocol": "web"}, "Odoo refuses API keys there"),
        ({"timeout": 0}, "timeout .*must be positive"),
        ({"timeout": (1, 2, 3)}, "timeout .*must be seconds"),
        ({"verify": "/no/such/ca.pem"}, "CA bundle that does not exist"),
        ({"context": ["lang"]}, "context .*must be a mapping"),
        ({"rate_limit": -1}, "rate_limit must be a positive number"),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(
    changes: dict[str, object], match: str
) -> None:
    with pytest.raises(ConfigurationError, match=match):
        resolve_settings(**{**BASE, **changes}, environ={})  # type: ignore[arg-type]


def test_protocol_names_are_forgiving_about_spelling() -> None:
    assert normalize_protocol("JSON-RPC") == "jsonrpc"
    assert normalize_protocol("xml-rpc") == "xmlrpc"
    assert normalize_protocol("JSON-2") == "json2"


def test_url_copied_from_the_browser_is_cut_to_the_server() -> None:
    assert resolve_settings(
        **{**BASE, "url": "https://acme.odoo.com/odoo/action-12"}, environ={}
    ).url == ("https://acme.odoo.com")
    assert resolve_settings(
        **{**BASE, "url": "https://acme.odoo.com/web#id=3"}, environ={}
    ).url == ("https://acme.odoo.com")


def test_timeout_forms() -> None:
    assert resolve_settings(**BASE, timeout=5, environ={}).timeout == (5.0, 5.0)
    assert resolve_settings(**BASE, timeout=(2, 60), environ={}).timeout == (2.0, 60.0)


def test_json2_needs_no_user_when_an_api_key_is_given() -> None:
    settings = resolve_settings(url=BASE["url"], api_key="k" * 40, protocol="json2", environ={})
    assert settings.user is None
