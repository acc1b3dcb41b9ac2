"""Suite-wide pytest hooks.

The ``conformance: N passed, M failed`` line of the conformance replay is printed from
here rather than from ``tests/conformance/conftest.py``: under pytest-xdist the
controller process, which writes the terminal summary, only loads the initial conftest
files (this one), never the ones of sub-directories.
"""

from __future__ import annotations

from typing import Any

import pytest

CONFORMANCE_AREAS = ("common", "search", "order", "read", "read_group", "misc", "errors")

#: nodeid of each replayed case/scenario -> True when its answers matched the recording
_conformance: dict[str, bool] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "tests/conformance/test_conformance.py::" not in report.nodeid.replace("\\", "/"):
        return
    matched = dict(report.user_properties).get("conformance") == "passed"
    _conformance[report.nodeid] = _conformance.get(report.nodeid, False) or matched


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Counts per area, then the summary line, before pytest's own final line.

    A known failure (strict xfail) counts as failed; one that now matches counts as
    passed, although pytest fails it (XPASS strict) so that it leaves known_failures.txt.
    """
    if not _conformance:
        return
    totals = {area: [0, 0] for area in (*CONFORMANCE_AREAS, "scenario")}
    for nodeid, matched in _conformance.items():
        test_id = nodeid.rsplit("[", 1)[-1].rstrip("]")
        area = "scenario" if "::test_scenario[" in nodeid else test_id.rsplit("-", 1)[0]
        counts = totals.setdefault(area, [0, 0])
        counts[0] += matched
        counts[1] += 1
    passed = sum(counts[0] for counts in totals.values())
    shown = "  ".join(f"{a} {p}/{t}" for a, (p, t) in totals.items() if t)
    terminalreporter.write_line(f"conformance per area (passed/total): {shown}")
    terminalreporter.write_line(
        f"conformance: {passed} passed, {len(_conformance) - passed} failed"
    )
