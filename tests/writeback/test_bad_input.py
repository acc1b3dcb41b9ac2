"""Edits that cannot be written back are clear errors, found before any data call.

Each test reads its frames first, then checks that building (and applying) the plan
sends no RPC but fields_get (cached schemas) and that the server wrote nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import polars as pl
import pytest

import odoo_frames as of
from odoo_frames.errors import WritebackError
from odoo_frames.upsert import plan_upsert
from odoo_frames.writeback import Plan

from .conftest import CallSpy, ServerLog, partner_ids, partners, read


@pytest.fixture
def quiet(spy: CallSpy, server_log: ServerLog) -> Iterator[None]:
    """The body of the test sends no data call and the server writes nothing."""
    spy.calls.clear()
    yield
    assert spy.data_calls() == []
    assert server_log.calls == []


def set_cell(df: Any, column: str, row: int, value: Any) -> Any:
    if isinstance(df, pl.DataFrame):
        values = df[column].to_list()
        values[row] = value
        return df.with_columns(pl.Series(column, values, dtype=df.schema[column]))
    out = df.copy()
    out.loc[out.index[row], column] = value
    return out


@pytest.fixture
def contacts(odoo: of.Client, backend: str) -> Any:
    ids = odoo.call("res.partner", "search", [("parent_id", "!=", False)], order="id", limit=5)
    columns = [
        "name",
        "email",
        "parent_id",
        "commercial_partner_id",
        "contact_address",
        "country_id.code",
        "category_id",
        "type",
    ]
    return read(partners(odoo, ids, columns), backend)


def check(odoo: of.Client, before: Any, after: Any, match: str, **options: Any) -> WritebackError:
    with pytest.raises(WritebackError, match=match) as caught:
        odoo.diff(before, after, **options)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, of.OdooError)
    return caught.value


def test_a_readonly_stored_field(odoo: of.Client, contacts: Any, quiet: None) -> None:
    after = set_cell(contacts, "commercial_partner_id", 0, 1)
    check(odoo, contacts, after, r"'commercial_partner_id' changed in 1 row .* is readonly")


def test_a_computed_field(odoo: of.Client, contacts: Any, quiet: None) -> None:
    after = set_cell(contacts, "contact_address", 1, "Somewhere else")
    check(odoo, contacts, after, r"contact_address.* readonly: computed or related, not stored")


def test_a_related_column(odoo: of.Client, contacts: Any, quiet: None) -> None:
    after = set_cell(contacts, "country_id.code", 0, "ZZ")
    check(odoo, contacts, after, r"'country_id.code' changed .* read through 'country_id'")


def test_a_display_name(odoo: of.Client, contacts: Any, quiet: None) -> None:
    after = set_cell(contacts, "parent_id.display_name", 2, "Another Company")
    error = check(odoo, contacts, after, r"'parent_id.display_name' changed in 1 row")
    assert "edit 'parent_id' (the id), or pass resolve_names=True" in str(error)


def test_a_display_name_changed_with_its_id_is_fine(odoo: of.Client, contacts: Any) -> None:
    company = odoo.call("res.partner", "search", [("is_company", "=", True)], limit=1)[0]
    after = set_cell(set_cell(contacts, "parent_id", 0, company), "parent_id.display_name", 0, "?")
    plan = odoo.diff(contacts, after)
    assert [u.after for u in plan.updates] == [{"parent_id": company}]


def test_an_unknown_column(odoo: of.Client, contacts: Any, quiet: None) -> None:
    after = (
        contacts.with_columns(pl.col("email").alias("emial"))
        if isinstance(contacts, pl.DataFrame)
        else contacts.assign(emial=contacts.email)
    )
    check(
        odoo, contacts, after, r"column 'emial' is not a field of res.partner; did you mean 'email'"
    )


def test_every_problem_is_listed_at_once(odoo: of.Client, contacts: Any, quiet: None) -> None:
    after = set_cell(contacts, "commercial_partner_id", 0, 1)
    after = set_cell(after, "country_id.code", 1, "ZZ")
    after = set_cell(after, "parent_id.display_name", 2, "X")
    error = check(odoo, contacts, after, "3 problems")
    assert len(error.problems) == 3


def test_wrong_values(odoo: of.Client, contacts: Any, quiet: None) -> None:
    after = (
        set_cell(contacts, "type", 0, "nonsense")
        if not isinstance(contacts, pd.DataFrame)
        else None
    )
    if after is None:  # a pandas categorical refuses unknown values itself
        after = contacts.astype({"type": object})
        after.loc[after.index[0], "type"] = "nonsense"
    check(odoo, contacts, after, r"'nonsense' is not one of the values of type")


@pytest.mark.parametrize(
    ("title", "make_after", "match"),
    [
        ("same object", lambda df: df, "same object"),
        ("duplicate ids", lambda df: _concat(df, _head(df, 1)), "duplicate ids"),
        ("unknown ids", lambda df: _with_id(df, 0, 999_999), "not in `before`: 999999"),
        ("no id column", lambda df: _without_id(df), "has no 'id' column"),
        ("bad ids", lambda df: _with_id(df, 0, -3), "-3 is not a record id"),
    ],
)
def test_rows_that_cannot_be_matched(
    odoo: of.Client,
    contacts: Any,
    quiet: None,
    title: str,
    make_after: Callable[[Any], Any],
    match: str,
) -> None:
    check(odoo, contacts, make_after(contacts), match)


def test_where_the_frame_comes_from(odoo: of.Client, quiet: None) -> None:
    before = pd.DataFrame({"id": [1], "name": ["x"]})
    with pytest.raises(WritebackError, match="cannot tell which model"):
        odoo.diff(before, before.assign(name="y"))
    with pytest.raises(WritebackError, match="pandas or polars DataFrame"):
        odoo.diff([{"id": 1}], before, model="res.partner")


def test_a_model_other_than_the_one_read(odoo: of.Client, contacts: Any, quiet: None) -> None:
    after = set_cell(contacts, "email", 0, "x@y.z")
    check(odoo, contacts, after, "read from res.partner, not res.users", model="res.users")


def test_resolving_an_ambiguous_name_fails_and_writes_nothing(
    odoo: of.Client, spy: CallSpy, server_log: ServerLog
) -> None:
    twins = odoo.call("res.partner", "create", [{"name": "Twin Corp"}, {"name": "Twin Corp"}])
    ids = partner_ids(odoo, 3)
    before = partners(odoo, ids, ["name", "parent_id"]).to_pandas()
    after = before.copy()
    after["parent_id.display_name"] = ["Twin Corp", "No Such Company Anywhere", None]
    spy.calls.clear()
    server_log.clear()

    error = check(odoo, before, after, "2 problems", resolve_names=True)

    assert "'Twin Corp' is ambiguous in res.partner: it matches" in error.problems[0]
    assert all(f"{twin} ('Twin Corp')" in error.problems[0] for twin in twins)
    assert "no res.partner record is named 'No Such Company Anywhere'" in error.problems[1]
    assert {method for _, method in spy.data_calls()} == {"name_search"}
    assert server_log.calls == []


def test_bad_apply_options(odoo: of.Client, contacts: Any, quiet: None) -> None:
    plan = odoo.diff(contacts, set_cell(contacts, "email", 0, "a@b.c"))
    with pytest.raises(WritebackError, match="on_conflict must be one of"):
        plan.apply(on_conflict="ignore")
    with pytest.raises(WritebackError, match="on_error must be one of"):
        plan.apply(on_error="continue")
    with pytest.raises(WritebackError, match="batch_size must be a positive integer"):
        plan.apply(batch_size=0)
    with pytest.raises(WritebackError, match="batch_size must be a positive integer"):
        odoo.diff(
            contacts,
            contacts.clone() if isinstance(contacts, pl.DataFrame) else contacts.copy(),
            batch_size=-1,
        )
    elsewhere = Plan.from_json(plan.to_json().replace(plan.server, "http://127.0.0.1:1/other"))
    with pytest.raises(WritebackError, match=r"made for http://127\.0\.0\.1:1/other"):
        elsewhere.apply(client=odoo)
    with pytest.raises(WritebackError, match="no client"):
        elsewhere.apply()


def test_upsert_input_errors(odoo: of.Client, backend: str, quiet: None) -> None:
    rows = {
        "email": ["a@x.org", "b@x.org", "a@x.org", None, "b@x.org"],
        "name": ["A", "B", "A again", "Nobody", "B again"],
    }
    data: Any = pl.DataFrame(rows) if backend == "polars" else pd.DataFrame(rows)
    with pytest.raises(WritebackError, match="2 duplicate keys in `data`") as caught:
        odoo["res.partner"].upsert(data, key="email")
    text = str(caught.value)
    assert "key 'a@x.org' in rows 0, 2" in text and "key 'b@x.org' in rows 1, 4" in text
    assert "1 rows have an empty key (email): rows 3" in text
    with pytest.raises(WritebackError, match="key column 'ref' is not in `data`"):
        plan_upsert(odoo, "res.partner", data, key="ref")
    with_id = pd.DataFrame({"id": [1], "email": ["z@x.org"]})
    with pytest.raises(WritebackError, match="has an 'id' column"):
        plan_upsert(odoo, "res.partner", with_id, key="email")
    readonly = pd.DataFrame({"email": ["z@x.org"], "commercial_partner_id": [1]})
    with pytest.raises(WritebackError, match="commercial_partner_id is readonly"):
        plan_upsert(odoo, "res.partner", readonly, key="email")


def test_workflow_call_refuses_data_methods(odoo: of.Client, quiet: None) -> None:
    with pytest.raises(WritebackError, match="use diff"):
        odoo["res.partner"].call("unlink")
    with pytest.raises(WritebackError, match="not a public method"):
        odoo["res.partner"].call("_compute_display_name")


def _head(df: Any, n: int) -> Any:
    return df.head(n)


def _concat(a: Any, b: Any) -> Any:
    return pl.concat([a, b]) if isinstance(a, pl.DataFrame) else pd.concat([a, b])


def _with_id(df: Any, row: int, value: int) -> Any:
    return set_cell(df, "id", row, value)


def _without_id(df: Any) -> Any:
    return df.drop("id") if isinstance(df, pl.DataFrame) else df.drop(columns="id")
