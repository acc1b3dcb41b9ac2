"""XML-RPC as Odoo 18 answers it: exact bytes, fault codes, the marshalling rules.

Runs over real HTTP against a fake service (see ``test_protocol_helpers.py``).
"""

from __future__ import annotations

import datetime
import socket
import xmlrpc.client
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from odoo_frames.sandbox.exceptions import (
    AccessDenied,
    AccessError,
    MissingError,
    RedirectWarning,
    UserError,
    ValidationError,
)
from odoo_frames.sandbox.xmlrpc import dumps, fault_code_int, fault_code_string

from .test_protocol_helpers import API_KEY, DB, FakeService, serve


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve(FakeService()) as url:
        yield url


def post_xml(url: str, path: str, body: str | bytes, content_type: str = "text/xml") -> Any:
    return requests.post(url + path, data=body, headers={"Content-Type": content_type})


def call(url: str, path: str, method: str, *params: Any) -> Any:
    body = xmlrpc.client.dumps(params, method, allow_none=True)
    return post_xml(url, path, body)


def test_a_result_is_marshalled_byte_for_byte_like_odoo(url: str) -> None:
    response = call(url, "/xmlrpc/2/common", "authenticate", DB, "demo", "demo", {})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.text == (  # recorded as common-012
        '<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>\n'
        "<value><int>6</int></value>\n</param>\n</params>\n\n</methodResponse>\n"
    )


def test_python_clients_read_the_answers(url: str) -> None:
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    assert common.version()["server_version_info"] == [18, 0, 0, "final", 0, ""]
    assert common.login(DB, "admin", API_KEY) == 2
    assert common.login(DB, "admin", "wrong") is False


def test_a_none_result_is_the_cannot_marshal_fault(url: str) -> None:
    object_ = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
    with pytest.raises(xmlrpc.client.Fault) as fault:
        object_.execute_kw(DB, 2, "admin", "res.partner", "check_access_rights", ["read"], {})
    assert fault.value.faultCode == 1
    assert fault.value.faultString.startswith("Traceback (most recent call last):\n")
    assert fault.value.faultString.endswith(
        "\nTypeError: cannot marshal None unless allow_none is enabled\n"
    )


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (AccessError("no"), 4),
        (AccessDenied(), 3),
        (MissingError("gone"), 2),
        (ValidationError("bad"), 2),
        (UserError("user"), 2),
        (RedirectWarning("go", 1, "button", {}), 2),
    ],
)
def test_odoo_exceptions_get_their_integer_fault_codes(exc: Exception, code: int) -> None:
    fault = fault_code_int(exc)
    assert (fault.faultCode, fault.faultString) == (code, str(exc))


def test_other_exceptions_are_fault_1_with_a_traceback() -> None:
    try:
        raise KeyError("no_such_service")
    except KeyError as exc:
        fault = fault_code_int(exc)
    assert fault.faultCode == 1
    assert fault.faultString.endswith("\nKeyError: 'no_such_service'\n")


def test_the_legacy_endpoint_uses_string_fault_codes(url: str) -> None:
    response = call(url, "/xmlrpc/object", "execute_kw", DB, 6, "demo", "res.partner", "write",
                    [[1], {"name": "x"}], {})  # fmt: skip
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(response.content)
    assert fault.value.faultCode == (
        "warning -- AccessError\n\nYou are not allowed to modify 'Contact' (res.partner) records."
    )
    assert fault.value.faultString == ""
    response = call(url, "/xmlrpc/object", "execute_kw", DB, 2, "wrong", "res.partner",
                    "search_count", [[]], {})  # fmt: skip
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(response.content)
    assert (fault.value.faultCode, fault.value.faultString) == ("AccessDenied", "Access Denied")


def test_legacy_string_codes_of_every_kind() -> None:
    assert fault_code_string(MissingError("gone")).faultCode == "warning -- MissingError\n\ngone"
    assert fault_code_string(UserError("u")).faultCode == "warning -- UserError\n\nu"
    assert fault_code_string(RedirectWarning("r", 1, "b", {})).faultCode.startswith(
        "warning -- Warning\n\n("
    )
    other = fault_code_string(KeyError("x"))
    assert (other.faultCode, other.faultString.splitlines()[-1]) == ("x", "KeyError: 'x'")


def test_a_malformed_body_is_a_fault_not_an_http_error(url: str) -> None:
    response = post_xml(url, "/xmlrpc/2/object", "<?xml version='1.0'?><methodCall><oops")
    assert response.status_code == 200
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(response.content)
    assert fault.value.faultCode == 1
    assert fault.value.faultString.endswith(
        "\nxml.parsers.expat.ExpatError: unclosed token: line 1, column 33\n"
    )


def test_entity_expansion_is_refused(url: str) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<methodCall><methodName>version</methodName><params><param>"
        "<value><string>&b;</string></value></param></params></methodCall>"
    )
    response = post_xml(url, "/xmlrpc/2/common", bomb)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(response.content)
    assert "EntitiesForbidden" in fault.value.faultString


def test_unknown_service_and_method(url: str) -> None:
    for path, method, last_line in [
        ("/xmlrpc/2/no_such_service", "version", "KeyError: 'no_such_service'"),
        ("/xmlrpc/2/common", "no_such_method", "Exception: Method not found: no_such_method"),
    ]:
        with pytest.raises(xmlrpc.client.Fault) as fault:
            xmlrpc.client.loads(call(url, path, method).content)
        assert fault.value.faultString.splitlines()[-1] == last_line


def test_any_content_type_is_accepted_and_get_is_not_allowed(url: str) -> None:
    body = xmlrpc.client.dumps((), "version")
    assert post_xml(url, "/xmlrpc/2/common", body, "text/plain").status_code == 200
    assert requests.get(f"{url}/xmlrpc/2/common").status_code == 405


def test_strings_lose_control_characters_and_dates_become_strings() -> None:
    # Partner 2 of the fake is named "Azure\x01Interior".
    text = dumps(({"name": "Azure\x01Interior\ttab\nline"},))
    assert "<string>AzureInterior\ttab\nline</string>" in text
    text = dumps(([datetime.datetime(2026, 11, 27, 13, 20, 44), datetime.date(2026, 11, 27)],))
    assert "<string>2026-11-27 13:20:44</string>" in text
    assert "<string>2026-11-27</string>" in text
    assert "dateTime" not in text
    assert "<string>aGVsbG8=</string>" in dumps((b"aGVsbG8=",))


def test_datetime_request_values_arrive_as_datetimes(url: str) -> None:
    service = FakeService()
    with serve(service) as url2:
        when = datetime.datetime(2026, 11, 27, 13, 0, 0)
        call(url2, "/xmlrpc/2/object", "execute_kw", DB, 2, "admin", "res.partner",
             "search_count", [[["write_date", ">", when]]], {})  # fmt: skip
    assert service.calls[-1][3] == [[["write_date", ">", when]]]


def test_the_server_keeps_serving_after_garbage(url: str) -> None:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(b"\x16\x03\x01garbage that is not HTTP\r\n\r\n")
        raw.recv(1024)
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    assert common.version()["server_serie"] == "18.0"
