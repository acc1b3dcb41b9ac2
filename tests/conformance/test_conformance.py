"""Every recorded Odoo 18.0 exchange, replayed against the sandbox: one test per case id
and one per scenario id, all on one sandbox (``conftest.sandbox``).

Ids listed in ``known_failures.txt`` are strict expected failures: when one starts to
pass, pytest reports it (XPASS strict) and the id must be removed from the list. The goal
is an empty list. To iterate faster: ``python -m tests.conformance.replay --help``.
"""

from __future__ import annotations

from typing import Any

import pytest

from .replay import Replayer, load_cases, load_known_failures, load_scenarios

pytestmark = pytest.mark.conformance

KNOWN = load_known_failures()


def _params(items: list[dict[str, Any]]) -> list[Any]:
    return [
        pytest.param(
            item,
            id=item["id"],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[item["id"]] or "known failure")]
            if item["id"] in KNOWN
            else [],
        )
        for item in items
    ]


@pytest.mark.parametrize("case", _params(load_cases()))
def test_case(case: dict[str, Any], replayer: Replayer, record_property: Any) -> None:
    outcome = replayer.run_case(case)
    record_property("conformance", "passed" if outcome.passed else "failed")
    if not outcome.passed:
        pytest.fail(outcome.explain(verbosity=1), pytrace=False)


@pytest.mark.parametrize("scenario", _params(load_scenarios()))
def test_scenario(scenario: dict[str, Any], replayer: Replayer, record_property: Any) -> None:
    outcome = replayer.run_scenario(scenario)
    record_property("conformance", "passed" if outcome.passed else "failed")
    if not outcome.passed:
        pytest.fail(outcome.explain(verbosity=1), pytrace=False)
