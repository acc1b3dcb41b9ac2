"""Odooly against the sandbox, in both of its modes, used as its documentation shows.

* web mode (``Client("http://host:port", db, user, password)``): ``/web/webclient/version_info``,
  ``/web/database/list`` (errors ignored), ``/web/session/authenticate``, then
  ``/web/dataset/call_kw/<model>/<method>`` for every call;
* JSON-RPC mode (``Client("http://host:port/jsonrpc", ...)``): ``common.version``,
  ``/web/database/list``, ``common.login``, ``object.execute_kw`` (``context_get`` first).

Both look models up through ``ir.model`` (``search_read(['model', 'transient'])`` and its
``fields_get``) the first time ``env[<model>]`` is used.
"""

from __future__ import annotations

from typing import Any

import odooly
import pytest

from .conftest import Server, unique_name

pytestmark = pytest.mark.peers


def _client(server: Server, mode: str, login: str, password: str) -> Any:
    url = server.url + ("/jsonrpc" if mode == "jsonrpc" else "")
    return odooly.Client(url, db=server.db, user=login, password=password)


@pytest.fixture(scope="module", params=["web", "jsonrpc"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def client(server: Server, mode: str) -> Any:
    return _client(server, mode, server.admin.login, server.admin.password)


def test_connecting_reads_the_server_version(client: Any) -> None:
    assert client.server_version == "18.0"
    assert client.version_info == 18.0


def test_login_knows_the_user(server: Server, client: Any) -> None:
    env = client.env
    assert env.db_name == server.db
    assert env.uid > 0
    assert env.user.name
    assert env.execute("res.users", "read", [env.uid], ["login"])[0]["login"] == server.admin.login


def test_the_database_list_route(server: Server, client: Any) -> None:
    assert server.db in client.database.list()  # POST /web/database/list


def test_a_wrong_password_is_refused(server: Server, mode: str, client: Any) -> None:
    # Odooly caches the uid of each successful login per (database, server URL). In
    # JSON-RPC mode it then skips ``common.login`` for that user and sends the wrong
    # password straight to ``execute_kw(res.users.context_get)``: real Odoo answers
    # AccessDenied there. The web mode authenticates every time.
    if mode == "jsonrpc":
        with pytest.raises(odooly.ServerError) as error:
            _client(server, mode, server.admin.login, "wrong")
        assert error.value.args[0]["data"]["name"] == "odoo.exceptions.AccessDenied"
    else:
        with pytest.raises(odooly.Error, match="Invalid username or password"):
            _client(server, mode, server.admin.login, "wrong")


def test_models_are_looked_up_through_ir_model(client: Any) -> None:
    assert "res.partner" in client.env.models("res.partner")
    assert client.env["res.partner"].search_count([]) > 0


def test_search_returns_records_whose_fields_read_lazily(client: Any) -> None:
    Partner = client.env["res.partner"]
    companies = Partner.search(["is_company = True"], limit=5)
    assert 0 < len(companies) <= 5
    names = companies.read("name")
    assert len(names) == len(companies) and all(isinstance(name, str) for name in names)
    assert Partner.search_count([("is_company", "=", True)]) >= len(companies)
    rows = Partner.search_read([("is_company", "=", True)], "name country_id", limit=3)
    assert all(set(row) == {"id", "name", "country_id"} for row in rows)


def test_create_write_unlink(client: Any) -> None:
    Partner = client.env["res.partner"]
    name = unique_name()
    partner = Partner.create({"name": name, "email": "peer@example.com"})
    assert partner.name == name
    partner.write({"phone": "+32 2 000 00 00"})
    partner.refresh()
    assert (partner.email, partner.phone) == ("peer@example.com", "+32 2 000 00 00")
    partner.unlink()
    assert not Partner.search([("name", "=", name)])


def test_read_group(client: Any) -> None:
    groups = client.env.execute(
        "sale.order", "read_group", [], ["amount_total:sum"], ["state"], lazy=False
    )
    assert sum(group["__count"] for group in groups) == client.env.execute(
        "sale.order", "search_count", []
    )


def test_server_errors_carry_the_odoo_exception(server: Server, mode: str, client: Any) -> None:
    demo = _client(server, mode, server.demo.login, server.demo.password)
    with pytest.raises(odooly.ServerError) as error:
        demo.env.execute("res.users", "write", [client.env.uid], {"name": "x"})
    data = error.value.args[0]["data"]
    assert data["name"] == "odoo.exceptions.AccessError"
    assert data["message"].startswith("You are not allowed to modify 'User' (res.users) records.")

    with pytest.raises(odooly.ServerError) as error:
        client.env.execute("res.partner", "search", [("no_such_field", "=", 1)])
    assert error.value.args[0]["data"]["name"] == "builtins.ValueError"
