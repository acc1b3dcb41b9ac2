"""How rows are read: one search_read, or ids then pages; each page typed as it arrives."""

from __future__ import annotations

import pickle
from typing import Any

import pyarrow as pa
import pytest

import odoo_frames as of
from odoo_frames.convert import arrow_to_pandas, records_to_arrow
from odoo_frames.fetch import ReadPlan, ValuesById, fetch_records, fetch_table
from odoo_frames.schema import FieldSpec

FIELDS = ["name", "order_id", "product_uom_qty", "state", "create_date"]


def _plan(**options: Any) -> ReadPlan:
    return ReadPlan("sale.order.line", [], [*FIELDS, "write_date"], order="id", **options)


def _specs(odoo: of.Client) -> list[FieldSpec]:
    schema = odoo["sale.order.line"].schema
    return [schema[name] for name in FIELDS]


class Calls:
    """Wraps ``client.call`` and remembers the method names, in order."""

    def __init__(self, odoo: of.Client) -> None:
        self.odoo = odoo
        self.methods: list[str] = []

    def __call__(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        self.methods.append(method)
        return self.odoo.call(model, method, *args, **kwargs)


def test_a_limit_within_one_page_is_one_search_read(odoo18: of.Client) -> None:
    calls = Calls(odoo18)
    plan = _plan(limit=30, page_size=50)
    assert plan.single_call
    assert plan.first_call()[0] == "search_read"
    rows = fetch_records(calls, plan, progress=False)
    assert calls.methods == ["search_read"] and len(rows) == 30


def test_other_plans_search_the_ids_then_read_pages_in_order(odoo18: of.Client) -> None:
    calls = Calls(odoo18)
    plan = _plan(page_size=50)
    assert not plan.single_call
    assert plan.first_call()[0] == "search"
    assert "read(<ids>" in plan.describe()[1]
    rows = fetch_records(calls, plan, workers=3, progress=False)
    expected = odoo18.call("sale.order.line", "search", [], order="id")
    assert [r["id"] for r in rows] == expected
    assert calls.methods[0] == "search" and set(calls.methods[1:]) == {"read"}
    assert len(calls.methods) == 1 + -(-len(expected) // 50)


def test_offset_and_a_limit_beyond_one_page(odoo18: of.Client) -> None:
    every = odoo18.call("sale.order.line", "search", [], order="id")
    rows = fetch_records(odoo18.call, _plan(offset=7, limit=120, page_size=50), progress=False)
    assert [r["id"] for r in rows] == every[7:127]


def test_an_empty_result_still_has_typed_columns(odoo18: of.Client) -> None:
    plan = ReadPlan("sale.order.line", [["id", "<", 0]], FIELDS)
    fetched = fetch_table(odoo18.call, plan, _specs(odoo18), progress=False)
    assert fetched.table.num_rows == 0
    assert fetched.table.schema.field("create_date").type == pa.timestamp("us", tz="UTC")


@pytest.mark.parametrize("workers", [1, 4])
def test_pages_typed_as_they_arrive_equal_one_conversion(odoo18: of.Client, workers: int) -> None:
    specs = _specs(odoo18)
    whole = records_to_arrow(fetch_records(odoo18.call, _plan(), progress=False), specs)
    fetched = fetch_table(
        odoo18.call,
        _plan(page_size=40),
        specs,
        raw_fields=["write_date"],
        workers=workers,
        progress=False,
    )
    assert fetched.table.num_rows > 40  # several pages
    assert arrow_to_pandas(fetched.table).equals(arrow_to_pandas(whole))
    stamps = fetched.raw_by_id("write_date", "")
    ids = fetched.table["id"].to_pylist()
    read = odoo18.call("sale.order.line", "read", ids, fields=["write_date"])
    assert dict(stamps) == {r["id"]: r["write_date"] for r in read}


def test_selection_values_unknown_to_fields_get_survive_pages() -> None:
    spec = FieldSpec("state", "selection", selection=(("draft", "Quotation"),))
    pages = [
        records_to_arrow([{"id": 1, "state": "draft"}, {"id": 2, "state": "odd"}], [spec]),
        records_to_arrow([{"id": 3, "state": "other"}, {"id": 4, "state": False}], [spec]),
    ]
    table = pa.concat_tables(pages).unify_dictionaries()
    frame = arrow_to_pandas(table)
    assert frame["state"].tolist()[:3] == ["draft", "odd", "other"]
    assert list(frame["state"].cat.categories) == ["draft", "odd", "other"]


def test_values_by_id_is_a_lazy_read_only_mapping() -> None:
    stamps = ValuesById(pa.array([5, 3]), pa.array(["2026-01-01 10:00:00", None]), default="")
    assert repr(stamps) == "<2 values by id>"
    assert stamps._dict is None  # nothing built yet
    assert stamps[5] == "2026-01-01 10:00:00" and stamps[3] == ""
    assert list(stamps) == [5, 3] and dict(stamps) == {5: "2026-01-01 10:00:00", 3: ""}
    assert stamps.get(99) is None and 3 in stamps
    assert dict(pickle.loads(pickle.dumps(stamps))) == dict(stamps)
    with pytest.raises(ValueError, match="2 ids for 1 values"):
        ValuesById(pa.array([1, 2]), pa.array(["x"]))


def test_frames_keep_write_dates_for_write_back(odoo18: of.Client) -> None:
    frame = odoo18["sale.order.line"][["name"]].sort_values("id").head(3)
    df = frame.to_pandas(progress=False)
    snapshot = df.attrs["odoo"]
    assert snapshot.ids == tuple(df["id"])
    read = odoo18.call("sale.order.line", "read", list(snapshot.ids), fields=["write_date"])
    assert dict(snapshot.write_dates) == {r["id"]: r["write_date"] for r in read}
