"""When to send a failed call again, how long to wait, and client-side rate limiting.

Read-only ORM methods are retried on transient faults (connection reset, HTTP 502,
503, 504, 429 honouring ``Retry-After``, serialization / lock failures) with
exponential backoff: 1 s, 4 s, 16 s by default, each jittered by +-25 %. Any other
method is never retried unless the user names it: it may already have been applied
on the server, and the error says so.

Example (tests use milliseconds)::

    >>> policy = RetryPolicy(delays=(0.001, 0.004, 0.016))
    >>> policy.allows("search_read"), policy.allows("create")
    (True, False)
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Final, TypeVar

from ..errors import OdooError, RateLimited, RequestTimeout

__all__ = ["READ_ONLY_METHODS", "RateLimiter", "RetryPolicy"]

log = logging.getLogger("odoo_frames.transport")

T = TypeVar("T")

#: ORM methods that never change data: safe to send twice.
READ_ONLY_METHODS: Final = frozenset(
    {
        "search",
        "search_read",
        "search_count",
        "search_fetch",
        "read",
        "fields_get",
        "read_group",
        "formatted_read_group",
        "formatted_read_grouping_sets",
        "name_search",
        "default_get",
        "context_get",
        "check_access_rights",
        "has_access",
        "web_search_read",
        "web_read",
        "web_read_group",
    }
)


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff delays and the methods that may be retried.

    ``delays`` are the waits before the 1st, 2nd, ... retry (so its length is the
    number of retries); ``jitter`` spreads each wait by +- that fraction so parallel
    workers do not retry in lockstep. ``sleep`` is injectable for tests.
    """

    delays: tuple[float, ...] = (1.0, 4.0, 16.0)
    jitter: float = 0.25
    #: Longest ``Retry-After`` honoured; a server asking for more gets an error at once.
    max_retry_after: float = 300.0
    read_only_methods: frozenset[str] = READ_ONLY_METHODS
    #: Further methods the user declared safe to retry; ``"*"`` means every method.
    extra_methods: frozenset[str] = frozenset()
    #: Also retry read timeouts of read-only calls (off: a slow query would run 4 times).
    retry_read_timeouts: bool = False
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    @classmethod
    def exponential(
        cls, first: float = 1.0, factor: float = 4.0, retries: int = 3, **options: object
    ) -> RetryPolicy:
        """``first``, ``first*factor``, ... for ``retries`` retries (1, 4, 16 by default)."""
        delays = tuple(first * factor**i for i in range(retries))
        return cls(delays=delays, **options)  # type: ignore[arg-type]

    @classmethod
    def never(cls) -> RetryPolicy:
        """No retries at all."""
        return cls(delays=())

    def allowing(self, methods: Iterable[str]) -> RetryPolicy:
        """A copy that also retries ``methods`` (``"*"``: every method)."""
        return replace(self, extra_methods=self.extra_methods | frozenset(methods))

    def allows(self, method: str) -> bool:
        """Whether ``method`` may be sent again after a transient failure."""
        return (
            method in self.read_only_methods
            or method in self.extra_methods
            or "*" in self.extra_methods
        )

    def is_retryable(self, error: BaseException) -> bool:
        if isinstance(error, RequestTimeout):
            return error.transient or self.retry_read_timeouts
        return isinstance(error, OdooError) and error.transient

    def wait_before(self, retry: int, error: BaseException) -> float | None:
        """Seconds to wait before retry number ``retry`` (0-based); None = give up."""
        if retry >= len(self.delays):
            return None
        delay = self.delays[retry] * random.uniform(1 - self.jitter, 1 + self.jitter)
        if isinstance(error, RateLimited) and error.retry_after is not None:
            if error.retry_after > self.max_retry_after:
                return None
            delay = max(delay, error.retry_after)
        return delay

    def run(
        self,
        call: Callable[[], T],
        *,
        method: str,
        label: str,
        retry: bool | None = None,
    ) -> T:
        """Run ``call``; on transient failures retry if allowed, else explain in the error.

        ``retry`` overrides :meth:`allows` for this call (``True`` forces retries).
        """
        allowed = self.allows(method) if retry is None else retry
        attempt = 0
        while True:
            try:
                return call()
            except OdooError as error:
                if not self.is_retryable(error):
                    raise
                if not allowed:
                    if self.delays:
                        error.with_hint(
                            f"{label} was not retried: it may change data and may already have "
                            "been applied on the server. Check, then call it again, or mark it "
                            f"safe to retry with client.retrying({method!r})."
                        )
                    raise
                wait = self.wait_before(attempt, error)
                if wait is None:
                    if attempt:
                        error.with_hint(
                            f"{label} failed after {attempt} retr{'y' if attempt == 1 else 'ies'}."
                        )
                    raise
                attempt += 1
                log.warning(
                    "%s failed (%s: %s); retry %d/%d in %.3f s",
                    label,
                    type(error).__name__,
                    error.message.splitlines()[0] if error.message else "",
                    attempt,
                    len(self.delays),
                    wait,
                )
                self.sleep(wait)


class RateLimiter:
    """At most ``per_second`` calls start per second, evenly spaced, across threads."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.per_second = per_second
        self._interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self._interval
        if slot > now:
            self._sleep(slot - now)

    def __repr__(self) -> str:
        return f"RateLimiter(per_second={self.per_second})"
