"""odoo-client-lib (``odoolib``) against the sandbox over XML-RPC and JSON-RPC.

Its XML-RPC connector talks to the LEGACY endpoints ``/xmlrpc/common`` and
``/xmlrpc/object`` (string fault codes such as ``"warning -- AccessError\\n\\n<msg>"``);
its JSON-RPC connector to ``/jsonrpc``. Logins go through ``common.login``; every model
call is ``object.execute_kw``; ``search_read`` is ``search`` (limit ``False``, order
``False``) followed by ``read``.
"""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import odoolib
import pytest
from odoolib.tools import AuthenticationError, JsonRPCException

from .conftest import Server, unique_name

pytestmark = pytest.mark.peers


def _connection(server: Server, protocol: str, login: str, password: str) -> Any:
    return odoolib.get_connection(
        hostname=server.host,
        protocol=protocol,
        port=server.port,
        database=server.db,
        login=login,
        password=password,
    )


@pytest.fixture(scope="module", params=["xmlrpc", "jsonrpc"])
def protocol(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def connection(server: Server, protocol: str) -> Any:
    connection = _connection(server, protocol, server.admin.login, server.admin.password)
    connection.check_login()
    return connection


def test_version_through_the_common_service(connection: Any) -> None:
    version = connection.get_service("common").version()
    assert version["server_version"] == "18.0"


def test_login_and_user_context(connection: Any) -> None:
    assert connection.user_id > 0
    context = connection.get_user_context()
    assert context["lang"] == "en_US"
    assert context["uid"] == connection.user_id


def test_a_wrong_password_raises_authentication_error(server: Server, protocol: str) -> None:
    connection = _connection(server, protocol, server.admin.login, "wrong")
    with pytest.raises(AuthenticationError):
        connection.check_login()


def test_search_read_and_read(connection: Any) -> None:
    Partner = connection.get_model("res.partner")
    rows = Partner.search_read([("is_company", "=", True)], ["name"], limit=5, order="id")
    assert 0 < len(rows) <= 5
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    assert Partner.read(rows[0]["id"], ["name"]) == rows[0]  # one id -> one dict
    assert Partner.search_count([("is_company", "=", True)]) >= len(rows)


def test_read_group(connection: Any) -> None:
    Order = connection.get_model("sale.order")
    groups = Order.read_group([], ["amount_total:sum"], ["state"], lazy=False)
    assert sum(group["__count"] for group in groups) == Order.search_count([])


def test_create_write_unlink(connection: Any) -> None:
    Partner = connection.get_model("res.partner")
    name = unique_name()
    partner_id = Partner.create({"name": name})
    assert isinstance(partner_id, int)
    assert Partner.write([partner_id], {"email": "peer@example.com"}) is True
    assert Partner.read([partner_id], ["email"]) == [
        {"id": partner_id, "email": "peer@example.com"}
    ]
    assert Partner.unlink([partner_id]) is True
    assert Partner.search([("name", "=", name)]) == []


def test_access_errors_as_each_protocol_reports_them(
    server: Server, protocol: str, connection: Any
) -> None:
    demo = _connection(server, protocol, server.demo.login, server.demo.password)
    users = demo.get_model("res.users")
    message = "You are not allowed to modify 'User' (res.users) records."
    if protocol == "xmlrpc":  # legacy endpoint: the fault code is a string
        with pytest.raises(xmlrpc.client.Fault) as fault:
            users.write([connection.user_id], {"name": "x"})
        assert str(fault.value.faultCode).startswith("warning -- AccessError\n\n" + message)
        assert fault.value.faultString == ""
    else:
        with pytest.raises(JsonRPCException) as error:
            users.write([connection.user_id], {"name": "x"})
        assert error.value.error["data"]["name"] == "odoo.exceptions.AccessError"
        assert error.value.error["data"]["message"].startswith(message)
