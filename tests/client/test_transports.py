"""Transport details against canned answers: what real servers do that the sandbox won't.

Recorded Odoo 18 bodies where they exist, hand-made ones (HTML errors, redirects, XML
bombs, a two-factor login) where they don't.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from typing import Any
from unittest import mock

import pytest

import odoo_frames as of
from odoo_frames import errors
from odoo_frames._gc import gc_paused
from odoo_frames._secrets import Secret
from odoo_frames.transport import (
    HttpPool,
    Json2Transport,
    JsonRpcTransport,
    WebSessionTransport,
    XmlRpcTransport,
)
from odoo_frames.transport.json2 import named_arguments
from odoo_frames.transport.wire import (
    LARGE_BODY,
    decode_json,
    decode_xmlrpc,
    encode_json,
    encode_xmlrpc,
    to_odoo_value,
)

from .conftest import reference_cases
from .servers import CannedServer

JSON = {"Content-Type": "application/json; charset=utf-8"}
XML = {"Content-Type": "text/xml; charset=utf-8"}
VERSION_18 = {
    "server_version": "18.0",
    "server_version_info": [18, 0, 0, "final", 0, ""],
    "server_serie": "18.0",
    "protocol_version": 1,
}


def jsonrpc(result: Any = None, error: Any = None) -> tuple[int, dict[str, str], bytes]:
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": 1}
    if error is not None:
        body["error"] = error
    elif result is not None:
        body["result"] = result
    return 200, JSON, json.dumps(body).encode()


def xml(value: Any) -> tuple[int, dict[str, str], bytes]:
    import xmlrpc.client

    return 200, XML, xmlrpc.client.dumps((value,), methodresponse=True).encode()


def recorded(case_id: str) -> dict[str, Any]:
    for area in ("common", "errors"):
        for case in reference_cases(area):
            if case["id"] == case_id:
                return case
    raise KeyError(case_id)


# --- connecting to canned servers ---------------------------------------------------------------


def test_odoo_19_is_detected_by_web_version_and_json2_is_chosen_for_an_api_key() -> None:
    routes: dict[str, Any] = {
        "/web/version": (
            200,
            JSON,
            json.dumps({"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}).encode(),
        ),
        "/json/2/res.users/context_get": (
            200,
            JSON,
            b'{"lang": "en_US", "tz": "Europe/Brussels", "uid": 2}',
        ),
    }
    with CannedServer(routes) as server:
        odoo = of.connect(url=server.url, db="ref", api_key="k" * 40)
        assert odoo.protocol == "json2" and odoo.uid == 2
        assert odoo.context == {"lang": "en_US", "tz": "Europe/Brussels"}
        _, path, headers, body = server.requests[-1]
        assert path == "/json/2/res.users/context_get"
        assert headers["Authorization"] == "bearer " + "k" * 40
        assert headers["X-Odoo-Database"] == "ref"
        assert json.loads(body) == {"context": {}}


def test_recorded_odoo_18_login_over_jsonrpc() -> None:
    version = recorded("common-001")["response"]
    routes: dict[str, Any] = {"/jsonrpc": lambda body: _jsonrpc_router(body, version)}
    with CannedServer(routes) as server:
        odoo = of.connect(url=server.url, db="ref", user="admin", api_key="5e3d5d49" * 5)
        assert (odoo.protocol, odoo.server_version, odoo.uid) == ("jsonrpc", "18.0", 2)
        assert odoo.capabilities.aggregator_key == "aggregator"
        assert odoo.capabilities.name_search_domain_arg == "args"
        assert not odoo.capabilities.json2


def _jsonrpc_router(body: bytes, version: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    params = json.loads(body)["params"]
    if params["method"] == "version":
        return 200, JSON, json.dumps(version).encode()
    if params["method"] == "authenticate":
        return jsonrpc(2)
    if params["args"][4] == "context_get":
        return jsonrpc({"lang": "en_US", "tz": "Europe/Brussels", "uid": 2})
    return jsonrpc(
        error={"code": 200, "message": "Odoo Server Error", "data": {"name": "builtins.Exception"}}
    )


def test_several_databases_and_no_db_given() -> None:
    routes: dict[str, Any] = {
        "/jsonrpc": (
            200,
            JSON,
            json.dumps({"jsonrpc": "2.0", "id": 1, "result": VERSION_18}).encode(),
        ),
        "/web/database/list": jsonrpc(["prod", "staging"]),
    }
    with (
        CannedServer(routes) as server,
        pytest.raises(errors.ConfigurationError, match="serves 2: prod, staging"),
    ):
        of.connect(url=server.url, user="admin", password="pw-1234")


def test_database_listing_disabled_and_no_db_given() -> None:
    denied = {
        "code": 200,
        "message": "Odoo Server Error",
        "data": {"name": "odoo.exceptions.AccessDenied", "message": "Access Denied"},
    }
    routes: dict[str, Any] = {
        "/jsonrpc": lambda body: (
            jsonrpc(VERSION_18) if b'"version"' in body else jsonrpc(error=denied)
        ),
        "/web/database/list": jsonrpc(error=denied),
    }
    with (
        CannedServer(routes) as server,
        pytest.raises(errors.ConfigurationError, match="does not list its databases: pass db="),
    ):
        of.connect(url=server.url, user="admin", password="pw-1234")


def test_a_redirect_names_the_final_url() -> None:
    routes: dict[str, Any] = {
        "/web/version": (301, {"Location": "https://odoo.example.com/web/version"}, b"")
    }
    with (
        CannedServer(routes) as server,
        pytest.raises(errors.ProtocolError, match=r"redirects to https://odoo.example.com"),
    ):
        of.connect(url=server.url, db="x", user="admin", password="pw-1234")


# --- transports -----------------------------------------------------------------------------------


def logged_in(transport: Any, login: Any = None) -> Any:
    from odoo_frames.transport.base import Login

    transport.session = login or Login(db="ref", uid=2)
    transport._secret = Secret("pw-1234")
    return transport


def test_xmlrpc_none_result_is_none() -> None:
    fault = recorded("errors-084")
    with CannedServer({"/xmlrpc/2/object": (200, XML, fault["raw_response"].encode())}) as server:
        transport = logged_in(XmlRpcTransport(HttpPool(server.url)))
        assert (
            transport.call(
                "res.partner", "check_access_rights", ["read"], {"raise_exception": False}
            )
            is None
        )


def test_jsonrpc_result_missing_is_none() -> None:
    with CannedServer({"/jsonrpc": jsonrpc()}) as server:
        transport = logged_in(JsonRpcTransport(HttpPool(server.url)))
        assert transport.call("res.partner", "action_archive", [[1]], {}) is None


def test_xmlrpc_refuses_entity_expansion() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<methodResponse><params><param><value><string>&b;</string></value></param></params></methodResponse>"
    )
    with CannedServer({"/xmlrpc/2/object": (200, XML, bomb)}) as server:
        transport = logged_in(XmlRpcTransport(HttpPool(server.url)))
        with pytest.raises(errors.ProtocolError, match="did not answer XML-RPC"):
            transport.call("res.partner", "search", [[]], {})


def test_html_instead_of_json_is_a_protocol_error() -> None:
    page = (
        500,
        {"Content-Type": "text/html"},
        b"<html><body><h1>Internal Server Error</h1></body></html>",
    )
    with CannedServer({"/jsonrpc": page}) as server:
        transport = logged_in(JsonRpcTransport(HttpPool(server.url)))
        with pytest.raises(errors.ProtocolError, match=r"HTTP 500 .*Internal Server Error") as info:
            transport.call("res.partner", "search", [[]], {})
        assert info.value.status_code == 500


def test_web_login_needing_two_factors() -> None:
    with CannedServer({"/web/session/authenticate": jsonrpc({"uid": None})}) as server:
        transport = WebSessionTransport(HttpPool(server.url))
        with pytest.raises(errors.AuthenticationError, match=r"two-factor .* api_key="):
            transport.login("ref", "admin", Secret("pw-1234"))


def test_web_unknown_model_is_model_not_found() -> None:
    case = recorded("errors-050")  # real Odoo 18: JSON error code 404 on call_kw
    login = (
        200,
        {**JSON, "Set-Cookie": "session_id=abc123; Path=/; HttpOnly"},
        json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "result": {"uid": 2, "db": "ref", "user_context": {"lang": "en_US"}},
            }
        ).encode(),
    )
    routes: dict[str, Any] = {
        "/web/session/authenticate": login,
        "/web/dataset/call_kw/no.such.model/search": (
            200,
            JSON,
            json.dumps(case["response"]).encode(),
        ),
    }
    with CannedServer(routes) as server:
        transport = WebSessionTransport(HttpPool(server.url))
        transport.login("ref", "admin", Secret("pw-1234"))
        with pytest.raises(errors.ModelNotFound, match=r"Object no.such.model doesn't exist"):
            transport.call("no.such.model", "search", [[]], {})
        assert server.requests[-1][2]["Cookie"] == "session_id=abc123"


def test_web_session_expired_envelope_relogs_once() -> None:
    expired = {
        "code": 100,
        "message": "Odoo Session Expired",
        "data": {"name": "odoo.http.SessionExpiredException", "message": "Session expired"},
    }
    answers = iter([jsonrpc(error=expired), jsonrpc(41)])
    cookies = iter(["first", "second"])

    def authenticate(body: bytes) -> tuple[int, dict[str, str], bytes]:
        return (
            200,
            {**JSON, "Set-Cookie": f"session_id={next(cookies)}; Path=/"},
            jsonrpc({"uid": 2, "db": "ref"})[2],
        )

    routes: dict[str, Any] = {
        "/web/session/authenticate": authenticate,
        "/web/dataset/call_kw/res.partner/search_count": lambda body: next(answers),
    }
    with CannedServer(routes) as server:
        transport = WebSessionTransport(HttpPool(server.url))
        transport.login("ref", "admin", Secret("pw-1234"))
        assert transport.call("res.partner", "search_count", [[]], {}) == 41
        assert transport.relogins == 1
        cookies_sent = [h.get("Cookie") for _, p, h, _ in server.requests if "call_kw" in p]
        assert cookies_sent == ["session_id=first", "session_id=second"]


# --- JSON-2 arguments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "ids", "named"),
    [
        (
            "search_read",
            [[("x", "=", 1)], ["name"]],
            {"limit": 5},
            None,
            {"domain": [("x", "=", 1)], "fields": ["name"], "limit": 5},
        ),
        ("read", [[1, 2], ["name"]], {}, [1, 2], {"fields": ["name"]}),
        ("write", [[3], {"name": "n"}], {}, [3], {"vals": {"name": "n"}}),
        ("create", [{"name": "n"}], {}, None, {"vals_list": {"name": "n"}}),
        ("unlink", [7], {}, [7], {}),
        ("action_confirm", [[5]], {}, [5], {}),
        ("default_get", [], {"fields_list": ["name"]}, None, {"fields": ["name"]}),
        ("name_search", ["Azure"], {"args": []}, None, {"name": "Azure", "domain": []}),
        (
            "formatted_read_group",
            [[], ["state"], ["__count"]],
            {},
            None,
            {"domain": [], "groupby": ["state"], "aggregates": ["__count"]},
        ),
    ],
)
def test_json2_named_arguments(
    method: str, args: list[Any], kwargs: dict[str, Any], ids: Any, named: dict[str, Any]
) -> None:
    assert named_arguments("m", method, args, kwargs) == (ids, named)


def test_json2_positional_arguments_without_known_names_are_refused() -> None:
    with pytest.raises(errors.ArgumentError, match="pass them as keywords"):
        named_arguments("sale.order", "action_custom", [[1], "extra"], {})
    with pytest.raises(errors.ArgumentError, match="at most 2 positional"):
        named_arguments("res.partner", "read", [[1], ["name"], "_classic_read", "extra"], {})


def test_json2_create_returns_one_id_for_one_dict() -> None:
    with CannedServer({"/json/2/res.partner/create": (200, JSON, b"[42]")}) as server:
        transport = logged_in(Json2Transport(HttpPool(server.url)))
        assert transport.call("res.partner", "create", [{"name": "x"}], {}) == 42
        assert transport.call("res.partner", "create", [[{"name": "x"}]], {}) == [42]


def test_json2_html_404_points_at_the_database() -> None:
    with CannedServer({}) as server:
        transport = logged_in(Json2Transport(HttpPool(server.url)))
        with pytest.raises(errors.ProtocolError, match="database is unknown"):
            transport.call("res.partner", "search", [[]], {})


# --- values on the wire -------------------------------------------------------------------------------


def test_dates_travel_in_odoo_format() -> None:
    paris = dt.timezone(dt.timedelta(hours=2))
    value = {
        "d": dt.date(2026, 11, 27),
        "t": dt.datetime(2026, 11, 27, 15, 0, tzinfo=paris),
        "s": {1},
    }
    assert json.loads(encode_json(value)) == {
        "d": "2026-11-27",
        "t": "2026-11-27 13:00:00",
        "s": [1],
    }
    assert to_odoo_value(value) == {"d": "2026-11-27", "t": "2026-11-27 13:00:00", "s": [1]}
    assert b"<nil/>" in encode_xmlrpc("execute_kw", (None,))
    assert to_odoo_value(2**40) == float(2**40)  # XML-RPC <int> is 32-bit


def test_values_odoo_cannot_take_are_refused_clearly() -> None:
    with pytest.raises(errors.ArgumentError, match="cannot send a object"):
        encode_json({"x": object()})


def test_big_answers_are_decoded_with_the_garbage_collector_paused() -> None:
    rows = [
        {"id": i, "name": f"Partner {i}", "country_id": [i % 7, "Belgium"]} for i in range(20_000)
    ]
    body = encode_json({"jsonrpc": "2.0", "id": 1, "result": rows})
    assert len(body) >= LARGE_BODY
    seen: list[bool] = []
    with mock.patch("orjson.loads", side_effect=lambda b: seen.append(gc.isenabled()) or 0):
        decode_json(body)  # big: paused
        decode_json(b"[1]")  # small: not worth it
    assert seen == [False, True] and gc.isenabled()
    assert decode_json(body)["result"] == rows
    xml = encode_xmlrpc("x", (rows[:3],)).replace(b"methodCall", b"methodResponse")
    assert decode_xmlrpc(xml.replace(b"<methodName>x</methodName>", b"")) == rows[:3]


def test_the_pause_is_shared_by_threads_and_restores_what_it_found() -> None:
    first, second = gc_paused(), gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the other thread is still decoding
    second.__exit__(None, None, None)
    assert gc.isenabled()
    gc.disable()  # a user who turned the collector off keeps it off
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
