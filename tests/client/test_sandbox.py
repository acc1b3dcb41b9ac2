"""The client against the sandbox: every protocol on every Odoo version.

Connect, automatic protocol choice, calls with context, workflow methods, each error
class raised by a real server error, session expiry, caches, bad input.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

import pytest
import requests

import odoo_frames as of
from odoo_frames import errors

from .conftest import FAST_RETRY, VERSIONS, sandbox_of

PROTOCOLS = {"17.0": ("xmlrpc", "jsonrpc", "web"), "18.0": ("xmlrpc", "jsonrpc", "web")}
PROTOCOLS["19.0"] = (*PROTOCOLS["18.0"], "json2")
CASES = [(version, protocol) for version in VERSIONS for protocol in PROTOCOLS[version]]


def connect_as(box: Any, login: str, protocol: str, **options: Any) -> of.Client:
    """A client of ``box`` as ``login`` over ``protocol`` (the user's API key for JSON-2)."""
    if protocol == "json2":
        secret = {"api_key": box.api_keys[login]}
    else:
        secret = {"password": dict(box.users)[login]}
    return of.connect(
        url=box.url, db=box.db, user=login, protocol=protocol, retry=FAST_RETRY, **secret, **options
    )


@pytest.fixture(params=CASES, ids=[f"{v}-{p}" for v, p in CASES])
def case(request: pytest.FixtureRequest, sandboxes: dict[str, Any]) -> tuple[Any, str]:
    version, protocol = request.param
    return sandbox_of(sandboxes, version), protocol


@pytest.fixture
def odoo(case: tuple[Any, str]) -> of.Client:
    box, protocol = case
    return connect_as(box, box.login, protocol)


def first_id(odoo: of.Client, model: str, domain: list[Any] | None = None) -> int:
    rows = odoo.call(model, "search_read", domain or [], ["id"], limit=1)
    assert rows, f"no {model} matching {domain}"
    return int(rows[0]["id"])


# --- connecting ---------------------------------------------------------------------------------


def test_connect_shows_what_it_is_connected_to(odoo: of.Client, case: tuple[Any, str]) -> None:
    box, protocol = case
    assert odoo.protocol == protocol
    assert odoo.server_version == box.version
    assert odoo.version_info[0] == int(box.version.split(".")[0])
    assert odoo.db == box.db and odoo.uid > 0
    text = repr(odoo)
    for part in (box.url, box.db, box.login, protocol, box.version):
        assert repr(part) in text
    assert odoo.capabilities.json2 == (box.version == "19.0")
    assert odoo.capabilities.formatted_read_group == (box.version == "19.0")
    assert odoo.call("res.partner", "search_count", []) > 0


@pytest.mark.parametrize("version", VERSIONS)
def test_automatic_protocol_choice(sandboxes: dict[str, Any], version: str) -> None:
    box = sandbox_of(sandboxes, version)
    with_password = of.connect(url=box.url, db=box.db, user=box.login, password=box.password)
    assert with_password.protocol == "web"
    with_key = of.connect(url=box.url, db=box.db, user=box.login, api_key=box.api_key)
    assert with_key.protocol == ("json2" if version == "19.0" else "jsonrpc")
    assert f"protocol={with_key.protocol!r}" in repr(with_key)
    asked = of.connect(
        url=box.url, db=box.db, user=box.login, password=box.password, protocol="xmlrpc"
    )
    assert asked.protocol == "xmlrpc"


def test_default_context_is_the_users_language_and_timezone(odoo: of.Client) -> None:
    assert odoo.context == {"lang": "en_US", "tz": "Europe/Brussels"}


def test_json2_with_the_api_key_alone(sandboxes: dict[str, Any]) -> None:
    box = sandbox_of(sandboxes, "19.0")
    odoo = of.connect(url=box.url, db=box.db, api_key=box.api_key)
    assert (odoo.protocol, odoo.uid) == ("json2", 2)


@pytest.mark.parametrize("version", VERSIONS)
def test_db_may_be_omitted_when_the_server_has_one(sandboxes: dict[str, Any], version: str) -> None:
    box = sandbox_of(sandboxes, version)
    odoo = of.connect(url=box.url, user=box.login, password=box.password)
    assert odoo.db == box.db
    assert odoo.list_databases() == [box.db]


# --- calls ----------------------------------------------------------------------------------------


def test_calls_carry_the_context(odoo: of.Client) -> None:
    active = odoo.call("res.partner", "search_count", [])
    everything = odoo.with_context(active_test=False).call("res.partner", "search_count", [])
    assert everything >= active
    assert (
        odoo.call("res.partner", "search_count", [], context={"active_test": False}) == everything
    )
    # A language that is not installed is refused by the server: proof the context travels.
    with pytest.raises(errors.UserError, match="Invalid language code"):
        odoo.with_context(lang="xx_XX").call("res.partner", "search_count", [])


def test_with_context_builds_views_sharing_the_connection(odoo: of.Client) -> None:
    french = odoo.with_context(lang="fr_FR", tz="Europe/Paris", allowed_company_ids=[1])
    assert french.context["allowed_company_ids"] == [1]
    assert french.context["tz"] == "Europe/Paris"
    assert "allowed_company_ids" not in odoo.context  # views are immutable
    assert "tz" not in french.with_context(tz=None).context
    assert french.transport is odoo.transport


def test_workflow_methods(odoo: of.Client) -> None:
    partner = first_id(odoo, "res.partner", [("is_company", "=", True)])
    product = first_id(odoo, "product.product", [("sale_ok", "=", True)])
    line = {"product_id": product, "product_uom_qty": 2}
    order = odoo.call("sale.order", "create", {"partner_id": partner, "order_line": [[0, 0, line]]})
    assert isinstance(order, int)  # one dict in, one id out, on every protocol (JSON-2 too)
    odoo.call("sale.order", "action_confirm", [order])
    [row] = odoo.call("sale.order", "read", [order], ["state"])
    assert row["state"] == "sale"


# --- errors raised by the server --------------------------------------------------------------


def test_access_error_as_the_demo_user(case: tuple[Any, str]) -> None:
    box, protocol = case
    demo = connect_as(box, "demo", protocol)
    with pytest.raises(errors.AccessError) as info:
        demo.call("res.users", "write", [demo.uid], {"name": "Marc Demo 2"})
    assert isinstance(info.value, PermissionError)
    assert info.value.remote_type == "odoo.exceptions.AccessError"
    assert "You are not allowed to modify 'User' (res.users) records." in str(info.value)
    assert info.value.protocol == protocol


def test_private_method_is_an_access_error(odoo: of.Client) -> None:
    with pytest.raises(errors.ArgumentError, match="private"):
        odoo.call("res.partner", "_search", [])  # refused before sending
    with pytest.raises(errors.AccessError, match="Private methods"):
        odoo.transport.call("res.partner", "_search", [[]], {})  # what the server says


def test_missing_record(odoo: of.Client) -> None:
    with pytest.raises(errors.MissingError) as info:
        odoo.call("res.partner", "write", [999999], {"name": "x"})
    assert isinstance(info.value, LookupError)
    assert str(info.value).startswith("Record does not exist or has been deleted.")
    assert info.value.model == "res.partner" and info.value.method == "write"


def test_validation_error(odoo: of.Client) -> None:
    partner = first_id(odoo, "res.partner")
    with pytest.raises(errors.ValidationError) as info:
        odoo.call("res.partner", "write", [partner], {"parent_id": partner})
    assert isinstance(info.value, ValueError)
    assert "recursive" in str(info.value)


def test_user_error(odoo: of.Client) -> None:
    cancelled = first_id(
        odoo.with_context(active_test=False), "sale.order", [("state", "=", "cancel")]
    )
    with pytest.raises(errors.UserError) as info:
        odoo.call("sale.order", "action_confirm", [cancelled])
    assert type(info.value) is errors.UserError
    assert info.value.message


def test_unknown_method(odoo: of.Client) -> None:
    with pytest.raises(errors.MethodNotFound) as info:
        odoo.call("res.partner", "no_such_method", [])
    assert isinstance(info.value, AttributeError)
    assert "no_such_method" in str(info.value)


def test_unknown_model(odoo: of.Client) -> None:
    with pytest.raises(errors.ModelNotFound) as info:
        odoo.call("no.such.model", "search", [])
    assert isinstance(info.value, KeyError)
    assert "no.such.model" in str(info.value)


def test_server_error_keeps_remote_type_and_traceback(odoo: of.Client) -> None:
    with pytest.raises(errors.ServerError) as info:
        odoo.call("res.partner", "search", [("no_such_field", "=", 1)])
    assert info.value.remote_type == "builtins.ValueError"
    assert "no_such_field" in str(info.value)
    if odoo.protocol != "json2":
        assert "Traceback" in info.value.remote_traceback


def test_wrong_credentials(case: tuple[Any, str]) -> None:
    box, protocol = case
    secret = {"api_key": "0" * 40} if protocol == "json2" else {"password": "wrong-password"}
    with pytest.raises(errors.AuthenticationError) as info:
        of.connect(url=box.url, db=box.db, user=box.login, protocol=protocol, **secret)
    text = str(info.value)
    assert "refused" in text and "check" in text
    assert ("API key" if protocol == "json2" else "password") in text


# --- the web session ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_expired_web_session_logs_in_again_once(sandboxes: dict[str, Any], version: str) -> None:
    box = sandbox_of(sandboxes, version)
    odoo = connect_as(box, box.login, "web")
    count = odoo.call("res.partner", "search_count", [])
    transport = odoo.transport
    # End the session on the server, as a logout in the browser or an expiry would.
    cookie = {"session_id": transport._sid.reveal()}  # type: ignore[attr-defined]
    destroy = {"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}
    requests.post(f"{box.url}/web/session/destroy", json=destroy, cookies=cookie, timeout=10)
    assert odoo.call("res.partner", "search_count", []) == count
    assert transport.relogins == 1  # type: ignore[attr-defined]
    # A session id the server never issued: same story.
    transport._sid = of._secrets.Secret("not-a-session")  # type: ignore[attr-defined]
    assert odoo.call("res.partner", "search_count", []) == count
    assert transport.relogins == 2  # type: ignore[attr-defined]


# --- bad input ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_url() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(
        errors.ConnectError, match=r"cannot reach .*Connection refused.*Check the URL"
    ):
        of.connect(url=url, db="x", user="admin", password="admin")


@pytest.mark.parametrize("protocol", ["web", "jsonrpc", "xmlrpc"])
def test_wrong_database_lists_the_available_ones(sandboxes: dict[str, Any], protocol: str) -> None:
    box = sandbox_of(sandboxes, "18.0")
    with pytest.raises(errors.DatabaseNotFound) as info:
        of.connect(
            url=box.url, db="no_such_db", user=box.login, password=box.password, protocol=protocol
        )
    assert info.value.available == [box.db]
    assert f"available: {box.db}" in str(info.value)


def test_wrong_database_over_json2(sandboxes: dict[str, Any]) -> None:
    box = sandbox_of(sandboxes, "19.0")
    with pytest.raises(errors.DatabaseNotFound, match="no_such_db"):
        of.connect(url=box.url, db="no_such_db", api_key=box.api_key, protocol="json2")


@pytest.mark.parametrize("version", ["17.0", "18.0"])
def test_api_key_for_json2_on_a_server_without_it(sandboxes: dict[str, Any], version: str) -> None:
    box = sandbox_of(sandboxes, version)
    with pytest.raises(
        errors.ConfigurationError, match=f"needs Odoo 19 or later .* runs Odoo {version}"
    ):
        of.connect(url=box.url, db=box.db, user=box.login, api_key=box.api_key, protocol="json2")


def test_unknown_protocol_is_refused_before_sending() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens: a request would be a ConnectError
    with pytest.raises(errors.ConfigurationError, match="unknown protocol 'soap'"):
        of.connect(url=url, db="x", user="admin", password="admin", protocol="soap")


def test_something_that_is_not_odoo() -> None:
    from .servers import CannedServer

    with (
        CannedServer({}) as server,
        pytest.raises(errors.ProtocolError, match="does not answer like an Odoo"),
    ):
        of.connect(url=server.url, db="x", user="admin", password="admin")


# --- caches -------------------------------------------------------------------------------------


def count_calls(odoo: of.Client, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    real: Callable[..., Any] = odoo.transport.call

    def spy(model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        seen.append((model, method))
        return real(model, method, args, kwargs)

    monkeypatch.setattr(odoo.transport, "call", spy)
    return seen


def test_fields_get_is_cached_per_model_and_language(
    odoo: of.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = count_calls(odoo, monkeypatch)
    fields = odoo.fields_get("res.partner")
    assert fields["name"]["type"] == "char"
    odoo.fields_get("res.partner")
    assert odoo.fields_get("res.partner", attributes=["type"])["name"] == {"type": "char"}
    assert seen == [("res.partner", "fields_get")]
    # Another context language is another cache entry.
    other = (
        odoo.with_context(lang=None)
        if odoo.context.get("lang")
        else odoo.with_context(lang="en_US")
    )
    other.fields_get("res.partner")
    assert len(seen) == 2
    odoo.refresh_schema()
    odoo.fields_get("res.partner")
    assert len(seen) == 3


def test_opt_in_ttl_cache(odoo: of.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    partner = first_id(odoo, "res.partner")
    seen = count_calls(odoo, monkeypatch)
    cached = odoo.cached(ttl=60)
    assert "cache=60s" in repr(cached) and "cache" not in repr(odoo)
    first = cached.call("res.country", "search_read", [], ["code"])
    first.append("mutated by the caller")
    assert cached.call("res.country", "search_read", [], ["code"]) == first[:-1]
    assert len(seen) == 1
    odoo.call("res.country", "search_read", [], ["code"])  # the plain client does not cache
    cached.call("res.country", "search_read", [], ["code"], context={"active_test": False})
    cached.call("res.partner", "write", [partner], {"comment": "x"})  # writes are never cached
    cached.call("res.partner", "write", [partner], {"comment": "x"})
    assert [m for _, m in seen].count("write") == 2
    assert [m for _, m in seen].count("search_read") == 3


# --- models ---------------------------------------------------------------------------------------


def test_getitem_checks_the_model(odoo: of.Client) -> None:
    frame = odoo["res.partner"]
    assert type(frame).__name__ == "OdooFrame"
    with pytest.raises(KeyError) as info:
        odoo["res.partnr"]
    assert isinstance(info.value, errors.ModelNotFound)
    assert "did you mean 'res.partner'" in str(info.value)
    assert "res.partner" in info.value.suggestions


def test_parallel_reads_from_threads(odoo: of.Client) -> None:
    expected = odoo.call("res.partner", "search_count", [])
    results: list[int] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                results.append(odoo.call("res.partner", "search_count", []))
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert results == [expected] * 30
