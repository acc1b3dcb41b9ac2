"""Run every benchmark, one after the other, and keep what they printed.

Each ``bench_*.py`` starts (and stops) its own sandbox process. The output of each goes
to the terminal and to ``<out>/<name>.txt``; the scripts that write figures as JSON get
``--json <out>/<name>.json``. A summary of exit codes and durations ends the run.

Run::

    python benchmarks/run_all.py                       # everything (~15 minutes)
    python benchmarks/run_all.py --only export memory  # bench_export.py, bench_memory.py
    python benchmarks/run_all.py --only export-workers  # the export, sandbox --workers 2
    python benchmarks/run_all.py --out /tmp/figures --rounds 3
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: (run name, script, extra arguments); these scripts take ``--rounds`` and ``--json``.
#: The export runs twice: on a one-process sandbox (the default) and on a sandbox with
#: 2 worker processes, like an Odoo started with ``--workers 2``.
OURS: list[tuple[str, str, list[str]]] = [
    ("sandbox", "bench_sandbox.py", []),
    ("export", "bench_export.py", []),
    ("export-workers", "bench_export.py", ["--workers", "2"]),
    ("fetch", "bench_fetch.py", []),
    ("memory", "bench_memory.py", ["--peers"]),
]


def runs() -> list[tuple[str, Path, list[str] | None]]:
    """Every run: those of OURS first, in its order, then the other bench_*.py by name
    (``None``: a script that takes neither ``--rounds`` nor ``--json``)."""
    ours = [(name, HERE / script, extra) for name, script, extra in OURS]
    known = {script for _, script, _ in OURS}
    others = sorted(p for p in HERE.glob("bench_*.py") if p.name not in known)
    return [
        *ours,
        *((p.stem.removeprefix("bench_"), p, None) for p in others),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE / "results"), help="where outputs go")
    parser.add_argument("--only", nargs="*", default=None, help="names, e.g. export memory")
    parser.add_argument(
        "--rounds", type=int, default=None, help="timed rounds for the scripts that take it"
    )
    options = parser.parse_args(argv)
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    summary: list[tuple[str, int, float]] = []
    for name, script, extra in runs():
        if options.only and name not in options.only:
            continue
        command = [sys.executable, str(script)]
        if extra is not None:
            command += [*extra, "--json", str(out / f"{name}.json")]
            if options.rounds is not None:
                command += ["--rounds", str(options.rounds)]
        print(f"\n=== {name}: {script.name} {' '.join(extra or [])} ===", flush=True)
        started = time.perf_counter()
        with (out / f"{name}.txt").open("w") as log:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                cwd=HERE.parent,
            )
            assert process.stdout is not None
            for line in process.stdout:
                print(line, end="", flush=True)
                log.write(line)
            code = process.wait()
        summary.append((name, code, time.perf_counter() - started))
    print("\n=== summary ===")
    for run_name, code, seconds in summary:
        print(f"{run_name:<22} exit {code}  {seconds:6.0f} s")
    print(f"outputs in {out}")
    return 0 if all(code == 0 for _, code, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
