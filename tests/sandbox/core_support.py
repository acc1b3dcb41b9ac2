"""Shared fixtures of the core tests: the reference database in a ``SandboxCore``.

The reference data (``../shared/odoo-reference``, or ``$ODOO_REFERENCE_DIR``) is loaded
once per test module and reset before each test, with a frozen clock.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from odoo_frames.sandbox.core import SandboxCore
from tests.conformance.replay import reference_dir

NOW = dt.datetime(2026, 11, 27, 13, 55, 0)
PASSWORDS = {2: "admin", 6: "demo"}


def load_reference() -> tuple[dict[str, Any], dict[str, Any]]:
    base = reference_dir()
    if not (base / "dataset.json").is_file():
        pytest.skip("reference dataset not available")
    dataset = json.loads((base / "dataset.json").read_text("utf-8"))
    server = json.loads((base / "server.json").read_text("utf-8"))
    return dataset, server


def reference_core(version: str = "18.0") -> Iterator[SandboxCore]:
    dataset, server = load_reference()
    core = SandboxCore.from_dataset(dataset, server, version, clock=lambda: NOW)
    yield core
    core.close()


def call(
    core: SandboxCore, model: str, method: str, *args: Any, uid: int = 2, **kwargs: Any
) -> Any:
    """``execute_kw`` as ``uid`` (2 admin, 6 demo)."""
    return core.dispatch_rpc(
        "object", "execute_kw", ["ref", uid, PASSWORDS[uid], model, method, list(args), kwargs]
    )
