"""plan.apply() on the sandbox: batched traffic, creates, deletes, x2many, idempotence.

Traffic is counted twice: on the client (every RPC sent) and inside the sandbox (every
write / create / unlink the server executed).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import pandas as pd
import polars as pl
import pytest

import odoo_frames as of

from .conftest import CallSpy, ServerLog, as_pandas, partner_ids, partners, read, server_values

PHONES = ("+32 2 000 00 00", "+33 1 000 00 00", "+31 20 000 0000")


def with_values(df: Any, column: str, value_of_id: Callable[[int], Any]) -> Any:
    """A copy of ``df`` whose ``column`` is ``value_of_id(id)`` (pandas or polars)."""
    if isinstance(df, pl.DataFrame):
        return df.with_columns(
            pl.col("id").map_elements(value_of_id, return_dtype=df.schema[column]).alias(column)
        )
    return df.assign(**{column: df["id"].map(value_of_id)})


def test_10000_rows_in_3_value_sets_are_3_x_ceil_n_over_batch_size_writes(
    odoo: of.Client, backend: str, spy: CallSpy, server_log: ServerLog
) -> None:
    batch_size = 500
    ids = partner_ids(odoo, 10_000)
    rank = {rid: position for position, rid in enumerate(ids)}
    before = read(partners(odoo, ids, ["name", "phone", "email"]), backend)
    after = with_values(before, "phone", lambda rid: PHONES[rank[rid] % 3])

    plan = odoo.diff(before, after, batch_size=batch_size)

    sizes = Counter(PHONES.index(u.after["phone"]) for u in plan.updates)
    assert len(plan.updates) == 10_000 and sorted(sizes.values()) == [3333, 3333, 3334]
    expected = 3 * math.ceil(3334 / batch_size)  # 3 x 7 = 21
    assert sum(math.ceil(n / batch_size) for n in sizes.values()) == expected
    assert plan.counts["write_calls"] == expected

    spy.calls.clear()
    result = plan.apply(progress=False)

    assert result.counts == {"written": 10_000} and result.ok
    sent = Counter(method for _, method in spy.data_calls())
    assert sent == {"write": expected, "search_read": math.ceil(10_000 / 2000)}
    assert server_log.count("res.partner", "write") == expected
    assert server_log.written_ids("res.partner") == set(ids)
    assert server_log.max_writes("res.partner") == 1
    phones = server_values(odoo, "res.partner", ids, ["phone"])
    assert all(phones[rid]["phone"] == PHONES[rank[rid] % 3] for rid in ids)

    # applying it again writes nothing: the server already holds the planned values
    server_log.clear()
    again = plan.apply(progress=False)
    assert again.counts == {"unchanged": 10_000}
    assert server_log.calls == []


def test_creates_and_allowed_deletes(odoo: of.Client, backend: str, server_log: ServerLog) -> None:
    made = odoo.call(
        "res.partner", "create", [{"name": f"Temp {i}", "email": f"t{i}@x.org"} for i in range(5)]
    )
    before = read(partners(odoo, made, ["name", "email"]), backend)
    frame = as_pandas(before)
    kept = frame[~frame.id.isin(made[:2])].copy()
    kept.loc[kept.id == made[2], "email"] = "changed@x.org"
    after: Any = pd.concat(
        [kept, pd.DataFrame({"name": ["Fresh A", "Fresh B"], "email": ["a@x.org", None]})],
        ignore_index=True,
    )
    if backend == "polars":
        after = pl.from_pandas(after)
    server_log.clear()

    plan = odoo.diff(before, after, allow_delete=True, batch_size=10)
    assert plan.counts | {} == {
        "updates": 1,
        "creates": 2,
        "deletes": 2,
        "ignored_deletes": 0,
        "write_calls": 1,
        "create_calls": 1,
        "unlink_calls": 1,
    }
    result = plan.apply(progress=False)

    assert result.counts == {"written": 1, "created": 2, "deleted": 2}
    new_ids = result.ids("created")
    assert sorted(new_ids) == sorted(result.created_ids.values())
    assert [(m, n) for m, n, _ in server_log.calls] == [
        ("res.partner", "write"),
        ("res.partner", "create"),
        ("res.partner", "unlink"),
    ]
    assert server_values(odoo, "res.partner", made[:2], ["id"]) == {}
    created = server_values(odoo, "res.partner", new_ids, ["name", "email"])
    assert sorted((r["name"], r["email"]) for r in created.values()) == [
        ("Fresh A", "a@x.org"),
        ("Fresh B", False),
    ]
    # a second apply creates nothing: the plan remembers the ids it created
    server_log.clear()
    assert plan.apply(progress=False).counts == {"unchanged": 5}
    assert server_log.calls == []


def test_missing_rows_are_not_deleted_without_allow_delete(
    odoo: of.Client, server_log: ServerLog
) -> None:
    ids = partner_ids(odoo, 4)
    before = partners(odoo, ids, ["name"]).to_pandas()
    result = odoo.diff(before, before[before.id != ids[0]]).apply(progress=False)
    assert result.counts == {"ignored": 1}
    assert server_log.calls == []


def test_x2many_changes_are_applied(odoo: of.Client, backend: str) -> None:
    companies = odoo.call(
        "res.partner", "search", [("is_company", "=", True), ("child_ids", "!=", False)], limit=2
    )
    ids = partner_ids(odoo, 200)
    before = read(
        partners(odoo, sorted(set(ids) | set(companies)), ["name", "category_id", "child_ids"]),
        backend,
    )
    frame = as_pandas(before).set_index("id")
    lists: dict[str, dict[int, list[int]]] = {
        column: dict(zip(map(int, frame.index), map(list, frame[column]), strict=True))
        for column in ("category_id", "child_ids")
    }
    source, target = companies
    moved = lists["child_ids"][source][0]

    def tags(rid: int) -> list[int]:
        current = set(lists["category_id"][rid])
        return sorted((current | {4}) - {1})  # add tag 4, drop tag 1 everywhere

    def children(rid: int) -> list[int]:
        kids = lists["child_ids"][rid]
        if rid == source:
            return [k for k in kids if k != moved]
        if rid == target:
            return sorted([*kids, moved])
        return kids

    after = with_values(before, "category_id", tags)
    after = with_values(after, "child_ids", children)

    plan = odoo.diff(before, after)
    by_id = {u.id: u for u in plan.updates}
    assert by_id[target].vals["child_ids"] == [(4, moved)]
    assert "child_ids" not in by_id[source].vals  # the link on the target moves it
    result = plan.apply(progress=False)

    assert result.ok
    rows = server_values(odoo, "res.partner", list(frame.index), ["category_id", "child_ids"])
    assert all(sorted(rows[rid]["category_id"]) == tags(rid) for rid in frame.index)
    assert moved in rows[target]["child_ids"] and moved not in rows[source]["child_ids"]
    assert odoo.call("res.partner", "read", [moved], ["parent_id"])[0]["parent_id"][0] == target


def test_a_dry_run_reads_but_writes_nothing(odoo: of.Client, server_log: ServerLog) -> None:
    ids = partner_ids(odoo, 30)
    before = partners(odoo, ids, ["name", "phone"]).to_pandas()
    after = before.assign(phone="+1 000")
    plan = odoo.diff(before, after, batch_size=10)

    result = plan.apply(dry_run=True, progress=False)

    assert result.dry_run and result.counts == {"would_write": 30}
    assert result.would_call == plan.calls()
    assert server_log.calls == []
    assert "dry run" in repr(result)


def test_undo_plan_puts_the_written_values_back(odoo: of.Client, backend: str) -> None:
    ids = partner_ids(odoo, 50)
    before = read(partners(odoo, ids, ["name", "phone", "category_id"]), backend)
    after = with_values(before, "phone", lambda rid: PHONES[rid % 3])
    after = with_values(after, "category_id", lambda rid: [2, 3])
    original = server_values(odoo, "res.partner", ids, ["phone", "category_id"])
    result = odoo.diff(before, after).apply(progress=False)
    assert result.counts["written"] == 50

    undo = result.undo_plan()
    assert len(undo.updates) == 50
    assert undo.apply(progress=False).counts == {"written": 50}
    restored = server_values(odoo, "res.partner", ids, ["phone", "category_id"])
    assert {k: (v["phone"], sorted(v["category_id"])) for k, v in restored.items()} == {
        k: (v["phone"], sorted(v["category_id"])) for k, v in original.items()
    }


def test_rediffing_after_a_partial_apply_writes_nothing_twice(
    odoo: of.Client, server_log: ServerLog
) -> None:
    ids = partner_ids(odoo, 1000)
    before = partners(odoo, ids, ["name", "phone"]).to_pandas()
    after = with_values(before, "phone", lambda rid: PHONES[rid % 3])
    plan = odoo.diff(before, after, batch_size=100)
    first_half = plan.replace(updates=plan.updates[:400])
    assert first_half.apply(progress=False).counts == {"written": 400}
    server_log.clear()

    result = odoo.diff(before, after, batch_size=100).apply(progress=False)

    assert result.counts == {"written": 600, "unchanged": 400}
    assert server_log.written_ids("res.partner") == {u.id for u in plan.updates[400:]}
    assert server_log.max_writes("res.partner") == 1


def test_progress_callback_counts_rows(odoo: of.Client) -> None:
    ids = partner_ids(odoo, 25)
    before = partners(odoo, ids, ["name", "phone"]).to_pandas()
    seen: list[tuple[int, int]] = []
    odoo.diff(before, before.assign(phone="+1")).apply(
        batch_size=10, progress=lambda done, total: seen.append((done, total))
    )
    assert seen[-1] == (25, 25)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_result_table_and_repr(odoo: of.Client) -> None:
    ids = partner_ids(odoo, 3)
    before = partners(odoo, ids, ["name", "phone"]).to_pandas()
    result = odoo.diff(before, before.assign(phone="+1")).apply(progress=False)
    table = result.to_pandas()
    assert list(table.columns) == ["op", "id", "row", "status", "message", "error_type"]
    assert table.status.tolist() == ["written"] * 3
    assert repr(result).startswith("ApplyResult res.partner: 3 written (")
    assert "<strong>" in result._repr_html_()


@pytest.mark.parametrize("version", ["17.0", "19.0"])
def test_write_back_works_on_other_versions(version: str) -> None:
    with of.sandbox.start(version=version, scale=60) as other:
        odoo = other.connect()
        ids = odoo.call("res.partner", "search", [], limit=20)
        before = odoo["res.partner"].where([("id", "in", ids)])[["name", "phone"]].to_polars()
        after = before.with_columns(pl.lit("+49 30 0").alias("phone"))
        result = odoo.diff(before, after).apply(progress=False)
        assert result.counts == {"written": 20}
        assert odoo.diff(before, after).apply(progress=False).counts == {"unchanged": 20}
