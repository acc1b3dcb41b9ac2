"""The web client's routes: session cookies, call_kw, expiry, logout (as recorded on Odoo 18)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from odoo_frames.sandbox.app import SandboxApp
from odoo_frames.sandbox.server import BackgroundServer
from odoo_frames.sandbox.web import SESSION_LIFETIME, SessionStore

from .test_protocol_helpers import API_KEY, DB, FakeService, serve, web_login

COOKIE = re.compile(
    r"session_id=[A-Za-z0-9_-]{84}; Expires=\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT; "
    r"Max-Age=604800; HttpOnly; Path=/"
)
HTML_404 = (
    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>The requested URL was not found on the server. If you entered the URL manually "
    "please check your spelling and try again.</p>\n"
)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve(FakeService()) as url:
        yield url


def jsonrpc(params: dict[str, Any], id: Any = 1) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "method": "call", "params": params, "id": id}


def call_kw(model: str, method: str, args: list[Any], id: Any = 1) -> dict[str, Any]:
    return jsonrpc({"model": model, "method": method, "args": args, "kwargs": {}}, id=id)


def set_cookies(response: requests.Response) -> list[str]:
    return response.raw.headers.getlist("Set-Cookie")


def test_authenticate_answers_the_session_info_and_sets_the_cookie_twice(url: str) -> None:
    response = requests.post(
        f"{url}/web/session/authenticate",
        json=jsonrpc({"db": DB, "login": "demo", "password": "demo"}, id=13),
    )
    assert response.json() == {
        "jsonrpc": "2.0",
        "id": 13,
        "result": {"uid": 6, "db": DB, "name": "Marc Demo", "user_context": {"uid": 6}},
    }
    cookies = set_cookies(response)
    # Recorded: Odoo rotates the session and sets the cookie, then sets it again.
    assert len(cookies) == 2 and cookies[0] == cookies[1]
    assert COOKIE.fullmatch(cookies[0])


@pytest.mark.parametrize("password", ["wrong", API_KEY])
def test_a_refused_login_is_access_denied_without_cookie(url: str, password: str) -> None:
    response = requests.post(
        f"{url}/web/session/authenticate",
        json=jsonrpc({"db": DB, "login": "admin", "password": password}, id=16),
    )
    error = response.json()["error"]
    assert (error["code"], error["data"]["name"]) == (200, "odoo.exceptions.AccessDenied")
    assert error["data"]["arguments"] == ["Access Denied"]
    assert set_cookies(response) == []


def test_call_kw_without_a_session_is_an_html_404(url: str) -> None:
    response = requests.post(
        f"{url}/web/dataset/call_kw/res.partner/search_count",
        json=call_kw("res.partner", "search_count", [[]]),
    )
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.text == HTML_404
    assert set_cookies(response) == []


def test_call_kw_with_a_session(url: str) -> None:
    http = web_login(url)
    for path in ("/web/dataset/call_kw", "/web/dataset/call_kw/res.partner/search_count"):
        response = http.post(url + path, json=call_kw("res.partner", "search_count", [[]]))
        assert response.json() == {"jsonrpc": "2.0", "id": 1, "result": 3}
        assert set_cookies(response) == []  # unchanged session: no cookie


def test_call_kw_of_an_unknown_model_is_error_404_with_a_null_id(url: str) -> None:
    answer = (
        web_login(url)
        .post(
            f"{url}/web/dataset/call_kw/no.such.model/search",
            json=call_kw("no.such.model", "search", [[]], id=50),
        )
        .json()
    )
    assert answer["id"] is None
    assert (answer["error"]["code"], answer["error"]["message"]) == (404, "404: Not Found")
    assert answer["error"]["data"]["name"] == "werkzeug.exceptions.NotFound"
    assert answer["error"]["data"]["arguments"] == []


def test_call_kw_without_kwargs_is_a_type_error(url: str) -> None:
    body = jsonrpc({"model": "res.partner", "method": "search_count", "args": [[]]}, id=96)
    answer = web_login(url).post(f"{url}/web/dataset/call_kw", json=body).json()
    assert answer["id"] == 96
    assert answer["error"]["data"]["message"] == (
        "DataSet.call_kw() missing 1 required positional argument: 'kwargs'"
    )


def test_call_kw_with_a_broken_body_fails_before_reading_the_id(url: str) -> None:
    # Odoo reads params.model to choose a read-only cursor before anything else.
    http = web_login(url)
    response = http.post(
        f"{url}/web/dataset/call_kw", data=b"{", headers={"Content-Type": "application/json"}
    )
    answer = response.json()
    assert (answer["id"], answer["error"]["data"]["name"]) == (None, "json.decoder.JSONDecodeError")
    answer = http.post(f"{url}/web/dataset/call_kw", json={"id": 5}).json()
    assert answer["error"]["data"]["name"] == "builtins.KeyError"
    answer = http.post(f"{url}/web/dataset/call_kw", json=jsonrpc({"method": "x"})).json()
    assert answer["error"]["code"] == 404


def test_get_session_info_touches_the_session(url: str) -> None:
    http = web_login(url)
    response = http.post(f"{url}/web/session/get_session_info", json=jsonrpc({}))
    assert response.json()["result"]["uid"] == 2
    assert COOKIE.fullmatch(set_cookies(response)[0])
    assert http.cookies["session_id"] in set_cookies(response)[0]  # same session id


def test_session_check_answers_nothing(url: str) -> None:
    response = web_login(url).post(f"{url}/web/session/check", json=jsonrpc({}, id=61))
    assert response.json() == {"jsonrpc": "2.0", "id": 61}


def test_version_info_gives_a_new_client_a_cookie(url: str) -> None:
    http = requests.Session()
    first = http.post(f"{url}/web/webclient/version_info", json=jsonrpc({}, id=3))
    assert first.json()["result"]["server_version"] == "18.0"
    assert COOKIE.fullmatch(set_cookies(first)[0])
    again = http.post(f"{url}/web/webclient/version_info", json=jsonrpc({}, id=3))
    assert set_cookies(again) == []  # the client now names its (empty) session


def test_destroy_ends_the_session(url: str) -> None:
    http = web_login(url)
    old_sid = http.cookies["session_id"]
    response = http.post(f"{url}/web/session/destroy", json=jsonrpc({}, id=2))
    assert response.json() == {"jsonrpc": "2.0", "id": 2}
    cids, session = set_cookies(response)
    assert re.fullmatch(r"cids=; Expires=[^;]+ GMT; Max-Age=0; Path=/", cids)
    assert COOKIE.fullmatch(session) and old_sid not in session
    # The old cookie (recorded scenario web-session-logout) and the new one: 404.
    for sid in (old_sid, http.cookies["session_id"]):
        response = requests.post(
            f"{url}/web/dataset/call_kw",
            json=call_kw("res.partner", "search_count", [[]]),
            cookies={"session_id": sid},
        )
        assert (response.status_code, response.text) == (404, HTML_404)


def test_logout_keeps_the_database_so_the_session_expires(url: str) -> None:
    http = web_login(url)
    response = http.get(f"{url}/web/session/logout", allow_redirects=False)
    assert (response.status_code, response.headers["Location"]) == (303, "/odoo")
    assert set_cookies(response)[0].startswith("cids=;")
    answer = http.post(
        f"{url}/web/dataset/call_kw", json=call_kw("res.partner", "search_count", [[]], id=9)
    ).json()
    assert answer["id"] is None
    assert (answer["error"]["code"], answer["error"]["message"]) == (100, "Odoo Session Expired")
    assert answer["error"]["data"]["name"] == "odoo.http.SessionExpiredException"
    assert answer["error"]["data"]["message"] == "Session expired"


def test_logout_redirects_locally_only(url: str) -> None:
    response = requests.get(
        f"{url}/web/session/logout",
        params={"redirect": "https://evil.example.com/x?y=1"},
        allow_redirects=False,
    )
    assert response.headers["Location"] == "/x?y=1"


def test_post_logout_without_csrf_token_goes_to_the_database_selector(url: str) -> None:
    response = requests.post(f"{url}/web/session/logout", allow_redirects=False)
    assert response.headers["Location"] == "/web/database/selector"


def test_sessions_expire_after_a_week_of_inactivity() -> None:
    now = [1000.0]
    sessions = SessionStore(clock=lambda: now[0])
    with serve(FakeService(), sessions=sessions) as url:
        http = web_login(url)
        now[0] += SESSION_LIFETIME - 1
        body = call_kw("res.partner", "search_count", [[]])
        assert http.post(f"{url}/web/dataset/call_kw", json=body).json()["result"] == 3
        now[0] += SESSION_LIFETIME + 1
        response = http.post(f"{url}/web/dataset/call_kw", json=body)
        assert (response.status_code, response.text) == (404, HTML_404)
        assert len(sessions) == 0


def test_a_server_with_one_database_answers_session_expired_instead_of_404() -> None:
    app = SandboxApp(FakeService(), multi_db=False)
    with BackgroundServer(app) as server:
        answer = requests.post(
            f"{server.url}/web/dataset/call_kw",
            json=call_kw("res.partner", "search_count", [[]]),
        ).json()
    assert answer["error"]["code"] == 100


def test_a_wrong_content_type_names_the_first_route(url: str) -> None:
    response = web_login(url).post(
        f"{url}/web/dataset/call_kw/res.partner/read",
        data=b"{}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert "&#39;/web/dataset/call_kw&#39; is type=&#39;json&#39;" in response.text


def test_a_large_search_read_is_answered_whole() -> None:
    # Its speed is measured in benchmarks/, side by side with real Odoo's figure.
    with serve(FakeService(rows=50_000)) as url:
        http = web_login(url)
        answer = http.post(
            f"{url}/web/dataset/call_kw", json=call_kw("big.model", "search_read", [[]])
        ).json()
    assert len(answer["result"]) == 50_000
