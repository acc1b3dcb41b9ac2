"""Retry policy and rate limiter, without a server (sleep and clock injected)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from odoo_frames import errors
from odoo_frames.transport.http import parse_retry_after
from odoo_frames.transport.retry import READ_ONLY_METHODS, RateLimiter, RetryPolicy


class Flaky:
    """Fails with the given errors, then answers "ok"."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


def policy(waits: list[float], **options: Any) -> RetryPolicy:
    return RetryPolicy(sleep=waits.append, **options)


def test_default_backoff_is_1_4_16_seconds_jittered() -> None:
    waits: list[float] = []
    flaky = Flaky(*(errors.ServerUnavailable("503") for _ in range(3)))
    assert policy(waits).run(flaky, method="search_read", label="res.partner.search_read") == "ok"
    assert flaky.calls == 4
    for wait, nominal in zip(waits, (1, 4, 16)):
        assert nominal * 0.75 <= wait <= nominal * 1.25


def test_exponential_constructor() -> None:
    assert RetryPolicy.exponential().delays == (1.0, 4.0, 16.0)
    assert RetryPolicy.exponential(first=0.001, factor=2, retries=4).delays == (
        0.001,
        0.002,
        0.004,
        0.008,
    )


@pytest.mark.parametrize(
    "failure",
    [
        errors.ConnectError("connection reset"),
        errors.ServerUnavailable("502", status_code=502),
        errors.RateLimited("429"),
        errors.ConcurrencyError("could not serialize access"),
        errors.RequestTimeout("connect timeout", transient=True),
    ],
)
def test_read_only_methods_are_retried_on_transient_faults(failure: Exception) -> None:
    waits: list[float] = []
    flaky = Flaky(failure)
    assert policy(waits).run(flaky, method="read", label="x.read") == "ok"
    assert len(waits) == 1


@pytest.mark.parametrize(
    "failure",
    [
        errors.ValidationError("bad"),
        errors.ServerError("ValueError"),
        errors.ConnectError("bad certificate", transient=False),
        errors.RequestTimeout("read timeout", transient=False),
        errors.AuthenticationError("Access Denied"),
    ],
)
def test_other_failures_are_raised_at_once(failure: Exception) -> None:
    waits: list[float] = []
    with pytest.raises(type(failure)):
        policy(waits).run(Flaky(failure), method="search_read", label="x.search_read")
    assert waits == []


def test_a_write_is_not_retried_and_the_error_says_so() -> None:
    waits: list[float] = []
    flaky = Flaky(errors.ConnectError("connection reset"))
    with pytest.raises(errors.ConnectError) as info:
        policy(waits).run(flaky, method="create", label="sale.order.create")
    assert flaky.calls == 1 and waits == []
    assert "sale.order.create was not retried" in str(info.value)
    assert "client.retrying('create')" in str(info.value)


def test_the_user_may_declare_a_method_safe() -> None:
    waits: list[float] = []
    flaky = Flaky(errors.ServerUnavailable("503"))
    assert (
        policy(waits).allowing(["action_confirm"]).run(flaky, method="action_confirm", label="x")
        == "ok"
    )
    assert RetryPolicy().allowing(["*"]).allows("unlink")


def test_giving_up_says_how_many_retries() -> None:
    waits: list[float] = []
    flaky = Flaky(*(errors.ServerUnavailable("503") for _ in range(5)))
    with pytest.raises(errors.ServerUnavailable) as info:
        policy(waits).run(flaky, method="search", label="res.partner.search")
    assert flaky.calls == 4
    assert "failed after 3 retries" in str(info.value)


def test_retry_after_is_honoured() -> None:
    waits: list[float] = []
    flaky = Flaky(errors.RateLimited("429", retry_after=7.0))
    policy(waits, delays=(0.001,)).run(flaky, method="search", label="x")
    assert waits == [7.0]


def test_a_retry_after_beyond_the_limit_is_not_waited_for() -> None:
    waits: list[float] = []
    with pytest.raises(errors.RateLimited):
        policy(waits, max_retry_after=60).run(
            Flaky(errors.RateLimited("429", retry_after=3600)), method="search", label="x"
        )
    assert waits == []


def test_retries_are_logged_as_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "odoo_frames")
    policy([]).run(Flaky(errors.ConnectError("reset")), method="read", label="res.partner.read")
    assert "res.partner.read failed (ConnectError: reset); retry 1/3" in caplog.text


def test_read_only_methods_include_the_brief_list() -> None:
    for name in (
        "search",
        "search_read",
        "read",
        "search_count",
        "fields_get",
        "read_group",
        "formatted_read_group",
        "name_search",
        "default_get",
    ):
        assert name in READ_ONLY_METHODS
    assert "create" not in READ_ONLY_METHODS and "write" not in READ_ONLY_METHODS


@pytest.mark.parametrize(
    ("header", "seconds"), [("3", 3.0), ("0", 0.0), ("soon", None), (None, None)]
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_parse_retry_after_http_date() -> None:
    value = parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT")
    assert value == 0.0  # in the past


def fake_clock() -> tuple[Callable[[], float], Callable[[float], None], list[float]]:
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    return (lambda: now[0]), sleep, sleeps


def test_rate_limiter_spaces_calls_evenly() -> None:
    clock, sleep, sleeps = fake_clock()
    limiter = RateLimiter(4, clock=clock, sleep=sleep)
    for _ in range(5):
        limiter.acquire()
    assert sleeps == [0.25, 0.25, 0.25, 0.25]
