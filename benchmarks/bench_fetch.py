"""How should ``fetch.py`` read 50k rows? The options, side by side, on the same data.

Each case ends with the same pandas DataFrame (50k res.partner x 8 fields + the
``write_date`` a frame reads for its snapshot), read through odoo_frames' own client
on the web-session route:

* ``raw``: the one ``search_read`` POSTed with requests, body not decoded (the
  server's time: the floor);
* ``one search_read``: one call for everything, then decode and convert;
* ``before: convert at end``: the engine before this benchmark: first page
  (search_read), ``search`` with an offset for the other ids, ``read`` pages on 4
  workers decoding in parallel, the whole list of dicts converted at the end;
* pipelined variants: each page is converted to arrow by the worker that read it, as
  soon as it arrived (page size ``pN``, ``wK`` workers); they differ in how the ids
  are found: ``page then ids`` (first page by search_read, then the search),
  ``page with ids`` (both sent at once), ``ids first`` (the search only: one more
  round trip for a small result);
* ``fetch_table (shipped)``: :func:`odoo_frames.fetch.fetch_table` as it is now.

Server CPU (from ``/proc``) and client CPU per case are printed too: when the client
does less work than the server and overlaps with it, the wall time approaches the
server's.

Run: ``python benchmarks/bench_fetch.py [--scale 50000] [--rounds 7] [--json out.json]``
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyarrow as pa
from harness import (
    PARTNER_FIELDS,
    RawClient,
    SandboxProcess,
    announced,
    compare,
    cpu_seconds,
    machine,
    parser,
    render_table,
    summary,
    write_json,
)

import odoo_frames as of
from odoo_frames.convert import arrow_to_pandas, records_to_arrow
from odoo_frames.fetch import ReadPlan, fetch_table

MODEL = "res.partner"
FIELDS = [*PARTNER_FIELDS, "write_date"]


def cases(box: SandboxProcess) -> dict[str, Callable[[], Any]]:
    raw = RawClient(box)
    odoo = of.connect(url=box.url, db=box.db, user=box.login, password=box.password)
    specs = [odoo[MODEL].schema[name] for name in PARTNER_FIELDS]
    call = odoo.call

    def convert(records: list[dict[str, Any]]) -> pa.Table:
        return records_to_arrow(records, specs)

    def one_search_read() -> None:
        arrow_to_pandas(convert(call(MODEL, "search_read", [], fields=FIELDS)))

    def before() -> None:
        # the engine as it was: first page, search with offset, reads decoded on 4
        # workers, every dict kept and converted at the end
        first = call(MODEL, "search_read", [], fields=FIELDS, limit=2000)
        ids = call(MODEL, "search", [], offset=len(first))
        chunks = [ids[i : i + 2000] for i in range(0, len(ids), 2000)]
        with ThreadPoolExecutor(4) as pool:
            pages = list(pool.map(lambda c: call(MODEL, "read", c, fields=FIELDS), chunks))
        records = first + [row for page in pages for row in page]
        arrow_to_pandas(convert(records))

    def variant(first: str, page_size: int, workers: int) -> Callable[[], None]:
        """Pipelined reads (each page converted by its worker); how the ids are found:

        ``then``: first page (search_read), then search; ``with``: both at once;
        ``none``: search only.
        """

        def run() -> None:
            with ThreadPoolExecutor(workers) as pool:
                searching = pool.submit(call, MODEL, "search", [])
                if first == "then":
                    searching.result()  # as if sent after the first page
                tables = []
                seen: set[int] = set()
                if first in ("then", "with"):
                    page = call(MODEL, "search_read", [], fields=FIELDS, limit=page_size)
                    seen = {r["id"] for r in page}
                    tables.append(convert(page))
                ids = [i for i in searching.result() if i not in seen]
                chunks = [ids[i : i + page_size] for i in range(0, len(ids), page_size)]

                def read(chunk: list[int]) -> pa.Table:
                    return convert(call(MODEL, "read", chunk, fields=FIELDS))

                tables += pool.map(read, chunks)
            arrow_to_pandas(pa.concat_tables(tables).unify_dictionaries())

        return run

    def engine() -> None:
        plan = ReadPlan(MODEL, [], FIELDS)
        fetched = fetch_table(call, plan, specs, raw_fields=["write_date"], progress=False)
        arrow_to_pandas(fetched.table)

    found: dict[str, Callable[[], Any]] = {
        "raw (server time)": lambda: raw.web(MODEL, "search_read", [[]], {"fields": FIELDS}),
        "one search_read": one_search_read,
        "before: convert at end": before,
        "page then ids p2000 w4": variant("then", 2000, 4),
        "page with ids p2000 w4": variant("with", 2000, 4),
        "ids first p1000 w4": variant("none", 1000, 4),
        "ids first p2000 w2": variant("none", 2000, 2),
        "ids first p2000 w4": variant("none", 2000, 4),
        "ids first p5000 w4": variant("none", 5000, 4),
        "ids first p10000 w4": variant("none", 10000, 4),
        "fetch_table (shipped)": engine,
    }
    return found


def main() -> None:
    options = parser(__doc__.splitlines()[0], rounds=7).parse_args()
    with announced(f"starting the sandbox (scale {options.scale})"):
        box = SandboxProcess(scale=options.scale, workers=options.workers)
    with box:
        candidates = cases(box)
        rows = (
            len(RawClient(box).web(MODEL, "search_read", [[]], {"fields": ["id"]}).split(b'{"id"'))
            - 1
        )
        with announced(f"timing {len(candidates)} cases x {options.rounds} rounds, {rows} rows"):
            times = compare(candidates, rounds=options.rounds)
        cpu: dict[str, tuple[float, float]] = {}
        with announced("CPU of server and client per case (3 runs each)"):
            for name, run in candidates.items():
                server, client = cpu_seconds(box.pid), time.process_time()
                for _ in range(3):
                    run()
                cpu[name] = (
                    (cpu_seconds(box.pid) - server) / 3,
                    (time.process_time() - client) / 3,
                )
    floor = min(times["raw (server time)"])
    table = []
    figures: dict[str, Any] = {}
    for name, seconds in times.items():
        stats = summary(seconds)
        ratio = stats["best"] / floor
        table.append(
            [name, stats["best"], stats["median"], f"{ratio:.2f}x", cpu[name][0], cpu[name][1]]
        )
        figures[name] = {
            **stats,
            "ratio_to_raw": ratio,
            "server_cpu": cpu[name][0],
            "client_cpu": cpu[name][1],
        }
    print()
    print(f"{MODEL}: {rows} rows x {len(FIELDS)} fields, web session route")
    print(
        render_table(
            ["case", "best s", "median s", "vs raw", "server cpu s", "client cpu s"], table
        )
    )
    write_json(
        options.json,
        {
            "benchmark": "fetch",
            "rows": rows,
            "fields": FIELDS,
            "scale": options.scale,
            "machine": machine(),
            "cases": figures,
        },
    )


if __name__ == "__main__":
    main()
