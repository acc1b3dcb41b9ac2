"""The ``odoo-frames`` command line.

Sub-commands (one function adds each to the parser)::

    odoo-frames demo [--scale 20000] [--odoo-version 18.0] [--output-dir demo-output]
    odoo-frames export MODEL [--where "QUERY"] [--fields a,b,c] [--limit N] --to out.parquet|out.csv
    odoo-frames fields MODEL [--all]
    odoo-frames sandbox [--port 8069] [--host 127.0.0.1] [--odoo-version 18.0]
                        [--scale 1000 | --data dataset.json] [--seed 0] [--workers N]
                        [--verbose]

``demo`` starts a sandbox and runs the demo report (:mod:`odoo_frames.demo`).
``export`` and ``fields`` connect like :func:`odoo_frames.connect`: ``--url``, ``--db``,
``--user``, ``--profile`` and ``--protocol``, else ``ODOO_URL``, ``ODOO_DB``,
``ODOO_USER``, ``ODOO_PROFILE``..., else the config file's default profile. Secrets are
never command-line arguments (other users of the machine see them in ``ps``): they come
from ``ODOO_PASSWORD`` / ``ODOO_API_KEY`` or the profile.
``sandbox`` starts a local Odoo-compatible server, prints its URL, database, logins and
API key, and serves until Ctrl-C (or SIGTERM); ``--workers N`` serves from N worker
processes on one database file, like Odoo's prefork mode (:mod:`odoo_frames.sandbox.prefork`).

Exit codes: 0 done, 1 the server or the network failed, 2 bad input (unknown model or
field, bad query, unwritable output, bad settings), 130 interrupted. Errors are one
line on stderr, and an export that fails writes nothing.

Example::

    $ export ODOO_URL=http://127.0.0.1:8069 ODOO_DB=demo ODOO_USER=admin ODOO_PASSWORD=admin
    $ odoo-frames export res.partner --where "is_company == True" --fields name,email --to c.csv
    exported 3,212 res.partner rows x 3 columns to c.csv in 0.4 s
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from .client import Client

__all__ = ["build_parser", "format_table", "main", "sandbox_main"]

Command = Callable[[argparse.Namespace], int]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

#: Output formats of ``export``, by file suffix.
EXPORT_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}


class BadInput(Exception):
    """Wrong input on the command line: printed as one line, exit code 2."""


# --------------------------------------------------------------------------------------
# Plain text tables (shared with the demo report)


def format_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    indent: str = "",
    max_width: int = 60,
) -> str:
    """Rows as an aligned text table: numbers right-aligned with thousands separators.

    >>> print(format_table(["name", "total"], [["Acme", 1234.5], ["Beta", 7]]))
    name      total
    ----  ---------
    Acme   1,234.50
    Beta          7
    """
    cells = [[_cell(value, max_width) for value in row] for row in rows]
    numeric = [
        bool(rows) and all(_is_number(row[i]) for row in rows if row[i] is not None)
        for i in range(len(headers))
    ]
    widths = [max([len(str(h)), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if right else v.ljust(w)
            for v, w, right in zip(values, widths, numeric, strict=True)
        ]
        return (indent + "  ".join(parts)).rstrip()

    out = [line([str(h) for h in headers]), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: Any, max_width: int) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 1e7 else f"{value:,.2f}"
    else:
        text = " ".join(str(value).split())  # one line per row, whatever the value holds
    if len(text) > max_width:
        text = text[: max_width - 1] + "…"
    return text


# --------------------------------------------------------------------------------------
# Errors: one line, and the exit code says whose fault it was


def one_line(error: BaseException) -> str:
    """The error's message on one line (query errors keep the column they point at)."""
    reason = getattr(error, "reason", None)
    query = getattr(error, "query", None)
    if isinstance(reason, str) and isinstance(query, str):
        offset = getattr(error, "offset", None)
        where = f" (at column {offset + 1})" if isinstance(offset, int) else ""
        return f"cannot use query {query!r}: {reason}{where}"
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return " ".join(lines) if lines else type(error).__name__


def exit_code_for(error: BaseException) -> int:
    """2 for what the user can fix in the command, 1 for failures of the server or network."""
    from .errors import ConfigurationError, ModelNotFound, ValidationError
    from .expr import FilterError
    from .schema import FieldNotFound

    bad_input = (
        BadInput,
        ConfigurationError,
        ModelNotFound,
        FieldNotFound,
        FilterError,
        ValidationError,
    )
    return EXIT_BAD_INPUT if isinstance(error, bad_input) else EXIT_FAILED


@contextmanager
def _reported_errors(code: list[int]) -> Iterator[None]:
    """Turn library errors into ``odoo-frames: error: ...`` and an exit code."""
    from .errors import OdooError
    from .expr import FilterError
    from .schema import FieldNotFound

    try:
        yield
    except (BadInput, OdooError, FilterError, FieldNotFound) as error:
        print(f"odoo-frames: error: {one_line(error)}", file=sys.stderr, flush=True)
        code[0] = exit_code_for(error)


# --------------------------------------------------------------------------------------
# Connection arguments, shared by export and fields


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "connection",
        "Like odoo_frames.connect(): these arguments, else ODOO_URL, ODOO_DB, ODOO_USER, "
        "ODOO_PASSWORD / ODOO_API_KEY, ODOO_PROFILE, else the config file's default "
        "profile. Passwords and API keys come from the environment or the profile only.",
    )
    group.add_argument("--url", help="server URL, e.g. https://acme.odoo.com (ODOO_URL)")
    group.add_argument("--db", help="database name (ODOO_DB)")
    group.add_argument("--user", help="login (ODOO_USER)")
    group.add_argument("--profile", help="named profile of the config file (ODOO_PROFILE)")
    group.add_argument(
        "--protocol",
        default=None,
        help="auto (default), json2, web, jsonrpc or xmlrpc (ODOO_PROTOCOL)",
    )
    group.add_argument(
        "--config",
        dest="config_file",
        help="config file (default ~/.config/odoo-frames/config.toml)",
    )


def connect_from(args: argparse.Namespace) -> Client:
    from .client import connect

    return connect(
        url=args.url,
        db=args.db,
        user=args.user,
        profile=args.profile,
        protocol=args.protocol or "auto",
        config_file=args.config_file,
    )


# --------------------------------------------------------------------------------------
# odoo-frames export


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="the model to export, e.g. res.partner")
    parser.add_argument(
        "--where",
        metavar="QUERY",
        help='a pandas.query filter run on the server, e.g. "is_company == True and '
        "country_id.code in ['BE', 'NL']\"",
    )
    parser.add_argument(
        "--fields",
        metavar="A,B,C",
        help="columns to export, comma separated (dotted paths follow many2one fields); "
        "default: the stored fields",
    )
    parser.add_argument("--limit", type=int, default=None, help="at most this many rows")
    parser.add_argument(
        "--to",
        required=True,
        metavar="FILE",
        help="output file: .parquet (typed) or .csv; written only when the export succeeds",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr for exports of more than one page of rows "
        "(default: when stderr is a terminal)",
    )
    add_connection_arguments(parser)
    parser.set_defaults(command=run_export)


def check_output_path(raw: str) -> tuple[Path, str]:
    """The output path and its format, or BadInput before anything is fetched."""
    path = Path(raw).expanduser()
    if path.is_dir():
        raise BadInput(f"cannot export to {raw!r}: it is a directory")
    kind = EXPORT_FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(EXPORT_FORMATS))
        raise BadInput(f"cannot export to {raw!r}: the file name must end with {known}")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise BadInput(f"cannot export to {raw!r}: the directory {str(directory)!r} does not exist")
    if path.exists() and not os.access(path, os.W_OK):
        raise BadInput(f"cannot export to {raw!r}: the file is not writable")
    try:
        # The export writes a temporary file there first: try that now, before fetching
        # (os.access() says yes to root on a read-only file system).
        handle, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=directory)
    except OSError as error:
        raise BadInput(
            f"cannot export to {raw!r}: the directory {str(directory)!r} is not writable "
            f"({error.strerror or error})"
        ) from None
    os.close(handle)
    os.unlink(probe)
    return path, kind


def parse_field_list(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if not names:
        raise BadInput(f"--fields {raw!r} names no field: give names separated by commas")
    return names


def run_export(args: argparse.Namespace) -> int:
    code = [EXIT_OK]
    with _reported_errors(code):
        path, kind = check_output_path(args.to)
        fields = parse_field_list(args.fields)
        if args.limit is not None and args.limit < 0:
            raise BadInput(f"--limit must be 0 or more, not {args.limit}")
        started = time.monotonic()
        odoo = connect_from(args)
        try:
            frame = odoo[args.model]
            if args.where:
                from .query import parse_query

                # No caller variables: "@name" in a command-line query names nothing.
                frame = frame.filter(parse_query(args.where, {}))
            if fields is not None:
                frame = frame.select(fields)
            if args.limit is not None:
                frame = frame.head(args.limit)
            table = frame.to_arrow(progress=args.progress)
        finally:
            odoo.close()
        write_atomically(table, path, kind)
        seconds = time.monotonic() - started
        print(
            f"exported {table.num_rows:,} {args.model} rows x {table.num_columns} columns "
            f"to {args.to} in {seconds:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    return code[0]


def write_atomically(table: pa.Table, path: Path, kind: str) -> None:
    """Write beside the target, then rename: a failed export leaves no partial file."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".partial", dir=directory
        )
    except OSError as error:
        raise BadInput(f"cannot write {str(path)!r}: {error.strerror or error}") from None
    os.close(handle)
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(with_pandas_metadata(table), temporary)
        else:
            export_csv(table, Path(temporary))
        os.replace(temporary, path)
    except OSError as error:
        raise BadInput(f"cannot write {str(path)!r}: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def with_pandas_metadata(table: pa.Table) -> pa.Table:
    """The table with pandas' schema metadata, so that ``pd.read_parquet`` gives back
    the dtypes of ``to_pandas()`` (nullable Int64 ids, categories) while the arrow
    types, which polars and other readers use, stay as they are."""
    import pyarrow as pa

    from .convert import arrow_to_pandas

    empty = arrow_to_pandas(table.slice(0, 0))
    metadata = pa.Table.from_pandas(empty, preserve_index=False).schema.metadata
    return table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})


def export_csv(table: pa.Table, path: Path) -> None:
    """CSV as pandas writes it; x2many id lists as ``[1, 2]``, unset values empty."""
    import json

    from .convert import arrow_to_pandas

    frame = arrow_to_pandas(table)
    for column in frame.columns:
        if frame[column].dtype == object and frame[column].map(_is_list).any():
            frame[column] = frame[column].map(lambda v: json.dumps(v) if _is_list(v) else v)
    frame.to_csv(path, index=False)


def _is_list(value: Any) -> bool:
    return isinstance(value, list)


# --------------------------------------------------------------------------------------
# odoo-frames fields


def add_fields_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="the model, e.g. sale.order")
    parser.add_argument(
        "--all", action="store_true", help="also the fields that are not stored (computed)"
    )
    add_connection_arguments(parser)
    parser.set_defaults(command=run_fields)


def run_fields(args: argparse.Namespace) -> int:
    code = [EXIT_OK]
    with _reported_errors(code):
        odoo = connect_from(args)
        try:
            frame = odoo[args.model]
            print(describe_fields(frame.schema, everything=args.all), flush=True)
        finally:
            odoo.close()
    return code[0]


def describe_fields(schema: Any, *, everything: bool = False) -> str:
    """The schema as a text table: name, type, target (relation or selection), label, flags."""
    rows = []
    hidden = 0
    for name in sorted(schema.fields):
        spec = schema.fields[name]
        if not spec.store and not everything:
            hidden += 1
            continue
        if spec.relation:
            target = spec.relation
        elif spec.selection:
            target = ", ".join(str(key) for key, _ in spec.selection)
        else:
            target = ""
        flags = [
            flag
            for flag, on in (
                ("required", spec.required),
                ("readonly", spec.readonly),
                ("computed", not spec.store),
            )
            if on
        ]
        rows.append([name, spec.type, target, spec.string, " ".join(flags)])
    title = f"{schema.model}: {len(rows)} fields"
    if hidden:
        title += f" ({hidden} not stored not shown: --all shows them)"
    table = format_table(
        ["field", "type", "relation / values", "label", "flags"], rows, max_width=40
    )
    return f"{title}\n{table}"


# --------------------------------------------------------------------------------------
# odoo-frames demo


def add_demo_arguments(parser: argparse.ArgumentParser) -> None:
    from .sandbox.versions import PROFILES

    parser.add_argument(
        "--scale", type=int, default=20_000, help="demo data size in partners (default 20000)"
    )
    parser.add_argument(
        "--odoo-version",
        default="18.0",
        choices=sorted(PROFILES),
        help="which Odoo the sandbox behaves like (default 18.0)",
    )
    parser.add_argument(
        "--output-dir",
        default="demo-output",
        help="where the chart is saved (default ./demo-output)",
    )
    parser.set_defaults(command=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from .demo import run

    if args.scale < 1:
        print("odoo-frames: error: --scale must be at least 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        return run(scale=args.scale, version=args.odoo_version, output_dir=Path(args.output_dir))
    except KeyboardInterrupt:
        # run() stopped the sandbox on its way out; say so and leave like a shell does.
        print("\ninterrupted: the sandbox is stopped", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------------------
# odoo-frames sandbox


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
    parser.add_argument(
        "--workers",
        type=_worker_count,
        default=0,
        metavar="N",
        help="serve from N worker processes sharing one database file, like Odoo's "
        "prefork mode (Linux, macOS); default 0: one process, threaded",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.set_defaults(command=run_sandbox)


def _worker_count(raw: str) -> int:
    """``--workers``: 0 (one threaded process) or a number of worker processes."""
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {raw!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"{value} is negative: give 0 (one process, the default) or a number of "
            "worker processes (1 or more)"
        )
    return value


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _sandbox_options(args: argparse.Namespace) -> dict[str, Any]:
    """What both kinds of sandbox take from the command line."""
    return {
        "version": args.odoo_version,
        "scale": args.scale,
        "data": args.data,
        "host": args.host,
        "port": args.port,
        "seed": args.seed,
        "quiet": not args.verbose,
    }


def run_sandbox(args: argparse.Namespace) -> int:
    if getattr(args, "workers", 0):
        return _run_prefork_sandbox(args)
    from .sandbox import start

    box = start(**_sandbox_options(args))
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


def _run_prefork_sandbox(args: argparse.Namespace) -> int:
    """``--workers N``: the master process serves until SIGTERM / Ctrl-C."""
    from .sandbox.prefork import PreforkUnavailable, serve_prefork

    try:
        return serve_prefork(workers=args.workers, **_sandbox_options(args))
    except PreforkUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return EXIT_BAD_INPUT


# --------------------------------------------------------------------------------------
# the parser


def build_parser(prog: str = "odoo-frames") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Odoo data as lazy DataFrames: command line tools."
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    add_demo_arguments(
        commands.add_parser(
            "demo",
            help="start a sandbox and run the demo report end to end",
            description="Start a sandbox with demo data and run a report: top customers, "
            "monthly revenue by country (chart saved as PNG), an email cleanup and a lead "
            "import with dedup. The sandbox stops at the end, also on Ctrl-C.",
        )
    )
    add_export_arguments(
        commands.add_parser(
            "export",
            help="export a model's rows to Parquet or CSV",
            description="Export the rows of a model, filtered on the server, to Parquet or CSV.",
        )
    )
    add_fields_arguments(
        commands.add_parser(
            "fields",
            help="show a model's fields and their types",
            description="Show the fields of a model: type, relation or values, label, flags.",
        )
    )
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
    args = parser.parse_args(argv)  # usage errors: argparse prints one line and exits 2
    command: Command | None = getattr(args, "command", None)
    if command is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return command(args)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED


def sandbox_main(argv: Sequence[str] | None = None, prog: str = "odoo-frames sandbox") -> int:
    """``python -m odoo_frames.sandbox``: the ``sandbox`` sub-command on its own."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Run a local Odoo-compatible server (SQLite) until Ctrl-C."
    )
    add_sandbox_arguments(parser)
    return run_sandbox(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
