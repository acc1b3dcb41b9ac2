"""Authentication, API keys, model access rights and record rules, with Odoo's texts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from odoo_frames.sandbox import security
from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.exceptions import AccessDenied, AccessError, MissingError

from .core_support import call, reference_core

API_KEY = "5e3d5d4901f42bb465d4a618f2de967b6b0687a8"


@pytest.fixture(scope="module")
def core() -> Iterator[SandboxCore]:
    yield from reference_core()


@pytest.fixture(autouse=True)
def fresh(core: SandboxCore) -> None:
    core.reset()


def test_rpc_authentication_accepts_passwords_and_api_keys(core: SandboxCore) -> None:
    authenticate = core.dispatch_rpc
    assert authenticate("common", "authenticate", ["ref", "demo", "demo", {}]) == 6
    assert authenticate("common", "authenticate", ["ref", "admin", API_KEY, {}]) == 2
    assert authenticate("common", "login", ["ref", "admin", "wrong"]) is False
    assert authenticate("common", "login", ["ref", "nobody", "admin"]) is False
    with pytest.raises(AssertionError, match="scope and key required"):
        authenticate("common", "authenticate", ["ref", "admin", "", {}])


def test_web_login_refuses_api_keys(core: SandboxCore) -> None:
    assert core.authenticate("ref", "admin", "admin", interactive=True) == 2
    with pytest.raises(AccessDenied):
        core.authenticate("ref", "admin", API_KEY, interactive=True)
    assert core.check_api_key("ref", API_KEY) == 2
    assert core.check_api_key("ref", "nope") is None


def test_object_calls_check_the_uid_and_its_password(core: SandboxCore) -> None:
    execute = core.dispatch_rpc
    with pytest.raises(MissingError, match=r"\(Record: res.users\(999,\), User: 999\)"):
        execute("object", "execute_kw", ["ref", 999, "admin", "res.partner", "search_count", [[]]])
    with pytest.raises(AccessDenied):
        execute("object", "execute_kw", ["ref", 6, API_KEY, "res.partner", "search_count", [[]]])
    with pytest.raises(AccessDenied):
        execute("object", "execute_kw", ["ref", 2, "", "res.partner", "search_count", [[]]])


def test_model_access_errors_name_the_groups(core: SandboxCore) -> None:
    with pytest.raises(AccessError) as info:
        call(core, "res.users", "write", [2], {"name": "Hacked"}, uid=6)
    assert str(info.value) == (
        "You are not allowed to modify 'User' (res.users) records.\n\n"
        "This operation is allowed for the following groups:\n\t- Administration/Access Rights"
        "\n\nContact your administrator to request access if necessary."
    )
    with pytest.raises(AccessError, match=r"create 'Journal' \(account\.journal\)"):
        call(
            core, "account.journal", "create", {"name": "X", "code": "XX", "type": "general"}, uid=6
        )


def test_a_salesman_sees_his_own_and_unassigned_leads_and_orders(core: SandboxCore) -> None:
    assert call(core, "crm.lead", "search_count", [], uid=6) == 21
    assert call(core, "sale.order", "search_count", [], uid=6) == 17
    assert call(core, "crm.lead", "search_count", [], uid=2) == 39


def test_reading_a_record_hidden_by_a_rule_is_an_access_error(core: SandboxCore) -> None:
    with pytest.raises(AccessError) as info:
        call(core, "crm.lead", "read", [1], ["name"], uid=6)
    assert str(info.value).startswith(
        "Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n"
        "Sorry, Marc Demo (id=6) doesn't have 'read' access to:\n- Lead/Opportunity (crm.lead)"
    )


def test_missing_ids_are_dropped_but_hidden_ones_are_refused(core: SandboxCore) -> None:
    """A read applies its rules in the query; a row that does not come back is then
    told apart: missing (dropped, as Odoo does) or hidden by a rule (AccessError)."""
    own = call(core, "crm.lead", "search", [], uid=6)[:2]
    rows = call(core, "crm.lead", "read", [*own, 999_999], ["name"], uid=6)
    assert [row["id"] for row in rows] == own
    with pytest.raises(AccessError):
        call(core, "crm.lead", "read", [*own, 999_999, 1], ["name"], uid=6)


def test_rules_also_filter_x2many_reads(core: SandboxCore) -> None:
    admin = call(core, "res.partner", "read", [12], ["sale_order_ids"])[0]["sale_order_ids"]
    demo = call(core, "res.partner", "read", [12], ["sale_order_ids"], uid=6)[0]["sale_order_ids"]
    assert set(demo) < set(admin)


def test_multi_company_rules_follow_allowed_company_ids(core: SandboxCore) -> None:
    everywhere = call(core, "stock.warehouse", "search", [])
    chicago = call(core, "stock.warehouse", "search", [], context={"allowed_company_ids": [2]})
    assert everywhere == [1, 2] and chicago == [2]


def test_rule_domain_of_a_salesman(core: SandboxCore) -> None:
    env = core.env("ref", 6)
    assert security.rule_domain(env, "crm.lead", "read")[:3] == [
        "&",
        "|",
        ("user_id", "=", 6),
    ]
    assert env.sudo().rule_domain("crm.lead") is None
