"""What client libraries look up before working: the user context, ir.model, the databases.

OdooRPC, Odooly and odoo-client-lib call ``res.users.context_get`` after logging in,
check models through ``ir.model`` and list databases with ``POST /web/database/list``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from odoo_frames.sandbox.core import SandboxCore
from odoo_frames.sandbox.exceptions import AccessError, UserError

from .core_support import call, reference_core
from .test_protocol_helpers import DB, serve


@pytest.fixture(scope="module")
def core() -> Iterator[SandboxCore]:
    yield from reference_core()


def test_context_get_is_the_users_language_time_zone_and_uid(core: SandboxCore) -> None:
    context = call(core, "res.users", "context_get")
    assert context == {"lang": "en_US", "tz": "Europe/Brussels", "uid": 2}
    assert list(context) == ["lang", "tz", "uid"]
    assert call(core, "res.users", "context_get", uid=6)["uid"] == 6


def test_ir_model_finds_a_model_by_name(core: SandboxCore) -> None:
    [found] = call(core, "ir.model", "search", [("model", "=", "res.partner")])
    assert call(core, "ir.model", "search", [("model", "=", "no.such.model")]) == []
    [row] = call(core, "ir.model", "read", [found], ["model", "name", "transient", "order"])
    assert row == {
        "id": found,
        "model": "res.partner",
        "name": "Contact",
        "transient": False,
        "order": "complete_name ASC, id DESC",
    }


def test_ir_model_lists_the_sandbox_models_in_model_order(core: SandboxCore) -> None:
    rows = call(core, "ir.model", "search_read", [], ["model", "transient"])
    names = [row["model"] for row in rows]
    assert names == sorted(names)
    assert {"res.partner", "sale.order", "ir.model"} <= set(names)
    transient = {row["model"] for row in rows if row["transient"]}
    assert transient == {"res.users.apikeys.description", "res.users.identitycheck"}


def test_ir_model_counts_records_and_names_delegation_parents(core: SandboxCore) -> None:
    [variant] = call(
        core,
        "ir.model",
        "search_read",
        [("model", "=", "product.product")],
        ["count", "inherited_model_ids"],
    )
    [template] = call(core, "ir.model", "search", [("model", "=", "product.template")])
    assert variant["inherited_model_ids"] == [template]
    assert variant["count"] == call(
        core, "product.product", "search_count", [], context={"active_test": False}
    )


def test_ir_model_name_search_matches_description_and_technical_name(core: SandboxCore) -> None:
    by_description = call(core, "ir.model", "name_search", "Contact")
    by_name = call(core, "ir.model", "name_search", "res.partner")
    assert [name for _, name in by_description] == ["Contact"]
    assert "Contact" in [name for _, name in by_name]


def test_ir_model_fields_get_describes_its_fields(core: SandboxCore) -> None:
    fields = call(core, "ir.model", "fields_get", attributes=["type", "string"])
    assert fields["model"] == {"type": "char", "string": "Model"}
    assert fields["transient"] == {"type": "boolean", "string": "Transient Model"}
    assert "abstract" not in fields  # 19.0 adds it


def test_ir_model_is_read_only(core: SandboxCore) -> None:
    with pytest.raises(AccessError, match=r"not allowed to modify 'Models' \(ir.model\)"):
        call(core, "ir.model", "write", [1], {"name": "x"}, uid=6)
    with pytest.raises(UserError, match="read-only"):
        call(core, "ir.model", "create", {"name": "x", "model": "x_test"})


def test_ir_model_of_19_has_the_abstract_flag() -> None:
    for core in reference_core("19.0"):
        rows = call(core, "ir.model", "search_read", [("abstract", "=", False)], ["abstract"])
        assert rows and not any(row["abstract"] for row in rows)
        doc = core.method_doc(DB, 2, "ir.model")  # GET /doc-bearer/ir.model.json
        assert doc["name"] == "Models" and "abstract" in doc["fields"]
        assert {"search_read", "fields_get"} <= set(doc["methods"])


def test_the_database_list_route_needs_no_session() -> None:
    with serve() as url:
        body = {"jsonrpc": "2.0", "method": "call", "params": {}, "id": 7}
        answer = requests.post(f"{url}/web/database/list", json=body).json()
    assert answer == {"jsonrpc": "2.0", "id": 7, "result": [DB]}
