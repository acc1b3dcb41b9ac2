"""The sandbox in prefork mode (``--workers N``): one master, N worker processes, one
SQLite database file, like an Odoo server started with ``--workers N`` on one PostgreSQL.

The master:

1. loads the data (demo generator or ``--data``) in memory, exactly as the
   single-process sandbox does, then copies it to a WAL-mode SQLite file in a private
   temporary directory (under ``/dev/shm`` when it has room: the file lives in RAM);
2. binds the listening socket and prints the banner (plus the number of workers);
3. forks the workers and supervises them: a worker that dies is replaced; SIGTERM or
   SIGINT (Ctrl-C) stops every worker and deletes the temporary directory.

Each worker opens its own connections (a sqlite3 connection never crosses a ``fork``) and
accepts connections on the inherited socket, serving one request at a time (werkzeug's
``BaseWSGIServer``, not threaded; HTTP/1.0, one request per connection, as Odoo's
workers). Everything a call can change lives in SQLite files every worker shares:
records (the database file), id sequences (``<db>.sqlite.sequences``) and web sessions
(``sessions.sqlite``). Concurrency: see :mod:`.storage` (readers in parallel under WAL,
writers one at a time) and :mod:`.core` (lock conflicts retried like Odoo's).

``Database.reset()`` / ``snapshot()`` are refused in this mode (a clear error).

Example (what ``odoo-frames sandbox --workers 2`` runs)::

    >>> serve_prefork(workers=2, scale=1000, port=8069)   # until SIGTERM / Ctrl-C
    Odoo 18.0 sandbox (odoo_frames)
      URL:       http://127.0.0.1:8069
      ...
      workers:   2 processes (prefork)
    Press Ctrl-C to stop.
"""

from __future__ import annotations

import gc
import os
import selectors
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from werkzeug.serving import BaseWSGIServer

from .server import request_handler
from .versions import DEFAULT_VERSION, profile

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from .registry import Registry
    from .web import FileSessionStore

__all__ = ["PreforkUnavailable", "serve_prefork", "temp_root"]

#: How long stopping workers may finish their request before they are killed (seconds).
STOP_GRACE_SECONDS = 10.0
#: A worker that dies this soon after its start, this many times in a row, stops the master.
CRASH_SECONDS, MAX_CRASHES = 5.0, 5
#: Workers check this often whether they must stop or their master is gone (seconds).
POLL_SECONDS = 0.5
#: Room left free in ``/dev/shm`` besides the database's (bytes).
SHM_MARGIN = 64 * 1024 * 1024


class PreforkUnavailable(RuntimeError):
    """The platform cannot fork worker processes (Windows)."""


def temp_root(size: int = 0) -> str | None:
    """``/dev/shm`` (RAM) when it exists, is writable and has room for a database of
    ``size`` bytes to double (WAL, growth), else None: the system's temp directory.

    Containers often mount a small ``/dev/shm`` (64 MB by default in Docker), which a
    database of 50k partners would fill.
    """
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK | os.X_OK)):
        return None
    try:
        free = shutil.disk_usage(shm).free
    except OSError:
        return None
    return str(shm) if free >= 2 * size + SHM_MARGIN else None


class _AppSlot:
    """The WSGI app of the listening server, set in each worker after the fork (the
    master binds the socket before any worker has its database connections)."""

    def __init__(self) -> None:
        self.app: WSGIApplication | None = None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        assert self.app is not None, "the worker did not set its application"
        return self.app(environ, start_response)


@dataclass
class _Shared:
    """What every worker needs to open its own view of the shared state."""

    directory: Path
    database_path: Path
    server_info: dict[str, Any]
    registry: Registry
    version: str
    sessions: FileSessionStore


def serve_prefork(
    *,
    workers: int,
    version: str | int | float = DEFAULT_VERSION,
    scale: int | None = None,
    data: str | os.PathLike[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 8069,
    seed: int = 0,
    quiet: bool = True,
    out: TextIO | None = None,
) -> int:
    """Run the prefork sandbox until SIGTERM/SIGINT; returns the exit code (0, or 1 when
    the workers kept crashing). Raises :class:`PreforkUnavailable` without ``os.fork``."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if not hasattr(os, "fork"):
        raise PreforkUnavailable(
            "--workers needs os.fork() (Linux, macOS), which this platform does not have: "
            "run the sandbox without --workers"
        )
    stream = out or sys.stdout
    shared = _prepare(version, scale, data, seed)
    try:
        http = BaseWSGIServer(
            host, port, _AppSlot(), handler=request_handler(quiet=quiet, keep_alive=False)
        )
        try:
            master = _Master(shared, http, workers)
            from . import banner

            print(banner(shared.server_info, shared.version, _url(http)), file=stream)
            print(f"  workers:   {workers} processes (prefork)", file=stream)
            print("Press Ctrl-C to stop.", file=stream, flush=True)
            code = master.run()
        finally:
            http.server_close()
    finally:
        shutil.rmtree(shared.directory, ignore_errors=True)
    print("sandbox stopped", file=stream, flush=True)
    return code


def _url(http: BaseWSGIServer) -> str:
    host = str(http.host)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{http.port}"


def _prepare(
    version: str | int | float,
    scale: int | None,
    data: str | os.PathLike[str] | None,
    seed: int,
) -> _Shared:
    """Load the data in memory, as ``start()`` does, and write it to the database file
    in a new private temporary directory (in RAM when there is room, see :func:`temp_root`)."""
    from . import load_data
    from .core import SandboxCore
    from .registry import Registry
    from .storage import Database
    from .web import FileSessionStore

    version_profile = profile(version)
    dataset, server_info = load_data(scale, data, seed)
    registry = Registry.load()
    SandboxCore({}, version_profile)  # registers the business hooks before the fork
    memory = Database(registry, str(server_info.get("database", "ref")))
    directory: Path | None = None
    try:
        memory.load_dataset(dataset, server_info)
        del dataset
        pages, page_size = (
            memory.conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("page_count", "page_size")
        )
        root = temp_root(int(pages) * int(page_size))
        directory = Path(tempfile.mkdtemp(prefix="odoo-frames-sandbox-", dir=root))
        database_path = directory / f"{memory.name}.sqlite"
        memory.save_file(database_path)
        sessions = FileSessionStore(directory / "sessions.sqlite")
        len(sessions)  # creates the file and its table here, once
        sessions.close()
    except BaseException:
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
        raise
    finally:
        memory.close()
    return _Shared(
        directory=directory,
        database_path=database_path,
        server_info=dict(server_info),
        registry=registry,
        version=version_profile.series,
        sessions=sessions,
    )


class _Master:
    """Forks the workers, replaces those that die, stops them all on SIGTERM/SIGINT."""

    def __init__(self, shared: _Shared, http: BaseWSGIServer, workers: int) -> None:
        self.shared = shared
        self.http = http
        self.count = workers
        self.workers: dict[int, float] = {}  # pid -> start time
        self.stopping = False
        self.crashes = 0

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        previous = {
            signum: signal.signal(signum, self._on_signal)
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        code = 0
        try:
            # Objects made while loading stay put: workers then share their memory pages
            # with the master instead of copying them when the collector touches them.
            gc.collect()
            gc.freeze()
            while not self.stopping:
                while len(self.workers) < self.count and not self.stopping:
                    self._spawn()
                if not self._reap():
                    print(
                        "sandbox workers keep dying at start: stopping", file=sys.stderr, flush=True
                    )
                    code = 1
                    break
                time.sleep(0.1)
        finally:
            self._stop_workers()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return code

    def _spawn(self) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker: never return into the master's stack
            code = 1
            try:
                code = _Worker(self.shared, self.http, os.getppid()).run()
            except BaseException:  # report it, then leave without the master's cleanup
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.workers[pid] = time.monotonic()

    def _reap(self) -> bool:
        """Forget the workers that exited; False when they keep crashing at start."""
        while self.workers:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.workers.clear()
                break
            if pid == 0:
                break
            started = self.workers.pop(pid, None)
            if started is None or self.stopping:
                continue
            if time.monotonic() - started < CRASH_SECONDS:
                self.crashes += 1
                if self.crashes >= MAX_CRASHES:
                    return False
            else:
                self.crashes = 0
            print(
                f"sandbox worker {pid} ended ({_describe(status)}): starting another",
                file=sys.stderr,
                flush=True,
            )
        return True

    def _stop_workers(self) -> None:
        for pid in list(self.workers):
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while self.workers and time.monotonic() < deadline:
            self.stopping = True
            self._reap()
            time.sleep(0.02)
        for pid in list(self.workers):
            _signal(pid, signal.SIGKILL)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            self.workers.pop(pid, None)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


class _Worker:
    """One worker process: its own database connections, one request at a time."""

    def __init__(self, shared: _Shared, http: BaseWSGIServer, master_pid: int) -> None:
        self.shared = shared
        self.http = http
        self.master_pid = master_pid
        self.stopping = False

    def _on_sigterm(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True  # finish the request being served, then leave

    def run(self) -> int:
        # Ctrl-C reaches the whole process group: the master decides, workers ignore it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, self._on_sigterm)
        from .app import SandboxApp
        from .core import SandboxCore
        from .storage import Database

        shared = self.shared
        database = Database.open_file(
            shared.database_path, shared.server_info, shared.registry, name=None
        )
        core = SandboxCore({database.name: database}, shared.version)
        slot = self.http.app
        assert isinstance(slot, _AppSlot)
        slot.app = SandboxApp(core, sessions=shared.sessions)
        # Every worker waits on the same socket; the one the kernel wakes up accepts and
        # the others' accept() fails at once instead of blocking.
        self.http.socket.setblocking(False)
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self.http.socket, selectors.EVENT_READ)
                while not self.stopping and os.getppid() == self.master_pid:
                    if selector.select(POLL_SECONDS):
                        self._serve_one()
        finally:
            core.close()
            shared.sessions.close()
        return 0

    def _serve_one(self) -> None:
        http = self.http
        try:
            request, address = http.get_request()
        except OSError:  # another worker was faster (EAGAIN), or the client went away
            return
        request.setblocking(True)
        try:
            http.process_request(request, address)  # handles and closes the connection
        except Exception:
            http.handle_error(request, address)
            http.shutdown_request(request)
