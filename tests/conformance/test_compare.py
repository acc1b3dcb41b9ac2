"""The comparison rules, checked on the recordings themselves (no server needed).

A recorded answer must compare equal to itself; any change to a value the rules do not
excuse must be reported at its JSON pointer; the excuses (volatile values, numeric
equality, multisets, date shifts, traceback frames, cookie values) must hold.
"""

from __future__ import annotations

import copy
import datetime as dt
import xmlrpc.client
from typing import Any

import pytest

from .compare import (
    RECORDED_ON,
    Observation,
    compare_step,
    cookie_shape,
    decode_json_body,
    decode_xmlrpc_body,
    pointer_tokens,
    resolve,
    shift_dates,
    traceback_exception,
)
from .replay import load_cases, load_scenarios

pytestmark = pytest.mark.conformance

CASES = load_cases()
SCENARIOS = load_scenarios()
STEPS = CASES + [step for scenario in SCENARIOS for step in scenario["steps"]]
BY_ID = {step["id"]: step for step in STEPS}
TODAY = [RECORDED_ON]


def recorded(step: dict[str, Any], response: Any = None) -> Observation:
    """The observation a perfect server would make for ``step``."""
    headers = step.get("response_headers") or {}
    cookie = headers.get("Set-Cookie")
    cookies = [cookie.replace("<redacted>", "abc123")] if cookie else []
    return Observation(
        http_status=step["http_status"],
        response=copy.deepcopy(step["response"]) if response is None else response,
        content_type=headers.get("Content-Type"),
        set_cookies=cookies,
    )


def with_value(step: dict[str, Any], pointer: str, value: Any) -> Observation:
    response = copy.deepcopy(step["response"])
    tokens = pointer_tokens(pointer)[1:]  # below /response
    parent = resolve(response, tokens[:-1])
    parent[int(tokens[-1]) if isinstance(parent, list) else tokens[-1]] = value
    return recorded(step, response)


def leaves(value: Any, pointer: str = "/response") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, f"{pointer}/{key}")]
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in leaves(item, f"{pointer}/{i}")]
    return [(pointer, value)]


def changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    return "x"


def excused(step: dict[str, Any], pointer: str) -> bool:
    hints = [*step.get("volatile", ()), *step.get("truncated", {}), *step.get("unordered", ())]
    if step.get("ordering_ties"):
        hints.append("/response/result")
    return any(pointer == hint or pointer.startswith(hint + "/") for hint in hints)


# -- a recording equals itself ------------------------------------------------------


def test_every_recording_compares_equal_to_itself() -> None:
    differences = {
        step["id"]: str(found)
        for step in STEPS
        if (found := compare_step(step, recorded(step), TODAY)) is not None
    }
    assert differences == {}


def test_xmlrpc_bodies_decode_like_the_recorder() -> None:
    for step in STEPS:
        if step["protocol"] != "xmlrpc" or "/raw_response" in step.get("truncated", {}):
            continue
        decoded = decode_xmlrpc_body(step["raw_response"].encode())
        assert decoded == step["response"], step["id"]
        found = compare_step(step, recorded(step, decoded), TODAY)
        assert found is None, (step["id"], str(found))


def test_xmlrpc_decoding_keeps_exotic_values_recognisable() -> None:
    body = xmlrpc.client.dumps(
        ([xmlrpc.client.DateTime("20261127T13:20:00"), xmlrpc.client.Binary(b"hi")],),
        methodresponse=True,
    )
    assert decode_xmlrpc_body(body.encode()) == {
        "result": [{"__xmlrpc_datetime__": "20261127T13:20:00"}, {"__xmlrpc_base64__": "aGk="}]
    }


def test_undecodable_bodies_are_kept_as_text() -> None:
    assert decode_json_body(b"<html>404</html>") == {"__non_json_body__": "<html>404</html>"}
    assert decode_xmlrpc_body(b"Not Found") == {"__non_json_body__": "Not Found"}


# -- a change is reported where it is ------------------------------------------------


def test_every_changed_value_is_reported_at_its_pointer() -> None:
    checked = 0
    for step in STEPS:
        candidates = [(p, v) for p, v in leaves(step["response"]) if not excused(step, p)]
        for pointer, value in candidates[:1] + candidates[-1:]:
            found = compare_step(step, with_value(step, pointer, changed(value)), TODAY)
            assert found is not None, (step["id"], pointer)
            assert found.pointer == pointer, (step["id"], str(found))
            checked += 1
    assert checked > 1000


def test_a_message_shows_the_pointer_and_both_values_shortly() -> None:
    step = BY_ID["common-013"]
    found = compare_step(step, with_value(step, "/response/result/name", "Marc Démo"), TODAY)
    assert str(found) == '/response/result/name: expected "Marc Demo", got "Marc Démo"'
    long_value = "x" * 1000
    found = compare_step(step, with_value(step, "/response/result/name", long_value), TODAY)
    assert found is not None and len(str(found)) < 250


def test_missing_and_unexpected_keys_are_differences() -> None:
    step = BY_ID["common-013"]
    response = copy.deepcopy(step["response"])
    del response["result"]["username"]
    found = compare_step(step, recorded(step, response), TODAY)
    assert found is not None and found.pointer == "/response/result/username"
    assert "missing key" in str(found)
    response = copy.deepcopy(step["response"])
    response["result"]["extra"] = 1
    found = compare_step(step, recorded(step, response), TODAY)
    assert found is not None and "unexpected key" in str(found)


def test_a_method_returning_none_has_no_result_key() -> None:
    step = BY_ID["common-061"]  # /web/session/check -> {"jsonrpc", "id"}
    found = compare_step(step, recorded(step, {**step["response"], "result": None}), TODAY)
    assert found is not None and found.pointer == "/response/result"


def test_array_length_differences_are_reported() -> None:
    step = next(
        s
        for s in STEPS
        if isinstance(s["response"].get("result"), list) and len(s["response"]["result"]) == 3
    )
    response = copy.deepcopy(step["response"])
    response["result"].pop()
    found = compare_step(step, recorded(step, response), TODAY)
    assert found is not None and found.pointer == "/response/result/2"
    assert "3 items expected, got 2" in str(found)


# -- what the rules excuse ----------------------------------------------------------


def test_numbers_compare_numerically_but_booleans_are_not_numbers() -> None:
    step = {
        "http_status": 200,
        "response_headers": {"Content-Type": "application/json; charset=utf-8"},
        "response": {"result": [1740.0, 0, False, 0.1 + 0.2]},
        "volatile": [],
    }
    assert compare_step(step, recorded(step, {"result": [1740, 0.0, False, 0.3]}), TODAY) is None
    assert compare_step(step, recorded(step, {"result": [1740, False, False, 0.3]}), TODAY)
    assert compare_step(step, recorded(step, {"result": [1740, 0, 0, 0.3]}), TODAY)
    assert compare_step(step, recorded(step, {"result": [1740.01, 0, False, 0.3]}), TODAY)


def test_volatile_values_are_ignored_but_must_be_present() -> None:
    step = next(s for s in STEPS if "/response/error/data/debug" in s["volatile"])
    assert compare_step(step, with_value(step, "/response/error/data/debug", "?"), TODAY) is None
    response = copy.deepcopy(step["response"])
    del response["error"]["data"]["debug"]
    found = compare_step(step, recorded(step, response), TODAY)
    assert found is not None and found.pointer == "/response/error/data/debug"


def test_ordering_ties_compare_as_multisets_keeping_the_key_sequence() -> None:
    step = BY_ID["order-063"]  # date_order desc, 4 rows tie on 13:20:59, 9 on 13:20:56
    rows = step["response"]["result"]
    by_id = {row["id"]: row for row in rows}
    with_id_asc = [by_id[i] for i in step["ordering_ties"]["with_id_asc"]]
    assert (
        compare_step(step, recorded(step, {**step["response"], "result": with_id_asc}), TODAY)
        is None
    )
    broken = [rows[-1], *rows[:-1]]  # the 13:20:55 row first: keys out of sequence
    found = compare_step(step, recorded(step, {**step["response"], "result": broken}), TODAY)
    assert found is not None and "out of order" in str(found)
    renamed = [{**rows[0], "name": "S99999"}, *rows[1:]]
    found = compare_step(step, recorded(step, {**step["response"], "result": renamed}), TODAY)
    assert found is not None and "multiset" in str(found)


def test_ordering_ties_cut_by_a_limit_may_return_other_tied_rows() -> None:
    step = {
        "http_status": 200,
        "response_headers": {"Content-Type": "application/json; charset=utf-8"},
        "response": {"result": [{"id": 1, "d": "c"}, {"id": 4, "d": "b"}, {"id": 2, "d": "a"}]},
        "volatile": [],
        "ordering_ties": {"order": "d desc"},
    }
    # id 2 ties with others at the cut (limit 3): another of them may come back instead
    other_tie = {"result": [{"id": 1, "d": "c"}, {"id": 4, "d": "b"}, {"id": 9, "d": "a"}]}
    assert compare_step(step, recorded(step, other_tie), TODAY) is None
    middle = {"result": [{"id": 1, "d": "c"}, {"id": 7, "d": "b"}, {"id": 2, "d": "a"}]}
    found = compare_step(step, recorded(step, middle), TODAY)
    assert found is not None and "multiset" in str(found)
    changed_record = {
        "result": [{"id": 1, "d": "c"}, {"id": 4, "d": "b"}, {"id": 2, "d": "a", "x": 1}]
    }
    assert compare_step(step, recorded(step, changed_record), TODAY) is not None


def test_unordered_arrays_ignore_order_and_keep_volatile_parts_hidden() -> None:
    step = {
        "http_status": 200,
        "response_headers": {"Content-Type": "application/json; charset=utf-8"},
        "response": {"result": [{"id": 1, "write_date": "a"}, {"id": 2, "write_date": "b"}]},
        "unordered": ["/response/result"],
        "volatile": ["/response/result/0/write_date", "/response/result/1/write_date"],
    }
    swapped = {"result": [{"id": 2, "write_date": "y"}, {"id": 1, "write_date": "z"}]}
    assert compare_step(step, recorded(step, swapped), TODAY) is None
    other = {"result": [{"id": 2, "write_date": "y"}, {"id": 3, "write_date": "z"}]}
    assert compare_step(step, recorded(step, other), TODAY) is not None


def test_date_dependent_values_move_with_the_replay_date() -> None:
    step = BY_ID["sale-order-workflow-xmlrpc-05"]
    recorded_date = step["response"]["result"][0]["validity_date"]
    later = RECORDED_ON + dt.timedelta(days=3)
    moved = shift_dates(recorded_date, 3)
    assert moved != recorded_date
    pointer = "/response/result/0/validity_date"
    assert compare_step(step, with_value(step, pointer, moved), [later]) is None
    assert compare_step(step, with_value(step, pointer, recorded_date), [later]) is not None
    # either candidate "today" may match (UTC and the user's timezone around midnight)
    assert compare_step(step, with_value(step, pointer, moved), [RECORDED_ON, later]) is None


def test_shift_dates_moves_dates_and_datetimes_only() -> None:
    assert shift_dates(["2026-11-27", "2026-11-27 13:20:44", "S00027", 5], 5) == [
        "2026-12-02",
        "2026-12-02 13:20:44",
        "S00027",
        5,
    ]


def test_truncated_fields_get_compares_the_sorted_keys() -> None:
    step = BY_ID["misc-027"]
    full = {name: {"type": "char"} for name in step["response"]["result"]}
    assert compare_step(step, recorded(step, {**step["response"], "result": full}), TODAY) is None
    del full["email"]
    found = compare_step(step, recorded(step, {**step["response"], "result": full}), TODAY)
    assert found is not None


# -- protocol envelopes -----------------------------------------------------------------


def test_http_status_and_content_type_are_compared() -> None:
    step = BY_ID["common-013"]
    observation = recorded(step)
    assert compare_step(step, Observation(500, observation.response, "text/html", []), TODAY)
    found = compare_step(
        step, Observation(200, observation.response, "application/json", []), TODAY
    )
    assert found is not None and found.pointer == "/response_headers/Content-Type"


def test_xmlrpc_faults_compare_the_exception_lines_not_the_frames() -> None:
    step = BY_ID["errors-075"]  # ValueError: Invalid field ... in leaf
    sandbox_traceback = (
        "Traceback (most recent call last):\n"
        '  File "/sandbox/domain.py", line 10, in parse\n'
        "    raise ValueError(...)\n" + step["fault_exception"]
    )
    fault = {"fault": {"faultCode": 1, "faultString": sandbox_traceback}}
    assert compare_step(step, recorded(step, fault), TODAY) is None
    wrong = {"fault": {"faultCode": 1, "faultString": sandbox_traceback.replace("leaf", "term")}}
    found = compare_step(step, recorded(step, wrong), TODAY)
    assert found is not None and found.pointer == "/fault_exception"
    wrong_code = {"fault": {"faultCode": 2, "faultString": sandbox_traceback}}
    found = compare_step(step, recorded(step, wrong_code), TODAY)
    assert found is not None and found.pointer == "/response/fault/faultCode"


def test_environment_specific_fault_text_compares_the_exception_name_only() -> None:
    step = BY_ID["errors-009"]  # unknown database: PostgreSQL host/port in the message
    assert "/fault_exception" in step["volatile"]
    text = "Traceback (most recent call last):\n  [sandbox]\npsycopg2.OperationalError: nope\n"
    assert (
        compare_step(step, recorded(step, {"fault": {"faultCode": 1, "faultString": text}}), TODAY)
        is None
    )
    text = text.replace("psycopg2.OperationalError", "KeyError")
    assert compare_step(
        step, recorded(step, {"fault": {"faultCode": 1, "faultString": text}}), TODAY
    )


def test_traceback_exception_takes_the_last_exception_with_all_its_lines() -> None:
    text = (
        "Traceback (most recent call last):\n  File x\n    y\nKeyError: 1\n\n"
        "During handling of the above exception, another exception occurred:\n\n"
        "Traceback (most recent call last):\n  File z\n"
        'psycopg2.errors.InvalidTextRepresentation: bad "abc"\nLINE 1: ...\n    ^\n\n'
    )
    assert traceback_exception(text) == (
        'psycopg2.errors.InvalidTextRepresentation: bad "abc"\nLINE 1: ...\n    ^\n\n'
    )
    assert traceback_exception("Access Denied") == "Access Denied"


def test_set_cookie_compares_names_and_attributes_not_values() -> None:
    step = BY_ID["common-003"]  # version_info without a cookie creates a session
    observation = recorded(step)
    assert compare_step(step, observation, TODAY) is None
    other_day = observation.set_cookies[0].replace(
        "Sat, 27 Nov 2027 13:50:06", "Sun, 28 Nov 2027 01:02:03"
    )
    found = compare_step(
        step, Observation(200, observation.response, observation.content_type, [other_day]), TODAY
    )
    assert found is None
    no_httponly = other_day.replace("HttpOnly; ", "")
    found = compare_step(
        step, Observation(200, observation.response, observation.content_type, [no_httponly]), TODAY
    )
    assert found is not None and found.pointer == "/response_headers/Set-Cookie"
    found = compare_step(
        step, Observation(200, observation.response, observation.content_type, []), TODAY
    )
    assert found is not None and "missing Set-Cookie" in str(found)


def test_a_cookie_odoo_does_not_send_is_a_difference() -> None:
    step = BY_ID["common-061"]
    observation = recorded(step)
    extra = Observation(
        200, observation.response, observation.content_type, ["session_id=x; Path=/"]
    )
    found = compare_step(step, extra, TODAY)
    assert found is not None and "unexpected Set-Cookie" in str(found)


def test_cookie_shape_splits_joined_headers_despite_commas_in_dates() -> None:
    header = (
        "cids=; Expires=Sat, 27 Nov 2027 13:59:55 GMT; Max-Age=0; Path=/, "
        "session_id=<redacted>; Expires=Sat, 27 Nov 2027 13:59:55 GMT; Max-Age=604800; HttpOnly; Path=/"
    )
    assert cookie_shape(header) == [
        ("cids", (("expires", "<date>"), ("max-age", "0"), ("path", "/"))),
        (
            "session_id",
            (("expires", "<date>"), ("httponly", ""), ("max-age", "604800"), ("path", "/")),
        ),
    ]


def test_strict_mode_also_checks_number_types_key_order_and_xml_bodies() -> None:
    step = next(
        s
        for s in STEPS
        if s["protocol"] == "xmlrpc" and not s["volatile"] and "result" in s["response"]
    )
    body = step["raw_response"]
    observation = Observation(
        200, copy.deepcopy(step["response"]), "text/xml; charset=utf-8", [], body
    )
    assert compare_step(step, observation, TODAY, strict=True) is None
    other = Observation(
        200, observation.response, observation.content_type, [], body + "\n<!-- -->"
    )
    assert compare_step(step, other, TODAY) is None
    found = compare_step(step, other, TODAY, strict=True)
    assert found is not None and found.pointer == "/raw_response"

    plain = {
        "http_status": 200,
        "response_headers": {"Content-Type": "application/json; charset=utf-8"},
        "response": {"result": {"a": 1740.0, "b": 1}},
        "volatile": [],
    }
    assert compare_step(plain, recorded(plain, {"result": {"a": 1740, "b": 1}}), TODAY) is None
    found = compare_step(
        plain, recorded(plain, {"result": {"a": 1740, "b": 1}}), TODAY, strict=True
    )
    assert found is not None and "int/float" in str(found)
    found = compare_step(
        plain, recorded(plain, {"result": {"b": 1, "a": 1740.0}}), TODAY, strict=True
    )
    assert found is not None and "key order" in str(found)
