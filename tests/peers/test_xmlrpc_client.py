"""Python's own ``xmlrpc.client`` against the sandbox, exactly as Odoo's documentation
teaches it (``/xmlrpc/2/common`` and ``/xmlrpc/2/object``), faults included.
"""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import pytest

from .conftest import Server, unique_name

pytestmark = pytest.mark.peers


@pytest.fixture(scope="module")
def common(server: Server) -> Any:
    return xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/common")


@pytest.fixture(scope="module")
def models(server: Server) -> Any:
    return xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object")


@pytest.fixture(scope="module")
def uid(server: Server, common: Any) -> int:
    uid = common.authenticate(server.db, server.admin.login, server.admin.password, {})
    assert isinstance(uid, int) and uid > 0
    return uid


@pytest.fixture(scope="module")
def call(server: Server, models: Any, uid: int) -> Any:
    """``call(model, method, *args, **kwargs)`` as admin through ``execute_kw``."""

    def execute(model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        return models.execute_kw(
            server.db, uid, server.admin.password, model, method, list(args), kwargs
        )

    return execute


def test_version_needs_no_login(common: Any) -> None:
    version = common.version()
    assert version["server_version"] == "18.0"
    assert version["server_serie"] == "18.0"
    assert version["server_version_info"][:2] == [18, 0]
    assert version["protocol_version"] == 1


def test_login_and_authenticate_return_the_uid_or_false(
    server: Server, common: Any, uid: int
) -> None:
    assert common.login(server.db, server.admin.login, server.admin.password) == uid
    assert common.authenticate(server.db, server.admin.login, "wrong", {}) is False
    assert common.login(server.db, "nobody", "admin") is False


def test_an_api_key_works_as_the_password(server: Server, common: Any, models: Any) -> None:
    if not server.admin.api_key:
        pytest.skip("the sandbox handle does not tell the admin API key")
    uid = common.authenticate(server.db, server.admin.login, server.admin.api_key, {})
    assert uid
    count = models.execute_kw(
        server.db, uid, server.admin.api_key, "res.partner", "search_count", [[]]
    )
    assert count > 0


def test_db_list_names_the_database(server: Server) -> None:
    databases: Any = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/db").list()
    assert server.db in databases


def test_search_read_returns_the_requested_fields(call: Any) -> None:
    rows = call(
        "res.partner",
        "search_read",
        [["is_company", "=", True]],
        fields=["name", "country_id"],
        limit=5,
    )
    assert 0 < len(rows) <= 5
    for row in rows:
        assert set(row) == {"id", "name", "country_id"}
        assert row["country_id"] is False or (
            isinstance(row["country_id"], list) and len(row["country_id"]) == 2
        )


def test_search_count_search_and_read_agree(call: Any) -> None:
    domain = [["customer_rank", ">", 0]]
    ids = call("res.partner", "search", domain)
    assert call("res.partner", "search_count", domain) == len(ids)
    rows = call("res.partner", "read", ids[:3], ["name"])
    assert [row["id"] for row in rows] == ids[:3]


def test_read_group_counts_add_up(call: Any) -> None:
    groups = call("sale.order", "read_group", [], ["amount_total:sum"], ["state"], lazy=True)
    assert groups
    for group in groups:
        assert {"state", "state_count", "amount_total", "__domain"} <= set(group)
    assert sum(group["state_count"] for group in groups) == call("sale.order", "search_count", [])


def test_create_write_unlink_round_trip(call: Any) -> None:
    name = unique_name()
    partner_id = call("res.partner", "create", {"name": name, "email": "peer@example.com"})
    assert isinstance(partner_id, int)
    assert call("res.partner", "create", [{"name": name + " a"}, {"name": name + " b"}]) == [
        partner_id + 1,
        partner_id + 2,
    ]
    assert call("res.partner", "write", [partner_id], {"phone": "+32 2 000 00 00"}) is True
    [row] = call("res.partner", "read", [partner_id], ["name", "email", "phone"])
    assert row == {
        "id": partner_id,
        "name": name,
        "email": "peer@example.com",
        "phone": "+32 2 000 00 00",
    }
    ids = [partner_id, partner_id + 1, partner_id + 2]
    assert call("res.partner", "unlink", ids) is True
    assert call("res.partner", "read", ids, ["name"]) == []


def test_name_search_returns_id_and_display_name_pairs(call: Any) -> None:
    [row] = call(
        "res.partner",
        "search_read",
        [["is_company", "=", True]],
        fields=["name", "display_name"],
        limit=1,
    )
    pairs = call("res.partner", "name_search", row["name"], limit=100)
    assert [row["id"], row["display_name"]] in pairs


# -- faults as real Odoo gives them -----------------------------------------------------


def test_a_wrong_password_is_fault_3_access_denied(server: Server, models: Any, uid: int) -> None:
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(server.db, uid, "wrong", "res.partner", "search", [[]])
    assert fault.value.faultCode == 3
    assert fault.value.faultString == "Access Denied"


def test_an_access_error_is_fault_4(server: Server, common: Any, models: Any, uid: int) -> None:
    demo_uid = common.authenticate(server.db, server.demo.login, server.demo.password, {})
    assert demo_uid
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(
            server.db, demo_uid, server.demo.password, "res.users", "write", [[uid], {"name": "x"}]
        )
    assert fault.value.faultCode == 4
    assert fault.value.faultString.startswith(
        "You are not allowed to modify 'User' (res.users) records."
    )


def test_user_errors_are_fault_2(call: Any) -> None:
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call("no.such.model", "search", [])
    assert (fault.value.faultCode, fault.value.faultString) == (
        2,
        "Object no.such.model doesn't exist",
    )
    missing = call("res.partner", "search", [], order="id desc", limit=1)[0] + 1000
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call("res.partner", "write", [missing], {"name": "x"})
    assert fault.value.faultCode == 2  # MissingError
    assert "does not exist" in fault.value.faultString


def test_other_errors_are_fault_1_with_a_traceback(call: Any) -> None:
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call("res.partner", "search", [["no_such_field", "=", 1]])
    assert fault.value.faultCode == 1
    assert fault.value.faultString.startswith("Traceback (most recent call last):\n")
    assert fault.value.faultString.endswith(
        "ValueError: Invalid field res.partner.no_such_field in leaf ('no_such_field', '=', 1)\n"
    )


def test_a_method_returning_none_cannot_be_marshalled(call: Any) -> None:
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call("res.partner", "check_access_rights", "read")
    assert fault.value.faultCode == 1
    assert "cannot marshal None unless allow_none is enabled" in fault.value.faultString
