"""The web client methods (web_read, web_search_read, web_save), toggle_active and the API-key wizards."""

from __future__ import annotations

from typing import Any

import pytest

from odoo_frames.sandbox.business import apikeys
from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.exceptions import AccessDenied, UserError

from .core_support import call

pytestmark = pytest.mark.usefixtures("reset_core")


def web(core: SandboxCore, model: str, method: str, args: list[Any], **kwargs: Any) -> Any:
    """``/web/dataset/call_kw`` as admin."""
    return core.call_kw("ref", 2, model, method, args, kwargs)


def test_web_search_read_counts_only_full_pages(core: SandboxCore) -> None:
    spec = {"name": {}, "partner_id": {"fields": {"display_name": {}}}, "amount_total": {}}
    result = web(
        core,
        "sale.order",
        "web_search_read",
        [[["state", "=", "draft"]]],
        specification=spec,
        limit=3,
        order="id",
    )
    assert result == {
        "length": 4,
        "records": [
            {
                "id": 1,
                "name": "S00001",
                "partner_id": {"id": 10, "display_name": "Deco Addict"},
                "amount_total": 1740.0,
            },
            {
                "id": 2,
                "name": "S00002",
                "partner_id": {"id": 12, "display_name": "Ready Mat"},
                "amount_total": 2947.5,
            },
            {
                "id": 3,
                "name": "S00003",
                "partner_id": {"id": 12, "display_name": "Ready Mat"},
                "amount_total": 377.5,
            },
        ],
    }
    small = web(
        core,
        "sale.order",
        "web_search_read",
        [[["state", "=", "draft"]]],
        specification={"name": {}},
        limit=10,
        order="id",
    )
    assert small["length"] == 4
    assert web(core, "sale.order", "web_search_read", [[["id", "=", 0]]], specification={}) == {
        "length": 0,
        "records": [],
    }


def test_web_save_creates_then_writes_and_answers_web_read(core: SandboxCore) -> None:
    created = web(
        core,
        "res.partner",
        "web_save",
        [[], {"name": "Web Saved", "is_company": True}],
        specification={"name": {}, "display_name": {}, "is_company": {}},
    )
    assert created == [
        {"id": 44, "name": "Web Saved", "display_name": "Web Saved", "is_company": True}
    ]
    written = web(
        core,
        "res.partner",
        "web_save",
        [[44], {"email": "ws@example.com", "category_id": [[4, 2]]}],
        specification={"email": {}, "category_id": {"fields": {"display_name": {}}}},
    )
    assert written == [
        {
            "id": 44,
            "email": "ws@example.com",
            "category_id": [{"id": 2, "display_name": "Prospects"}],
        }
    ]
    plain = web(
        core, "res.partner", "web_read", [[44]], specification={"category_id": {}, "parent_id": {}}
    )
    assert plain == [{"id": 44, "category_id": [2], "parent_id": False}]
    assert web(core, "res.partner", "web_save", [[44], {}], specification={}) == [{"id": 44}]


def test_web_read_nested_many2one_and_x2many_options(core: SandboxCore) -> None:
    result = web(
        core,
        "sale.order",
        "web_read",
        [[1]],
        specification={
            "partner_id": {"fields": {"name": {}, "country_id": {"fields": {"code": {}}}}},
            "user_id": {"fields": {"id": {}}},
            "order_line": {
                "fields": {"price_subtotal": {}},
                "order": "price_subtotal desc",
                "limit": 2,
            },
        },
    )
    assert result[0]["partner_id"] == {
        "id": 10,
        "name": "Deco Addict",
        "country_id": {"id": 233, "code": "US"},
    }
    assert result[0]["user_id"] == 6
    lines = result[0]["order_line"]
    assert [sorted(line) for line in lines[:2]] == [["id", "price_subtotal"]] * 2
    assert lines[0]["price_subtotal"] >= lines[1]["price_subtotal"]
    assert lines[2] == {"id": lines[2]["id"]}


def test_toggle_active_of_any_model(core: SandboxCore) -> None:
    assert call(core, "res.partner", "toggle_active", [13]) is None
    assert call(core, "res.partner", "search", [["id", "=", 13]]) == []
    call(core, "res.partner", "toggle_active", [13])
    assert call(core, "res.partner", "search", [["id", "=", 13]]) == [13]


def test_the_api_key_wizard_flow_mints_a_key_that_works_as_a_password(core: SandboxCore) -> None:
    assert web(
        core,
        "res.users.apikeys.description",
        "web_save",
        [[], {"name": "scenario key", "duration": "0"}],
        specification={},
    ) == [{"id": 2}]
    action = web(core, "res.users.apikeys.description", "make_key", [[2]])
    assert action == {
        "type": "ir.actions.act_window",
        "res_model": "res.users.identitycheck",
        "res_id": 2,
        "name": "Security Control",
        "target": "new",
        "views": [[False, "form"]],
    }
    assert web(core, "res.users.identitycheck", "write", [[2], {"password": "admin"}]) is True
    ready = web(core, "res.users.identitycheck", "run_check", [[2]])
    key = ready["context"]["default_key"]
    assert ready == {
        "type": "ir.actions.act_window",
        "res_model": "res.users.apikeys.show",
        "name": "API Key Ready",
        "views": [[False, "form"]],
        "target": "new",
        "context": {"default_key": key},
    }
    assert len(key) == 40 and int(key, 16) >= 0
    assert core.dispatch_rpc("common", "authenticate", ["ref", "admin", key, {}]) == 2
    assert (
        core.dispatch_rpc(
            "object", "execute_kw", ["ref", 2, key, "res.partner", "search_count", [[]], {}]
        )
        > 0
    )
    with pytest.raises(AccessDenied):
        core.authenticate("ref", "admin", key, interactive=True)
    core.reset()
    assert core.dispatch_rpc("common", "authenticate", ["ref", "admin", key, {}]) is False


def test_a_wrong_password_is_refused_and_the_description_kept(core: SandboxCore) -> None:
    web(core, "res.users.apikeys.description", "web_save", [[], {"name": "k"}], specification={})
    action = web(core, "res.users.apikeys.description", "make_key", [[2]])
    web(core, "res.users.identitycheck", "write", [[action["res_id"]], {"password": "wrong"}])
    with pytest.raises(UserError, match=r"^Incorrect Password, try again"):
        web(core, "res.users.identitycheck", "run_check", [[action["res_id"]]])
    assert web(core, "res.users.apikeys.description", "read", [[2], ["name"]]) == [
        {"id": 2, "name": "k"}
    ]


def test_mint_key_helper(core: SandboxCore) -> None:
    env = core.env("ref", 2)
    with env.db.transaction():
        key = apikeys.mint_key(env, "helper", password="admin")
    assert apikeys.key_owner(env.db, key) == 2
    assert apikeys.key_owner(env.db, "0" * 40) is None
