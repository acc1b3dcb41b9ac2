"""How should ``fetch.py`` read 50k rows? The options, side by side, on the same data.

Each case ends with the same pandas DataFrame (50k res.partner x 8 fields + the
``write_date`` a frame reads for its snapshot), read through odoo_frames' own client
on the web-session route:

* ``raw``: the one ``search_read`` POSTed with requests, body not decoded (the
  server's time: the floor);
* ``one search_read``: one call for everything, then decode and convert;
* ``pages, convert at end``: the engine before this benchmark: first page
  (search_read), ``search`` for the other ids, ``read`` pages on 4 workers decoding
  in parallel, the whole list of dicts converted at the end;
* ``pipelined pN wK``: what :func:`odoo_frames.fetch.fetch_table` does: the same
  calls, each page converted to arrow by its worker as soon as it arrives (page size
  N, K workers);
* ``ids first pN wK``: one ``search`` for every id, then the pipelined reads (saves the
  server the first page's search, costs small results a second round trip).

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
from odoo_frames.fetch import ReadPlan, fetch_records, fetch_table

MODEL = "res.partner"
FIELDS = [*PARTNER_FIELDS, "write_date"]


def cases(box: SandboxProcess) -> dict[str, Callable[[], Any]]:
    raw = RawClient(box)
    odoo = of.connect(url=box.url, db=box.db, user=box.login, password=box.password)
    frame = odoo[MODEL]
    specs = [frame.schema[name] for name in PARTNER_FIELDS]
    call = odoo.call

    def plan(page_size: int) -> ReadPlan:
        return ReadPlan(MODEL, [], FIELDS, page_size=page_size)

    def one_search_read() -> None:
        records = call(MODEL, "search_read", [], fields=FIELDS)
        arrow_to_pandas(records_to_arrow(records, specs))

    def convert_at_end() -> None:
        records = fetch_records(call, plan(2000), workers=4, progress=False)
        arrow_to_pandas(records_to_arrow(records, specs))

    def pipelined(page_size: int, workers: int) -> Callable[[], None]:
        def run() -> None:
            fetched = fetch_table(
                call,
                plan(page_size),
                specs,
                raw_fields=["write_date"],
                workers=workers,
                progress=False,
            )
            arrow_to_pandas(fetched.table)

        return run

    def ids_first(page_size: int, workers: int) -> Callable[[], None]:
        # search for every id, then pipelined reads: no first-page search_read
        def run() -> None:
            ids = call(MODEL, "search", [])
            chunks = [ids[i : i + page_size] for i in range(0, len(ids), page_size)]

            def read(chunk: list[int]) -> Any:
                return records_to_arrow(call(MODEL, "read", chunk, fields=FIELDS), specs)

            with ThreadPoolExecutor(workers) as pool:
                tables = list(pool.map(read, chunks))
            arrow_to_pandas(pa.concat_tables(tables).unify_dictionaries())

        return run

    found: dict[str, Callable[[], Any]] = {
        "raw (server time)": lambda: raw.web(MODEL, "search_read", [[]], {"fields": FIELDS}),
        "one search_read": one_search_read,
        "pages, convert at end": convert_at_end,
    }
    for page_size in (1000, 2000, 5000, 10000):
        for workers in (2, 4):
            found[f"pipelined p{page_size} w{workers}"] = pipelined(page_size, workers)
    for page_size in (2000, 5000):
        found[f"ids first p{page_size} w4"] = ids_first(page_size, 4)
    return found


def main() -> None:
    options = parser(__doc__.splitlines()[0], rounds=7).parse_args()
    with announced(f"starting the sandbox (scale {options.scale})"):
        box = SandboxProcess(scale=options.scale)
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
