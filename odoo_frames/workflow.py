"""Workflow methods on a selection, in batches, with a per-record report.

``frame.call("action_confirm", batch_size=200)`` finds the ids of the frame (one
``search``) and calls the method on them ``batch_size`` at a time. A batch Odoo refuses
(a UserError on one order) was rolled back: it is split in halves until the refused
records are found; the others go through. The report says, per record, ``called`` or
``failed`` with Odoo's message, and keeps what each call returned.

Business methods are not idempotent and are never retried: when the connection drops,
the records of the call in flight are ``unknown``, the rest ``pending``, and
:class:`~odoo_frames.errors.ApplyError` is raised with the report. Calling again on a
frame that filters on the state (``so[so.state == "draft"]``) only reaches what is left.

Example::

    so = odoo["sale.order"]
    report = so[so.state == "draft"].call("action_confirm", batch_size=200)
    report                     # CallResult sale.order.action_confirm: 1,180 called, 3 failed
    report.failed              # [RowResult(op='call', id=42, status='failed', message='...')]
    report.to_pandas()
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .apply import CallRecord, Progress, RowResult, Stopped, set_status, status_counts
from .errors import ApplyError, OdooError, RemoteError, TransportError, WritebackError
from .writeback import batches, check_batch_size

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CallResult", "call_method"]

#: Records per call unless told otherwise.
DEFAULT_CALL_BATCH = 200


class CallResult:
    """Per record: ``called``, ``failed`` (with Odoo's message), ``unknown`` or ``pending``."""

    def __init__(
        self,
        model: str,
        method: str,
        rows: Sequence[RowResult],
        calls: Sequence[CallRecord],
        returns: Sequence[tuple[list[int], Any]],
        seconds: float,
        interrupted: str = "",
    ) -> None:
        self.model = model
        self.method = method
        self.rows = list(rows)
        self.calls = list(calls)
        #: ``(ids, what the call returned)`` per successful call (actions, wizards...).
        self.returns = list(returns)
        self.seconds = seconds
        self.interrupted = interrupted

    @property
    def counts(self) -> dict[str, int]:
        return status_counts(self.rows)

    def ids(self, status: str) -> list[int]:
        return [r.id for r in self.rows if r.status == status and r.id is not None]

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return all(r.status == "called" for r in self.rows)

    def to_pandas(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [(r.id, r.status, r.message, r.error_type) for r in self.rows],
            columns=["id", "status", "message", "error_type"],
        )

    def summary(self) -> str:
        shown = ", ".join(f"{n:,} {s}" for s, n in self.counts.items()) or "no records"
        text = (
            f"CallResult {self.model}.{self.method}: {shown} "
            f"({len(self.calls)} calls, {self.seconds:.2f} s)"
        )
        return text + (f"; stopped: {self.interrupted}" if self.interrupted else "")

    def __repr__(self) -> str:
        lines = [self.summary()]
        for row in self.failed[:10]:
            message = row.message.splitlines()[0] if row.message else ""
            lines.append(f"  failed: id {row.id:<8} {message}")
        if len(self.failed) > 10:
            lines.append(f"  ... {len(self.failed) - 10} more failed (report.to_pandas())")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            f"<tr><td>{r.id}</td><td>{esc(r.message)}</td></tr>" for r in self.failed[:30]
        )
        table = f"<table><tr><th>id</th><th>failed</th></tr>{rows}</table>" if rows else ""
        return f"<div><strong>{esc(self.summary())}</strong>{table}</div>"


def call_method(
    frame: Any,
    method: str,
    *args: Any,
    batch_size: int = DEFAULT_CALL_BATCH,
    on_error: str = "isolate",
    progress: bool | Callable[[int, int], None] | None = None,
    ids: Sequence[int] | None = None,
    **kwargs: Any,
) -> CallResult:
    """Call ``method`` on the records of ``frame`` in batches; see the module docstring.

    ``args`` / ``kwargs`` go to the method after the ids; ``ids`` skips the search.
    """
    if not isinstance(method, str) or not method or method.startswith("_"):
        raise WritebackError(f"{method!r} is not a public method name")
    if method in ("write", "create", "unlink"):
        raise WritebackError(
            f"use diff() / plan.apply() to {method} records: frame.call() is for workflow "
            "methods (action_confirm, action_post, button_draft...)"
        )
    check_batch_size(batch_size)
    if on_error not in ("isolate", "raise"):
        raise WritebackError(f"on_error must be 'isolate' or 'raise', not {on_error!r}")
    client = frame.client
    model = frame.model
    context = dict(frame._state.context or {})
    if context:
        kwargs["context"] = {**context, **(kwargs.get("context") or {})}
    started = time.perf_counter()
    record_ids = list(ids) if ids is not None else frame.ids()
    rows = [RowResult("call", int(i), None) for i in record_ids]
    calls: list[CallRecord] = []
    returns: list[tuple[list[int], Any]] = []
    shown = Progress(progress, len(rows), label=f"{model}.{method}", unit="records")

    def send(items: list[int]) -> None:
        batch = [rows[k].id for k in items]
        began = time.perf_counter()
        try:
            answer = client.call(model, method, batch, *args, **kwargs)
        except RemoteError as error:
            calls.append(
                CallRecord(
                    model, method, len(items), False, time.perf_counter() - began, error.message
                )
            )
            if on_error == "raise" or len(items) == 1:
                for k in items:
                    set_status(rows[k], "failed", error.message, error)
                shown.advance(len(items))
                if on_error == "raise":
                    raise Stopped(f"{model}.{method} refused: {error.message}", error) from None
                return
            middle = len(items) // 2
            send(items[:middle])
            send(items[middle:])
            return
        except TransportError as error:
            calls.append(
                CallRecord(
                    model, method, len(items), False, time.perf_counter() - began, error.message
                )
            )
            for k in items:
                set_status(
                    rows[k],
                    "unknown",
                    f"connection lost after the call was sent ({error.message})",
                    error,
                )
            raise Stopped(f"connection lost during {method} ({error.message})", error) from None
        calls.append(CallRecord(model, method, len(items), True, time.perf_counter() - began))
        returns.append(([int(i) for i in batch if i is not None], answer))
        for k in items:
            set_status(rows[k], "called")
        shown.advance(len(items))

    interrupted = ""
    cause: OdooError | None = None
    try:
        for chunk in batches(range(len(rows)), batch_size):
            send(list(chunk))
    except Stopped as stop:
        interrupted, cause = stop.reason, stop.cause
    finally:
        shown.close()
    result = CallResult(
        model, method, rows, calls, returns, time.perf_counter() - started, interrupted
    )
    if cause is not None:
        raise ApplyError(f"{interrupted}; {result.summary()}", result=result) from cause
    return result
