"""Write-back benchmark: a 10,000-row cleanup, odoo_frames vs odoorpc record by record.

The cleanup: reassign 10,000 partners to one of three salespeople by territory and tag
them "Reviewed" (two fields per record, three value sets). Each client gets its own
sandbox, started as a separate process with the same seed (identical data), and sets
the same values:

* odoo_frames: read the frame (``id <= last id``), edit it in pandas,
  ``odoo.diff(before, after).apply()``
  (stale check, grouped ``write(ids, vals)`` in batches of 500);
* odoorpc, as its users write such loops: one ``search_read`` (same domain), then
  ``Partner.write([id], vals)`` record by record.

Both are timed as a whole (read + edit + write) and for the write phase alone; the
server is the same code in both cases, so the ratio measures the client's traffic.
odoo_frames runs the cleanup ``--rounds`` times (every record changes each round: the
salespeople rotate, a new tag is added) and the median round is shown: a sub-second run
is sensitive to a busy machine, odoorpc's 10,000 calls average that out by themselves.

    python benchmarks/bench_writeback.py [--rows 10000] [--batch-size 500]

Not a test: it prints a side-by-side table and exits non-zero when odoo_frames is not
at least 20x faster on the write phase.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import odoorpc  # noqa: E402

import odoo_frames as of  # noqa: E402

TAG_NAME = "Reviewed"


@dataclass
class Server:
    url: str
    host: str
    port: int
    db: str
    login: str
    password: str


@contextmanager
def sandbox_process(scale: int, version: str = "18.0") -> Iterator[Server]:
    """``python -m odoo_frames.sandbox --port 0`` in a subprocess; yields where it listens."""
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo_frames.sandbox",
            "--port",
            "0",
            "--scale",
            str(scale),
            "--odoo-version",
            version,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        banner: list[str] = []
        for line in process.stdout:
            banner.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        else:
            raise RuntimeError("the sandbox did not start:\n" + "".join(banner))
        text = "".join(banner)
        url = re.search(r"URL:\s+(\S+)", text)
        db = re.search(r"database:\s+(\S+)", text)
        assert url and db, text
        host, port = url.group(1).removeprefix("http://").split(":")
        yield Server(url.group(1), host, int(port), db.group(1), "admin", "admin")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def targets(odoo: of.Client, rows: int, rounds: int) -> tuple[list[int], list[int], list[int]]:
    """The partners to clean up, three salespeople, one tag per round (same on both servers)."""
    ids = odoo.call("res.partner", "search", [], order="id", limit=rows)
    users = odoo.call("res.users", "search", [], order="id", limit=3)
    if len(users) < 3:  # the demo has admin and demo: a third salesperson
        users.append(odoo.call("res.users", "create", {"name": "Sam Sales", "login": "sam"}))
    tags = [
        odoo.call("res.partner.category", "name_create", f"{TAG_NAME} {r + 1}")[0]
        for r in range(rounds)
    ]
    return ids, users, tags


def salesperson(users: list[int], position: int, round_: int) -> int:
    """Round ``r`` moves every partner to another salesperson than round ``r - 1``."""
    return users[(position + round_) % 3]


def run_odoo_frames(server: Server, rows: int, batch_size: int, rounds: int) -> dict[str, Any]:
    """The cleanup ``rounds`` times (every record changes each round); the median round."""
    odoo = of.connect(server.url, db=server.db, user=server.login, password=server.password)
    ids, users, tags = targets(odoo, rows, rounds)
    rank = {rid: i for i, rid in enumerate(ids)}
    partners = odoo["res.partner"]
    # warm up: first-use imports (pyarrow, narwhals) are not part of a cleanup in a notebook
    warm = partners.head(1)[["name"]].to_pandas()
    odoo.diff(warm, warm.copy())
    original = odoo.call
    measured = []
    for round_, tag in enumerate(tags):
        counted: list[str] = []

        def counting(
            model: str, method: str, *args: Any, counted: list[str] = counted, **kwargs: Any
        ) -> Any:
            counted.append(method)
            return original(model, method, *args, **kwargs)

        odoo.call = counting  # type: ignore[method-assign]
        started = time.perf_counter()
        before = partners[partners.id <= ids[-1]][["name", "user_id", "category_id"]].to_pandas()
        after = before.assign(
            user_id=before.id.map(lambda rid, r=round_: salesperson(users, rank[rid], r)),
            category_id=before.category_id.map(lambda ts, t=tag: sorted(set(ts) | {t})),
        )
        plan = odoo.diff(before, after, batch_size=batch_size)
        prepared = time.perf_counter()
        calls_before_apply = len(counted)
        result = plan.apply(progress=False)
        done = time.perf_counter()
        odoo.call = original  # type: ignore[method-assign]
        assert len(before) == rows and result.ok and result.counts == {"written": rows}, result
        check = odoo.call("res.partner", "read", ids[:3], ["user_id", "category_id"])
        assert all(
            r["user_id"][0] == salesperson(users, i, round_) and tag in r["category_id"]
            for i, r in enumerate(check)
        )
        measured.append(
            {
                "total": done - started,
                "write": done - prepared,
                "prepare": prepared - started,
                "calls": len(counted),
                "write_calls": len(counted) - calls_before_apply,
                "plan": plan.summary(),
            }
        )
    measured.sort(key=lambda m: m["total"])
    median = dict(measured[len(measured) // 2])
    median["rounds"] = [round(m["total"], 2) for m in measured]
    return median


def run_odoorpc(server: Server, rows: int, rounds: int) -> dict[str, Any]:
    """odoorpc sets the values of odoo_frames' first round, record by record."""
    setup = of.connect(server.url, db=server.db, user=server.login, password=server.password)
    ids, users, tags = targets(setup, rows, rounds)
    client = odoorpc.ODOO(server.host, port=server.port)
    client.login(server.db, server.login, server.password)
    partner = client.env["res.partner"]
    started = time.perf_counter()
    records = partner.search_read([("id", "<=", ids[-1])], ["name", "user_id", "category_id"])
    rank = {rid: i for i, rid in enumerate(ids)}
    wanted = {
        r["id"]: {"user_id": salesperson(users, rank[r["id"]], 0), "category_id": [(4, tags[0])]}
        for r in records
    }
    prepared = time.perf_counter()
    for rid, vals in wanted.items():
        partner.write([rid], vals)
    done = time.perf_counter()
    assert len(records) == rows
    check = setup.call("res.partner", "read", ids[:3], ["user_id", "category_id"])
    assert all(
        r["user_id"][0] == salesperson(users, i, 0) and tags[0] in r["category_id"]
        for i, r in enumerate(check)
    )
    return {
        "total": done - started,
        "write": done - prepared,
        "prepare": prepared - started,
        "calls": 1 + len(wanted),
        "write_calls": len(wanted),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--scale", type=int, default=10_500, help="sandbox demo scale")
    parser.add_argument("--rounds", type=int, default=3, help="odoo_frames rounds (median)")
    args = parser.parse_args(argv)

    with sandbox_process(args.scale) as first, sandbox_process(args.scale) as second:
        ours = run_odoo_frames(first, args.rows, args.batch_size, args.rounds)
        theirs = run_odoorpc(second, args.rows, args.rounds)

    print(
        f"\nWrite-back: {args.rows:,} res.partner rows, 2 fields (user_id, category_id), "
        f"3 value sets; Odoo 18.0 sandbox in a separate process (scale {args.scale:,}), "
        f"batch_size {args.batch_size}"
    )
    print(f"odoo_frames plan: {ours['plan']}")
    print(
        f"odoo_frames: median of {args.rounds} rounds (whole cleanup: {ours['rounds']} s); "
        "odoorpc: one round of 10,000 calls\n"
    )
    header = f"{'':<30}{'odoo_frames':>14}{'odoorpc (per record)':>24}{'ratio':>10}"
    print(header)
    print("-" * len(header))
    for label, key in (
        ("read + edit + diff", "prepare"),
        ("write phase", "write"),
        ("whole cleanup", "total"),
    ):
        ratio = theirs[key] / ours[key] if ours[key] else float("inf")
        print(f"{label:<30}{ours[key]:>12.2f} s{theirs[key]:>22.2f} s{ratio:>9.1f}x")
    print(f"{'RPC calls (all)':<30}{ours['calls']:>14,}{theirs['calls']:>24,}")
    print(
        f"{'RPC calls (apply / write loop)':<30}{ours['write_calls']:>14,}{theirs['write_calls']:>24,}"
    )
    ratio = theirs["write"] / ours["write"]
    whole = theirs["total"] / ours["total"]
    print(
        f"\nodoo_frames is {ratio:.1f}x faster on the write phase, {whole:.1f}x on the whole cleanup"
    )
    return 0 if ratio >= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
