"""diff(): edited DataFrames become a Plan, a value you can read, count, save and load.

Every test that reads from Odoo runs with pandas and with polars frames.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

import odoo_frames as of
from odoo_frames.writeback import FieldInfo, Plan, PlannedCall, x2many_commands

from .conftest import CallSpy, partner_ids, partners, read


def edit(df: Any, column: str, values: dict[int, Any]) -> Any:
    """A copy of ``df`` with ``column`` set to ``values[id]`` on those ids (pandas or polars)."""
    if isinstance(df, pl.DataFrame):
        mapping = pl.DataFrame(
            {"id": list(values), "__new": list(values.values())},
            schema={"id": pl.Int64, "__new": df.schema[column]},
        )
        joined = df.join(mapping, on="id", how="left", maintain_order="left")
        return joined.with_columns(
            pl.when(pl.col("id").is_in(list(values)))
            .then(pl.col("__new"))
            .otherwise(pl.col(column))
            .alias(column)
        ).drop("__new")
    out = df.copy()
    mask = out["id"].isin(list(values))
    out.loc[mask, column] = out.loc[mask, "id"].map(values)
    return out


def test_changed_cells_become_grouped_updates(odoo: of.Client, backend: str) -> None:
    ids = partner_ids(odoo, 30)
    before = read(partners(odoo, ids, ["name", "phone", "email"]), backend)
    changes = {rid: ("+32 111" if i % 2 else "+32 222") for i, rid in enumerate(ids[:20])}
    after = edit(before, "phone", changes)

    plan = odoo.diff(before, after, batch_size=4)

    assert plan.model == "res.partner"
    assert len(plan.updates) == 20 and not plan.creates and not plan.deletes
    assert {u.id: u.after["phone"] for u in plan.updates} == changes
    calls = plan.calls()
    # two value sets of 10 records, 4 per call: 3 calls each
    assert [c.method for c in calls] == ["write"] * 6
    assert sorted(c.size for c in calls) == [2, 2, 4, 4, 4, 4]
    assert plan.counts["write_calls"] == 6
    assert all(set(c.args[1]) == {"phone"} for c in calls)


def test_the_per_cell_table_lists_before_and_after(odoo: of.Client, backend: str) -> None:
    ids = partner_ids(odoo, 5)
    before = read(partners(odoo, ids, ["name", "email"]), backend)
    after = edit(before, "email", {ids[0]: "new@example.com"})

    table = odoo.diff(before, after).to_pandas()

    assert list(table.columns) == ["op", "id", "row", "field", "before", "after"]
    assert table.to_dict("records")[0]["after"] == "new@example.com"
    row = table.iloc[0]
    assert (row.op, row.id, row.field) == ("update", ids[0], "email")


def test_plan_reprs_say_what_will_happen(odoo: of.Client) -> None:
    ids = partner_ids(odoo, 5)
    before = partners(odoo, ids, ["name", "phone"]).to_pandas()
    after = before.assign(phone="+32 000")

    plan = odoo.diff(before, after)

    text = repr(plan)
    assert text.startswith("Plan res.partner: 5 updates in 1 write call, 0 creates")
    assert "phone" in text and "+32 000" in text
    page = plan._repr_html_()
    assert "<table>" in page and "&rarr;" in page and "+32 000" in page
    assert repr(plan.calls()[0]).startswith("res.partner.write([")


def test_rows_without_id_are_creates_and_missing_rows_deletes_only_when_allowed(
    odoo: of.Client, backend: str
) -> None:
    ids = partner_ids(odoo, 6)
    before = read(partners(odoo, ids, ["name", "email"]), backend)
    kept = (
        before.filter(pl.col("id") != ids[0])
        if backend == "polars"
        else before[before.id != ids[0]]
    )
    new_rows = {"id": [None, None], "name": ["Ada", "Grace"], "email": ["ada@x.org", None]}
    if backend == "polars":
        after = pl.concat(
            [kept, pl.DataFrame(new_rows, schema=kept.select("id", "name", "email").schema)]
        )
    else:
        after = pd.concat([kept, pd.DataFrame(new_rows)], ignore_index=True)

    plan = odoo.diff(before, after)
    assert [c.vals for c in plan.creates] == [
        {"name": "Ada", "email": "ada@x.org"},
        {"name": "Grace"},  # empty cells are left to Odoo's defaults
    ]
    assert [c.row for c in plan.creates] == [5, 6]
    assert plan.deletes == () and plan.ignored_deletes == (ids[0],)
    assert "ignored" in repr(plan)

    allowed = odoo.diff(before, after, allow_delete=True)
    assert [d.id for d in allowed.deletes] == [ids[0]]
    assert allowed.deletes[0].write_date  # kept from the read, for the stale check
    assert [c.method for c in allowed.calls()] == ["create", "unlink"]


def test_x2many_lists_become_link_and_unlink_commands(odoo: of.Client, backend: str) -> None:
    ids = partner_ids(odoo, 40)
    before = read(partners(odoo, ids, ["name", "category_id"]), backend)
    tags = {rid: sorted(set(cats) | {3}) for rid, cats in _cells(before, "category_id").items()}
    after = edit(before, "category_id", tags)

    plan = odoo.diff(before, after)

    changed = [u for u in plan.updates]
    assert changed and all(u.vals["category_id"][-1] == (4, 3) for u in changed)
    # the same tag added to many partners is one value set: one write call
    plain_adds = [u for u in changed if u.vals["category_id"] == [(4, 3)]]
    assert len(plain_adds) >= 10
    assert sum(1 for c in plan.calls() if c.args[1] == {"category_id": [(4, 3)]}) == 1


def test_x2many_commands() -> None:
    assert x2many_commands([1, 2], [2, 3]) == [(3, 1), (4, 3)]
    assert x2many_commands([], []) == []
    from odoo_frames.writeback import MISSING

    assert x2many_commands(MISSING, [5, 6]) == [(6, 0, [5, 6])]


def test_values_are_converted_to_what_odoo_accepts() -> None:
    char = FieldInfo("ref", "char")
    assert char.from_cell(np.str_("X1")) == "X1"
    assert char.from_cell(float("nan")) is False and char.from_cell(None) is False
    assert char.from_cell(pd.NA) is False
    integer = FieldInfo("color", "integer")
    assert integer.from_cell(np.int64(4)) == 4 and type(integer.from_cell(np.int64(4))) is int
    assert FieldInfo("credit_limit", "float").from_cell(np.float32(2.5)) == 2.5
    assert FieldInfo("active", "boolean").from_cell(np.bool_(True)) is True
    assert FieldInfo("parent_id", "many2one").from_cell(pd.array([7], dtype="Int64")[0]) == 7
    date = FieldInfo("date", "date")
    assert date.from_cell(dt.date(2025, 3, 1)) == "2025-03-01"
    assert date.from_cell(pd.Timestamp("2025-03-01")) == "2025-03-01"
    moment = FieldInfo("date_order", "datetime")
    paris = dt.timezone(dt.timedelta(hours=1))
    assert moment.from_cell(dt.datetime(2025, 3, 1, 12, 30, tzinfo=paris)) == "2025-03-01 11:30:00"
    assert moment.from_cell(pd.Timestamp("2025-03-01 12:30", tz="UTC")) == "2025-03-01 12:30:00"
    assert moment.from_cell(pd.NaT) is False
    assert FieldInfo("category_id", "many2many").from_cell(np.array([3, 1, 3])) == [1, 3]
    with pytest.raises(ValueError, match="not one of the values"):
        FieldInfo("state", "selection", selection=("draft", "sale")).from_cell("nope")


def test_floats_compare_with_a_tolerance() -> None:
    two_digits = FieldInfo("price_unit", "float", digits=2)
    assert two_digits.same(10.0, 10.004)  # Odoo stores both as 10.00
    assert not two_digits.same(10.0, 10.01)
    free = FieldInfo("partner_latitude", "float")
    assert free.same(0.1 + 0.2, 0.3)
    assert not free.same(0.3, 0.3001)
    assert FieldInfo("x", "float", tolerance=0.5).same(1.0, 1.4)
    money = FieldInfo("debit_limit", "monetary", digits=2)
    assert money.same(False, 0.0) and money.same(12.3449, 12.34)


def test_float_noise_from_pandas_arithmetic_is_no_change(odoo: of.Client) -> None:
    ids = partner_ids(odoo, 10)
    before = partners(odoo, ids, ["name", "partner_latitude"]).to_pandas()
    after = before.assign(partner_latitude=before.partner_latitude * 3 / 3 + 1e-13)
    assert len(odoo.diff(before, after)) == 0
    bigger = before.assign(partner_latitude=before.partner_latitude + 1)
    assert len(odoo.diff(before, bigger)) == 10


def test_untouched_frames_make_an_empty_plan(odoo: of.Client, backend: str) -> None:
    before = read(odoo["res.partner"].head(200), backend)  # every default column
    after = before.clone() if backend == "polars" else before.copy()
    plan = odoo.diff(before, after)
    assert len(plan) == 0 and not plan
    assert plan.calls() == []


def test_model_can_be_given_for_frames_without_a_snapshot(odoo: of.Client) -> None:
    ids = partner_ids(odoo, 3)
    before = pd.DataFrame({"id": ids, "phone": ["1", "2", "3"]})
    after = before.assign(phone=["1", "2", "4"])
    plan = odoo.diff(before, after, model="res.partner")
    assert [(u.id, u.after) for u in plan.updates] == [(ids[2], {"phone": "4"})]
    assert plan.updates[0].write_date is None
    assert any("no read snapshot" in n for n in plan.notes)
    frame_plan = odoo["res.partner"].diff(before, after)
    assert [u.id for u in frame_plan.updates] == [ids[2]]


def test_display_names_can_be_resolved_with_name_search(odoo: of.Client, spy: CallSpy) -> None:
    ids = partner_ids(odoo, 5)
    country = odoo.call("res.country", "search_read", [("code", "=", "BE")], fields=["name"])[0]
    before = partners(odoo, ids, ["name", "country_id"]).to_pandas()
    after = before.copy()
    after["country_id.display_name"] = country["name"]
    spy.calls.clear()

    plan = odoo.diff(before, after, resolve_names=True)

    assert {u.after["country_id"] for u in plan.updates} == {country["id"]}
    assert spy.data_calls() == [("res.country", "name_search")]  # one call per distinct name


def test_a_plan_saves_and_loads_as_json(odoo: of.Client, tmp_path: Path) -> None:
    ids = partner_ids(odoo, 8)
    before = partners(odoo, ids, ["name", "phone", "category_id"]).to_pandas()
    after = before.assign(phone="+1 555", category_id=[[1]] * len(before))
    after = pd.concat([after, pd.DataFrame({"name": ["Newcomer"]})], ignore_index=True)
    plan = odoo.diff(before, after, batch_size=3)

    saved = plan.save(tmp_path / "plan.json")
    loaded = Plan.load(saved, client=odoo)

    assert loaded.calls() == plan.calls()
    assert loaded.updates == plan.updates and loaded.creates == plan.creates
    assert loaded.fields == plan.fields and loaded.batch_size == 3
    assert loaded.to_pandas().equals(plan.to_pandas())
    assert isinstance(loaded.calls()[0], PlannedCall)


def _cells(df: Any, column: str) -> dict[int, Any]:
    frame = df.to_pandas() if isinstance(df, pl.DataFrame) else df
    return {
        int(i): list(v) if v is not None and not (isinstance(v, float) and math.isnan(v)) else []
        for i, v in zip(frame["id"], frame[column], strict=True)
    }
