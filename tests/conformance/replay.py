"""Replay the recorded Odoo 18.0 exchanges against a server and compare the answers.

The corpus lives in ``../shared/odoo-reference`` (override with ``ODOO_REFERENCE_DIR``):
read-only cases (``cases/<area>.json``) and mutating scenarios (``scenarios/<id>.json``).
Each request is sent exactly as its protocol says (README sections 3 and 4) and the answer
is compared with :mod:`.compare`.

Command line, for iterating on the sandbox (starts one on a free port unless ``--url``)::

    python -m tests.conformance.replay                       # everything, one line per failure
    python -m tests.conformance.replay --area search -v      # one area, with details
    python -m tests.conformance.replay --id search-007 -vv   # one case: request and both bodies
    python -m tests.conformance.replay --protocol xmlrpc --causes   # failing ids by cause
    python -m tests.conformance.replay --new                  # failures not yet in the list
    python -m tests.conformance.replay --list-failing > tests/conformance/known_failures.txt
    python -m tests.conformance.replay --strict               # also number types, key order, XML
    python -m tests.conformance.replay --url http://127.0.0.1:8069 --cases   # a running server
    python -m tests.conformance.replay --json /tmp/outcomes.json  # live answers, for tooling

In Python::

    replayer = Replayer(box.url, reset=box.reset)
    outcome = replayer.run_case(load_cases()[0])
    outcome.passed, outcome.explain()
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import itertools
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from .compare import (
    Difference,
    Observation,
    compare_step,
    decode_json_body,
    decode_xmlrpc_body,
    pointer_tokens,
    resolve,
    shorten,
)

Step = dict[str, Any]

#: Areas in the README's order (also the order cases are replayed in).
AREAS = ("common", "search", "order", "read", "read_group", "misc", "errors")

KNOWN_FAILURES = Path(__file__).with_name("known_failures.txt")
KNOWN_FAILURES_HEADER = """\
# Conformance ids that fail today, one per line: "<id>  # <reason>".
# They run as xfail(strict=True): remove an id as soon as it passes. Target: an empty list.
# Regenerate: python -m tests.conformance.replay --list-failing > tests/conformance/known_failures.txt"""


# --------------------------------------------------------------------------------------
# Loading the corpus
# --------------------------------------------------------------------------------------


def reference_dir() -> Path:
    """``$ODOO_REFERENCE_DIR`` or ``<repo>/../shared/odoo-reference``."""
    override = os.environ.get("ODOO_REFERENCE_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2].parent / "shared" / "odoo-reference"


def load_cases(directory: Path | None = None) -> list[Step]:
    """Every read-only case, area by area in the README's order."""
    directory = directory or reference_dir()
    files = sorted((directory / "cases").glob("*.json"))
    rank = {area: index for index, area in enumerate(AREAS)}
    files.sort(key=lambda path: (rank.get(path.stem, len(rank)), path.stem))
    cases: list[Step] = []
    for path in files:
        cases.extend(json.loads(path.read_text(encoding="utf-8")))
    return cases


def load_scenarios(directory: Path | None = None) -> list[Step]:
    """Every scenario, sorted by id."""
    directory = directory or reference_dir()
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((directory / "scenarios").glob("*.json"))
    ]


def load_known_failures(path: Path = KNOWN_FAILURES) -> dict[str, str]:
    """``{id: reason}`` from ``known_failures.txt`` (``<id>  # <reason>`` per line)."""
    if not path.exists():
        return {}
    known: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        entry, _, reason = line.partition("#")
        if entry.strip():
            known[entry.strip()] = reason.strip()
    return known


def replay_days() -> tuple[dt.date, ...]:
    """The server's possible "today"s: UTC and the recorded users' timezone."""
    days = [dt.datetime.now(dt.UTC).date()]
    try:
        from zoneinfo import ZoneInfo

        days.append(dt.datetime.now(ZoneInfo("Europe/Brussels")).date())
    except Exception:  # no tz database: UTC only
        pass
    return tuple(dict.fromkeys(days))


# --------------------------------------------------------------------------------------
# Outcomes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepResult:
    """One request sent and how its answer compared."""

    step: Step
    observation: Observation | None
    difference: Difference | None
    #: the request could not be sent or authenticated (connection refused, ...)
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and self.difference is None

    @property
    def problem(self) -> str:
        return self.error or str(self.difference or "")

    def context(self) -> list[str]:
        """The object around the difference on both sides (e.g. the whole differing row)."""
        difference, observation = self.difference, self.observation
        if difference is None or observation is None:
            return []
        tokens = pointer_tokens(difference.pointer)
        if len(tokens) < 3 or tokens[0] != "response":
            return []
        parent = tokens[:-1]
        expected = resolve({"response": self.step.get("response")}, parent)
        actual = resolve({"response": observation.response}, parent)
        if not isinstance(expected, dict | list) and not isinstance(actual, dict | list):
            return []
        where = "/" + "/".join(parent)
        return [
            f"expected {where}: {shorten(expected, 300)}",
            f"     got {where}: {shorten(actual, 300)}",
        ]

    def as_json(self) -> dict[str, Any]:
        observation = self.observation
        return {
            "id": self.step.get("id"),
            "passed": self.passed,
            "problem": self.problem or None,
            "http_status": observation.http_status if observation else None,
            "content_type": observation.content_type if observation else None,
            "response": observation.response if observation else None,
        }


@dataclass(frozen=True)
class Outcome:
    """A case (one step) or a scenario (its steps, in order)."""

    id: str
    title: str
    area: str
    protocol: str
    steps: tuple[StepResult, ...]
    is_scenario: bool = False

    @property
    def passed(self) -> bool:
        return all(step.passed for step in self.steps)

    @property
    def first_failure(self) -> StepResult | None:
        return next((step for step in self.steps if not step.passed), None)

    @property
    def cause(self) -> str:
        """A coarse grouping key of the first failure (for ``--causes``)."""
        failure = self.first_failure
        if failure is None:
            return ""
        if failure.error:
            return f"error: {failure.error.split(':', 1)[0]}"
        assert failure.difference is not None
        return _cause_of(failure.step, failure.difference)

    def summary(self) -> str:
        """One line: where the first difference is."""
        failure = self.first_failure
        if failure is None:
            return f"ok   {self.id}"
        where = f" step {failure.step['id']}" if self.is_scenario else ""
        return f"FAIL {self.id}{where} [{failure.step.get('protocol')}]: {failure.problem}"

    def explain(self, verbosity: int = 1) -> str:
        """The failure for a human: title, request, difference; ``verbosity >= 2`` adds bodies."""
        lines = [f"{self.id}: {self.title}"]
        for result in self.steps:
            if result.passed and verbosity < 3:
                continue
            step = result.step
            status = "ok" if result.passed else "FAIL"
            label = f"  {status} {step['id']}" if self.is_scenario else f"  {status}"
            lines.append(f"{label} {step.get('protocol')} POST {step.get('endpoint')}")
            lines.append(f"    call: {describe_request(step)}")
            if not result.passed:
                lines.append(f"    difference: {result.problem}")
                lines.extend(f"    {line}" for line in result.context())
            if verbosity >= 2:
                lines.append("    request: " + shorten(step.get("request"), 2000))
                lines.append("    expected: " + shorten(step.get("response"), 4000))
                if result.observation is not None:
                    seen = result.observation
                    lines.append(
                        f"    got: HTTP {seen.http_status} {seen.content_type} "
                        + shorten(seen.response, 4000)
                    )
            if not result.passed and self.is_scenario and verbosity < 2:
                break
        return "\n".join(lines)


def _cause_of(step: Step, difference: Difference) -> str:
    response = step.get("response")
    error = response.get("error") if isinstance(response, dict) else None
    if isinstance(error, dict) and isinstance(error.get("data"), dict):
        return f"error {error['data'].get('name')}: {difference.cause}"
    fault = response.get("fault") if isinstance(response, dict) else None
    if isinstance(fault, dict):
        return f"fault {str(fault.get('faultCode'))[:40]!r}: {difference.cause}"
    return difference.cause


def describe_request(step: Step) -> str:
    """``res.partner.search_read([...], fields=[...])`` or the service call, shortened."""
    request = step.get("request") or {}
    if "body" in request:
        return f"hand-written body {shorten(request['body'], 120)}"
    params = request.get("params")
    if step.get("protocol") == "xmlrpc":
        method = request.get("method")
        args = params or []
        if method in ("execute_kw", "execute") and len(args) >= 5:
            return f"{args[3]}.{args[4]}{shorten(args[5:], 200)}"
        return f"{method}{shorten(args, 200)}"
    if not isinstance(params, dict):
        return shorten(request, 200)
    if "service" in params:
        args = params.get("args") or []
        if params.get("method") in ("execute_kw", "execute") and len(args) >= 5:
            return f"{args[3]}.{args[4]}{shorten(args[5:], 200)}"
        return f"{params.get('service')}.{params.get('method')}{shorten(args, 200)}"
    if "model" in params:
        call = shorten([params.get("args"), params.get("kwargs")], 200)
        return f"{params['model']}.{params.get('method')}{call}"
    return shorten(params, 200)


# --------------------------------------------------------------------------------------
# Sending requests
# --------------------------------------------------------------------------------------


class ReplayError(Exception):
    """A request could not be replayed (transport failure, authentication refused)."""


def _http_session() -> requests.Session:
    session = requests.Session()
    # Never pick proxies or .netrc from the environment: traffic stays on 127.0.0.1.
    session.trust_env = False
    return session


class Replayer:
    """Sends recorded requests to ``base_url`` and compares the answers.

    Web sessions follow the recorder: one authenticated session per distinct ``session``
    object for the read-only cases of a run, one per distinct ``name`` inside a scenario
    (authenticated right before its first step), a fresh cookie jar for ``session: null``
    and for ``/web/session/authenticate`` cases.
    """

    def __init__(
        self,
        base_url: str,
        *,
        reset: Callable[[], None] | None = None,
        timeout: float = 120.0,
        days: Iterable[dt.date] | None = None,
        strict: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.reset = reset
        self.timeout = timeout
        self.days = tuple(days) if days is not None else replay_days()
        self.strict = strict
        self._stateless = _http_session()
        self._case_sessions: dict[str, requests.Session] = {}
        self._auth_ids = itertools.count(1)
        #: a scenario changed the data since the last reset
        self._dirty = False

    def close(self) -> None:
        for session in self._case_sessions.values():
            session.close()
        self._case_sessions.clear()
        self._stateless.close()

    # -- cases and scenarios ---------------------------------------------------------

    def run_case(self, case: Step) -> Outcome:
        if self._dirty and self.reset is not None:
            # a scenario ran: the read-only cases expect the dataset as loaded
            self.reset()
            self._forget_case_sessions()
            self._dirty = False
        result = self._run_step(case, self._case_sessions, _same_object)
        return Outcome(
            id=case["id"],
            title=case.get("title", ""),
            area=case.get("area", ""),
            protocol=case.get("protocol", ""),
            steps=(result,),
        )

    def run_scenario(self, scenario: Step) -> Outcome:
        """Restore the loaded state, then send the steps in order (all of them, so that
        ``-vv`` can show every step; the outcome fails at the first difference)."""
        if self.reset is None:
            raise ReplayError("scenarios need a reset() to restore the dataset first")
        self.reset()
        # A restore may or may not forget web sessions: re-authenticate the cases' ones.
        self._forget_case_sessions()
        sessions: dict[str, requests.Session] = {}
        self._dirty = True
        try:
            results = tuple(
                self._run_step(step, sessions, _same_name) for step in scenario["steps"]
            )
        finally:
            for session in sessions.values():
                session.close()
        protocols = sorted({step.get("protocol", "") for step in scenario["steps"]})
        return Outcome(
            id=scenario["id"],
            title=scenario.get("title", ""),
            area="scenario",
            protocol="+".join(protocols),
            steps=results,
            is_scenario=True,
        )

    # -- one request ---------------------------------------------------------------

    def _run_step(
        self,
        step: Step,
        sessions: dict[str, requests.Session],
        identity: Callable[[dict[str, Any]], str],
    ) -> StepResult:
        """Send one step with the right cookie jar and compare its answer."""
        throwaway = None
        try:
            if step.get("protocol") != "web":
                jar = self._fresh_stateless()
            elif step.get("session") is None or step["endpoint"] == "/web/session/authenticate":
                jar = throwaway = _http_session()  # an empty cookie jar
            else:
                key = identity(step["session"])
                if key not in sessions:
                    sessions[key] = self._authenticated(step["session"])
                jar = sessions[key]
            observation = self.send(step, jar)
        except ReplayError as error:
            return StepResult(step, None, None, error=str(error))
        except requests.RequestException as error:
            return StepResult(step, None, None, error=f"{type(error).__name__}: {error}")
        finally:
            if throwaway is not None:
                throwaway.close()
        difference = compare_step(step, observation, self.days, strict=self.strict)
        return StepResult(step, observation, difference)

    def send(self, step: Step, session: requests.Session) -> Observation:
        """POST the step's request as recorded and decode the answer."""
        request = step["request"]
        protocol = step["protocol"]
        if "body" in request:  # hand-written: malformed bodies, exotic XML-RPC values
            body: bytes = request["body"].encode("utf-8")
            content_type = request["content_type"]
            endpoint = request.get("endpoint", step["endpoint"])
        elif protocol == "xmlrpc":
            body = step["raw_request"].encode("utf-8")
            content_type = "text/xml"
            endpoint = request.get("endpoint", step["endpoint"])
        else:
            body = json.dumps(request).encode("utf-8")
            content_type = "application/json"
            endpoint = step["endpoint"]
        response = session.post(
            self.base_url + endpoint,
            data=body,
            headers={"Content-Type": content_type},
            timeout=self.timeout,
            allow_redirects=False,
        )
        decode = decode_xmlrpc_body if protocol == "xmlrpc" else decode_json_body
        return Observation(
            http_status=response.status_code,
            response=decode(response.content),
            content_type=response.headers.get("Content-Type"),
            set_cookies=list(response.raw.headers.getlist("Set-Cookie")),
            body=response.text if protocol == "xmlrpc" else None,
        )

    # -- sessions -----------------------------------------------------------------

    def _fresh_stateless(self) -> requests.Session:
        """/jsonrpc and XML-RPC carry their credentials: no cookie must travel."""
        self._stateless.cookies.clear()
        return self._stateless

    def _forget_case_sessions(self) -> None:
        for session in self._case_sessions.values():
            session.close()
        self._case_sessions.clear()

    def _authenticated(self, spec: dict[str, Any]) -> requests.Session:
        """A new cookie jar logged in through ``/web/session/authenticate``."""
        session = _http_session()
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": spec["db"], "login": spec["login"], "password": spec["password"]},
            "id": next(self._auth_ids),
        }
        try:
            response = session.post(
                self.base_url + "/web/session/authenticate", json=payload, timeout=self.timeout
            )
            answer = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ReplayError(f"web login as {spec['login']!r} failed: {error}") from error
        if "error" in answer or not answer.get("result", {}).get("uid"):
            raise ReplayError(
                f"web login as {spec['login']!r} refused: {shorten(answer.get('error'), 200)}"
            )
        if "session_id" not in session.cookies:
            raise ReplayError(f"web login as {spec['login']!r}: no session_id cookie")
        return session


def _same_object(spec: dict[str, Any]) -> str:
    """Read-only cases: one session per distinct ``session`` object of the run."""
    return json.dumps(spec, sort_keys=True)


def _same_name(spec: dict[str, Any]) -> str:
    """Scenarios: one session per distinct ``name``."""
    return str(spec.get("name") or json.dumps(spec, sort_keys=True))


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def select(
    items: Iterable[Step],
    *,
    areas: list[str],
    protocols: list[str],
    ids: list[str],
    grep: str | None,
) -> list[Step]:
    """Filter cases/scenarios; ``ids`` may be globs (``search-1*``)."""
    chosen = []
    for item in items:
        steps = item.get("steps") or [item]
        area = "scenario" if "steps" in item else item.get("area", "")
        if areas and area not in areas:
            continue
        if protocols and not {s.get("protocol") for s in steps} & set(protocols):
            continue
        if ids and not any(fnmatch.fnmatchcase(item["id"], pattern) for pattern in ids):
            continue
        if grep and grep.lower() not in (item.get("title", "") + " " + item["id"]).lower():
            continue
        chosen.append(item)
    return chosen


def summary_line(passed: int, failed: int) -> str:
    return f"conformance: {passed} passed, {failed} failed"


def per_area(outcomes: Iterable[Outcome]) -> str:
    """``common 40/48  search 250/276 ...`` (passed/total)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        totals[outcome.area][0] += outcome.passed
        totals[outcome.area][1] += 1
    order = [*AREAS, "scenario"]
    names = sorted(totals, key=lambda a: (order.index(a) if a in order else len(order), a))
    return "  ".join(f"{name} {totals[name][0]}/{totals[name][1]}" for name in names)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tests.conformance.replay",
        description="Replay the recorded Odoo 18.0 exchanges against the sandbox (or --url).",
    )
    parser.add_argument(
        "--area", action="append", default=[], help="area or 'scenario' (repeatable)"
    )
    parser.add_argument(
        "--protocol", action="append", default=[], choices=["jsonrpc", "xmlrpc", "web"]
    )
    parser.add_argument("--id", action="append", default=[], help="id or glob (repeatable)")
    parser.add_argument("--grep", help="substring of the title or id")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--cases", action="store_true", help="read-only cases only")
    kind.add_argument("--scenarios", action="store_true", help="scenarios only")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="-v details, -vv bodies")
    parser.add_argument("--causes", action="store_true", help="group failing ids by cause")
    parser.add_argument(
        "--list-failing",
        action="store_true",
        help="print known_failures.txt content (id  # first difference) on stdout",
    )
    parser.add_argument("--new", action="store_true", help="only failures not in known_failures")
    parser.add_argument(
        "--json", type=Path, help="write every outcome with the live responses to this file"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also require number types (1740 vs 1740.0), key order and exact XML-RPC bodies",
    )
    parser.add_argument("--url", help="replay against a running server (no reset: no scenarios)")
    parser.add_argument("--version", default="18.0", help="sandbox version profile")
    parser.add_argument("--reference", type=Path, help="corpus directory")
    parser.add_argument("--timeout", type=float, default=120.0)
    return parser


def _start_sandbox(version: str, reference: Path) -> Any:
    from odoo_frames.sandbox import start  # imported late: the CLI also works with --url

    return start(version=version, data=reference / "dataset.json")


def run(replayer: Replayer, cases: list[Step], scenarios: list[Step]) -> Iterator[Outcome]:
    for case in cases:
        yield replayer.run_case(case)
    for scenario in scenarios:
        yield replayer.run_scenario(scenario)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    reference = args.reference or reference_dir()
    report = sys.stderr if args.list_failing else sys.stdout

    def chosen(items: list[Step]) -> list[Step]:
        return select(items, areas=args.area, protocols=args.protocol, ids=args.id, grep=args.grep)

    cases = [] if args.scenarios else chosen(load_cases(reference))
    scenarios = [] if args.cases else chosen(load_scenarios(reference))

    box = None
    if args.url:
        base_url, reset = args.url, None
        if scenarios:
            print(f"--url: {len(scenarios)} scenarios skipped (no reset)", file=report)
            scenarios = []
    else:
        started = time.monotonic()
        box = _start_sandbox(args.version, reference)
        base_url, reset = box.url, box.reset
        print(
            f"sandbox {args.version} at {box.url} ({time.monotonic() - started:.1f}s)", file=report
        )

    known = load_known_failures()
    replayer = Replayer(base_url, reset=reset, timeout=args.timeout, strict=args.strict)
    outcomes: list[Outcome] = []
    started = time.monotonic()
    try:
        for outcome in run(replayer, cases, scenarios):
            outcomes.append(outcome)
            if outcome.passed:
                if args.verbose >= 3:
                    print(outcome.explain(args.verbose), file=report)
                continue
            if args.new and outcome.id in known:
                continue
            if args.verbose:
                print(outcome.explain(args.verbose), file=report)
            elif not args.causes:
                print(outcome.summary(), file=report)
    finally:
        replayer.close()
        if box is not None:
            box.stop()

    failing = [outcome for outcome in outcomes if not outcome.passed]
    if args.causes:
        groups: dict[str, list[str]] = defaultdict(list)
        for outcome in failing:
            groups[outcome.cause].append(outcome.id)
        for cause, ids in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
            print(f"{len(ids):4d}  {cause}\n      {' '.join(ids)}", file=report)
    if args.list_failing:
        print(KNOWN_FAILURES_HEADER)
        for outcome in failing:
            print(f"{outcome.id}  # {_one_line(outcome)}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "id": outcome.id,
                        "area": outcome.area,
                        "passed": outcome.passed,
                        "cause": outcome.cause or None,
                        "steps": [step.as_json() for step in outcome.steps],
                    }
                    for outcome in outcomes
                ],
                indent=1,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    fixed = sorted(o.id for o in outcomes if o.passed and o.id in known)
    if fixed:
        print(f"now passing, remove from known_failures.txt: {' '.join(fixed)}", file=report)
    print(f"{per_area(outcomes)}   ({time.monotonic() - started:.1f}s)", file=report)
    print(summary_line(len(outcomes) - len(failing), len(failing)), file=report)
    return 1 if failing else 0


def _one_line(outcome: Outcome) -> str:
    failure = outcome.first_failure
    text = failure.problem if failure else ""
    if outcome.is_scenario and failure is not None:
        text = f"step {failure.step['id']}: {text}"
    return " ".join(text.split())[:200]


if __name__ == "__main__":
    sys.exit(main())
