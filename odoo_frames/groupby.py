"""groupby on the server: read_group (Odoo 17/18) or formatted_read_group (19).

``frame.groupby(keys).agg(...)`` builds a :class:`GroupedFrame`, lazy like a frame.
Materialising it makes exactly one call, in the dialect of the connected version:

* 17.0 / 18.0: ``read_group(domain, fields=["a0:sum(amount_total)", ...],
  groupby=[...], lazy=False, orderby=..., limit=..., offset=...)``;
* 19.0: ``formatted_read_group(domain, groupby=[...], aggregates=["amount_total:sum", ...],
  having=[...], order=..., limit=..., offset=...)``.

The result is a flat, typed table: one column per key (a many2one gives ``key`` and
``key.display_name``; a date bucket is the period start taken from ``__range`` or the
group value, never parsed from the translated label, in the context tz), one column
per aggregate named as pandas names it, and the same frame on every version.

Example::

    so = odoo["sale.order"]
    monthly = (so[so.state == "sale"]
               .groupby(["partner_id", so.date_order.dt.month])
               .agg(total=("amount_total", "sum"), orders=("id", "count")))
    monthly.to_pandas()
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .domain import Domain
from .expr import Col, DatePart, Expr, FilterError, compile_filter
from .schema import FieldSpec

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    from .frame import OdooFrame

#: pandas aggregation names -> Odoo aggregate functions.
PANDAS_TO_ODOO: dict[str, str] = {
    "sum": "sum",
    "mean": "avg",
    "avg": "avg",
    "min": "min",
    "max": "max",
    "count": "count",
    "nunique": "count_distinct",
    "count_distinct": "count_distinct",
    "any": "bool_or",
    "all": "bool_and",
    "bool_or": "bool_or",
    "bool_and": "bool_and",
    "size": "__count",
}

#: Functions pandas has and Odoo's SQL aggregation does not.
LOCAL_ONLY = frozenset(
    {"median", "std", "var", "quantile", "first", "last", "prod", "sem", "skew", "mode", "describe"}
)

DATE_GRANULARITIES = ("day", "week", "month", "quarter", "year")
NUMBER_GRANULARITIES = (
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
_PART_TO_GRANULARITY = {
    "year": "year",
    "quarter": "quarter",
    "month": "month",
    "week": "week",
    "day": "day",
    "dayofweek": "day_of_week",
    "dayofyear": "day_of_year",
    "hour": "hour",
}


class GroupByError(FilterError):
    """A grouping or aggregation Odoo cannot do on the server."""


@dataclass(frozen=True)
class Key:
    """One grouping key: a field, maybe with a granularity (``date_order:month``)."""

    field: str
    granularity: str | None = None
    spec: FieldSpec | None = None

    @property
    def groupby(self) -> str:
        return f"{self.field}:{self.granularity}" if self.granularity else self.field

    @property
    def column(self) -> str:
        return self.groupby


@dataclass(frozen=True)
class Aggregate:
    """One output column: ``name`` = ``func`` of ``field`` (``__count`` for sizes)."""

    name: str
    field: str
    func: str  # Odoo function, or "__count"


@dataclass(frozen=True)
class _GroupState:
    keys: tuple[Key, ...]
    aggregates: tuple[Aggregate, ...] = ()
    order: tuple[tuple[str, bool], ...] = ()
    limit: int | None = None
    offset: int = 0
    having: Domain = field(default_factory=Domain.true)


class GroupBy:
    """The keys of a groupby, waiting for an aggregation (pandas' DataFrameGroupBy)."""

    def __init__(
        self, frame: OdooFrame, keys: Sequence[Any], selection: Sequence[str] | None = None
    ) -> None:
        self._frame = frame
        self._keys = tuple(_parse_key(frame, k) for k in keys)
        self._selection = tuple(selection) if selection is not None else None

    def __getitem__(self, columns: str | Sequence[str]) -> GroupBy:
        names = [columns] if isinstance(columns, str) else list(columns)
        for name in names:
            self._frame._field_of(name)
        return GroupBy(self._frame, [k.groupby for k in self._keys], names)

    def agg(self, *args: Any, **named: tuple[str, str]) -> GroupedFrame:
        """Aggregate, in the three pandas shapes.

        * ``.agg({"amount_total": "sum", "id": "count"})``
        * ``.agg(total=("amount_total", "sum"), n=("id", "count"))``
        * ``gb["amount_total"].agg(["sum", "mean"])``
        """
        aggs: list[Aggregate] = []
        if args and named:
            raise GroupByError(
                "agg() takes either a dict/list or name=(column, function) pairs, not both"
            )
        if named:
            for name, pair in named.items():
                if not (isinstance(pair, tuple) and len(pair) == 2):
                    raise GroupByError(
                        f"agg({name}=...) needs a (column, function) pair, got {pair!r}"
                    )
                aggs.append(self._aggregate(name, pair[0], pair[1]))
        elif len(args) == 1 and isinstance(args[0], Mapping):
            for column, funcs in args[0].items():
                for func in [funcs] if isinstance(funcs, str) else list(funcs):
                    name = column if isinstance(funcs, str) else f"{column}_{func}"
                    aggs.append(self._aggregate(name, column, func))
        elif len(args) == 1 and isinstance(args[0], str | list | tuple):
            funcs = [args[0]] if isinstance(args[0], str) else list(args[0])
            columns = self._selection or ()
            if not columns:
                raise GroupByError(
                    "agg('sum') needs selected columns: gb[['amount_total']].agg('sum'), or "
                    "agg({'amount_total': 'sum'})"
                )
            for column in columns:
                for func in funcs:
                    if len(columns) == 1:
                        name = func if not isinstance(args[0], str) else column
                    else:
                        name = f"{column}_{func}" if len(funcs) > 1 else column
                    aggs.append(self._aggregate(name, column, func))
        else:
            raise GroupByError(
                "agg() takes a dict, a function name or list of names, or name=(column, function)"
            )
        return GroupedFrame(self._frame, _GroupState(keys=self._keys, aggregates=tuple(aggs)))

    aggregate = agg

    def _aggregate(self, name: str, column: str, func: Any) -> Aggregate:
        if callable(func):
            raise GroupByError(
                f"{column}: a custom function cannot run on the Odoo server; fetch the rows "
                "first (frame.to_pandas().groupby(...)) or use groupby(..., local=True)"
            )
        if not isinstance(func, str):
            raise GroupByError(f"{column}: aggregation {func!r} is not a function name")
        if func in LOCAL_ONLY:
            raise GroupByError(
                f"{column}: Odoo cannot compute {func!r} on the server (it aggregates with "
                "sum, mean, min, max, count, nunique, any, all); fetch the rows first "
                "(frame.to_pandas().groupby(...)) or pass local=True to groupby()"
            )
        odoo_func = PANDAS_TO_ODOO.get(func)
        if odoo_func is None:
            raise GroupByError(
                f"{column}: unknown aggregation {func!r}; use one of {', '.join(PANDAS_TO_ODOO)}"
            )
        if (column == "id" and odoo_func == "count") or odoo_func == "__count":
            return Aggregate(name, "id", "__count")
        spec = self._frame._field_of(column)
        if "." in column:
            raise GroupByError(
                f"{column}: Odoo aggregates fields of {self._frame.model} itself, not dotted paths"
            )
        if not spec.store:
            raise GroupByError(f"{column} is not stored: Odoo cannot aggregate it on the server")
        if odoo_func not in spec.aggregates():
            allowed = sorted(_pandas_names(spec.aggregates()))
            raise GroupByError(
                f"{column} is a {spec.type} field: {func!r} does not apply (use {', '.join(allowed)})"
            )
        return Aggregate(name, column, odoo_func)

    # pandas sugar
    def size(self) -> GroupedFrame:
        """Rows per group, in a column named ``size``."""
        return GroupedFrame(
            self._frame,
            _GroupState(keys=self._keys, aggregates=(Aggregate("size", "id", "__count"),)),
        )

    def _each(self, func: str) -> GroupedFrame:
        columns = self._selection or tuple(
            name
            for name, spec in self._frame.schema.fields.items()
            if spec.store
            and spec.is_numeric
            and spec.aggregator
            and name not in {k.field for k in self._keys}
        )
        return GroupedFrame(
            self._frame,
            _GroupState(
                keys=self._keys, aggregates=tuple(self._aggregate(c, c, func) for c in columns)
            ),
        )

    def count(self) -> GroupedFrame:
        return self._each("count")

    def sum(self) -> GroupedFrame:
        return self._each("sum")

    def mean(self) -> GroupedFrame:
        return self._each("mean")

    def min(self) -> GroupedFrame:
        return self._each("min")

    def max(self) -> GroupedFrame:
        return self._each("max")

    def nunique(self) -> GroupedFrame:
        return self._each("nunique")


def _pandas_names(funcs: frozenset[str]) -> set[str]:
    reverse = {"avg": "mean", "count_distinct": "nunique", "bool_or": "any", "bool_and": "all"}
    return {reverse.get(f, f) for f in funcs if f != "array_agg"}


def _parse_key(frame: OdooFrame, key: Any) -> Key:
    if isinstance(key, DatePart):
        path, granularity = key.path, _PART_TO_GRANULARITY[key.part]
    elif isinstance(key, Col):
        path, granularity = key.path, None
    elif isinstance(key, str):
        path, _, gran = key.partition(":")
        granularity = gran or None
    else:
        raise GroupByError(
            f"groupby key {key!r}: use a field name, 'field:granularity' or so.date_order.dt.month"
        )
    spec = frame._field_of(path)
    if "." in path:
        if not frame.client.capabilities.formatted_read_group:
            raise GroupByError(
                f"groupby({path!r}): grouping by a related field needs Odoo 19 "
                f"(formatted_read_group); this server is {frame.client.server_version}. "
                "Fetch the rows and group in pandas, or group by the first field of the path"
            )
        if spec.type != "many2one" and frame.client.capabilities.formatted_read_group:
            pass
    if not spec.groupable:
        raise GroupByError(
            f"groupby({path!r}): {path} cannot be grouped by (not stored / not groupable)"
        )
    if spec.type in ("date", "datetime"):
        if granularity is None:
            granularity = "month"
        allowed = (
            *DATE_GRANULARITIES,
            *NUMBER_GRANULARITIES,
            *(("hour",) if spec.type == "datetime" else ()),
        )
        if granularity not in allowed:
            raise GroupByError(
                f"groupby({path}:{granularity}): unknown granularity; use one of {', '.join(allowed)}"
            )
    elif granularity is not None:
        raise GroupByError(
            f"groupby({path}:{granularity}): only date and datetime fields take a granularity"
        )
    return Key(path, granularity, spec)


class GroupedFrame:
    """A lazy server-side aggregation; materialise with to_pandas / to_polars / to_arrow."""

    def __init__(self, frame: OdooFrame, state: _GroupState) -> None:
        self._frame = frame
        self._state = state

    def _with(self, **changes: Any) -> GroupedFrame:
        return GroupedFrame(self._frame, replace(self._state, **changes))

    @property
    def columns(self) -> list[str]:
        out: list[str] = []
        for key in self._state.keys:
            out.append(key.column)
            if key.spec is not None and key.spec.type == "many2one" and key.granularity is None:
                out.append(f"{key.column}.display_name")
        out.extend(a.name for a in self._state.aggregates)
        return out

    def __getattr__(self, name: str) -> Col:
        if name.startswith("_"):
            raise AttributeError(name)
        return Col(name)

    def __getitem__(self, key: Any) -> GroupedFrame:
        """Filter groups on aggregate columns: ``res[res.total > 1000]`` (HAVING)."""
        if isinstance(key, Expr | Domain):
            names = {a.name for a in self._state.aggregates}

            def resolve(path: str) -> FieldSpec:
                if path not in names:
                    raise GroupByError(
                        f"{path!r} is not an aggregate column of this result ({', '.join(sorted(names))})"
                    )
                return FieldSpec(path, "float")

            domain = compile_filter(key, resolve)
            return self._with(having=self._state.having & domain)
        raise TypeError("index a grouped result with a filter on its aggregate columns")

    def sort_values(
        self, by: str | Sequence[str], ascending: bool | Sequence[bool] = True
    ) -> GroupedFrame:
        keys = [by] if isinstance(by, str) else list(by)
        flags = [ascending] * len(keys) if isinstance(ascending, bool) else list(ascending)
        known = set(self.columns)
        for k in keys:
            if k not in known:
                raise GroupByError(
                    f"sort_values({k!r}): not a column of the result ({', '.join(self.columns)})"
                )
        return self._with(order=tuple(zip(keys, (bool(f) for f in flags), strict=True)))

    def head(self, n: int = 5) -> GroupedFrame:
        return self._with(limit=n)

    # ------------------------------------------------------------------ dialects

    @property
    def _native_having(self) -> bool:
        return bool(self._frame.client.capabilities.formatted_read_group)

    def call(self) -> tuple[str, list[Any], dict[str, Any]]:
        """The exact call for the connected version: (method, args, kwargs)."""
        frame, st = self._frame, self._state
        domain = frame._wire_domain()
        groupby = [k.groupby for k in st.keys]
        context = dict(frame._state.context or {})
        if self._native_having:
            aggregates = [_spec19(a) for a in st.aggregates]
            kw: dict[str, Any] = {"groupby": groupby, "aggregates": aggregates}
            if not st.having.is_true():
                kw["having"] = _having19(st.having, st.aggregates)
            order = self._order19()
            if order:
                kw["order"] = order
            if st.limit is not None:
                kw["limit"] = st.limit
            if st.offset:
                kw["offset"] = st.offset
            if context:
                kw["context"] = context
            return "formatted_read_group", [domain], kw
        fields = [_spec18(i, a) for i, a in enumerate(st.aggregates) if a.func != "__count"]
        kw = {"lazy": False}
        order = self._order18()
        if order:
            kw["orderby"] = order
        local_having = not st.having.is_true()
        if not local_having:
            if st.limit is not None:
                kw["limit"] = st.limit
            if st.offset:
                kw["offset"] = st.offset
        if context:
            kw["context"] = context
        return "read_group", [domain, fields, groupby], kw

    def _order_items(self) -> list[tuple[str, bool, Aggregate | Key | None]]:
        out: list[tuple[str, bool, Aggregate | Key | None]] = []
        by_name = {a.name: a for a in self._state.aggregates}
        by_key = {k.column: k for k in self._state.keys}
        for name, asc in self._state.order:
            if name.endswith(".display_name"):
                name = name[: -len(".display_name")]
            out.append((name, asc, by_name.get(name) or by_key.get(name)))
        return out

    def _order18(self) -> str | None:
        parts = []
        for i, (_, asc, target) in enumerate(self._order_items()):
            direction = "asc" if asc else "desc"
            if isinstance(target, Aggregate):
                ref = (
                    "__count"
                    if target.func == "__count"
                    else f"a{self._state.aggregates.index(target)}"
                )
                parts.append(f"{ref} {direction}")
            elif isinstance(target, Key):
                parts.append(f"{target.groupby} {direction}")
            del i
        return ", ".join(parts) or None

    def _order19(self) -> str | None:
        parts = []
        for _, asc, target in self._order_items():
            direction = "asc" if asc else "desc"
            if isinstance(target, Aggregate):
                parts.append(f"{_spec19(target)} {direction}")
            elif isinstance(target, Key):
                parts.append(f"{target.groupby} {direction}")
        return ", ".join(parts) or None

    # ------------------------------------------------------------------ data

    def _groups(self) -> list[dict[str, Any]]:
        method, args, kw = self.call()
        groups: list[dict[str, Any]] = self._frame.client.call(
            self._frame.model, method, *args, **kw
        )
        return groups

    def to_arrow(self) -> pa.Table:
        import pyarrow as pa

        groups = self._groups()
        tz = self._tz()
        columns: dict[str, Any] = {}
        for key in self._state.keys:
            columns.update(_key_column(key, groups, tz, native=self._native_having))
        for index, agg in enumerate(self._state.aggregates):
            source = _result_key(index, agg, native=self._native_having)
            values = [g.get(source) for g in groups]
            columns[agg.name] = _agg_array(agg, self._frame, values)
        table = pa.table(columns) if columns else pa.table({})
        if not self._state.having.is_true() and not self._native_having:
            table = _apply_having_locally(table, self._state.having)
            if self._state.offset or self._state.limit is not None:
                stop = None if self._state.limit is None else self._state.offset + self._state.limit
                table = table.slice(
                    self._state.offset, None if stop is None else stop - self._state.offset
                )
        return table

    def to_pandas(self) -> pd.DataFrame:
        from .convert import arrow_to_pandas

        frame = arrow_to_pandas(self.to_arrow())
        return frame

    def to_polars(self) -> pl.DataFrame:
        from .convert import arrow_to_polars

        return arrow_to_polars(self.to_arrow())

    def _tz(self) -> str:
        context = self._frame._state.context or {}
        tz = context.get("tz") or getattr(self._frame.client, "context", {}).get("tz") or "UTC"
        return str(tz)

    @property
    def plot(self) -> Any:
        from .plotting import PlotAccessor

        return PlotAccessor(self.to_pandas)

    # ------------------------------------------------------------------ display

    def explain(self) -> str:
        method, args, kw = self.call()
        shown = {k: v for k, v in kw.items()}
        note = ""
        if not self._state.having.is_true() and not self._native_having:
            note = f"\nthen, in odoo_frames: keep groups where {self._state.having!r} (no HAVING before Odoo 19)"
        rendered = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in shown.items()])
        return f"{self._frame.model}.{method}({rendered}){note}"

    def __repr__(self) -> str:
        return f"GroupedFrame {self._frame.model}\n  columns: {', '.join(self.columns)}\n  will call: {self.explain()}"

    def _repr_html_(self) -> str:
        esc = html.escape
        return (
            f"<div><strong>GroupedFrame</strong> <code>{esc(self._frame.model)}</code><br>"
            f"columns: {esc(', '.join(self.columns))}<br>will call: <code>{esc(self.explain())}</code></div>"
        )


def _spec18(index: int, agg: Aggregate) -> str:
    # An alias per aggregate: two aggregates of one field must not share a result key.
    return f"a{index}:{agg.func}({agg.field})"


def _spec19(agg: Aggregate) -> str:
    return "__count" if agg.func == "__count" else f"{agg.field}:{agg.func}"


def _result_key(index: int, agg: Aggregate, *, native: bool) -> str:
    if agg.func == "__count":
        return "__count"
    return _spec19(agg) if native else f"a{index}"


def _having19(having: Domain, aggs: Sequence[Aggregate]) -> list[Any]:
    by_name = {a.name: _spec19(a) for a in aggs}
    out: list[Any] = []
    for item in having.to_list():
        if isinstance(item, list):
            out.append([by_name[item[0]], item[1], item[2]])
        else:
            out.append(item)
    return out


def _agg_array(agg: Aggregate, frame: OdooFrame, values: list[Any]) -> Any:
    import pyarrow as pa

    if agg.func in ("__count", "count", "count_distinct"):
        return pa.array([int(v or 0) for v in values], pa.int64())
    if agg.func in ("bool_and", "bool_or"):
        return pa.array([None if v is None else bool(v) for v in values], pa.bool_())
    spec = frame._field_of(agg.field)
    if spec.type == "integer" and agg.func in ("sum", "min", "max"):
        return pa.array([None if v is None or v is False else int(v) for v in values], pa.int64())
    if spec.type in ("date", "datetime", "char", "selection", "many2one"):
        return pa.array([None if v is None or v is False else v for v in values])
    return pa.array([None if v is None or v is False else float(v) for v in values], pa.float64())


def _key_column(key: Key, groups: list[dict[str, Any]], tz: str, *, native: bool) -> dict[str, Any]:
    import pyarrow as pa

    from .convert import column_arrays

    spec = key.spec
    assert spec is not None
    raw = [g.get(key.groupby, False) for g in groups]
    if spec.type in ("date", "datetime") and key.granularity in NUMBER_GRANULARITIES:
        return {
            key.column: pa.array(
                [None if v is False or v is None else int(v) for v in raw], pa.int64()
            )
        }
    if spec.type in ("date", "datetime"):
        starts = [
            _bucket_start(key, g, raw_value, native)
            for g, raw_value in zip(groups, raw, strict=True)
        ]
        if spec.type == "date":
            return {
                key.column: pa.array(
                    [None if s is None else dt.date.fromisoformat(s[:10]) for s in starts],
                    pa.date32(),
                )
            }
        zone = ZoneInfo(tz)
        values = [
            None
            if s is None
            else dt.datetime.fromisoformat(s).replace(tzinfo=dt.UTC).astimezone(zone)
            for s in starts
        ]
        return {key.column: pa.array(values, pa.timestamp("us", tz=tz))}
    if spec.type == "many2many":
        spec = FieldSpec(spec.name, "many2one", relation=spec.relation)
    return {
        (k if k != spec.name else key.column): v
        for k, v in column_arrays(spec, raw, key.column).items()
    }


def _bucket_start(key: Key, group: Mapping[str, Any], raw: Any, native: bool) -> str | None:
    """The period start (UTC text) of a date group, from the value (19), __range or __domain."""
    if raw is False or raw is None:
        return None
    if native and isinstance(raw, list | tuple) and raw:
        return str(raw[0])
    ranges = group.get("__range") or {}
    bounds = ranges.get(key.groupby) if isinstance(ranges, Mapping) else None
    if isinstance(bounds, Mapping) and bounds.get("from"):
        return str(bounds["from"])
    for item in group.get("__domain") or []:
        if (
            isinstance(item, list | tuple)
            and len(item) == 3
            and item[0] == key.field
            and item[1] == ">="
        ):
            return str(item[2])
    return None


def _apply_having_locally(table: pa.Table, having: Domain) -> pa.Table:
    """HAVING for 17/18: evaluate the aggregate filter on the result rows."""
    import pyarrow.compute as pc

    def evaluate(pos: int) -> tuple[Any, int]:
        item = items[pos]
        if item in ("&", "|"):
            left, nxt = evaluate(pos + 1)
            right, end = evaluate(nxt)
            return (pc.and_kleene(left, right) if item == "&" else pc.or_kleene(left, right)), end
        if item == "!":
            inner, end = evaluate(pos + 1)
            return pc.invert(inner), end
        name, op, value = item
        column = table[name]
        ops: dict[str, Callable[[Any, Any], Any]] = {
            "=": pc.equal,
            "!=": pc.not_equal,
            "<": pc.less,
            "<=": pc.less_equal,
            ">": pc.greater,
            ">=": pc.greater_equal,
        }
        if op in ("in", "not in"):
            mask = pc.is_in(column, value_set=__import__("pyarrow").array(value))
            return (pc.invert(mask) if op == "not in" else mask), pos + 1
        if value is False:
            mask = pc.is_null(column)
            return (pc.invert(mask) if op == "!=" else mask), pos + 1
        return ops[op](column, value), pos + 1

    items = list(having)
    mask, _ = evaluate(0)
    return table.filter(pc.fill_null(mask, False))


def local_groupby(frame: OdooFrame, keys: Sequence[Any]) -> Any:
    """pandas' GroupBy on the fetched rows, for what the server cannot aggregate."""
    columns: list[str] = []
    derived: dict[str, tuple[str, str]] = {}
    for key in keys:
        parsed = _parse_key(frame, key)
        if parsed.granularity:
            derived[parsed.column] = (parsed.field, parsed.granularity)
            columns.append(parsed.field)
        else:
            columns.append(parsed.field)
    df = frame.to_pandas()
    for name, (source, granularity) in derived.items():
        df[name] = _local_bucket(df[source], granularity)
    names = [(_parse_key(frame, k).column) for k in keys]
    return df.groupby(names, dropna=False, observed=True)


def _local_bucket(series: Any, granularity: str) -> Any:
    import pandas as pd

    values = pd.to_datetime(series)
    freq = {"day": "D", "week": "W-MON", "month": "M", "quarter": "Q", "year": "Y"}
    if granularity in freq:
        if granularity == "week":
            return values.dt.to_period("W-SUN").dt.start_time
        return values.dt.to_period(freq[granularity]).dt.start_time
    parts = {
        "year_number": values.dt.year,
        "quarter_number": values.dt.quarter,
        "month_number": values.dt.month,
        "iso_week_number": values.dt.isocalendar().week,
        "day_of_year": values.dt.dayofyear,
        "day_of_month": values.dt.day,
        "day_of_week": (values.dt.dayofweek + 1) % 7,
        "hour_number": values.dt.hour,
    }
    return parts[granularity]
