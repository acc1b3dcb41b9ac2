"""Fixtures for frame tests: one demo sandbox per Odoo version, clients, call spies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import odoo_frames as of
from tests._sandbox_fixtures import CallSpy, install_spy, running_sandbox

VERSIONS = ("17.0", "18.0", "19.0")


@pytest.fixture(scope="session", params=VERSIONS)
def box(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A small demo sandbox per Odoo version (started once per test session)."""
    yield from running_sandbox(version=request.param, scale=300)


@pytest.fixture(scope="session")
def box18() -> Iterator[Any]:
    yield from running_sandbox(version="18.0", scale=300)


@pytest.fixture(scope="session")
def odoo(box: Any) -> of.Client:
    return box.connect()


@pytest.fixture(scope="session")
def odoo18(box18: Any) -> of.Client:
    return box18.connect()


@pytest.fixture(params=["pandas", "polars"])
def output(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def spy(odoo18: of.Client, monkeypatch: pytest.MonkeyPatch) -> CallSpy:
    """Every RPC of ``odoo18`` during the test."""
    return install_spy(odoo18, monkeypatch)


def materialise(frame: Any, output: str) -> Any:
    """The frame as a pandas DataFrame, whichever backend the test runs with."""
    if output == "polars":
        return frame.to_polars().to_pandas()
    return frame.to_pandas()
