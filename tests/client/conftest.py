"""Fixtures of the client tests: recorded Odoo answers, the sandbox per version, servers.

The sandbox fixtures start one server per Odoo version per test session (small
scale) and skip when the sandbox cannot start yet.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from odoo_frames.transport.retry import RetryPolicy

REFERENCE = Path(
    os.environ.get(
        "ODOO_REFERENCE_DIR", Path(__file__).resolve().parents[3] / "shared" / "odoo-reference"
    )
)

VERSIONS = ("17.0", "18.0", "19.0")

#: Millisecond backoff: tests exercise retries without waiting seconds.
FAST_RETRY = RetryPolicy(delays=(0.001, 0.002, 0.004))


def reference_cases(area: str) -> list[dict[str, Any]]:
    path = REFERENCE / "cases" / f"{area}.json"
    if not path.exists():
        pytest.skip(f"recorded Odoo answers not found at {path}")
    return json.loads(path.read_text())


@pytest.fixture(autouse=True)
def _no_odoo_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings must come from the test, never from the machine running it."""
    for name in list(os.environ):
        if name.startswith("ODOO_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def _start_sandbox(version: str) -> Any:
    from odoo_frames import sandbox

    return sandbox.start(version=version, scale=50)


@pytest.fixture(scope="session")
def sandboxes() -> Iterator[dict[str, Any]]:
    """Sandboxes started on demand, one per version, stopped at the end of the session."""
    started: dict[str, Any] = {}
    yield started
    for box in started.values():
        box.stop()


@pytest.fixture(params=VERSIONS)
def box(request: pytest.FixtureRequest, sandboxes: dict[str, Any]) -> Any:
    """A running sandbox of each Odoo version."""
    version = request.param
    if version not in sandboxes:
        sandboxes[version] = _start_sandbox(version)
    return sandboxes[version]


def sandbox_of(sandboxes: dict[str, Any], version: str) -> Any:
    if version not in sandboxes:
        sandboxes[version] = _start_sandbox(version)
    return sandboxes[version]
