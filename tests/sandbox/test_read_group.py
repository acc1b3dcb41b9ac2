"""read_group / formatted_read_group / web_read_group, in process, on the reference dataset.

The recorded Odoo 18.0 answers (``cases/read_group.json``) are the golden results; the
other tests pin the shapes Odoo documents for 17/18/19 (labels, time zones, lazy mode,
aggregates, ``formatted_read_group``'s ``[start, label]`` pairs and ``__extra_domain``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

from odoo_frames.sandbox import domain as domainmod
from odoo_frames.sandbox import read_group as rg
from odoo_frames.sandbox.exceptions import AccessError
from odoo_frames.sandbox.orm import Env, find_method
from odoo_frames.sandbox.storage import Database
from odoo_frames.sandbox.versions import profile

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "odoo-reference"
pytestmark = pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference corpus not found")


def _json(name: str) -> Any:
    return json.loads((REFERENCE / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def db() -> Database:
    database = Database.from_dataset(_json("dataset.json"), _json("server.json"))
    domainmod.register_sql_functions(database.conn)
    return database


@pytest.fixture
def env(db: Database) -> Any:
    def make(uid: int = 2, version: str = "18.0", **context: Any) -> Env:
        return Env(db, uid, context, profile=profile(version))

    return make


def _plain(value: Any) -> Any:
    """What the wire carries: tuples become lists, integral floats compare as ints."""
    value = json.loads(json.dumps(value))

    def norm(item: Any) -> Any:
        if isinstance(item, float) and item.is_integer():
            return int(item)
        if isinstance(item, list):
            return [norm(i) for i in item]
        if isinstance(item, dict):
            return {k: norm(v) for k, v in item.items()}
        return item

    return norm(value)


# ------------------------------------------------------------------------------ recordings


def _recorded() -> list[dict[str, Any]]:
    if not REFERENCE.is_dir():
        return []
    cases = _json("cases/read_group.json")
    return [c for c in cases if c["protocol"] == "jsonrpc"]


@pytest.mark.parametrize("case", _recorded(), ids=lambda c: c["id"])
def test_recorded_answer(case: dict[str, Any], env: Any) -> None:
    _db, _uid, _pw, model, method, args, *rest = case["request"]["params"]["args"]
    kwargs = dict(rest[0]) if rest else {}
    context = kwargs.pop("context", {})
    expected = case["response"]
    call_env = env(**context)
    if "error" in expected:
        data = expected["error"]["data"]
        with pytest.raises(Exception) as info:
            rg.read_group(call_env, model, *args, **kwargs)
        assert f"builtins.{type(info.value).__name__}" == data["name"]
        assert str(info.value) == data["message"]
        return
    assert method == "read_group"
    assert _plain(rg.read_group(call_env, model, *args, **kwargs)) == _plain(expected["result"])


# ------------------------------------------------------------------------------ labels


@pytest.mark.parametrize(
    ("value", "granularity", "label"),
    [
        (dt.date(2026, 1, 5), "month", "January 2026"),
        (dt.date(2026, 2, 11), "day", "11 Feb 2026"),
        (dt.date(2026, 9, 8), "day", "08 Sep 2026"),
        (dt.date(2026, 2, 15), "week", "W8 2026"),
        (dt.date(2025, 12, 28), "week", "W1 2026"),  # en_US: the week holding Jan 1 is W1
        (dt.date(2025, 8, 31), "week", "W36 2025"),
        (dt.date(2026, 3, 1), "quarter", "Q1 2026"),
        (dt.date(2026, 12, 1), "quarter", "Q4 2026"),
        (dt.date(1916, 4, 1), "year", "1916"),
        (dt.datetime(2026, 10, 23, 13, 0), "hour", "01:00 23 Oct"),  # 12-hour clock, no AM/PM
        (dt.datetime(2026, 10, 23, 0, 0), "hour", "12:00 23 Oct"),
        (dt.datetime(2026, 10, 23, 12, 0), "hour", "12:00 23 Oct"),
    ],
)
def test_time_label(value: dt.date, granularity: str, label: str) -> None:
    assert rg.time_label(value, granularity) == label


def test_hour_label_of_a_date_fails_like_babel() -> None:
    with pytest.raises(AttributeError):
        rg.time_label(dt.date(2026, 1, 1), "hour")


# ------------------------------------------------------------------------------ time zones


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/Brussels",
        "America/Los_Angeles",
        "Pacific/Kiritimati",
        "Australia/Sydney",
        "Asia/Kathmandu",
    ],
)
def test_sql_shift_matches_zoneinfo(zone: str) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    rng = random.Random(zone)
    instants = [
        dt.datetime(2024, 1, 1) + dt.timedelta(seconds=rng.randrange(3 * 365 * 86400))
        for _ in range(400)
    ]
    texts = sorted(i.strftime("%Y-%m-%d %H:%M:%S") for i in instants)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (d TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [(t,) for t in texts])
    shift = rg.utc_offsets_sql("d", tz, texts[0], texts[-1])
    for utc_text, local_text in conn.execute(f"SELECT d, {shift} FROM t"):
        utc = dt.datetime.fromisoformat(utc_text).replace(tzinfo=dt.UTC)
        assert local_text == utc.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"), utc_text


def test_localize_follows_pytz_is_dst_false() -> None:
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    ambiguous = rg.localize(dt.datetime(2026, 10, 25, 2, 30), brussels)
    assert ambiguous.utcoffset() == dt.timedelta(hours=1)  # the standard-time reading
    missing = rg.localize(dt.datetime(2026, 3, 29, 2, 30), brussels)
    assert missing.utcoffset() == dt.timedelta(hours=1)


def test_month_buckets_across_dst_in_brussels(env: Any) -> None:
    groups = rg.read_group(
        env(tz="Europe/Brussels"), "crm.lead", [], ["expected_revenue:sum"], ["create_date:month"]
    )
    october = groups[1]
    assert october["create_date:month"] == "October 2026"
    # starts at CEST midnight (UTC+2), ends at CET midnight (UTC+1)
    assert october["__range"] == {
        "create_date:month": {"from": "2026-09-30 22:00:00", "to": "2026-10-31 23:00:00"}
    }


@pytest.mark.parametrize("granularity", ["day", "week", "month", "quarter", "year"])
def test_a_stale_range_hint_changes_no_answer(env: Any, granularity: str) -> None:
    """Time buckets in a time zone are SQL comparisons against the data's range, which
    is remembered between calls as a hint; values outside a stale hint are bucketed
    exactly, one by one: a wrong hint may cost time, never a wrong group."""
    args = ("crm.lead", [], ["expected_revenue:sum"], [f"create_date:{granularity}"])
    exact = rg.read_group(env(tz="Europe/Brussels"), *args, lazy=False)
    assert rg._RANGE_HINTS, "the first call leaves a hint"
    for key in rg._RANGE_HINTS:  # a window of one second, far inside the data
        rg._RANGE_HINTS[key] = ("2026-06-01 00:00:00", "2026-06-01 00:00:01")
    try:
        assert rg.read_group(env(tz="Europe/Brussels"), *args, lazy=False) == exact
    finally:
        rg._RANGE_HINTS.clear()


def test_unknown_tz_groups_in_utc(env: Any) -> None:
    plain = rg.read_group(env(), "sale.order", [], [], ["date_order:day"])
    odd = rg.read_group(env(tz="Mars/Olympus"), "sale.order", [], [], ["date_order:day"])
    assert plain == odd


def test_date_fields_ignore_tz(env: Any) -> None:
    utc = rg.read_group(env(), "account.move.line", [], ["balance"], ["date:day"])
    far = rg.read_group(
        env(tz="Pacific/Kiritimati"), "account.move.line", [], ["balance"], ["date:day"]
    )
    assert utc == far


# ------------------------------------------------------------------------------ read_group


def test_lazy_false_counts_with_dunder_count_and_no_context(env: Any) -> None:
    groups = rg.read_group(env(), "sale.order", [], [], ["state", "user_id"], lazy=False)
    assert all("__count" in g and "__context" not in g for g in groups)
    assert sum(g["__count"] for g in groups) == 24


def test_lazy_true_keeps_remaining_groupbys_in_context(env: Any) -> None:
    groups = rg.read_group(env(), "sale.order", [], [], ["state", "user_id", "partner_id"])
    assert groups[0]["__context"] == {"group_by": ["user_id", "partner_id"]}
    assert "state_count" in groups[0]


def test_order_by_count_limit_offset(env: Any) -> None:
    everything = rg.read_group(
        env(), "sale.order.line", [], [], ["product_id"], orderby="__count desc"
    )
    counts = [g["product_id_count"] for g in everything]
    assert counts == sorted(counts, reverse=True)
    page = rg.read_group(
        env(), "sale.order.line", [], [], ["product_id"], orderby="__count desc", offset=2, limit=3
    )
    assert [g["product_id"] for g in page] == [g["product_id"] for g in everything[2:5]]


def test_many2one_groups_follow_the_comodel_order(env: Any) -> None:
    # res.users _order is "name, login": Marc Demo before Mitchell Admin, NULL last
    groups = rg.read_group(env(), "crm.lead", [], [], ["user_id"])
    assert [g["user_id"] for g in groups] == [[6, "Marc Demo"], [2, "Mitchell Admin"], False]
    reverse = rg.read_group(env(), "crm.lead", [], [], ["user_id"], orderby="user_id desc")
    assert [g["user_id"] for g in reverse] == [False, [2, "Mitchell Admin"], [6, "Marc Demo"]]


def test_false_domain_short_circuits(env: Any) -> None:
    assert rg.read_group(env(), "sale.order", [("id", "in", [])], [], ["state"]) == []
    total = rg.read_group(env(), "sale.order", [("id", "in", [])], ["amount_total:sum"], [])
    assert total == [{"__count": 0, "amount_total": False, "__domain": [("id", "in", [])]}]


def test_grand_total_without_groupby(env: Any) -> None:
    (total,) = rg.read_group(env(), "sale.order", [("state", "=", "sale")], ["amount_total"], [])
    assert total["__count"] == 19 and total["__domain"] == [("state", "=", "sale")]


def test_active_test(env: Any) -> None:
    active = rg.read_group(env(), "crm.lead", [], [], ["active"])
    everything = rg.read_group(env(active_test=False), "crm.lead", [], [], ["active"])
    assert [g["active"] for g in active] == [True]
    assert [g["active_count"] for g in everything] == [5, 39]


def test_record_rules_apply(env: Any) -> None:
    (total,) = rg.read_group(env(uid=6), "sale.order", [], [], [])
    assert total["__count"] == 17  # Marc Demo sees his own orders only


def test_number_granularities(env: Any) -> None:
    groups = rg.read_group(env(), "sale.order", [], [], ["date_order:month_number"])
    assert [(g["date_order:month_number"], g["__domain"]) for g in groups] == [
        (10, [("date_order.month_number", "=", 10)]),
        (11, [("date_order.month_number", "=", 11)]),
    ]
    weeks = rg.read_group(env(), "account.move.line", [], [], ["date:iso_week_number"], lazy=False)
    expected = {
        dt.date.fromisoformat(r["date"]).isocalendar()[1]
        for r in _json("dataset.json")["account.move.line"]["records"]
    }
    assert {g["date:iso_week_number"] for g in weeks} == expected


def test_week_buckets_start_on_sunday(env: Any) -> None:
    groups = rg.read_group(env(), "account.move.line", [], [], ["date:week"])
    starts = [dt.date.fromisoformat(g["__range"]["date:week"]["from"]) for g in groups]
    assert all(day.weekday() == 6 for day in starts)


def test_many2many_null_group_domain_by_version(env: Any) -> None:
    v18 = rg.read_group(env(), "res.partner", [], [], ["category_id"])
    v19 = rg.read_group(env(version="19.0"), "res.partner", [], [], ["category_id"])
    assert v18[-1]["__domain"] == [("category_id", "not in", [4, 5, 6, 7])]
    assert v19[-1]["__domain"] == [("category_id", "not any", [])]


def test_group_expand_adds_empty_stages_and_fold(env: Any, db: Database) -> None:
    db.conn.execute("INSERT INTO crm_stage (id, name, sequence, fold) VALUES (99, 'Lost', 80, 1)")
    try:
        groups = rg.read_group(env(), "crm.lead", [], ["expected_revenue"], ["stage_id"])
    finally:
        db.conn.execute("DELETE FROM crm_stage WHERE id = 99")
    assert groups[-1] == {
        "stage_id_count": 0,
        "expected_revenue": False,
        "stage_id": [99, "Lost"],
        "__fold": True,
        "__domain": [("stage_id", "=", 99)],
    }


# ------------------------------------------------------------------------------ aggregates


def test_aggregate_functions(env: Any) -> None:
    (row,) = rg.read_group(
        env(),
        "sale.order",
        [("id", "in", [1, 2, 3])],
        [
            "n:count(id)",
            "ids:array_agg(id)",
            "partners:count_distinct(partner_id)",
            "first:min(date_order)",
            "signed:bool_and(require_signature)",
            "avg_total:avg(amount_total)",
        ],
        [],
    )
    assert row["n"] == 3 and row["ids"] == [1, 2, 3] and row["partners"] >= 1
    assert isinstance(row["first"], str) and len(row["first"]) == 19
    assert row["signed"] is True
    assert row["avg_total"] == pytest.approx(sum(_totals([1, 2, 3])) / 3)


def _totals(ids: list[int]) -> list[float]:
    records = _json("dataset.json")["sale.order"]["records"]
    return [r["amount_total"] for r in records if r["id"] in ids]


def test_exact_decimal_sums(env: Any, db: Database) -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in floats; PostgreSQL's numeric gives 0.3
    db.conn.execute("UPDATE sale_order SET amount_untaxed = 0.1 WHERE id = 1")
    db.conn.execute("UPDATE sale_order SET amount_untaxed = 0.2 WHERE id = 2")
    try:
        (row,) = rg.read_group(
            env(), "sale.order", [("id", "in", [1, 2])], ["amount_untaxed:sum"], []
        )
    finally:
        db.reset()
        domainmod.register_sql_functions(db.conn)
    assert row["amount_untaxed"] == 0.3


def test_aggregate_errors(env: Any) -> None:
    with pytest.raises(ValueError, match=r"Invalid aggregate method 'median'"):
        rg.read_group(env(), "sale.order", [], ["amount_total:median"], ["state"])
    with pytest.raises(ValueError, match=r"Invalid field specification ':x'"):
        rg.read_group(env(), "sale.order", [], [":x"], ["state"])
    with pytest.raises(ValueError, match=r"Invalid field 'nope' on model 'sale.order'"):
        rg.read_group(env(), "sale.order", [], ["nope"], ["state"])
    with pytest.raises(rg.UndefinedFunction, match=r"function sum\(character varying\)"):
        rg.read_group(env(), "sale.order", [], ["name:sum"], ["state"])
    with pytest.raises(ValueError, match=r"Cannot convert sale\.order\.order_line to SQL"):
        rg.read_group(env(), "sale.order", [], [], ["order_line"])


def test_groupby_errors(env: Any) -> None:
    with pytest.raises(ValueError, match="Granularity set on a no-datetime field"):
        rg.read_group(env(), "sale.order", [], [], ["state:month"])
    with pytest.raises(ValueError, match="has to be used on a property field"):
        rg.read_group(env(), "sale.order", [], [], ["partner_id.country_id"])
    with pytest.raises(ValueError, match="is not a valid aggregate nor valid groupby"):
        rg.read_group(env(), "sale.order", [], [], ["state"], orderby="name")


def test_acl_is_checked(env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Any, operation: str, raise_exception: bool = True) -> bool:
        raise AccessError("no")

    monkeypatch.setattr("odoo_frames.sandbox.orm.BaseModel._check_model_access", refuse)
    with pytest.raises(AccessError):
        rg.read_group(env(), "sale.order", [], [], ["state"])


# ------------------------------------------------------------------------------ 19.0


def test_formatted_read_group_shapes(env: Any) -> None:
    groups = rg.formatted_read_group(
        env(version="19.0"),
        "sale.order",
        [],
        ["date_order:month", "partner_id"],
        ["amount_total:sum", "__count"],
    )
    first = groups[0]
    assert list(first) == [
        "date_order:month",
        "partner_id",
        "__extra_domain",
        "amount_total:sum",
        "__count",
    ]
    assert first["date_order:month"] == ["2026-10-01 00:00:00", "October 2026"]
    assert first["__extra_domain"] == [
        "&",
        "&",
        ("date_order", ">=", "2026-10-01 00:00:00"),
        ("date_order", "<", "2026-11-01 00:00:00"),
        ("partner_id", "=", first["partner_id"][0]),
    ]


def test_formatted_read_group_having_and_order(env: Any) -> None:
    groups = rg.formatted_read_group(
        env(version="19.0"),
        "sale.order",
        [],
        ["partner_id"],
        ["__count"],
        having=[("__count", ">", 1)],
        order="__count desc",
    )
    counts = [g["__count"] for g in groups]
    assert counts == sorted(counts, reverse=True) and min(counts) > 1


def test_formatted_read_group_dotted_many2one(env: Any) -> None:
    groups = rg.formatted_read_group(
        env(version="19.0"), "sale.order", [], ["partner_id.country_id"], ["__count"]
    )
    assert groups == [
        {
            "partner_id.country_id": [233, "United States"],
            "__extra_domain": [("partner_id", "any", [("country_id", "=", 233)])],
            "__count": 24,
        }
    ]


def test_formatted_read_group_requires_granularity(env: Any) -> None:
    with pytest.raises(ValueError, match="Granularity not set on a date"):
        rg.formatted_read_group(env(version="19.0"), "sale.order", [], ["date_order"], ["__count"])


def test_formatted_read_group_expand_and_fold(env: Any) -> None:
    groups = rg.formatted_read_group(
        env(version="19.0", read_group_expand=True), "crm.lead", [], ["stage_id"], ["__count"]
    )
    assert [g["stage_id"][1] for g in groups] == ["New", "Qualified", "Proposition", "Won"]
    assert all(g["__fold"] is False for g in groups)
    plain = rg.formatted_read_group(env(version="19.0"), "crm.lead", [], ["stage_id"], ["__count"])
    assert all("__fold" not in g for g in plain)


def test_formatted_read_group_without_groupby(env: Any) -> None:
    assert rg.formatted_read_group(env(version="19.0"), "sale.order", [], [], ["__count"]) == [
        {"__extra_domain": [(1, "=", 1)], "__count": 24}
    ]


def test_web_read_group(env: Any) -> None:
    v18 = rg.web_read_group(env(), "sale.order", [], ["amount_total"], ["partner_id"], limit=2)
    assert len(v18["groups"]) == 2 and v18["length"] == 5
    v19 = rg.web_read_group(
        env(version="19.0"), "sale.order", [], ["partner_id"], ["amount_total:sum"], limit=2
    )
    assert v19["length"] == 5 and v19["groups"][0]["__count"] == 2


def test_methods_are_registered_per_version() -> None:
    assert find_method("sale.order", "read_group", 17) is not None
    assert find_method("sale.order", "formatted_read_group", 18) is None
    assert find_method("sale.order", "formatted_read_group", 19) is not None
    assert find_method("sale.order", "web_read_group", 18) is not find_method(
        "sale.order", "web_read_group", 19
    )
