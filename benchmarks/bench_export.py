"""Issue 4, export: 50k res.partner x 8 fields into pandas, odoo_frames against its peers.

Every case reads the same rows (all partners, 8 fields) from the same sandbox:

* ``raw``: the ``search_read`` POSTed with requests on the web-session route, body
  read but not decoded: the server's time, the floor;
* ``odoo_frames``: ``odoo["res.partner"][fields].to_pandas()`` (web-session route, typed
  columns, plus the ``write_date`` it reads for the write-back snapshot), target
  <= 1.15x raw;
* ``odooly`` (web mode), ``odoorpc`` (/jsonrpc), ``xmlrpc.client``: ``search_read`` then
  ``pandas.DataFrame(rows)``, as their users write it; odoo_frames must be >= 1.5x
  faster than each.

``raw + write_date`` and ``odoo_frames to_polars`` are shown for information.

``--workers 2`` runs the sandbox like an Odoo started with ``--workers 2`` (prefork:
two processes on one database): odoo_frames' parallel page reads are then served in
parallel, a single ``search_read`` is not.

Run: ``python benchmarks/bench_export.py [--scale 50000] [--rounds 7] [--workers 2] [--json out.json]``
"""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Callable
from typing import Any

import odooly
import odoorpc
import pandas as pd
from harness import (
    PARTNER_FIELDS,
    RawClient,
    SandboxProcess,
    announced,
    compare,
    machine,
    parser,
    render_table,
    summary,
    write_json,
)

import odoo_frames as of

MODEL = "res.partner"
RATIO_TARGET = 1.15
PEER_SPEEDUP_TARGET = 1.5


def cases(box: SandboxProcess) -> dict[str, Callable[[], Any]]:
    raw = RawClient(box)
    kwargs = {"fields": PARTNER_FIELDS}
    odoo = of.connect(url=box.url, db=box.db, user=box.login, password=box.password)
    frame = odoo[MODEL][PARTNER_FIELDS]

    ly = odooly.Client(box.url, db=box.db, user=box.login, password=box.password)
    ly_partners = ly.env[MODEL]

    rpc = odoorpc.ODOO("127.0.0.1", port=box.port)
    rpc.login(box.db, box.login, box.password)

    proxy = xmlrpc.client.ServerProxy(f"{box.url}/xmlrpc/2/object")

    def by_xmlrpc() -> pd.DataFrame:
        rows: list[dict[str, Any]] = proxy.execute_kw(  # type: ignore[assignment]
            box.db, raw.uid, box.password, MODEL, "search_read", [[]], {"fields": PARTNER_FIELDS}
        )
        return pd.DataFrame(rows)

    return {
        "raw (server time)": lambda: raw.web(MODEL, "search_read", [[]], kwargs),
        "raw + write_date (info)": lambda: raw.web(
            MODEL, "search_read", [[]], {"fields": [*PARTNER_FIELDS, "write_date"]}
        ),
        "odoo_frames to_pandas": lambda: frame.to_pandas(progress=False),
        "odoo_frames to_polars (info)": lambda: frame.to_polars(progress=False),
        "odooly search_read + DataFrame": lambda: pd.DataFrame(
            ly_partners.search_read([], PARTNER_FIELDS)
        ),
        "odoorpc search_read + DataFrame": lambda: pd.DataFrame(
            rpc.execute_kw(MODEL, "search_read", [[]], {"fields": PARTNER_FIELDS})
        ),
        "xmlrpc.client search_read + DataFrame": by_xmlrpc,
    }


def main() -> None:
    options = parser(__doc__.splitlines()[0], rounds=7).parse_args()
    with announced(f"starting the sandbox (scale {options.scale})"):
        box = SandboxProcess(scale=options.scale, workers=options.workers)
    with box:
        candidates = cases(box)
        rows_read = len(candidates["odoo_frames to_pandas"]())
        with announced(f"timing {len(candidates)} cases x {options.rounds} rounds"):
            times = compare(candidates, rounds=options.rounds)
    stats: dict[str, dict[str, Any]] = {name: dict(summary(s)) for name, s in times.items()}
    floor = stats["raw (server time)"]["best"]
    ours = stats["odoo_frames to_pandas"]["best"]
    table: list[list[Any]] = []
    for name, s in stats.items():
        vs_raw = s["best"] / floor
        peer = name.split()[0] in ("odooly", "odoorpc", "xmlrpc.client")
        speedup = s["best"] / ours
        if name == "odoo_frames to_pandas":
            verdict = "ok" if vs_raw <= RATIO_TARGET else f"MISSED (<= {RATIO_TARGET}x)"
        elif peer:
            verdict = "ok" if speedup >= PEER_SPEEDUP_TARGET else "MISSED (>= 1.5x)"
        else:
            verdict = ""
        s.update(ratio_to_raw=vs_raw, peer_time_over_odoo_frames=speedup if peer else None)
        table.append(
            [
                name,
                s["best"],
                s["median"],
                f"{vs_raw:.2f}x",
                f"{speedup:.2f}x" if peer else "",
                verdict,
            ]
        )
    print()
    mode = f"{options.workers} worker processes" if options.workers else "one process"
    print(f"{MODEL}: {rows_read} rows x {len(PARTNER_FIELDS)} fields -> pandas; sandbox: {mode}")
    print(
        render_table(
            ["case", "best s", "median s", "vs raw", "peer / odoo_frames", "target"], table
        )
    )
    print("ratios use the best round of each case (least disturbed by other processes)")
    write_json(
        options.json,
        {
            "benchmark": "export",
            "rows": rows_read,
            "fields": PARTNER_FIELDS,
            "scale": options.scale,
            "workers": options.workers,
            "machine": machine(),
            "cases": stats,
        },
    )


if __name__ == "__main__":
    main()
