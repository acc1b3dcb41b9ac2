"""Property: a filter run on the server selects exactly the rows pandas selects.

Random filter expressions (every operator, nulls, dotted paths, negation, and/or)
are compiled to domains and run on a demo sandbox; the same expressions are
evaluated with pandas on the full frame fetched once. The ids must be equal.
The reference semantics are pandas' on the frame as odoo_frames returns it: an
unset number reads 0 (so ``isna()`` of a number is ``== 0``, Odoo's ``= False``),
an unset boolean reads False, comparisons with an unset value are False except
``!=``, and string methods treat unset text as no match (``na=False``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import odoo_frames as of
from odoo_frames import expr as E
from odoo_frames.expr import Col, Expr
from tests._sandbox_fixtures import running_sandbox

COLUMNS = [
    "name",
    "state",
    "amount_total",
    "user_id",
    "date_order",
    "validity_date",
    "locked",
    "tag_ids",
    "client_order_ref",
    "partner_id.country_id.code",
]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    yield from running_sandbox(version="18.0", scale=400, seed=7)


@pytest.fixture(scope="module")
def odoo(sandbox: Any) -> of.Client:
    return sandbox.connect()


@pytest.fixture(scope="module")
def full(odoo: of.Client) -> pd.DataFrame:
    return odoo["sale.order"][COLUMNS].to_pandas(progress=False).set_index("id").sort_index()


# ------------------------------------------------------------------ reference evaluator


def evaluate(node: Expr, df: pd.DataFrame) -> np.ndarray:
    """The rows pandas selects for ``node`` on ``df`` (a boolean numpy array)."""
    if isinstance(node, E.And):
        return evaluate(node.left, df) & evaluate(node.right, df)
    if isinstance(node, E.Or):
        return evaluate(node.left, df) | evaluate(node.right, df)
    if isinstance(node, E.Not):
        return ~evaluate(node.operand, df)
    column = df[node.path]  # type: ignore[attr-defined]
    values = column.astype(object).where(column.notna(), None).tolist()
    if isinstance(node, E.Compare):
        return np.array([_compare(v, node.op, node.value) for v in values], dtype=bool)
    if isinstance(node, E.Between):
        return np.array(
            [
                _compare(v, ">=" if node.low_inclusive else ">", node.low)
                and _compare(v, "<=" if node.high_inclusive else "<", node.high)
                for v in values
            ],
            dtype=bool,
        )
    if isinstance(node, E.IsIn):
        wanted = list(node.values)
        return np.array([_isin(v, wanted) for v in values], dtype=bool)
    if isinstance(node, E.IsNull):
        return np.array(
            [
                v is None or (isinstance(v, int | float) and not isinstance(v, bool) and v == 0)
                for v in values
            ],
            dtype=bool,
        )
    if isinstance(node, E.StrMatch):
        return np.array([_match(v, node) for v in values], dtype=bool)
    if isinstance(node, E.DatePartCompare):
        return np.array(
            [v is not None and _compare(_part(v, node.part), node.op, node.value) for v in values],
            dtype=bool,
        )
    if isinstance(node, E.Contains):
        return np.array([bool(set(v or []) & set(node.ids)) for v in values], dtype=bool)
    raise AssertionError(f"no reference for {node!r}")


def _compare(value: Any, op: str, other: Any) -> bool:
    if value is None or other is None:
        return op == "!=" and not (value is None and other is None)
    if (
        isinstance(value, pd.Timestamp)
        and isinstance(other, dt.datetime)
        and not isinstance(other, pd.Timestamp)
    ):
        other = pd.Timestamp(other)
    return bool(
        {
            "==": lambda: value == other,
            "!=": lambda: value != other,
            "<": lambda: value < other,
            "<=": lambda: value <= other,
            ">": lambda: value > other,
            ">=": lambda: value >= other,
        }[op]()
    )


def _isin(value: Any, wanted: list[Any]) -> bool:
    if value is None:
        return None in wanted
    return value in wanted


def _match(value: Any, node: E.StrMatch) -> bool:
    if value is None:
        return False
    text, pat = (value, node.pattern) if node.case else (value.lower(), node.pattern.lower())
    if node.kind == "contains":
        return pat in text
    if node.kind == "startswith":
        return text.startswith(pat)
    return text.endswith(pat)


def _part(value: Any, part: str) -> int:
    return int(getattr(pd.Timestamp(value), part))


# ------------------------------------------------------------------ strategies


def leaves(df: pd.DataFrame) -> st.SearchStrategy[Expr]:
    names = sorted({n for n in df["name"].dropna()})
    refs = sorted({r for r in df["client_order_ref"].dropna()}) or ["X"]
    amounts = sorted(set(df["amount_total"].tolist()))
    users = sorted({int(u) for u in df["user_id"].dropna()})
    dates = df["date_order"].dropna().tolist()
    validity = df["validity_date"].dropna().tolist()
    codes = sorted({c for c in df["partner_id.country_id.code"].dropna()})
    ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])

    def cmp(path: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[Expr]:
        return st.builds(lambda op, v: E.Compare(path, op, v), ops, values)

    col = Col
    text_fragment = st.one_of(
        st.sampled_from(names).map(lambda n: n[1:4]),
        st.sampled_from(["s0", "S00", "0", "1", "%", "_", "zz"]),
    )
    amount = st.one_of(
        st.sampled_from(amounts),
        st.sampled_from([0, 0.0, 500, 1000.5]),
        st.floats(0, 20000, allow_nan=False).map(lambda x: round(x, 2)),
    )
    when = st.one_of(
        st.sampled_from(dates),
        st.sampled_from(dates).map(lambda d: d + pd.Timedelta(seconds=1)),
    ).map(lambda t: t.to_pydatetime())
    return st.one_of(
        cmp("name", st.sampled_from(names)),
        cmp("amount_total", amount),
        cmp("date_order", when),
        cmp("validity_date", st.sampled_from(validity)),
        st.builds(
            lambda op, v: E.Compare("state", op, v),
            st.sampled_from(["==", "!="]),
            st.sampled_from(["draft", "sent", "sale", "cancel"]),
        ),
        st.builds(
            lambda op, v: E.Compare("user_id", op, v),
            st.sampled_from(["==", "!="]),
            st.sampled_from([*users, None]),
        ),
        st.builds(
            lambda op, v: E.Compare("locked", op, v), st.sampled_from(["==", "!="]), st.booleans()
        ),
        st.builds(
            lambda op, v: E.Compare("client_order_ref", op, v),
            st.sampled_from(["==", "!="]),
            st.sampled_from([*refs, None]),
        ),
        st.builds(
            lambda vs: col("state").isin(vs),
            st.lists(st.sampled_from(["draft", "sent", "sale", "cancel"]), max_size=3),
        ),
        st.builds(
            lambda vs: col("user_id").isin(vs),
            st.lists(st.sampled_from([*users, None]), max_size=3),
        ),
        st.builds(lambda vs: col("amount_total").isin(vs), st.lists(amount, max_size=3)),
        st.builds(
            lambda p: col(p).isna(),
            st.sampled_from(
                [
                    "user_id",
                    "client_order_ref",
                    "amount_total",
                    "partner_id.country_id.code",
                    "validity_date",
                ]
            ),
        ),
        st.builds(
            lambda p: col(p).notna(),
            st.sampled_from(
                ["user_id", "client_order_ref", "amount_total", "partner_id.country_id.code"]
            ),
        ),
        st.builds(
            lambda lo, hi: col("amount_total").between(min(lo, hi), max(lo, hi)), amount, amount
        ),
        st.builds(
            lambda kind, pat, case: E.StrMatch("name", kind, pat, case),
            st.sampled_from(["contains", "startswith", "endswith"]),
            text_fragment,
            st.booleans(),
        ),
        st.builds(
            lambda kind, pat, case: E.StrMatch("client_order_ref", kind, pat, case),
            st.sampled_from(["contains", "startswith"]),
            text_fragment,
            st.booleans(),
        ),
        st.builds(
            lambda op, y: E.DatePartCompare("date_order", "year", op, y),
            ops,
            st.integers(2024, 2027),
        ),
        st.builds(
            lambda op, m: E.DatePartCompare("date_order", "month", op, m), ops, st.integers(1, 12)
        ),
        st.builds(
            lambda op, y: E.DatePartCompare("validity_date", "year", op, y),
            ops,
            st.integers(2024, 2027),
        ),
        st.builds(
            lambda ids: col("tag_ids").contains(ids),
            st.lists(st.integers(1, 8), min_size=1, max_size=2),
        ),
        st.builds(
            lambda op, v: E.Compare("partner_id.country_id.code", op, v),
            st.sampled_from(["==", "!="]),
            st.sampled_from([*codes, None]),
        ),
        st.builds(
            lambda vs: col("partner_id.country_id.code").isin(vs),
            st.lists(st.sampled_from([*codes, None]), max_size=3),
        ),
    )


def filters(df: pd.DataFrame) -> st.SearchStrategy[Expr]:
    return st.recursive(
        leaves(df),
        lambda children: st.one_of(
            st.builds(lambda a, b: a & b, children, children),
            st.builds(lambda a, b: a | b, children, children),
            st.builds(lambda a: ~a, children),
        ),
        max_leaves=5,
    )


@pytest.fixture(scope="module")
def random_filters(full: pd.DataFrame) -> st.SearchStrategy[Expr]:
    return filters(full)


@settings(
    max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
@given(data=st.data())
def test_server_rows_equal_pandas_rows(
    odoo: of.Client,
    full: pd.DataFrame,
    random_filters: st.SearchStrategy[Expr],
    data: st.DataObject,
) -> None:
    expression = data.draw(random_filters)
    frame = odoo["sale.order"][expression]
    expected = sorted(int(i) for i in full.index[evaluate(expression, full)])
    assert sorted(frame.ids()) == expected, f"domain {frame.domain!r}"
