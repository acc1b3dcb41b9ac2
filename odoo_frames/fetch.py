"""Plan and run the reads behind a frame: one search_read, or ids then parallel reads.

A :class:`ReadPlan` is a value: the model, the domain, the fields, order, offset and
limit. Running it:

* a plan whose ``limit`` fits in one page (``page_size`` rows, 5,000 by default:
  ``head()``, slices) is one ``search_read``;
* any other plan is one ``search`` for the ids (same slice and order), then ``read``
  calls of ``page_size`` ids run by a small thread pool (2 workers by default) and
  reassembled in order, with a tqdm.auto progress bar whose total is known from the
  ids (a single ``read`` when there are ``page_size`` ids or fewer).

``benchmarks/bench_fetch.py`` chose this with numbers: on a 50k-row export, searching
the ids first lets the reads start one round trip earlier and spares the server the
sort of a first ``search_read`` page, which beats "first page, then the other ids"; and
converting each page to arrow in the worker that read it, while the server answers the
next ones, beats decoding everything then converting (the conversion then costs
nothing but the last page). :func:`fetch_table` does that conversion, so the decoded
JSON of at most ``workers`` pages is alive at any time and peak memory stays close to
the size of the result; :func:`fetch_records` gives the plain read-format dicts.

Dotted columns (``partner_id.country_id.code``) are resolved by :func:`fetch_related_values`
with one batched ``read`` of the related model per hop, ids deduplicated.

Example::

    plan = ReadPlan("res.partner", [["is_company", "=", True]], ["name", "email"])
    records = fetch_records(client.call, plan)                  # list of dicts
    fetched = fetch_table(client.call, plan, [name_spec, email_spec])
    fetched.table                                               # pyarrow Table
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .schema import FieldSpec

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_WORKERS",
    "FetchedTable",
    "ReadPlan",
    "ValuesById",
    "fetch_pages",
    "fetch_records",
    "fetch_related_values",
    "fetch_table",
]

#: ``call(model, method, *args, **kwargs)``: the client's escape hatch.
CallFn = Callable[..., Any]
Records = list[dict[str, Any]]
Page = TypeVar("Page")

#: Rows per ``read`` and reads in flight, chosen with ``benchmarks/bench_fetch.py`` and
#: ``bench_memory.py``: fewer, bigger pages spend less on per-call overhead (a 50k-row
#: export at 1.02-1.09x the server's time with 5,000-row pages, 1.10-1.18x with 2,000),
#: and the decoded JSON alive at once is ``page_size x workers`` rows, which bounds the
#: peak memory (5,000 x 2 keeps a 200k-row export at 2.5x its DataFrame; 5,000 x 4 took
#: 3.3x). Two reads in flight also leave a small production server's other workers to
#: its other users; ``to_pandas(workers=...)`` asks for more.
DEFAULT_PAGE_SIZE = 5000
DEFAULT_WORKERS = 2


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

    @property
    def single_call(self) -> bool:
        """True when one ``search_read`` reads everything (a limit within one page)."""
        return self.limit is not None and self.limit <= self.page_size

    def first_call(self) -> tuple[str, list[Any], dict[str, Any]]:
        """The call that starts the fetch: the ``search_read`` of a single-call plan,
        else the ``search`` for the ids."""
        if not self.single_call:
            return self.ids_call()
        kw = self.kwargs(fields=self.fields, offset=self.offset, limit=self.limit)
        if self.order:
            kw["order"] = self.order
        return "search_read", [self.domain], kw

    def ids_call(self) -> tuple[str, list[Any], dict[str, Any]]:
        """The search for the ids of every row the plan reads (same slice and order)."""
        kw = self.kwargs()
        if self.offset:
            kw["offset"] = self.offset
        if self.limit is not None:
            kw["limit"] = self.limit
        if self.order:
            kw["order"] = self.order
        return "search", [self.domain], kw

    def describe(self, max_fields: int | None = None) -> list[str]:
        """The calls, as a person reads them (for ``explain()`` and reprs).

        ``max_fields``: show a longer field list as ``<n fields>``.
        """
        fields = (
            f"<{len(self.fields)} fields>"
            if max_fields is not None and len(self.fields) > max_fields
            else repr(self.fields)
        )
        method, args, kw = self.first_call()
        shown = [repr(args[0])]
        for key, value in kw.items():
            if key != "context":
                shown.append(f"{key}={fields}" if key == "fields" else f"{key}={value!r}")
        lines = [f"{self.model}.{method}({', '.join(shown)})"]
        if not self.single_call:
            lines.append(
                f"then {self.model}.read(<ids>, fields={fields}) in pages of "
                f"{self.page_size}, {DEFAULT_WORKERS} in parallel"
            )
        return lines


# --------------------------------------------------------------------------------------
# Pages


def fetch_pages(
    call: CallFn,
    plan: ReadPlan,
    convert: Callable[[Records], Page],
    *,
    workers: int = DEFAULT_WORKERS,
    progress: bool | None = None,
) -> list[Page]:
    """Every page of the plan, in order, each passed through ``convert``.

    ``convert`` runs in the worker that read the page, as soon as it arrived, so the
    client works on one page while the server prepares the next ones; the decoded
    records of a page can be freed once it returned.
    """
    method, args, kw = plan.first_call()
    if plan.single_call:
        return [convert(call(plan.model, method, *args, **kw))]
    ids: list[int] = call(plan.model, method, *args, **kw)
    chunks = _chunks(ids, plan.page_size)
    read_kw = plan.kwargs(fields=plan.fields)

    def read(chunk: list[int]) -> Page:
        return convert(call(plan.model, "read", chunk, **read_kw))

    if not chunks:
        return [convert([])]
    if len(chunks) == 1:
        return [read(chunks[0])]
    if workers <= 1:
        return _collect((read(chunk) for chunk in chunks), chunks, plan.model, progress)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="odoo-frames-read") as pool:
        # map() keeps the order of the chunks while running them concurrently.
        return _collect(pool.map(read, chunks), chunks, plan.model, progress)


def _chunks(ids: Sequence[int], size: int) -> list[list[int]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def _collect(
    results: Iterable[Page],
    chunks: Sequence[Sequence[int]],
    model: str,
    progress: bool | None,
) -> list[Page]:
    pages: list[Page] = []
    bar = _progress(total=sum(map(len, chunks)), model=model, enabled=progress)
    try:
        for page, chunk in zip(results, chunks, strict=True):
            pages.append(page)
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return pages


def _progress(*, total: int, model: str, enabled: bool | None) -> Any:
    if enabled is False:
        return None
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        desc=model,
        unit="rows",
        disable=None if enabled is None else not enabled,
        leave=False,
    )


def fetch_records(
    call: CallFn,
    plan: ReadPlan,
    *,
    workers: int = DEFAULT_WORKERS,
    progress: bool | None = None,
) -> Records:
    """Every record of the plan, in order, as Odoo's read format dicts."""
    pages = fetch_pages(call, plan, _same, workers=workers, progress=progress)
    return pages[0] if len(pages) == 1 else [row for page in pages for row in page]


def _same(records: Records) -> Records:
    return records


# --------------------------------------------------------------------------------------
# Typed columns


@dataclass(frozen=True)
class FetchedTable:
    """The result of :func:`fetch_table`."""

    #: ``id`` then the typed columns of the specs, in order.
    table: pa.Table
    #: The read-format values of the ``raw_fields`` (text as sent, ``False`` -> null),
    #: e.g. ``write_date`` strings for a write-back snapshot.
    raw: Mapping[str, pa.Array] = field(default_factory=dict)

    def raw_by_id(self, name: str, default: Any = None) -> ValuesById:
        """``{id: raw value}`` of one of the ``raw_fields`` (``default`` for null)."""
        return ValuesById(self.table["id"].combine_chunks(), self.raw[name], default)


class ValuesById(Mapping[int, Any]):
    """``{id: value}`` over two aligned arrow arrays; the dict is built on first use.

    A write-back snapshot keeps the ``write_date`` of every row read. Held as arrow
    text that is ~20 bytes a row; a dict of Python strings is ~170 (30 MB more at the
    peak of a 200k-row export, measured by ``benchmarks/bench_memory.py``), paid only
    if write-back looks a date up.
    """

    def __init__(self, ids: pa.Array, values: pa.Array, default: Any = None) -> None:
        if len(ids) != len(values):
            raise ValueError(f"{len(ids)} ids for {len(values)} values")
        self._ids = ids
        self._values = values
        self._default = default
        self._dict: dict[int, Any] | None = None

    def _mapping(self) -> dict[int, Any]:
        if self._dict is None:
            default = self._default
            values = [default if v is None else v for v in self._values.to_pylist()]
            self._dict = dict(zip(self._ids.to_pylist(), values, strict=True))
        return self._dict

    def __getitem__(self, key: int) -> Any:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[int]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def __repr__(self) -> str:
        return f"<{len(self._ids)} values by id>"


def fetch_table(
    call: CallFn,
    plan: ReadPlan,
    specs: Sequence[FieldSpec],
    *,
    raw_fields: Sequence[str] = (),
    workers: int = DEFAULT_WORKERS,
    progress: bool | None = None,
) -> FetchedTable:
    """The plan's rows as a pyarrow Table, each page converted as soon as it arrived.

    Same calls as :func:`fetch_records`. ``specs`` are the fields to type (the plan
    may read more, e.g. ``raw_fields``, which come back as text in ``raw``).
    """
    import pyarrow as pa

    from .convert import records_to_arrow, text_array

    # The pages are built in worker threads: pyarrow's default allocator (mimalloc)
    # keeps what each thread freed in that thread's heap, which measured ~25 MB of
    # resident memory more than malloc on a 200k-row export (bench_memory.py).
    pool = pa.system_memory_pool()

    def convert(records: Records) -> tuple[pa.Table, list[pa.Array]]:
        return (
            records_to_arrow(records, specs, memory_pool=pool),
            [text_array(records, name, memory_pool=pool) for name in raw_fields],
        )

    pages = fetch_pages(call, plan, convert, workers=workers, progress=progress)
    if len(pages) == 1:
        table = pages[0][0]
    else:
        table = pa.concat_tables([t for t, _ in pages]).unify_dictionaries(memory_pool=pool)
    raw = {
        name: pa.chunked_array([r[i] for _, r in pages], pa.string()).combine_chunks(
            memory_pool=pool
        )
        for i, name in enumerate(raw_fields)
    }
    return FetchedTable(table, raw)


# --------------------------------------------------------------------------------------
# Dotted columns


def fetch_related_values(
    call: CallFn,
    first_hops: Mapping[str, Sequence[Any]],
    paths: Sequence[str],
    field_of: Callable[[str], FieldSpec],
    relation_of: Callable[[str], str],
    context: Mapping[str, Any] | None = None,
) -> dict[str, tuple[FieldSpec, list[Any]]]:
    """Values of dotted columns aligned with the rows: ``{path: (spec, values)}``.

    ``field_of(path)`` gives the spec of a path's final field, ``relation_of(path)``
    the model a many2one path points to. One ``read`` per model and hop, on the
    distinct ids only. Rows whose chain is broken (an unset many2one) get ``False``.
    ``first_hops[head]`` holds, for every row, the value of the many2one ``head``
    (``[id, name]``, a bare id, ``False`` or ``None``), e.g. a column of an already
    fetched table.
    """
    result: dict[str, tuple[FieldSpec, list[Any]]] = {}
    # values of each prefix path for each row (many2one raw values)
    prefix_values: dict[str, Sequence[Any]] = dict(first_hops)
    max_depth = max((p.count(".") for p in paths), default=0)
    needed: dict[str, set[str]] = {}  # prefix path -> fields to read on its model
    for path in paths:
        parts = path.split(".")
        for depth in range(1, len(parts)):
            prefix = ".".join(parts[:depth])
            needed.setdefault(prefix, set()).add(parts[depth])
    for depth in range(1, max_depth + 1):
        for prefix in sorted(p for p in needed if p.count(".") == depth - 1):
            ids = [_m2o_id(v) for v in prefix_values[prefix]]
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
        result[path] = (field_of(path), list(prefix_values[path]))
    return result


def _m2o_id(value: Any) -> int | None:
    if isinstance(value, list | tuple):
        return int(value[0]) if value else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None
