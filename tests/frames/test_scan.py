"""frame.scan(): a polars LazyFrame whose predicate, columns and limit go to Odoo.

Property: for random polars predicates, ``scan().filter(p).collect()`` equals
``to_polars().filter(p)`` (the translated parts only pre-select on the server; the
full predicate is applied again locally).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo_frames.scan import translate_predicate
from tests._sandbox_fixtures import running_sandbox

COLUMNS = [
    "name",
    "state",
    "amount_total",
    "user_id",
    "date_order",
    "validity_date",
    "client_order_ref",
    "partner_id.country_id.code",
]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    yield from running_sandbox(version="18.0", scale=300, seed=3)


@pytest.fixture(scope="module")
def frame(sandbox: Any) -> Any:
    return sandbox.connect()["sale.order"][COLUMNS]


@pytest.fixture(scope="module")
def full(frame: Any) -> pl.DataFrame:
    return frame.to_polars(progress=False)


def test_predicate_columns_and_limit_are_pushed_down(
    frame: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = frame.client
    seen: list[tuple[str, str, Any, dict[str, Any]]] = []
    original = client.call

    def spy(model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        seen.append((model, method, args, kwargs))
        return original(model, method, *args, **kwargs)

    monkeypatch.setattr(client, "call", spy)
    lf = (
        frame.scan()
        .filter((pl.col("state") == "sale") & (pl.col("amount_total") > 1000))
        .select("name")
    )
    result = lf.collect()
    searches = [s for s in seen if s[1] in ("search_read", "search")]
    assert searches, seen
    domain = searches[0][2][0]
    assert domain[0] == "&"
    assert sorted(map(tuple, domain[1:])) == [("amount_total", ">", 1000), ("state", "=", "sale")]
    reads = [s for s in seen if s[1] in ("search_read", "read")]
    assert set(reads[0][3]["fields"]) - {"write_date"} == {"name", "state", "amount_total"}
    assert result.columns == ["name"]
    seen.clear()
    assert frame.scan().head(7).collect().height == 7
    limits = [s[3].get("limit") for s in seen if s[1] in ("search_read", "search")]
    assert limits and limits[0] == 7


def test_untranslatable_parts_stay_with_polars(frame: Any, full: pl.DataFrame) -> None:
    predicate = (pl.col("amount_total") * 2 > 3000) & (pl.col("state") == "sale")
    assert str(translate_predicate(predicate)) == "<filter [('state', '=', 'sale')]>"
    got = frame.scan().filter(predicate).collect().sort("id")
    assert got["id"].to_list() == full.filter(predicate).sort("id")["id"].to_list()


def predicates(full: pl.DataFrame) -> st.SearchStrategy[pl.Expr]:
    names = sorted(set(full["name"].drop_nulls().to_list()))
    amounts = sorted(set(full["amount_total"].to_list()))
    dates = full["date_order"].drop_nulls().to_list()
    codes = sorted(set(full["partner_id.country_id.code"].drop_nulls().to_list()))
    users = sorted(set(full["user_id"].drop_nulls().to_list()))
    cmp = st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"])

    def compare(column: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[pl.Expr]:
        return st.builds(lambda op, v: getattr(pl.col(column), f"__{op}__")(v), cmp, values)

    leaf = st.one_of(
        compare("amount_total", st.one_of(st.sampled_from(amounts), st.just(0.0))),
        compare("name", st.sampled_from(names)),
        compare("date_order", st.sampled_from(dates)),
        compare("validity_date", st.just(dt.date(2026, 1, 1))),
        st.builds(
            lambda v: pl.col("state") == v, st.sampled_from(["draft", "sale", "cancel", "sent"])
        ),
        st.builds(
            lambda vs: pl.col("state").is_in(vs),
            st.lists(st.sampled_from(["draft", "sale", "cancel"]), min_size=1, max_size=2),
        ),
        st.builds(
            lambda vs: pl.col("user_id").is_in(vs),
            st.lists(st.sampled_from(users), min_size=1, max_size=2),
        ),
        st.builds(
            lambda c: pl.col(c).is_null(),
            st.sampled_from(["user_id", "client_order_ref", "partner_id.country_id.code"]),
        ),
        st.builds(
            lambda c: pl.col(c).is_not_null(), st.sampled_from(["user_id", "client_order_ref"])
        ),
        st.builds(
            lambda p: pl.col("name").str.contains(p, literal=True),
            st.sampled_from(["S00", "1", "%", "_"]),
        ),
        st.builds(lambda p: pl.col("name").str.starts_with(p), st.sampled_from(["S001", "S0"])),
        st.builds(lambda v: pl.col("partner_id.country_id.code") == v, st.sampled_from(codes)),
        st.builds(
            lambda a, b: pl.col("amount_total").is_between(min(a, b), max(a, b)),
            st.sampled_from(amounts),
            st.sampled_from(amounts),
        ),
        st.just(pl.col("amount_total") * 2 > 3000),
    )
    return st.recursive(
        leaf,
        lambda kids: st.one_of(
            st.builds(lambda a, b: a & b, kids, kids),
            st.builds(lambda a, b: a | b, kids, kids),
            st.builds(lambda a: ~a, kids),
        ),
        max_leaves=4,
    )


@pytest.fixture(scope="module")
def random_predicates(full: pl.DataFrame) -> st.SearchStrategy[pl.Expr]:
    return predicates(full)


@settings(
    max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
@given(data=st.data())
def test_scan_equals_local_filter(
    frame: Any, full: pl.DataFrame, random_predicates: Any, data: st.DataObject
) -> None:
    predicate = data.draw(random_predicates)
    got = frame.scan().filter(predicate).select("id").collect()["id"].sort().to_list()
    expected = full.filter(predicate)["id"].sort().to_list()
    assert got == expected, f"predicate {predicate}, pushed {translate_predicate(predicate)!r}"
