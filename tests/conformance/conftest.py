"""The one sandbox the conformance replay runs against (loaded with the reference dataset).

The ``conformance: N passed, M failed`` summary line is printed by ``tests/conftest.py``
(pytest-xdist only runs the top-level conftest's hooks in the process that prints).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .replay import Replayer, reference_dir


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    """One Odoo 18.0 sandbox loaded with the reference dataset, on a free port."""
    from odoo_frames.sandbox import start

    box = start(version="18.0", data=reference_dir() / "dataset.json")
    try:
        yield box
    finally:
        box.stop()


@pytest.fixture(scope="session")
def replayer(sandbox: Any) -> Iterator[Replayer]:
    replayer = Replayer(sandbox.url, reset=sandbox.reset)
    yield replayer
    replayer.close()
