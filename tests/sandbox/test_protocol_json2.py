"""Odoo 19's JSON-2 API: statuses, error bodies, authentication, database selection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from .test_protocol_helpers import API_KEY, DB, FakeService, serve, web_login

ERROR_KEYS = ["name", "message", "arguments", "context", "debug"]
SEC_FETCH = {
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "none",
    "Sec-Fetch-User": "?1",
}


@pytest.fixture(scope="module")
def service() -> FakeService:
    return FakeService("19.0")


@pytest.fixture(scope="module")
def url(service: FakeService) -> Iterator[str]:
    with serve(service) as url:
        yield url


def headers(**extra: str) -> dict[str, str]:
    return {"Authorization": f"bearer {API_KEY}", "X-Odoo-Database": DB, **extra}


def post(url: str, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
    kwargs.setdefault("headers", headers())
    if body is not None:
        kwargs["json"] = body
    return requests.post(url + path, **kwargs)


def assert_error(response: requests.Response, status: int, name: str, message: str) -> Any:
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    error = response.json()
    assert list(error) == ERROR_KEYS
    assert (error["name"], error["message"]) == (name, message)
    return error


def test_version_endpoints(url: str) -> None:
    for path in ("/web/version", "/json/version"):
        response = requests.get(url + path)
        assert response.json() == {"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"


def test_a_call_answers_the_bare_result(url: str, service: FakeService) -> None:
    response = post(url, "/json/2/res.partner/search", {"domain": [], "context": {"lang": "en_US"}})
    assert (response.status_code, response.json()) == (200, [1, 2, 3])
    assert "Set-Cookie" not in response.headers
    assert service.calls[-1] == (
        "call_named",
        2,
        "res.partner",
        "search",
        None,
        {"domain": []},
        {"lang": "en_US"},
    )


def test_ids_and_context_are_reserved_names(url: str, service: FakeService) -> None:
    response = post(url, "/json/2/res.partner/read", {"ids": [1], "fields": ["name"]})
    assert response.status_code == 200
    assert service.calls[-2][4:] == ([1], {"fields": ["name"]}, {})


def test_the_bearer_scheme_is_case_insensitive(url: str) -> None:
    response = post(url, "/json/2/res.partner/search", {"domain": []},
                    headers=headers(Authorization=f"Bearer   {API_KEY}"))  # fmt: skip
    assert response.status_code == 200


def test_a_missing_key_is_401_with_a_bearer_challenge(url: str) -> None:
    response = post(url, "/json/2/res.partner/search", {"domain": []},
                    headers={"X-Odoo-Database": DB})  # fmt: skip
    message = 'User not authenticated, use the "Authorization" header'
    error = assert_error(response, 401, "werkzeug.exceptions.Unauthorized", message)
    assert error["arguments"] == [message, 401]
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_wrong_key_is_401(url: str) -> None:
    response = post(url, "/json/2/res.partner/search", {"domain": []},
                    headers=headers(Authorization="bearer nope"))  # fmt: skip
    assert_error(response, 401, "werkzeug.exceptions.Unauthorized", "Invalid apikey")


def test_without_a_database_the_route_does_not_exist(url: str) -> None:
    for database in (None, "other"):
        extra = {"X-Odoo-Database": database} if database else {}
        response = requests.post(
            f"{url}/json/2/res.partner/search",
            json={"domain": []},
            headers={"Authorization": f"bearer {API_KEY}", **extra},
        )
        assert response.status_code == 404
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_bodies_that_are_not_json_objects_are_400(url: str) -> None:
    response = post(url, "/json/2/res.partner/search", data=b"not json",
                    headers=headers(**{"Content-Type": "application/json"}))  # fmt: skip
    assert_error(response, 400, "werkzeug.exceptions.BadRequest",
                 "could not parse the body as json: Expecting value: line 1 column 1 (char 0)")  # fmt: skip
    response = post(url, "/json/2/res.partner/search", data=b"null",
                    headers=headers(**{"Content-Type": "application/json"}))  # fmt: skip
    assert_error(response, 400, "werkzeug.exceptions.BadRequest",
                 "could not parse the body, expecting a json object")  # fmt: skip


def test_a_wrong_content_type_is_an_html_415(url: str) -> None:
    response = post(url, "/json/2/res.partner/search", data={"domain": "[]"})  # form-encoded
    assert response.status_code == 415
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Accept"] == "application/json"
    assert "&#39;/json/2/&lt;model&gt;/&lt;method&gt;&#39; is type=&#39;json2&#39;" in (
        response.text
    )


def test_an_empty_body_means_no_arguments(url: str) -> None:
    response = post(url, "/json/2/res.partner/search")
    assert_error(response, 422, "werkzeug.exceptions.UnprocessableEntity",
                 "missing a required argument: 'domain'")  # fmt: skip


def test_statuses_of_the_errors(url: str) -> None:
    response = post(url, "/json/2/res.partner/create", {"ids": [1], "vals_list": [{}]})
    assert_error(response, 422, "werkzeug.exceptions.UnprocessableEntity",
                 "cannot call res.partner.create with ids")  # fmt: skip
    response = post(url, "/json/2/no.model/search", {"domain": []})
    error = assert_error(response, 404, "werkzeug.exceptions.NotFound",
                         "the model 'no.model' does not exist")  # fmt: skip
    assert error["arguments"] == ["the model 'no.model' does not exist", 404]
    response = post(url, "/json/2/res.partner/write", {"ids": [99], "vals": {}})
    assert_error(response, 404, "odoo.exceptions.MissingError",
                 "Record does not exist or has been deleted.")  # fmt: skip
    response = post(url, "/json/2/res.partner/unlink", {"ids": [1]})
    error = assert_error(response, 500, "builtins.ValueError",
                         "Invalid field 'x' on model 'res.partner'")  # fmt: skip
    assert error["debug"].endswith("ValueError: Invalid field 'x' on model 'res.partner'\n")


def test_other_shapes_and_verbs_are_404_with_a_hint(url: str) -> None:
    hint = "Did you mean POST /json/2/<model>/<method>?"
    for method, path in [("GET", "/json/2/res.partner/search"), ("POST", "/json/2"),
                         ("POST", "/json/2/res.partner")]:  # fmt: skip
        response = requests.request(method, url + path, headers=headers())
        assert_error(response, 404, "werkzeug.exceptions.NotFound", hint)


def test_a_browser_session_needs_sec_fetch_headers(url: str) -> None:
    http = web_login(url)
    path = f"{url}/json/2/res.partner/search"
    response = http.post(path, json={"domain": []})
    assert_error(response, 403, "odoo.exceptions.AccessDenied",
                 'Missing "Authorization" or Sec-headers for interactive usage')  # fmt: skip
    assert http.post(path, json={"domain": []}, headers=SEC_FETCH).json() == [1, 2, 3]


def test_a_session_cookie_and_another_database_header_conflict(url: str) -> None:
    http = web_login(url)
    response = http.post(f"{url}/json/2/res.partner/search", json={"domain": []},
                         headers=headers(**{"X-Odoo-Database": "other"}))  # fmt: skip
    assert response.status_code == 403


def test_doc_bearer(url: str) -> None:
    response = requests.get(f"{url}/doc-bearer/res.partner.json", headers=headers())
    assert response.json()["model"] == "res.partner"
    response = requests.get(f"{url}/doc-bearer/no.model.json", headers=headers())
    assert response.status_code == 404


def test_odoo_18_has_no_json_2() -> None:
    with serve(FakeService("18.0")) as url:
        assert post(url, "/json/2/res.partner/search", {"domain": []}).status_code == 404
        assert requests.get(f"{url}/web/version").status_code == 404
