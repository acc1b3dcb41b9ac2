"""Fixtures of the groupby tests: one demo sandbox per Odoo version, clients, call spies.

Every sandbox has the same demo data (same seed and scale), so the same user code must
give the same frame on 17.0, 18.0 and 19.0.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import odoo_frames as of

VERSIONS = ("17.0", "18.0", "19.0")
SCALE = 300


@pytest.fixture(scope="session")
def boxes() -> Iterator[dict[str, Any]]:
    """A small demo sandbox per Odoo version, started once per session."""
    started = {version: of.sandbox.start(version=version, scale=SCALE) for version in VERSIONS}
    try:
        yield started
    finally:
        for box in started.values():
            box.stop()


@pytest.fixture(scope="session", params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def odoo(boxes: dict[str, Any], version: str) -> of.Client:
    """admin (tz Europe/Brussels) on the sandbox of ``version``."""
    return boxes[version].connect()


@pytest.fixture(params=["pandas", "polars"])
def output(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def materialise(result: Any, output: str) -> pd.DataFrame:
    """A grouped result as pandas, through pandas or polars (dates back to ``datetime.date``)."""
    if output != "polars":
        return result.to_pandas()
    import polars as pl

    frame = result.to_polars()
    converted = frame.to_pandas()
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            converted[name] = [None if v is None else v for v in frame[name].to_list()]
    return converted


class CallSpy:
    """Records every call a client makes (model, method, args, kwargs) while installed."""

    def __init__(self, client: of.Client) -> None:
        self.calls: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = []
        self._original = client.call

    def __call__(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((model, method, args, kwargs))
        return self._original(model, method, *args, **kwargs)

    def data_calls(self) -> list[str]:
        """The methods called, schema calls (fields_get) left out."""
        return [method for _, method, _, _ in self.calls if method != "fields_get"]


@pytest.fixture
def spy(odoo: of.Client, monkeypatch: pytest.MonkeyPatch) -> CallSpy:
    recorder = CallSpy(odoo)
    monkeypatch.setattr(odoo, "call", recorder)
    return recorder


def _cell(value: Any) -> Any:
    """A cell as a comparable Python value: nulls -> None, floats rounded, timestamps kept."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.date | str | bool | int):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return value


def _sort_token(value: Any) -> tuple[Any, ...]:
    """Orders cells of any type the same way whichever backend made them (1 and 1.0 alike)."""
    if value is None:
        return (9,)
    if isinstance(value, bool | int | float):
        return (0, float(value))
    if isinstance(value, dt.datetime):
        return (1, value.timestamp())
    if isinstance(value, dt.date):
        return (2, value.toordinal())
    if isinstance(value, str):
        return (3, value)
    return (4, repr(value))


def rows(df: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The rows of a frame as sorted tuples of plain values (order-insensitive compare)."""
    out = [tuple(_cell(v) for v in row) for row in df.astype(object).itertuples(index=False)]
    return sorted(out, key=lambda row: [_sort_token(v) for v in row])


def ordered_rows(df: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [tuple(_cell(v) for v in row) for row in df.astype(object).itertuples(index=False)]


def assert_same_groups(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns in the same order, same rows (in any order), same values."""
    assert list(result.columns) == list(expected.columns)
    got, want = rows(result), rows(expected)
    assert len(got) == len(want), f"{len(got)} groups, pandas has {len(want)}"
    assert got == want
