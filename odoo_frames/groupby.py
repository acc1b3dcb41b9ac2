"""groupby on the server: ``read_group`` (Odoo 17/18) or ``formatted_read_group`` (19).

``frame.groupby(keys).agg(...)`` returns a :class:`GroupedFrame`, lazy like a frame:
nothing is sent until ``to_pandas()``, ``to_polars()`` or ``to_arrow()``, which make
exactly one call in the dialect of the connected version:

* 17.0 / 18.0: ``read_group(domain, fields=["total:sum(amount_total)", ...],
  groupby=[...], lazy=False, orderby=..., limit=..., offset=...)``;
* 19.0: ``formatted_read_group(domain, groupby=[...], aggregates=["amount_total:sum",
  "__count"], having=[...], order=..., limit=..., offset=...)``.

The same user code gives the same DataFrame on every version. Example::

    so = odoo["sale.order"]
    monthly = (so[so.state == "sale"]
               .groupby(["partner_id", so.date_order.dt.month])
               .agg(total=("amount_total", "sum"), orders=("id", "count")))
    monthly                    # the call it will make; no RPC
    monthly.to_pandas()        # partner_id, partner_id.display_name, date_order:month, total, orders
    monthly[monthly.total > 10_000].sort_values("total", ascending=False).head(5)

Output conventions (the parity tests prove them on 17, 18 and 19, for pandas and polars)
-----------------------------------------------------------------------------------------

The result is flat, like pandas' ``groupby(keys, as_index=False, dropna=False)``: a
RangeIndex, the key columns first, then one column per aggregate in the order asked.

Keys
    * a field: one column of the field's name and type, as a frame shows it (selection
      -> categorical, char -> str, boolean, integer -> Int64);
    * a many2one (or many2many, or ``id``): two columns, ``partner_id`` (Int64 id) and
      ``partner_id.display_name``; a record with several tags is in each tag's group;
    * a dotted many2one path (Odoo 19 only; a clear error before 19):
      ``partner_id.country_id`` -> ``partner_id.country_id`` and its ``.display_name``;
    * a date or datetime with a granularity, written ``"date_order:month"`` or
      ``so.date_order.dt.month`` (``day``, ``week``, ``month``, ``quarter``, ``year``;
      ``hour`` for datetimes; no granularity means ``month``, as in Odoo): a column
      named ``date_order:month`` holding the **start of the period**, taken from the
      group's ``__range`` (17/18) or value (19), never parsed from the translated
      label. Date fields give ``datetime.date`` values; datetime fields give aware
      timestamps in the bucketing time zone: the ``tz`` of the call's context (the
      frame's ``with_context(tz=...)``, else ``client.context``, which holds the user's
      tz after login), else UTC; an unknown zone name means UTC, as on the server.
      Weeks start on the first day of the language's week (Sunday for en_US);
    * an integer date part (Odoo 17.3+): ``"date_order:month_number"`` (also
      ``year_number, quarter_number, iso_week_number, day_of_year, day_of_month,
      day_of_week`` -- Sunday = 0 as in PostgreSQL -- ``hour_number, minute_number,
      second_number``) or ``so.date_order.dt.dayofyear`` (``date_order:day_of_year``): an
      Int64 column named like the spec. ``.dt.dayofweek`` is refused (pandas counts from
      Monday, Odoo from Sunday).
Null keys
    Records with no value form their own group, with a null key (pandas'
    ``dropna=False``): null id and display name, null category, NaT, None... A boolean
    key has no null group (Odoo reads an unset boolean as False). Integer keys keep the
    database's NULL as a null group, apart from 0 (a fetched frame shows both as 0).
Aggregate column names, for each pandas shape
    * ``.agg(total=("amount_total", "sum"))`` -> ``total``;
    * ``.agg({"amount_total": "sum"})`` -> ``amount_total``;
      ``.agg({"amount_total": ["sum", "mean"]})`` -> ``amount_total_sum``,
      ``amount_total_mean`` (pandas would make a MultiIndex: flattened with ``_``);
    * ``gb["amount_total"].agg("sum")`` -> ``amount_total``;
      ``gb["amount_total"].agg(["sum", "mean"])`` -> ``sum``, ``mean``;
      ``gb[["amount_total", "amount_tax"]].agg(["sum", "mean"])`` -> ``amount_total_sum``...;
    * ``.sum()``, ``.mean()``, ``.min()``, ``.max()``, ``.count()``, ``.nunique()``,
      ``.any()``, ``.all()`` -> one column per field, named like the field, for the
      selected columns (``gb[[...]]``), else the frame's columns (``so[[...]]``), else
      every stored field that takes the function (numbers only for sum and mean).
    Functions: ``sum, mean, min, max, count, nunique, size, any, all`` (and Odoo's own
    ``avg, count_distinct, bool_and, bool_or``).
The count column
    The number of records of each group is Odoo's ``__count``: ``.size()`` names it
    ``size``; ``("id", "count")`` or ``"size"`` name it as you ask. It is never added
    unasked (so results equal pandas'), and it is a plain ``int64`` (never null).
Aggregate values
    Counts and nunique are int64; sums, min and max of integer fields Int64; of float
    and monetary fields float64; means float64. Odoo reads an unset number as 0, so
    numeric aggregates are never null (an all-unset group gives 0); but SQL's mean, min
    and max skip numbers never set (NULL), which a fetched frame shows as 0 (most number
    fields have a 0 default, so this rarely shows). min/max of dates, datetimes (UTC,
    like frame columns), text and selections (their value, as str) may be null.
Order, limit, filters on aggregates
    Rows come in Odoo's group order: by the keys, a many2one by its model's order
    (partners by name), a selection by its value, nulls last. ``sort_values`` (keys or
    aggregates; ``na_position`` as in pandas) and ``head`` / ``[a:b]`` are sent as
    ``orderby``/``order`` and ``limit``/``offset``. ``res[res.total > 1000]`` filters
    groups: Odoo 19's ``having``; on 17/18 (no HAVING) odoo_frames applies it to the
    groups after the call, then the limit (the repr says so).
What Odoo cannot aggregate
    ``median, std, var, quantile``, custom functions...: a :class:`GroupByError` that
    suggests ``to_pandas()`` first, or ``groupby(..., local=True)``, which fetches the
    rows and returns pandas' own GroupBy with the same key columns.

Every error (unknown field, a field that cannot be grouped or aggregated, an
aggregate its type cannot take, an unknown granularity) is raised before any data call.
"""

from __future__ import annotations

import builtins
import functools
import html
import re
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .domain import Domain
from .errors import GroupByError
from .expr import (
    And,
    Between,
    Col,
    Compare,
    DatePart,
    Expr,
    IsIn,
    Not,
    Or,
    Raw,
)
from .schema import FieldSpec

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    from .frame import OdooFrame

__all__ = ["GroupBy", "GroupByError", "GroupedFrame", "local_groupby"]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: Odoo's group count: no field, always exact, ``__count`` in both dialects.
COUNT = "__count"

#: pandas (and Odoo) aggregation names -> Odoo aggregate functions.
FUNCTIONS: dict[str, str] = {
    "sum": "sum",
    "mean": "avg",
    "avg": "avg",
    "min": "min",
    "max": "max",
    "count": "count",
    "nunique": "count_distinct",
    "count_distinct": "count_distinct",
    "any": "bool_or",
    "bool_or": "bool_or",
    "all": "bool_and",
    "bool_and": "bool_and",
    "size": COUNT,
}

#: pandas functions Odoo's SQL aggregation does not have.
LOCAL_ONLY = frozenset(
    _words(
        "median std var quantile prod sem skew kurt mode first last nth describe ohlc idxmin "
        "idxmax cumsum cumcount cummax cummin cumprod rank diff shift pct_change value_counts "
        "corr cov apply transform filter pipe rolling expanding resample hist boxplot"
    )
)

#: Time buckets; ``hour`` only for datetimes.
TIME_GRANULARITIES = ("day", "week", "month", "quarter", "year", "hour")
#: Integer date parts (Odoo 17.3+).
NUMBER_GRANULARITIES = _words(
    "year_number quarter_number month_number iso_week_number day_of_year day_of_month "
    "day_of_week hour_number minute_number second_number"
)
_TIME_OF_DAY = frozenset({"hour", "hour_number", "minute_number", "second_number"})
#: ``col.dt.<part>`` as a groupby key -> granularity.
_DT_PARTS = {
    "day": "day",
    "week": "week",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
    "hour": "hour",
    "dayofyear": "day_of_year",
}

#: Field types a server groupby cannot use whatever fields_get says (17.0 has no
#: ``groupable`` and calls every stored field groupable).
_NOT_GROUPABLE = frozenset({"one2many", "binary", "json", "properties", "properties_definition"})
#: Field types no aggregate applies to.
_NOT_AGGREGATABLE = frozenset(
    {"one2many", "many2many", "binary", "json", "properties", "properties_definition"}
)
_NUMERIC = frozenset({"integer", "float", "monetary"})
_COUNTING = frozenset({"count", "count_distinct", COUNT})


# --------------------------------------------------------------------------------------
# Keys and aggregates


@dataclass(frozen=True)
class Key:
    """One grouping key: a field path, with a granularity for dates (``date_order:month``)."""

    path: str
    spec: FieldSpec
    granularity: str | None = None

    @property
    def groupby(self) -> str:
        """The groupby spec sent to Odoo, also the name of the key column."""
        return f"{self.path}:{self.granularity}" if self.granularity else self.path

    @property
    def kind(self) -> str:
        """``bucket`` (period start), ``number`` (date part), ``relation`` or ``value``."""
        if self.granularity in TIME_GRANULARITIES:
            return "bucket"
        if self.granularity is not None:
            return "number"
        if self.spec.type in ("many2one", "many2many") or self.spec.name == "id":
            return "relation"
        return "value"

    @property
    def columns(self) -> tuple[str, ...]:
        if self.kind == "relation":
            return (self.groupby, f"{self.groupby}.display_name")
        return (self.groupby,)


@dataclass(frozen=True)
class Aggregate:
    """One output column: ``name`` = Odoo's ``func`` of ``field`` (``__count``: the group size)."""

    name: str
    field: str
    func: str
    spec: FieldSpec | None = None

    @property
    def additive(self) -> bool:
        """Can groups be added up (plots summing over the other keys)?"""
        return self.func in ("sum", "count", COUNT)

    @property
    def spec19(self) -> str:
        """The 19.0 aggregate spec, also the key of its value in the result."""
        return COUNT if self.func == COUNT else f"{self.field}:{self.func}"


def _version_at_least(client: Any, major: int, minor: int) -> bool:
    info = tuple(getattr(client, "version_info", ()) or ())
    if len(info) < 2:
        return True
    head = info[0]
    if isinstance(head, str):  # "saas~17"
        head = int("".join(ch for ch in head if ch.isdigit()) or 0)
    try:
        return (int(head), int(info[1])) >= (major, minor)
    except (TypeError, ValueError):
        return True


def _native(frame: OdooFrame) -> bool:
    """True when the server has formatted_read_group (19.0+)."""
    return bool(frame.client.capabilities.formatted_read_group)


def _parse_key(frame: OdooFrame, key: Any, *, server: bool = True) -> Key:
    """Check one key against fields_get; every error is raised here, before any call."""
    if isinstance(key, DatePart):
        if key.part == "dayofweek":
            raise GroupByError(
                f"groupby({key.path}.dt.dayofweek): Odoo numbers weekdays from Sunday = 0, "
                f"pandas from Monday = 0; group by '{key.path}:day_of_week' (Odoo's "
                "numbering) or fetch the rows first"
            )
        granularity = _DT_PARTS.get(key.part)
        if granularity is None:
            raise GroupByError(
                f"groupby({key.path}.dt.{key.part}): use .dt.{', .dt.'.join(_DT_PARTS)}"
            )
        path: str = key.path
        gran: str | None = granularity
    elif isinstance(key, Col):
        path, gran = key.path, None
    elif isinstance(key, str):
        path, _, text = key.partition(":")
        gran = text or None
    else:
        raise GroupByError(
            f"groupby key {key!r}: use a field name, 'field:granularity' "
            "(e.g. 'date_order:month') or a date part (so.date_order.dt.month)"
        )
    if not path:
        raise GroupByError(f"groupby key {key!r}: empty field name")
    spec = frame._field_of(path)
    if "." in path:
        for depth in range(1, path.count(".") + 1):
            prefix = path.rsplit(".", depth)[0]
            hop = frame._field_of(prefix)
            if hop.type != "many2one":
                raise GroupByError(
                    f"groupby({path!r}): {prefix} is a {hop.type} field; Odoo groups only "
                    "along many2one paths"
                )
        if server and not _native(frame):
            raise GroupByError(
                f"groupby({path!r}): grouping by a related field needs Odoo 19 "
                f"(formatted_read_group); this server runs {frame.client.server_version}. "
                f"Group by {path.split('.')[0]!r} instead, or fetch the rows: "
                "groupby(..., local=True)"
            )
    if not spec.store:
        raise GroupByError(f"groupby({path!r}): {path} is not stored: Odoo cannot group by it")
    if spec.type in _NOT_GROUPABLE:
        raise GroupByError(f"groupby({path!r}): Odoo cannot group by a {spec.type} field")
    if not spec.groupable:
        raise GroupByError(f"groupby({path!r}): {path} is not groupable (fields_get)")
    if spec.type in ("date", "datetime"):
        gran = gran or "month"
        allowed = [*TIME_GRANULARITIES, *NUMBER_GRANULARITIES]
        if spec.type == "date":  # a date has no time of day
            allowed = [g for g in allowed if g not in _TIME_OF_DAY]
        if gran not in allowed:
            raise GroupByError(
                f"groupby('{path}:{gran}'): unknown granularity {gran!r} for a {spec.type} "
                f"field; use one of {', '.join(allowed)}"
            )
        if gran in NUMBER_GRANULARITIES and server and not _version_at_least(frame.client, 17, 3):
            raise GroupByError(
                f"groupby('{path}:{gran}'): date parts need Odoo 17.3 or newer; this server "
                f"runs {frame.client.server_version}. Use a period ('{path}:month') or "
                "groupby(..., local=True)"
            )
    elif gran is not None:
        raise GroupByError(
            f"groupby('{path}:{gran}'): {path} is a {spec.type} field; only date and "
            "datetime fields take a granularity"
        )
    return Key(path, spec, gran)


def _function_name(func: Any, column: str) -> str:
    """The name of an aggregation function; builtins and numpy functions are named."""
    if isinstance(func, str):
        return func
    if func is builtins.len:
        return "size"
    if func in (builtins.sum, builtins.min, builtins.max):
        return str(func.__name__)
    module = getattr(func, "__module__", "") or ""
    name = getattr(func, "__name__", "")
    if module.startswith("numpy") and name in ("sum", "mean", "min", "max", "amin", "amax"):
        return name.removeprefix("a") if name in ("amin", "amax") else name
    if callable(func):
        raise GroupByError(
            f"{column}: the function {name or func!r} cannot run on the Odoo server; fetch "
            "the rows first (frame.to_pandas().groupby(...)) or use groupby(..., local=True)"
        )
    raise GroupByError(f"{column}: aggregation {func!r} is not a function name")


def _make_aggregate(frame: OdooFrame, name: str, column: str, func: Any) -> Aggregate:
    fname = _function_name(func, column)
    if fname in LOCAL_ONLY:
        raise GroupByError(
            f"{column}: Odoo cannot compute {fname!r} on the server (it has sum, mean, min, "
            "max, count, nunique, size, any, all); fetch the rows first "
            "(frame.to_pandas().groupby(...)) or use groupby(..., local=True)"
        )
    odoo = FUNCTIONS.get(fname)
    if odoo is None:
        raise GroupByError(
            f"{column}: unknown aggregation {fname!r}; use one of "
            "sum, mean, min, max, count, nunique, size, any, all"
        )
    if odoo == COUNT or (column == "id" and odoo == "count"):
        frame._field_of(column)
        return Aggregate(name, "id", COUNT)
    spec = frame._field_of(column)
    if "." in column:
        raise GroupByError(
            f"{column}: Odoo aggregates the fields of {frame.model} itself, not related "
            "fields; aggregate the first field of the path, or use groupby(..., local=True)"
        )
    if not spec.store:
        raise GroupByError(f"{column} is not stored: Odoo cannot aggregate it")
    if not _accepted(spec):
        raise GroupByError(
            f"{column} is a {spec.type} field: Odoo cannot aggregate it; fetch the rows "
            "first or use groupby(..., local=True)"
        )
    if odoo not in _accepted(spec):
        allowed = ", ".join(_pandas_names(_accepted(spec)))
        raise GroupByError(
            f"{column} is a {spec.type} field: {fname!r} does not apply to it (it takes {allowed})"
        )
    return Aggregate(name, column, odoo, spec)


def _accepted(spec: FieldSpec) -> frozenset[str]:
    """Odoo functions a field's type takes (what PostgreSQL accepts and means something)."""
    if spec.type in _NOT_AGGREGATABLE:
        return frozenset()
    if spec.type in _NUMERIC:
        return frozenset({"sum", "avg", "min", "max", "count", "count_distinct"})
    if spec.type == "boolean":
        return frozenset({"bool_and", "bool_or", "count", "count_distinct"})
    return frozenset({"min", "max", "count", "count_distinct"})


def _pandas_names(funcs: Iterable[str]) -> list[str]:
    names = {"avg": "mean", "count_distinct": "nunique", "bool_or": "any", "bool_and": "all"}
    order = ["sum", "mean", "min", "max", "count", "nunique", "any", "all"]
    found = {names.get(f, f) for f in funcs}
    return [n for n in order if n in found]


# --------------------------------------------------------------------------------------
# GroupBy: keys waiting for an aggregation


class GroupBy:
    """The keys of a server-side groupby, waiting for an aggregation (pandas' GroupBy).

    Made by ``frame.groupby(keys)``; every key is checked here, before any call.
    """

    def __init__(
        self,
        frame: OdooFrame,
        keys: Sequence[Any],
        *,
        columns: Sequence[str] | None = None,
        series: bool = False,
    ) -> None:
        state = frame._state
        if state.limit is not None or state.offset:
            raise GroupByError(
                "groupby on a sliced frame (head / [a:b]): Odoo groups every matching "
                "record; slice the grouped result instead (.head(n) after .agg)"
            )
        if not keys:
            raise GroupByError("groupby() needs at least one key")
        self._frame = frame
        self._keys = tuple(_parse_key(frame, k) for k in keys)
        self._columns = tuple(columns) if columns is not None else None
        self._series = series
        key_columns = [c for k in self._keys for c in k.columns]
        if len(set(key_columns)) != len(key_columns):
            raise GroupByError(f"groupby(): a key is given twice ({', '.join(key_columns)})")

    @property
    def keys(self) -> tuple[Key, ...]:
        return self._keys

    def __repr__(self) -> str:
        shown = ", ".join(k.groupby for k in self._keys)
        selected = f"[{', '.join(self._columns)}]" if self._columns is not None else ""
        return (
            f"GroupBy {self._frame.model} by {shown}{selected}: aggregate it, e.g. "
            ".agg(total=('amount_total', 'sum')), .size(), .sum()"
        )

    def _select(self, names: Sequence[str], series: bool) -> GroupBy:
        for name in names:
            self._frame._field_of(name)
        selected = GroupBy.__new__(GroupBy)
        selected._frame, selected._keys = self._frame, self._keys
        selected._columns, selected._series = tuple(names), series
        return selected

    def __getitem__(self, columns: str | Sequence[str]) -> GroupBy:
        """``gb["amount_total"]`` (pandas' SeriesGroupBy) or ``gb[["a", "b"]]``."""
        if isinstance(columns, str):
            return self._select([columns], series=True)
        return self._select(list(columns), series=False)

    def __getattr__(self, name: str) -> GroupBy:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in LOCAL_ONLY:
            raise GroupByError(
                f".{name}() cannot run on the Odoo server (it aggregates with sum, mean, min, "
                "max, count, nunique, size, any, all); fetch the rows first "
                "(frame.to_pandas().groupby(...)) or use groupby(..., local=True)"
            )
        if name in self._frame.schema:
            return self[name]
        raise AttributeError(f"GroupBy has no attribute or field {name!r}")

    # ---------------------------------------------------------------- aggregation

    def agg(self, func: Any = None, /, **named: Any) -> GroupedFrame:
        """Aggregate on the server, in the three pandas shapes.

        * ``.agg(total=("amount_total", "sum"), n=("id", "count"))``
        * ``.agg({"amount_total": "sum", "amount_tax": ["min", "max"]})``
        * ``gb["amount_total"].agg(["sum", "mean"])`` (or ``.agg("sum")``)
        """
        frame = self._frame
        aggs: list[Aggregate] = []
        if func is not None and named:
            raise GroupByError(
                "agg() takes either functions or name=(column, function) pairs, not both"
            )
        if named:
            for name, pair in named.items():
                if self._series and self._columns and (isinstance(pair, str) or callable(pair)):
                    pair = (self._columns[0], pair)  # gb["amount_total"].agg(total="sum")
                if not (isinstance(pair, tuple) and len(pair) == 2):
                    raise GroupByError(
                        f"agg({name}=...) needs a (column, function) pair, got {pair!r}"
                    )
                aggs.append(_make_aggregate(frame, name, pair[0], pair[1]))
        elif isinstance(func, Mapping):
            for column, funcs in func.items():
                if isinstance(funcs, list | tuple):
                    for one in funcs:
                        label = f"{column}_{_function_name(one, column)}"
                        aggs.append(_make_aggregate(frame, label, column, one))
                else:
                    aggs.append(_make_aggregate(frame, column, column, funcs))
        elif isinstance(func, list | tuple):
            columns = self._columns
            if not columns:
                raise GroupByError(
                    "agg([...]) needs selected columns: gb['amount_total'].agg(['sum', 'mean']) "
                    "or agg({'amount_total': ['sum', 'mean']})"
                )
            for column in columns:
                for one in func:
                    fname = _function_name(one, column)
                    label = fname if self._series else f"{column}_{fname}"
                    aggs.append(_make_aggregate(frame, label, column, one))
        elif func is not None:
            fname = _function_name(func, "agg")
            if fname == "size" or FUNCTIONS.get(fname) == COUNT:
                return self.size()
            for column in self._columns or self._default_columns(fname):
                aggs.append(_make_aggregate(frame, column, column, func))
        else:
            raise GroupByError(
                "agg() takes a function name, a list of names, a {column: function} dict or "
                "name=(column, function) pairs"
            )
        return self._result(aggs)

    aggregate = agg

    def _result(self, aggs: Sequence[Aggregate]) -> GroupedFrame:
        if not aggs:
            raise GroupByError("nothing to aggregate: name the columns, e.g. gb[['amount_total']]")
        names = [c for k in self._keys for c in k.columns] + [a.name for a in aggs]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise GroupByError(
                f"the result would have two columns named {duplicated[0]!r}: name the "
                "aggregates differently (agg(name=(column, function)))"
            )
        return GroupedFrame(self._frame, _Plan(self._keys, tuple(aggs)))

    def _default_columns(self, func: str) -> list[str]:
        """The columns ``.sum()`` & co. aggregate when none are selected."""
        odoo = FUNCTIONS.get(func)
        if odoo is None:
            _make_aggregate(self._frame, func, "id", func)  # raises the right error
            return []
        key_fields = {k.path for k in self._keys}
        out = []
        for name in self._frame._selected():
            if name == "id" or "." in name or name in key_fields:
                continue
            spec = self._frame._field_of(name)
            if not spec.store or odoo not in _accepted(spec):
                continue
            if odoo in ("sum", "avg") and spec.type not in _NUMERIC:
                continue
            out.append(name)
        return out

    def size(self) -> GroupedFrame:
        """Records per group, in an int64 column named ``size``."""
        return self._result([Aggregate("size", "id", COUNT)])

    def count(self) -> GroupedFrame:
        """Non-null values per group and column (Odoo's ``count``)."""
        return self.agg("count")

    def sum(self) -> GroupedFrame:
        return self.agg("sum")

    def mean(self) -> GroupedFrame:
        return self.agg("mean")

    def min(self) -> GroupedFrame:
        return self.agg("min")

    def max(self) -> GroupedFrame:
        return self.agg("max")

    def nunique(self) -> GroupedFrame:
        """Distinct non-null values per group and column (Odoo's ``count_distinct``)."""
        return self.agg("nunique")

    def any(self) -> GroupedFrame:
        return self.agg("any")

    def all(self) -> GroupedFrame:
        return self.agg("all")


# --------------------------------------------------------------------------------------
# GroupedFrame: the lazy result


@dataclass(frozen=True)
class _Plan:
    keys: tuple[Key, ...]
    aggregates: tuple[Aggregate, ...]
    #: (column, ascending, nulls last)
    order: tuple[tuple[str, bool, bool], ...] = ()
    limit: int | None = None
    offset: int = 0
    having: Domain = field(default_factory=Domain.true)


class GroupedFrame:
    """A server-side aggregation, lazy like a frame (see the module docstring).

    ``to_pandas()`` / ``to_polars()`` / ``to_arrow()`` make the one call; the repr shows it.
    """

    def __init__(self, frame: OdooFrame, plan: _Plan) -> None:
        self._frame = frame
        self._plan = plan

    def _with(self, **changes: Any) -> GroupedFrame:
        return GroupedFrame(self._frame, replace(self._plan, **changes))

    @property
    def model(self) -> str:
        return self._frame.model

    @property
    def keys(self) -> tuple[Key, ...]:
        return self._plan.keys

    @property
    def aggregates(self) -> tuple[Aggregate, ...]:
        return self._plan.aggregates

    @property
    def columns(self) -> list[str]:
        """The columns of the result: keys (many2one: id and display name), then aggregates."""
        return [c for k in self._plan.keys for c in k.columns] + [
            a.name for a in self._plan.aggregates
        ]

    @property
    def having(self) -> Domain:
        """The filter on aggregate columns, by column name."""
        return self._plan.having

    @property
    def native_having(self) -> bool:
        """Odoo 19 filters groups itself; 17/18 groups are filtered after the call."""
        return _native(self._frame)

    @property
    def timezone(self) -> str:
        """The zone of datetime buckets: the call's context ``tz`` if Odoo knows it, else UTC."""
        return _bucket_zone(self._frame)

    # ---------------------------------------------------------------- refining

    def __getattr__(self, name: str) -> Col:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self.columns:
            return Col(name)
        raise AttributeError(
            f"the grouped result has no column {name!r} ({', '.join(self.columns)})"
        )

    def __getitem__(self, key: Any) -> Any:
        """``res[res.total > 1000]`` keeps the groups matching a filter on aggregates;
        ``res["total"]`` is the column (to compare); ``res[:10]`` slices the groups."""
        if isinstance(key, str):
            if key not in self.columns:
                raise KeyError(
                    f"the grouped result has no column {key!r} ({', '.join(self.columns)})"
                )
            return Col(key)
        if isinstance(key, slice):
            return self._slice(key)
        if callable(key) and not isinstance(key, Expr | Col):
            key = key(self)
        if isinstance(key, Expr):
            having = _compile_having(key, {a.name for a in self._plan.aggregates}, self.columns)
            return self._with(having=self._plan.having & having)
        raise TypeError(
            "index a grouped result with a filter on its aggregate columns "
            "(res[res.total > 1000]), a column name or a slice"
        )

    def sort_values(
        self,
        by: str | Sequence[str],
        ascending: bool | Sequence[bool] = True,
        na_position: str = "last",
    ) -> GroupedFrame:
        """Order the groups on the server (keys or aggregates; sent as ``orderby``/``order``)."""
        names = [by] if isinstance(by, str) else list(by)
        flags = [ascending] * len(names) if isinstance(ascending, bool) else list(ascending)
        if len(flags) != len(names):
            raise ValueError(f"sort_values: {len(names)} columns but {len(flags)} ascending flags")
        if na_position not in ("last", "first"):
            raise ValueError("na_position must be 'last' or 'first'")
        if self._plan.limit is not None or self._plan.offset:
            raise GroupByError(
                "sort_values after head / [a:b]: Odoo sorts the groups, then slices; call "
                "sort_values first"
            )
        for name in names:
            if name not in self.columns:
                raise GroupByError(
                    f"sort_values({name!r}): not a column of the result ({', '.join(self.columns)})"
                )
        order = tuple((n, bool(f), na_position == "last") for n, f in zip(names, flags))
        return self._with(order=order)

    def head(self, n: int = 5) -> GroupedFrame:
        """The first ``n`` groups (sent as ``limit``)."""
        if n < 0:
            raise ValueError("head(n) needs n >= 0")
        limit = n if self._plan.limit is None else builtins.min(n, self._plan.limit)
        return self._with(limit=limit)

    def _slice(self, key: slice) -> GroupedFrame:
        if key.step not in (None, 1):
            raise ValueError("res[a:b] slices groups with step 1 only")
        start, stop = key.start or 0, key.stop
        if start < 0 or (stop is not None and stop < 0):
            raise ValueError("res[a:b] needs non-negative bounds (the group count is not known)")
        limit = None if stop is None else builtins.max(0, stop - start)
        if self._plan.limit is not None:
            remaining = builtins.max(0, self._plan.limit - start)
            limit = remaining if limit is None else builtins.min(limit, remaining)
        return self._with(offset=self._plan.offset + start, limit=limit)

    # ---------------------------------------------------------------- the call

    def call(self) -> tuple[str, list[Any], dict[str, Any]]:
        """The exact call for the connected version: ``(method, args, kwargs)``."""
        frame = self._frame
        domain = frame._wire_domain()
        context = dict(frame._state.context or {})
        method, args, kwargs = (_call19 if self.native_having else _call17)(self._plan, domain)
        if context:
            kwargs["context"] = context
        return method, args, kwargs

    def explain(self) -> str:
        """The call, as Python, and what odoo_frames does after it (17/18 having)."""
        method, args, kwargs = self.call()
        rendered = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
        lines = [f"{self.model}.{method}({rendered})"]
        plan = self._plan
        if not plan.having.is_true() and not self.native_having:
            version = self._frame.client.server_version
            lines.append(
                f"then in odoo_frames (Odoo {version} has no HAVING): keep groups where "
                f"{plan.having!r}"
            )
            if plan.offset or plan.limit is not None:
                stop = "" if plan.limit is None else str(plan.offset + plan.limit)
                lines.append(f"then keep groups [{plan.offset}:{stop}]")
        return "\n".join(lines)

    def _groups(self) -> list[dict[str, Any]]:
        method, args, kwargs = self.call()
        groups: list[dict[str, Any]] = self._frame.client.call(self.model, method, *args, **kwargs)
        return groups

    # ---------------------------------------------------------------- data

    def to_arrow(self) -> pa.Table:
        """The groups as a pyarrow Table (one call)."""
        table = _table(self._plan, self._groups(), self.timezone, native=self.native_having)
        plan = self._plan
        if not self.native_having and not plan.having.is_true():
            table = _filter_locally(table, plan.having)
            if plan.offset or plan.limit is not None:
                table = table.slice(plan.offset, plan.limit)
        return table

    def to_pandas(self) -> pd.DataFrame:
        """The groups as a pandas DataFrame (one call); counts are plain int64."""
        from .convert import arrow_to_pandas

        df = arrow_to_pandas(self.to_arrow())
        for agg in self._plan.aggregates:
            if agg.func in _COUNTING:
                df[agg.name] = df[agg.name].astype("int64")
        return df

    def to_polars(self) -> pl.DataFrame:
        """The groups as a polars DataFrame (one call)."""
        from .convert import arrow_to_polars

        return arrow_to_polars(self.to_arrow())

    @property
    def plot(self) -> Any:
        """``res.plot.bar(x=..., y=...)``, ``.barh``, ``.line``: matplotlib Axes (one call)."""
        from .plotting import PlotAccessor

        additive = frozenset(a.name for a in self._plan.aggregates if a.additive)
        default_x = self._plan.keys[0].groupby
        default_y = [a.name for a in self._plan.aggregates]
        return PlotAccessor(self.to_pandas, additive=additive, x=default_x, y=default_y)

    # ---------------------------------------------------------------- display

    def _describe_keys(self) -> list[str]:
        out = []
        for key in self._plan.keys:
            if key.kind == "bucket":
                where = self.timezone if key.spec.type == "datetime" else "date"
                out.append(f"{key.groupby} (start of the {key.granularity}, {where})")
            elif key.kind == "relation":
                out.append(f"{key.groupby} ({key.spec.type} id + .display_name)")
            else:
                out.append(f"{key.groupby} ({key.spec.type})")
        return out

    def __repr__(self) -> str:
        lines = [
            f"GroupedFrame {self.model}",
            f"  keys:      {', '.join(self._describe_keys())}",
            f"  columns:   {', '.join(self.columns)}",
        ]
        explained = self.explain().splitlines()
        lines.append(f"  will call: {explained[0]}")
        lines.extend(f"  {line}" for line in explained[1:])
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        explained = "<br>".join(f"<code>{esc(line)}</code>" for line in self.explain().splitlines())
        return (
            f"<div><strong>GroupedFrame</strong> <code>{esc(self.model)}</code>"
            "<table>"
            f"<tr><th style='text-align:left'>keys</th><td>{esc(', '.join(self._describe_keys()))}</td></tr>"
            f"<tr><th style='text-align:left'>columns</th><td>{esc(', '.join(self.columns))}</td></tr>"
            f"<tr><th style='text-align:left'>will call</th><td>{explained}</td></tr>"
            "</table></div>"
        )


# --------------------------------------------------------------------------------------
# Dialects: the call per version, and the result keys to read


_ALIAS = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: read_group rewrites ``orderby`` with ``str.replace(alias, spec)``: an alias inside
#: these words would corrupt the direction.
_ORDER_WORDS = " asc desc nulls first last "


def _aliases17(plan: _Plan) -> dict[str, str]:
    """Result key of each aggregate in read_group: its name when that is safe, else ``_aN``.

    ``'total:sum(amount_total)'`` reads better in the repr than an opaque alias; a name
    that is not an identifier, or that read_group's orderby rewriting would confuse
    with a groupby field, gets a positional alias.
    """
    taken = {k.path.split(".")[0] for k in plan.keys} | {k.groupby for k in plan.keys}
    taken |= {COUNT}
    out: dict[str, str] = {}
    by_spec: dict[tuple[str, str], str] = {}
    for index, agg in enumerate(plan.aggregates):
        if agg.func == COUNT:
            out[agg.name] = COUNT
            continue
        same = by_spec.get((agg.field, agg.func))
        if same is not None:
            out[agg.name] = same
            continue
        alias = agg.name
        if not _ALIAS.fullmatch(alias) or alias in taken or alias in _ORDER_WORDS:
            alias = f"_a{index}"
        taken.add(alias)
        out[agg.name] = by_spec[(agg.field, agg.func)] = alias
    return out


def _order_terms(plan: _Plan, aggregate_ref: Callable[[Aggregate], str]) -> str | None:
    by_agg = {a.name: a for a in plan.aggregates}
    by_key = {c: k for k in plan.keys for c in k.columns}
    parts: list[str] = []
    for column, ascending, nulls_last in plan.order:
        ref = aggregate_ref(by_agg[column]) if column in by_agg else by_key[column].groupby
        term = f"{ref} {'asc' if ascending else 'desc'}"
        # PostgreSQL puts nulls last ascending and first descending: say so when pandas differs
        if ascending and not nulls_last:
            term += " nulls first"
        elif not ascending and nulls_last:
            term += " nulls last"
        parts.append(term)
    return ", ".join(parts) or None


def _call17(plan: _Plan, domain: list[Any]) -> tuple[str, list[Any], dict[str, Any]]:
    aliases = _aliases17(plan)
    fields: list[str] = []
    for agg in plan.aggregates:
        alias = aliases[agg.name]
        spec = f"{alias}:{agg.func}({agg.field})"
        if agg.func != COUNT and spec not in fields:
            fields.append(spec)
    kwargs: dict[str, Any] = {
        "fields": fields,
        "groupby": [k.groupby for k in plan.keys],
        "lazy": False,
    }
    orderby = _order_terms(plan, lambda a: aliases[a.name])
    if orderby:
        kwargs["orderby"] = orderby
    if plan.having.is_true():  # else the slice applies after the local having
        if plan.limit is not None:
            kwargs["limit"] = plan.limit
        if plan.offset:
            kwargs["offset"] = plan.offset
    return "read_group", [domain], kwargs


def _call19(plan: _Plan, domain: list[Any]) -> tuple[str, list[Any], dict[str, Any]]:
    aggregates = list(dict.fromkeys(a.spec19 for a in plan.aggregates))
    kwargs: dict[str, Any] = {"groupby": [k.groupby for k in plan.keys], "aggregates": aggregates}
    if not plan.having.is_true():
        specs = {a.name: a.spec19 for a in plan.aggregates}
        kwargs["having"] = [
            [specs[item[0]], item[1], item[2]] if isinstance(item, list) else item
            for item in plan.having.to_list()
        ]
    order = _order_terms(plan, lambda a: a.spec19)
    if order:
        kwargs["order"] = order
    if plan.limit is not None:
        kwargs["limit"] = plan.limit
    if plan.offset:
        kwargs["offset"] = plan.offset
    return "formatted_read_group", [domain], kwargs


# --------------------------------------------------------------------------------------
# Having: filters on aggregate columns


_OPS = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _compile_having(node: Expr, aggregates: set[str], columns: Sequence[str]) -> Domain:
    """A filter on aggregate columns as a having domain (negations pushed to the leaves)."""

    def check(path: str, values: Iterable[Any]) -> None:
        if path not in aggregates:
            hint = (
                "filter the frame before groupby (so[so.state == 'sale'].groupby(...))"
                if path in columns
                else f"the aggregate columns are {', '.join(sorted(aggregates))}"
            )
            raise GroupByError(f"{path!r} is not an aggregate column of this result: {hint}")
        for value in values:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise GroupByError(
                    f"{path}: groups are filtered on numbers, got {value!r}; filter "
                    "the DataFrame after to_pandas() for other values"
                )

    def walk(item: Expr) -> Domain:
        if isinstance(item, And):
            return walk(item.left) & walk(item.right)
        if isinstance(item, Or):
            return walk(item.left) | walk(item.right)
        if isinstance(item, Not):
            return ~walk(item.operand)
        if isinstance(item, Compare):
            check(item.path, [item.value])
            return Domain.leaf(item.path, _OPS[item.op], item.value)
        if isinstance(item, IsIn):
            check(item.path, item.values)
            return Domain.leaf(item.path, "in", list(item.values))
        if isinstance(item, Between):
            check(item.path, [item.low, item.high])
            low = Domain.leaf(item.path, ">=" if item.low_inclusive else ">", item.low)
            high = Domain.leaf(item.path, "<=" if item.high_inclusive else "<", item.high)
            return low & high
        if isinstance(item, Raw):
            for leaf in item.domain.leaves():
                check(str(leaf[0]), leaf[2] if isinstance(leaf[2], list) else [leaf[2]])
            return item.domain
        raise GroupByError(
            f"groups are filtered with comparisons (== != < <= > >=), isin and between "
            f"on aggregate columns; got {item!r}"
        )

    return walk(node)


def _filter_locally(table: pa.Table, having: Domain) -> pa.Table:
    """HAVING for 17/18: evaluate the having domain on the result rows (nulls never match)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    compare: dict[str, Callable[[Any, Any], Any]] = {
        "=": pc.equal,
        "!=": pc.not_equal,
        "<": pc.less,
        "<=": pc.less_equal,
        ">": pc.greater,
        ">=": pc.greater_equal,
    }
    items = list(having)

    def evaluate(position: int) -> tuple[Any, int]:
        item = items[position]
        if item in ("&", "|"):
            left, after = evaluate(position + 1)
            right, end = evaluate(after)
            combine = pc.and_kleene if item == "&" else pc.or_kleene
            return combine(left, right), end
        if item == "!":
            inner, end = evaluate(position + 1)
            return pc.invert(inner), end
        assert isinstance(item, tuple)
        name, operator, value = item
        column = table[name]
        if operator in ("in", "not in"):
            mask = pc.is_in(column, value_set=pa.array(value, column.type))
            return (pc.invert(mask) if operator == "not in" else mask), position + 1
        return compare[operator](column, value), position + 1

    mask, _ = evaluate(0)
    return table.filter(pc.fill_null(mask, False))


# --------------------------------------------------------------------------------------
# Results: Odoo's groups -> typed columns


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _bucket_zone(frame: OdooFrame) -> str:
    """The tz Odoo buckets datetimes in: the merged context's, when it is a known zone."""
    context = {**(frame.client.context or {}), **(frame._state.context or {})}
    name = context.get("tz")
    return name if isinstance(name, str) and name in _known_zones() else "UTC"


def _table(plan: _Plan, groups: list[dict[str, Any]], tz: str, *, native: bool) -> pa.Table:
    import pyarrow as pa

    columns: dict[str, Any] = {}
    for key in plan.keys:
        columns.update(_key_arrays(key, groups, tz, native=native))
    aliases = {} if native else _aliases17(plan)
    for agg in plan.aggregates:
        source = agg.spec19 if native else aliases[agg.name]
        columns[agg.name] = _aggregate_array(agg, [g.get(source, False) for g in groups])
    return pa.table(columns)


def _key_arrays(key: Key, groups: list[dict[str, Any]], tz: str, *, native: bool) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.compute as pc

    from .convert import column_arrays

    spec_name = key.groupby
    raw = [g.get(spec_name, False) for g in groups]
    if key.kind == "number":
        return {spec_name: pa.array([None if v is False else v for v in raw], pa.int64())}
    if key.kind == "bucket":
        starts = pa.array(
            [_bucket_start(key, g, v, native) for g, v in zip(groups, raw)], pa.string()
        )
        if key.spec.type == "date":
            return {spec_name: pc.cast(pc.utf8_slice_codeunits(starts, 0, 10), pa.date32())}
        utc = pc.strptime(starts, format="%Y-%m-%d %H:%M:%S", unit="us").cast(
            pa.timestamp("us", tz="UTC")
        )
        return {spec_name: utc.cast(pa.timestamp("us", tz=tz))}
    spec = key.spec
    if key.kind == "relation" and spec.type != "many2one":
        spec = FieldSpec(spec.name, "many2one", relation=spec.relation)
    return column_arrays(spec, raw, spec_name)


def _bucket_start(key: Key, group: Mapping[str, Any], value: Any, native: bool) -> str | None:
    """The period start (UTC text for datetimes) of a date group: never from its label."""
    if value is False or value is None:
        return None
    if native:  # 19: ["2026-03-01 00:00:00", "March 2026"]
        return str(value[0])
    bounds = (group.get("__range") or {}).get(key.groupby)
    if bounds:
        return str(bounds["from"])
    for item in group.get("__domain") or ():  # servers without __range
        if isinstance(item, list | tuple) and item[0] == key.path and item[1] == ">=":
            return str(item[2])
    raise GroupByError(f"{key.groupby}: the server sent no range for the group {value!r}")


def _aggregate_array(agg: Aggregate, values: list[Any]) -> Any:
    import pyarrow as pa

    from .convert import column_arrays

    if agg.func in _COUNTING:
        return pa.array([v or 0 for v in values], pa.int64())
    if agg.func in ("bool_and", "bool_or"):
        return pa.array([bool(v) for v in values], pa.bool_())
    spec = agg.spec
    assert spec is not None
    if spec.type in _NUMERIC:
        if agg.func == "avg" or spec.type != "integer":
            return pa.array([float(v) if v else 0.0 for v in values], pa.float64())
        return pa.array([int(v) if v else 0 for v in values], pa.int64())
    # min / max of text, dates, datetimes, selections (as text), many2one ids
    if spec.type == "selection":
        spec = FieldSpec(spec.name, "char")
    if spec.type in ("many2one", "many2many"):
        return pa.array([v if v else None for v in values], pa.int64())
    return column_arrays(spec, values, agg.name)[agg.name]


# --------------------------------------------------------------------------------------
# local=True: pandas' own GroupBy, with the same key columns


def local_groupby(frame: OdooFrame, keys: Sequence[Any]) -> Any:
    """Fetch the rows and return pandas' GroupBy on the same key columns as the server's.

    For what Odoo cannot aggregate: ``so.groupby("state", local=True).amount_total.median()``.
    The grouping is ``as_index=False, dropna=False, observed=True``, so results are flat
    like :class:`GroupedFrame`'s; date keys become the same period starts (weeks from
    Sunday, as en_US) in the same time zone.
    """
    if not keys:
        raise GroupByError("groupby() needs at least one key")
    parsed = [_parse_key(frame, k, server=False) for k in keys]
    for key in parsed:
        if key.spec.type == "many2many":
            raise GroupByError(
                f"groupby({key.path!r}, local=True): a many2many column holds lists of ids; "
                "explode it in pandas first, or group on the server"
            )
    wanted = [c for c in frame._selected() if c != "id"]
    for key in parsed:
        if key.path not in wanted and key.path != "id":
            wanted.append(key.path)
    df = frame.select(wanted).to_pandas()
    tz = _bucket_zone(frame)
    by: list[str] = []
    for key in parsed:
        if key.granularity is not None:
            df[key.groupby] = local_bucket(df[key.path], key.spec.type, key.granularity, tz)
        by.extend(key.columns)
    return df.groupby(by, as_index=False, dropna=False, observed=True, sort=True)


def local_bucket(series: pd.Series, field_type: str, granularity: str, tz: str) -> pd.Series:
    """The group a date (``datetime.date``) or UTC datetime column falls in, like Odoo's.

    Time granularities give the period start (dates, or aware timestamps in ``tz``);
    number granularities the integer part (``day_of_week``: Sunday = 0).
    """
    import numpy as np
    import pandas as pd

    if field_type == "date":
        local = pd.to_datetime(series)
    else:
        local = pd.to_datetime(series, utc=True).dt.tz_convert(tz).dt.tz_localize(None)
    day = local.dt.normalize()
    starts = {
        "hour": lambda: local.dt.floor("h"),
        "day": lambda: day,
        "week": lambda: day - pd.to_timedelta((local.dt.day_of_week + 1) % 7, unit="D"),
        "month": lambda: local.dt.to_period("M").dt.start_time,
        "quarter": lambda: local.dt.to_period("Q").dt.start_time,
        "year": lambda: local.dt.to_period("Y").dt.start_time,
    }
    if granularity in starts:
        start = starts[granularity]()
        if field_type == "date":
            return start.dt.date.where(series.notna(), None)
        standard_time = np.zeros(len(start), dtype=bool)  # Odoo localizes with is_dst=False
        aware = start.dt.tz_localize(tz, ambiguous=standard_time, nonexistent="shift_forward")
        return aware.astype(pd.DatetimeTZDtype(unit="us", tz=tz))
    parts = {
        "year_number": lambda: local.dt.year,
        "quarter_number": lambda: local.dt.quarter,
        "month_number": lambda: local.dt.month,
        "iso_week_number": lambda: local.dt.isocalendar().week,
        "day_of_year": lambda: local.dt.day_of_year,
        "day_of_month": lambda: local.dt.day,
        "day_of_week": lambda: (local.dt.day_of_week + 1) % 7,
        "hour_number": lambda: local.dt.hour,
        "minute_number": lambda: local.dt.minute,
        "second_number": lambda: local.dt.second,
    }
    return parts[granularity]().astype("Int64")
