"""SandboxCore: the common, db and object services, call_kw, JSON-2 and session info."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.exceptions import (
    AccessError,
    NotFound,
    OperationalError,
    UnprocessableEntity,
    UserError,
)

from .core_support import call, reference_core


@pytest.fixture(scope="module")
def core() -> Iterator[SandboxCore]:
    yield from reference_core()


@pytest.fixture(scope="module")
def core19() -> Iterator[SandboxCore]:
    yield from reference_core("19.0")


def test_common_service(core: SandboxCore) -> None:
    assert core.dispatch_rpc("common", "version", []) == {
        "server_version": "18.0",
        "server_version_info": [18, 0, 0, "final", 0, ""],
        "server_serie": "18.0",
        "protocol_version": 1,
    }
    assert core.dispatch_rpc("common", "about", [True]) == ["See http://openerp.com", "18.0"]
    with pytest.raises(TypeError, match=r"^exp_login\(\) missing 1 required positional"):
        core.dispatch_rpc("common", "login", ["ref", "admin"])
    with pytest.raises(Exception, match="Method not found: nope"):
        core.dispatch_rpc("common", "nope", [])
    with pytest.raises(KeyError):
        core.dispatch_rpc("nope", "version", [])


def test_db_service(core: SandboxCore) -> None:
    assert core.dispatch_rpc("db", "server_version", []) == "18.0"
    assert core.dispatch_rpc("db", "db_exist", ["ref"]) is True
    assert core.dispatch_rpc("db", "list", []) == ["ref"]


def test_unknown_database_is_postgresql_connection_error(core: SandboxCore) -> None:
    with pytest.raises(OperationalError, match='database "nope" does not exist'):
        core.dispatch_rpc("common", "authenticate", ["nope", "admin", "admin", {}])


def test_object_service_argument_handling(core: SandboxCore) -> None:
    execute = core.dispatch_rpc
    # execute_kw without kwargs, execute with positional arguments
    assert execute("object", "execute_kw", ["ref", 2, "admin", "res.country", "search_count",
                                            [[["code", "=", "BE"]]]]) == 1  # fmt: skip
    assert execute("object", "execute", ["ref", 2, "admin", "res.country", "search",
                                         [["code", "=", "BE"]]]) == [20]  # fmt: skip
    with pytest.raises(IndexError, match="tuple index out of range"):
        call(core, "res.partner", "read")


def test_method_visibility(core: SandboxCore, core19: SandboxCore) -> None:
    with pytest.raises(AccessError, match=r"^Private methods \(such as _search\) cannot"):
        call(core, "res.partner", "_search", [])
    with pytest.raises(AccessError, match=r"\(such as 'res.partner._search'\)"):
        call(core19, "res.partner", "_search", [])
    with pytest.raises(AttributeError, match="The method 'name_get' does not exist on the model"):
        call(core, "res.partner", "name_get", [1])
    with pytest.raises(UserError, match=r"Object no\.such doesn't exist"):
        call(core, "no.such", "search", [])


def test_web_call_kw(core: SandboxCore) -> None:
    result = core.call_kw("ref", 2, "res.partner", "read", [[10], ["name"]], {})
    assert result == [{"id": 10, "name": "Deco Addict"}]
    with pytest.raises(NotFound):
        core.call_kw("ref", 2, "no.such", "search", [[]], {})
    with pytest.raises(IndexError, match="list index out of range"):
        core.call_kw("ref", 2, "res.partner", "read", [], {})


def test_json2_named_arguments(core19: SandboxCore) -> None:
    named = core19.call_named
    assert named(
        "ref", 2, "res.country", "search", None, {"domain": [["code", "=", "BE"]]}, {}
    ) == [20]
    assert named("ref", 2, "crm.tag", "create", None, {"vals_list": {"name": "J2"}}, {}) == [9]
    with pytest.raises(UnprocessableEntity, match="missing a required argument: 'domain'"):
        named("ref", 2, "res.partner", "search", None, {}, {})
    with pytest.raises(UnprocessableEntity, match=r"cannot call res\.partner\.search with ids"):
        named("ref", 2, "res.partner", "search", [1], {"domain": []}, {})
    with pytest.raises(NotFound, match=r"The method 'res\.partner\.nope' does not exist"):
        named("ref", 2, "res.partner", "nope", None, {}, {})
    core19.reset()


def test_session_info_describes_the_user(core: SandboxCore) -> None:
    info = core.session_info("ref", 6)
    assert info["uid"] == 6 and info["name"] == "Marc Demo" and info["username"] == "demo"
    assert info["partner_display_name"] == "YourCompany, Marc Demo"
    assert info["is_admin"] is False and "iap_company_enrich" not in info
    assert list(info["user_companies"]["allowed_companies"]) == ["2", "1"]
    assert core.session_info("ref", 2)["is_system"] is True
