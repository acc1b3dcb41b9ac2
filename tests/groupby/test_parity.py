"""Server-side groupby equals pandas' groupby on the fetched rows, on Odoo 17, 18 and 19.

Each case groups on the server (one read_group / formatted_read_group) and in pandas
(``df.groupby(keys, as_index=False, dropna=False, observed=True)`` on the rows the
frame fetches), for pandas and polars output. Date buckets are the period start in the
bucketing time zone (the user's Europe/Brussels unless the context says otherwise), so
the pandas side converts the UTC datetimes to that zone before taking the period.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import odoo_frames as of
from odoo_frames.groupby import GroupByError

from .conftest import CallSpy, assert_same_groups, materialise, ordered_rows

ORDER_COLUMNS = [
    "name",
    "state",
    "amount_total",
    "amount_untaxed",
    "amount_tax",
    "partner_id",
    "user_id",
    "opportunity_id",
    "client_order_ref",
    "date_order",
    "validity_date",
    "commitment_date",
    "locked",
    "tag_ids",
]
BRUSSELS = "Europe/Brussels"


@pytest.fixture(scope="module")
def orders(odoo: of.Client) -> pd.DataFrame:
    return odoo["sale.order"][ORDER_COLUMNS].to_pandas()


@pytest.fixture(scope="module")
def lines(odoo: of.Client) -> pd.DataFrame:
    columns = ["product_id", "display_type", "product_uom_qty", "price_subtotal", "create_date"]
    return odoo["sale.order.line"][columns].to_pandas()


# -------------------------------------------------------------------------- pandas side


def grouped(df: pd.DataFrame, keys: list[str]) -> Any:
    return df.groupby(keys, as_index=False, dropna=False, observed=True, sort=True)


def period_start(utc: pd.Series, freq: str, tz: str) -> pd.Series:
    """The start of the period (in ``tz``) of each UTC datetime: what Odoo buckets by."""
    local = utc.dt.tz_convert(tz).dt.tz_localize(None)
    if freq == "W":  # en_US weeks start on Sunday
        start = local.dt.normalize() - pd.to_timedelta((local.dt.day_of_week + 1) % 7, unit="D")
    else:
        start = local.dt.to_period(freq).dt.start_time
    return start.dt.tz_localize(tz)


def date_period_start(dates: pd.Series, freq: str) -> pd.Series:
    start = pd.to_datetime(dates).dt.to_period(freq).dt.start_time.dt.date
    return start.where(dates.notna(), None)


# -------------------------------------------------------------------------- cases

Case = Callable[[Any, pd.DataFrame], tuple[Any, pd.DataFrame]]


def case_selection_size(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    return so.groupby("state").size(), grouped(df, ["state"]).size()


def case_many2one_named(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby("partner_id").agg(total=("amount_total", "sum"), n=("id", "count"))
    expected = grouped(df, ["partner_id", "partner_id.display_name"]).agg(
        total=("amount_total", "sum"), n=("id", "count")
    )
    return result, expected


def case_null_many2one_mean(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby("opportunity_id").agg({"amount_untaxed": "mean"})
    keys = ["opportunity_id", "opportunity_id.display_name"]
    return result, grouped(df, keys).agg({"amount_untaxed": "mean"})


def case_two_keys_dict_of_lists(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    funcs = ["sum", "mean", "min", "max"]
    result = so.groupby(["state", "user_id"]).agg({"amount_total": funcs})
    expected = grouped(df, ["state", "user_id", "user_id.display_name"]).agg(
        **{f"amount_total_{f}": ("amount_total", f) for f in funcs}
    )
    return result, expected


def case_boolean_key(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby("locked").agg(tax=("amount_tax", "sum"), n=("id", "size"))
    return result, grouped(df, ["locked"]).agg(tax=("amount_tax", "sum"), n=("id", "size"))


def case_char_key_with_nulls(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    return so.groupby("client_order_ref").size(), grouped(df, ["client_order_ref"]).size()


def case_series_list(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby("state")["amount_total"].agg(["sum", "mean", "size"])
    return result, grouped(df, ["state"])["amount_total"].agg(["sum", "mean", "size"])


def case_series_single(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby("state")["amount_total"].agg("max")
    return result, grouped(df, ["state"])["amount_total"].agg("max")


def case_frame_selection_list(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby("state")[["amount_total", "amount_tax"]].agg(["min", "sum"])
    expected = grouped(df, ["state"]).agg(
        amount_total_min=("amount_total", "min"),
        amount_total_sum=("amount_total", "sum"),
        amount_tax_min=("amount_tax", "min"),
        amount_tax_sum=("amount_tax", "sum"),
    )
    return result, expected


def case_sum_sugar(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    selected = ["state", "amount_total", "amount_tax"]
    return so[selected].groupby("state").sum(), grouped(df[selected], ["state"]).sum()


def case_count_sugar(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    selected = ["state", "opportunity_id", "client_order_ref", "amount_total"]
    result = so[selected].groupby("state").count()
    expected = grouped(df[selected], ["state"]).count()
    return result, expected


def case_nunique_and_any(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby("user_id").agg(
        customers=("partner_id", "nunique"),
        any_locked=("locked", "any"),
        all_locked=("locked", "all"),
    )
    expected = grouped(df, ["user_id", "user_id.display_name"]).agg(
        customers=("partner_id", "nunique"),
        any_locked=("locked", "any"),
        all_locked=("locked", "all"),
    )
    return result, expected


def case_min_max_dates(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    named = {
        "first_valid": ("validity_date", "min"),
        "last_order": ("date_order", "max"),
        "last_commitment": ("commitment_date", "max"),
        "with_opportunity": ("opportunity_id", "count"),
    }
    return so.groupby("state").agg(**named), grouped(df, ["state"]).agg(**named)


def case_month_buckets_across_dst(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby(so.date_order.dt.month).agg(total=("amount_total", "sum"))
    df = df.assign(**{"date_order:month": period_start(df.date_order, "M", BRUSSELS)})
    return result, grouped(df, ["date_order:month"]).agg(total=("amount_total", "sum"))


@pytest.mark.parametrize(
    ("part", "freq"), [("day", "D"), ("week", "W"), ("quarter", "Q"), ("year", "Y")]
)
def test_datetime_buckets(
    odoo: of.Client, orders: pd.DataFrame, output: str, part: str, freq: str
) -> None:
    so = odoo["sale.order"]
    result = materialise(so.groupby(["state", f"date_order:{part}"]).size(), output)
    column = f"date_order:{part}"
    df = orders.assign(**{column: period_start(orders.date_order, freq, BRUSSELS)})
    assert_same_groups(result, grouped(df, ["state", column]).size())
    assert str(result[column].dtype) == f"datetime64[us, {BRUSSELS}]"


def case_partner_and_month(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = (
        so[so.state == "sale"]
        .groupby(["partner_id", so.date_order.dt.month])
        .agg(total=("amount_total", "sum"), orders=("id", "count"))
    )
    df = df[df.state == "sale"]
    df = df.assign(**{"date_order:month": period_start(df.date_order, "M", BRUSSELS)})
    keys = ["partner_id", "partner_id.display_name", "date_order:month"]
    expected = grouped(df, keys).agg(total=("amount_total", "sum"), orders=("id", "count"))
    return result, expected


def case_datetime_with_nulls(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby("commitment_date:month").size()
    df = df.assign(**{"commitment_date:month": period_start(df.commitment_date, "M", BRUSSELS)})
    return result, grouped(df, ["commitment_date:month"]).size()


def case_date_field_quarter(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby(["validity_date:quarter"]).agg(top=("amount_total", "max"))
    df = df.assign(**{"validity_date:quarter": date_period_start(df.validity_date, "Q")})
    return result, grouped(df, ["validity_date:quarter"]).agg(top=("amount_total", "max"))


def case_date_field_default_month(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so.groupby("validity_date").size()  # no granularity: Odoo's month
    df = df.assign(**{"validity_date:month": date_period_start(df.validity_date, "M")})
    return result, grouped(df, ["validity_date:month"]).size()


def case_empty_result(so: Any, df: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    result = so[so.amount_total < 0].groupby(["state", "partner_id", so.date_order.dt.month])
    df = df[df.amount_total < 0]
    df = df.assign(**{"date_order:month": period_start(df.date_order, "M", BRUSSELS)})
    keys = ["state", "partner_id", "partner_id.display_name", "date_order:month"]
    expected = grouped(df, keys).agg(total=("amount_total", "sum"))
    return result.agg(total=("amount_total", "sum")), expected


CASES: dict[str, Case] = {
    name.removeprefix("case_"): function
    for name, function in list(globals().items())
    if name.startswith("case_")
}


@pytest.mark.parametrize("case", list(CASES))
def test_server_groupby_equals_pandas(
    odoo: of.Client, orders: pd.DataFrame, output: str, spy: CallSpy, case: str
) -> None:
    result, expected = CASES[case](odoo["sale.order"], orders)
    frame = materialise(result, output)
    assert spy.data_calls() == [
        "formatted_read_group" if odoo.version.at_least(19) else "read_group"
    ]
    assert_same_groups(frame, expected.reset_index(drop=True))


def test_null_keys_and_null_selection(odoo: of.Client, lines: pd.DataFrame, output: str) -> None:
    """Section and note lines have no product and a display_type; product lines the reverse."""
    sol = odoo["sale.order.line"]
    result = materialise(
        sol.groupby(["display_type", "product_id"]).agg(qty=("product_uom_qty", "sum")), output
    )
    keys = ["display_type", "product_id", "product_id.display_name"]
    assert_same_groups(result, grouped(lines, keys).agg(qty=("product_uom_qty", "sum")))
    assert result["display_type"].isna().any() and result["product_id"].isna().any()


def test_integer_key(odoo: of.Client, output: str) -> None:
    partners = odoo["res.partner"]
    df = partners[["customer_rank", "name"]].to_pandas()
    result = materialise(partners.groupby("customer_rank").agg(n=("id", "count")), output)
    assert_same_groups(result, grouped(df, ["customer_rank"]).agg(n=("id", "count")))


def test_many2many_key_counts_each_tag(odoo: of.Client, orders: pd.DataFrame, output: str) -> None:
    """A record is in the group of each of its tags (pandas: explode the id lists first)."""
    result = materialise(odoo["sale.order"].groupby("tag_ids").size(), output)
    exploded = orders.explode("tag_ids").astype({"tag_ids": "Int64"})
    expected = grouped(exploded, ["tag_ids"]).size()
    assert_same_groups(result.drop(columns="tag_ids.display_name"), expected)


# -------------------------------------------------------------------------- time zones


@pytest.mark.parametrize("tz", ["Asia/Tokyo", "America/Los_Angeles", "UTC"])
def test_buckets_follow_the_frame_context_tz(
    odoo: of.Client, orders: pd.DataFrame, output: str, tz: str
) -> None:
    """Orders late in the UTC day fall on the next day in Tokyo, the previous in LA."""
    so = odoo["sale.order"].with_context(tz=tz)
    result = materialise(so.groupby("date_order:day").agg(total=("amount_total", "sum")), output)
    df = orders.assign(**{"date_order:day": period_start(orders.date_order, "D", tz)})
    assert_same_groups(result, grouped(df, ["date_order:day"]).agg(total=("amount_total", "sum")))
    assert str(result["date_order:day"].dtype) == f"datetime64[us, {tz}]"


def test_buckets_follow_the_client_context_tz(
    odoo: of.Client, orders: pd.DataFrame, output: str
) -> None:
    la = odoo.with_context(tz="America/Los_Angeles")
    result = materialise(la["sale.order"].groupby("date_order:week").size(), output)
    df = orders.assign(
        **{"date_order:week": period_start(orders.date_order, "W", "America/Los_Angeles")}
    )
    assert_same_groups(result, grouped(df, ["date_order:week"]).size())


def test_unknown_or_missing_tz_buckets_in_utc(odoo: of.Client, orders: pd.DataFrame) -> None:
    df = orders.assign(**{"date_order:month": period_start(orders.date_order, "M", "UTC")})
    expected = grouped(df, ["date_order:month"]).size()
    for context in ({"tz": "Mars/Olympus_Mons"}, {"tz": False}):
        result = odoo["sale.order"].with_context(**context).groupby("date_order:month").size()
        assert result.timezone == "UTC"
        frame = result.to_pandas()
        assert str(frame["date_order:month"].dtype) == "datetime64[us, UTC]"
        assert_same_groups(frame, expected)


def test_buckets_are_period_starts_not_labels(odoo: of.Client) -> None:
    """March 2026 starts at 00:00 in Brussels = 23:00 UTC the day before (CET, UTC+1);
    April starts at 22:00 UTC (CEST): the bucket is the local midnight both times."""
    result = odoo["sale.order"].groupby("date_order:month").size().to_pandas()
    starts = result["date_order:month"]
    assert (starts.dt.day == 1).all() and (starts.dt.hour == 0).all()
    offsets = {stamp.utcoffset().total_seconds() / 3600 for stamp in starts}
    assert offsets == {1.0, 2.0}  # the data spans summer and winter time


# -------------------------------------------------------------------------- having, order, head


def test_having_order_and_head_match_pandas(
    odoo: of.Client, orders: pd.DataFrame, output: str, spy: CallSpy
) -> None:
    res = (
        odoo["sale.order"]
        .groupby("partner_id")
        .agg(total=("amount_total", "sum"), n=("id", "count"))
    )
    top = res[(res.total > 20_000) | (res.n >= 3)].sort_values("total", ascending=False).head(5)
    frame = materialise(top, output)
    expected = grouped(orders, ["partner_id", "partner_id.display_name"]).agg(
        total=("amount_total", "sum"), n=("id", "count")
    )
    expected = expected[(expected.total > 20_000) | (expected.n >= 3)]
    expected = expected.sort_values("total", ascending=False).head(5)
    assert ordered_rows(frame) == ordered_rows(expected)
    assert len(spy.data_calls()) == 1


def test_slices_and_ascending_order(odoo: of.Client, orders: pd.DataFrame) -> None:
    res = odoo["sale.order"].groupby("partner_id").agg(total=("amount_total", "sum"))
    frame = res.sort_values("total")[3:8].to_pandas()
    expected = grouped(orders, ["partner_id", "partner_id.display_name"]).agg(
        total=("amount_total", "sum")
    )
    assert ordered_rows(frame) == ordered_rows(expected.sort_values("total").iloc[3:8])


def test_having_with_negation_and_isin(odoo: of.Client, orders: pd.DataFrame) -> None:
    res = (
        odoo["sale.order"].groupby("user_id").agg(n=("id", "count"), total=("amount_total", "sum"))
    )
    frame = res[~(res.n > 30) & ~res.n.isin([1, 2])].to_pandas()
    expected = grouped(orders, ["user_id", "user_id.display_name"]).agg(
        n=("id", "count"), total=("amount_total", "sum")
    )
    assert_same_groups(frame, expected[~(expected.n > 30) & ~expected.n.isin([1, 2])])


def test_having_with_a_negated_conjunction_and_between(
    odoo: of.Client, orders: pd.DataFrame
) -> None:
    """``~(a & b)`` cannot flip one operator: it is sent as Odoo's '!' (or evaluated so)."""
    res = (
        odoo["sale.order"]
        .groupby("partner_id")
        .agg(n=("id", "count"), total=("amount_total", "sum"))
    )
    kept = res[~((res.n >= 2) & res.total.between(10_000, 60_000))]
    assert kept.having.to_list()[0] == "!"
    expected = grouped(orders, ["partner_id", "partner_id.display_name"]).agg(
        n=("id", "count"), total=("amount_total", "sum")
    )
    mask = ~((expected.n >= 2) & expected.total.between(10_000, 60_000))
    assert_same_groups(kept.to_pandas(), expected[mask])


def test_descending_order_puts_null_keys_last_like_pandas(odoo: of.Client) -> None:
    res = odoo["sale.order"].groupby("commitment_date:month").size()
    frame = res.sort_values("commitment_date:month", ascending=False).to_pandas()
    assert frame["commitment_date:month"].iloc[-1] is pd.NaT
    assert frame["commitment_date:month"].iloc[:-1].is_monotonic_decreasing


# -------------------------------------------------------------------------- version-specific keys


def test_date_parts(odoo: of.Client, orders: pd.DataFrame, output: str) -> None:
    """Integer date parts (Odoo 17.3+): the sandbox's 17.0 refuses them before any call."""
    so = odoo["sale.order"]
    if not odoo.version.at_least(17, 3):
        with pytest.raises(GroupByError, match=r"17\.3"):
            so.groupby("date_order:month_number")
        return
    result = materialise(
        so.groupby(
            ["date_order:month_number", "date_order:day_of_week", so.date_order.dt.dayofyear]
        ).size(),
        output,
    )
    local = orders.date_order.dt.tz_convert(BRUSSELS)
    df = orders.assign(
        **{
            "date_order:month_number": local.dt.month,
            "date_order:day_of_week": (local.dt.day_of_week + 1) % 7,  # Odoo: Sunday = 0
            "date_order:day_of_year": local.dt.day_of_year,
        }
    )
    keys = ["date_order:month_number", "date_order:day_of_week", "date_order:day_of_year"]
    assert_same_groups(result, grouped(df, keys).size())


def test_dotted_many2one_key(odoo: of.Client, output: str) -> None:
    """``partner_id.country_id`` groups on Odoo 19; before, a clear error and no call."""
    so = odoo["sale.order"]
    if not odoo.version.at_least(19):
        with pytest.raises(GroupByError, match="needs Odoo 19"):
            so.groupby("partner_id.country_id")
        return
    df = so[["partner_id.country_id", "amount_total"]].to_pandas()
    result = materialise(
        so.groupby("partner_id.country_id").agg(total=("amount_total", "sum")), output
    )
    keys = ["partner_id.country_id", "partner_id.country_id.display_name"]
    assert_same_groups(result, grouped(df, keys).agg(total=("amount_total", "sum")))
    code = so.groupby("partner_id.country_id.code").size().to_pandas()
    assert list(code.columns) == ["partner_id.country_id.code", "size"]
    assert code["size"].sum() == len(df)


# -------------------------------------------------------------------------- local=True


def test_local_groupby_has_the_same_keys_as_the_server(odoo: of.Client) -> None:
    so = odoo["sale.order"]
    keys = ["partner_id", so.date_order.dt.month, "state"]
    named = {"total": ("amount_total", "sum"), "n": ("id", "count")}
    server = so.groupby(keys).agg(**named).to_pandas()
    local = so.groupby(keys, local=True).agg(**named)
    assert_same_groups(server, local)
    median = so.groupby("state", local=True)["amount_total"].median()
    assert list(median.columns) == ["state", "amount_total"]
