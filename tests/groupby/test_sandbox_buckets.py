"""The sandbox's fast time buckets equal its shifted-datetime ones, to the second.

``bucket_case_sql`` compares the UTC text with the instants where the local bucket
changes instead of shifting every row with ``datetime()``; it must give the same bucket
for every value, around DST changes too (zones with midnight, half-hour and odd changes).
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import zoneinfo

import pytest

from odoo_frames.sandbox import read_group as rg

ZONES = [
    "Europe/Brussels",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Lord_Howe",  # 30-minute DST
    "America/Santiago",  # changes at midnight
    "Asia/Kathmandu",  # +05:45
    "Africa/Casablanca",  # DST suspended every Ramadan
    "UTC",
]
CHANGES = ["2024-03-31", "2024-10-27", "2024-03-10", "2024-11-03", "2024-04-07", "2024-09-08"]


def make_table(values: list[dt.datetime]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (d VARCHAR)")
    rows = [(v.strftime("%Y-%m-%d %H:%M:%S"),) for v in values] + [(None,)]
    conn.executemany("INSERT INTO t VALUES (?)", rows)
    return conn


@pytest.fixture(scope="module")
def wide() -> sqlite3.Connection:
    """Three years of random instants, plus every 7 minutes around each change."""
    rng = random.Random(7)
    start = dt.datetime(2023, 1, 1)
    values = [start + dt.timedelta(seconds=rng.randint(0, 3 * 365 * 86400)) for _ in range(3000)]
    for day in CHANGES:
        around = dt.datetime.fromisoformat(day) - dt.timedelta(days=1)
        values += [around + dt.timedelta(minutes=m) for m in range(0, 3 * 24 * 60, 7)]
    return make_table(values)


@pytest.fixture(scope="module")
def autumn() -> sqlite3.Connection:
    """Every 13 minutes of autumn 2024: Santiago, Lord Howe, Europe and the US change."""
    start = dt.datetime(2024, 9, 5)
    return make_table([start + dt.timedelta(minutes=m) for m in range(0, 62 * 24 * 60, 13)])


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("granularity", ["hour", "day", "week", "month", "quarter", "year"])
def test_case_buckets_equal_shifted_buckets(
    wide: sqlite3.Connection,
    autumn: sqlite3.Connection,
    monkeypatch: pytest.MonkeyPatch,
    zone: str,
    granularity: str,
) -> None:
    monkeypatch.setattr(rg, "MAX_CASE_BUCKETS", 10_000)
    table = autumn if granularity == "hour" else wide
    tz = zoneinfo.ZoneInfo(zone)
    low, high = table.execute("SELECT MIN(d), MAX(d) FROM t").fetchone()
    shifted = rg.bucket_sql(rg.utc_offsets_sql("d", tz, low, high), "datetime", granularity, 0)
    compared = rg.bucket_case_sql("d", tz, granularity, low, high)
    assert compared is not None
    different = table.execute(f"SELECT d, {shifted}, {compared} FROM t").fetchall()
    assert [row for row in different if row[1] != row[2]] == []


def test_too_many_buckets_fall_back_to_shifting() -> None:
    tz = zoneinfo.ZoneInfo("Europe/Brussels")
    assert rg.bucket_case_sql("d", tz, "hour", "2020-01-01 00:00:00", "2024-01-01 00:00:00") is None
