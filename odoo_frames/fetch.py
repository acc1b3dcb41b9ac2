"""Plan and run the reads behind a frame: one search_read, or ids then parallel reads.

A :class:`ReadPlan` is a value: the model, the domain, the fields, order, offset and
limit. :func:`fetch_records` runs it:

* a result that fits in one page (``page_size`` rows, 2,000 by default) is one
  ``search_read``;
* a larger one is the first page as a ``search_read``, then the ids of the rest with
  one ``search``, then ``read`` calls of ``page_size`` ids run by a small thread pool
  (4 workers by default) and reassembled in order, with a tqdm.auto progress bar whose
  total is known from the ids. The server works on the next page while the client
  decodes the previous one.

Dotted columns (``partner_id.country_id.code``) are resolved by :func:`fetch_related`
with one batched ``read`` of the related model per hop, ids deduplicated.

Example::

    plan = ReadPlan("res.partner", [["is_company", "=", True]], ["name", "email"])
    records = fetch_records(client.call, plan)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from .schema import FieldSpec

#: ``call(model, method, *args, **kwargs)``: the client's escape hatch.
CallFn = Callable[..., Any]

DEFAULT_PAGE_SIZE = 2000
DEFAULT_WORKERS = 4


@dataclass(frozen=True)
class ReadPlan:
    """What to read from one model, in which order, which slice."""

    model: str
    domain: list[Any]
    fields: list[str]
    order: str | None = None
    offset: int = 0
    limit: int | None = None
    page_size: int = DEFAULT_PAGE_SIZE
    context: Mapping[str, Any] | None = None

    def kwargs(self, **extra: Any) -> dict[str, Any]:
        kw: dict[str, Any] = {}
        if self.context:
            kw["context"] = dict(self.context)
        kw.update(extra)
        return kw

    def first_call(self) -> tuple[str, list[Any], dict[str, Any]]:
        """The search_read that starts every fetch."""
        first_limit = self.page_size if self.limit is None else min(self.limit, self.page_size)
        kw = self.kwargs(fields=self.fields, offset=self.offset, limit=first_limit)
        if self.order:
            kw["order"] = self.order
        return "search_read", [self.domain], kw

    def describe(self) -> list[str]:
        """The calls, as a person reads them (for ``explain()`` and reprs)."""
        method, args, kw = self.first_call()
        shown = {k: v for k, v in kw.items() if k != "context"}
        single = self.limit is not None and self.limit <= self.page_size
        lines = [f"{self.model}.{method}({args[0]!r}, {_kw(shown)})"]
        if not single:
            lines.append(
                f"if more than {self.page_size} rows: {self.model}.search(... offset="
                f"{self.offset + self.page_size}) then read() in pages of {self.page_size}, "
                f"{DEFAULT_WORKERS} in parallel"
            )
        return lines


def _kw(kw: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kw.items())


def fetch_records(
    call: CallFn,
    plan: ReadPlan,
    *,
    workers: int = DEFAULT_WORKERS,
    progress: bool | None = None,
) -> list[dict[str, Any]]:
    """Every record of the plan, in order, as Odoo's read format dicts."""
    method, args, kw = plan.first_call()
    first: list[dict[str, Any]] = call(plan.model, method, *args, **kw)
    page = len(first)
    wanted = plan.limit
    if page < plan.page_size or (wanted is not None and page >= wanted):
        return first
    # More rows: the ids of the rest, then parallel reads.
    rest_limit = None if wanted is None else wanted - page
    search_kw = plan.kwargs(offset=plan.offset + page)
    if rest_limit is not None:
        search_kw["limit"] = rest_limit
    if plan.order:
        search_kw["order"] = plan.order
    rest_ids: list[int] = call(plan.model, "search", plan.domain, **search_kw)
    if not rest_ids:
        return first
    chunks = [rest_ids[i : i + plan.page_size] for i in range(0, len(rest_ids), plan.page_size)]
    read_kw = plan.kwargs(fields=plan.fields)

    def read(chunk: list[int]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = call(plan.model, "read", chunk, **read_kw)
        return rows

    results = list(first)
    bar = _progress(total=page + len(rest_ids), initial=page, model=plan.model, enabled=progress)
    try:
        for rows in _run_in_order(read, chunks, workers):
            results.extend(rows)
            if bar is not None:
                bar.update(len(rows))
    finally:
        if bar is not None:
            bar.close()
    return results


def _run_in_order(
    func: Callable[[list[int]], list[dict[str, Any]]], chunks: Sequence[list[int]], workers: int
) -> Iterator[list[dict[str, Any]]]:
    if workers <= 1 or len(chunks) == 1:
        for chunk in chunks:
            yield func(chunk)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="odoo-frames-read") as pool:
        # map() keeps the order of the chunks while running them concurrently.
        yield from pool.map(func, chunks)


def _progress(*, total: int, initial: int, model: str, enabled: bool | None) -> Any:
    if enabled is False:
        return None
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        initial=initial,
        desc=model,
        unit="rows",
        disable=None if enabled is None else not enabled,
        leave=False,
    )


# --------------------------------------------------------------------------------------
# Dotted columns


def fetch_related(
    call: CallFn,
    records: Sequence[Mapping[str, Any]],
    paths: Sequence[str],
    field_of: Callable[[str], FieldSpec],
    relation_of: Callable[[str], str],
    context: Mapping[str, Any] | None = None,
) -> dict[str, tuple[FieldSpec, list[Any]]]:
    """Values of dotted columns aligned with ``records``: ``{path: (spec, values)}``.

    ``field_of(path)`` gives the spec of a path's final field, ``relation_of(path)``
    the model a many2one path points to. One ``read`` per model and hop, on the
    distinct ids only. Rows whose chain is broken (an unset many2one) get ``False``.
    """
    result: dict[str, tuple[FieldSpec, list[Any]]] = {}
    # values of each prefix path for each row (many2one raw values)
    prefix_values: dict[str, list[Any]] = {}
    max_depth = max((p.count(".") for p in paths), default=0)
    needed: dict[str, set[str]] = {}  # prefix path -> fields to read on its model
    for path in paths:
        parts = path.split(".")
        for depth in range(1, len(parts)):
            prefix = ".".join(parts[:depth])
            needed.setdefault(prefix, set()).add(parts[depth])
    for depth in range(1, max_depth + 1):
        for prefix in sorted(p for p in needed if p.count(".") == depth - 1):
            raw = [r.get(prefix, False) for r in records] if depth == 1 else prefix_values[prefix]
            ids = [_m2o_id(v) for v in raw]
            distinct = sorted({i for i in ids if i})
            model = relation_of(prefix)
            wanted = sorted(needed[prefix])
            by_id: dict[int, Mapping[str, Any]] = {}
            for start in range(0, len(distinct), 20_000):
                chunk = distinct[start : start + 20_000]
                kw: dict[str, Any] = {"fields": wanted}
                if context:
                    kw["context"] = dict(context)
                for row in call(model, "read", chunk, **kw):
                    by_id[row["id"]] = row
            for name in wanted:
                child = f"{prefix}.{name}"
                values = [by_id[i].get(name, False) if i and i in by_id else False for i in ids]
                prefix_values[child] = values
    for path in paths:
        result[path] = (field_of(path), prefix_values[path])
    return result


def _m2o_id(value: Any) -> int | None:
    if isinstance(value, list | tuple):
        return int(value[0]) if value else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def page_count(rows: int, page_size: int = DEFAULT_PAGE_SIZE) -> int:
    return max(1, math.ceil(rows / page_size))
