"""read_group agrees with a pandas groupby over the same rows, and stays fast at scale.

The reference dataset (read format) is turned into a DataFrame per model; each check groups
it with pandas and compares counts and sums with what the sandbox's read_group returns.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from odoo_frames.sandbox import domain as domainmod
from odoo_frames.sandbox import read_group as rg
from odoo_frames.sandbox.orm import Env
from odoo_frames.sandbox.storage import Database
from odoo_frames.sandbox.versions import profile

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "odoo-reference"
pytestmark = pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference corpus not found")


def _json(name: str) -> Any:
    return json.loads((REFERENCE / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dataset() -> dict[str, Any]:
    data: dict[str, Any] = _json("dataset.json")
    return data


@pytest.fixture(scope="module")
def env(dataset: dict[str, Any]) -> Env:
    database = Database.from_dataset(dataset, _json("server.json"))
    domainmod.register_sql_functions(database.conn)
    return Env(database, 2, {}, profile=profile("18.0"))


def frame(dataset: dict[str, Any], model: str, active_only: bool = True) -> pd.DataFrame:
    df = pd.DataFrame(dataset[model]["records"])
    if active_only and "active" in df:
        df = df[df["active"]]
    for column in df.columns:  # many2one [id, name] -> id, False -> None
        if (
            df[column]
            .map(lambda v: isinstance(v, list) and len(v) == 2 and isinstance(v[1], str))
            .any()
        ):
            df[column] = df[column].map(lambda v: v[0] if isinstance(v, list) else None)
    return df


@pytest.mark.parametrize(
    ("model", "groupby", "measure"),
    [
        ("sale.order.line", ["product_id"], "price_subtotal"),
        ("sale.order.line", ["state", "invoice_status"], "product_uom_qty"),
        ("sale.order.line", ["order_partner_id", "salesman_id"], "price_total"),
        ("account.move.line", ["journal_id", "account_id"], "debit"),
        ("account.move.line", ["partner_id"], "balance"),
        ("crm.lead", ["stage_id", "priority"], "expected_revenue"),
        ("res.partner", ["country_id", "is_company"], "customer_rank"),
    ],
)
def test_counts_and_sums_match_pandas(
    env: Env, dataset: dict[str, Any], model: str, groupby: list[str], measure: str
) -> None:
    df = frame(dataset, model)
    expected = {
        tuple(_normal_key(v) for v in (k if isinstance(k, tuple) else (k,))): (
            len(g),
            g[measure].sum(),
        )
        for k, g in df.groupby(groupby, dropna=False)
    }
    groups = rg.read_group(env, model, [], [measure], groupby, lazy=False)
    got = {
        tuple(_normal_key(g[name]) for name in groupby): (g["__count"], g[measure]) for g in groups
    }
    assert got.keys() == expected.keys()
    for key, (count, total) in expected.items():
        assert got[key][0] == count, key
        assert (got[key][1] or 0) == pytest.approx(total, abs=1e-6), key


def _normal_key(value: Any) -> Any:
    """Group keys of both sides as comparable values: ids, None for NULL/False groups."""
    if isinstance(value, list):
        return value[0]
    if value is None or value is False:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    return value


def test_day_buckets_in_a_time_zone_match_pandas(env: Env, dataset: dict[str, Any]) -> None:
    df = frame(dataset, "crm.lead")
    zone = "America/Los_Angeles"
    local = pd.to_datetime(df["create_date"]).dt.tz_localize("UTC").dt.tz_convert(zone)
    expected = local.dt.strftime("%d %b %Y").value_counts().to_dict()
    groups = rg.read_group(env.with_context(tz=zone), "crm.lead", [], [], ["create_date:day"])
    assert {g["create_date:day"]: g["create_date_count"] for g in groups} == expected


def test_month_buckets_of_a_date_field_match_pandas(env: Env, dataset: dict[str, Any]) -> None:
    df = frame(dataset, "account.move.line")
    expected = pd.to_datetime(df["date"]).dt.strftime("%B %Y").value_counts().to_dict()
    groups = rg.read_group(env, "account.move.line", [], [], ["date:month"])
    assert {g["date:month"]: g["date_count"] for g in groups} == expected


def test_two_hundred_thousand_lines_group_fast(env: Env) -> None:
    """200k sale.order.line grouped by product and month (with a time zone) well under a second."""
    rng = random.Random(7)
    start = dt.datetime(2025, 1, 1)
    rows = [
        (
            1_000_000 + i,
            rng.randint(1, 40),
            round(rng.uniform(1, 2000), 2),
            (start + dt.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
        )
        for i in range(200_000)
    ]
    conn = env.cr
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO sale_order_line (id, product_id, price_subtotal, create_date) VALUES (?, ?, ?, ?)",
        rows,
    )
    conn.execute("COMMIT")
    try:
        brussels = env.with_context(tz="Europe/Brussels")
        began = time.perf_counter()
        groups = rg.read_group(
            brussels,
            "sale.order.line",
            [],
            ["price_subtotal:sum"],
            ["product_id", "create_date:month"],
            lazy=False,
        )
        elapsed = time.perf_counter() - began
    finally:
        conn.execute("DELETE FROM sale_order_line WHERE id >= 1000000")
    assert len(groups) > 40 * 24
    assert sum(g["__count"] for g in groups) >= 200_000
    print(f"200k lines by product and month (Europe/Brussels): {elapsed:.2f} s")
