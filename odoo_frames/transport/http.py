"""HTTP for every protocol: pooled connections per thread, timeouts, TLS, limits.

requests.Session is not documented as thread-safe, so :class:`HttpPool` keeps one
session (and its keep-alive connections) per thread: the parallel reads of
``fetch.py`` each reuse their own connection. Cookies are never stored by the
sessions; the web transport sends its session id explicitly, so all threads share it.

Failures come out as :mod:`odoo_frames.errors` classes: ConnectError, RequestTimeout,
RateLimited (429), ServerUnavailable (502/503/504). Request bodies are wrapped in
:class:`Body`, whose repr never shows the content (it carries credentials).

Example::

    pool = HttpPool("http://127.0.0.1:8069", timeout=(5, 60))
    response = pool.post("/jsonrpc", Body(b"{...}"), content_type="application/json")
"""

from __future__ import annotations

import email.utils
import http.cookiejar
import logging
import re
import threading
import time
from collections.abc import Mapping
from typing import Any

import requests
import requests.adapters

from ..config import DEFAULT_TIMEOUT, Timeout
from ..errors import ConnectError, ProtocolError, RateLimited, RequestTimeout, ServerUnavailable
from .retry import RateLimiter

__all__ = ["USER_AGENT", "Body", "HttpPool"]

log = logging.getLogger("odoo_frames.transport")

USER_AGENT = "odoo-frames/0.1 (python-requests)"


class Body(bytes):
    """A request body; its repr hides the content, which may hold a password or key."""

    def __repr__(self) -> str:
        return f"<request body, {len(self)} bytes>"

    __str__ = __repr__


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False


class HttpPool:
    """One requests.Session per thread for one server, with shared limits."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        verify: bool | str = True,
        proxies: Mapping[str, str] | None = None,
        rate_limit: float | None = None,
        max_parallel: int | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.verify = verify
        self.proxies = dict(proxies) if proxies is not None else None
        self.user_agent = user_agent
        self.rate_limiter = RateLimiter(rate_limit) if rate_limit else None
        self.max_parallel = max_parallel
        self._slots = threading.BoundedSemaphore(max_parallel) if max_parallel else None
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return f"<HttpPool {self.base_url} timeout={self.timeout}>"

    # -- sessions ------------------------------------------------------------------------

    def session(self) -> requests.Session:
        """This thread's session, created on first use."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.cookies.set_policy(_NoCookies())
            session.headers["User-Agent"] = self.user_agent
            session.verify = self.verify
            if self.proxies is not None:
                session.proxies.update(self.proxies)
                session.trust_env = False
            adapter = requests.adapters.HTTPAdapter(pool_connections=2, pool_maxsize=4)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Close every thread's connections."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
            self._closed = True
        for session in sessions:
            session.close()
        self._local = threading.local()

    # -- requests ------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def post(
        self,
        path: str,
        body: Body,
        *,
        content_type: str,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,
    ) -> requests.Response:
        all_headers = {"Content-Type": content_type, "Accept": content_type.split(";")[0]}
        if headers:
            all_headers.update(headers)
        return self.request("POST", path, body=body, headers=all_headers, timeout=timeout)

    def get(self, path: str, *, timeout: Timeout | None = None) -> requests.Response:
        return self.request("GET", path, timeout=timeout)

    def request(
        self,
        verb: str,
        path: str,
        *,
        body: Body | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,
    ) -> requests.Response:
        """Send one request; transport failures and 429/502/503/504 raise."""
        url = self.url(path)
        limit = timeout or self.timeout
        if self.rate_limiter is not None:
            self.rate_limiter.acquire()
        if self._slots is not None:
            self._slots.acquire()
        started = time.perf_counter()
        try:
            response = self._send(verb, url, body, headers, limit)
        finally:
            if self._slots is not None:
                self._slots.release()
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("%s %s -> %d in %.1f ms", verb, path, response.status_code, elapsed)
        self._check_status(response, url)
        return response

    def _send(
        self,
        verb: str,
        url: str,
        body: Body | None,
        headers: Mapping[str, str] | None,
        timeout: Timeout,
    ) -> requests.Response:
        # The requests exceptions are not chained (raise ... from None): their tracebacks
        # run through urllib3 frames whose locals hold the request body.
        try:
            return self.session().request(
                verb,
                url,
                data=body,
                headers=dict(headers or {}),
                timeout=timeout,
                allow_redirects=False,
                # Per request: requests lets REQUESTS_CA_BUNDLE override Session.verify.
                verify=self.verify,
            )
        except requests.exceptions.ConnectTimeout:
            error: Exception = RequestTimeout(
                f"connecting to {url} timed out after {timeout[0]:g} s: check the URL, the "
                "network and that the server runs (timeout=(connect, read) to wait longer)",
                url=url,
                transient=True,
            )
        except requests.exceptions.ReadTimeout:
            error = RequestTimeout(
                f"{url} did not answer within {timeout[1]:g} s (read timeout; pass "
                "timeout=(connect, read) to wait longer)",
                url=url,
                transient=False,
            )
        except requests.exceptions.SSLError as exc:
            error = ConnectError(
                f"TLS failure with {url}: {_reason(exc)}. Check the certificate, pass "
                "verify='/path/to/ca-bundle.pem' for a private CA",
                url=url,
                transient=False,
            )
        except requests.exceptions.ProxyError as exc:
            error = ConnectError(
                f"the proxy refused the request to {url}: {_reason(exc)}. Check HTTPS_PROXY/"
                "HTTP_PROXY/NO_PROXY or pass proxies=...",
                url=url,
            )
        except (
            requests.exceptions.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
        ) as exc:
            error = ConnectError(
                f"cannot reach {url}: {_reason(exc)}. Check the URL and that the server runs",
                url=url,
            )
        except requests.exceptions.InvalidURL as exc:
            error = ConnectError(f"invalid URL {url}: {exc}", url=url, transient=False)
        raise error from None

    def _check_status(self, response: requests.Response, url: str) -> None:
        status = response.status_code
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            wait = f" (Retry-After: {retry_after:g} s)" if retry_after is not None else ""
            raise RateLimited(
                f"{url} answered HTTP 429 Too Many Requests{wait}",
                url=url,
                retry_after=retry_after,
            )
        if status in (502, 503, 504):
            raise ServerUnavailable(
                f"{url} answered HTTP {status} {response.reason or ''}".rstrip()
                + ": the server or a proxy in front of it is unavailable",
                url=url,
                status_code=status,
            )
        if status in (301, 302, 303, 307, 308):
            target = response.headers.get("Location", "?")
            raise ProtocolError(
                f"{url} redirects to {target}: use the final server URL (e.g. https://) in url=",
                url=url,
                status_code=status,
            )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _reason(exc: BaseException) -> str:
    """The innermost useful reason of a requests/urllib3 error, on one line."""
    inner: Any = exc.args[0] if exc.args else exc
    inner = getattr(inner, "reason", None) or inner  # urllib3 MaxRetryError wraps it
    args: tuple[Any, ...] = tuple(getattr(inner, "args", ()))
    if len(args) == 2 and isinstance(args[1], BaseException):
        # urllib3 ProtocolError('Connection aborted.', RemoteDisconnected('...'))
        text = f"{str(args[0]).rstrip('.')}: {args[1]}"
    else:
        text = str(inner)
        errno = re.search(r"\[Errno [^\]]+\][^'\")]*", text)
        if errno:
            text = errno.group(0)
    return " ".join(text.split())[:300] or type(exc).__name__
