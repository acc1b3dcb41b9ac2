"""Fixtures of the command-line tests: one small sandbox, and a clean environment.

The commands connect like ``odoo_frames.connect()``: from ``ODOO_*`` variables here,
never from the machine's own environment or config file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import odoo_frames as of
from tests._sandbox_fixtures import running_sandbox


@pytest.fixture(scope="session")
def box() -> Iterator[Any]:
    # 1,500 partners: sale.order.line has more than one page (5,000 rows) to export
    yield from running_sandbox(version="18.0", scale=1500)


@pytest.fixture(scope="session")
def odoo(box: Any) -> of.Client:
    return box.connect()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("ODOO_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


@pytest.fixture
def sandbox_env(box: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """``ODOO_URL`` and friends pointing at the sandbox (as a user would export them)."""
    values = {
        "ODOO_URL": box.url,
        "ODOO_DB": box.db,
        "ODOO_USER": box.login,
        "ODOO_PASSWORD": box.password,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values
