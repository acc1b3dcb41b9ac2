"""What every benchmark shares: a sandbox in its own process, timing, tables, JSON.

Rules the benchmarks follow (see README.md):

* the sandbox runs as a separate process (``python -m odoo_frames.sandbox``) started
  here on a free port and stopped at the end, so its CPU is not the client's;
* candidates are timed side by side in the same run, on the same data, interleaved
  round after round (``compare``), so a slow moment of the machine hits all of them;
* figures are wall-clock seconds; the table shows the best and the median of the
  rounds and ratios of the best times (the least disturbed by other processes).

Example::

    with SandboxProcess(scale=50_000) as box:
        times = compare({"raw": lambda: post(box), "of": lambda: export(box)}, rounds=5)
        print(render_table(["case", "best s"], [[k, min(v)] for k, v in times.items()]))
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as ``python benchmarks/bench_x.py`` from a checkout
    sys.path.insert(0, str(ROOT))

__all__ = [
    "PARTNER_FIELDS",
    "ROOT",
    "RawClient",
    "SandboxProcess",
    "announced",
    "compare",
    "cpu_seconds",
    "free_port",
    "machine",
    "parser",
    "render_table",
    "summary",
    "write_json",
]


def free_port() -> int:
    """A TCP port nobody listens on right now (127.0.0.1)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SandboxProcess:
    """``python -m odoo_frames.sandbox`` in a child process, until :meth:`stop`.

    ``startup_seconds``: from starting the process to the first answer of
    ``/web/webclient/version_info`` (data generation included). Logins are the demo
    data's (``admin``/``admin``); ``api_key`` is read from the banner.
    """

    def __init__(
        self,
        *,
        scale: int = 50_000,
        version: str = "18.0",
        seed: int = 0,
        workers: int = 0,
        timeout: float = 600.0,
    ) -> None:
        self.scale = scale
        self.workers = workers
        self.version = version
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = "demo"
        self.login = "admin"
        self.password = "admin"
        self.api_key: str | None = None
        self.output: list[str] = []
        command = [
            sys.executable,
            "-m",
            "odoo_frames.sandbox",
            "--port",
            str(self.port),
            "--scale",
            str(scale),
            "--odoo-version",
            version,
            "--seed",
            str(seed),
        ]
        if workers:  # Odoo's prefork mode: N processes on one database
            command += ["--workers", str(workers)]
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=ROOT,
        )
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        try:
            self._wait(timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.perf_counter() - started

    def _read_output(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            if "API key:" in line:
                self.api_key = line.split("API key:", 1)[1].split()[0]

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        body = {"jsonrpc": "2.0", "method": "call", "params": {}}
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._reader.join(timeout=2)
                raise RuntimeError(
                    f"the sandbox exited with {self.process.returncode}:\n"
                    + "\n".join(self.output[-30:])
                )
            try:
                answer = requests.post(
                    f"{self.url}/web/webclient/version_info", json=body, timeout=5
                )
                if answer.status_code == 200:
                    while self.api_key is None and self.process.poll() is None:
                        time.sleep(0.01)  # the banner follows right after listening
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"the sandbox did not answer within {timeout:g} s")

    @property
    def pid(self) -> int:
        return int(self.process.pid)

    def stop(self) -> None:
        """SIGTERM (the sandbox stops cleanly), SIGKILL after 10 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=2)

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process used so far (Linux ``/proc``), 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def compare(
    candidates: Mapping[str, Callable[[], Any]],
    *,
    rounds: int = 5,
    warmup: int = 1,
    on_round: Callable[[int], None] | None = None,
) -> dict[str, list[float]]:
    """Wall-clock seconds of each candidate, interleaved: round 1 of all, round 2 of all..."""
    for _ in range(warmup):
        for run in candidates.values():
            run()
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for number in range(rounds):
        for name, run in candidates.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
        if on_round is not None:
            on_round(number)
    return times


def summary(seconds: Sequence[float]) -> dict[str, float]:
    return {
        "best": min(seconds),
        "median": statistics.median(seconds),
        "rounds": len(seconds),
    }


def render_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A compact fixed-width table; floats with 3 decimals, ratios as ``1.23x``."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.3f}"
        return str(value)

    texts = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in texts)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in texts:
        lines.append(
            "  ".join(
                (v.ljust(w) if i == 0 else v.rjust(w))
                for i, (v, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """Where the figures come from (load average: other work on the machine)."""
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    with contextlib.suppress(OSError):
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return info


def write_json(path: str | None, payload: Mapping[str, Any]) -> None:
    if not path:
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    print(f"figures written to {target}")


def parser(description: str, *, scale: int = 50_000, rounds: int = 5) -> argparse.ArgumentParser:
    """The options every benchmark takes."""
    args = argparse.ArgumentParser(description=description)
    args.add_argument("--scale", type=int, default=scale, help=f"sandbox scale (default {scale})")
    args.add_argument(
        "--rounds", type=int, default=rounds, help=f"timed rounds per case (default {rounds})"
    )
    args.add_argument("--json", default=None, metavar="PATH", help="write the figures as JSON")
    args.add_argument(
        "--workers",
        type=int,
        default=0,
        help="sandbox worker processes, like Odoo's --workers (default 0: one process)",
    )
    return args


@contextlib.contextmanager
def announced(what: str) -> Iterator[None]:
    """Print what is going on (benchmarks take minutes) and how long it took."""
    print(f"{what}...", end=" ", flush=True)
    started = time.perf_counter()
    yield
    print(f"{time.perf_counter() - started:.1f} s", flush=True)


#: The 8 res.partner fields of the export benchmarks: text, a many2one, a boolean, an
#: integer and a datetime, like a typical contact export.
PARTNER_FIELDS = [
    "name",
    "email",
    "phone",
    "city",
    "country_id",
    "is_company",
    "customer_rank",
    "create_date",
]


class RawClient:
    """The server time of a call: the request POSTed with requests, body not decoded.

    ``web`` logs in on ``/web/session/authenticate`` and posts to
    ``/web/dataset/call_kw`` with the session cookie and the user's context, like the
    web client; ``jsonrpc`` posts ``object.execute_kw`` to ``/jsonrpc``.
    """

    def __init__(self, box: SandboxProcess) -> None:
        self.box = box
        self.http = requests.Session()
        answer = self.http.post(
            f"{box.url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": box.db, "login": box.login, "password": box.password},
            },
            timeout=60,
        )
        session = answer.json()["result"]
        self.uid = int(session["uid"])
        self.context = dict(session.get("user_context") or {})

    def web(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> bytes:
        kwargs = {**kwargs, "context": self.context}
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs}
        return self._post(f"/web/dataset/call_kw/{model}/{method}", params)

    def jsonrpc(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> bytes:
        params = {
            "service": "object",
            "method": "execute_kw",
            "args": [self.box.db, self.uid, self.box.password, model, method, args, kwargs],
        }
        return self._post("/jsonrpc", params)

    def _post(self, path: str, params: dict[str, Any]) -> bytes:
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        answer = self.http.post(
            f"{self.box.url}{path}",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
            timeout=600,
        )
        content = answer.content
        if answer.status_code != 200 or b'"result":' not in content[:80]:
            raise RuntimeError(f"{path} answered {answer.status_code}: {content[:300]!r}")
        return content
