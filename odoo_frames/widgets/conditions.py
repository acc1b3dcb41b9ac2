"""One row of the filter builder as a filter: field, operator and typed-in value -> Expr.

The operators offered depend on the field type, and the text a user types is read
according to the field (``"42"`` is the integer 42 for an integer field, the text
"42" for a char field). The result is an ordinary column expression, compiled by the
frame exactly like a hand-written filter. No ipywidgets here: the rules are plain
functions, tested on their own.

Example::

    >>> from odoo_frames.schema import FieldSpec
    >>> condition(FieldSpec("is_company", "boolean"), "=", "True")
    <filter [('is_company', '=', True)]>
    >>> condition(FieldSpec("name", "char"), "contains", "retail")
    <filter [('name', 'ilike', 'retail')]>
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..expr import Col, Expr, FilterError

if TYPE_CHECKING:
    from ..schema import FieldSpec

__all__ = [
    "NO_VALUE_OPERATORS",
    "IncompleteCondition",
    "condition",
    "filterable",
    "operators_for",
    "parse_value",
]

#: Operators that need no value.
NO_VALUE_OPERATORS = ("is set", "is not set")

_TEXT = ("char", "text", "html")
_NUMBER = ("integer", "float", "monetary")
_DATE = ("date", "datetime")

_OPERATORS: dict[str, tuple[str, ...]] = {
    "text": ("contains", "does not contain", "=", "!=", "starts with", "in", *NO_VALUE_OPERATORS),
    "number": ("=", "!=", ">", ">=", "<", "<=", "in", *NO_VALUE_OPERATORS),
    "date": (">=", "<=", ">", "<", "=", "!=", *NO_VALUE_OPERATORS),
    "boolean": ("=", "!="),
    "selection": ("=", "!=", "in", *NO_VALUE_OPERATORS),
    "many2one": ("=", "!=", "in", "contains", "does not contain", *NO_VALUE_OPERATORS),
    "x2many": ("contains", *NO_VALUE_OPERATORS),
}


class IncompleteCondition(ValueError):
    """The row cannot be a filter yet (no value, or a value of the wrong kind)."""


def _family(spec: FieldSpec) -> str:
    if spec.type in _TEXT:
        return "text"
    if spec.type in _NUMBER:
        return "number"
    if spec.type in _DATE:
        return "date"
    if spec.type in ("one2many", "many2many"):
        return "x2many"
    if spec.type in ("boolean", "selection", "many2one"):
        return spec.type
    return "unsupported"


def filterable(spec: FieldSpec) -> bool:
    """Can the builder filter on this field (searchable, of a type it knows)?"""
    return spec.searchable and _family(spec) != "unsupported"


def operators_for(spec: FieldSpec) -> tuple[str, ...]:
    """The operators the builder offers for this field, most useful first."""
    return _OPERATORS.get(_family(spec), ())


def parse_value(spec: FieldSpec, text: Any) -> Any:
    """The typed-in ``text`` as a value of this field; IncompleteCondition if it is not."""
    family = _family(spec)
    if isinstance(text, bool) or (not isinstance(text, str) and text is not None):
        return text  # dropdowns give typed values already
    raw = (text or "").strip()
    if not raw:
        raise IncompleteCondition("type a value")
    if family == "boolean":
        lowered = raw.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise IncompleteCondition(f"{raw!r} is not True or False")
    if family in ("number", "many2one", "x2many"):
        integer = spec.type == "integer" or family in ("many2one", "x2many")
        try:
            number = float(raw)
        except ValueError:
            kind = "a record id" if family != "number" else "a number"
            raise IncompleteCondition(f"{raw!r} is not {kind}") from None
        if integer:
            if not number.is_integer():
                raise IncompleteCondition(f"{raw!r} is not a whole number")
            return int(number)
        return number
    if family == "date":
        try:
            if spec.type == "date" or len(raw) <= 10:
                return dt.date.fromisoformat(raw)
            return dt.datetime.fromisoformat(raw)
        except ValueError:
            raise IncompleteCondition(f"{raw!r} is not a date (YYYY-MM-DD)") from None
    if family == "selection":
        keys = [key for key, _ in spec.selection]
        labels = {label.lower(): key for key, label in spec.selection}
        if raw in keys:
            return raw
        if raw.lower() in labels:
            return labels[raw.lower()]
        shown = ", ".join(str(k) for k in keys)
        raise IncompleteCondition(f"{raw!r} is not one of {shown}")
    return raw


def _values(spec: FieldSpec, text: Any) -> list[Any]:
    if isinstance(text, list | tuple):
        return [parse_value(spec, v) for v in text]
    parts = [part for part in str(text or "").split(",") if part.strip()]
    if not parts:
        raise IncompleteCondition("type values separated by commas")
    return [parse_value(spec, part) for part in parts]


def condition(spec: FieldSpec, operator: str, value: Any, path: str | None = None) -> Expr:
    """The filter of one builder row: ``condition(spec, ">=", "1000")`` -> ``col >= 1000``.

    ``path`` is the column path (the field name by default). Raises IncompleteCondition
    while the row is not a filter yet, FilterError for an operator the field has not.
    """
    name = path or spec.name
    column = Col(name)
    if operator not in operators_for(spec):
        raise FilterError(f"{name} is a {spec.type} field: operator {operator!r} does not apply")
    if operator == "is set":
        return column.notna()
    if operator == "is not set":
        return column.isna()
    if operator == "in":
        return column.isin(_values(spec, value))
    family = _family(spec)
    if operator in ("contains", "does not contain", "starts with"):
        if family == "x2many":
            return column.contains(parse_value(spec, value))
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            raise IncompleteCondition("type some text")
        if operator == "starts with":
            return column.str.startswith(text, case=False)
        match = column.str.contains(text, case=False)
        return ~match if operator == "does not contain" else match
    parsed = parse_value(spec, value)
    comparisons = {
        "=": column.__eq__,
        "!=": column.__ne__,
        ">": column.__gt__,
        ">=": column.__ge__,
        "<": column.__lt__,
        "<=": column.__le__,
    }
    result: Expr = comparisons[operator](parsed)
    return result
