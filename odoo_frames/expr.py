"""Column expressions: pandas-style filters that compile to Odoo domains.

``so.state == "sale"`` does not compare anything: it builds a small expression
tree (:class:`Expr`). A frame compiles the tree into a :class:`~odoo_frames.domain.Domain`
with :func:`compile_filter`, knowing each field's type from fields_get, so that the
server selects exactly the rows pandas would select on the fetched frame:

* a frame shows an unset number as ``0`` (that is what Odoo sends), so ``amount < 5``
  must also match unset amounts, and ``amount == 0`` becomes Odoo's ``= False``
  (NULL or 0);
* pandas' ``~(name < "m")`` keeps the rows whose name is null, Odoo's negation of
  ``<`` does not: the compiler pushes negations down itself, per node, with the
  null rules of each type instead of leaving them to the server's ``'!'``.

Example::

    >>> so = Columns()
    >>> expr = (so.state == "sale") & (so.partner_id.country_id.code == "BE")
    >>> compile_filter(expr)
    ['&', ('state', '=', 'sale'), ('partner_id.country_id.code', '=', 'BE')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from .domain import Domain
from .errors import FilterError

NUMERIC_TYPES = frozenset({"integer", "float", "monetary"})
X2MANY_TYPES = frozenset({"one2many", "many2many"})
TEMPORAL_TYPES = frozenset({"date", "datetime"})

#: Date parts usable as ``col.dt.<part>``; the Odoo name is the read_group
#: granularity / domain property (``date_order.month_number``, Odoo 17.3+).
DATE_PARTS: dict[str, str] = {
    "year": "year_number",
    "quarter": "quarter_number",
    "month": "month_number",
    "week": "iso_week_number",
    "day": "day_of_month",
    "dayofweek": "day_of_week",
    "dayofyear": "day_of_year",
    "hour": "hour_number",
}

#: Integer date parts Odoo (17.3+) reads as ``field.<part>`` in domains and groupbys.
DATE_NUMBER_PARTS: tuple[str, ...] = (
    "year_number",
    "quarter_number",
    "month_number",
    "iso_week_number",
    "day_of_year",
    "day_of_month",
    "day_of_week",
    "hour_number",
    "minute_number",
    "second_number",
)

_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_ODOO_OP = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class FieldInfo(Protocol):
    """What the compiler needs to know about the last field of a path."""

    @property
    def type(self) -> str: ...


#: Resolves a dotted path to the info of its final field; raises for unknown paths.
Resolver = Callable[[str], FieldInfo | None]


# --------------------------------------------------------------------------------------
# Expression nodes


class Expr:
    """A boolean filter over a model's records. Combine with ``&``, ``|`` and ``~``."""

    def __and__(self, other: object) -> Expr:
        return And(self, _as_expr(other))

    def __rand__(self, other: object) -> Expr:
        return And(_as_expr(other), self)

    def __or__(self, other: object) -> Expr:
        return Or(self, _as_expr(other))

    def __ror__(self, other: object) -> Expr:
        return Or(_as_expr(other), self)

    def __invert__(self) -> Expr:
        return Not(self)

    def __bool__(self) -> bool:
        raise TypeError(
            "the truth value of an Odoo filter is ambiguous: combine filters with "
            "& (and), | (or) and ~ (not) instead of 'and', 'or', 'not', and put each "
            "comparison in parentheses: (so.state == 'sale') & (so.amount_total > 100)"
        )

    def __repr__(self) -> str:
        try:
            return f"<filter {compile_filter(self)!r}>"
        except FilterError as exc:
            return f"<filter (invalid: {exc})>"


@dataclass(frozen=True, repr=False, eq=False)
class Compare(Expr):
    path: str
    op: str
    value: Any


@dataclass(frozen=True, repr=False, eq=False)
class IsIn(Expr):
    path: str
    values: tuple[Any, ...]


@dataclass(frozen=True, repr=False, eq=False)
class Between(Expr):
    path: str
    low: Any
    high: Any
    low_inclusive: bool
    high_inclusive: bool


@dataclass(frozen=True, repr=False, eq=False)
class IsNull(Expr):
    path: str


@dataclass(frozen=True, repr=False, eq=False)
class StrMatch(Expr):
    path: str
    kind: str  # "contains" | "startswith" | "endswith"
    pattern: str
    case: bool


@dataclass(frozen=True, repr=False, eq=False)
class DatePartCompare(Expr):
    path: str
    part: str
    op: str
    value: Any


@dataclass(frozen=True, repr=False, eq=False)
class DatePartIn(Expr):
    path: str
    part: str
    values: tuple[Any, ...]


@dataclass(frozen=True, repr=False, eq=False)
class DayCompare(Expr):
    """``col.dt.date <op> day``: a datetime compared by its UTC calendar day."""

    path: str
    op: str
    value: dt.date


@dataclass(frozen=True, repr=False, eq=False)
class Contains(Expr):
    """An x2many column holds at least one of these ids."""

    path: str
    ids: tuple[int, ...]


@dataclass(frozen=True, repr=False, eq=False)
class AnyOf(Expr):
    """At least one related record (x2many or many2one) matches a sub-filter."""

    path: str
    sub: Expr | Domain


@dataclass(frozen=True, repr=False, eq=False)
class Raw(Expr):
    """A hand-written Odoo domain, taken as it is."""

    domain: Domain


@dataclass(frozen=True, repr=False, eq=False)
class And(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True, repr=False, eq=False)
class Or(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True, repr=False, eq=False)
class Not(Expr):
    operand: Expr


def _as_expr(value: object) -> Expr:
    if isinstance(value, Expr):
        return value
    if isinstance(value, Domain):
        return Raw(value)
    if isinstance(value, list | tuple):
        return Raw(Domain(value))
    if isinstance(value, Col):
        raise FilterError(
            f"column {value.path!r} used as a condition: compare it, e.g. "
            f"({value.path} == value) or .notna()"
        )
    raise FilterError(f"cannot combine a filter with {value!r}")


# --------------------------------------------------------------------------------------
# Columns


class _Comparisons:
    """``== != < <= > >=`` build filters through ``_cmp`` (date parts, calendar days)."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # == builds a filter, so no hashing

    def _cmp(self, op: str, value: object) -> Expr:
        raise NotImplementedError

    def __eq__(self, other: object) -> Expr:  # type: ignore[override]
        return self._cmp("==", other)

    def __ne__(self, other: object) -> Expr:  # type: ignore[override]
        return self._cmp("!=", other)

    def __lt__(self, other: object) -> Expr:
        return self._cmp("<", other)

    def __le__(self, other: object) -> Expr:
        return self._cmp("<=", other)

    def __gt__(self, other: object) -> Expr:
        return self._cmp(">", other)

    def __ge__(self, other: object) -> Expr:
        return self._cmp(">=", other)


class Col(_Comparisons):
    """A field path of a model, the left side of a filter.

    Attribute access goes one hop further (``so.partner_id.country_id.code``).
    Comparisons return :class:`Expr` filters, not booleans.
    """

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def __getattr__(self, name: str) -> Col:
        if name.startswith("_"):
            raise AttributeError(name)
        return Col(f"{self.path}.{name}")

    def __getitem__(self, name: str) -> Col:
        return Col(f"{self.path}.{name}")

    def __repr__(self) -> str:
        return f"Col({self.path!r})"

    def _cmp(self, op: str, value: object) -> Expr:
        return Compare(self.path, op, _check_scalar(self.path, value))

    def __bool__(self) -> bool:
        raise TypeError(
            f"the truth value of column {self.path!r} is ambiguous: compare it "
            "(== != < <= > >=) and combine filters with &, | and ~"
        )

    # pandas-style methods
    def isin(self, values: Iterable[Any]) -> Expr:
        """Value is one of ``values`` (an empty list matches nothing)."""
        if isinstance(values, str | bytes):
            raise FilterError(
                f"{self.path}.isin() takes a list of values, not the string {values!r}"
            )
        return IsIn(self.path, tuple(_check_scalar(self.path, v) for v in values))

    def between(self, left: Any, right: Any, inclusive: str = "both") -> Expr:
        """``left <= value <= right`` (``inclusive`` as in pandas: both, neither, left, right)."""
        if inclusive not in ("both", "neither", "left", "right"):
            raise FilterError(f"inclusive={inclusive!r}: use 'both', 'neither', 'left' or 'right'")
        return Between(
            self.path,
            _check_scalar(self.path, left),
            _check_scalar(self.path, right),
            inclusive in ("both", "left"),
            inclusive in ("both", "right"),
        )

    def isna(self) -> Expr:
        """Value is not set (Odoo's ``= False``; numbers: unset or 0, as Odoo reads them)."""
        return IsNull(self.path)

    isnull = isna

    def notna(self) -> Expr:
        return Not(IsNull(self.path))

    notnull = notna

    def contains(self, record_id: int | Iterable[int]) -> Expr:
        """An x2many column links this record id (or any of these ids)."""
        ids = (record_id,) if isinstance(record_id, int) else tuple(record_id)
        for value in ids:
            if not isinstance(value, int) or isinstance(value, bool):
                raise FilterError(f"{self.path}.contains() takes record ids, got {value!r}")
        return Contains(self.path, ids)

    def any(self, sub: Expr | Domain | Callable[[Columns], Expr] | Sequence[Any]) -> Expr:
        """At least one related record matches ``sub`` (Odoo's ``any`` operator).

        ``sub`` is a filter over the related model, a raw domain, or a function
        receiving the related model's columns: ``so.order_line.any(lambda l: l.product_uom_qty > 5)``.
        """
        if callable(sub) and not isinstance(sub, Expr | Domain):
            sub = sub(Columns())
        if isinstance(sub, list | tuple):
            sub = Domain(sub)
        if not isinstance(sub, Expr | Domain):
            raise FilterError(f"{self.path}.any() takes a filter or a domain, got {sub!r}")
        return AnyOf(self.path, sub)

    @property
    def str(self) -> StrAccessor:
        return StrAccessor(self.path)

    @property
    def dt(self) -> DtAccessor:
        return DtAccessor(self.path)


class Columns:
    """Attribute access to columns of a model: ``Columns().state`` is ``Col("state")``."""

    def __getattr__(self, name: str) -> Col:
        if name.startswith("_"):
            raise AttributeError(name)
        return Col(name)

    def __getitem__(self, name: str) -> Col:
        return Col(name)


class StrAccessor:
    """``col.str.contains / startswith / endswith``, compiled to like / =like."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def contains(self, pat: str, case: bool = True, regex: bool = False, na: Any = None) -> Expr:
        """Substring match (``like`` / ``ilike``); ``%`` and ``_`` in ``pat`` match themselves.

        Regular expressions cannot run on the server: ``regex=True`` is accepted only
        for a pattern without regex metacharacters.
        """
        _check_pattern(self.path, "contains", pat)
        if regex and re.escape(pat) != pat.replace(" ", "\\ "):
            raise FilterError(
                f"{self.path}.str.contains({pat!r}, regex=True): Odoo cannot filter by regular "
                "expression; pass regex=False for a plain substring, or filter the fetched "
                "DataFrame with pandas"
            )
        return StrMatch(self.path, "contains", pat, case)

    def startswith(self, pat: str, case: bool = True) -> Expr:
        _check_pattern(self.path, "startswith", pat)
        return StrMatch(self.path, "startswith", pat, case)

    def endswith(self, pat: str, case: bool = True) -> Expr:
        _check_pattern(self.path, "endswith", pat)
        return StrMatch(self.path, "endswith", pat, case)


class DtAccessor:
    """``col.dt.year / month / day / quarter / date ...`` for date and datetime fields."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def __getattr__(self, part: str) -> DatePart:
        if part in DATE_PARTS:
            return DatePart(self.path, part)
        raise AttributeError(
            f"{self.path}.dt has no {part!r}: use one of {', '.join([*DATE_PARTS, 'date'])}"
        )

    @property
    def date(self) -> DayPart:
        return DayPart(self.path)


class DatePart(_Comparisons):
    """``col.dt.<part>``: comparisons become date ranges (year) or date-part leaves."""

    __slots__ = ("part", "path")

    def __init__(self, path: str, part: str) -> None:
        self.path = path
        self.part = part

    @property
    def groupby_key(self) -> str:
        """The read_group spec for this part: ``date_order:month`` (used by groupby)."""
        return f"{self.path}:{self.part}"

    def _cmp(self, op: str, value: object) -> Expr:
        if not isinstance(value, int) or isinstance(value, bool):
            raise FilterError(
                f"{self.path}.dt.{self.part} is compared with integers, got {value!r}"
            )
        return DatePartCompare(self.path, self.part, op, value)

    def isin(self, values: Iterable[int]) -> Expr:
        vals = tuple(values)
        for value in vals:
            if not isinstance(value, int) or isinstance(value, bool):
                raise FilterError(
                    f"{self.path}.dt.{self.part}.isin() takes integers, got {value!r}"
                )
        return DatePartIn(self.path, self.part, vals)

    def between(self, left: int, right: int) -> Expr:
        return (self >= left) & (self <= right)


class DayPart(_Comparisons):
    """``col.dt.date``: the UTC calendar day of a datetime (or a date field's value)."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def _cmp(self, op: str, value: object) -> Expr:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            value = _to_date(self.path, value)
        return DayCompare(self.path, op, value)


# --------------------------------------------------------------------------------------
# Values


def _check_scalar(path: str, value: object) -> Any:
    if isinstance(value, Col):
        raise FilterError(
            f"comparing column {path!r} with column {value.path!r}: Odoo domains compare a "
            "field with a value, never two fields; fetch both columns and compare in pandas"
        )
    if isinstance(value, Expr):
        raise FilterError(f"comparing column {path!r} with a filter: use & | ~ to combine filters")
    return _plain_value(value)


def _plain_value(value: Any) -> Any:
    """numpy / pandas scalars -> Python; NaN / NaT / NA -> None."""
    if value is None or isinstance(value, str | bool | int | float | dt.date):
        if isinstance(value, float) and value != value:
            return None
        return value
    if isinstance(value, Decimal):
        return float(value)
    type_name = type(value).__module__
    if type_name.startswith(("numpy", "pandas")):
        try:
            import pandas as pd

            if value is pd.NaT or value is pd.NA:
                return None
            if isinstance(value, pd.Timestamp):
                return value.to_pydatetime()
        except ImportError:  # pragma: no cover - pandas is a dependency
            pass
        if hasattr(value, "item"):
            return _plain_value(value.item())
    return value


def _check_pattern(path: str, method: str, pat: object) -> None:
    if not isinstance(pat, str):
        raise FilterError(f"{path}.str.{method}() takes a string, got {pat!r}")


def _to_date(path: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise FilterError(f"{path}: expected a date, got {value!r}")


def format_datetime(value: dt.datetime) -> str:
    """A datetime as Odoo wants it: naive UTC ``YYYY-MM-DD HH:MM:SS`` (aware ones converted)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def wire_value(value: Any, field_type: str | None) -> Any:
    """A Python value as a domain leaf sends it, for a field of ``field_type``."""
    if isinstance(value, dt.datetime):
        if field_type == "date":
            if value.tzinfo is not None:
                value = value.astimezone(dt.UTC)
            return value.date().isoformat()
        return format_datetime(value)
    if isinstance(value, dt.date):
        if field_type == "datetime":
            return f"{value.isoformat()} 00:00:00"
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [wire_value(v, field_type) for v in value]
    return value


# --------------------------------------------------------------------------------------
# Compilation


@dataclass
class _Compiler:
    resolve: Resolver | None
    _types: dict[str, str | None] = field(default_factory=dict)

    def type_of(self, path: str) -> str | None:
        if path not in self._types:
            info = self.resolve(path) if self.resolve is not None else None
            self._types[path] = info.type if info is not None else None
        return self._types[path]

    def compile(self, node: Expr, negate: bool = False) -> Domain:
        method = getattr(self, f"_{type(node).__name__}")
        result: Domain = method(node, negate)
        return result

    # boolean structure ------------------------------------------------------------

    def _And(self, node: And, negate: bool) -> Domain:
        left, right = self.compile(node.left, negate), self.compile(node.right, negate)
        return (left | right) if negate else (left & right)

    def _Or(self, node: Or, negate: bool) -> Domain:
        left, right = self.compile(node.left, negate), self.compile(node.right, negate)
        return (left & right) if negate else (left | right)

    def _Not(self, node: Not, negate: bool) -> Domain:
        return self.compile(node.operand, not negate)

    def _Raw(self, node: Raw, negate: bool) -> Domain:
        return ~node.domain if negate else node.domain

    # leaves -----------------------------------------------------------------------

    def _Compare(self, node: Compare, negate: bool) -> Domain:
        ftype = self.type_of(node.path)
        op = _NEGATED[node.op] if negate else node.op
        value = node.value
        if value is None:
            if op not in ("==", "!="):
                raise FilterError(f"{node.path} {node.op} None: only == and != compare with None")
            null = Domain.leaf(node.path, "=", False)
            return null if op == "==" else ~null
        if ftype in X2MANY_TYPES:
            raise FilterError(
                f"{node.path} is a list of ids ({ftype}): use {node.path}.contains(id) or "
                f"{node.path}.any(...) instead of {node.op}"
            )
        if ftype == "many2one" and isinstance(value, str):
            raise FilterError(
                f"{node.path} holds record ids: compare it with an id, or compare "
                f"{node.path}.display_name (or another field of the related record) with {value!r}"
            )
        if ftype == "boolean" and not isinstance(value, bool) and value in (0, 1):
            value = bool(value)
        sent = wire_value(value, ftype)
        leaf = Domain.leaf(node.path, _ODOO_OP[op], sent)
        if ftype in NUMERIC_TYPES and isinstance(value, int | float):
            # The frame shows unset numbers as 0; make the server agree.
            if op == "==" and value == 0:
                return Domain.leaf(node.path, "=", False)
            if op == "!=" and value == 0:
                return Domain.leaf(node.path, "!=", False)
            if op in ("<", "<=", ">", ">=") and _holds(0, op, value):
                return leaf | Domain.leaf(node.path, "=", False)
            if op in ("<", "<=", ">", ">="):
                return leaf
            return leaf
        if ftype == "boolean":
            return leaf
        if op in ("<", "<=", ">", ">=") and negate:
            # pandas keeps null rows under ~(x < v); Odoo's >= would drop them.
            return leaf | Domain.leaf(node.path, "=", False)
        return leaf

    def _IsIn(self, node: IsIn, negate: bool) -> Domain:
        ftype = self.type_of(node.path)
        if ftype in X2MANY_TYPES:
            raise FilterError(
                f"{node.path} is a list of ids ({ftype}): use {node.path}.contains([...]) instead of isin"
            )
        values = [v for v in node.values if v is not None]
        has_null = len(values) != len(node.values)
        if ftype in NUMERIC_TYPES and any(v == 0 for v in values):
            has_null = True
        if ftype == "boolean":
            values = [bool(v) for v in values]
        if not values and not has_null:
            return Domain.true() if negate else Domain.false()
        sent = wire_value(values, ftype)
        if has_null:
            # Odoo: in [..., False] also matches NULL; not in [..., False] excludes it.
            sent = [*sent, False]
        return Domain.leaf(node.path, "not in" if negate else "in", sent)

    def _Between(self, node: Between, negate: bool) -> Domain:
        low = Compare(node.path, ">=" if node.low_inclusive else ">", node.low)
        high = Compare(node.path, "<=" if node.high_inclusive else "<", node.high)
        if negate:
            return self.compile(low, True) | self.compile(high, True)
        ftype = self.type_of(node.path)
        op_low, op_high = _ODOO_OP[low.op], _ODOO_OP[high.op]
        result = Domain.leaf(node.path, op_low, wire_value(node.low, ftype)) & Domain.leaf(
            node.path, op_high, wire_value(node.high, ftype)
        )
        if (
            ftype in NUMERIC_TYPES
            and isinstance(node.low, int | float)
            and isinstance(node.high, int | float)
            and _holds(0, low.op, node.low)
            and _holds(0, high.op, node.high)
        ):
            result = result | Domain.leaf(node.path, "=", False)
        return result

    def _IsNull(self, node: IsNull, negate: bool) -> Domain:
        return Domain.leaf(node.path, "!=" if negate else "=", False)

    def _StrMatch(self, node: StrMatch, negate: bool) -> Domain:
        ftype = self.type_of(node.path)
        if ftype is not None and ftype not in ("char", "text", "html", "selection", "many2one"):
            raise FilterError(
                f"{node.path}.str.{node.kind}(): {node.path} is a {ftype} field, not text"
            )
        escaped = escape_like(node.pattern)
        if node.kind == "contains":
            op = "like" if node.case else "ilike"
            leaf = Domain.leaf(node.path, op, escaped)
            if not negate:
                return leaf
            return Domain.leaf(node.path, f"not {op}", escaped)
        pattern = f"{escaped}%" if node.kind == "startswith" else f"%{escaped}"
        op = "=like" if node.case else "=ilike"
        leaf = Domain.leaf(node.path, op, pattern)
        if not negate:
            return leaf
        # No "not =like" before 19: negate explicitly and keep the null rows pandas keeps.
        return Domain(["!", leaf.to_list()[0]]) | Domain.leaf(node.path, "=", False)

    def _DatePartCompare(self, node: DatePartCompare, negate: bool) -> Domain:
        ftype = self._temporal(node.path, node.part)
        op = _NEGATED[node.op] if negate else node.op
        if node.part == "year":
            result = self._year_range(node.path, ftype, op, node.value)
            if negate and op != "!=":
                # pandas keeps unset dates under ~(year < v); a date range would drop them.
                result = result | Domain.leaf(node.path, "=", False)
            return result
        leaf = Domain.leaf(f"{node.path}.{DATE_PARTS[node.part]}", _ODOO_OP[op], node.value)
        if negate:
            leaf = leaf | Domain.leaf(node.path, "=", False)
        return leaf

    def _DatePartIn(self, node: DatePartIn, negate: bool) -> Domain:
        self._temporal(node.path, node.part)
        if not node.values:
            return Domain.true() if negate else Domain.false()
        if node.part == "year":
            result = Domain.false()
            for year in node.values:
                result = result | self._year_range(node.path, self.type_of(node.path), "==", year)
            if negate:
                return self.compile(Not(Raw(result)), False)
            return result
        target = f"{node.path}.{DATE_PARTS[node.part]}"
        if negate:
            return Domain.leaf(target, "not in", list(node.values)) | Domain.leaf(
                node.path, "=", False
            )
        return Domain.leaf(target, "in", list(node.values))

    def _DayCompare(self, node: DayCompare, negate: bool) -> Domain:
        ftype = self.type_of(node.path)
        op = _NEGATED[node.op] if negate else node.op
        if ftype == "date":
            leaf = Domain.leaf(node.path, _ODOO_OP[op], node.value.isoformat())
            if negate and op in ("<", "<=", ">", ">="):
                return leaf | Domain.leaf(node.path, "=", False)
            return leaf
        start = f"{node.value.isoformat()} 00:00:00"
        end = f"{(node.value + dt.timedelta(days=1)).isoformat()} 00:00:00"
        ranges = {
            "==": Domain.leaf(node.path, ">=", start) & Domain.leaf(node.path, "<", end),
            "<": Domain.leaf(node.path, "<", start),
            "<=": Domain.leaf(node.path, "<", end),
            ">": Domain.leaf(node.path, ">=", end),
            ">=": Domain.leaf(node.path, ">=", start),
        }
        if op == "!=":
            return (
                Domain.leaf(node.path, "<", start)
                | Domain.leaf(node.path, ">=", end)
                | Domain.leaf(node.path, "=", False)
            )
        result = ranges[op]
        if negate:
            result = result | Domain.leaf(node.path, "=", False)
        return result

    def _Contains(self, node: Contains, negate: bool) -> Domain:
        ftype = self.type_of(node.path)
        if ftype is not None and ftype not in X2MANY_TYPES:
            raise FilterError(
                f"{node.path}.contains(): {node.path} is a {ftype} field; .contains() is for "
                "one2many / many2many columns (use == or isin for a many2one)"
            )
        if not node.ids:
            return Domain.true() if negate else Domain.false()
        return Domain.leaf(node.path, "not in" if negate else "in", list(node.ids))

    def _AnyOf(self, node: AnyOf, negate: bool) -> Domain:
        ftype = self.type_of(node.path)
        if ftype is not None and ftype not in (*X2MANY_TYPES, "many2one"):
            raise FilterError(
                f"{node.path}.any(): {node.path} is a {ftype} field; .any() needs a relational field"
            )
        relation_resolver = None
        if self.resolve is not None:
            base = node.path

            def relation_resolver(sub_path: str) -> FieldInfo | None:
                assert self.resolve is not None
                return self.resolve(f"{base}.{sub_path}")

        sub = (
            node.sub
            if isinstance(node.sub, Domain)
            else _Compiler(relation_resolver).compile(node.sub)
        )
        return Domain.leaf(node.path, "not any" if negate else "any", sub)

    # helpers ----------------------------------------------------------------------

    def _temporal(self, path: str, part: str) -> str | None:
        ftype = self.type_of(path)
        if ftype is not None and ftype not in TEMPORAL_TYPES:
            raise FilterError(
                f"{path}.dt.{part}: {path} is a {ftype} field, not a date or datetime"
            )
        if part == "hour" and ftype == "date":
            raise FilterError(f"{path}.dt.hour: {path} is a date field and has no hours")
        return ftype

    def _year_range(self, path: str, ftype: str | None, op: str, year: int) -> Domain:
        def bound(y: int) -> str:
            day = dt.date(y, 1, 1).isoformat()
            return day if ftype == "date" else f"{day} 00:00:00"

        start, end = bound(year), bound(year + 1)
        null = Domain.leaf(path, "=", False)
        if op == "==":
            return Domain.leaf(path, ">=", start) & Domain.leaf(path, "<", end)
        if op == "!=":
            return Domain.leaf(path, "<", start) | Domain.leaf(path, ">=", end) | null
        return {
            "<": Domain.leaf(path, "<", start),
            "<=": Domain.leaf(path, "<", end),
            ">": Domain.leaf(path, ">=", end),
            ">=": Domain.leaf(path, ">=", start),
        }[op]


def _holds(left: float, op: str, right: float) -> bool:
    return {
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[op]


def escape_like(text: str) -> str:
    """Escape ``\\``, ``%`` and ``_`` so that a (i)like pattern matches them literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def compile_filter(expr: Expr | Domain, resolve: Resolver | None = None) -> Domain:
    """Compile a filter into a Domain; ``resolve`` gives field types (and validates paths).

    Without a resolver, the compiler cannot apply the per-type null rules and
    compiles comparisons literally.
    """
    if isinstance(expr, Domain):
        return expr
    return _Compiler(resolve).compile(expr)
