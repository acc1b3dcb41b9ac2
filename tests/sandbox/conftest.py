"""Fixtures of the sandbox tests: the reference database in a ``SandboxCore``.

``core`` is loaded once per test module (see :mod:`.core_support`); a module that needs
another version or none defines its own. A module whose tests write asks for a reset
before each test::

    pytestmark = pytest.mark.usefixtures("reset_core")
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from odoo_frames.sandbox.core import SandboxCore

from .core_support import reference_core


@pytest.fixture(scope="module")
def core() -> Iterator[SandboxCore]:
    """The reference database (18.0) with a frozen clock, once per test module."""
    yield from reference_core()


@pytest.fixture
def reset_core(core: SandboxCore) -> None:
    """The reference data as loaded: what earlier tests wrote is gone."""
    core.reset()
