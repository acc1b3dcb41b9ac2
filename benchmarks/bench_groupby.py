"""Server-side groupby against fetching the rows and grouping them in pandas.

200k ``sale.order.line`` (demo scale 50,000) grouped by product and month (in the
user's time zone), with two sums and a count. Both paths run against the same sandbox,
started as a separate process (``python -m odoo_frames.sandbox``), and must give the
same table; the script prints the timings side by side with their ratio.

Run::

    python benchmarks/bench_groupby.py                       # Odoo 18.0, scale 50,000
    python benchmarks/bench_groupby.py --odoo-version 17.0 19.0 --repeat 5

This is a benchmark, not a test: it reports, it does not fail on timings (it does fail
if the two results differ or the groupby takes more than one call).
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import odoo_frames as of
from odoo_frames.groupby import local_bucket

MEASURES = {"subtotal": ("price_subtotal", "sum"), "qty": ("product_uom_qty", "sum")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def sandbox_process(version: str, scale: int) -> Iterator[str]:
    """``python -m odoo_frames.sandbox`` in its own process; yields its URL."""
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
        yield url
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


def best_of(repeat: int, run: Callable[[], pd.DataFrame]) -> tuple[float, pd.DataFrame]:
    best, result = float("inf"), pd.DataFrame()
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


@contextlib.contextmanager
def running_at(url: str) -> Iterator[str]:
    yield url


def run_version(version: str, scale: int, repeat: int, url: str | None) -> list[list[Any]]:
    started = time.perf_counter()
    with sandbox_process(version, scale) if url is None else running_at(url) as url:
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

        def in_pandas() -> pd.DataFrame:
            rows = lines[["product_id", "create_date", "price_subtotal", "product_uom_qty"]]
            df = rows.to_pandas()
            df["create_date:month"] = local_bucket(df["create_date"], "datetime", "month", tz)
            keys = ["product_id", "product_id.display_name", "create_date:month"]
            by = df.groupby(keys, as_index=False, dropna=False, sort=True)
            return by.agg(**MEASURES, lines=("id", "count"))

        on_server()  # warm the schema cache and both code paths once
        counter.calls.clear()
        server_s, server_df = best_of(repeat, on_server)
        server_calls = len(counter.calls) // repeat
        counter.calls.clear()
        pandas_s, pandas_df = best_of(repeat, in_pandas)
        pandas_calls = len(counter.calls) // repeat

        keys = ["product_id", "create_date:month"]
        left = server_df.sort_values(keys, na_position="last").reset_index(drop=True)
        right = pandas_df.sort_values(keys, na_position="last").reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False)
        if server_calls != 1:
            raise AssertionError(f"the server-side groupby made {server_calls} calls")
        return [
            [version, "groupby on the server", server_calls, len(server_df), server_s, 1.0],
            [
                version,
                "fetch rows + pandas groupby",
                pandas_calls,
                n_lines,
                pandas_s,
                pandas_s / server_s,
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
    header = f"{'Odoo':<6}{'path':<30}{'RPCs':>6}{'rows moved':>12}{'seconds':>10}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for version, path, calls, moved, seconds, ratio in rows:
        print(f"{version:<6}{path:<30}{calls:>6}{moved:>12,}{seconds:>10.3f}{ratio:>7.1f}x")
    print("\nratio: time of the path / time of the server-side groupby (best of each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
