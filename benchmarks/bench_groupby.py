"""Server-side groupby against fetching the rows and grouping them in pandas.

200k ``sale.order.line`` (demo scale 50,000) grouped by product and month (in the
user's time zone), with two sums and a count. Three paths run against the same
sandbox, started as a separate process (``python -m odoo_frames.sandbox``): the
groupby on the server (one ``read_group``), odoo_frames' own fetch of the rows then a
pandas groupby, and odoorpc's ``search_read`` then a pandas groupby (what a script
without odoo_frames does). They must give the same table; the script prints the
timings side by side with their ratio to the server-side groupby.

Run::

    python benchmarks/bench_groupby.py                       # Odoo 18.0, scale 50,000
    python benchmarks/bench_groupby.py --odoo-version 17.0 19.0 --repeat 5

This is a benchmark, not a test: it reports, it does not fail on timings (it does fail
if the two results differ or the groupby takes more than one call).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import odoorpc
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import odoo_frames as of
from odoo_frames.groupby import local_bucket

MEASURES = {"subtotal": ("price_subtotal", "sum"), "qty": ("product_uom_qty", "sum")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) a process has used so far (Linux; None elsewhere)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def sandbox_process(version: str, scale: int) -> Iterator[tuple[str, int | None]]:
    """``python -m odoo_frames.sandbox`` in its own process; yields its URL and pid."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "odoo_frames.sandbox",
        "--port",
        str(port),
        "--scale",
        str(scale),
        "--odoo-version",
        version,
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert process.stdout is not None
        url = None
        for line in process.stdout:  # the banner comes once the data is loaded
            if line.strip().startswith("URL:"):
                url = line.split("URL:", 1)[1].strip()
                break
        if url is None:
            raise RuntimeError(f"the sandbox did not start (exit code {process.wait()})")
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class CallCounter:
    """Counts the data calls a client makes (fields_get is schema, cached)."""

    def __init__(self, client: of.Client) -> None:
        self.calls: list[str] = []
        self._call = client.call

    def __call__(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        if method != "fields_get":
            self.calls.append(method)
        return self._call(model, method, *args, **kwargs)


@dataclass
class Timing:
    """Best wall time of N runs, and the CPU the client and the server spent on average."""

    wall: float
    client_cpu: float
    server_cpu: float | None
    result: pd.DataFrame


def best_of(repeat: int, run: Callable[[], pd.DataFrame], pid: int | None) -> Timing:
    best, result = float("inf"), pd.DataFrame()
    server_before, client_before = process_cpu(pid), time.process_time()
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    client = (time.process_time() - client_before) / repeat
    server_after = process_cpu(pid)
    server = None
    if server_before is not None and server_after is not None:
        server = (server_after - server_before) / repeat
    return Timing(best, client, server, result)


@contextlib.contextmanager
def running_at(url: str) -> Iterator[tuple[str, int | None]]:
    yield url, None


def run_version(version: str, scale: int, repeat: int, url: str | None) -> list[list[Any]]:
    started = time.perf_counter()
    server = sandbox_process(version, scale) if url is None else running_at(url)
    with server as (url, pid):
        boot = time.perf_counter() - started
        odoo = of.connect(url=url, db="demo", user="admin", password="admin")
        counter = CallCounter(odoo)
        odoo.call = counter  # type: ignore[method-assign]
        lines = odoo["sale.order.line"]
        n_lines = len(lines)
        grouped = lines.groupby(["product_id", lines.create_date.dt.month]).agg(
            **MEASURES, lines=("id", "count")
        )
        tz = grouped.timezone
        print(f"\nOdoo {version}: {n_lines:,} sale.order.line at {url} (started in {boot:.0f} s)")
        print(f"  {grouped.explain()}")

        def on_server() -> pd.DataFrame:
            return grouped.to_pandas()

        rpc = odoorpc.ODOO(urlsplit(url).hostname, port=urlsplit(url).port or 80)
        rpc.login("demo", "admin", "admin")

        def odoorpc_in_pandas() -> pd.DataFrame:
            # What a script without odoo_frames writes: search_read, DataFrame, groupby.
            fields = ["product_id", "create_date", "price_subtotal", "product_uom_qty"]
            df = pd.DataFrame(
                rpc.execute_kw("sale.order.line", "search_read", [[]], {"fields": fields})
            )
            product = df.pop("product_id")
            df["product_id"] = product.str[0]
            df["product_id.display_name"] = product.str[1]
            df["create_date:month"] = local_bucket(df["create_date"], "datetime", "month", tz)
            keys = ["product_id", "product_id.display_name", "create_date:month"]
            by = df.groupby(keys, as_index=False, dropna=False, sort=True)
            return by.agg(**MEASURES, lines=("id", "count"))

        def in_pandas() -> pd.DataFrame:
            rows = lines[["product_id", "create_date", "price_subtotal", "product_uom_qty"]]
            df = rows.to_pandas()
            df["create_date:month"] = local_bucket(df["create_date"], "datetime", "month", tz)
            keys = ["product_id", "product_id.display_name", "create_date:month"]
            by = df.groupby(keys, as_index=False, dropna=False, sort=True)
            return by.agg(**MEASURES, lines=("id", "count"))

        on_server()  # warm the schema cache and both code paths once
        counter.calls.clear()
        grouped_on_server = best_of(repeat, on_server, pid)
        server_calls = len(counter.calls) // repeat
        counter.calls.clear()
        fetched = best_of(repeat, in_pandas, pid)
        pandas_calls = len(counter.calls) // repeat
        by_odoorpc = best_of(repeat, odoorpc_in_pandas, pid)
        server_df, pandas_df = grouped_on_server.result, fetched.result
        if len(by_odoorpc.result) != len(server_df):
            raise AssertionError("odoorpc + pandas found another number of groups")

        keys = ["product_id", "create_date:month"]
        left = server_df.sort_values(keys, na_position="last").reset_index(drop=True)
        right = pandas_df.sort_values(keys, na_position="last").reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False)
        if server_calls != 1:
            raise AssertionError(f"the server-side groupby made {server_calls} calls")
        base = grouped_on_server.wall
        return [
            [
                version,
                "groupby on the server",
                server_calls,
                len(server_df),
                grouped_on_server,
                1.0,
            ],
            [
                version,
                "fetch rows + pandas groupby",
                pandas_calls,
                n_lines,
                fetched,
                fetched.wall / base,
            ],
            [
                version,
                "odoorpc search_read + pandas",
                1,
                n_lines,
                by_odoorpc,
                by_odoorpc.wall / base,
            ],
        ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=50_000, help="demo partners (default 50000)")
    parser.add_argument("--odoo-version", nargs="+", default=["18.0"], help="default 18.0")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--url", help="use this running sandbox instead of starting one")
    args = parser.parse_args(argv)
    rows: list[list[Any]] = []
    for version in args.odoo_version:
        rows.extend(run_version(version, args.scale, args.repeat, args.url))
    print()
    header = (
        f"{'Odoo':<6}{'path':<30}{'RPCs':>6}{'rows moved':>12}{'wall s':>9}{'ratio':>8}"
        f"{'client CPU s':>14}{'server CPU s':>14}"
    )
    print(header)
    print("-" * len(header))
    for version, path, calls, moved, timing, ratio in rows:
        server_cpu = "n/a" if timing.server_cpu is None else f"{timing.server_cpu:.3f}"
        print(
            f"{version:<6}{path:<30}{calls:>6}{moved:>12,}{timing.wall:>9.3f}{ratio:>7.1f}x"
            f"{timing.client_cpu:>14.3f}{server_cpu:>14}"
        )
    print(
        "\nwall s: best of the runs; ratio: wall time / wall time of the server-side groupby;"
        "\nCPU s: average per run, this process (client) and the sandbox process (server)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
