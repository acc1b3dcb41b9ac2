"""One user query, two dialects: read_group on 17/18, formatted_read_group on 19.

The calls are read from the HTTP traffic itself (XML-RPC, the web session routes and
JSON-2), and the frames they produce are identical on every version, dtypes included.
"""

from __future__ import annotations

import json
import xmlrpc.client
from typing import Any

import pandas as pd
import pytest

import odoo_frames as of
from odoo_frames.transport.http import HttpPool

from .conftest import VERSIONS, CallSpy


def monthly(client: of.Client) -> Any:
    so = client["sale.order"]
    return (
        so[so.state == "sale"]
        .groupby(["partner_id", so.date_order.dt.month])
        .agg(total=("amount_total", "sum"), orders=("id", "count"))
    )


class Traffic:
    """The RPC requests a client sends, decoded to (model, method, args, kwargs)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, bytes]] = []

    def calls(self) -> list[tuple[str, str, list[Any], dict[str, Any]]]:
        out = []
        for path, body in self.requests:
            if path.startswith("/xmlrpc/2/object"):
                params, _ = xmlrpc.client.loads(body)
                _, _, _, model, method, args, kwargs = params
                out.append((model, method, list(args), dict(kwargs)))
            elif path.startswith("/web/dataset/call_kw"):
                params = json.loads(body)["params"]
                out.append((params["model"], params["method"], params["args"], params["kwargs"]))
            elif path.startswith("/json/2/"):
                _, _, _, model, method = path.split("/")
                named = json.loads(body)
                domain = named.pop("domain")
                out.append((model, method, [domain], named))
        return [call for call in out if call[1] != "fields_get"]


@pytest.fixture
def traffic(monkeypatch: pytest.MonkeyPatch) -> Traffic:
    recorder = Traffic()
    original = HttpPool.request

    def request(self: HttpPool, verb: str, path: str, *, body: Any = None, **kw: Any) -> Any:
        recorder.requests.append((path, bytes(body or b"")))
        return original(self, verb, path, body=body, **kw)

    monkeypatch.setattr(HttpPool, "request", request)
    return recorder


CONNECTIONS = [
    ("17.0", {"protocol": "xmlrpc"}),
    ("18.0", {}),  # the web session routes
    ("19.0", {}),
    ("19.0", {"api_key": True}),  # JSON-2
]


@pytest.mark.parametrize(
    ("version", "options"), CONNECTIONS, ids=["17-xmlrpc", "18-web", "19-web", "19-json2"]
)
def test_the_documented_call_goes_over_the_wire(
    boxes: dict[str, Any], traffic: Traffic, version: str, options: dict[str, Any]
) -> None:
    box = boxes[version]
    if options.get("api_key"):
        client = box.connect(password=None, api_key=box.api_key)
        assert client.protocol == "json2"
    else:
        client = box.connect(**options)
    res = monthly(client)
    top = res[res.total > 1000].sort_values("total", ascending=False).head(10)
    traffic.requests.clear()
    top.to_pandas()
    calls = traffic.calls()
    assert len(calls) == 1, calls
    model, method, args, kwargs = calls[0]
    context = kwargs.pop("context")
    assert context["tz"] == "Europe/Brussels"
    assert model == "sale.order" and args == [[["state", "=", "sale"]]]
    if version == "19.0":
        assert method == "formatted_read_group"
        assert kwargs == {
            "groupby": ["partner_id", "date_order:month"],
            "aggregates": ["amount_total:sum", "__count"],
            "having": [["amount_total:sum", ">", 1000]],
            "order": "amount_total:sum desc nulls last",
            "limit": 10,
        }
    else:  # no HAVING before 19: no limit either, both applied to the groups received
        assert method == "read_group"
        assert kwargs == {
            "fields": ["total:sum(amount_total)"],
            "groupby": ["partner_id", "date_order:month"],
            "lazy": False,
            "orderby": "total desc nulls last",
        }
        traffic.requests.clear()
        res.sort_values("total", ascending=False).head(10).to_pandas()
        [(_, _, _, plain)] = traffic.calls()
        assert plain["limit"] == 10 and plain["orderby"] == "total desc nulls last"


QUERIES = {
    "partner and month, having, top 10": lambda c: (
        lambda r: r[r.total > 1000].sort_values("total", ascending=False).head(10)
    )(monthly(c)),
    "state and tag, min/max/mean": lambda c: (
        c["sale.order"]
        .groupby(["state", "tag_ids"])
        .agg({"amount_total": ["min", "max", "mean"], "validity_date": "max"})
    ),
    "week buckets in Tokyo, size": lambda c: (
        c["sale.order"]
        .with_context(tz="Asia/Tokyo")
        .groupby([c["sale.order"].date_order.dt.week, "locked"])
        .size()
    ),
    "lines by product, null keys": lambda c: (
        c["sale.order.line"]
        .groupby(["display_type", "product_id"])
        .agg(qty=("product_uom_qty", "sum"), n=("id", "count"), last=("create_date", "max"))
    ),
    "empty result": lambda c: (
        c["sale.order"][c["sale.order"].amount_total < 0]
        .groupby(["state", "validity_date:quarter", "commitment_date:day"])
        .agg(total=("amount_total", "sum"), n=("id", "count"))
    ),
}


@pytest.mark.parametrize("query", list(QUERIES))
def test_same_frame_on_every_version(boxes: dict[str, Any], query: str) -> None:
    frames = {v: QUERIES[query](boxes[v].connect()).to_pandas() for v in VERSIONS}
    polars = {v: QUERIES[query](boxes[v].connect()).to_polars() for v in VERSIONS}
    for version in VERSIONS[1:]:
        pd.testing.assert_frame_equal(frames[version], frames["17.0"], check_exact=True)
        assert polars[version].equals(polars["17.0"])
        assert polars[version].schema == polars["17.0"].schema


def test_column_types(odoo: of.Client) -> None:
    so = odoo["sale.order"]
    res = so.groupby(
        ["state", "partner_id", "date_order:month", "validity_date:year", "locked"]
    ).agg(
        n=("id", "count"),
        total=("amount_total", "sum"),
        mean=("amount_total", "mean"),
        first_valid=("validity_date", "min"),
        last_order=("date_order", "max"),
        customers=("partner_id", "nunique"),
        size=("id", "size"),
    )
    dtypes = {name: str(dtype) for name, dtype in res.to_pandas().dtypes.items()}
    assert dtypes == {
        "state": "category",
        "partner_id": "Int64",
        "partner_id.display_name": dtypes["partner_id.display_name"],  # str or object
        "date_order:month": "datetime64[us, Europe/Brussels]",
        "validity_date:year": "object",  # datetime.date
        "locked": "bool",
        "n": "int64",
        "total": "float64",
        "mean": "float64",
        "first_valid": "object",
        "last_order": "datetime64[us, UTC]",
        "customers": "int64",
        "size": "int64",
    }
    schema = {name: str(dtype) for name, dtype in res.to_polars().schema.items()}
    assert schema == {
        "state": "Categorical",
        "partner_id": "Int64",
        "partner_id.display_name": "String",
        "date_order:month": "Datetime(time_unit='us', time_zone='Europe/Brussels')",
        "validity_date:year": "Date",
        "locked": "Boolean",
        "n": "Int64",
        "total": "Float64",
        "mean": "Float64",
        "first_valid": "Date",
        "last_order": "Datetime(time_unit='us', time_zone='UTC')",
        "customers": "Int64",
        "size": "Int64",
    }


def test_integer_sums_stay_integers(odoo: of.Client) -> None:
    partners = odoo["res.partner"]
    frame = partners.groupby("country_id").agg(ranks=("customer_rank", "sum")).to_pandas()
    assert str(frame["ranks"].dtype) == "Int64"
    expected = partners[["customer_rank"]].to_pandas()["customer_rank"].sum()
    assert frame["ranks"].sum() == expected


def test_repr_shows_the_call_and_sends_nothing(odoo: of.Client, spy: CallSpy) -> None:
    res = monthly(odoo)
    top = res[res.total > 1000].head(3)
    text = repr(top)
    html = top._repr_html_()
    assert spy.data_calls() == []
    assert "partner_id (many2one id + .display_name)" in text
    assert "date_order:month (start of the month, Europe/Brussels)" in text
    if odoo.version.at_least(19):
        assert (
            "will call: sale.order.formatted_read_group([['state', '=', 'sale']], "
            "groupby=['partner_id', 'date_order:month'], aggregates=['amount_total:sum', "
            "'__count'], having=[['amount_total:sum', '>', 1000]], limit=3)"
        ) in text
        assert "HAVING" not in text
    else:
        assert (
            "will call: sale.order.read_group([['state', '=', 'sale']], "
            "fields=['total:sum(amount_total)'], groupby=['partner_id', 'date_order:month'], "
            "lazy=False)"
        ) in text
        assert f"(Odoo {odoo.server_version} has no HAVING): keep groups where " in text
        assert "then keep groups [0:3]" in text
    assert "read_group(" in html and "&#x27;state&#x27;" in html


def test_aggregates_of_one_field_share_a_spec(odoo: of.Client) -> None:
    """Two names for one (field, function) send it once; aliases avoid orderby pitfalls."""
    so = odoo["sale.order"]
    res = so.groupby("state").agg(
        total=("amount_total", "sum"), again=("amount_total", "sum"), asc=("amount_tax", "max")
    )
    method, _, kwargs = res.sort_values("asc").call()
    if method == "read_group":
        # "asc" would turn read_group's orderby rewriting of "asc asc" into nonsense
        assert kwargs["fields"] == ["total:sum(amount_total)", "_a2:max(amount_tax)"]
        assert kwargs["orderby"] == "_a2 asc"
    else:
        assert kwargs["aggregates"] == ["amount_total:sum", "amount_tax:max"]
    frame = res.sort_values("asc").to_pandas()
    assert (frame.total == frame.again).all() and frame["asc"].is_monotonic_increasing
