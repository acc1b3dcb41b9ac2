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


def targets(odoo: of.Client, rows: int) -> tuple[list[int], list[int], int]:
    """The partners to clean up, the three salespeople, the tag (same on both servers)."""
    ids = odoo.call("res.partner", "search", [], order="id", limit=rows)
    users = odoo.call("res.users", "search", [], order="id", limit=3)
    if len(users) < 3:  # the demo has admin and demo: a third salesperson
        users.append(odoo.call("res.users", "create", {"name": "Sam Sales", "login": "sam"}))
    tag = odoo.call("res.partner.category", "name_create", TAG_NAME)[0]
    return ids, users, tag


def wanted_values(ids: list[int], users: list[int], tag: int) -> dict[int, dict[str, Any]]:
    return {rid: {"user_id": users[i % 3], "category_id": [(4, tag)]} for i, rid in enumerate(ids)}


def run_odoo_frames(server: Server, rows: int, batch_size: int) -> dict[str, Any]:
    odoo = of.connect(server.url, db=server.db, user=server.login, password=server.password)
    ids, users, tag = targets(odoo, rows)
    counted: list[str] = []
    original = odoo.call

    def counting(model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        counted.append(method)
        return original(model, method, *args, **kwargs)

    partners = odoo["res.partner"]
    # warm up: first-use imports (pyarrow, narwhals) are not part of a cleanup in a notebook
    warm = partners.head(1)[["name"]].to_pandas()
    odoo.diff(warm, warm.copy())
    odoo.call = counting  # type: ignore[method-assign]
    started = time.perf_counter()
    before = partners[partners.id <= ids[-1]][["name", "user_id", "category_id"]].to_pandas()
    assert len(before) == rows
    rank = {rid: i for i, rid in enumerate(ids)}
    after = before.assign(
        user_id=before.id.map(lambda rid: users[rank[rid] % 3]),
        category_id=before.category_id.map(lambda tags: sorted(set(tags) | {tag})),
    )
    plan = odoo.diff(before, after, batch_size=batch_size)
    read_and_diff = time.perf_counter() - started
    calls_before_apply = len(counted)
    applied = time.perf_counter()
    result = plan.apply(progress=False)
    write_phase = time.perf_counter() - applied
    total = time.perf_counter() - started
    calls, write_calls = len(counted), len(counted) - calls_before_apply
    assert result.ok and result.counts.get("written") == rows, result
    check = original("res.partner", "read", ids[:3], ["user_id", "category_id"])
    assert all(
        r["user_id"][0] == users[i % 3] and tag in r["category_id"] for i, r in enumerate(check)
    )
    return {
        "total": total,
        "write": write_phase,
        "prepare": read_and_diff,
        "calls": calls,
        "write_calls": write_calls,
        "plan": plan.summary(),
    }


def run_odoorpc(server: Server, rows: int) -> dict[str, Any]:
    setup = of.connect(server.url, db=server.db, user=server.login, password=server.password)
    ids, users, tag = targets(setup, rows)
    client = odoorpc.ODOO(server.host, port=server.port)
    client.login(server.db, server.login, server.password)
    partner = client.env["res.partner"]
    started = time.perf_counter()
    records = partner.search_read([("id", "<=", ids[-1])], ["name", "user_id", "category_id"])
    assert len(records) == rows
    wanted = wanted_values([r["id"] for r in sorted(records, key=lambda r: r["id"])], users, tag)
    prepared = time.perf_counter()
    for rid, vals in wanted.items():
        partner.write([rid], vals)
    done = time.perf_counter()
    check = setup.call("res.partner", "read", ids[:3], ["user_id", "category_id"])
    assert all(
        r["user_id"][0] == users[i % 3] and tag in r["category_id"] for i, r in enumerate(check)
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
    args = parser.parse_args(argv)

    with sandbox_process(args.scale) as first, sandbox_process(args.scale) as second:
        ours = run_odoo_frames(first, args.rows, args.batch_size)
        theirs = run_odoorpc(second, args.rows)

    print(
        f"\nWrite-back: {args.rows:,} res.partner rows, 2 fields (user_id, category_id), "
        f"3 value sets; Odoo 18.0 sandbox in a separate process (scale {args.scale:,}), "
        f"batch_size {args.batch_size}"
    )
    print(f"odoo_frames plan: {ours['plan']}\n")
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
