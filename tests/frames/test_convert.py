"""Odoo's read format becomes typed columns; DataFrame cells become write values."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pytest

from odoo_frames.convert import arrow_to_pandas, arrow_to_polars, records_to_arrow, to_odoo
from odoo_frames.schema import FieldSpec

SPECS = [
    FieldSpec("name", "char"),
    FieldSpec("partner_id", "many2one", relation="res.partner"),
    FieldSpec("state", "selection", selection=(("draft", "Quotation"), ("sale", "Sales Order"))),
    FieldSpec("amount_total", "monetary"),
    FieldSpec("qty", "integer"),
    FieldSpec("locked", "boolean"),
    FieldSpec("date_order", "datetime"),
    FieldSpec("validity_date", "date"),
    FieldSpec("tag_ids", "many2many", relation="crm.tag"),
]

RECORDS = [
    {
        "id": 5,
        "name": "S00005",
        "partner_id": [7, "Azure Interior"],
        "state": "sale",
        "amount_total": 1740,
        "qty": 3,
        "locked": True,
        "date_order": "2026-11-27 13:20:05",
        "validity_date": "2026-12-27",
        "tag_ids": [1, 2],
    },
    {
        "id": 6,
        "name": False,
        "partner_id": False,
        "state": False,
        "amount_total": 0.0,
        "qty": 0,
        "locked": False,
        "date_order": False,
        "validity_date": False,
        "tag_ids": [],
    },
]


def test_pandas_columns_have_the_documented_types() -> None:
    df = arrow_to_pandas(records_to_arrow(RECORDS, SPECS))
    assert list(df.columns) == [
        "id",
        "name",
        "partner_id",
        "partner_id.display_name",
        "state",
        "amount_total",
        "qty",
        "locked",
        "date_order",
        "validity_date",
        "tag_ids",
    ]
    assert df["id"].dtype == "int64"
    assert df["partner_id"].dtype == "Int64"
    assert isinstance(df["state"].dtype, pd.CategoricalDtype)
    assert list(df["state"].cat.categories) == ["draft", "sale"]
    assert str(df["date_order"].dtype) == "datetime64[us, UTC]"
    assert df.loc[0, "date_order"] == pd.Timestamp("2026-11-27 13:20:05", tz="UTC")
    assert df.loc[0, "validity_date"] == dt.date(2026, 12, 27)
    assert df.loc[0, "tag_ids"] == [1, 2]
    assert df.loc[0, "amount_total"] == 1740.0


def test_false_is_null_except_for_booleans_and_numbers_stay_zero() -> None:
    df = arrow_to_pandas(records_to_arrow(RECORDS, SPECS))
    row = df.loc[1]
    assert pd.isna(row["name"]) and pd.isna(row["partner_id"]) and pd.isna(row["state"])
    assert pd.isna(row["date_order"]) and pd.isna(row["validity_date"])
    assert row["locked"] is False or row["locked"] == False  # noqa: E712
    assert row["qty"] == 0 and row["amount_total"] == 0.0
    assert row["tag_ids"] == []


def test_polars_columns() -> None:
    df = arrow_to_polars(records_to_arrow(RECORDS, SPECS))
    assert df.schema["partner_id"] == pl.Int64
    assert df.schema["state"] == pl.Categorical
    assert df.schema["date_order"] == pl.Datetime("us", "UTC")
    assert df.schema["validity_date"] == pl.Date
    assert df.schema["tag_ids"] == pl.List(pl.Int64)
    assert df["partner_id.display_name"].to_list() == ["Azure Interior", None]


def test_many2one_with_load_none_gives_bare_ids() -> None:
    table = records_to_arrow([{"id": 1, "partner_id": 7}], [SPECS[1]])
    assert table["partner_id"].to_pylist() == [7]


def test_unknown_selection_values_are_kept() -> None:
    table = records_to_arrow([{"id": 1, "state": "done"}], [SPECS[2]])
    assert table["state"].to_pylist() == ["done"]


@pytest.mark.parametrize(
    ("spec", "value", "expected"),
    [
        (FieldSpec("n", "integer"), np.int64(4), 4),
        (FieldSpec("x", "float"), np.float32(1.5), 1.5),
        (FieldSpec("x", "float"), float("nan"), False),
        (FieldSpec("s", "char"), None, False),
        (FieldSpec("s", "char"), pd.NA, False),
        (FieldSpec("b", "boolean"), np.bool_(True), True),
        (FieldSpec("b", "boolean"), None, False),
        (FieldSpec("m", "many2one"), 7.0, 7),
        (FieldSpec("m", "many2one"), pd.NA, False),
        (FieldSpec("d", "date"), dt.date(2025, 1, 2), "2025-01-02"),
        (FieldSpec("d", "date"), pd.Timestamp("2025-01-02"), "2025-01-02"),
        (
            FieldSpec("t", "datetime"),
            pd.Timestamp("2025-01-02 03:00", tz="Europe/Brussels"),
            "2025-01-02 02:00:00",
        ),
        (FieldSpec("t", "datetime"), pd.NaT, False),
        (FieldSpec("tags", "many2many"), [1, np.int64(2)], [(6, 0, [1, 2])]),
    ],
)
def test_cells_become_write_values(spec: FieldSpec, value: object, expected: object) -> None:
    assert to_odoo(spec, value) == expected
