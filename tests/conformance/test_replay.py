"""The replayer, checked against a server that answers with the recordings themselves.

If the replayer sends every request as recorded (bodies, content types, one cookie jar
per web session, none elsewhere) and the comparison is right, the whole corpus passes;
a server answering one value differently makes exactly that case fail.
"""

from __future__ import annotations

import copy

import pytest

from .recorded_server import RecordedServer
from .replay import (
    Replayer,
    load_cases,
    load_known_failures,
    load_scenarios,
    main,
    run,
    select,
)

pytestmark = pytest.mark.conformance

CASES = load_cases()
SCENARIOS = load_scenarios()


def test_the_corpus_is_complete() -> None:
    assert len(CASES) == 671
    assert len(SCENARIOS) == 27
    assert len({case["id"] for case in CASES}) == len(CASES)


def test_a_server_answering_as_recorded_passes_everything_even_strictly() -> None:
    with RecordedServer(CASES, SCENARIOS) as server:
        replayer = Replayer(server.url, reset=server.reset, strict=True)
        outcomes = list(run(replayer, CASES, SCENARIOS))
        replayer.close()
    failures = [outcome.summary() for outcome in outcomes if not outcome.passed]
    assert failures == []
    assert len(outcomes) == len(CASES) + len(SCENARIOS)
    # restored before each scenario (the read-only cases ran first)
    assert server.resets == len(SCENARIOS)


def test_read_only_cases_after_a_scenario_see_the_data_as_loaded() -> None:
    scenario = SCENARIOS[0]
    with RecordedServer(CASES[:1], [scenario]) as server:
        replayer = Replayer(server.url, reset=server.reset)
        assert replayer.run_scenario(scenario).passed
        assert replayer.run_case(CASES[0]).passed
    assert server.resets == 2


def test_a_server_answering_differently_fails_that_case_only() -> None:
    cases = [case for case in CASES if case["area"] == "read"][:6]
    tampered = copy.deepcopy(cases)
    tampered[2]["response"]["result"][0]["id"] += 1000
    with RecordedServer(tampered, []) as server:
        outcomes = list(run(Replayer(server.url), cases, []))
    assert [outcome.passed for outcome in outcomes] == [True, True, False, True, True, True]
    failure = outcomes[2].first_failure
    assert failure is not None and failure.difference is not None
    assert failure.difference.pointer == "/response/result/0/id"
    assert outcomes[2].summary().startswith(f"FAIL {cases[2]['id']} [")


def test_a_scenario_fails_at_its_first_differing_step() -> None:
    scenario = next(s for s in SCENARIOS if s["id"] == "concurrent-sessions")
    tampered = copy.deepcopy(scenario)
    tampered["steps"][5]["response"]["result"][0]["city"] = "Fremont"
    with RecordedServer([], [tampered]) as server:
        outcome = Replayer(server.url, reset=server.reset).run_scenario(scenario)
    assert not outcome.passed
    failure = outcome.first_failure
    assert failure is not None and failure.step["id"] == "concurrent-sessions-06"
    assert "step concurrent-sessions-06" in outcome.summary()
    assert "concurrent-sessions-06" in outcome.explain(verbosity=2)


def test_an_unreachable_server_is_a_failure_not_a_crash() -> None:
    with RecordedServer([], []) as server:
        url = server.url
    outcome = Replayer(url, timeout=2).run_case(CASES[0])
    assert not outcome.passed
    failure = outcome.first_failure
    assert failure is not None and failure.error and "ConnectionError" in failure.error


def test_select_filters_by_area_protocol_id_glob_and_title() -> None:
    assert {c["area"] for c in select(CASES, areas=["order"], protocols=[], ids=[], grep=None)} == {
        "order"
    }
    xml = select(CASES, areas=["search"], protocols=["xmlrpc"], ids=[], grep=None)
    assert xml and {c["protocol"] for c in xml} == {"xmlrpc"}
    assert [c["id"] for c in select(CASES, areas=[], protocols=[], ids=["common-00*"], grep=None)]
    assert select(SCENARIOS, areas=["scenario"], protocols=["web"], ids=[], grep="logout")
    assert not select(SCENARIOS, areas=["search"], protocols=[], ids=[], grep=None)


def test_known_failures_file_lists_only_existing_ids() -> None:
    ids = {case["id"] for case in CASES} | {scenario["id"] for scenario in SCENARIOS}
    assert set(load_known_failures()) <= ids


def test_cli_against_a_running_server(capsys: pytest.CaptureFixture[str]) -> None:
    cases = [case for case in CASES if case["area"] == "misc"]
    with RecordedServer(cases, []) as server:
        status = main(["--url", server.url, "--area", "misc", "--cases"])
    out = capsys.readouterr().out
    assert status == 0
    assert out.strip().endswith(f"conformance: {len(cases)} passed, 0 failed")


def test_cli_lists_failing_ids_in_the_known_failures_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cases = [case for case in CASES if case["area"] == "misc"][:3]
    tampered = copy.deepcopy(cases)
    tampered[1]["http_status"] = 500
    with RecordedServer(tampered, []) as server:
        status = main(["--url", server.url, "--list-failing", "--id", "misc-*", "--area", "misc"])
    captured = capsys.readouterr()
    assert status == 1
    # only the first three answer as recorded; the others get HTTP 599 from the server
    listed = [line for line in captured.out.splitlines() if not line.startswith("#")]
    assert listed[0] == f"{cases[1]['id']}  # /http_status: expected 200, got 500"
    assert "conformance:" in captured.err
