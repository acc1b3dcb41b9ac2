"""Issue 4, memory: export every sale.order.line (~200k at scale 50k) and watch the peak.

Target: the client's peak memory during ``to_pandas()`` at most 3x the memory of the
DataFrame it returns (``df.memory_usage(deep=True).sum()``).

How it is measured: each case runs in a fresh Python process (so nothing of a previous
case is counted), which imports everything, connects and reads 5 rows first (modules,
schema and connections are loaded), then:

* RSS: resets the kernel's high-water mark (``echo 5 > /proc/self/clear_refs``), runs
  the export, and reads ``VmHWM`` (peak resident memory since the reset) and ``VmRSS``
  from ``/proc/self/status``. "peak growth" = VmHWM - VmRSS before the export: every
  byte the export made resident at its worst moment, whoever allocated it (Python
  objects, arrow buffers, pandas/numpy arrays, sockets);
* in a second fresh process, ``tracemalloc`` (Python allocations only, including the
  decoded JSON) and the high-water marks of pyarrow's default and system pools
  (``max_memory()``: arrow buffers, which tracemalloc does not see; summed, so an
  upper bound of the arrow peak).

Peers (``--peers``): odoorpc ``search_read`` + ``pandas.DataFrame(rows)``, for scale.

Run: ``python benchmarks/bench_memory.py [--scale 50000] [--peers] [--json out.json]``
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from harness import (
    ROOT,
    SandboxProcess,
    announced,
    machine,
    parser,
    render_table,
    write_json,
)

MODEL = "sale.order.line"
FIELDS = [
    "order_id",
    "product_id",
    "name",
    "product_uom_qty",
    "price_unit",
    "discount",
    "price_subtotal",
    "state",
    "create_date",
    "order_partner_id",
]
TARGET = 3.0
CASES = ("odoo_frames to_pandas", "odoo_frames to_polars (info)", "odoorpc + DataFrame (info)")


# ---------------------------------------------------------------------------- child side


def _status(key: str) -> int:
    """A ``/proc/self/status`` memory line, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(key)


def _child(case: str, url: str, db: str, port: int, mode: str) -> dict[str, Any]:
    import gc
    import time
    import tracemalloc

    import odoorpc
    import pandas as pd
    import pyarrow as pa

    import odoo_frames as of

    if case.startswith("odoo_frames"):
        odoo = of.connect(url=url, db=db, user="admin", password="admin")
        frame = odoo[MODEL][FIELDS]
        frame.head(5).to_pandas(progress=False)
        polars = "polars" in case

        def export() -> Any:
            return frame.to_polars(progress=False) if polars else frame.to_pandas(progress=False)

    else:
        rpc = odoorpc.ODOO("127.0.0.1", port=port)
        rpc.login(db, "admin", "admin")
        rpc.execute_kw(MODEL, "search_read", [[]], {"fields": FIELDS, "limit": 5})

        def export() -> Any:
            rows = rpc.execute_kw(MODEL, "search_read", [[]], {"fields": FIELDS})
            return pd.DataFrame(rows)

    gc.collect()
    result: dict[str, Any] = {"case": case}
    if mode == "rss":
        before = _status("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        started = time.perf_counter()
        df = export()
        result["seconds"] = time.perf_counter() - started
        result["peak_growth"] = _status("VmHWM") - before
        result["rss_growth_after"] = _status("VmRSS") - before
    else:
        pools = (pa.default_memory_pool(), pa.system_memory_pool())
        arrow_before = sum(p.bytes_allocated() for p in pools)
        tracemalloc.start()
        df = export()
        result["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        # high-water marks of both pools (fetch.py builds pages in the system pool):
        # their sum bounds the arrow peak from above
        result["arrow_pool_peak"] = sum(p.max_memory() for p in pools) - arrow_before
    result["rows"] = len(df)
    if isinstance(df, pd.DataFrame):
        result["frame_bytes"] = int(df.memory_usage(deep=True).sum())
    else:
        result["frame_bytes"] = int(df.estimated_size())
    return result


# --------------------------------------------------------------------------- parent side


def _measure(box: SandboxProcess, case: str, mode: str) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        case,
        box.url,
        box.db,
        str(box.port),
        mode,
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{case} ({mode}) failed:\n{done.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        case, url, db, port, mode = sys.argv[2:7]
        print(json.dumps(_child(case, url, db, int(port), mode)))
        return
    options_parser = parser(__doc__.splitlines()[0])
    options_parser.add_argument("--peers", action="store_true", help="also measure odoorpc")
    options = options_parser.parse_args()
    cases = CASES if options.peers else CASES[:2]
    with announced(f"starting the sandbox (scale {options.scale})"):
        box = SandboxProcess(scale=options.scale, workers=options.workers)
    figures: dict[str, Any] = {}
    with box:
        for case in cases:
            with announced(f"{case}: RSS, then tracemalloc + arrow pool, fresh processes"):
                rss = _measure(box, case, "rss")
                traced = _measure(box, case, "traced")
            figures[case] = {**traced, **rss}
    mb = 1e6
    table = []
    for case, f in figures.items():
        ratio = f["peak_growth"] / f["frame_bytes"]
        verdict = ""
        if case == "odoo_frames to_pandas":
            verdict = "ok" if ratio <= TARGET else f"MISSED (<= {TARGET:g}x)"
        f["peak_over_frame"] = ratio
        table.append(
            [
                case,
                f["rows"],
                f["seconds"],
                f["frame_bytes"] / mb,
                f["peak_growth"] / mb,
                f"{ratio:.2f}x",
                f["tracemalloc_peak"] / mb,
                f["arrow_pool_peak"] / mb,
                verdict,
            ]
        )
    print()
    print(f"{MODEL} x {len(FIELDS)} fields (+ write_date for the snapshot); MB = 10^6 bytes")
    print(
        render_table(
            [
                "case",
                "rows",
                "s",
                "frame MB",
                "peak RSS growth MB",
                "peak/frame",
                "tracemalloc peak MB",
                "arrow peak MB",
                "target",
            ],
            table,
        )
    )
    write_json(
        options.json,
        {
            "benchmark": "memory",
            "model": MODEL,
            "fields": FIELDS,
            "scale": options.scale,
            "machine": machine(),
            "cases": figures,
        },
    )


if __name__ == "__main__":
    main()
