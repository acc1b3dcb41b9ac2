"""Compare a live response with a recorded Odoo 18.0 exchange (README section 5).

A recorded case (or scenario step) says what real Odoo answered; an :class:`Observation`
says what the server under test answered. :func:`compare_step` applies the corpus rules
and returns the first :class:`Difference` (or ``None``):

* ``http_status`` and the ``Content-Type`` header are compared exactly;
* ``Set-Cookie``: cookie names and attributes are compared, never the cookie value nor
  ``Expires`` (a timestamp); a cookie the recording does not have is a difference;
* ``response`` is compared structurally: dict keys must match (their order is free),
  numbers compare numerically (``1740.0 == 1740``, but ``True != 1``), everything else
  exactly;
* ``volatile`` pointers: the key must be present, its value is ignored;
* ``unordered`` pointers and the result of an ``ordering_ties`` case compare as multisets
  (for ``ordering_ties`` the sort-key values must still come in the recorded sequence);
* ``truncated`` pointers: the live value is shortened the way the recorder did;
* ``date_dependent`` pointers: recorded dates move by the days between the recording
  (2026-11-27) and the replay date;
* XML-RPC faults carrying a traceback: ``faultCode`` plus the final exception lines of the
  ``faultString`` (``fault_exception``) instead of the traceback.

Example::

    >>> case = {"http_status": 200, "response": {"result": [1740.0]},
    ...         "response_headers": {"Content-Type": "text/xml; charset=utf-8"},
    ...         "volatile": []}
    >>> seen = Observation(200, {"result": [1740]}, "text/xml; charset=utf-8", [])
    >>> compare_step(case, seen) is None
    True
    >>> seen = Observation(200, {"result": [1741]}, "text/xml; charset=utf-8", [])
    >>> print(compare_step(case, seen))
    /response/result/0: expected 1740.0, got 1741
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import itertools
import json
import math
import re
import xmlrpc.client
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from defusedxml.xmlrpc import DefusedExpatParser

#: The day every recording was made (README section 1).
RECORDED_ON = dt.date(2026, 11, 27)

#: How long a value may be in a difference message before it is shortened.
MAX_SHOWN = 160

_MISSING = object()
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})((?:[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?)?)$")


# --------------------------------------------------------------------------------------
# What the server under test answered
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    """One HTTP answer, decoded the way the recorder decoded Odoo's."""

    http_status: int
    #: parsed JSON body, ``{"result"|"fault": ...}`` for XML-RPC, or
    #: ``{"__non_json_body__": text}`` when the body could not be decoded.
    response: Any
    content_type: str | None
    #: every ``Set-Cookie`` header, as sent.
    set_cookies: list[str] = field(default_factory=list)
    #: the body text (only the strict comparison of XML-RPC bodies needs it)
    body: str | None = None


def decode_json_body(body: bytes) -> Any:
    """The parsed JSON body, or ``{"__non_json_body__": text}`` (e.g. an HTML 404 page)."""
    try:
        return json.loads(body)
    except ValueError:
        return {"__non_json_body__": body.decode("utf-8", "replace")}


def decode_xmlrpc_body(body: bytes) -> Any:
    """``{"result": value}`` or ``{"fault": {"faultCode", "faultString"}}`` (README section 3).

    Parsed with defusedxml's expat parser; ``<dateTime.iso8601>`` and ``<base64>`` values
    become ``{"__xmlrpc_datetime__": ...}`` / ``{"__xmlrpc_base64__": ...}`` as in the
    recordings. A body that is not an XML-RPC response gives ``{"__non_json_body__": text}``.
    """
    unmarshaller = xmlrpc.client.Unmarshaller(use_datetime=False, use_builtin_types=False)
    parser = DefusedExpatParser(unmarshaller)
    try:
        parser.feed(body)
        parser.close()
        values = unmarshaller.close()
    except xmlrpc.client.Fault as fault:
        return {"fault": {"faultCode": fault.faultCode, "faultString": fault.faultString}}
    except Exception:
        return {"__non_json_body__": body.decode("utf-8", "replace")}
    return {"result": _plain_xmlrpc_value(values[0] if len(values) == 1 else list(values))}


def _plain_xmlrpc_value(value: Any) -> Any:
    if isinstance(value, xmlrpc.client.DateTime):
        return {"__xmlrpc_datetime__": value.value}
    if isinstance(value, xmlrpc.client.Binary):
        return {"__xmlrpc_base64__": base64.b64encode(value.data).decode("ascii")}
    if isinstance(value, dict):
        return {key: _plain_xmlrpc_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_xmlrpc_value(item) for item in value]
    return value


def traceback_exception(fault_string: str) -> str:
    """The final exception lines of a Python traceback text (the corpus' ``fault_exception``).

    ``"Traceback (most recent call last):\\n  File ...\\n    code\\nValueError: x\\n"`` gives
    ``"ValueError: x\\n"``; a text that is not a traceback is returned unchanged.
    """
    marker = "Traceback (most recent call last):\n"
    start = fault_string.rfind(marker)
    if start < 0:
        return fault_string
    lines = fault_string[start + len(marker) :].splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.strip() and not line[0].isspace():
            return "".join(lines[index:])
    return ""


def exception_name(exception_lines: str) -> str:
    """``"psycopg2.OperationalError: connection ..."`` -> ``"psycopg2.OperationalError"``."""
    first = exception_lines.split("\n", 1)[0]
    return first.split(":", 1)[0].strip()


# --------------------------------------------------------------------------------------
# Differences
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """The first place where the live answer differs from the recording."""

    pointer: str
    expected: Any
    actual: Any
    #: short explanation when "expected X, got Y" is not enough.
    reason: str = ""

    def __str__(self) -> str:
        if self.reason:
            text = f"{self.pointer}: {self.reason}"
            if self.expected is not _MISSING or self.actual is not _MISSING:
                text += f" (expected {shorten(self.expected)}, got {shorten(self.actual)})"
            return text
        return f"{self.pointer}: expected {shorten(self.expected)}, got {shorten(self.actual)}"

    @property
    def cause(self) -> str:
        """A coarse key to group differences by (indexes and ids replaced by ``N``)."""
        pointer = re.sub(r"/\d+(?=/|$)", "/N", self.pointer)
        return f"{pointer}: {self.reason or 'value'}"


def shorten(value: Any, limit: int = MAX_SHOWN) -> str:
    if value is _MISSING:
        return "<missing>"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------------------
# JSON pointers
# --------------------------------------------------------------------------------------


def pointer_tokens(pointer: str) -> list[str]:
    """RFC 6901: ``"/a~1b/0"`` -> ``["a/b", "0"]``."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def join_pointer(pointer: str, token: str | int) -> str:
    return f"{pointer}/{str(token).replace('~', '~0').replace('/', '~1')}"


def resolve(document: Any, tokens: Sequence[str]) -> Any:
    """The value at ``tokens`` or ``_MISSING``."""
    value = document
    for token in tokens:
        if isinstance(value, dict):
            value = value.get(token, _MISSING)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return _MISSING
        if value is _MISSING:
            return _MISSING
    return value


def _replace(document: Any, tokens: Sequence[str], transform: Any) -> Any:
    """A copy of ``document`` with ``transform(value)`` at ``tokens`` (unchanged if absent)."""
    if not tokens:
        return transform(document)
    head, rest = tokens[0], tokens[1:]
    if isinstance(document, dict) and head in document:
        return {**document, head: _replace(document[head], rest, transform)}
    if isinstance(document, list) and head.isdigit() and int(head) < len(document):
        index = int(head)
        return [
            *document[:index],
            _replace(document[index], rest, transform),
            *document[index + 1 :],
        ]
    return document


# --------------------------------------------------------------------------------------
# Value rules
# --------------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def numbers_equal(expected: float, actual: float) -> bool:
    """Numeric equality; a relative 1e-9 absorbs float summation order, nothing more."""
    return expected == actual or math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-9)


def canonical(value: Any) -> str:
    """A hashable text equal for values the comparison calls equal (for multisets)."""

    def normal(item: Any) -> Any:
        if isinstance(item, bool) or item is None or isinstance(item, str):
            return item
        if isinstance(item, float):
            return int(item) if item.is_integer() else round(item, 9)
        if isinstance(item, dict):
            return {key: normal(sub) for key, sub in item.items()}
        if isinstance(item, list):
            return [normal(sub) for sub in item]
        return item

    return json.dumps(normal(value), sort_keys=True, ensure_ascii=False)


def shift_dates(value: Any, days: int) -> Any:
    """Move every ``YYYY-MM-DD[ HH:MM:SS]`` string in ``value`` by ``days`` days."""
    if days == 0:
        return value
    if isinstance(value, str):
        match = _DATE.match(value)
        if not match:
            return value
        day = dt.date.fromisoformat(match.group(1)) + dt.timedelta(days=days)
        return day.isoformat() + match.group(2)
    if isinstance(value, list):
        return [shift_dates(item, days) for item in value]
    if isinstance(value, dict):
        return {key: shift_dates(item, days) for key, item in value.items()}
    return value


def _truncate(description: str) -> Any:
    """The transformation the recorder applied, from its ``truncated`` description."""
    if "sorted list of its keys" in description:
        return lambda value: sorted(value) if isinstance(value, dict) else value
    match = re.search(r"first (\d+) characters", description)
    if match:
        size = int(match.group(1))
        return lambda value: value[:size] if isinstance(value, str) else value
    return None


# --------------------------------------------------------------------------------------
# Structural comparison
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """The comparison hints of one recorded step, as pointers relative to the step."""

    volatile: frozenset[str] = frozenset()
    unordered: frozenset[str] = frozenset()
    #: pointer of the result compared as a multiset whose sort keys keep their sequence.
    ties_pointer: str | None = None
    ties_keys: tuple[str, ...] = ()
    #: beyond the corpus rules: ``1740 != 1740.0`` and object keys in the recorded order.
    strict: bool = False

    def is_multiset(self, pointer: str) -> bool:
        return pointer in self.unordered or pointer == self.ties_pointer


def compare_values(expected: Any, actual: Any, pointer: str, rules: Rules) -> Difference | None:
    """The first difference between two JSON values under ``rules``."""
    if pointer in rules.volatile:
        return None
    if rules.is_multiset(pointer) and isinstance(expected, list) and isinstance(actual, list):
        return _compare_multiset(expected, actual, pointer, rules)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return Difference(pointer, expected, actual, "expected an object")
        missing = [key for key in expected if key not in actual]
        if missing:
            return Difference(
                join_pointer(pointer, missing[0]), expected[missing[0]], _MISSING, "missing key"
            )
        extra = [key for key in actual if key not in expected]
        if extra:
            return Difference(
                join_pointer(pointer, extra[0]), _MISSING, actual[extra[0]], "unexpected key"
            )
        if rules.strict and list(expected) != list(actual):
            return Difference(pointer, list(expected), list(actual), "key order (strict)")
        for key, value in expected.items():
            found = compare_values(value, actual[key], join_pointer(pointer, key), rules)
            if found:
                return found
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return Difference(pointer, expected, actual, "expected an array")
        for index, (left, right) in enumerate(zip(expected, actual)):
            found = compare_values(left, right, join_pointer(pointer, index), rules)
            if found:
                return found
        if len(expected) != len(actual):
            index = min(len(expected), len(actual))
            longer = expected if len(expected) > len(actual) else actual
            return Difference(
                join_pointer(pointer, index),
                expected[index] if len(expected) > index else _MISSING,
                actual[index] if len(actual) > index else _MISSING,
                f"{len(expected)} items expected, got {len(actual)}"
                + ("" if longer is expected else " (extra items)"),
            )
        return None
    if _is_number(expected) and _is_number(actual):
        if rules.strict and type(expected) is not type(actual):
            return Difference(pointer, expected, actual, "int/float type (strict)")
        if numbers_equal(expected, actual):
            return None
        return Difference(pointer, expected, actual)
    if type(expected) is not type(actual) or expected != actual:
        return Difference(pointer, expected, actual)
    return None


def _mask_volatile(items: list[Any], pointer: str, rules: Rules) -> list[Any]:
    """Hide volatile sub-values of multiset elements in every element.

    A volatile pointer such as ``/response/result/3/write_date`` names an element by its
    recorded position; once the order is free, the same sub-path is hidden in all of them.
    """
    prefix = pointer + "/"
    sub_paths = set()
    for volatile in rules.volatile:
        if volatile.startswith(prefix):
            tokens = pointer_tokens("/" + volatile[len(prefix) :])
            if tokens and tokens[0].isdigit():
                sub_paths.add(tuple(tokens[1:]))
    masked = []
    for item in items:
        for sub_path in sub_paths:
            if resolve(item, sub_path) is not _MISSING:
                item = _replace(item, sub_path, lambda _value: "<volatile>")
        masked.append(item)
    return masked


def _compare_multiset(
    expected: list[Any], actual: list[Any], pointer: str, rules: Rules
) -> Difference | None:
    expected_masked = _mask_volatile(expected, pointer, rules)
    actual_masked = _mask_volatile(actual, pointer, rules)
    expected_keys = [canonical(item) for item in expected_masked]
    actual_keys = [canonical(item) for item in actual_masked]
    missing = Counter(expected_keys) - Counter(actual_keys)
    extra = Counter(actual_keys) - Counter(expected_keys)
    is_ties = pointer == rules.ties_pointer and bool(rules.ties_keys)
    if (
        (missing or extra)
        and is_ties
        and _boundary_ties_only(expected, actual, rules, missing, extra)
    ):
        # limit/offset cut through a group of tied rows: which of them come back is free
        return _compare_sort_keys(expected, actual, pointer, rules.ties_keys)
    if missing:
        index = next(i for i, key in enumerate(expected_keys) if key in missing)
        return Difference(
            join_pointer(pointer, index),
            expected[index],
            _MISSING,
            "no equal element in the live result (compared as a multiset)",
        )
    if extra:
        index = next(i for i, key in enumerate(actual_keys) if key in extra)
        return Difference(
            join_pointer(pointer, index),
            _MISSING,
            actual[index],
            "element not in the recording (compared as a multiset)",
        )
    if is_ties:
        return _compare_sort_keys(expected, actual, pointer, rules.ties_keys)
    return None


def _sort_key(row: Any, keys: tuple[str, ...]) -> str | None:
    if not isinstance(row, dict) or not all(k in row for k in keys):
        return None
    return canonical([row[k] for k in keys])


def _boundary_ties_only(
    expected: list[Any],
    actual: list[Any],
    rules: Rules,
    missing: Counter[str],
    extra: Counter[str],
) -> bool:
    """Do the rows that differ all tie with the first or last row (a limit/offset cut)?"""
    if not expected or len(expected) != len(actual):
        return False
    boundary = {_sort_key(expected[0], rules.ties_keys), _sort_key(expected[-1], rules.ties_keys)}
    boundary.discard(None)
    masked_expected = _mask_volatile(expected, rules.ties_pointer or "", rules)
    masked_actual = _mask_volatile(actual, rules.ties_pointer or "", rules)
    gone = [row for row, item in zip(expected, masked_expected) if canonical(item) in missing]
    new = [row for row, item in zip(actual, masked_actual) if canonical(item) in extra]
    # other records may replace tied ones; a record whose values changed is a difference
    gone_ids = {row.get("id") for row in gone if isinstance(row, dict)}
    if any(isinstance(row, dict) and row.get("id") in gone_ids for row in new):
        return False
    keys = rules.ties_keys
    return bool(boundary) and all(_sort_key(row, keys) in boundary for row in [*gone, *new])


def _compare_sort_keys(
    expected: list[Any], actual: list[Any], pointer: str, keys: tuple[str, ...]
) -> Difference | None:
    """Rows tied on the sort key may come in any order, but the key sequence is fixed."""
    if not all(isinstance(row, dict) and all(k in row for k in keys) for row in expected):
        return None
    for index, (left, right) in enumerate(zip(expected, actual)):
        left_key = [left[k] for k in keys]
        right_key = [right.get(k, _MISSING) for k in keys]
        if canonical(left_key) != canonical(right_key):
            return Difference(
                join_pointer(pointer, index),
                {k: left[k] for k in keys},
                {k: right.get(k) for k in keys},
                f"rows out of order for {', '.join(keys)}",
            )
    return None


def _order_fields(order: str) -> tuple[str, ...]:
    """``"date_order desc, id"`` -> ``("date_order", "id")``."""
    names = []
    for part in order.split(","):
        words = part.split()
        if words:
            names.append(words[0].strip('"'))
    return tuple(names)


# --------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------


def cookie_shape(header: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Cookie names and attributes of a Set-Cookie header, without value nor Expires.

    Several cookies may share one recorded header, joined by ", " (as ``requests`` shows
    them); ``Expires=Sat, 27 Nov 2027 ...`` contains a comma too, hence the parser.
    """
    cookies: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for chunk in re.split(r",\s*(?=[^;,=\s]+=)", header):
        parts = [part.strip() for part in chunk.split(";") if part.strip()]
        if not parts or "=" not in parts[0]:
            continue
        name = parts[0].split("=", 1)[0]
        attributes = []
        for part in parts[1:]:
            key, _, value = part.partition("=")
            key = key.strip().lower()
            if key == "expires":
                value = "<date>"
            attributes.append((key, value.strip()))
        cookies.append((name, tuple(sorted(attributes))))
    return cookies


def _compare_cookies(expected_header: str | None, set_cookies: list[str]) -> Difference | None:
    pointer = "/response_headers/Set-Cookie"
    actual_shape = sorted({c for header in set_cookies for c in cookie_shape(header)})
    if expected_header is None:
        if set_cookies:
            return Difference(pointer, _MISSING, ", ".join(set_cookies), "unexpected Set-Cookie")
        return None
    expected_shape = sorted(set(cookie_shape(expected_header)))
    if not set_cookies:
        return Difference(pointer, expected_header, _MISSING, "missing Set-Cookie")
    if expected_shape != actual_shape:
        return Difference(
            pointer,
            expected_header,
            ", ".join(set_cookies),
            "cookie names/attributes differ (values and Expires ignored)",
        )
    return None


# --------------------------------------------------------------------------------------
# A whole recorded step
# --------------------------------------------------------------------------------------


def rules_for(step: dict[str, Any], strict: bool = False) -> Rules:
    """The comparison rules a recorded step carries (``truncated`` pointers we cannot
    replay are treated as volatile)."""
    ties = step.get("ordering_ties")
    ties_pointer = None
    ties_keys: tuple[str, ...] = ()
    if ties:
        result = step.get("response", {}).get("result")
        ties_pointer = "/response/result"
        if isinstance(result, dict) and isinstance(result.get("records"), list):
            ties_pointer = "/response/result/records"
        ties_keys = _order_fields(str(ties.get("order", ""))) if isinstance(ties, dict) else ()
    return Rules(
        volatile=frozenset(step.get("volatile", ())) | _truncated_unknown(step),
        unordered=frozenset(step.get("unordered", ())),
        ties_pointer=ties_pointer,
        ties_keys=ties_keys,
        strict=strict,
    )


def expected_response(step: dict[str, Any], replay_day: dt.date) -> Any:
    """The recorded response with ``date_dependent`` values moved to ``replay_day``."""
    response = step.get("response")
    pointers = step.get("date_dependent") or ()
    days = (replay_day - RECORDED_ON).days
    if not pointers or days == 0:
        return response
    document = {"response": copy.deepcopy(response)}
    for pointer in pointers:
        document = _replace(document, pointer_tokens(pointer), lambda v: shift_dates(v, days))
    return document["response"]


def observed_response(step: dict[str, Any], observation: Observation) -> Any:
    """The live response with the recorder's ``truncated`` transformations applied."""
    document = {"response": observation.response}
    for pointer, description in (step.get("truncated") or {}).items():
        transform = _truncate(str(description))
        if pointer.startswith("/response/") and transform is not None:
            document = _replace(document, pointer_tokens(pointer), transform)
    return document["response"]


def _truncated_unknown(step: dict[str, Any]) -> frozenset[str]:
    """``truncated`` pointers whose description we cannot replay: not compared."""
    return frozenset(
        pointer
        for pointer, description in (step.get("truncated") or {}).items()
        if _truncate(str(description)) is None
    )


def compare_step(
    step: dict[str, Any],
    observation: Observation,
    replay_days: Iterable[dt.date] = (),
    *,
    strict: bool = False,
) -> Difference | None:
    """The first difference between a recorded case/step and a live answer, or ``None``.

    ``replay_days``: the candidate "today"s of the server (UTC and the user's timezone may
    disagree around midnight); ``date_dependent`` values may match any of them.
    ``strict``: also require the recorded number types, key order and, for XML-RPC, the
    exact response body when it is not volatile (what a client actually receives).
    """
    days = list(replay_days) or [dt.datetime.now(dt.UTC).date()]
    if step.get("http_status") != observation.http_status:
        return Difference("/http_status", step.get("http_status"), observation.http_status)
    headers = step.get("response_headers") or {}
    if headers.get("Content-Type") != observation.content_type:
        return Difference(
            "/response_headers/Content-Type", headers.get("Content-Type"), observation.content_type
        )
    found = _compare_cookies(headers.get("Set-Cookie"), observation.set_cookies)
    if found:
        return found

    rules = rules_for(step, strict)
    actual = observed_response(step, observation)
    first: Difference | None = None
    for day in days:
        found = compare_values(expected_response(step, day), actual, "/response", rules)
        if found is None:
            first = None
            break
        first = first or found
    if first:
        return first
    found = _compare_fault_exception(step, actual)
    if found or not strict:
        return found
    return _compare_raw_xml(step, observation.body)


def _compare_raw_xml(step: dict[str, Any], body: str | None) -> Difference | None:
    """Strict mode: the exact XML-RPC response text, line by line."""
    recorded = step.get("raw_response")
    hints = {*step.get("volatile", ()), *(step.get("truncated") or {})}
    if recorded is None or body is None or "/raw_response" in hints:
        return None
    for number, (left, right) in enumerate(
        itertools.zip_longest(recorded.splitlines(), body.splitlines()), start=1
    ):
        if left != right:
            return Difference("/raw_response", left, right, f"line {number} (strict)")
    return None


def _compare_fault_exception(step: dict[str, Any], actual: Any) -> Difference | None:
    """XML-RPC faults with a traceback: compare its final exception lines."""
    recorded = step.get("fault_exception")
    if recorded is None:
        return None
    fault = actual.get("fault") if isinstance(actual, dict) else None
    fault_string = fault.get("faultString") if isinstance(fault, dict) else None
    if not isinstance(fault_string, str):
        return Difference("/response/fault/faultString", recorded, fault_string, "no traceback")
    live = traceback_exception(fault_string)
    if "/fault_exception" in step.get("volatile", ()):
        # Environment-specific text (e.g. PostgreSQL host/port): the exception name only.
        if exception_name(live) != exception_name(recorded):
            return Difference(
                "/fault_exception", exception_name(recorded), exception_name(live), "exception"
            )
        return None
    if live != recorded:
        return Difference("/fault_exception", recorded, live)
    return None
