"""upsert(): match rows to records by a natural key, update what changed, create the rest."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pandas as pd
import polars as pl
import pytest

import odoo_frames as of
from odoo_frames.errors import WritebackError
from odoo_frames.upsert import plan_upsert

from .conftest import CallSpy, ServerLog, server_values


def unique_email_partners(odoo: of.Client, n: int) -> list[dict[str, Any]]:
    rows = odoo.call(
        "res.partner", "search_read", [("email", "!=", False)], fields=["email", "name", "phone"]
    )
    counts = Counter(r["email"] for r in rows)
    return sorted((r for r in rows if counts[r["email"]] == 1), key=lambda r: r["id"])[:n]


def frame_of(rows: dict[str, list[Any]], backend: str) -> Any:
    return pl.DataFrame(rows) if backend == "polars" else pd.DataFrame(rows)


def test_upsert_by_email(
    odoo: of.Client, backend: str, spy: CallSpy, server_log: ServerLog
) -> None:
    known = unique_email_partners(odoo, 1500)
    changed, same = known[:1000], known[1000:]
    rows = {
        "email": [r["email"] for r in known] + [f"lead{i}@newco.example" for i in range(300)],
        "name": [r["name"] for r in known] + [f"Lead {i}" for i in range(300)],
        "phone": ["+32 9 999 99 99"] * 1000 + [r["phone"] or None for r in same] + ["+1"] * 300,
    }
    spy.calls.clear()

    result = odoo["res.partner"].upsert(frame_of(rows, backend), key="email", batch_size=200)

    assert result.counts == {"written": 1000, "created": 300}
    assert result.plan.counts["write_calls"] == math.ceil(1000 / 200)
    sent = Counter(method for _, method in spy.data_calls())
    # the keys are found by batched search_read (1,800 keys: 2 calls), then the stale check
    assert sent == {"search_read": 2 + 1, "write": 5, "search": 1, "create": 2}
    assert server_log.written_ids("res.partner") == {r["id"] for r in changed}
    phones = server_values(odoo, "res.partner", [r["id"] for r in changed], ["phone"])
    assert {v["phone"] for v in phones.values()} == {"+32 9 999 99 99"}
    created = odoo.call(
        "res.partner", "search_read", [("email", "=like", "lead%@newco.example")], fields=["name"]
    )
    assert len(created) == 300

    # the same data again: everything matches, nothing is written
    server_log.clear()
    again = odoo["res.partner"].upsert(frame_of(rows, backend), key="email")
    assert again.counts == {} and len(again.plan) == 0
    assert server_log.calls == []


def test_upsert_by_a_composite_key_with_x2many(odoo: of.Client, backend: str) -> None:
    known = unique_email_partners(odoo, 5)
    rows = {
        "email": [r["email"] for r in known] + ["new@x.org"],
        "name": [r["name"] for r in known] + ["New"],
        "category_id": [[1, 2]] * 6,
    }
    plan = plan_upsert(odoo, "res.partner", frame_of(rows, backend), key=["email", "name"])
    assert len(plan.updates) == 5 and len(plan.creates) == 1
    assert plan.creates[0].vals == {
        "email": "new@x.org",
        "name": "New",
        "category_id": [(6, 0, [1, 2])],
    }
    result = plan.apply(progress=False)
    assert result.ok
    values = server_values(odoo, "res.partner", [r["id"] for r in known], ["category_id"])
    assert all(sorted(v["category_id"]) == [1, 2] for v in values.values())


def test_a_key_held_by_several_records_on_the_server_is_an_error(
    odoo: of.Client, server_log: ServerLog
) -> None:
    rows = odoo.call("res.partner", "search_read", [("email", "!=", False)], fields=["email"])
    shared = next(e for e, n in Counter(r["email"] for r in rows).items() if n > 1)
    data = pd.DataFrame({"email": [shared], "phone": ["+1"]})
    with pytest.raises(WritebackError, match="the key is not unique on the server") as caught:
        odoo["res.partner"].upsert(data, key="email")
    assert f"have key '{shared}'" in str(caught.value)
    assert server_log.calls == []


def test_upsert_dry_run(odoo: of.Client, server_log: ServerLog) -> None:
    known = unique_email_partners(odoo, 3)
    data = pd.DataFrame(
        {"email": [r["email"] for r in known] + ["z@z.org"], "name": ["A", "B", "C", "D"]}
    )
    result = odoo["res.partner"].upsert(data, key="email", dry_run=True)
    assert result.counts == {"would_write": 3, "would_create": 1}
    assert server_log.calls == []
