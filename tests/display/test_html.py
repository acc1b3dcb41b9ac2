"""Notebook display: every object renders escaped, self-contained HTML with no secret, offline.

Objects: OdooFrame, GroupedFrame, Plan, ApplyResult, Client, Sandbox. Each is built
with text that would be markup if it were not escaped (a partner named
``<script>...``), shown while any HTTP request fails the test, and checked for
resources loaded from elsewhere (``src=``, ``href=``, ``url(``) and for the secrets of
the connection.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

import odoo_frames as of

HOSTILE = "<script>alert('odoo')</script>"
ESCAPED = "&lt;script&gt;"


@pytest.fixture(scope="module")
def box() -> Iterator[Any]:
    with of.sandbox.start(version="18.0", scale=200) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def odoo(box: Any) -> of.Client:
    """Connected with the API key (over /jsonrpc): the secret the HTML must never show."""
    return of.connect(url=box.url, db=box.db, user=box.login, api_key=box.api_key)


def build_frame(box: Any, odoo: of.Client) -> Any:
    p = odoo["res.partner"]
    return p[(p.name == HOSTILE) | (p.email.str.contains("@", case=False))][["name", "email"]]


def build_grouped(box: Any, odoo: of.Client) -> Any:
    p = odoo["res.partner"]
    return p[p.name != HOSTILE].groupby("country_id").agg(n=("id", "count"))


def build_plan(box: Any, odoo: of.Client) -> Any:
    before = odoo["res.partner"][["name", "email"]].head(3).to_pandas()
    after = before.assign(name=HOSTILE)
    return odoo.diff(before, after)


def build_apply_result(box: Any, odoo: of.Client) -> Any:
    before = odoo["res.partner"][["name", "email"]][3:6].to_pandas()
    after = before.assign(email="renamed@example.com")
    plan = odoo.diff(before, after)
    # another session changes one record meanwhile: a conflict whose message quotes it
    other = box.connect()
    other.call("res.partner", "write", [int(before["id"][0])], {"email": HOSTILE})
    other.close()
    result = plan.apply(progress=False)
    assert result.conflicts, "the conflict row is what this display test is about"
    return result


def build_client(box: Any, odoo: of.Client) -> Any:
    return odoo


def build_sandbox(box: Any, odoo: of.Client) -> Any:
    return box


BUILDERS: dict[str, Callable[[Any, of.Client], Any]] = {
    "OdooFrame": build_frame,
    "GroupedFrame": build_grouped,
    "Plan": build_plan,
    "ApplyResult": build_apply_result,
    "Client": build_client,
    "Sandbox": build_sandbox,
}
#: Objects whose HTML shows the hostile text (the others have no user data in them).
SHOWS_DATA = {"OdooFrame", "GroupedFrame", "Plan", "ApplyResult"}


@pytest.fixture(scope="module", params=list(BUILDERS))
def shown(request: pytest.FixtureRequest, box: Any, odoo: of.Client) -> tuple[str, Any]:
    name = str(request.param)
    return name, BUILDERS[name](box, odoo)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any HTTP request fails the test: display must not call the server."""

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("displaying an object sent an HTTP request")

    monkeypatch.setattr(requests.Session, "send", no_network)


def html_of(obj: Any) -> str:
    if hasattr(obj, "_repr_mimebundle_"):
        bundle = obj._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if "text/html" in data:
            return str(data["text/html"])
    method = getattr(obj, "_repr_html_", None)
    assert method is not None, f"{type(obj).__name__} has no HTML display"
    html = method()
    assert isinstance(html, str) and html.strip()
    return html


def test_renders_html_without_calling_the_server(shown: tuple[str, Any], offline: None) -> None:
    name, obj = shown
    html = html_of(obj)
    assert type(obj).__name__ in html or name in html
    repr(obj)  # the text repr is offline too


def test_html_is_escaped(shown: tuple[str, Any], offline: None) -> None:
    name, obj = shown
    html = html_of(obj)
    assert "<script" not in html.lower()
    if name in SHOWS_DATA:
        assert ESCAPED in html


def test_html_is_self_contained(shown: tuple[str, Any], offline: None) -> None:
    _, obj = shown
    html = html_of(obj).lower()
    for loader in ("src=", "href=", "url(", "@import", "<link", "<iframe", "<object"):
        assert loader not in html, loader
    assert not re.search(r"\bon[a-z]+\s*=", html), "event handler attribute"


def test_html_shows_no_secret(shown: tuple[str, Any], box: Any, offline: None) -> None:
    _, obj = shown
    html = html_of(obj)
    assert box.api_key not in html
    assert "api_key" not in html.lower() and "password" not in html.lower()
    assert box.api_key not in repr(obj)
