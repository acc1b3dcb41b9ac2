"""odoo-client-lib's JSON-2 connection against a 19.0 sandbox.

Endpoints: ``POST /json/2/<model>/<method>`` with ``Authorization: Bearer <api key>`` and
``X-Odoo-Database``; positional calls first fetch ``GET /doc-bearer/<model>.json`` to
name the arguments. HTTP 401 -> ``AuthenticationError``, 422 -> ``ValueError("Invalid
request: ...")``, other non-200 -> ``ValueError("Unexpected status code ...")``.
"""

from __future__ import annotations

from typing import Any

import odoolib
import pytest
from odoolib.tools import AuthenticationError

from .conftest import Server, unique_name

pytestmark = pytest.mark.peers

SANDBOX_VERSION = "19.0"


def _connection(server: Server, api_key: str) -> Any:
    return odoolib.get_connection(
        hostname=server.host,
        protocol="json2",
        port=server.port,
        database=server.db,
        password=api_key,
    )


@pytest.fixture(scope="module")
def connection(server: Server) -> Any:
    if not server.admin.api_key:
        pytest.fail("the 19.0 sandbox handle must tell the admin API key (box.users/box.api_key)")
    return _connection(server, server.admin.api_key)


def test_the_api_key_authenticates(connection: Any) -> None:
    assert connection.check_login() is True
    context = connection.get_user_context()
    assert context["lang"] == "en_US" and context["uid"] > 0


def test_a_wrong_api_key_is_refused(server: Server) -> None:
    assert _connection(server, "0" * 40).check_login() is False
    with pytest.raises(AuthenticationError):
        _connection(server, "0" * 40).get_model("res.partner").search_count(domain=[])


def test_named_arguments(connection: Any) -> None:
    Partner = connection.get_model("res.partner")
    rows = Partner.search_read(domain=[["is_company", "=", True]], fields=["name"], limit=5)
    assert 0 < len(rows) <= 5 and all(set(row) == {"id", "name"} for row in rows)
    assert Partner.search_count(domain=[["is_company", "=", True]]) >= len(rows)
    groups = connection.get_model("sale.order").formatted_read_group(
        domain=[], groupby=["state"], aggregates=["__count"]
    )
    assert sum(group["__count"] for group in groups) == connection.get_model(
        "sale.order"
    ).search_count(domain=[])


def test_positional_arguments_are_named_from_the_doc(connection: Any) -> None:
    Partner = connection.get_model("res.partner")
    ids = Partner.search([["is_company", "=", True]], limit=2)
    assert ids and Partner.read(ids[:1], ["name"])["id"] == ids[0]  # one record -> one dict


def test_create_write_unlink(connection: Any) -> None:
    Partner = connection.get_model("res.partner")
    name = unique_name()
    [partner_id] = Partner.create(vals_list=[{"name": name}])  # JSON-2: always a list
    assert Partner.write(ids=[partner_id], vals={"email": "peer@example.com"}) is True
    [row] = Partner.search_read(domain=[["id", "=", partner_id]], fields=["email"])
    assert row == {"id": partner_id, "email": "peer@example.com"}
    assert Partner.unlink(ids=[partner_id]) is True
    assert Partner.search(domain=[["name", "=", name]]) == []


def test_errors_map_to_http_statuses(connection: Any) -> None:
    Partner = connection.get_model("res.partner")
    [partner_id] = Partner.create(vals_list=[{"name": unique_name()}])
    with pytest.raises(ValueError, match="Invalid request"):  # 422: ValidationError
        Partner.write(ids=[partner_id], vals={"parent_id": partner_id})  # recursion
    with pytest.raises(ValueError, match="Unexpected status code 404"):  # MissingError
        Partner.write(ids=[10**9], vals={"name": "x"})
    with pytest.raises(ValueError, match="Unexpected status code 500"):  # builtins.ValueError
        Partner.search(domain=[["no_such_field", "=", 1]])
    with pytest.raises(ValueError, match="Unexpected status code 404"):  # unknown model
        connection.get_model("no.such.model").search(domain=[])
