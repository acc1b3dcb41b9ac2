"""The ``odoo-frames`` command line.

Sub-commands (one function adds each to the parser)::

    odoo-frames sandbox [--port 8069] [--host 127.0.0.1] [--odoo-version 18.0]
                        [--scale 1000 | --data dataset.json] [--seed 0] [--verbose]

``sandbox`` starts a local Odoo-compatible server, prints its URL, database, logins and
API key, and serves until Ctrl-C (or SIGTERM).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable, Sequence
from types import FrameType

__all__ = ["build_parser", "main", "sandbox_main"]

Command = Callable[[argparse.Namespace], int]


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    from .sandbox.versions import PROFILES

    parser.add_argument(
        "--port", type=int, default=8069, help="TCP port (0 picks a free one; default 8069)"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--odoo-version",
        default="18.0",
        choices=sorted(PROFILES),
        help="which Odoo to behave like (default 18.0)",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--scale", type=int, default=None, help="demo data size in partners (default 1000)"
    )
    source.add_argument(
        "--data", default=None, help="a dataset.json (reference format; server.json beside it)"
    )
    parser.add_argument("--seed", type=int, default=0, help="demo data seed (default 0)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.set_defaults(command=run_sandbox)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_sandbox(args: argparse.Namespace) -> int:
    from .sandbox import start

    box = start(
        version=args.odoo_version,
        scale=args.scale,
        data=args.data,
        host=args.host,
        port=args.port,
        seed=args.seed,
        quiet=not args.verbose,
    )
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        print(box.banner(), flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        box.stop()
        signal.signal(signal.SIGTERM, previous)
    print("sandbox stopped", flush=True)
    return 0


def build_parser(prog: str = "odoo-frames") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Odoo data as lazy DataFrames: command line tools."
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    add_sandbox_arguments(
        commands.add_parser(
            "sandbox",
            help="run a local Odoo-compatible server with demo data",
            description="Run a local Odoo-compatible server (SQLite) until Ctrl-C.",
        )
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Command | None = getattr(args, "command", None)
    if command is None:
        parser.print_help(sys.stderr)
        return 2
    return command(args)


def sandbox_main(argv: Sequence[str] | None = None, prog: str = "odoo-frames sandbox") -> int:
    """``python -m odoo_frames.sandbox``: the ``sandbox`` sub-command on its own."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Run a local Odoo-compatible server (SQLite) until Ctrl-C."
    )
    add_sandbox_arguments(parser)
    return run_sandbox(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
