"""Fixtures for frame tests: one demo sandbox per Odoo version, clients, call spies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import odoo_frames as of

VERSIONS = ("17.0", "18.0", "19.0")


@pytest.fixture(scope="session", params=VERSIONS)
def box(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A small demo sandbox per Odoo version (started once per test session)."""
    sandbox = of.sandbox.start(version=request.param, scale=300)
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture(scope="session")
def box18() -> Iterator[Any]:
    sandbox = of.sandbox.start(version="18.0", scale=300)
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture(scope="session")
def odoo(box: Any) -> of.Client:
    return box.connect()


@pytest.fixture(scope="session")
def odoo18(box18: Any) -> of.Client:
    return box18.connect()


@pytest.fixture(params=["pandas", "polars"])
def output(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class CallSpy:
    """Records every RPC a client makes (model, method) while installed."""

    def __init__(self, client: of.Client) -> None:
        self.client = client
        self.calls: list[tuple[str, str]] = []
        self._original = client.call

    def __call__(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((model, method))
        return self._original(model, method, *args, **kwargs)

    def data_calls(self) -> list[tuple[str, str]]:
        return [c for c in self.calls if c[1] != "fields_get"]


@pytest.fixture
def spy(odoo18: of.Client, monkeypatch: pytest.MonkeyPatch) -> CallSpy:
    recorder = CallSpy(odoo18)
    monkeypatch.setattr(odoo18, "call", recorder)
    return recorder


def materialise(frame: Any, output: str) -> Any:
    """The frame as a pandas DataFrame, whichever backend the test runs with."""
    if output == "polars":
        return frame.to_polars().to_pandas()
    return frame.to_pandas()
