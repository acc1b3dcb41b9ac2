"""OdooFrame: a lazy, immutable query on one Odoo model.

``odoo["sale.order"]`` is an OdooFrame. Filtering, selecting columns, sorting and
slicing return new frames and send nothing; the data comes when you ask for it
(``to_pandas()``, ``to_polars()``, ``to_arrow()``, ``len()``, ``ids()``), in as few
calls as the plan needs (see :mod:`odoo_frames.fetch`). Everything is checked
against fields_get before any data call: unknown fields (with "did you mean"),
values of the wrong type, filters no domain can express.

Example::

    so = odoo["sale.order"]
    big = so[(so.state == "sale") & (so.amount_total > 1000)]
    big.domain        # ['&', ('state', '=', 'sale'), ('amount_total', '>', 1000)]
    big[["name", "partner_id"]].sort_values("amount_total", ascending=False).head(20).to_pandas()
"""

from __future__ import annotations

import html
import sys
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

from .domain import Domain
from .expr import DATE_NUMBER_PARTS, Col, Expr, FieldInfo, FilterError, compile_filter, wire_value
from .fetch import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_WORKERS,
    ReadPlan,
    fetch_records,
    fetch_related_values,
    fetch_table,
)
from .query import parse_query
from .schema import FieldSpec, ModelSchema
from .snapshot import Snapshot, attach

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

__all__ = ["OdooFrame"]

#: Field types whose values a domain compares with each Python type.
_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "char": (str,),
    "text": (str,),
    "html": (str,),
    "selection": (str, int),
    "integer": (int, float),
    "float": (int, float),
    "monetary": (int, float),
    "boolean": (bool, int),
    "many2one": (int,),
    "date": (str,),
    "datetime": (str,),
    "one2many": (int,),
    "many2many": (int,),
}


_DATE_NUMBER_PARTS = frozenset(DATE_NUMBER_PARTS)


def _has_date_parts(client: Any) -> bool:
    """Date-part properties in domains (``date_order.month_number``) exist since 17.3."""
    info = tuple(getattr(client, "version_info", ()) or ())
    if len(info) < 2:
        return True
    major = info[0]
    if isinstance(major, str):  # "saas~17"
        major = int("".join(ch for ch in major if ch.isdigit()) or 0)
    return (int(major), int(info[1])) >= (17, 3)


#: Parsed schemas per connection (the client caches fields_get; this caches the specs
#: built from it, which filters look up once per leaf).
_SCHEMAS: weakref.WeakKeyDictionary[Any, dict[tuple[str, Any], ModelSchema]] = (
    weakref.WeakKeyDictionary()
)


def schema_of(client: Any, model: str) -> ModelSchema:
    """The :class:`ModelSchema` of ``model`` for this client (cached with its fields_get)."""
    owner = getattr(client, "_conn", client)
    key = (model, (getattr(client, "context", None) or {}).get("lang"))
    try:
        cache = _SCHEMAS.setdefault(owner, {})
    except TypeError:  # not weak-referenceable: no caching
        return ModelSchema.from_fields_get(model, client.fields_get(model))
    schema = cache.get(key)
    if schema is None or not _schema_fresh(client, model):
        schema = cache[key] = ModelSchema.from_fields_get(model, client.fields_get(model))
    return schema


def _schema_fresh(client: Any, model: str) -> bool:
    """False after ``client.refresh_schema()`` dropped the model's fields."""
    conn = getattr(client, "_conn", None)
    store = getattr(conn, "schema", None)
    if not isinstance(store, dict):
        return True
    return any(k[0] == model for k in store)


@dataclass(frozen=True)
class _State:
    model: str
    filter: Domain = field(default_factory=Domain.true)
    columns: tuple[str, ...] | None = None
    order: tuple[tuple[str, bool], ...] = ()
    offset: int = 0
    limit: int | None = None
    context: Mapping[str, Any] | None = None


class OdooFrame:
    """A lazy, immutable query on one model. See the module docstring."""

    __slots__ = ("_client", "_state")
    _client: Any
    _state: _State

    def __init__(self, client: Any, model: str, *, _state: _State | None = None) -> None:
        object.__setattr__(self, "_client", client)
        object.__setattr__(self, "_state", _state or _State(model=model))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            "OdooFrame is immutable: filters and selections return new frames "
            f"(cannot set {name!r})"
        )

    def _with(self, **changes: Any) -> OdooFrame:
        return OdooFrame(self._client, self._state.model, _state=replace(self._state, **changes))

    # ------------------------------------------------------------------ metadata

    @property
    def model(self) -> str:
        return self._state.model

    @property
    def client(self) -> Any:
        return self._client

    @property
    def schema(self) -> ModelSchema:
        """The model's fields (fields_get, cached by the client)."""
        return self._schema_of(self.model)

    def _schema_of(self, model: str) -> ModelSchema:
        return schema_of(self._client, model)

    @property
    def domain(self) -> Domain:
        """The domain the frame sends, normalised."""
        return self._state.filter

    @property
    def columns(self) -> list[str]:
        """The DataFrame columns this frame produces (many2one gives two)."""
        out = ["id"]
        for name in self._selected():
            if name == "id":
                continue
            spec = self._field_of(name)
            out.extend([name, f"{name}.display_name"] if spec.type == "many2one" else [name])
        return out

    def _selected(self) -> tuple[str, ...]:
        if self._state.columns is not None:
            return self._state.columns
        return tuple(self.schema.default_columns())

    # ------------------------------------------------------------------ fields and paths

    def _field_of(self, path: str) -> FieldSpec:
        """Spec of the final field of a dotted path; errors name the model of the bad hop."""
        model = self.model
        parts = path.split(".")
        spec: FieldSpec | None = None
        for i, part in enumerate(parts):
            schema = self._schema_of(model)
            spec = schema[part]
            if i < len(parts) - 1:
                if not spec.relation:
                    raise FilterError(
                        f"{'.'.join(parts[: i + 1])} is a {spec.type} field of {model}: it has no "
                        f"field {parts[i + 1]!r} (only relational fields can be followed with a dot)"
                    )
                model = spec.relation
        assert spec is not None
        return spec

    def _relation_of(self, path: str) -> str:
        spec = self._field_of(path)
        if spec.type != "many2one" or not spec.relation:
            raise FilterError(
                f"column {path!r}: only many2one fields can be followed in a column name; "
                f"{path} is a {spec.type} field"
            )
        return spec.relation

    def _resolve(self, path: str) -> FieldInfo | None:
        # date parts (date_order.month_number) resolve to the integer part of the date
        parts = path.split(".")
        if len(parts) > 1 and parts[-1] in _DATE_NUMBER_PARTS:
            base = self._field_of(".".join(parts[:-1]))
            if base.type in ("date", "datetime"):
                if not _has_date_parts(self._client):
                    raise FilterError(
                        f"filtering on {'.'.join(parts[:-1])}'s {parts[-1].replace('_', ' ')} needs "
                        f"Odoo 17.3 or newer (this server is {self._client.server_version}); "
                        "filter on a date range (e.g. .dt.year or between()) or in pandas"
                    )
                return FieldSpec(name=parts[-1], type="integer")
        return self._field_of(path)

    # ------------------------------------------------------------------ expressions

    def __getattr__(self, name: str) -> Col:
        if name.startswith("_"):
            raise AttributeError(name)
        return Col(name)

    @overload
    def __getitem__(self, key: str) -> Col: ...

    @overload
    def __getitem__(
        self, key: Expr | Domain | list[Any] | slice | Callable[..., Any]
    ) -> OdooFrame: ...

    def __getitem__(self, key: Any) -> Col | OdooFrame:
        if isinstance(key, str):
            return Col(key)
        if isinstance(key, slice):
            return self._slice(key)
        if isinstance(key, Expr | Domain):
            return self.filter(key)
        if callable(key) and not isinstance(key, Col):
            return self.filter(key(self))
        if isinstance(key, list | tuple):
            if all(isinstance(k, str) for k in key):
                return self.select(key)
            if key and all(isinstance(k, Col) for k in key):
                return self.select([k.path for k in key])
            return self.where(list(key))
        if isinstance(key, Col):
            raise FilterError(
                f"frame[{key.path}]: a column is not a filter; compare it, e.g. "
                f"frame[frame.{key.path} == value]"
            )
        raise TypeError(
            f"cannot index an OdooFrame with {type(key).__name__}: use a filter, a column "
            "name, a list of column names or a slice"
        )

    def filter(self, condition: Expr | Domain) -> OdooFrame:
        """Keep the records matching ``condition`` (AND-ed with the current filter)."""
        domain = compile_filter(condition, self._resolve)
        self._check_values(domain)
        return self._with(filter=self._state.filter & domain)

    def where(self, domain: Sequence[Any] | Domain) -> OdooFrame:
        """AND a raw Odoo domain (``[("state", "=", "sale")]``) into the filter."""
        parsed = domain if isinstance(domain, Domain) else Domain(domain)
        for leaf in parsed.leaves():
            if isinstance(leaf[0], str):
                self._resolve(leaf[0])
        return self._with(filter=self._state.filter & parsed)

    def query(
        self, expr: str, *, local_dict: Mapping[str, Any] | None = None, level: int = 0
    ) -> OdooFrame:
        """Filter with a pandas.query string; ``@name`` reads the caller's variables.

        >>> so.query("state == 'sale' and partner_id.country_id.code in @codes")  # doctest: +SKIP
        """
        variables: dict[str, Any] = {}
        caller = sys._getframe(level + 1)
        variables.update(caller.f_globals)
        variables.update(caller.f_locals)
        if local_dict:
            variables.update(local_dict)
        return self.filter(parse_query(expr, variables))

    def _check_values(self, domain: Domain) -> None:
        """Values of the wrong kind for their field, and unknown selection values."""
        for leaf in domain.leaves():
            path, operator, value = leaf
            if not isinstance(path, str) or operator in ("any", "not any", "child_of", "parent_of"):
                continue
            info = self._resolve(path)
            if not isinstance(info, FieldSpec):
                continue
            values = value if isinstance(value, list | tuple) else [value]
            allowed = _VALUE_TYPES.get(info.type)
            for v in values:
                if v is False or v is None or allowed is None:
                    continue
                if operator in ("like", "not like", "ilike", "not ilike", "=like", "=ilike"):
                    continue
                if info.type == "integer" and isinstance(v, float) and not v.is_integer():
                    raise FilterError(f"{path} is an integer field; {v!r} is not an integer")
                if not isinstance(v, allowed) or (
                    isinstance(v, bool) and info.type not in ("boolean",)
                ):
                    if isinstance(v, bool) and info.type in ("integer", "float", "monetary"):
                        continue
                    raise FilterError(
                        f"{path} is a {info.type} field of {self.model}; cannot compare it with "
                        f"{v!r} ({type(v).__name__})"
                    )
                if info.type == "selection" and info.selection and v not in info.selection_labels:
                    options = ", ".join(repr(k) for k in info.selection_labels)
                    raise FilterError(f"{path}: {v!r} is not one of its values ({options})")

    # ------------------------------------------------------------------ shape

    def select(self, columns: Iterable[str]) -> OdooFrame:
        """Keep these columns (dotted paths follow many2one fields)."""
        names = tuple(dict.fromkeys(columns))
        for name in names:
            if "." in name:
                if name.endswith(".display_name") and "." not in name[: -len(".display_name")]:
                    base = name[: -len(".display_name")]
                    self._field_of(base)
                    continue
                parts = name.split(".")
                for depth in range(1, len(parts)):
                    self._relation_of(".".join(parts[:depth]))
                self._field_of(name)
            else:
                self._field_of(name)
        return self._with(columns=names)

    def sort_values(
        self, by: str | Sequence[str], ascending: bool | Sequence[bool] = True
    ) -> OdooFrame:
        """Order by these fields (sent as Odoo's ``order``)."""
        keys = [by] if isinstance(by, str) else list(by)
        flags = [ascending] * len(keys) if isinstance(ascending, bool) else list(ascending)
        if len(flags) != len(keys):
            raise ValueError(f"sort_values: {len(keys)} keys but {len(flags)} ascending flags")
        for key in keys:
            spec = self._field_of(key)
            if "." in key:
                raise FilterError(
                    f"sort_values({key!r}): Odoo sorts on fields of the model itself; "
                    f"sort by {key.split('.')[0]!r} (ordered like its model) or sort the DataFrame"
                )
            if not spec.sortable:
                raise FilterError(f"sort_values({key!r}): {key} is not sortable (not stored)")
        return self._with(order=tuple(zip(keys, (bool(f) for f in flags), strict=True)))

    def head(self, n: int = 5) -> OdooFrame:
        """The first ``n`` rows (sent as ``limit``)."""
        if n < 0:
            raise ValueError("head(n) needs n >= 0")
        limit = n if self._state.limit is None else min(n, self._state.limit)
        return self._with(limit=limit)

    def _slice(self, key: slice) -> OdooFrame:
        if key.step not in (None, 1):
            raise ValueError("frame[a:b] slices rows with step 1 only")
        start, stop = key.start or 0, key.stop
        if start < 0 or (stop is not None and stop < 0):
            raise ValueError(
                "frame[a:b] needs non-negative bounds (the row count is not known yet)"
            )
        offset = self._state.offset + start
        limit = None if stop is None else max(0, stop - start)
        if self._state.limit is not None:
            remaining = max(0, self._state.limit - start)
            limit = remaining if limit is None else min(limit, remaining)
        return self._with(offset=offset, limit=limit)

    def with_context(self, **context: Any) -> OdooFrame:
        """Read with extra context keys (``lang``, ``active_test=False``...)."""
        merged = dict(self._state.context or {})
        merged.update(context)
        return self._with(context=merged)

    # ------------------------------------------------------------------ grouping

    def groupby(self, by: Any, *, local: bool = False) -> Any:
        """Group on the server (read_group / formatted_read_group); see :mod:`odoo_frames.groupby`.

        ``local=True`` fetches the rows and returns pandas' own GroupBy instead, for
        aggregations Odoo cannot run (median, std, quantiles, custom functions).
        """
        keys = list(by) if isinstance(by, list | tuple) else [by]
        if local:
            from .groupby import local_groupby

            return local_groupby(self, keys)
        from .groupby import GroupBy

        return GroupBy(self, keys)

    # ------------------------------------------------------------------ plans

    def _order_string(self) -> str | None:
        if not self._state.order:
            return None
        return ", ".join(f"{k} {'asc' if a else 'desc'}" for k, a in self._state.order)

    def _wire_domain(self) -> list[Any]:
        return _wire(self._state.filter.to_list())

    def plan(self, *, page_size: int = DEFAULT_PAGE_SIZE) -> ReadPlan:
        """The read plan: model, domain, fields, order, slice."""
        base: list[str] = []
        for name in self._selected():
            if name == "id":
                continue
            head = name.split(".")[0]
            if head not in base:
                base.append(head)
        return ReadPlan(
            model=self.model,
            domain=self._wire_domain(),
            fields=base,
            order=self._order_string(),
            offset=self._state.offset,
            limit=self._state.limit,
            page_size=page_size,
            context=self._state.context,
        )

    def explain(self) -> str:
        """The calls that fetching this frame will make, one per line."""
        lines = self.plan().describe()
        lines.extend(self._related_reads())
        return "\n".join(lines)

    def _related_reads(self) -> list[str]:
        """One read per related model and hop for the dotted columns (from cached schemas)."""
        wanted: dict[str, set[str]] = {}
        for column in self._selected():
            if "." not in column or _is_display_name(column):
                continue
            parts = column.split(".")
            for depth in range(1, len(parts)):
                wanted.setdefault(".".join(parts[:depth]), set()).add(parts[depth])
        lines = []
        for prefix in sorted(wanted, key=lambda p: (p.count("."), p)):
            lines.append(
                f"{self._relation_of(prefix)}.read(<distinct {prefix} ids>, "
                f"fields={sorted(wanted[prefix])!r})"
            )
        return lines

    # ------------------------------------------------------------------ data

    def __len__(self) -> int:
        kw: dict[str, Any] = {}
        if self._state.context:
            kw["context"] = dict(self._state.context)
        count = int(self._client.call(self.model, "search_count", self._wire_domain(), **kw))
        count = max(0, count - self._state.offset)
        return count if self._state.limit is None else min(count, self._state.limit)

    def count(self) -> int:
        """Number of matching records (``search_count``)."""
        return len(self)

    def ids(self) -> list[int]:
        """Ids of the matching records, in order (one ``search``)."""
        kw: dict[str, Any] = {"offset": self._state.offset}
        if self._state.limit is not None:
            kw["limit"] = self._state.limit
        order = self._order_string()
        if order:
            kw["order"] = order
        if self._state.context:
            kw["context"] = dict(self._state.context)
        return list(self._client.call(self.model, "search", self._wire_domain(), **kw))

    def _records(
        self, progress: bool | None, workers: int
    ) -> tuple[list[dict[str, Any]], ReadPlan]:
        plan = self.plan()
        records = fetch_records(self._client.call, plan, workers=workers, progress=progress)
        return records, plan

    def _fetch(self, progress: bool | None, workers: int) -> tuple[pa.Table, Snapshot]:
        """Read the rows (plus ``write_date`` for the snapshot) and type the columns."""
        from .convert import append_columns

        plan = self.plan()
        stamped = "write_date" in self.schema
        with_stamp = stamped and "write_date" not in plan.fields
        if with_stamp:
            plan = replace(plan, fields=[*plan.fields, "write_date"])
        specs = [
            self._field_of(name)
            for name in plan.fields
            if not (with_stamp and name == "write_date")
        ]
        # Each page becomes typed columns as it arrives (see fetch.py): no list of
        # dicts for the whole result is ever held.
        fetched = fetch_table(
            self._client.call,
            plan,
            specs,
            raw_fields=("write_date",) if stamped else (),
            workers=workers,
            progress=progress,
        )
        table = fetched.table
        dotted = [c for c in self._selected() if "." in c and not _is_display_name(c)]
        if dotted:
            heads = {c.split(".", 1)[0] for c in dotted}
            extra = fetch_related_values(
                self._client.call,
                {head: table[head].to_pylist() for head in heads},
                dotted,
                self._field_of,
                self._relation_of,
                self._state.context,
            )
            table = append_columns(table, extra)
        wanted = [c for c in self.columns if c in table.column_names]
        snapshot = Snapshot(
            model=self.model,
            ids=tuple(table["id"].to_pylist()),
            # a lazy mapping: no dict of Python strings unless write-back needs one
            write_dates=fetched.raw_by_id("write_date", "") if stamped else MappingProxyType({}),
            columns=tuple(wanted),
            domain=tuple(self._wire_domain()),
            server=f"{getattr(self._client, 'url', '')}/{getattr(self._client, 'db', '')}",
        )
        return table.select(wanted), snapshot

    def to_arrow(self, *, progress: bool | None = None, workers: int = DEFAULT_WORKERS) -> pa.Table:
        """The rows as a pyarrow Table with typed columns."""
        return self._fetch(progress, workers)[0]

    def to_pandas(
        self, *, progress: bool | None = None, workers: int = DEFAULT_WORKERS
    ) -> pd.DataFrame:
        """The rows as a pandas DataFrame; ``df.attrs["odoo"]`` is the read :class:`Snapshot`."""
        from .convert import arrow_to_pandas

        table, snapshot = self._fetch(progress, workers)
        frame = arrow_to_pandas(table)
        attach(frame, snapshot)
        return frame

    def to_polars(
        self, *, progress: bool | None = None, workers: int = DEFAULT_WORKERS
    ) -> pl.DataFrame:
        """The rows as a polars DataFrame (its snapshot: ``odoo_frames.snapshot_of(df)``)."""
        from .convert import arrow_to_polars

        table, snapshot = self._fetch(progress, workers)
        frame = arrow_to_polars(table)
        attach(frame, snapshot)
        return frame

    def scan(self) -> pl.LazyFrame:
        """A polars LazyFrame: predicates, columns and limits are pushed down to Odoo."""
        from .scan import scan

        return scan(self)

    # ------------------------------------------------------------------ display

    def _cached(self, model: str) -> bool:
        """Is this model's schema known without a call? (reprs never send anything)."""
        return _schema_fresh(self._client, model)

    def _column_types(self) -> list[tuple[str, str]]:
        """(column, type) of each column, from cached schemas only; "?" when unknown."""
        if self._state.columns is None and not self._cached(self.model):
            return []
        out: list[tuple[str, str]] = [("id", "integer")]
        for name in self._selected():
            if name == "id":
                continue
            label = "?"
            try:
                if self._path_cached(name):
                    spec = self._field_of(name)
                    label = f"{spec.type} -> {spec.relation}" if spec.relation else spec.type
                    if spec.type == "selection":
                        label = "selection (category)"
            except (KeyError, FilterError):
                label = "?"
            out.append((name, label))
            if label.startswith("many2one"):
                out.append((f"{name}.display_name", "char"))
        return out

    def _path_cached(self, path: str) -> bool:
        model = self.model
        parts = path.split(".")
        for i, part in enumerate(parts):
            if not self._cached(model):
                return False
            if i < len(parts) - 1:
                relation = self._schema_of(model)[part].relation
                if relation is None:
                    return True
                model = relation
        return True

    def _call_summary(self) -> str:
        """The plan's calls on one line, long field lists shortened."""
        return "; ".join([*self.plan().describe(max_fields=8), *self._related_reads()])

    def __repr__(self) -> str:
        lines = [f"OdooFrame {self.model}", f"  domain: {self._state.filter!r}"]
        types = self._column_types()
        if types:
            shown = ", ".join(f"{c} ({t})" for c, t in types[:12])
            more = f", ... {len(types) - 12} more" if len(types) > 12 else ""
            lines.append(f"  columns ({len(types)}): {shown}{more}")
        elif self._state.columns is not None:
            lines.append(f"  columns: {', '.join(self._state.columns)}")
        else:
            lines.append("  columns: default (stored fields)")
        if self._state.order:
            lines.append(f"  order: {self._order_string()}")
        if self._state.offset or self._state.limit is not None:
            lines.append(f"  rows: offset {self._state.offset}, limit {self._state.limit}")
        lines.append(f"  will call: {self._call_summary()}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "<th style='text-align:left;vertical-align:top'>"
        rows = [f"<tr>{head}domain</th><td><code>{esc(repr(self._state.filter))}</code></td></tr>"]
        types = self._column_types()
        if types:
            cells = "".join(
                f"<tr><td><code>{esc(c)}</code></td><td>{esc(t)}</td></tr>" for c, t in types
            )
            rows.append(f"<tr>{head}columns</th><td><table>{cells}</table></td></tr>")
        elif self._state.columns is not None:
            cols = ", ".join(esc(c) for c in self._state.columns)
            rows.append(f"<tr>{head}columns</th><td>{cols}</td></tr>")
        if self._state.order:
            rows.append(
                f"<tr>{head}order</th><td><code>{esc(self._order_string() or '')}</code></td></tr>"
            )
        if self._state.offset or self._state.limit is not None:
            rows.append(
                f"<tr>{head}rows</th><td>offset {self._state.offset}, limit {esc(str(self._state.limit))}</td></tr>"
            )
        rows.append(
            f"<tr>{head}will call</th><td><code>{esc(self._call_summary())}</code></td></tr>"
        )
        return (
            f"<div><strong>OdooFrame</strong> <code>{esc(self.model)}</code>"
            f"<table>{''.join(rows)}</table></div>"
        )

    # ------------------------------------------------------------------ write-back
    # HOOK (write-back, issue 6): thin delegations; the work is in odoo_frames.writeback,
    # .apply, .upsert and .workflow (imported lazily).

    def diff(self, before: Any, after: Any, **options: Any) -> Any:
        """The :class:`~odoo_frames.writeback.Plan` turning ``before`` into ``after`` (this model).

        Options: ``allow_delete``, ``resolve_names``, ``batch_size``, ``float_tolerance``.
        """
        from .writeback import diff

        return diff(self._client, before, after, model=self.model, **options)

    def upsert(self, data: Any, key: str | Sequence[str], **options: Any) -> Any:
        """Update the records matching ``data`` by ``key``, create the rest; an ApplyResult.

        See :func:`odoo_frames.upsert.upsert` (``dry_run``, ``batch_size``, ``on_error``...).
        """
        from .upsert import upsert

        return upsert(self._client, self.model, data, key, **options)

    def call(self, method: str, *args: Any, **options: Any) -> Any:
        """Call a workflow method on the selected records in batches; a CallResult.

        ``so[so.state == "draft"].call("action_confirm", batch_size=200)``; see
        :func:`odoo_frames.workflow.call_method`.
        """
        from .workflow import call_method

        return call_method(self, method, *args, **options)


def _is_display_name(column: str) -> bool:
    return column.endswith(".display_name") and column.count(".") == 1


def _wire(items: list[Any]) -> list[Any]:
    """Domain values as JSON / XML-RPC can carry them (dates as strings)."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, list) and len(item) == 3:
            value = item[2]
            if isinstance(value, list) and item[1] in ("any", "not any"):
                value = _wire(value)
            else:
                value = wire_value(value, None)
            out.append([item[0], item[1], value])
        else:
            out.append(item)
    return out
