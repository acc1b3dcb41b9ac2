"""The recorded ``search`` and ``order`` cases of real Odoo 18.0, replayed in process.

Each case's call (``search_read``, ``search`` or ``search_count`` with its domain, order,
limit, offset and context) is compiled by :mod:`odoo_frames.sandbox.domain` and run on
the reference dataset; the ids (or the count, or the error) must be the recorded ones.
Only the record selection and ordering are checked here: the wire formats are the
conformance replay's business (``python -m tests.conformance.replay --area search``).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from odoo_frames.sandbox import domain as domainmod
from odoo_frames.sandbox.exceptions import exception_message, odoo_name
from odoo_frames.sandbox.orm import Env
from odoo_frames.sandbox.storage import Database

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "odoo-reference"
pytestmark = pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference corpus not found")

USERS = {"admin": 2, "demo": 6}
POSITIONAL = {
    "search_read": ("domain", "fields", "offset", "limit", "order"),
    "search": ("domain", "offset", "limit", "order"),
    "search_count": ("domain", "limit"),
}


def _cases(area: str) -> list[dict[str, Any]]:
    if not REFERENCE.is_dir():
        return []
    return list(json.loads((REFERENCE / "cases" / f"{area}.json").read_text("utf-8")))


@pytest.fixture(scope="module")
def db() -> Database:
    def load(name: str) -> Any:
        return json.loads((REFERENCE / name).read_text("utf-8"))

    return Database.from_dataset(load("dataset.json"), load("server.json"))


def _xmlrpc_values(value: Any) -> Any:
    """``<base64>`` values of hand-written XML-RPC requests arrive as bytes."""
    if isinstance(value, dict) and "__xmlrpc_base64__" in value:
        return base64.b64decode(value["__xmlrpc_base64__"])
    if isinstance(value, list):
        return [_xmlrpc_values(v) for v in value]
    return value


def _call(case: dict[str, Any]) -> tuple[str, str, list[Any], dict[str, Any]]:
    request = case["request"]
    if case["protocol"] == "web":
        params = request["params"]
        return params["model"], params["method"], params["args"], params.get("kwargs") or {}
    args = request["params"]["args"] if case["protocol"] == "jsonrpc" else request["params"]
    args = _xmlrpc_values(args)
    return args[3], args[4], args[5], (args[6] if len(args) > 6 else {}) or {}


def _request_uid(case: dict[str, Any]) -> int:
    """The uid of a hand-written request (its ``user`` is not recorded)."""
    request = case["request"]
    params = request["params"]["args"] if case["protocol"] == "jsonrpc" else request["params"]
    return int(params[1])


def _expected(case: dict[str, Any]) -> tuple[str, Any]:
    response = case["response"]
    if "result" in response:
        result = response["result"]
        if isinstance(result, list) and result and isinstance(result[0], dict):
            return "ok", [row["id"] for row in result]
        return "ok", result
    if "fault" in response:  # XML-RPC: "<Class>: <message>" is the traceback's last line
        name, _, message = (case.get("fault_exception") or "").partition(": ")
        return "error", (name, message.rstrip("\n"))
    data = response["error"]["data"]
    return "error", (data["name"].removeprefix("builtins."), data["message"])


def _run(db: Database, case: dict[str, Any]) -> tuple[str, Any]:
    model, method, args, kwargs = _call(case)
    uid = USERS[case["user"]] if case["user"] else _request_uid(case)
    env = Env(db, uid, kwargs.get("context") or {})
    params = dict(zip(POSITIONAL[method], args, strict=False))
    params.update({k: v for k, v in kwargs.items() if k != "context"})
    try:
        if "count" in params:  # search(count=True) is gone since 17.0
            raise TypeError("BaseModel.search() got an unexpected keyword argument 'count'")
        domain = params.get("domain")
        if method == "search_read":
            domain = domain or []
        if method == "search_count":
            sql, sql_params = domainmod.count_query(env, model, domain, limit=params.get("limit"))
            return "ok", db.conn.execute(sql, sql_params).fetchone()[0]
        sql, sql_params = domainmod.search_query(
            env,
            model,
            domain,
            offset=params.get("offset") or 0,
            limit=params.get("limit"),
            order=params.get("order"),
        )
        return "ok", [row[0] for row in db.conn.execute(sql, sql_params)]
    except Exception as exc:  # the recorded answer may be any error
        name = odoo_name(exc).removeprefix("builtins.")
        return "error", (name, exception_message(exc).rstrip("\n"))


def _ids_of(cases: list[dict[str, Any]]) -> list[str]:
    return [case["id"] for case in cases]


SEARCH = _cases("search")
ORDER = _cases("order")


@pytest.mark.parametrize("case", SEARCH, ids=_ids_of(SEARCH))
def test_recorded_search_case(db: Database, case: dict[str, Any]) -> None:
    assert _run(db, case) == _expected(case), case["title"]


@pytest.mark.parametrize("case", ORDER, ids=_ids_of(ORDER))
def test_recorded_order_case(db: Database, case: dict[str, Any]) -> None:
    kind, got = _run(db, case)
    want_kind, want = _expected(case)
    assert kind == want_kind, (case["title"], got)
    if "ordering_ties" in case:  # rows with equal sort keys come in any order
        assert sorted(got) == sorted(want), case["title"]
    else:
        assert got == want, case["title"]
