"""Applying a :class:`~odoo_frames.writeback.Plan`: stale check, batches, per-row report.

``plan.apply()`` runs, in this order:

1. **Stale check.** The planned records are read back (batched ``search_read`` of the
   planned fields and ``write_date``, archived records included). A record that already
   holds the planned values is ``unchanged`` (nothing is sent: applying a plan twice, or
   again after an interruption, writes nothing twice). A record whose ``write_date``
   moved since it was read, or whose planned fields no longer hold the values read, is a
   ``conflict`` and is not written (``on_conflict="overwrite"`` writes it anyway,
   ``"raise"`` stops before writing anything).
2. **Writes**, one ``write(ids, vals)`` per value set and batch; then **creates**, one
   ``create([...])`` per batch; then **deletes**, one ``unlink(ids)`` per batch.
3. **Failure isolation.** A batch Odoo refuses (UserError, ValidationError, access
   rule...) was rolled back by Odoo; it is split in halves until the refused rows are
   found. Those are ``failed`` with Odoo's message, the others are written.
4. **Report.** An :class:`ApplyResult`: the status of every row, the calls made,
   :meth:`ApplyResult.retry_plan` and :meth:`ApplyResult.undo_plan`.

Writes are never retried blindly: when the connection drops after a call was sent, its
rows are ``unknown``, the rest ``pending``, and :class:`~odoo_frames.errors.ApplyError`
is raised with the result. Applying the plan again finishes the work: written rows hold
their planned values and are skipped; a create call without an answer is looked up on
the server (records of this user created since, with the planned values) before
anything is created again. The plan's :attr:`~odoo_frames.writeback.Plan.journal`
remembers created ids for that.

Limits, honestly: Odoo has no conditional write over RPC, so a change made by someone
else between the stale check and the write is overwritten. ``write_date`` has one-second
precision: a change made in the same second as the read is only caught when it touched
the planned fields (they are compared too).

Example::

    result = plan.apply(batch_size=500, on_conflict="skip")
    result                       # ApplyResult res.partner: 9,900 written, 12 conflicts, 6 failed
    result.to_pandas()           # op, id, row, status, message
    result.retry_plan(after=fixed).apply()   # only the failed rows, with fixed values
    result.undo_plan().apply()   # puts the written values back
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import (
    ApplyError,
    ConflictError,
    OdooError,
    RemoteError,
    TransportError,
    WritebackError,
)
from .writeback import (
    MISSING,
    Create,
    Delete,
    Journal,
    Plan,
    PlannedCall,
    Update,
    batches,
    check_batch_size,
    table,
    update_for,
    vals_key,
    x2many_commands,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["STATUSES", "ApplyResult", "CallRecord", "RowResult", "apply_plan"]

#: What can happen to a row. ``unchanged``: the server already holds the planned values;
#: ``unknown``: sent, but the connection failed before the answer; ``pending``: not tried
#: (the apply stopped); ``ignored``: missing from ``after`` without ``allow_delete``.
STATUSES = (
    "written",
    "created",
    "deleted",
    "called",
    "unchanged",
    "conflict",
    "failed",
    "unknown",
    "pending",
    "ignored",
    "would_write",
    "would_create",
    "would_delete",
)

#: Records read per stale-check call (at least one write batch).
CHECK_SIZE = 2000

#: Waits before sending again a call refused by a serialization failure (rolled back).
TRANSIENT_DELAYS = (0.5, 2.0)

_ON_CONFLICT = ("skip", "raise", "overwrite")
_WOULD = {"written": "would_write", "created": "would_create", "deleted": "would_delete"}
_ON_ERROR = ("isolate", "raise")


@dataclass
class RowResult:
    """What happened to one row of the plan."""

    op: str  # "update" | "create" | "delete" | "call"
    id: int | None
    row: int | None
    status: str = "pending"
    message: str = ""
    error_type: str = ""


def set_status(
    row: RowResult, status: str, message: str = "", error: OdooError | None = None
) -> None:
    """What happened to ``row``; ``error``, the exception that said so, gives its type name."""
    row.status = status
    row.message = message
    row.error_type = type(error).__name__ if error is not None else ""


def status_counts(rows: Sequence[RowResult]) -> dict[str, int]:
    """How many rows have each status, in the order of :data:`STATUSES` (absent ones left out)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return {s: counts[s] for s in STATUSES if s in counts}


@dataclass(frozen=True)
class CallRecord:
    """One RPC sent while applying."""

    model: str
    method: str
    size: int
    ok: bool
    seconds: float
    error: str = ""

    def __repr__(self) -> str:
        state = "ok" if self.ok else f"error: {self.error}"
        return f"{self.model}.{self.method}({self.size} records) {state} in {self.seconds:.3f}s"


class ApplyResult:
    """Per row: written / created / deleted / unchanged / conflict / failed / unknown / pending."""

    def __init__(
        self,
        plan: Plan,
        rows: Sequence[RowResult],
        calls: Sequence[CallRecord],
        *,
        dry_run: bool = False,
        would_call: Sequence[PlannedCall] = (),
        seconds: float = 0.0,
        interrupted: str = "",
    ) -> None:
        self.plan = plan
        self.rows: list[RowResult] = list(rows)
        self.calls: list[CallRecord] = list(calls)
        self.dry_run = dry_run
        #: Dry run: the data calls a real apply would send now.
        self.would_call: list[PlannedCall] = list(would_call)
        self.seconds = seconds
        #: Why the apply stopped early ("" when it ran to the end).
        self.interrupted = interrupted

    # ------------------------------------------------------------------ queries

    @property
    def counts(self) -> dict[str, int]:
        return status_counts(self.rows)

    def ids(self, status: str) -> list[int]:
        """Record ids of the rows with this status (created rows: the new ids)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        return [r.id for r in self.rows if r.status == status and r.id is not None]

    def rows_with(self, *statuses: str) -> list[RowResult]:
        return [r for r in self.rows if r.status in statuses]

    @property
    def failed(self) -> list[RowResult]:
        return self.rows_with("failed")

    @property
    def conflicts(self) -> list[RowResult]:
        return self.rows_with("conflict")

    @property
    def created_ids(self) -> dict[int, int]:
        """``{row of after: new id}`` for the rows created (by this or an earlier apply)."""
        return dict(self.plan.journal.created)

    @property
    def ok(self) -> bool:
        """True when every row reached its planned state (ignored rows aside)."""
        bad = {"conflict", "failed", "unknown", "pending"}
        return not any(r.status in bad for r in self.rows)

    @property
    def write_calls(self) -> int:
        return sum(c.method in ("write", "create", "unlink") for c in self.calls)

    def to_pandas(self) -> pd.DataFrame:
        """One row per plan row: ``op, id, row, status, message, error_type``."""
        import pandas as pd

        frame = pd.DataFrame(
            [(r.op, r.id, r.row, r.status, r.message, r.error_type) for r in self.rows],
            columns=["op", "id", "row", "status", "message", "error_type"],
        )
        frame["id"] = frame["id"].astype("Int64")
        frame["row"] = frame["row"].astype("Int64")
        return frame

    # ------------------------------------------------------------------ follow-up plans

    def retry_plan(self, after: Any = None, *, include_conflicts: bool = False) -> Plan:
        """A plan of the rows that failed, are unknown or were not tried.

        ``after``: a DataFrame with fixed values for failed updates (matched by id; its
        columns replace the planned values). Failed rows are retried without the
        ``write_date`` check (fixing a row usually touches the record) but the planned
        fields must still hold the values read. ``include_conflicts=True`` adds the
        conflicts (their values are still checked: apply with ``on_conflict="overwrite"``
        to replace what the other user wrote).
        """
        wanted = {"failed", "unknown", "pending"} | ({"conflict"} if include_conflicts else set())
        plan = self.plan
        fixes = _fixed_values(plan, after) if after is not None else {}
        updates: list[Update] = []
        creates: list[Create] = []
        deletes: list[Delete] = []
        for index, row in enumerate(self.rows):
            if row.status not in wanted:
                continue
            kind, item = _plan_item(plan, index)
            if isinstance(item, Update):
                stamp = None if row.status in ("failed", "conflict") else item.write_date
                target = dict(item.after)
                target.update(fixes.get(item.id, {}))
                changed = {
                    name: value
                    for name, value in target.items()
                    if name not in item.before
                    or not plan.fields[name].same(item.before[name], value)
                }
                if changed:
                    before = {k: v for k, v in item.before.items() if k in changed}
                    updates.append(update_for(plan.fields, item.id, before, changed, stamp))
            elif isinstance(item, Create):
                creates.append(item)
            elif isinstance(item, Delete) and kind == "delete":
                deletes.append(Delete(item.id, None if row.status == "failed" else item.write_date))
        journal = Journal(dict(plan.journal.created), [dict(e) for e in plan.journal.inflight])
        return plan.replace(
            updates=updates,
            creates=creates,
            deletes=deletes,
            ignored_deletes=(),
            notes=[f"retry of {len(updates) + len(creates) + len(deletes)} rows"],
            journal=journal,
        )

    def undo_plan(self) -> Plan:
        """A plan that puts back the values this apply wrote and deletes what it created.

        Deleted records cannot be brought back (listed in the plan's notes). Its stale
        check compares values: rows changed again since are conflicts.
        """
        plan = self.plan
        updates: list[Update] = []
        unknown_before: set[str] = set()
        for index, row in enumerate(self.rows):
            if row.status != "written":
                continue
            _, item = _plan_item(plan, index)
            assert isinstance(item, Update)
            back = {k: v for k, v in item.before.items() if k in item.after}
            unknown_before |= set(item.after) - set(back)
            if back:
                done = {k: item.after[k] for k in back}
                updates.append(update_for(plan.fields, item.id, done, back, None))
        deletes = [Delete(r.id, None) for r in self.rows if r.status == "created" and r.id]
        notes = []
        gone = self.ids("deleted")
        if gone:
            notes.append(f"{len(gone)} deleted records cannot be restored: {gone[:10]}")
        if unknown_before:
            notes.append(
                "old values unknown (column not in `before`), not restored: "
                + ", ".join(sorted(unknown_before))
            )
        return plan.replace(
            updates=updates,
            creates=(),
            deletes=deletes,
            ignored_deletes=(),
            notes=notes,
            journal=Journal(),
        )

    # ------------------------------------------------------------------ display

    def summary(self) -> str:
        counts = self.counts
        shown = ", ".join(f"{n:,} {status}" for status, n in counts.items()) or "nothing to do"
        head = "ApplyResult (dry run)" if self.dry_run else "ApplyResult"
        text = f"{head} {self.plan.model}: {shown} ({len(self.calls)} calls, {self.seconds:.2f} s)"
        if self.interrupted:
            text += f"; stopped: {self.interrupted}"
        return text

    def __repr__(self) -> str:
        lines = [self.summary()]
        for status in ("failed", "conflict", "unknown"):
            rows = self.rows_with(status)
            if not rows:
                continue
            lines.append(f"  {status}:")
            for row in rows[:10]:
                lines.append(
                    f"    {_who(row):<12} {row.message.splitlines()[0] if row.message else ''}"
                )
            if len(rows) > 10:
                lines.append(f"    ... {len(rows) - 10} more (result.to_pandas())")
        if self.dry_run and self.would_call:
            lines.append(f"  would send {len(self.would_call)} calls, e.g. {self.would_call[0]!r}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        out = [f"<div><strong>{esc(self.summary())}</strong>"]
        shown = [r for r in self.rows if r.status in ("failed", "conflict", "unknown")][:30]
        if shown:
            out.append(
                "<table><thead><tr><th>row</th><th>status</th><th>message</th></tr></thead><tbody>"
            )
            for row in shown:
                out.append(
                    f"<tr><td>{esc(_who(row))}</td><td>{row.status}</td>"
                    f"<td>{esc(row.message)}</td></tr>"
                )
            out.append("</tbody></table>")
        out.append("</div>")
        return "".join(out)


def _who(row: RowResult) -> str:
    if row.id is not None:
        return f"id {row.id}"
    return f"row {row.row}"


def _plan_item(plan: Plan, index: int) -> tuple[str, Update | Create | Delete | int]:
    """The plan entry of result row ``index`` (rows follow the plan's order)."""
    n_updates, n_creates, n_deletes = len(plan.updates), len(plan.creates), len(plan.deletes)
    if index < n_updates:
        return "update", plan.updates[index]
    index -= n_updates
    if index < n_creates:
        return "create", plan.creates[index]
    index -= n_creates
    if index < n_deletes:
        return "delete", plan.deletes[index]
    return "ignored", plan.ignored_deletes[index - n_deletes]


def _fixed_values(plan: Plan, after: Any) -> dict[int, dict[str, Any]]:
    """``{id: {field: value}}`` from a DataFrame of fixed rows (fields the plan knows)."""
    from .writeback import raise_problems, row_id

    frame = table(after, "after")
    if "id" not in frame:
        raise WritebackError("the fixed rows need their 'id' column")
    columns = [c for c in frame.columns if c in plan.fields]
    problems: list[str] = []
    out: dict[int, dict[str, Any]] = {}
    for position, cell in enumerate(frame.column("id")):
        try:
            rid = row_id(cell)
        except ValueError as error:
            problems.append(f"row {position}: {error}")
            continue
        if rid is None:
            continue
        values: dict[str, Any] = {}
        for name in columns:
            try:
                values[name] = plan.fields[name].from_cell(frame.column(name)[position])
            except (ValueError, TypeError) as error:
                problems.append(f"id {rid}, column {name!r}: {error}")
        out[rid] = values
    raise_problems(problems, "cannot use the fixed rows")
    return out


# --------------------------------------------------------------------------------------
# The engine


class Stopped(Exception):
    """Internal: stop applying or calling; ``reason`` goes to the result and the ApplyError."""

    def __init__(self, reason: str, cause: OdooError) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cause = cause


class Progress:
    """Rows done so far, told to a ``progress(done, total)`` callback or shown as a tqdm bar.

    ``progress``: None shows a bar where tqdm can, True always, False never; a callable is
    called instead. :meth:`close` removes the bar.
    """

    def __init__(
        self,
        progress: bool | Callable[[int, int], None] | None,
        total: int,
        *,
        label: str,
        unit: str,
    ) -> None:
        self.done = 0
        self.total = total
        self._progress = progress
        self._bar: Any = None
        if progress is not False and not callable(progress) and total:
            from tqdm.auto import tqdm

            self._bar = tqdm(
                total=total,
                desc=label,
                unit=unit,
                disable=None if progress is None else not progress,
                leave=False,
            )

    def advance(self, n: int) -> None:
        self.done += n
        if callable(self._progress) and not isinstance(self._progress, bool):
            self._progress(self.done, self.total)
        elif self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class _Applier:
    def __init__(
        self,
        plan: Plan,
        client: Any,
        *,
        dry_run: bool,
        batch_size: int,
        progress: bool | Callable[[int, int], None] | None,
        on_conflict: str,
        on_error: str,
    ) -> None:
        from .frame import schema_of

        self.plan = plan
        self.client = client
        self.model = plan.model
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.on_conflict = on_conflict
        self.on_error = on_error
        schema = schema_of(client, plan.model)
        self.has_write_date = "write_date" in schema
        self.has_create_uid = "create_uid" in schema
        self.rows: list[RowResult] = (
            [RowResult("update", u.id, None) for u in plan.updates]
            + [RowResult("create", None, c.row) for c in plan.creates]
            + [RowResult("delete", d.id, None) for d in plan.deletes]
            + [
                RowResult(
                    "delete",
                    i,
                    None,
                    "ignored",
                    "missing from `after`; allow_delete=True deletes it",
                )
                for i in plan.ignored_deletes
            ]
        )
        self.calls: list[CallRecord] = []
        self.would_call: list[PlannedCall] = []
        self.watermark = 0
        self._progress_option = progress
        self.progress: Progress | None = None  # while running

    # ------------------------------------------------------------------ bookkeeping

    def _set(
        self, index: int, status: str, message: str = "", error: OdooError | None = None
    ) -> None:
        set_status(self.rows[index], status, message, error)
        if self.progress is not None:
            self.progress.advance(1)

    def _call(self, method: str, args: Sequence[Any], size: int, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            answer = self.client.call(self.model, method, *args, **kwargs)
        except OdooError as error:
            first = error.message.splitlines()[0] if error.message else type(error).__name__
            self.calls.append(
                CallRecord(self.model, method, size, False, time.perf_counter() - started, first)
            )
            raise
        self.calls.append(CallRecord(self.model, method, size, True, time.perf_counter() - started))
        return answer

    def _read(self, ids: list[int], fields: list[str]) -> dict[int, dict[str, Any]]:
        try:
            records = self._call(
                "search_read",
                ([("id", "in", ids)],),
                len(ids),
                fields=fields,
                context={"active_test": False},
            )
        except OdooError as error:
            raise Stopped(
                f"the stale check could not read the records: {error.message}", error
            ) from None
        return {int(r["id"]): r for r in records}

    # ------------------------------------------------------------------ run

    def run(self) -> ApplyResult:
        started = time.perf_counter()
        interrupted = ""
        cause: OdooError | None = None
        progress = self.progress = Progress(
            self._progress_option, len(self.plan), label=f"{self.model} apply", unit="rows"
        )
        try:
            writes = self._check_updates()
            deletes = self._check_deletes()
            conflicts = [r for r in self.rows if r.status == "conflict"]
            if conflicts and self.on_conflict == "raise":
                result = self._result(started, "conflicts found; nothing was written")
                raise ConflictError(
                    f"{len(conflicts)} {self.model} records changed on the server since they "
                    f"were read (ids {', '.join(str(r.id) for r in conflicts[:10])}"
                    f"{' ...' if len(conflicts) > 10 else ''}); nothing was written. "
                    'Read them again, or apply with on_conflict="skip" or "overwrite"',
                    result=result,
                )
            self._write(writes)
            self._create()
            self._unlink(deletes)
        except Stopped as stop:
            interrupted, cause = stop.reason, stop.cause
        finally:
            progress.close()
        result = self._result(started, interrupted)
        if cause is not None:
            raise ApplyError(
                f"{self.model}: {interrupted}. {_counts_text(result)}. Apply the plan again "
                "to finish: rows already written are skipped, nothing is written twice",
                result=result,
            ) from cause
        return result

    def _result(self, started: float, interrupted: str) -> ApplyResult:
        return ApplyResult(
            self.plan,
            self.rows,
            self.calls,
            dry_run=self.dry_run,
            would_call=self.would_call,
            seconds=time.perf_counter() - started,
            interrupted=interrupted,
        )

    # ------------------------------------------------------------------ stale check

    def _check_updates(self) -> list[tuple[int, Mapping[str, Any]]]:
        """Rows to write with their vals; the others get unchanged / conflict now."""
        infos = self.plan.fields
        updates = self.plan.updates
        todo: list[tuple[int, Mapping[str, Any]]] = []
        size = max(CHECK_SIZE, self.batch_size)
        for chunk in batches(range(len(updates)), size):
            names = sorted({name for k in chunk for name in updates[k].after})
            if self.has_write_date:
                names.append("write_date")
            records = self._read([updates[k].id for k in chunk], names)
            for k in chunk:
                update = updates[k]
                record = records.get(update.id)
                if record is None:
                    self._set(k, "conflict", "the record no longer exists (or is not visible)")
                    continue
                held, moved = True, []
                for name, wanted in update.after.items():
                    info = infos[name]
                    current = info.from_read(record.get(name, False))
                    if info.same(current, wanted):
                        continue
                    held = False
                    if name in update.before and not info.same(current, update.before[name]):
                        moved.append(
                            f"{name} is now {current!r} on the server "
                            f"(read: {update.before[name]!r})"
                        )
                if held:
                    self._set(k, "unchanged", "the server already holds the planned values")
                    continue
                stale = self._staleness(update, record, moved)
                if stale and self.on_conflict != "overwrite":
                    self._set(k, "conflict", stale)
                    continue
                vals = update.vals if not stale else _overwrite_vals(update, infos)
                todo.append((k, vals))
        return todo

    def _staleness(self, update: Update, record: Mapping[str, Any], moved: list[str]) -> str:
        """Why ``record`` changed since it was read ("" when it did not)."""
        stamp = record.get("write_date")
        if update.write_date and stamp and stamp != update.write_date:
            moved = [
                f"changed on the server since it was read (write_date {update.write_date} -> "
                f"{stamp})",
                *moved,
            ]
        return "; ".join(moved)

    def _check_deletes(self) -> list[int]:
        deletes = self.plan.deletes
        offset = len(self.plan.updates) + len(self.plan.creates)
        todo: list[int] = []
        size = max(CHECK_SIZE, self.batch_size)
        for chunk in batches(range(len(deletes)), size):
            names = ["write_date"] if self.has_write_date else ["id"]
            current = self._read([deletes[k].id for k in chunk], names)
            for k in chunk:
                delete = deletes[k]
                record = current.get(delete.id)
                if record is None:
                    self._set(offset + k, "unchanged", "already deleted")
                    continue
                stamp = record.get("write_date")
                if (
                    delete.write_date
                    and stamp
                    and stamp != delete.write_date
                    and self.on_conflict != "overwrite"
                ):
                    self._set(
                        offset + k,
                        "conflict",
                        f"changed on the server since it was read (write_date "
                        f"{delete.write_date} -> {stamp}); not deleted",
                    )
                    continue
                todo.append(offset + k)
        return todo

    # ------------------------------------------------------------------ data calls

    def _write(self, writes: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        groups: dict[bytes, tuple[Mapping[str, Any], list[int]]] = {}
        for index, vals in writes:
            key = vals_key(vals)
            if key not in groups:
                groups[key] = (vals, [])
            groups[key][1].append(index)
        for vals, indices in groups.values():
            if not vals:
                for k in indices:  # one2many lines moved by the write of their new owner
                    self._set(k, _WOULD["written"] if self.dry_run else "written", "lines moved")
                continue

            def write_args(items: list[int], vals: Mapping[str, Any] = vals) -> tuple[Any, ...]:
                return ([self.rows[k].id for k in items], dict(vals))

            for chunk in batches(indices, self.batch_size):
                self._send("write", list(chunk), write_args, "written")

    def _create(self) -> None:
        plan = self.plan
        journal = plan.journal
        offset = len(plan.updates)
        if journal.inflight and not self.dry_run:
            self._resolve_inflight()
        unresolved = {row for entry in journal.inflight for row in entry["rows"]}
        pending: list[int] = []
        for c, create in enumerate(plan.creates):
            index = offset + c
            if create.row in journal.created:
                self.rows[index].id = journal.created[create.row]
                self._set(index, "unchanged", "created by an earlier apply of this plan")
            elif create.row in unresolved:
                self._set(
                    index,
                    "unknown",
                    "an earlier create call got no answer and its records could not be told "
                    "apart on the server: check, then apply again",
                )
            else:
                pending.append(index)
        if not pending:
            return
        if not self.dry_run:
            self.watermark = self._highest_id()
        for chunk in batches(pending, self.batch_size):
            self._send(
                "create",
                list(chunk),
                lambda items: ([dict(plan.creates[k - offset].vals) for k in items],),
                "created",
            )

    def _unlink(self, indices: Sequence[int]) -> None:
        for chunk in batches(indices, self.batch_size):
            self._send(
                "unlink", list(chunk), lambda items: ([self.rows[k].id for k in items],), "deleted"
            )

    def _send(
        self,
        method: str,
        items: list[int],
        make_args: Callable[[list[int]], tuple[Any, ...]],
        done: str,
    ) -> None:
        """One call for ``items``; a refused batch is split until the refused rows are found."""
        args = make_args(items)
        if self.dry_run:
            self.would_call.append(PlannedCall(self.model, method, args))
            for k in items:
                self._set(k, _WOULD[done])
            return
        inflight = self._mark_inflight(items) if method == "create" else None
        attempt = 0
        while True:
            try:
                answer = self._call(method, args, len(items))
                break
            except RemoteError as error:
                if error.transient and attempt < len(TRANSIENT_DELAYS):
                    time.sleep(TRANSIENT_DELAYS[attempt])  # rolled back: safe to send again
                    attempt += 1
                    continue
                if inflight is not None:
                    self.plan.journal.inflight.remove(inflight)  # refused: nothing was created
                if self.on_error == "raise":
                    for k in items:
                        self._set(k, "failed", error.message, error)
                    raise Stopped(
                        f"{self.model}.{method} refused: {error.message}", error
                    ) from None
                if len(items) == 1:
                    self._set(items[0], "failed", error.message, error)
                    return
                middle = len(items) // 2
                self._send(method, items[:middle], make_args, done)
                self._send(method, items[middle:], make_args, done)
                return
            except TransportError as error:
                for k in items:
                    self._set(
                        k,
                        "unknown",
                        f"the connection failed after {method} was sent ({error.message}): "
                        "it may have been applied; apply the plan again to finish",
                        error,
                    )
                raise Stopped(f"connection lost during {method} ({error.message})", error) from None
        if method == "create":
            assert inflight is not None
            self.plan.journal.inflight.remove(inflight)
            new_ids = answer if isinstance(answer, list) else [answer]
            for k, new_id in zip(items, new_ids, strict=True):
                self.rows[k].id = int(new_id)
                self.plan.journal.created[self.plan.creates[k - len(self.plan.updates)].row] = int(
                    new_id
                )
        for k in items:
            self._set(k, done)

    # ------------------------------------------------------------------ create journal

    def _mark_inflight(self, items: list[int]) -> dict[str, Any]:
        offset = len(self.plan.updates)
        entry = {
            "rows": [self.plan.creates[k - offset].row for k in items],
            "watermark": self.watermark,
        }
        self.plan.journal.inflight.append(entry)
        return entry

    def _highest_id(self) -> int:
        try:
            found = self._call(
                "search", ([],), 0, order="id desc", limit=1, context={"active_test": False}
            )
        except OdooError as error:
            raise Stopped(
                f"could not read the highest id before creating: {error.message}", error
            ) from None
        return int(found[0]) if found else 0

    def _resolve_inflight(self) -> None:
        """Find the records of create calls that got no answer (all or none were created)."""
        plan = self.plan
        journal = plan.journal
        by_row = {c.row: c for c in plan.creates}
        entries = [e for e in journal.inflight if all(r in by_row for r in e["rows"])]
        if not entries:
            return
        names = sorted(
            {n for e in entries for r in e["rows"] for n in by_row[r].vals if n in plan.fields}
        )
        domain: list[Any] = [("id", ">", min(e["watermark"] for e in entries))]
        if self.has_create_uid:
            domain.append(("create_uid", "=", self.client.uid))
        try:
            found = self._call(
                "search_read",
                (domain,),
                0,
                fields=names,
                order="id",
                context={"active_test": False},
            )
        except OdooError as error:
            raise Stopped(f"could not look up earlier creates: {error.message}", error) from None
        taken = set(journal.created.values())
        candidates = [r for r in found if int(r["id"]) not in taken]
        for entry in sorted(entries, key=lambda e: e["watermark"]):
            creates = [by_row[r] for r in entry["rows"]]
            matched: list[int] = []
            position = 0
            for create in creates:
                while position < len(candidates) and not (
                    int(candidates[position]["id"]) > entry["watermark"]
                    and self._matches(create, candidates[position])
                ):
                    position += 1
                if position == len(candidates):
                    break
                matched.append(int(candidates[position]["id"]))
                position += 1
            if len(matched) == len(creates):
                journal.created.update(zip(entry["rows"], matched, strict=True))
                candidates = [c for c in candidates if int(c["id"]) not in set(matched)]
                journal.inflight.remove(entry)
            elif not matched:
                journal.inflight.remove(entry)  # nothing was created: create them now

    def _matches(self, create: Create, record: Mapping[str, Any]) -> bool:
        for name, value in create.vals.items():
            info = self.plan.fields.get(name)
            if info is None:
                continue
            wanted = value[0][2] if info.is_x2many and value else value
            if not info.same(info.from_read(record.get(name, False)), wanted):
                return False
        return True


def _overwrite_vals(update: Update, infos: Mapping[str, Any]) -> dict[str, Any]:
    """Vals that set the planned values whatever the server holds now (x2many: SET)."""
    return {
        name: x2many_commands(MISSING, value) if infos[name].is_x2many else value
        for name, value in update.after.items()
    }


def _counts_text(result: ApplyResult) -> str:
    return ", ".join(f"{n} {status}" for status, n in result.counts.items())


def apply_plan(
    plan: Plan,
    client: Any,
    *,
    dry_run: bool = False,
    batch_size: int | None = None,
    progress: bool | Callable[[int, int], None] | None = None,
    on_conflict: str = "skip",
    on_error: str = "isolate",
) -> ApplyResult:
    """Apply ``plan`` through ``client``; see the module docstring for the steps.

    ``dry_run=True`` runs the stale check and reports what would be sent
    (``would_write`` / ``would_create`` / ``would_delete``, :attr:`ApplyResult.would_call`)
    without writing. ``progress``: None shows a bar in notebooks and terminals, a bool
    forces it, a callable gets ``(rows done, total)``.
    """
    if client is None:
        raise WritebackError(
            "this plan has no client: Plan.load(path, client=odoo) or plan.apply(client=odoo)"
        )
    if on_conflict not in _ON_CONFLICT:
        raise WritebackError(
            f"on_conflict must be one of {', '.join(map(repr, _ON_CONFLICT))}, not {on_conflict!r}"
        )
    if on_error not in _ON_ERROR:
        raise WritebackError(
            f"on_error must be one of {', '.join(map(repr, _ON_ERROR))}, not {on_error!r}"
        )
    size = check_batch_size(batch_size if batch_size is not None else plan.batch_size)
    server = f"{getattr(client, 'url', '')}/{getattr(client, 'db', '')}"
    if plan.server and plan.server != server:
        raise WritebackError(
            f"this plan was made for {plan.server}, the client is connected to {server}"
        )
    return _Applier(
        plan,
        client,
        dry_run=dry_run,
        batch_size=size,
        progress=progress,
        on_conflict=on_conflict,
        on_error=on_error,
    ).run()
