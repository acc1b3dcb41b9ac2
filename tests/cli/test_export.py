"""``odoo-frames export``: the file holds exactly what ``to_pandas()`` returns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

import odoo_frames as of
from odoo_frames.cli import main
from odoo_frames.fetch import DEFAULT_PAGE_SIZE


def test_parquet_round_trip_equals_to_pandas(
    odoo: of.Client, sandbox_env: dict[str, str], tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "companies.parquet"
    fields = "name,email,country_id,category_id,create_date,type,credit_limit,is_company"
    code = main(
        ["export", "res.partner", "--where", "is_company == True", "--fields", fields,
         "--to", str(out)]
    )  # fmt: skip
    assert code == 0
    p = odoo["res.partner"]
    expected = p[p.is_company == True][fields.split(",")].to_pandas()  # noqa: E712
    assert len(expected) > 10
    # pandas gets the same dtypes back (nullable ids, categories, UTC datetimes, lists)...
    pd.testing.assert_frame_equal(pd.read_parquet(out), expected)
    # ...and polars the same typed columns as to_polars()
    assert pl.read_parquet(out).equals(p[p.is_company == True][fields.split(",")].to_polars())  # noqa: E712
    err = capsys.readouterr().err
    assert f"exported {len(expected)} res.partner rows x 10 columns to {out}" in err


def test_export_with_every_default_column(
    odoo: of.Client, sandbox_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "orders.parquet"
    assert main(["export", "sale.order", "--to", str(out)]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(out), odoo["sale.order"].to_pandas())


def test_csv_round_trip(odoo: of.Client, sandbox_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "orders.csv"
    columns = ["name", "partner_id", "amount_total", "date_order", "state", "order_line"]
    query = "state == 'sale' and amount_total > 1000"
    code = main(
        ["export", "sale.order", "--where", query, "--fields", ",".join(columns),
         "--to", str(out)]
    )  # fmt: skip
    assert code == 0
    expected = odoo["sale.order"].query(query)[columns].to_pandas()
    got = pd.read_csv(out, parse_dates=["date_order"])
    assert list(got.columns) == list(expected.columns)
    assert got["id"].tolist() == expected["id"].tolist()
    assert got["name"].tolist() == expected["name"].tolist()
    assert got["partner_id"].tolist() == expected["partner_id"].tolist()
    assert got["partner_id.display_name"].tolist() == expected["partner_id.display_name"].tolist()
    assert got["amount_total"].tolist() == pytest.approx(expected["amount_total"].tolist())
    assert (got["date_order"] == expected["date_order"]).all()
    assert got["state"].tolist() == expected["state"].astype(str).tolist()
    # x2many ids are written as JSON lists
    assert [json.loads(v) for v in got["order_line"]] == expected["order_line"].tolist()


def test_limit_and_dotted_columns(
    odoo: of.Client, sandbox_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "few.parquet"
    fields = "name,partner_id.country_id.code"
    assert main(["export", "sale.order", "--fields", fields, "--limit", "7", "--to", str(out)]) == 0
    got = pd.read_parquet(out)
    expected = odoo["sale.order"][fields.split(",")].head(7).to_pandas()
    pd.testing.assert_frame_equal(got, expected)
    assert len(got) == 7


def test_progress_bar_on_request(
    odoo: of.Client, sandbox_env: dict[str, str], tmp_path: Path, capsys: Any
) -> None:
    """More than one page of rows is read in parallel pages with a progress bar."""
    lines = odoo["sale.order.line"]
    if len(lines) <= DEFAULT_PAGE_SIZE:
        pytest.skip("the sandbox has no model with more than one page of rows at this scale")
    out = tmp_path / "lines.parquet"
    assert (
        main(["export", "sale.order.line", "--fields", "name", "--progress", "--to", str(out)]) == 0
    )
    err = capsys.readouterr().err
    assert "sale.order.line: " in err and "rows/s" in err  # the tqdm bar
    assert err.splitlines()[-1].startswith(f"exported {len(lines):,} sale.order.line rows")


def test_profiles_and_arguments_connect_like_connect(
    box: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[sandbox]\nurl = "{box.url}"\ndb = "{box.db}"\nuser = "admin"\n'
        'password_env = "SANDBOX_PASSWORD"\n'
    )
    monkeypatch.setenv("SANDBOX_PASSWORD", box.password)
    out = tmp_path / "countries.csv"
    code = main(
        ["export", "res.country", "--fields", "code", "--profile", "sandbox",
         "--config", str(config), "--to", str(out)]
    )  # fmt: skip
    assert code == 0
    assert "BE" in pd.read_csv(out)["code"].tolist()
    # the same from arguments (the password still from the environment)
    monkeypatch.setenv("ODOO_PASSWORD", box.password)
    out2 = tmp_path / "countries2.csv"
    code = main(
        ["export", "res.country", "--fields", "code", "--url", box.url, "--db", box.db,
         "--user", "admin", "--to", str(out2)]
    )  # fmt: skip
    assert code == 0
    assert out2.read_text() == out.read_text()
