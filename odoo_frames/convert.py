"""Odoo values -> typed columns, and DataFrame values -> what Odoo accepts.

Reading: records come back from search_read / read as dicts in Odoo's read format
(``False`` for unset, ``[id, name]`` for a many2one, ``"YYYY-MM-DD HH:MM:SS"`` UTC
strings for datetimes). :func:`records_to_arrow` turns them, one column at a time,
into pyarrow arrays of the types listed in :mod:`odoo_frames.schema`; pandas and
polars frames are made from those arrays (zero-copy for polars). No per-row Python
object is built beyond the decoded JSON itself and one list per column.

Writing: :func:`to_odoo` turns a cell of an edited DataFrame (numpy and pandas
scalars, NaN/None/NaT, dates, aware datetimes, lists of ids) into the value a
``write`` or ``create`` call takes for that field.

Example::

    >>> from odoo_frames.schema import FieldSpec
    >>> spec = FieldSpec("partner_id", "many2one", relation="res.partner")
    >>> table = records_to_arrow([{"id": 1, "partner_id": [7, "Azure"]}, {"id": 2, "partner_id": False}], [spec])
    >>> table.column_names, table["partner_id"].to_pylist()
    (['id', 'partner_id', 'partner_id.display_name'], [7, None])
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .schema import X2MANY_TYPES, FieldSpec

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def column_arrays(
    spec: FieldSpec,
    values: Sequence[Any],
    name: str | None = None,
    *,
    memory_pool: pa.MemoryPool | None = None,
) -> dict[str, Any]:
    """The arrow column(s) of one field from its values in Odoo's read format.

    ``name`` is the column name (a dotted path for related columns); a many2one
    gives two columns, ``name`` (the id) and ``name.display_name``. Arrow buffers come
    from ``memory_pool`` (pyarrow's default pool when None).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    def array(items: Any, arrow_type: Any) -> Any:
        return pa.array(items, arrow_type, memory_pool=memory_pool)

    name = name or spec.name
    t = spec.type
    if t == "many2one":
        ids: list[int | None] = []
        names: list[str | None] = []
        append_id, append_name = ids.append, names.append
        for v in values:
            if v is False or v is None:
                append_id(None)
                append_name(None)
            elif isinstance(v, list | tuple):
                append_id(v[0])
                append_name(v[1])
            else:  # load=None gives the bare id
                append_id(v)
                append_name(None)
        return {
            name: array(ids, pa.int64()),
            f"{name}.display_name": array(names, pa.string()),
        }
    if t in X2MANY_TYPES:
        return {name: array([v if v else [] for v in values], pa.list_(pa.int64()))}
    if t in ("integer", "many2one_reference"):
        return {name: array([None if v is False or v is None else v for v in values], pa.int64())}
    if t in ("float", "monetary"):
        return {name: array([None if v is False or v is None else v for v in values], pa.float64())}
    if t == "boolean":
        try:
            return {name: array(values, pa.bool_())}  # Odoo sends true / false
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return {name: array([bool(v) if v is not None else None for v in values], pa.bool_())}
    if t == "date":
        text = array([v or None for v in values], pa.string())
        return {name: pc.cast(text, pa.date32(), memory_pool=memory_pool)}
    if t == "datetime":
        text = array([v or None for v in values], pa.string())
        parsed = pc.strptime(text, format=DATETIME_FORMAT, unit="us", memory_pool=memory_pool)
        return {name: pc.cast(parsed, pa.timestamp("us", tz="UTC"), memory_pool=memory_pool)}
    if t == "selection":
        keys = [k for k, _ in spec.selection]
        if keys and all(isinstance(k, int) for k in keys):
            return {name: array([v if v is not False else None for v in values], pa.int64())}
        index = {k: i for i, k in enumerate(keys)}
        codes: list[int | None] = []
        for v in values:
            if v is False or v is None:
                codes.append(None)
                continue
            code = index.get(v)
            if code is None:  # a value fields_get did not announce: keep it
                code = index[v] = len(keys)
                keys.append(v)
            codes.append(code)
        return {
            name: pa.DictionaryArray.from_arrays(array(codes, pa.int32()), array(keys, pa.string()))
        }
    if t in ("char", "text", "html", "reference", "binary"):
        return {name: array([None if v is False else v for v in values], pa.string())}
    # json, properties and unknown types: keep their JSON text
    import orjson

    return {
        name: array(
            [None if v is False or v is None else orjson.dumps(v).decode() for v in values],
            pa.string(),
        )
    }


def records_to_arrow(
    records: Sequence[Mapping[str, Any]],
    specs: Iterable[FieldSpec],
    extra: Mapping[str, tuple[FieldSpec, Sequence[Any]]] | None = None,
    *,
    memory_pool: pa.MemoryPool | None = None,
) -> pa.Table:
    """A pyarrow Table from read-format records: ``id`` first, then each field in order.

    ``extra`` adds columns computed elsewhere (dotted paths fetched from related
    models), as ``{column name: (spec of the final field, values aligned with records)}``.
    """
    import pyarrow as pa

    ids = field_values(records, "id")
    columns: dict[str, Any] = {"id": pa.array(ids, pa.int64(), memory_pool=memory_pool)}
    for spec in specs:
        if spec.name == "id":
            continue
        values = field_values(records, spec.name)
        columns.update(column_arrays(spec, values, memory_pool=memory_pool))
    table = pa.table(columns)
    return append_columns(table, extra) if extra else table


def append_columns(
    table: pa.Table, extra: Mapping[str, tuple[FieldSpec, Sequence[Any]]]
) -> pa.Table:
    """``table`` plus the columns of ``{name: (spec, values aligned with its rows)}``."""
    for name, (spec, values) in extra.items():
        for column, array in column_arrays(spec, values, name).items():
            table = table.append_column(column, array)
    return table


def field_values(records: Sequence[Mapping[str, Any]], name: str) -> list[Any]:
    """The values of one field, ``False`` where a record lacks it."""
    try:
        # one C loop instead of a Python one: the bulk of a conversion's time
        return list(map(operator.itemgetter(name), records))
    except KeyError:
        return [r.get(name, False) for r in records]


def text_array(
    records: Sequence[Mapping[str, Any]],
    name: str,
    *,
    memory_pool: pa.MemoryPool | None = None,
) -> pa.Array:
    """One field's values as sent (text), ``False`` -> null: e.g. ``write_date`` stamps."""
    import pyarrow as pa

    values = [None if v is False else v for v in field_values(records, name)]
    return pa.array(values, pa.string(), memory_pool=memory_pool)


def arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """pandas with nullable ``Int64`` ids, ``str`` text, categories, UTC datetimes, dates.

    x2many columns become Python lists of ids (arrow would give numpy arrays).
    """
    import pandas as pd
    import pyarrow as pa

    list_columns = [f.name for f in table.schema if pa.types.is_list(f.type)]
    plain = table.drop_columns(list_columns) if list_columns else table
    frame = plain.to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype()}.get,
        date_as_object=True,
        split_blocks=True,
        self_destruct=False,
    )
    for name in list_columns:
        position = table.schema.get_field_index(name)
        frame.insert(
            position, name, pd.Series(table[name].to_pylist(), index=frame.index, dtype=object)
        )
    # ids are never null: keep them plain int64 for fast joins and indexing
    if "id" in frame.columns:
        frame["id"] = frame["id"].astype("int64")
    return frame


def arrow_to_polars(table: pa.Table) -> pl.DataFrame:
    import polars as pl

    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


# --------------------------------------------------------------------------------------
# DataFrame values -> Odoo


def is_null(value: Any) -> bool:
    """None, NaN, NaT, pd.NA: the ways a DataFrame says "no value"."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    module = type(value).__module__
    if module.startswith(("pandas", "numpy")):
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
        if hasattr(value, "dtype") and getattr(value, "shape", None) == ():
            return bool(pd.isna(value))
    return False


def plain(value: Any) -> Any:
    """numpy / pandas scalars -> the Python scalar."""
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item") and type(value).__module__.startswith("numpy"):
        return value.item()
    if type(value).__module__.startswith("pandas"):
        import pandas as pd

        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
    return value


def to_odoo(spec: FieldSpec, value: Any) -> Any:
    """A DataFrame cell as ``write`` / ``create`` takes it for this field.

    >>> to_odoo(FieldSpec("date_order", "datetime"), dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC))
    '2025-01-01 12:00:00'
    """
    t = spec.type
    if t in X2MANY_TYPES:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return [(6, 0, [])]
        ids = [int(plain(v)) for v in value]
        return [(6, 0, ids)]
    # the common cells, as they come out of a frame's to_list(): nothing to convert
    if type(value) is int and t in ("integer", "many2one", "many2one_reference"):
        return value
    if type(value) is str and t in ("char", "text", "html", "selection"):
        return value
    if is_null(value):
        if t == "boolean":
            return False
        return False
    value = plain(value)
    if t == "boolean":
        return bool(value)
    if t in ("integer", "many2one", "many2one_reference"):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{spec.name}: {value!r} is not an integer")
        return int(value)
    if t in ("float", "monetary"):
        return float(value)
    if t == "date":
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(dt.UTC)
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)[:10]
    if t == "datetime":
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(dt.UTC).replace(tzinfo=None)
            return value.strftime(DATETIME_FORMAT)
        if isinstance(value, dt.date):
            return f"{value.isoformat()} 00:00:00"
        return str(value)
    if t == "selection":
        return value
    return value
