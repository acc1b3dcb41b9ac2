"""Upsert: match rows to records by a natural key, update what changed, create the rest.

The order-sync and lead-import pattern: data from elsewhere (a CSV, a shop, a CRM)
keyed by something Odoo stores (an email, a reference, a code)::

    result = odoo["res.partner"].upsert(leads_df, key="email")
    result                      # ApplyResult res.partner: 120 written, 35 created, 845 unchanged
    odoo["product.product"].upsert(df, key=["default_code", "company_id"])

How it works: the key values are checked first (empty or duplicate keys in the input
are a :class:`~odoo_frames.errors.WritebackError` listing them, before any call); the
records holding those keys are found by batched ``search_read`` (key ``in`` chunk,
active records, exact and case-sensitive like Odoo's ``=``), which also reads the
columns' current values and ``write_date``; several records with one key are an error.
Matched rows become updates of the cells that differ, the others creates: a
:class:`~odoo_frames.writeback.Plan`, applied like any plan (stale check, batches,
failure isolation). :func:`plan_upsert` gives the plan without applying it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .writeback import (
    DEFAULT_BATCH_SIZE,
    ColumnKinds,
    Create,
    FieldInfo,
    NameResolver,
    Plan,
    batches,
    check_batch_size,
    field_infos,
    keep_moved_lines,
    null_cell,
    raise_problems,
    server_of,
    table,
    text_cell,
    update_for,
)

if TYPE_CHECKING:
    from .apply import ApplyResult

__all__ = ["plan_upsert", "upsert"]

#: Distinct keys per search_read.
SEARCH_CHUNK = 1000

_SEARCHABLE_KEY_TYPES = frozenset(
    {"char", "text", "selection", "integer", "many2one", "date", "datetime", "boolean", "float"}
)


def plan_upsert(
    client: Any,
    model: str,
    data: Any,
    key: str | Sequence[str],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    resolve_names: bool = False,
    float_tolerance: float | None = None,
) -> Plan:
    """The plan of an upsert of ``data`` (pandas or polars) into ``model`` by ``key``."""
    from .frame import schema_of

    check_batch_size(batch_size)
    keys = [key] if isinstance(key, str) else list(key)
    if not keys or not all(isinstance(k, str) and k for k in keys):
        raise_problems([f"key must be a field name or a list of field names, not {key!r}"])
    frame = table(data, "data")
    schema = schema_of(client, model)
    descriptors = client.fields_get(model)
    kinds = ColumnKinds(schema, frame.columns)
    problems = kinds.problems(schema)
    if "id" in frame:
        problems.append(
            "`data` has an 'id' column: upsert matches records by key; drop the id column "
            "(or edit the rows read from Odoo and use diff())"
        )
    for name in keys:
        if name not in frame:
            problems.append(f"key column {name!r} is not in `data`")
        elif name not in schema:
            continue  # reported as an unknown column
        elif schema[name].type not in _SEARCHABLE_KEY_TYPES or not schema[name].searchable:
            problems.append(f"{name!r} ({schema[name].type}) cannot be a key: it is not searchable")
    for name in kinds.readonly:
        if name not in keys:
            problems.append(
                f"column {name!r}: {model}.{name} is readonly and cannot be written (drop it)"
            )
    for column in kinds.related:
        problems.append(f"column {column!r} is read through a relation and cannot be written")
    for column, base in kinds.names.items():
        if base not in frame and not resolve_names:
            problems.append(
                f"column {column!r} without {base!r}: give the ids, or pass resolve_names=True"
            )
    raise_problems(problems, "cannot upsert")

    written = [c for c in kinds.fields]
    name_columns = {c: b for c, b in kinds.names.items() if b not in frame}
    infos = field_infos(
        schema, descriptors, [*written, *name_columns.values(), *keys], float_tolerance
    )
    key_infos = [infos[k] for k in keys]

    # key values: none empty, none twice
    rows_by_key: dict[tuple[Any, ...], list[int]] = {}
    empty: list[int] = []
    for j in range(frame.height):
        try:
            key_values = tuple(
                info.canonical(info.from_cell(frame.column(info.name)[j])) for info in key_infos
            )
        except (ValueError, TypeError) as error:
            problems.append(f"row {j}, key: {error}")
            continue
        if any(v is False or v is None for v in key_values):
            empty.append(j)
            continue
        rows_by_key.setdefault(key_values, []).append(j)
    if empty:
        problems.append(
            f"{len(empty)} rows have an empty key ({', '.join(keys)}): rows "
            f"{', '.join(map(str, empty[:10]))}{' ...' if len(empty) > 10 else ''}"
        )
    duplicates = {k: rows for k, rows in rows_by_key.items() if len(rows) > 1}
    if duplicates:
        listed = "; ".join(
            f"{_key_text(k)} in rows {', '.join(map(str, rows[:5]))}"
            for k, rows in list(duplicates.items())[:10]
        )
        problems.append(
            f"{len(duplicates)} duplicate key{'s' if len(duplicates) > 1 else ''} in `data` "
            f"({', '.join(keys)}): {listed}{' ...' if len(duplicates) > 10 else ''}"
        )
    cells: dict[str, list[Any]] = {}
    wanted: list[dict[str, Any]] = []
    for j in range(frame.height):
        row_values: dict[str, Any] = {}
        for name in written:
            column_cells = cells.setdefault(name, frame.column(name))
            try:
                row_values[name] = infos[name].from_cell(column_cells[j])
            except (ValueError, TypeError) as error:
                problems.append(f"row {j}, column {name!r}: {error}")
        wanted.append(row_values)
    raise_problems(problems, "cannot upsert")

    # read-only calls from here on
    if name_columns:
        resolver = NameResolver(client)
        for column, base in name_columns.items():
            relation = str(schema[base].relation)
            for j, cell in enumerate(frame.column(column)):
                text = text_cell(cell)
                if text is None:
                    wanted[j][base] = False
                    continue
                found = resolver.resolve(relation, text)
                if isinstance(found, str):
                    problems.append(f"row {j}, column {column!r}: {found}")
                else:
                    wanted[j][base] = found
        raise_problems(problems, "cannot upsert")
    fields = list(dict.fromkeys([*keys, *(n for n in infos if n not in keys)]))
    existing = _find(client, model, key_infos, list(rows_by_key), fields, "write_date" in schema)
    ambiguous = {k: ids for k, ids in existing.items() if len(ids) > 1}
    if ambiguous:
        raise_problems(
            [
                f"{len(ids)} {model} records have {_key_text(k)}: ids "
                f"{', '.join(str(r['id']) for r in ids[:10])}"
                for k, ids in list(ambiguous.items())
            ],
            "cannot upsert (the key is not unique on the server)",
        )

    updates = []
    creates = []
    for matched_key, rows in rows_by_key.items():
        j = rows[0]
        records = existing.get(matched_key)
        if not records:
            creates.append(Create(j, _create_vals(infos, wanted[j], frame, j)))
            continue
        record = records[0]
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, value in wanted[j].items():
            info = infos[name]
            current = info.from_read(record.get(name, False))
            if not info.same(current, value):
                before[name] = current
                after[name] = value
        if after:
            updates.append(
                update_for(
                    infos, int(record["id"]), before, after, record.get("write_date") or None
                )
            )
    updates = keep_moved_lines(sorted(updates, key=lambda u: u.id), infos)
    creates.sort(key=lambda c: c.row)
    return Plan(
        model,
        infos,
        updates,
        creates,
        server=server_of(client),
        batch_size=batch_size,
        notes=[f"upsert by {', '.join(keys)}: {len(rows_by_key) - len(creates)} rows matched"],
        client=client,
    )


def upsert(
    client: Any,
    model: str,
    data: Any,
    key: str | Sequence[str],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    on_conflict: str = "skip",
    on_error: str = "isolate",
    progress: bool | Callable[[int, int], None] | None = None,
    resolve_names: bool = False,
    float_tolerance: float | None = None,
) -> ApplyResult:
    """Update the records matching ``data`` by ``key``, create the others; the report.

    ``result.plan`` is the plan that was applied (see :func:`plan_upsert`).
    """
    plan = plan_upsert(
        client,
        model,
        data,
        key,
        batch_size=batch_size,
        resolve_names=resolve_names,
        float_tolerance=float_tolerance,
    )
    return plan.apply(
        dry_run=dry_run, progress=progress, on_conflict=on_conflict, on_error=on_error
    )


def _key_text(values: tuple[Any, ...]) -> str:
    return "key " + ", ".join(repr(v) for v in values)


def _create_vals(
    infos: dict[str, FieldInfo], values: dict[str, Any], frame: Any, j: int
) -> dict[str, Any]:
    """Create values: the non-empty cells (x2many as one SET command)."""
    vals: dict[str, Any] = {}
    for name, value in values.items():
        if infos[name].is_x2many:
            if value:
                vals[name] = [(6, 0, list(value))]
        elif (name in frame.columns and null_cell(frame.column(name)[j])) or (
            name not in frame.columns and value is False
        ):
            continue
        else:
            vals[name] = value
    return vals


def _find(
    client: Any,
    model: str,
    key_infos: list[FieldInfo],
    keys: list[tuple[Any, ...]],
    fields: list[str],
    with_stamp: bool,
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """Records holding each key: ``{key values: [records]}`` (batched search_read)."""
    read_fields = [*fields, "write_date"] if with_stamp else list(fields)
    found: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    wanted = set(keys)
    for chunk in batches(keys, SEARCH_CHUNK):
        domain: list[Any] = []
        for position, info in enumerate(key_infos):
            domain.append((info.name, "in", sorted({k[position] for k in chunk}, key=repr)))
        for record in client.call(model, "search_read", domain, fields=read_fields, order="id"):
            held = tuple(
                info.canonical(info.from_read(record.get(info.name, False))) for info in key_infos
            )
            if held in wanted:
                found.setdefault(held, []).append(record)
    return found
