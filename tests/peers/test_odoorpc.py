"""OdooRPC against the sandbox, used exactly as its documentation shows.

Endpoints it calls: ``/web/webclient/version_info`` (version probe, no cookie yet),
``/jsonrpc`` ``common.login``, ``object.execute`` ``res.users.context_get`` and
``fields_get`` (every model proxy), ``object.execute_kw`` for everything else (with the
user context), ``db.list``.
"""

from __future__ import annotations

from typing import Any

import odoorpc
import pytest

from .conftest import Server, unique_name

pytestmark = pytest.mark.peers


@pytest.fixture(scope="module")
def odoo(server: Server) -> Any:
    odoo = odoorpc.ODOO(server.host, port=server.port)
    odoo.login(server.db, server.admin.login, server.admin.password)
    return odoo


def test_the_version_probe_finds_18(server: Server) -> None:
    assert odoorpc.ODOO(server.host, port=server.port).version == "18.0"


def test_db_list_names_the_database_without_login(server: Server) -> None:
    assert server.db in odoorpc.ODOO(server.host, port=server.port).db.list()


def test_login_loads_the_user_context(server: Server, odoo: Any) -> None:
    context = odoo.env.context
    assert context["uid"] == odoo.env.uid
    assert context["lang"] == "en_US"
    assert "tz" in context
    assert odoo.env.user.login == server.admin.login


def test_a_wrong_password_is_refused(server: Server) -> None:
    client = odoorpc.ODOO(server.host, port=server.port)
    with pytest.raises(odoorpc.error.RPCError, match="Wrong login ID or password"):
        client.login(server.db, server.admin.login, "wrong")


def test_search_search_count_and_browse(odoo: Any) -> None:
    Partner = odoo.env["res.partner"]
    ids = Partner.search([("is_company", "=", True)], limit=5)
    assert 0 < len(ids) <= 5
    assert Partner.search_count([("is_company", "=", True)]) >= len(ids)
    companies = Partner.browse(ids)
    assert [partner.id for partner in companies] == ids
    assert all(partner.is_company for partner in companies)
    assert all(isinstance(partner.name, str) for partner in companies)


def test_many2one_fields_browse_the_related_record(odoo: Any) -> None:
    Partner = odoo.env["res.partner"]
    [row] = Partner.search_read([("country_id", "!=", False)], ["country_id"], limit=1)
    partner = Partner.browse(row["id"])
    assert partner.country_id.id == row["country_id"][0]
    assert partner.country_id.name == row["country_id"][1]


def test_search_read_and_read_group(odoo: Any) -> None:
    Order = odoo.env["sale.order"]
    rows = Order.search_read([], ["name", "amount_total", "state"], order="id", limit=10)
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    groups = Order.read_group([], ["amount_total:sum"], ["state"], lazy=False)
    assert sum(group["__count"] for group in groups) == Order.search_count([])


def test_create_assign_unlink(odoo: Any) -> None:
    Partner = odoo.env["res.partner"]
    name = unique_name()
    partner_id = Partner.create({"name": name})
    partner = Partner.browse(partner_id)
    assert partner.name == name
    partner.email = "peer@example.com"  # auto_commit: one write call
    assert Partner.read([partner_id], ["email"])[0]["email"] == "peer@example.com"
    partner.unlink()
    assert Partner.search([("name", "=", name)]) == []


def test_errors_carry_the_odoo_exception_name(server: Server, odoo: Any) -> None:
    demo = odoorpc.ODOO(server.host, port=server.port)
    demo.login(server.db, server.demo.login, server.demo.password)
    with pytest.raises(odoorpc.error.RPCError) as error:
        demo.env["res.users"].browse(odoo.env.uid).write({"name": "x"})
    assert error.value.info["data"]["name"] == "odoo.exceptions.AccessError"
    assert str(error.value).startswith("You are not allowed to modify 'User' (res.users) records.")

    with pytest.raises(odoorpc.error.RPCError) as error:
        odoo.env["res.partner"].search([("no_such_field", "=", 1)])
    assert error.value.info["data"]["name"] == "builtins.ValueError"
    assert error.value.info["code"] == 200
    assert error.value.info["message"] == "Odoo Server Error"


def test_model_existence_is_checked_through_ir_model(odoo: Any) -> None:
    assert "res.partner" in odoo.env
    assert "no.such.model" not in odoo.env
