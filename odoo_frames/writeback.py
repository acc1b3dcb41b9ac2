"""Edited DataFrames -> a :class:`Plan` of ``write`` / ``create`` / ``unlink`` calls.

``diff(client, before, after)`` compares two DataFrames (pandas or polars, through
narwhals) row by row, keyed by ``id``:

* changed cells become updates; rows whose changes are identical share one
  ``write(ids, vals)``, in batches of ``batch_size``;
* rows of ``after`` without an id become creates (one ``create([...])`` per batch);
* rows of ``before`` missing from ``after`` become deletes with ``allow_delete=True``,
  otherwise they are listed as ignored;
* only writable fields are diffed: a change to a readonly, computed or related column,
  to ``x.display_name`` (edit the id column ``x``, or pass ``resolve_names=True``) or
  to a column that is no field is a :class:`~odoo_frames.errors.WritebackError` listing
  every problem, raised before anything is written;
* x2many list columns become commands (``(4, id)`` link, ``(3, id)`` unlink), so that
  "add tag 5 to 3,000 partners" is one value set; values become what Odoo accepts
  (numpy / pandas scalars, NaN / None -> False, dates and UTC datetimes as strings);
  floats compare with a tolerance (the field's digits, else 1e-9 relative).

A plan is a value: counts, the exact calls (:meth:`Plan.calls`), a per-cell table
(:meth:`Plan.to_pandas`), text and HTML reprs, JSON to save for review. Applying it is
:mod:`odoo_frames.apply`.

Example::

    before = odoo["res.partner"][["name", "email"]].to_pandas()
    after = before.assign(email=before.email.str.lower())
    plan = odoo.diff(before, after)     # Plan res.partner: 312 updates in 3 write calls ...
    plan.calls()[0]                     # res.partner.write([7, 9, ...], {'email': 'ana@x.com'})
    plan.to_pandas()                    # op, id, row, field, before, after
    plan.save("cleanup.json"); plan = Plan.load("cleanup.json", client=odoo)
    result = plan.apply()
"""

from __future__ import annotations

import functools
import html
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from .convert import is_null, plain, to_odoo
from .errors import WritebackError
from .schema import X2MANY_TYPES, FieldSpec, ModelSchema

if TYPE_CHECKING:
    import pandas as pd

    from .apply import ApplyResult

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "Create",
    "Delete",
    "FieldInfo",
    "Plan",
    "PlannedCall",
    "Update",
    "diff",
]

#: Rows per write / create / unlink call unless told otherwise.
DEFAULT_BATCH_SIZE = 500

#: How many problems an error message shows (``WritebackError.problems`` has them all).
_SHOWN_PROBLEMS = 12

_FLOAT_TYPES = frozenset({"float", "monetary"})
_FORMAT = "odoo_frames.plan/1"


class _Missing:
    """``before`` of a cell whose column was not in the ``before`` frame."""

    def __repr__(self) -> str:
        return "<unknown>"


MISSING: Any = _Missing()


# --------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class FieldInfo:
    """What comparing and writing one field needs; travels with a saved plan."""

    name: str
    type: str
    relation: str | None = None
    #: Decimal digits Odoo rounds the field to (``digits`` of fields_get; 2 for monetary).
    digits: int | None = None
    #: Absolute tolerance given by ``float_tolerance=`` (overrides ``digits``).
    tolerance: float | None = None
    selection: tuple[Any, ...] = ()

    @classmethod
    def of(
        cls, spec: FieldSpec, descriptor: Mapping[str, Any], tolerance: float | None = None
    ) -> FieldInfo:
        digits: int | None = None
        raw = descriptor.get("digits")
        if isinstance(raw, list | tuple) and len(raw) == 2:
            digits = int(raw[1])
        elif spec.type == "monetary":
            digits = 2  # Odoo rounds monetary values to the currency (2 decimals mostly)
        return cls(
            name=spec.name,
            type=spec.type,
            relation=spec.relation,
            digits=digits,
            tolerance=tolerance if spec.type in _FLOAT_TYPES else None,
            selection=tuple(k for k, _ in spec.selection),
        )

    @property
    def is_x2many(self) -> bool:
        return self.type in X2MANY_TYPES

    @functools.cached_property
    def _spec(self) -> FieldSpec:
        return FieldSpec(self.name, self.type)

    def from_cell(self, value: Any) -> Any:
        """A DataFrame cell in write format (x2many: sorted list of ids)."""
        if self.is_x2many:
            return _id_list(value)
        converted = to_odoo(self._spec, value)
        if (
            self.type == "selection"
            and self.selection
            and converted is not False
            and converted not in self.selection
        ):
            options = ", ".join(repr(k) for k in self.selection)
            raise ValueError(f"{converted!r} is not one of the values of {self.name} ({options})")
        return converted

    def from_read(self, value: Any) -> Any:
        """A value of Odoo's read format in write format."""
        if self.is_x2many:
            return _id_list(value)
        if self.type == "many2one" and isinstance(value, list | tuple):
            return int(value[0]) if value else False
        return value

    def canonical(self, value: Any) -> Any:
        """The form two values are compared in: unset numbers are 0, empty text is False."""
        if value is None or value is MISSING:
            value = False
        t = self.type
        if t in X2MANY_TYPES:
            return tuple(_id_list(value))
        if t == "many2one":
            if isinstance(value, list | tuple):
                value = value[0] if value else False
            return False if value is False else int(value)
        if t in _FLOAT_TYPES:
            return float(value or 0.0)
        if t == "integer":
            return int(value or 0)
        if t == "boolean":
            return bool(value)
        return False if value == "" else value

    def same(self, a: Any, b: Any) -> bool:
        """Whether Odoo would store ``a`` and ``b`` as the same value."""
        if type(a) is type(b) and a == b:
            return True  # the common case, without canonical forms
        if type(a) is list and type(b) is list and self.is_x2many:
            return False  # both from from_cell: sorted distinct ids already, and unequal
        ca, cb = self.canonical(a), self.canonical(b)
        if self.type in _FLOAT_TYPES:
            if self.tolerance is not None:
                return abs(ca - cb) <= self.tolerance
            if self.digits is not None:
                # Half a unit of the last digit: values Odoo rounds alike, whatever rounding
                # mode the server uses (HALF-UP in Odoo, half-even in Python).
                return abs(ca - cb) <= 0.5 * 10.0**-self.digits * (1 + 1e-9) + 1e-12
            return math.isclose(ca, cb, rel_tol=1e-9, abs_tol=1e-12)
        return bool(ca == cb)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "relation": self.relation,
            "digits": self.digits,
            "tolerance": self.tolerance,
            "selection": list(self.selection),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FieldInfo:
        return cls(
            name=data["name"],
            type=data["type"],
            relation=data.get("relation"),
            digits=data.get("digits"),
            tolerance=data.get("tolerance"),
            selection=tuple(data.get("selection") or ()),
        )


def _id_list(value: Any) -> list[int]:
    """x2many cell -> sorted distinct ids (None, NaN and False are the empty list)."""
    if value is None or value is False or value is MISSING:
        return []
    if type(value) is list and all(type(item) is int for item in value):
        return sorted(set(value))  # the common case: a list of ids from a frame
    if isinstance(value, float) and math.isnan(value):
        return []
    if isinstance(value, str | bytes):
        raise ValueError(f"expected a list of ids, got {value!r}")
    try:
        items = list(value)
    except TypeError:
        if is_null(value):
            return []
        raise ValueError(f"expected a list of ids, got {value!r}") from None
    ids: set[int] = set()
    for item in items:
        item = plain(item)
        if isinstance(item, list | tuple):  # [id, name] pairs
            item = item[0]
        if isinstance(item, float) and not item.is_integer():
            raise ValueError(f"{item!r} is not a record id")
        ids.add(int(item))
    return sorted(ids)


def x2many_commands(before: Any, after: Sequence[int]) -> list[tuple[Any, ...]]:
    """Commands that turn the ``before`` ids into ``after``: unlinks (3) then links (4).

    With ``before`` unknown, one SET command (6) replaces the whole list.
    """
    if before is MISSING:
        return [(6, 0, list(after))]
    old, new = set(before), set(after)
    return [(3, i) for i in sorted(old - new)] + [(4, i) for i in sorted(new - old)]


def null_cell(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return False
    try:
        return bool(is_null(value))
    except (TypeError, ValueError):
        return False


def text_cell(value: Any) -> str | None:
    """A name cell as text, None for empty."""
    if type(value) is str:
        return value or None  # the common case, without the null checks
    if null_cell(value) or value is False or value == "":
        return None
    return str(value)


def vals_key(vals: Mapping[str, Any]) -> bytes:
    """Identical vals have identical keys (field order does not matter)."""
    return orjson.dumps(vals, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


# --------------------------------------------------------------------------------------
# Plan rows


@dataclass(frozen=True)
class Update:
    """One record whose fields change: values read (``before``) and wanted (``after``).

    ``before`` lacks the fields whose old value is unknown (columns only in ``after``).
    ``write_date`` is the record's write_date when read (None: not known, no date check).
    """

    id: int
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    vals: Mapping[str, Any]
    write_date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "before": dict(self.before),
            "after": dict(self.after),
            "vals": dict(self.vals),
            "write_date": self.write_date,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Update:
        return cls(
            id=int(data["id"]),
            before=dict(data["before"]),
            after=dict(data["after"]),
            vals=dict(data["vals"]),
            write_date=data.get("write_date"),
        )


@dataclass(frozen=True)
class Create:
    """One new record: ``row`` is its position in the ``after`` frame."""

    row: int
    vals: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "vals": dict(self.vals)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Create:
        return cls(row=int(data["row"]), vals=dict(data["vals"]))


@dataclass(frozen=True)
class Delete:
    """One record to unlink, with its write_date when read."""

    id: int
    write_date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "write_date": self.write_date}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Delete:
        return cls(id=int(data["id"]), write_date=data.get("write_date"))


def update_for(
    infos: Mapping[str, FieldInfo],
    record_id: int,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    write_date: str | None,
) -> Update:
    """An :class:`Update` with its write values (x2many fields as commands)."""
    vals: dict[str, Any] = {}
    for name, value in after.items():
        if infos[name].is_x2many:
            vals[name] = x2many_commands(before.get(name, MISSING), value)
        else:
            vals[name] = value
    return Update(record_id, dict(before), dict(after), vals, write_date)


def keep_moved_lines(updates: Sequence[Update], infos: Mapping[str, FieldInfo]) -> list[Update]:
    """Drop the one2many unlinks of lines the plan links to another record.

    Moving a contact from company A to B is ``(3, c)`` on A and ``(4, c)`` on B; Odoo's
    ``(3, c)`` clears the contact's parent whoever holds it, so sent after B's link it
    would undo the move. The link alone moves the line.
    """
    one2many = [name for name, info in infos.items() if info.type == "one2many"]
    if not one2many:
        return list(updates)
    linked: dict[str, set[int]] = {name: set() for name in one2many}
    for update in updates:
        for name in one2many:
            if name in update.after:
                old = set(update.before.get(name, ()))
                linked[name] |= set(update.after[name]) - old
    out = []
    for update in updates:
        vals = dict(update.vals)
        for name in one2many:
            if name in vals and name in update.before:
                vals[name] = [c for c in vals[name] if not (c[0] == 3 and c[1] in linked[name])]
                if not vals[name]:
                    vals.pop(name)
        out.append(Update(update.id, update.before, update.after, vals, update.write_date))
    return out


class PlannedCall(NamedTuple):
    """One RPC of a plan: ``model.method(*args)``."""

    model: str
    method: str
    args: tuple[Any, ...]

    @property
    def size(self) -> int:
        """Records the call touches."""
        first = self.args[0] if self.args else []
        return len(first) if isinstance(first, list) else 1

    def __repr__(self) -> str:
        shown = []
        for arg in self.args:
            if isinstance(arg, list) and len(arg) > 6:
                head = ", ".join(_short(a) for a in arg[:3])
                shown.append(f"[{head}, ... {len(arg)} items]")
            else:
                shown.append(_short(arg, 200))
        return f"{self.model}.{self.method}({', '.join(shown)})"


def _short(value: Any, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


@dataclass
class Journal:
    """What applies of a plan did that the server cannot tell by itself.

    ``created`` maps a create row to the id Odoo gave it; ``inflight`` lists create calls
    sent without an answer (``rows`` and the highest id of the model before they were
    sent), resolved by the next apply before it creates anything.
    """

    created: dict[int, int] = field(default_factory=dict)
    inflight: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "created": {str(k): v for k, v in self.created.items()},
            "inflight": [dict(e) for e in self.inflight],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Journal:
        if not data:
            return cls()
        return cls(
            created={int(k): int(v) for k, v in (data.get("created") or {}).items()},
            inflight=[
                {"rows": [int(r) for r in e["rows"]], "watermark": int(e["watermark"])}
                for e in data.get("inflight") or []
            ],
        )


# --------------------------------------------------------------------------------------
# Plan


def batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_batch_size(batch_size: int) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise WritebackError(f"batch_size must be a positive integer, not {batch_size!r}")
    return batch_size


class Plan:
    """Writes, creates and deletes that turn what was read into what was edited.

    Build it with :func:`diff` (``odoo.diff(before, after)``, ``frame.diff(...)``) or
    :func:`odoo_frames.upsert.plan_upsert`; apply it with :meth:`apply`.
    """

    def __init__(
        self,
        model: str,
        fields: Mapping[str, FieldInfo],
        updates: Iterable[Update] = (),
        creates: Iterable[Create] = (),
        deletes: Iterable[Delete] = (),
        ignored_deletes: Iterable[int] = (),
        *,
        server: str = "",
        batch_size: int = DEFAULT_BATCH_SIZE,
        notes: Iterable[str] = (),
        client: Any = None,
        journal: Journal | None = None,
    ) -> None:
        self.model = model
        self.fields: dict[str, FieldInfo] = dict(fields)
        self.updates: tuple[Update, ...] = tuple(updates)
        self.creates: tuple[Create, ...] = tuple(creates)
        self.deletes: tuple[Delete, ...] = tuple(deletes)
        self.ignored_deletes: tuple[int, ...] = tuple(ignored_deletes)
        self.server = server
        self.batch_size = check_batch_size(batch_size)
        #: Things worth knowing that are not errors (columns not sent on create...).
        self.notes: tuple[str, ...] = tuple(notes)
        self.client = client
        self.journal = journal or Journal()

    # ------------------------------------------------------------------ counts and calls

    @property
    def counts(self) -> dict[str, int]:
        calls = self.calls()
        return {
            "updates": len(self.updates),
            "creates": len(self.creates),
            "deletes": len(self.deletes),
            "ignored_deletes": len(self.ignored_deletes),
            "write_calls": sum(c.method == "write" for c in calls),
            "create_calls": sum(c.method == "create" for c in calls),
            "unlink_calls": sum(c.method == "unlink" for c in calls),
        }

    def __len__(self) -> int:
        """Rows the plan changes (updates + creates + deletes)."""
        return len(self.updates) + len(self.creates) + len(self.deletes)

    def __bool__(self) -> bool:
        return len(self) > 0

    def update_groups(self) -> list[tuple[Mapping[str, Any], list[Update]]]:
        """Updates with identical write values, in order of first appearance."""
        groups: dict[bytes, tuple[Mapping[str, Any], list[Update]]] = {}
        for update in self.updates:
            key = vals_key(update.vals)
            if key not in groups:
                groups[key] = (update.vals, [])
            groups[key][1].append(update)
        return list(groups.values())

    def calls(self, batch_size: int | None = None) -> list[PlannedCall]:
        """The data calls :meth:`apply` sends when nothing changed on the server.

        Updates first (one ``write`` per value set and batch), then ``create`` batches,
        then ``unlink`` batches. Before writing, apply also reads ``write_date`` and the
        planned fields of the records (batched ``search_read``) to find conflicts.
        """
        size = check_batch_size(batch_size or self.batch_size)
        out: list[PlannedCall] = []
        for vals, group in self.update_groups():
            if not vals:
                continue  # one2many lines moved by the write of their new owner
            for chunk in batches(group, size):
                out.append(PlannedCall(self.model, "write", ([u.id for u in chunk], dict(vals))))
        for chunk in batches(self.creates, size):
            out.append(PlannedCall(self.model, "create", ([dict(c.vals) for c in chunk],)))
        for chunk in batches(self.deletes, size):
            out.append(PlannedCall(self.model, "unlink", ([d.id for d in chunk],)))
        return out

    def field_counts(self) -> dict[str, int]:
        """Changed cells per field (updates and creates)."""
        counts: dict[str, int] = {}
        for update in self.updates:
            for name in update.after:
                counts[name] = counts.get(name, 0) + 1
        for create in self.creates:
            for name in create.vals:
                counts[name] = counts.get(name, 0) + 1
        return counts

    # ------------------------------------------------------------------ tables

    def cells(self) -> Iterator[tuple[str, int | None, int | None, str | None, Any, Any]]:
        """``(op, id, row, field, before, after)`` per changed cell; one row per delete."""
        for update in self.updates:
            for name, value in update.after.items():
                yield ("update", update.id, None, name, update.before.get(name, MISSING), value)
        for create in self.creates:
            for name, value in create.vals.items():
                shown = value
                if name in self.fields and self.fields[name].is_x2many:
                    shown = _set_ids(value)
                yield ("create", None, create.row, name, None, shown)
        for delete in self.deletes:
            yield ("delete", delete.id, None, None, None, None)

    def to_pandas(self) -> pd.DataFrame:
        """One row per changed cell: ``op, id, row, field, before, after``."""
        import pandas as pd

        rows = [(op, i, r, f, None if b is MISSING else b, a) for op, i, r, f, b, a in self.cells()]
        frame = pd.DataFrame(rows, columns=["op", "id", "row", "field", "before", "after"])
        frame["id"] = frame["id"].astype("Int64")
        frame["row"] = frame["row"].astype("Int64")
        frame["before"] = frame["before"].astype(object)
        frame["after"] = frame["after"].astype(object)
        return frame

    # ------------------------------------------------------------------ display

    def summary(self) -> str:
        counts = self.counts
        parts = [
            f"{counts['updates']} update{_s(counts['updates'])} in "
            f"{counts['write_calls']} write call{_s(counts['write_calls'])}",
            f"{counts['creates']} create{_s(counts['creates'])}"
            + (
                f" in {counts['create_calls']} create call{_s(counts['create_calls'])}"
                if counts["creates"]
                else ""
            ),
            f"{counts['deletes']} delete{_s(counts['deletes'])}",
        ]
        text = f"Plan {self.model}: {', '.join(parts)}"
        if self.ignored_deletes:
            text += (
                f"; {len(self.ignored_deletes)} row{_s(len(self.ignored_deletes))} missing from "
                "`after` ignored (allow_delete=True deletes them)"
            )
        return text

    def __repr__(self) -> str:
        lines = [self.summary()]
        if self.server:
            lines.append(f"  server: {self.server}   batch_size: {self.batch_size}")
        fields = self.field_counts()
        if fields:
            lines.append("  fields: " + ", ".join(f"{k} ({v})" for k, v in fields.items()))
        for note in self.notes:
            lines.append(f"  note: {note}")
        cells = list(_first(self.cells(), 10))
        if cells:
            lines.append("  op      id        field                before -> after")
            for op, rid, row, name, before, after in cells:
                who = str(rid) if rid is not None else f"row {row}" if row is not None else ""
                change = "" if op == "delete" else f"{_short(before, 30)} -> {_short(after, 40)}"
                if op == "create":
                    change = _short(after, 60)
                lines.append(f"  {op:<7} {who:<9} {name or '':<20} {change}")
            total = sum(1 for _ in self.cells())
            if total > len(cells):
                lines.append(f"  ... {total - len(cells)} more cells (plan.to_pandas() lists all)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        out = [f"<div><strong>{esc(self.summary())}</strong>"]
        if self.notes:
            out.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in self.notes) + "</ul>")
        cells = list(_first(self.cells(), 20))
        if cells:
            out.append(
                "<table><thead><tr><th>op</th><th>id</th><th>row</th><th>field</th>"
                "<th>before</th><th></th><th>after</th></tr></thead><tbody>"
            )
            for op, rid, row, name, before, after in cells:
                shown_before = "" if op != "update" else esc(_short(before, 60))
                shown_after = "" if op == "delete" else esc(_short(after, 60))
                out.append(
                    f"<tr><td>{op}</td><td>{'' if rid is None else rid}</td>"
                    f"<td>{'' if row is None else row}</td><td>{esc(name or '')}</td>"
                    f"<td><del>{shown_before}</del></td><td>&rarr;</td>"
                    f"<td><ins>{shown_after}</ins></td></tr>"
                )
            out.append("</tbody></table>")
            total = sum(1 for _ in self.cells())
            if total > len(cells):
                out.append(f"<p>&hellip; {total - len(cells)} more cells (plan.to_pandas())</p>")
        out.append("</div>")
        return "".join(out)

    # ------------------------------------------------------------------ JSON

    def to_json(self) -> str:
        """The plan as JSON (for review, or to apply later with :meth:`from_json`)."""
        data = {
            "format": _FORMAT,
            "model": self.model,
            "server": self.server,
            "batch_size": self.batch_size,
            "fields": {k: v.to_json() for k, v in self.fields.items()},
            "updates": [u.to_json() for u in self.updates],
            "creates": [c.to_json() for c in self.creates],
            "deletes": [d.to_json() for d in self.deletes],
            "ignored_deletes": list(self.ignored_deletes),
            "notes": list(self.notes),
            "journal": self.journal.to_json(),
        }
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()

    @classmethod
    def from_json(cls, text: str | bytes, *, client: Any = None) -> Plan:
        data = orjson.loads(text)
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise WritebackError(f"not a saved odoo_frames plan (expected format {_FORMAT!r})")
        infos = {k: FieldInfo.from_json(v) for k, v in data["fields"].items()}

        def commands(vals: Mapping[str, Any]) -> dict[str, Any]:
            # JSON has no tuples: x2many commands come back as lists
            return {
                name: [tuple(c) for c in value]
                if name in infos and infos[name].is_x2many
                else value
                for name, value in vals.items()
            }

        updates = [Update.from_json(u) for u in data["updates"]]
        creates = [Create.from_json(c) for c in data["creates"]]
        return cls(
            data["model"],
            infos,
            [Update(u.id, u.before, u.after, commands(u.vals), u.write_date) for u in updates],
            [Create(c.row, commands(c.vals)) for c in creates],
            [Delete.from_json(d) for d in data["deletes"]],
            [int(i) for i in data.get("ignored_deletes", [])],
            server=data.get("server", ""),
            batch_size=int(data.get("batch_size", DEFAULT_BATCH_SIZE)),
            notes=data.get("notes", []),
            client=client,
            journal=Journal.from_json(data.get("journal")),
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the plan to a JSON file (with what earlier applies did)."""
        target = Path(path)
        target.write_text(self.to_json(), encoding="utf-8")
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, client: Any = None) -> Plan:
        """A plan saved by :meth:`save`; ``client`` is where :meth:`apply` sends it."""
        return cls.from_json(Path(path).read_bytes(), client=client)

    # ------------------------------------------------------------------ derived plans

    def replace(
        self,
        *,
        updates: Iterable[Update] | None = None,
        creates: Iterable[Create] | None = None,
        deletes: Iterable[Delete] | None = None,
        ignored_deletes: Iterable[int] | None = None,
        notes: Iterable[str] | None = None,
        journal: Journal | None = None,
    ) -> Plan:
        """A new plan with some parts replaced (same model, fields, server, client)."""
        return Plan(
            self.model,
            self.fields,
            self.updates if updates is None else updates,
            self.creates if creates is None else creates,
            self.deletes if deletes is None else deletes,
            self.ignored_deletes if ignored_deletes is None else ignored_deletes,
            server=self.server,
            batch_size=self.batch_size,
            notes=self.notes if notes is None else notes,
            client=self.client,
            journal=journal
            if journal is not None
            else Journal(dict(self.journal.created), list(self.journal.inflight)),
        )

    # ------------------------------------------------------------------ apply

    def apply(
        self,
        *,
        dry_run: bool = False,
        batch_size: int | None = None,
        progress: bool | Callable[[int, int], None] | None = None,
        on_conflict: str = "skip",
        on_error: str = "isolate",
        client: Any = None,
    ) -> ApplyResult:
        """Send the plan; see :func:`odoo_frames.apply.apply_plan`."""
        from .apply import apply_plan

        return apply_plan(
            self,
            client if client is not None else self.client,
            dry_run=dry_run,
            batch_size=batch_size,
            progress=progress,
            on_conflict=on_conflict,
            on_error=on_error,
        )


def _set_ids(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 1 and value[0] and value[0][0] == 6:
        return list(value[0][2])
    return value


def _first(items: Iterable[Any], n: int) -> Iterator[Any]:
    for i, item in enumerate(items):
        if i >= n:
            return
        yield item


def _s(n: int) -> str:
    return "" if n == 1 else "s"


# --------------------------------------------------------------------------------------
# DataFrames


class _Table:
    """A pandas / polars / pyarrow DataFrame seen through narwhals: columns as lists."""

    def __init__(self, frame: Any, role: str) -> None:
        import narwhals as nw

        try:
            self._frame = nw.from_native(frame, eager_only=True)
        except TypeError:
            raise WritebackError(
                f"{role} must be a pandas or polars DataFrame, not {type(frame).__name__}"
            ) from None
        self.columns: list[str] = [str(c) for c in self._frame.columns]
        self.height = len(self._frame)
        self._cache: dict[str, list[Any]] = {}

    def __contains__(self, column: str) -> bool:
        return column in self.columns

    def column(self, name: str) -> list[Any]:
        values = self._cache.get(name)
        if values is None:
            values = self._cache[name] = list(self._frame.get_column(name).to_list())
        return values


def table(frame: Any, role: str) -> _Table:
    return _Table(frame, role)


def row_id(value: Any) -> int | None:
    """An id cell as int, None when empty; ValueError when it is no record id."""
    if type(value) is int and value > 0:
        return value  # the common case: an int64 column's value
    if null_cell(value):
        return None
    value = plain(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{value!r} is not a record id")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{value!r} is not a record id")
    return value


def _sample(ids: Sequence[Any], n: int = 5) -> str:
    shown = ", ".join(str(i) for i in ids[:n])
    return shown + (f" and {len(ids) - n} more" if len(ids) > n else "")


def raise_problems(problems: list[str], what: str = "cannot write back the changes") -> None:
    if not problems:
        return
    shown = problems[:_SHOWN_PROBLEMS]
    text = f"{what}: " + (
        shown[0]
        if len(problems) == 1
        else f"{len(problems)} problems:\n" + "\n".join(f"- {p}" for p in shown)
    )
    if len(problems) > len(shown):
        text += f"\n- ... {len(problems) - len(shown)} more (see .problems)"
    raise WritebackError(text, problems=problems)


def readonly_reason(spec: FieldSpec) -> str:
    if spec.name == "id":
        return "the record id"
    if not spec.store:
        return "readonly: computed or related, not stored"
    return "readonly"


class ColumnKinds:
    """The columns of an edited frame, sorted by what they mean for the model."""

    def __init__(self, schema: ModelSchema, columns: Iterable[str]) -> None:
        self.fields: list[str] = []  # writable fields
        self.readonly: list[str] = []  # fields that cannot be written
        self.names: dict[str, str] = {}  # "x.display_name" -> "x" (many2one)
        self.related: list[str] = []  # dotted paths read through a relation
        self.unknown: list[str] = []
        for column in columns:
            if column == "id":
                continue
            if column in schema:
                spec = schema[column]
                (self.fields if spec.writable else self.readonly).append(column)
                continue
            head, _, rest = column.partition(".")
            if rest == "display_name" and head in schema and schema[head].type == "many2one":
                self.names[column] = head
            elif rest and head in schema and schema[head].relation:
                self.related.append(column)
            else:
                self.unknown.append(column)

    def problems(self, schema: ModelSchema) -> list[str]:
        out = []
        for column in self.unknown:
            close = schema.suggest(column.split(".")[0] if "." in column else column)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            out.append(
                f"column {column!r} is not a field of {schema.model}{hint} "
                "(drop helper columns before diffing)"
            )
        return out


def field_infos(
    schema: ModelSchema,
    descriptors: Mapping[str, Mapping[str, Any]],
    names: Iterable[str],
    float_tolerance: float | None = None,
) -> dict[str, FieldInfo]:
    return {
        name: FieldInfo.of(schema[name], descriptors.get(name, {}), float_tolerance)
        for name in names
    }


# --------------------------------------------------------------------------------------
# Many2one names


class NameResolver:
    """``name -> id`` through ``name_search`` for ``resolve_names=True``; one call per name."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._cache: dict[tuple[str, str], int | str] = {}

    def resolve(self, relation: str, name: str) -> int | str:
        """The id, or a problem sentence (no match, several matches)."""
        key = (relation, name)
        if key not in self._cache:
            self._cache[key] = self._lookup(relation, name)
        return self._cache[key]

    def _lookup(self, relation: str, name: str) -> int | str:
        found = self.client.call(relation, "name_search", name=name, operator="=", limit=5)
        matches = [(int(r[0]), str(r[1])) for r in found]
        if not matches:
            # display names can differ from the name ("Azure Interior, Brandon Freeman")
            found = self.client.call(relation, "name_search", name=name, operator="ilike", limit=50)
            matches = [(int(r[0]), str(r[1])) for r in found if str(r[1]) == name]
        if len(matches) == 1:
            return matches[0][0]
        if not matches:
            return f"no {relation} record is named {name!r}"
        listed = ", ".join(f"{rid} ({label!r})" for rid, label in matches)
        return f"{name!r} is ambiguous in {relation}: it matches {listed}; set the id column"


# --------------------------------------------------------------------------------------
# diff


def _model_and_snapshot(before: Any, model: str | None) -> tuple[str, Any]:
    from .snapshot import snapshot_of

    snapshot = snapshot_of(before)
    if model is None:
        if snapshot is None:
            raise WritebackError(
                "cannot tell which model `before` comes from: read it with "
                "odoo[model].to_pandas() / to_polars(), or pass model='res.partner'"
            )
        return snapshot.model, snapshot
    if not isinstance(model, str) or not model:
        raise WritebackError(f"model must be a model name like 'res.partner', not {model!r}")
    if snapshot is not None and snapshot.model != model:
        raise WritebackError(
            f"`before` was read from {snapshot.model}, not {model}: pass the matching model"
        )
    return model, snapshot


def server_of(client: Any) -> str:
    return f"{getattr(client, 'url', '')}/{getattr(client, 'db', '')}"


def diff(
    client: Any,
    before: Any,
    after: Any,
    *,
    model: str | None = None,
    allow_delete: bool = False,
    resolve_names: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    float_tolerance: float | None = None,
) -> Plan:
    """The :class:`Plan` that turns ``before`` (as read) into ``after`` (as edited).

    ``model`` defaults to the one ``before`` was read from (its snapshot); records read
    keep their ``write_date`` for the conflict check of :meth:`Plan.apply`. Everything
    wrong is reported at once, as a :class:`WritebackError`, before any data call
    (``resolve_names=True`` sends one ``name_search`` per distinct changed name).
    """
    from .frame import schema_of

    if after is before:
        raise WritebackError(
            "`after` is the same object as `before`: edit a copy (after = before.copy()) "
            "so that the changes can be found"
        )
    check_batch_size(batch_size)
    if float_tolerance is not None and not float_tolerance >= 0:
        raise WritebackError(f"float_tolerance must be >= 0, not {float_tolerance!r}")
    model_name, snapshot = _model_and_snapshot(before, model)
    server = server_of(client)
    if snapshot is not None and snapshot.server and snapshot.server != server:
        raise WritebackError(
            f"`before` was read from {snapshot.server}, this client is connected to {server}"
        )
    old = table(before, "before")
    new = table(after, "after")
    schema = schema_of(client, model_name)
    descriptors = client.fields_get(model_name)
    problems: list[str] = []
    for name, frame in (("before", old), ("after", new)):
        if "id" not in frame:
            problems.append(
                f"`{name}` has no 'id' column: rows are matched by id (new rows have an empty id)"
            )
    raise_problems(problems)

    # ids: before must have one per row, after may have new rows (empty id)
    old_ids: list[int] = []
    for position, cell in enumerate(old.column("id")):
        try:
            rid = row_id(cell)
        except ValueError as error:
            problems.append(f"`before` row {position}: {error}")
            continue
        if rid is None:
            problems.append(f"`before` row {position} has no id")
            continue
        old_ids.append(rid)
    old_index = {rid: i for i, rid in enumerate(old_ids)}
    if len(old_index) != len(old_ids):
        problems.append(f"`before` has duplicate ids: {_sample(_duplicates(old_ids))}")
    new_ids: list[int | None] = []
    for position, cell in enumerate(new.column("id")):
        try:
            new_ids.append(row_id(cell))
        except ValueError as error:
            problems.append(f"`after` row {position}: {error}")
            new_ids.append(None)
    present = [i for i in new_ids if i is not None]
    duplicates = _duplicates(present)
    if duplicates:
        problems.append(f"`after` has duplicate ids: {_sample(duplicates)}")
    strangers = [i for i in present if i not in old_index]
    if strangers:
        problems.append(
            f"`after` has ids that are not in `before`: {_sample(strangers)} "
            "(diff edits of rows that were read; use upsert() to match other data)"
        )
    kinds = ColumnKinds(schema, new.columns)
    problems.extend(kinds.problems(schema))
    raise_problems(problems)

    infos = field_infos(
        schema,
        descriptors,
        [*kinds.fields, *(kinds.names[c] for c in kinds.names)],
        float_tolerance,
    )
    pairs = [(j, old_index[rid], rid) for j, rid in enumerate(new_ids) if rid is not None]
    new_rows = [j for j, rid in enumerate(new_ids) if rid is None]
    before_vals: dict[int, dict[str, Any]] = {}
    after_vals: dict[int, dict[str, Any]] = {}

    # writable fields: the changes
    for name in kinds.fields:
        info = infos[name]
        after_cells = new.column(name)
        before_cells = old.column(name) if name in old else None
        for j, i, rid in pairs:
            a_cell = after_cells[j]
            b_cell = before_cells[i] if before_cells is not None else MISSING
            if b_cell is not MISSING and _cells_equal(a_cell, b_cell):
                continue
            try:
                a_val = info.from_cell(a_cell)
                b_val = MISSING if b_cell is MISSING else info.from_cell(b_cell)
            except (ValueError, TypeError) as error:
                problems.append(f"id {rid}, column {name!r}: {error}")
                continue
            if b_val is MISSING or not info.same(a_val, b_val):
                after_vals.setdefault(rid, {})[name] = a_val
                if b_val is not MISSING:
                    before_vals.setdefault(rid, {})[name] = b_val

    # readonly fields, related paths: changes are errors
    for name in kinds.readonly:
        spec = schema[name]
        changed = _changed_ids(old, new, name, pairs, _readonly_info(spec))
        if changed:
            problems.append(
                f"{name!r} changed in {len(changed)} row{_s(len(changed))} (ids "
                f"{_sample(changed)}) but {model_name}.{name} is {readonly_reason(spec)}: "
                "it cannot be written"
            )
    for column in kinds.related:
        changed = _changed_ids(old, new, column, pairs, None)
        if changed:
            head = column.split(".")[0]
            problems.append(
                f"{column!r} changed in {len(changed)} row{_s(len(changed))} (ids "
                f"{_sample(changed)}): it is read through {head!r} and cannot be written; "
                f"edit {head!r} (the id) or change the {schema[head].relation} record itself"
            )

    # x.display_name: an error unless the id changed too, or resolve_names=True
    resolver = NameResolver(client) if resolve_names else None
    to_resolve: list[tuple[int | None, int | None, str, str | None]] = []  # (id, row, field, name)
    for column, base in kinds.names.items():
        base_spec = schema[base]
        after_names = new.column(column)
        before_names = old.column(column) if column in old else None
        after_base = new.column(base) if base in new else None
        renamed: list[int] = []
        for j, i, rid in pairs:
            a_name = text_cell(after_names[j])
            b_name = text_cell(before_names[i]) if before_names is not None else None
            if a_name == b_name:
                continue
            if before_names is None and (after_base is None or not null_cell(after_base[j])):
                continue  # no old name to compare with and the id is given
            if base in after_vals.get(rid, {}):
                continue  # the id column changed too: it wins
            renamed.append(rid)
            if base_spec.writable and resolver is not None:
                to_resolve.append((rid, None, base, a_name))
        if renamed and (resolver is None or not base_spec.writable):
            why = (
                f"{model_name}.{base} is {readonly_reason(base_spec)}"
                if not base_spec.writable
                else f"edit {base!r} (the id), or pass resolve_names=True to look the names "
                "up with name_search"
            )
            problems.append(
                f"{column!r} changed in {len(renamed)} row{_s(len(renamed))} (ids "
                f"{_sample(renamed)}) while {base!r} did not: a display name is not written; " + why
            )

    # creates
    creates: list[tuple[int, dict[str, Any]]] = []
    skipped_on_create: set[str] = set()
    for j in new_rows:
        vals: dict[str, Any] = {}
        for name in kinds.fields:
            cell = new.column(name)[j]
            info = infos[name]
            try:
                value = info.from_cell(cell)
            except (ValueError, TypeError) as error:
                problems.append(f"new row {j}, column {name!r}: {error}")
                continue
            if info.is_x2many:
                if value:
                    vals[name] = [(6, 0, value)]
            elif not null_cell(cell):
                vals[name] = value
        for name in kinds.readonly + kinds.related:
            if not null_cell(new.column(name)[j]):
                skipped_on_create.add(name)
        for column, base in kinds.names.items():
            a_name = text_cell(new.column(column)[j])
            if a_name is None or base in vals:
                continue
            if resolver is not None and schema[base].writable:
                to_resolve.append((None, j, base, a_name))
            else:
                problems.append(
                    f"new row {j}: {column!r} is {a_name!r} but {base!r} is empty; set the id, "
                    "or pass resolve_names=True to look the name up"
                )
        creates.append((j, vals))
    raise_problems(problems)

    # names -> ids (read-only calls, after every other check passed)
    if resolver is not None and to_resolve:
        by_row = dict(creates)
        for target_id, target_row, base, wanted_name in to_resolve:
            relation = str(schema[base].relation)
            found: int | str = (
                False if wanted_name is None else resolver.resolve(relation, wanted_name)
            )
            if isinstance(found, str):
                where = f"id {target_id}" if target_id is not None else f"new row {target_row}"
                problems.append(f"{where}, column '{base}.display_name': {found}")
                continue
            if target_id is not None:
                rid = target_id
                i = old_index[rid]
                old_id = infos[base].from_cell(old.column(base)[i]) if base in old else MISSING
                if old_id is not MISSING and infos[base].same(old_id, found):
                    continue
                after_vals.setdefault(rid, {})[base] = found
                if old_id is not MISSING:
                    before_vals.setdefault(rid, {})[base] = old_id
            elif target_row is not None:
                by_row[target_row][base] = found
        raise_problems(problems)

    write_dates = dict(snapshot.write_dates) if snapshot is not None else {}
    updates = [
        update_for(
            infos, rid, before_vals.get(rid, {}), after_vals[rid], write_dates.get(rid) or None
        )
        for _, _, rid in pairs
        if rid in after_vals
    ]
    updates = keep_moved_lines(updates, infos)
    kept = set(present)
    gone = [rid for rid in old_ids if rid not in kept]
    deletes = [Delete(rid, write_dates.get(rid) or None) for rid in gone] if allow_delete else []
    notes = []
    if skipped_on_create:
        notes.append(
            "new rows: readonly columns are not sent on create ("
            + ", ".join(sorted(skipped_on_create))
            + ")"
        )
    if snapshot is None:
        notes.append(
            "`before` has no read snapshot (model= given): conflicts are found by comparing "
            "the planned fields only, not write_date"
        )
    return Plan(
        model_name,
        infos,
        updates,
        [Create(j, vals) for j, vals in creates],
        deletes,
        [] if allow_delete else gone,
        server=server,
        batch_size=batch_size,
        notes=notes,
        client=client,
    )


def _duplicates(values: Iterable[Any]) -> list[Any]:
    seen: set[Any] = set()
    dupes: dict[Any, None] = {}
    for value in values:
        if value in seen:
            dupes[value] = None
        seen.add(value)
    return list(dupes)


def _cells_equal(a: Any, b: Any) -> bool:
    """A fast path for untouched cells (NaN, NA and arrays fall through to conversion)."""
    if a is b:
        return not (isinstance(a, float) and math.isnan(a))
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return False


def _readonly_info(spec: FieldSpec) -> FieldInfo | None:
    if spec.type in ("many2one", "one2many", "many2many", "float", "monetary", "integer"):
        return FieldInfo(spec.name, spec.type, spec.relation)
    return None


def _changed_ids(
    old: _Table,
    new: _Table,
    column: str,
    pairs: Sequence[tuple[int, int, int]],
    info: FieldInfo | None,
) -> list[int]:
    """Ids whose cell differs between the frames (a column new in ``after``: non-empty)."""
    after_cells = new.column(column)
    if column not in old:
        return [rid for j, _, rid in pairs if not null_cell(after_cells[j])]
    before_cells = old.column(column)
    changed = []
    for j, i, rid in pairs:
        a, b = after_cells[j], before_cells[i]
        if _cells_equal(a, b):
            continue
        if info is not None:
            try:
                if info.same(info.from_cell(a), info.from_cell(b)):
                    continue
            except (ValueError, TypeError):
                pass
        elif _loose(a) == _loose(b):
            continue
        changed.append(rid)
    return changed


def _loose(value: Any) -> Any:
    """Cells of display-only columns compared loosely: empty is None, lists as lists."""
    if null_cell(value) or value is False or value == "":
        return None
    value = plain(value)
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, tuple):
        value = list(value)
    return value
