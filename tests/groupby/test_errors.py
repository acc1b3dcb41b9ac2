"""Bad groupings fail with a clear message before any data call (fields_get only).

Unknown fields, fields Odoo cannot group by (per fields_get), aggregates a field's type
cannot take, unknown granularities, and what only pandas can compute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import odoo_frames as of
from odoo_frames.groupby import GroupByError
from odoo_frames.schema import FieldNotFound

from .conftest import CallSpy


def fails(make: Callable[[Any], Any], error: type[Exception], match: str) -> Any:
    return pytest.param(make, error, match)


BAD_INPUT = {
    "unknown key": fails(
        lambda so: so.groupby("partnr_id"), FieldNotFound, "did you mean 'partner_id'"
    ),
    "unknown aggregated field": fails(
        lambda so: so.groupby("state").agg(total=("amount_totl", "sum")),
        FieldNotFound,
        "amount_total",
    ),
    "not stored": fails(lambda so: so.groupby("display_name"), GroupByError, "not stored"),
    "one2many": fails(
        lambda so: so.groupby("order_line"), GroupByError, "cannot group by a one2many field"
    ),
    "sum of a selection": fails(
        lambda so: so.groupby("partner_id").agg({"state": "sum"}),
        GroupByError,
        r"state is a selection field: 'sum' does not apply to it \(it takes min, max, count, nunique\)",
    ),
    "mean of a boolean": fails(
        lambda so: so.groupby("state")["locked"].mean(), GroupByError, "boolean field: 'mean'"
    ),
    "sum of a datetime": fails(
        lambda so: so.groupby("state").agg(x=("date_order", "sum")),
        GroupByError,
        "datetime field: 'sum'",
    ),
    "count of a many2many": fails(
        lambda so: so.groupby("state").agg(n=("tag_ids", "count")),
        GroupByError,
        "cannot aggregate it",
    ),
    "unknown function": fails(
        lambda so: so.groupby("state").agg(x=("amount_total", "average")),
        GroupByError,
        "unknown aggregation 'average'",
    ),
    "unknown granularity": fails(
        lambda so: so.groupby("date_order:fortnight"),
        GroupByError,
        "unknown granularity 'fortnight'",
    ),
    "hour of a date": fails(
        lambda so: so.groupby("validity_date:hour"), GroupByError, "unknown granularity 'hour'"
    ),
    "granularity of a selection": fails(
        lambda so: so.groupby("state:month"),
        GroupByError,
        "only date and datetime fields take a granularity",
    ),
    "weekday numbering": fails(
        lambda so: so.groupby(so.date_order.dt.dayofweek), GroupByError, "from Sunday = 0"
    ),
    "median": fails(
        lambda so: so.groupby("state").agg(m=("amount_total", "median")),
        GroupByError,
        r"cannot compute 'median'.*to_pandas\(\).*local=True",
    ),
    "std method": fails(
        lambda so: so.groupby("state")["amount_total"].std(), GroupByError, "local=True"
    ),
    "quantile method": fails(
        lambda so: so.groupby("state").quantile(0.9), GroupByError, "local=True"
    ),
    "custom function": fails(
        lambda so: so.groupby("state").agg(spread=("amount_total", lambda s: s.max() - s.min())),
        GroupByError,
        "cannot run on the Odoo server",
    ),
    "related field aggregate": fails(
        lambda so: so.groupby("state").agg(r=("partner_id.customer_rank", "sum")),
        GroupByError,
        "not related fields",
    ),
    "x2many path key": fails(
        lambda so: so.groupby("order_line.product_id"), GroupByError, "only along many2one paths"
    ),
    "key twice": fails(lambda so: so.groupby(["state", "state"]), GroupByError, "given twice"),
    "aggregate named like a key": fails(
        lambda so: so.groupby("state").agg(state=("amount_total", "sum")),
        GroupByError,
        "two columns named 'state'",
    ),
    "no key": fails(lambda so: so.groupby([]), GroupByError, "at least one key"),
    "sliced frame": fails(lambda so: so.head(10).groupby("state"), GroupByError, "sliced frame"),
    "having on a key": fails(
        lambda so: (lambda r: r[r["state"] == "sale"])(so.groupby("state").size()),
        GroupByError,
        "filter the frame before groupby",
    ),
    "having on text": fails(
        lambda so: (lambda r: r[r.last > "2026-01-01"])(
            so.groupby("state").agg(last=("date_order", "max"))
        ),
        GroupByError,
        "filtered on numbers",
    ),
    "sort by unknown column": fails(
        lambda so: so.groupby("state").size().sort_values("total"),
        GroupByError,
        "not a column of the result",
    ),
    "sort after head": fails(
        lambda so: so.groupby("state").size().head(2).sort_values("size"),
        GroupByError,
        "call sort_values first",
    ),
}


@pytest.mark.parametrize(("make", "error", "match"), list(BAD_INPUT.values()), ids=list(BAD_INPUT))
def test_bad_input_fails_before_any_call(
    odoo: of.Client, spy: CallSpy, make: Callable[[Any], Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        make(odoo["sale.order"])
    assert spy.data_calls() == []


def test_errors_are_value_errors_and_key_errors(odoo: of.Client) -> None:
    """GroupByError is a ValueError (like every filter error); unknown fields a KeyError."""
    so = odoo["sale.order"]
    with pytest.raises(ValueError):
        so.groupby("state:month")
    with pytest.raises(KeyError):
        so.groupby("nope")


def test_local_groupby_computes_what_odoo_cannot(odoo: of.Client) -> None:
    so = odoo["sale.order"]
    by_state = so.groupby("state", local=True)
    spread = by_state.agg(spread=("amount_total", lambda s: s.max() - s.min()))
    medians = by_state["amount_total"].median()
    rows = so[["state", "amount_total"]].to_pandas()
    expected = rows.groupby("state", observed=True)["amount_total"].median()
    assert dict(zip(medians.state, medians.amount_total, strict=True)) == expected.to_dict()
    assert (spread.spread >= 0).all()
