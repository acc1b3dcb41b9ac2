"""Run every benchmark, one after the other, and keep what they printed.

Each ``bench_*.py`` starts (and stops) its own sandbox process. The output of each goes
to the terminal and to ``<out>/<name>.txt``; the scripts that write figures as JSON get
``--json <out>/<name>.json``. A summary of exit codes and durations ends the run.

Run::

    python benchmarks/run_all.py                       # everything (~15 minutes)
    python benchmarks/run_all.py --only export memory  # bench_export.py, bench_memory.py
    python benchmarks/run_all.py --out /tmp/figures --rounds 3
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: script -> extra arguments; scripts of this list take ``--rounds`` and ``--json``.
OURS: dict[str, list[str]] = {
    "bench_sandbox.py": [],
    "bench_export.py": [],
    "bench_fetch.py": [],
    "bench_memory.py": ["--peers"],
}


def scripts() -> list[Path]:
    """Every bench_*.py: those of OURS first, in its order, then the others by name."""
    order = list(OURS)

    def rank(script: Path) -> tuple[int, str]:
        return (order.index(script.name), "") if script.name in OURS else (len(order), script.name)

    return sorted(HERE.glob("bench_*.py"), key=rank)


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
    for script in scripts():
        name = script.stem.removeprefix("bench_")
        if options.only and name not in options.only:
            continue
        command = [sys.executable, str(script)]
        if script.name in OURS:
            command += [*OURS[script.name], "--json", str(out / f"{script.stem}.json")]
            if options.rounds is not None:
                command += ["--rounds", str(options.rounds)]
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        with (out / f"{script.stem}.txt").open("w") as log:
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
        summary.append((script.name, code, time.perf_counter() - started))
    print("\n=== summary ===")
    for script_name, code, seconds in summary:
        print(f"{script_name:<22} exit {code}  {seconds:6.0f} s")
    print(f"outputs in {out}")
    return 0 if all(code == 0 for _, code, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
