"""One exception hierarchy for every protocol, checked against real Odoo 18 answers.

The recorded cases of ``errors.json`` send the same failing call over XML-RPC,
JSON-RPC and the web routes: each group must map to one client class, whatever the
protocol, with Odoo's message.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from typing import Any

import pytest

import odoo_frames as of
from odoo_frames import errors
from odoo_frames.transport.faults import (
    from_json2_error,
    from_jsonrpc_error,
    from_xmlrpc_fault,
    split_traceback,
)
from odoo_frames.transport.xmlrpc import decode_answer

from .conftest import reference_cases

# --- the hierarchy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (errors.AuthenticationError, PermissionError),
        (errors.AccessError, PermissionError),
        (errors.MissingError, LookupError),
        (errors.ValidationError, ValueError),
        (errors.ModelNotFound, KeyError),
        (errors.MethodNotFound, AttributeError),
        (errors.ConfigurationError, ValueError),
        (errors.DatabaseNotFound, LookupError),
        (errors.ArgumentError, TypeError),
        (errors.ConnectError, ConnectionError),
        (errors.RequestTimeout, TimeoutError),
    ],
)
def test_classes_are_also_the_builtin_a_user_would_catch(cls: type, builtin: type) -> None:
    assert issubclass(cls, builtin)
    assert issubclass(cls, of.OdooError)


def test_the_tree_of_the_docstring() -> None:
    assert issubclass(of.MissingError, of.UserError)
    assert issubclass(of.ValidationError, of.UserError)
    assert issubclass(of.SessionExpired, of.AuthenticationError)
    for cls in (
        of.AuthenticationError,
        of.AccessError,
        of.UserError,
        of.ConcurrencyError,
        of.ServerError,
    ):
        assert issubclass(cls, of.RemoteError)
    for cls in (
        of.ConnectError,
        of.RequestTimeout,
        of.ProtocolError,
        of.RateLimited,
        of.ServerUnavailable,
    ):
        assert issubclass(cls, of.TransportError)
    for name in errors.__all__:
        assert name in (errors.__doc__ or ""), f"{name} missing from the drawn tree"


def test_message_is_plain_even_for_key_error_subclasses() -> None:
    error = errors.ModelNotFound("no model 'x'")
    assert str(error) == "no model 'x'"  # KeyError would print "\"no model 'x'\""


def test_errors_survive_pickling_with_their_attributes() -> None:
    error = errors.AccessError("nope", remote_type="odoo.exceptions.AccessError", model="res.users")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is errors.AccessError
    assert (str(copy), copy.remote_type, copy.model) == (
        "nope",
        "odoo.exceptions.AccessError",
        "res.users",
    )
    limited = pickle.loads(pickle.dumps(errors.RateLimited("slow down", retry_after=3.0)))
    assert limited.retry_after == 3.0


def test_transient_is_per_class_and_per_instance() -> None:
    assert errors.ConnectError("reset").transient
    assert not errors.ConnectError("bad certificate", transient=False).transient
    assert errors.ConcurrencyError("serialization failure").transient
    assert not errors.ValidationError("no").transient


# --- recorded Odoo 18 error answers -------------------------------------------------------


def _decode(case: dict[str, Any]) -> Exception | None:
    """The client exception for a recorded answer, or None when it is a result."""
    protocol, response = case["protocol"], case["response"]
    if protocol == "xmlrpc":
        raw = case.get("raw_response")
        if raw:
            try:
                decode_answer(raw.encode())
            except errors.RemoteError as error:
                return error
            return None
        fault = response.get("fault")
        return from_xmlrpc_fault(fault["faultCode"], fault["faultString"]) if fault else None
    if isinstance(response, dict) and "error" in response:
        return from_jsonrpc_error(response["error"], protocol=protocol)
    return None


#: Client class expected for each ``error.data.name`` recorded.
EXPECTED = {
    "odoo.exceptions.AccessDenied": errors.AuthenticationError,
    "odoo.exceptions.AccessError": errors.AccessError,
    "odoo.exceptions.MissingError": errors.MissingError,
    "odoo.exceptions.ValidationError": errors.ValidationError,
    "odoo.exceptions.UserError": errors.ModelNotFound,  # the only one recorded: unknown model
    "werkzeug.exceptions.NotFound": errors.ServerError,  # web transport turns it into ModelNotFound
}


def _cases() -> list[dict[str, Any]]:
    return reference_cases("errors") + reference_cases("common")


def test_every_recorded_json_error_maps_by_its_name() -> None:
    seen = 0
    for case in _cases():
        response = case["response"]
        if case["protocol"] == "xmlrpc" or not (isinstance(response, dict) and "error" in response):
            continue
        error = _decode(case)
        data = response["error"]["data"]
        expected = EXPECTED.get(data["name"], errors.ServerError)
        assert type(error) is expected, (case["id"], data["name"], type(error))
        assert isinstance(error, errors.RemoteError)
        assert error.remote_type == data["name"]
        assert error.message == data["message"], case["id"]
        assert error.remote_traceback == data["debug"]
        seen += 1
    assert seen > 30


def test_each_group_maps_to_one_class_on_every_protocol() -> None:
    """XML-RPC fault codes and JSON-RPC names of the same failing call agree."""
    groups: dict[str, dict[str, Exception | None]] = defaultdict(dict)
    # (common.json is left out: authenticate answers False over RPC where the web route
    # raises; the transports turn both into AuthenticationError, see test_transports.)
    for case in reference_cases("errors"):
        if case["endpoint"].startswith("/web/dataset/call_kw/no.such.model"):
            continue  # the web route answers 404: see test_web_unknown_model_is_model_not_found
        groups[case["group"]][case["id"]] = _decode(case)
    compared = 0
    for group, decoded in groups.items():
        classes = {type(e).__name__ for e in decoded.values()}
        assert len(classes) == 1, (group, {k: type(v).__name__ for k, v in decoded.items()})
        compared += len(decoded) > 1 and None not in decoded.values()
    assert compared > 15


def test_xmlrpc_faults_carry_odoos_message() -> None:
    for case in reference_cases("errors"):
        if case["protocol"] != "xmlrpc" or "fault" not in case["response"]:
            continue
        fault = case["response"]["fault"]
        error = from_xmlrpc_fault(fault["faultCode"], fault["faultString"])
        if fault["faultCode"] == 1:
            # The message is the exception line(s) of the traceback, as JSON-RPC's data.message.
            assert error.remote_traceback == fault["faultString"]
            assert error.message and "Traceback" not in error.message
        elif isinstance(fault["faultCode"], int):
            assert error.message == fault["faultString"]


@pytest.mark.parametrize(
    ("code", "text", "cls"),
    [
        (
            1,
            "Traceback (most recent call last):\n  [frames]\nValueError: Invalid field\n",
            errors.ServerError,
        ),
        (
            2,
            "Record does not exist or has been deleted.\n(Record: res.partner(9,), User: 2)",
            errors.MissingError,
        ),
        (2, "The operation cannot be completed: Contacts require a name", errors.ValidationError),
        (2, "You cannot confirm an order without lines.", errors.UserError),
        (2, "Object no.such.model doesn't exist", errors.ModelNotFound),
        (3, "Access Denied", errors.AuthenticationError),
        (4, "You are not allowed to modify 'User' (res.users) records.", errors.AccessError),
        (
            1,
            "Traceback (most recent call last):\n  x\npsycopg2.errors.SerializationFailure: could not serialize\n",
            errors.ConcurrencyError,
        ),
        (
            1,
            "Traceback (most recent call last):\n  x\nAttributeError: The method 'res.partner.nope' does not exist\n",
            errors.MethodNotFound,
        ),
        ("warning -- MissingError\n\nRecord does not exist", "", errors.MissingError),
        ("warning -- AccessError\n\nnope", "", errors.AccessError),
        ("AccessDenied", "Access Denied", errors.AuthenticationError),
    ],
)
def test_xmlrpc_fault_codes(code: Any, text: str, cls: type) -> None:
    assert type(from_xmlrpc_fault(code, text)) is cls


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (
            401,
            {"name": "werkzeug.exceptions.Unauthorized", "message": "Invalid apikey"},
            errors.AuthenticationError,
        ),
        (
            403,
            {"name": "odoo.exceptions.AccessError", "message": "You are not allowed"},
            errors.AccessError,
        ),
        (
            404,
            {"name": "odoo.exceptions.MissingError", "message": "Record does not exist"},
            errors.MissingError,
        ),
        (
            404,
            {"name": "werkzeug.exceptions.NotFound", "message": "the model 'x.y' does not exist"},
            errors.ModelNotFound,
        ),
        (
            404,
            {
                "name": "werkzeug.exceptions.NotFound",
                "message": "The method 'res.partner.nope' does not exist",
            },
            errors.MethodNotFound,
        ),
        (409, {"name": "odoo.exceptions.LockError", "message": "locked"}, errors.ConcurrencyError),
        (
            422,
            {"name": "odoo.exceptions.ValidationError", "message": "bad"},
            errors.ValidationError,
        ),
        (422, {"name": "odoo.exceptions.UserError", "message": "no lines"}, errors.UserError),
        (
            422,
            {
                "name": "werkzeug.exceptions.UnprocessableEntity",
                "message": "missing a required argument: 'domain'",
            },
            errors.ServerError,
        ),
        (500, {"name": "builtins.ValueError", "message": "Invalid field"}, errors.ServerError),
        (403, {"message": "forbidden"}, errors.AccessError),
    ],
)
def test_json2_statuses(status: int, body: dict[str, Any], cls: type) -> None:
    error = from_json2_error(status, body)
    assert type(error) is cls
    assert error.http_status == status
    assert error.message == body["message"]


def test_session_expired_envelope() -> None:
    error = from_jsonrpc_error(
        {
            "code": 100,
            "message": "Odoo Session Expired",
            "data": {
                "name": "odoo.http.SessionExpiredException",
                "message": "Session expired",
                "debug": "",
            },
        },
        protocol="web",
    )
    assert isinstance(error, errors.SessionExpired)


def test_split_traceback_keeps_multiline_messages() -> None:
    text = (
        'Traceback (most recent call last):\n  File "x.py", line 1\n    y()\n'
        "psycopg2.errors.InvalidTextRepresentation: invalid input\nLINE 1: SELECT 'x'\n"
    )
    assert split_traceback(text) == (
        "psycopg2.errors.InvalidTextRepresentation",
        "invalid input\nLINE 1: SELECT 'x'",
    )
    assert split_traceback("Traceback (most recent call last):\n  x\nKeyError: 'a'\n") == (
        "builtins.KeyError",
        "'a'",
    )
