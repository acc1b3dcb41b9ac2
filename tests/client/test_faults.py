"""Fault injection: a local proxy between the client and the sandbox misbehaves on cue.

Reads succeed after retries (millisecond backoff), a write is not retried and the
error says so, Retry-After is honoured, timeouts fire, limits hold.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import odoo_frames as of
from odoo_frames import errors
from odoo_frames.transport.retry import RetryPolicy

from .conftest import FAST_RETRY, sandbox_of
from .servers import FaultProxy, Stall, Status

PROTOCOL_CASES = [("18.0", "web"), ("18.0", "jsonrpc"), ("18.0", "xmlrpc"), ("19.0", "json2")]


@pytest.fixture(params=PROTOCOL_CASES, ids=[f"{v}-{p}" for v, p in PROTOCOL_CASES])
def setup(
    request: pytest.FixtureRequest, sandboxes: dict[str, Any]
) -> Iterator[tuple[Any, str, FaultProxy]]:
    version, protocol = request.param
    box = sandbox_of(sandboxes, version)
    with FaultProxy(box.url) as proxy:
        yield box, protocol, proxy


def through(proxy: FaultProxy, box: Any, protocol: str, **options: Any) -> of.Client:
    secret = {"api_key": box.api_key} if protocol == "json2" else {"password": box.password}
    options.setdefault("retry", FAST_RETRY)
    return of.connect(
        url=proxy.url, db=box.db, user=box.login, protocol=protocol, **secret, **options
    )


@pytest.mark.parametrize(
    "faults",
    [
        ["drop"],
        [503],
        [502, 504],
        [Status(429, retry_after="0")],
        ["drop", 503, Status(429)],
    ],
    ids=["reset", "503", "502-504", "429", "three-in-a-row"],
)
def test_reads_succeed_after_retries(setup: tuple[Any, str, FaultProxy], faults: list[Any]) -> None:
    box, protocol, proxy = setup
    odoo = through(proxy, box, protocol)
    expected = odoo.call("res.partner", "search_count", [])
    proxy.clear()
    proxy.inject(*faults)
    assert odoo.call("res.partner", "search_count", []) == expected
    assert len(proxy.calls()) == len(faults) + 1
    assert proxy.calls()[-1] == "forwarded"


def test_reads_give_up_after_the_last_retry(setup: tuple[Any, str, FaultProxy]) -> None:
    box, protocol, proxy = setup
    odoo = through(proxy, box, protocol)
    proxy.clear()
    proxy.inject(503, 503, 503, 503, 503)
    with pytest.raises(errors.ServerUnavailable, match="failed after 3 retries") as info:
        odoo.call("res.partner", "search_read", [], ["name"], limit=1)
    assert info.value.status_code == 503
    assert len(proxy.calls()) == 4


@pytest.mark.parametrize("fault", ["drop", 503, "drop_after"])
def test_a_write_is_not_retried_and_the_error_says_so(
    setup: tuple[Any, str, FaultProxy], fault: Any
) -> None:
    box, protocol, proxy = setup
    odoo = through(proxy, box, protocol)
    name = f"fault-{protocol}-{fault}-{time.monotonic_ns()}"
    proxy.clear()
    proxy.inject(fault)
    with pytest.raises(errors.TransportError) as info:
        odoo.call("res.partner", "create", {"name": name})
    assert "res.partner.create was not retried" in str(info.value)
    assert "may already have been applied" in str(info.value)
    assert len(proxy.calls()) == 1
    created = odoo.call("res.partner", "search_count", [("name", "=", name)])
    # "drop_after" forwarded the create and lost the answer: that is why it is not retried.
    assert created == (1 if fault == "drop_after" else 0)


def test_the_user_can_declare_a_method_safe_to_retry(setup: tuple[Any, str, FaultProxy]) -> None:
    box, protocol, proxy = setup
    odoo = through(proxy, box, protocol)
    partner = odoo.call("res.partner", "search_read", [], ["id"], limit=1)[0]["id"]
    proxy.clear()
    proxy.inject(503)
    assert (
        odoo.retrying("write").call("res.partner", "write", [partner], {"comment": "retried"})
        is True
    )
    assert proxy.calls() == ["503", "forwarded"]
    assert "retrying=['write']" in repr(odoo.retrying("write"))


def test_retry_after_is_honoured(setup: tuple[Any, str, FaultProxy]) -> None:
    box, protocol, proxy = setup
    waits: list[float] = []
    policy = RetryPolicy(delays=(0.001, 0.002), sleep=waits.append)
    odoo = through(proxy, box, protocol, retry=policy)
    proxy.clear()
    proxy.inject(Status(429, retry_after="2"))
    odoo.call("res.partner", "search_count", [])
    assert waits == [2.0]  # the server's Retry-After, not the millisecond backoff


def test_read_timeouts_fire(setup: tuple[Any, str, FaultProxy]) -> None:
    box, protocol, proxy = setup
    odoo = through(proxy, box, protocol, timeout=(5, 0.3))
    proxy.clear()
    proxy.inject(Stall(1.5))
    started = time.monotonic()
    with pytest.raises(errors.RequestTimeout, match=r"did not answer within 0.3 s") as info:
        odoo.call("res.partner", "search_count", [])
    assert time.monotonic() - started < 1.2
    assert isinstance(info.value, TimeoutError)
    assert len(proxy.calls()) == 1  # a slow query is not sent again by default


def test_concurrency_errors_of_reads_are_retried(
    setup: tuple[Any, str, FaultProxy], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, protocol, proxy = setup
    odoo = through(proxy, box, protocol)
    real = odoo.transport.call
    failures = [errors.ConcurrencyError("could not serialize access due to concurrent update")]

    def flaky(*args: Any) -> Any:
        if failures:
            raise failures.pop()
        return real(*args)

    monkeypatch.setattr(odoo.transport, "call", flaky)
    assert odoo.call("res.partner", "search_count", []) > 0
    assert not failures


def test_max_parallel_caps_concurrent_requests(sandboxes: dict[str, Any]) -> None:
    box = sandbox_of(sandboxes, "18.0")
    with FaultProxy(box.url) as proxy:
        odoo = through(proxy, box, "jsonrpc", max_parallel=2)
        active = 0
        peak = 0
        lock = threading.Lock()
        real = odoo.transport.http._send  # type: ignore[attr-defined]

        def tracking(*args: Any) -> Any:
            nonlocal active, peak
            with lock:
                active += 1
                peak = max(peak, active)
            try:
                time.sleep(0.02)
                return real(*args)
            finally:
                with lock:
                    active -= 1

        odoo.transport.http._send = tracking  # type: ignore[method-assign]
        threads = [
            threading.Thread(target=odoo.call, args=("res.partner", "search_count", []))
            for _ in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert peak == 2


def test_rate_limit_spaces_calls(sandboxes: dict[str, Any]) -> None:
    box = sandbox_of(sandboxes, "18.0")
    odoo = of.connect(url=box.url, db=box.db, user=box.login, password=box.password, rate_limit=40)
    started = time.monotonic()
    for _ in range(9):
        odoo.call("res.partner", "search_count", [])
    assert time.monotonic() - started >= 8 / 40 * 0.9
