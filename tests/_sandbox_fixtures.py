"""Helpers of the conftests that run demo sandboxes: start and stop one, spy on a client.

Each conftest keeps its own fixtures (their scope, version and scale); these helpers are
what the fixtures do. Example::

    @pytest.fixture(scope="session")
    def box() -> Iterator[Any]:
        yield from running_sandbox(version="18.0", scale=300)


    @pytest.fixture
    def spy(odoo: of.Client, monkeypatch: pytest.MonkeyPatch) -> CallSpy:
        return install_spy(odoo, monkeypatch)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import odoo_frames as of


def running_sandbox(**options: Any) -> Iterator[Any]:
    """A demo sandbox started with ``of.sandbox.start(**options)``, stopped when done."""
    sandbox = of.sandbox.start(**options)
    try:
        yield sandbox
    finally:
        sandbox.stop()


class CallSpy:
    """Every RPC a client sends while installed: ``(model, method)``."""

    def __init__(self, client: of.Client) -> None:
        self.calls: list[tuple[str, str]] = []
        self._original = client.call

    def __call__(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((model, method))
        return self._original(model, method, *args, **kwargs)

    def data_calls(self) -> list[tuple[str, str]]:
        """The calls except fields_get (schemas are cached by the client)."""
        return [c for c in self.calls if c[1] != "fields_get"]


def install_spy(client: of.Client, monkeypatch: pytest.MonkeyPatch) -> CallSpy:
    """A :class:`CallSpy` on ``client`` until the test ends."""
    recorder = CallSpy(client)
    monkeypatch.setattr(client, "call", recorder)
    return recorder
