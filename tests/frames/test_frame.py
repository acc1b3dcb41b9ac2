"""OdooFrame against a live sandbox: filters run on the server and select what pandas would.

Every test runs on Odoo 17.0, 18.0 and 19.0 sandboxes and, where the output matters,
for pandas and polars results.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

import odoo_frames as of
from odoo_frames.expr import FilterError
from odoo_frames.query import QuerySyntaxError
from odoo_frames.schema import FieldNotFound

from .conftest import CallSpy, materialise

COLUMNS = ["name", "state", "amount_total", "partner_id", "date_order", "user_id", "tag_ids"]


@pytest.fixture(scope="module")
def orders_all(odoo: of.Client) -> pd.DataFrame:
    return odoo["sale.order"][COLUMNS].to_pandas().set_index("id").sort_index()


def server_ids(frame: Any) -> list[int]:
    return sorted(frame.ids())


def pandas_ids(df: pd.DataFrame, mask: Any) -> list[int]:
    return sorted(int(i) for i in df.index[mask.fillna(False).astype(bool)])


def test_frame_is_lazy_and_immutable(odoo: of.Client) -> None:
    so = odoo["sale.order"]
    big = so[so.amount_total > 1000]
    assert big is not so
    assert so.domain.is_true()
    assert big.domain == [("amount_total", ">", 1000)]
    with pytest.raises(AttributeError, match="immutable"):
        big.model = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("title", "make_filter", "make_mask"),
    [
        ("equality", lambda so: so.state == "sale", lambda df: df.state == "sale"),
        ("not equal keeps nulls", lambda so: so.user_id != 2, lambda df: df.user_id != 2),
        (
            "number range",
            lambda so: so.amount_total.between(500, 5000),
            lambda df: df.amount_total.between(500, 5000),
        ),
        ("number below", lambda so: so.amount_total < 800, lambda df: df.amount_total < 800),
        (
            "isin",
            lambda so: so.state.isin(["draft", "cancel"]),
            lambda df: df.state.isin(["draft", "cancel"]),
        ),
        ("not isin", lambda so: ~so.state.isin(["sale"]), lambda df: ~df.state.isin(["sale"])),
        ("isna", lambda so: so.user_id.isna(), lambda df: df.user_id.isna()),
        (
            "contains, any case",
            lambda so: so.name.str.contains("s0001", case=False),
            lambda df: df.name.str.contains("s0001", case=False, regex=False),
        ),
        (
            "startswith",
            lambda so: so.name.str.startswith("S001"),
            lambda df: df.name.str.startswith("S001"),
        ),
        (
            "or and not",
            lambda so: (so.state == "sale") | ~(so.amount_total > 2000),
            lambda df: (df.state == "sale") | ~(df.amount_total > 2000),
        ),
        (
            "year",
            lambda so: so.date_order.dt.year == 2026,
            lambda df: df.date_order.dt.year == 2026,
        ),
        (
            "month",
            lambda so: so.date_order.dt.month.isin([1, 12]),
            lambda df: df.date_order.dt.month.isin([1, 12]),
        ),
        (
            "aware datetime",
            lambda so: (
                so.date_order
                >= dt.datetime(2026, 6, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))
            ),
            lambda df: df.date_order >= pd.Timestamp("2026-06-01 00:00", tz="UTC"),
        ),
        (
            "many2many contains",
            lambda so: so.tag_ids.contains(1),
            lambda df: df.tag_ids.map(lambda ids: 1 in ids),
        ),
    ],
)
def test_server_filter_selects_what_pandas_selects(
    odoo: of.Client, orders_all: pd.DataFrame, title: str, make_filter: Any, make_mask: Any
) -> None:
    so = odoo["sale.order"]
    if title == "month" and odoo.version_info[0] == 17:
        with pytest.raises(FilterError, match=r"needs Odoo 17\.3 or newer"):
            so[make_filter(so)]
        return
    assert server_ids(so[make_filter(so)]) == pandas_ids(orders_all, make_mask(orders_all))


def test_dotted_path_filter_and_column(odoo: of.Client, output: str) -> None:
    so = odoo["sale.order"]
    be = so[so.partner_id.country_id.code == "US"][
        ["name", "partner_id", "partner_id.country_id.code"]
    ]
    df = materialise(be, output)
    assert len(df) > 0
    assert set(df["partner_id.country_id.code"]) == {"US"}
    assert list(df.columns) == [
        "id",
        "name",
        "partner_id",
        "partner_id.display_name",
        "partner_id.country_id.code",
    ]


def test_query_string_equals_the_expression(odoo: of.Client) -> None:
    so = odoo["sale.order"]
    codes = ["US", "BE"]
    by_query = so.query(
        "state == 'sale' and amount_total > 1000 and partner_id.country_id.code in @codes"
    )
    by_expr = so[
        (so.state == "sale") & (so.amount_total > 1000) & so.partner_id.country_id.code.isin(codes)
    ]
    assert by_query.domain == by_expr.domain
    assert server_ids(by_query) == server_ids(by_expr)


def test_where_takes_a_raw_domain_and_combines(odoo: of.Client) -> None:
    so = odoo["sale.order"]
    frame = so[so.state == "sale"].where([("amount_total", ">", 1000)])
    assert frame.domain == ["&", ("state", "=", "sale"), ("amount_total", ">", 1000)]


def test_sort_head_slice_len(odoo: of.Client, orders_all: pd.DataFrame, output: str) -> None:
    so = odoo["sale.order"]
    top = so[["name", "amount_total"]].sort_values("amount_total", ascending=False).head(5)
    df = materialise(top, output)
    expected = orders_all.sort_values("amount_total", ascending=False).amount_total.head(5).tolist()
    assert df["amount_total"].tolist() == expected
    assert len(so) == len(orders_all)
    assert len(so[10:20]) == 10
    page = materialise(so[["name"]].sort_values("name")[10:15], output)
    assert page["name"].tolist() == sorted(orders_all.name)[10:15]


def test_types_of_the_result(odoo: of.Client, output: str) -> None:
    so = odoo["sale.order"]
    frame = so[["name", "state", "amount_total", "partner_id", "date_order", "tag_ids"]].head(20)
    if output == "polars":
        import polars as pl

        df = frame.to_polars()
        assert df.schema["partner_id"] == pl.Int64
        assert df.schema["date_order"] == pl.Datetime("us", "UTC")
        assert df.schema["tag_ids"] == pl.List(pl.Int64)
        assert df.schema["state"] == pl.Categorical
    else:
        df = frame.to_pandas()
        assert df["partner_id"].dtype == "Int64"
        assert str(df["date_order"].dtype) == "datetime64[us, UTC]"
        assert isinstance(df["state"].dtype, pd.CategoricalDtype)
        assert df.attrs["odoo"]["model"] == "sale.order"


def test_large_result_is_fetched_in_pages_in_order(odoo: of.Client) -> None:
    partners = odoo["res.partner"][["name"]].sort_values("name")
    full = partners.to_pandas(progress=False)
    from odoo_frames.fetch import ReadPlan, fetch_records

    plan = partners.plan(page_size=50)
    assert isinstance(plan, ReadPlan)
    records = fetch_records(odoo.call, plan, workers=3, progress=False)
    assert [r["id"] for r in records] == full["id"].tolist()


def test_repr_and_explain_make_no_call(odoo18: of.Client, spy: CallSpy) -> None:
    so = odoo18["sale.order"]
    frame = so[so.state == "sale"][["name", "partner_id.country_id.code"]].head(3)
    spy.calls.clear()
    text = repr(frame)
    html = frame._repr_html_()
    plan = frame.explain()
    assert spy.data_calls() == []
    assert "search_read" in text and "sale.order" in html
    assert ("res.partner.read" in plan and "res.country.read" not in plan) or "read" in plan


# ---------------------------------------------------------------- bad input, no RPC


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda so: so[so.amount_totl > 3], FieldNotFound, "did you mean 'amount_total'"),
        (lambda so: so[["name", "partner_idd"]], FieldNotFound, "partner_id"),
        (
            lambda so: so[so.partner_id.country_id.cod == "BE"],
            FieldNotFound,
            "res.country has no field 'cod'",
        ),
        (lambda so: so[so.amount_total == "lots"], FilterError, "monetary field"),
        (lambda so: so[so.state == "shipped"], FilterError, "not one of its values"),
        (lambda so: so[so.amount_total > so.amount_tax], FilterError, "never two fields"),
        (lambda so: so[so.name.dt.year == 2020], FilterError, "not a date"),
        (
            lambda so: so.query("amount_total > amount_tax"),
            QuerySyntaxError,
            "comparing two columns",
        ),
        (lambda so: so.query("state = 'sale'"), QuerySyntaxError, "invalid syntax"),
        (lambda so: so.sort_values("display_name"), FilterError, "not sortable"),
        (lambda so: so[["name.foo"]], FilterError, "only many2one fields can be followed"),
    ],
)
def test_bad_input_fails_before_any_data_call(
    odoo18: of.Client, spy: CallSpy, make: Any, error: type[Exception], message: str
) -> None:
    so = odoo18["sale.order"]
    so.schema  # warm the fields_get cache  # noqa: B018
    odoo18.fields_get("res.partner")
    odoo18.fields_get("res.country")
    spy.calls.clear()
    with pytest.raises(error, match=message):
        make(so)
    assert spy.data_calls() == []


def test_truth_value_of_a_filter_explains(odoo18: of.Client) -> None:
    so = odoo18["sale.order"]
    with pytest.raises(TypeError, match=r"use &, \||& \(and\)"):
        if so.state == "sale":
            pass
