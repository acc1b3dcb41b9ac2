"""``POST /jsonrpc`` and the JSON-RPC envelope, as Odoo 18 (and 19) answer them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from odoo_frames.sandbox.jsonrpc import dumps, loads

from .test_protocol_helpers import DB, FakeService, serve


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve(FakeService()) as url:
        yield url


def rpc(url: str, service: str, method: str, *args: Any, id: Any = 1) -> Any:
    body = {"jsonrpc": "2.0", "method": "call", "id": id,
            "params": {"service": service, "method": method, "args": list(args)}}  # fmt: skip
    response = requests.post(f"{url}/jsonrpc", json=body)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "Set-Cookie" not in response.headers  # /jsonrpc never creates a session
    return response.json()


def test_a_result(url: str) -> None:
    assert rpc(url, "common", "login", DB, "admin", "admin", id=32) == {
        "jsonrpc": "2.0",
        "id": 32,
        "result": 2,
    }


@pytest.mark.parametrize("request_id", ["a-string", None, 3.5, {"any": ["thing"]}])
def test_the_id_is_echoed_whatever_its_type(url: str, request_id: Any) -> None:
    assert rpc(url, "db", "server_version", id=request_id)["id"] == request_id


def test_no_id_gives_a_null_id(url: str) -> None:
    body = {"jsonrpc": "2.0", "method": "call",
            "params": {"service": "common", "method": "version", "args": []}}  # fmt: skip
    answer = requests.post(f"{url}/jsonrpc", json=body).json()
    assert answer["id"] is None and answer["result"]["server_serie"] == "18.0"


def test_a_none_result_has_no_result_key(url: str) -> None:
    answer = rpc(url, "object", "execute_kw", DB, 2, "admin", "res.partner",
                 "check_access_rights", ["read"], {}, id=83)  # fmt: skip
    assert answer == {"jsonrpc": "2.0", "id": 83}


def test_an_error_envelope(url: str) -> None:
    answer = rpc(url, "object", "execute_kw", DB, 2, "admin", "no.such.model", "search", [[]])
    assert list(answer) == ["jsonrpc", "id", "error"]
    error = answer["error"]
    assert (error["code"], error["message"]) == (200, "Odoo Server Error")
    assert list(error["data"]) == ["name", "debug", "message", "arguments", "context"]
    assert error["data"]["name"] == "odoo.exceptions.UserError"
    assert error["data"]["message"] == "Object no.such.model doesn't exist"
    assert error["data"]["arguments"] == ["Object no.such.model doesn't exist"]
    assert error["data"]["context"] == {}
    assert error["data"]["debug"].endswith(
        "odoo.exceptions.UserError: Object no.such.model doesn't exist\n"
    )


def test_builtin_errors_are_named_like_python_and_keyerror_messages_are_unquoted(
    url: str,
) -> None:
    data = rpc(url, "no_such_service", "version")["error"]["data"]
    assert (data["name"], data["message"], data["arguments"]) == (
        "builtins.KeyError",
        "no_such_service",
        ["no_such_service"],
    )
    assert data["debug"].endswith("\nKeyError: 'no_such_service'\n")
    data = rpc(url, "common", "login", DB, "admin")["error"]["data"]
    assert data["message"] == "exp_login() missing 1 required positional argument: 'password'"


def test_missing_params_are_reported_like_odoo(url: str) -> None:
    body = {"jsonrpc": "2.0", "method": "call", "id": 7,
            "params": {"service": "common", "method": "version"}}  # fmt: skip
    data = requests.post(f"{url}/jsonrpc", json=body).json()["error"]["data"]
    assert data["message"] == "RPC.jsonrpc() missing 1 required positional argument: 'args'"


def test_unknown_params_are_ignored(url: str) -> None:
    body = {"jsonrpc": "2.0", "method": "call", "id": 7,
            "params": {"service": "db", "method": "server_version", "args": [], "x": 1}}  # fmt: skip
    assert requests.post(f"{url}/jsonrpc", json=body).json()["result"] == "18.0"


def test_a_body_that_is_not_json_is_a_bare_400(url: str) -> None:
    response = requests.post(
        f"{url}/jsonrpc", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.text == "Invalid JSON data"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    response = requests.post(f"{url}/jsonrpc", json=[1, 2])
    assert (response.status_code, response.text) == (400, "Invalid JSON-RPC data")


def test_a_wrong_content_type_is_an_html_400_page(url: str) -> None:
    response = requests.post(
        f"{url}/jsonrpc", data=b'{"params": {}}', headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>400 Bad Request</title>" in response.text
    assert (
        "Request inferred type is compatible with [&#39;http&#39;] but &#39;/jsonrpc&#39; "
        "is type=&#39;json&#39;.<br><br>Please verify the Content-Type request header"
    ) in response.text


def test_application_json_rpc_is_a_json_content_type_too(url: str) -> None:
    body = b'{"params": {"service": "db", "method": "server_version", "args": []}, "id": 1}'
    response = requests.post(
        f"{url}/jsonrpc", data=body, headers={"Content-Type": "application/json-rpc"}
    )
    assert response.json()["result"] == "18.0"


def test_an_unknown_path_is_an_html_404(url: str) -> None:
    response = requests.post(f"{url}/no/such/route", json={})
    assert response.status_code == 404
    assert response.text.startswith("<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>")


def test_odoo_19_uses_error_code_0_and_puts_debug_last() -> None:
    with serve(FakeService("19.0")) as url:
        error = rpc(url, "no_such_service", "version")["error"]
        assert error["code"] == 0
        assert list(error["data"]) == ["name", "message", "arguments", "context", "debug"]
        response = requests.post(
            f"{url}/jsonrpc", data=b"{}", headers={"Content-Type": "text/plain"}
        )
        assert response.status_code == 415
        assert response.headers["Accept"] == "application/json, application/json-rpc"
        assert "is type=&#39;jsonrpc&#39;" in response.text


def test_json_encoding_follows_odoo_json_default() -> None:
    value = {
        1: datetime.datetime(2026, 11, 27, 13, 20, 44),
        "date": datetime.date(2026, 11, 27),
        "bytes": b"aGk=",
        "set": {1},
        "big": 2**70,
    }
    assert loads(dumps(value)) == {
        "1": "2026-11-27 13:20:44",
        "date": "2026-11-27",
        "bytes": "aGk=",
        "set": "{1}",
        "big": 2**70,
    }


def test_json_parsing_reports_python_messages() -> None:
    with pytest.raises(ValueError, match=r"^Expecting value: line 1 column 1 \(char 0\)$"):
        loads(b"nope")
    assert loads(b'{"a": NaN}')["a"] != 0  # Python's json accepts NaN, so does the sandbox
