"""``frame.scan()``: a polars LazyFrame whose scans are pushed down to Odoo.

The frame is registered as a polars IO source
(:func:`polars.io.plugins.register_io_source`). When polars runs the plan it hands
the source the projected columns, the predicate and the row limit; this module

* translates the AND-parts of the predicate it understands into a domain (column
  compared with a literal, ``is_in``, ``is_null`` / ``is_not_null``, ``is_between``,
  ``str.contains(literal=True)`` / ``starts_with`` / ``ends_with``, ``~``, ``|`` of
  translatable parts) and leaves the others out: every translated part selects a
  superset of what polars keeps (the server's null rules are looser), so the result
  is exact once the full predicate is applied again;
* reads only the needed columns (projection plus the predicate's columns);
* pushes the row limit only when there is no predicate left to apply;
* always re-applies the full predicate, the projection and the limit itself
  (polars does not do it for IO plugins).

Example::

    lf = odoo["sale.order"].scan()
    lf.filter((pl.col("state") == "sale") & (pl.col("amount_total") > 1000)).select("name").collect()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .expr import Col, Expr, FilterError

if TYPE_CHECKING:
    import polars as pl

    from .frame import OdooFrame

_COMPARISONS = {"Eq": "==", "NotEq": "!=", "Lt": "<", "LtEq": "<=", "Gt": ">", "GtEq": ">="}
_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_UNITS = {"Nanoseconds": 1_000_000_000, "Microseconds": 1_000_000, "Milliseconds": 1_000}


class _Untranslatable(Exception):
    """This part of the predicate stays with polars."""


def scan(frame: OdooFrame) -> pl.LazyFrame:
    """A LazyFrame over ``frame``; see the module docstring."""
    import polars as pl
    from polars.io.plugins import register_io_source

    from .convert import records_to_arrow

    specs = [frame._field_of(name) for name in frame.plan().fields]
    dotted = [c for c in frame._selected() if "." in c and not c.endswith(".display_name")]
    extra: dict[str, tuple[Any, list[Any]]] = {path: (frame._field_of(path), []) for path in dotted}
    empty = pl.from_arrow(records_to_arrow([], specs, extra))
    assert isinstance(empty, pl.DataFrame)
    wanted = [c for c in frame.columns if c in empty.columns]
    schema = empty.select(wanted).schema

    def source(
        with_columns: list[str] | None,
        predicate: pl.Expr | None,
        n_rows: int | None,
        batch_size: int | None,
    ) -> Iterator[pl.DataFrame]:
        sub = frame
        columns = list(with_columns) if with_columns is not None else list(schema)
        needed = list(columns)
        if predicate is not None:
            for name in predicate.meta.root_names():
                if name not in needed:
                    needed.append(name)
            pushed = translate_predicate(predicate)
            if pushed is not None:
                sub = sub.filter(pushed)
        fields = _fields_for(needed)
        sub = sub.select(fields) if fields else sub.select(["id"])
        if n_rows is not None and predicate is None:
            sub = sub.head(n_rows)
        df = sub.to_polars(progress=False)
        if predicate is not None:
            df = df.filter(predicate)
        df = df.select([c for c in columns if c in df.columns])
        if n_rows is not None:
            df = df.head(n_rows)
        step = batch_size or len(df) or 1
        for start in range(0, max(len(df), 1), step):
            yield df.slice(start, step)

    return register_io_source(
        source,
        schema=schema,
        explain_name=f"odoo {frame.model}",
        explain_detail=f"domain {frame.domain!r}",
    )


def _fields_for(columns: list[str]) -> list[str]:
    """Frame columns to select for these output columns (``x.display_name`` comes with ``x``)."""
    out: list[str] = []
    for name in columns:
        if name == "id":
            continue
        if name.endswith(".display_name") and name.count(".") == 1:
            name = name[: -len(".display_name")]
        if name not in out:
            out.append(name)
    return out


def translate_predicate(predicate: pl.Expr) -> Expr | None:
    """The translatable AND-parts of a polars predicate as one filter (None: none are)."""
    import orjson

    tree = orjson.loads(predicate.meta.serialize(format="json"))
    parts: list[Expr] = []
    for conjunct in _conjuncts(tree):
        try:
            parts.append(_translate(conjunct))
        except (_Untranslatable, FilterError, KeyError, TypeError, ValueError):
            continue
    if not parts:
        return None
    result = parts[0]
    for part in parts[1:]:
        result = result & part
    return result


def _conjuncts(node: Any) -> Iterator[Any]:
    binary = node.get("BinaryExpr") if isinstance(node, dict) else None
    if binary and binary.get("op") in ("And", "LogicalAnd"):
        yield from _conjuncts(binary["left"])
        yield from _conjuncts(binary["right"])
    else:
        yield node


def _translate(node: Any) -> Expr:
    if not isinstance(node, dict) or len(node) != 1:
        raise _Untranslatable
    ((kind, body),) = node.items()
    if kind == "BinaryExpr":
        op = body["op"]
        if op in ("And", "LogicalAnd"):
            return _translate(body["left"]) & _translate(body["right"])
        if op in ("Or", "LogicalOr"):
            return _translate(body["left"]) | _translate(body["right"])
        symbol = _COMPARISONS.get(op)
        if symbol is None:
            raise _Untranslatable
        left, right = body["left"], body["right"]
        if _is_column(left) and _is_literal(right):
            return _compare(Col(left["Column"]), symbol, _literal(right))
        if _is_literal(left) and _is_column(right):
            return _compare(Col(right["Column"]), _FLIPPED[symbol], _literal(left))
        raise _Untranslatable
    if kind == "Function":
        function, inputs = body["function"], body["input"]
        if function == {"Boolean": "Not"}:
            return ~_translate(inputs[0])
        if not inputs or not _is_column(inputs[0]):
            raise _Untranslatable
        column = Col(inputs[0]["Column"])
        if function == {"Boolean": "IsNull"}:
            return column.isna()
        if function == {"Boolean": "IsNotNull"}:
            return column.notna()
        if (
            isinstance(function, dict)
            and "Boolean" in function
            and isinstance(function["Boolean"], dict)
        ):
            inner = function["Boolean"]
            if "IsIn" in inner:
                values = _literal(inputs[1])
                if not isinstance(values, list):
                    raise _Untranslatable
                return column.isin([v for v in values if v is not None])
            if "IsBetween" in inner:
                closed = inner["IsBetween"].get("closed", "Both")
                inclusive = {"Both": "both", "None": "neither", "Left": "left", "Right": "right"}[
                    closed
                ]
                return column.between(_literal(inputs[1]), _literal(inputs[2]), inclusive=inclusive)
        if isinstance(function, dict) and "StringExpr" in function:
            string = function["StringExpr"]
            pattern = _literal(inputs[1])
            if not isinstance(pattern, str):
                raise _Untranslatable
            if (
                isinstance(string, dict)
                and "Contains" in string
                and string["Contains"].get("literal")
            ):
                return column.str.contains(pattern)
            if string == "StartsWith":
                return column.str.startswith(pattern)
            if string == "EndsWith":
                return column.str.endswith(pattern)
        raise _Untranslatable
    raise _Untranslatable


def _compare(column: Col, symbol: str, value: Any) -> Expr:
    if value is None:
        raise _Untranslatable  # polars: comparing with null keeps nothing; leave it to polars
    result: Expr = {
        "==": column.__eq__,
        "!=": column.__ne__,
        "<": column.__lt__,
        "<=": column.__le__,
        ">": column.__gt__,
        ">=": column.__ge__,
    }[symbol](value)
    return result


def _is_column(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("Column"), str)


def _is_literal(node: Any) -> bool:
    return isinstance(node, dict) and "Literal" in node


def _literal(node: Any) -> Any:
    literal = node["Literal"]
    if "Dyn" in literal:
        ((_, value),) = literal["Dyn"].items()
        return value
    scalar = literal.get("Scalar")
    if not isinstance(scalar, dict) or len(scalar) != 1:
        raise _Untranslatable
    ((kind, value),) = scalar.items()
    if kind in ("String", "Boolean", "Float32", "Float64") or kind.startswith(("Int", "UInt")):
        return value
    if kind == "Null":
        return None
    if kind == "Date":
        return dt.date(1970, 1, 1) + dt.timedelta(days=int(value))
    if kind == "Datetime":
        amount, unit, tz = value
        per_second = _UNITS.get(unit)
        if per_second is None:
            raise _Untranslatable
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            microseconds=amount * 1_000_000 // per_second
        )
        if tz is None:
            return moment.replace(tzinfo=None)
        return moment
    if kind == "List":
        return _decode_series(value)
    raise _Untranslatable


def _decode_series(payload: list[int]) -> list[Any]:
    """A literal list arrives as an Arrow IPC stream of one column."""
    import pyarrow as pa

    try:
        reader = pa.ipc.open_stream(pa.py_buffer(bytes(payload)))
        table = reader.read_all()
    except (pa.ArrowInvalid, ValueError) as error:
        raise _Untranslatable from error
    if table.num_columns != 1:
        raise _Untranslatable
    values = table.column(0).to_pylist()
    if len(values) == 1 and isinstance(values[0], list):
        return list(values[0])
    return list(values)
