"""The sandbox in prefork mode (``--workers N``): real processes over real HTTP.

A module-scoped sandbox runs ``python -m odoo_frames.sandbox --scale 300 --workers 2``;
the tests talk to it like clients of an Odoo started with ``--workers 2`` would, and look
at ``/proc`` to see the master and its workers. Tests that stop or kill processes start
sandboxes of their own. Linux only (``/proc``; the prefork mode itself needs ``fork``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import requests

import odoo_frames as of
from odoo_frames.cli import add_sandbox_arguments, sandbox_main
from odoo_frames.sandbox.exceptions import SerializationFailure
from odoo_frames.sandbox.registry import Registry
from odoo_frames.sandbox.storage import Database

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="looks at /proc; prefork needs fork()"
)

ROOT = Path(__file__).resolve().parents[2]
SCALE = 300
STARTUP_SECONDS = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from ``/proc/<pid>/stat``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of a process, in clock ticks (``/proc/<pid>/stat``).

    An idle worker sleeps in ``select()`` and gathers no ticks; one that answers
    search_reads of hundreds of partners does.
    """
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def database_directory(worker: int) -> Path:
    """The temporary directory of the database file a worker has open."""
    for fd in Path(f"/proc/{worker}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith(".sqlite"):
            return Path(target).parent
    raise AssertionError(f"worker {worker} has no database file open")


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not {what} after {seconds:g} s")
        time.sleep(0.05)


class PreforkSandbox:
    """``python -m odoo_frames.sandbox --workers N`` in a child process."""

    def __init__(self, workers: int = 2, scale: int = SCALE, data: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db, self.login, self.password = "demo", "admin", "admin"
        self.lines: list[str] = []
        self._ready = threading.Event()
        command = [sys.executable, "-m", "odoo_frames.sandbox", "--port", str(self.port)]
        command += ["--data", str(data)] if data is not None else ["--scale", str(scale)]
        command += ["--workers", str(workers)]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1"),
        )
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(STARTUP_SECONDS):
            self.process.kill()
            raise AssertionError("no banner:\n" + "\n".join(self.lines))
        if self.process.poll() is not None:
            raise AssertionError("the sandbox exited:\n" + "\n".join(self.lines))
        self.pid = self.process.pid
        wait_for(lambda: len(children(self.pid)) == workers, f"{workers} workers")
        self.directory = database_directory(children(self.pid)[0])

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("Press Ctrl-C"):
                self._ready.set()
        self._ready.set()  # the process ended

    def workers(self) -> list[int]:
        return children(self.pid)

    def stop(self) -> None:
        """SIGTERM the master; it stops its workers and deletes its files."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    def connect(self) -> of.Client:
        return of.connect(url=self.url, db=self.db, user=self.login, password=self.password)

    def execute(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """``object.execute_kw`` over JSON-RPC, on a new connection each time."""
        params = [self.db, 2, self.password, model, method, list(args), kwargs]
        body = {"jsonrpc": "2.0", "method": "call", "id": 1}
        body["params"] = {"service": "object", "method": "execute_kw", "args": params}
        answer = requests.post(f"{self.url}/jsonrpc", json=body, timeout=60).json()
        if "error" in answer:
            raise RuntimeError(answer["error"]["data"]["name"], answer["error"]["data"]["message"])
        return answer["result"]


@pytest.fixture(scope="module")
def box() -> Iterator[PreforkSandbox]:
    sandbox = PreforkSandbox(workers=2)
    try:
        yield sandbox
    finally:
        workers = sandbox.workers()
        sandbox.stop()
        assert sandbox.process.returncode == 0, "\n".join(sandbox.lines)
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
        assert not sandbox.directory.exists()


@pytest.fixture(scope="module")
def first_partner_ids(box: PreforkSandbox) -> list[int]:
    """Ids of the partners as loaded (tests create more; none changes these)."""
    return list(box.execute("res.partner", "search", [], order="id"))


def web_login(box: PreforkSandbox) -> requests.Session:
    http = requests.Session()
    params = {"db": box.db, "login": box.login, "password": box.password}
    answer = http.post(
        f"{box.url}/web/session/authenticate", json={"jsonrpc": "2.0", "params": params}
    ).json()
    assert answer["result"]["uid"] == 2
    return http


def call_kw(http: requests.Session, url: str, model: str, method: str, args: list[Any]) -> Any:
    body = {"jsonrpc": "2.0", "id": 1, "params": {"model": model, "method": method}}
    body["params"].update(args=args, kwargs={})
    return http.post(f"{url}/web/dataset/call_kw", json=body)


# ---------------------------------------------------------------------------------- tests


def test_the_banner_names_the_workers_and_each_is_a_child_of_the_master(
    box: PreforkSandbox,
) -> None:
    assert f"  URL:       {box.url}" in box.lines
    assert "  workers:   2 processes (prefork)" in box.lines
    assert len(box.workers()) == 2
    assert box.directory.is_dir() and (box.directory / "demo.sqlite").is_file()


def test_to_pandas_answers_like_the_single_process_sandbox(
    box: PreforkSandbox, first_partner_ids: list[int]
) -> None:
    def loaded_partners(client: of.Client) -> pd.DataFrame:
        frame = client["res.partner"].to_pandas()
        frame = frame[frame["id"].isin(first_partner_ids)]
        return frame.sort_values("id").reset_index(drop=True)

    expected = of.sandbox.start(scale=SCALE)  # same seed (0), same day
    try:
        single = loaded_partners(expected.connect())
    finally:
        expected.stop()
    prefork = loaded_partners(box.connect())
    assert len(prefork) == len(first_partner_ids)
    pd.testing.assert_frame_equal(prefork, single)


def test_concurrent_reads_answer_right_and_are_served_by_several_workers(
    box: PreforkSandbox,
) -> None:
    fields = ["name", "email", "city", "country_id", "is_company", "customer_rank"]
    expected = box.execute("res.partner", "search_read", [], fields=fields, order="id")
    workers = box.workers()
    ticks = {pid: cpu_ticks(pid) for pid in workers}

    def read(_: int) -> Any:
        return box.execute("res.partner", "search_read", [], fields=fields, order="id")

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(read, range(48)))
    assert all(answer == expected for answer in answers)
    served = [pid for pid in workers if cpu_ticks(pid) > ticks[pid]]
    assert len(served) == 2, "every worker answered some of the reads"


def test_a_write_is_seen_by_the_next_call_whichever_worker_answers(box: PreforkSandbox) -> None:
    partner = box.execute("res.partner", "create", {"name": "Prefork 0"})
    for round_ in range(1, 7):
        assert box.execute("res.partner", "write", [partner], {"name": f"Prefork {round_}"})
        for _ in range(3):  # new connections, any worker
            (row,) = box.execute("res.partner", "read", [partner], ["name"])
            assert row["name"] == f"Prefork {round_}"


def test_a_web_session_works_on_every_worker_until_destroyed(box: PreforkSandbox) -> None:
    http = web_login(box)
    for _ in range(20):  # HTTP/1.0: each call is a new connection, any worker answers it
        answer = call_kw(http, box.url, "res.partner", "search_count", [[]]).json()
        assert isinstance(answer["result"], int)
    old_sid = http.cookies["session_id"]
    body = {"jsonrpc": "2.0", "id": 2, "params": {}}
    answer = http.post(f"{box.url}/web/session/destroy", json=body)
    assert answer.json() == {"jsonrpc": "2.0", "id": 2}
    for sid in (old_sid, http.cookies["session_id"]):
        response = requests.post(
            f"{box.url}/web/dataset/call_kw",
            json={"jsonrpc": "2.0", "params": {"model": "res.partner", "method": "search_count"}},
            cookies={"session_id": sid},
        )
        assert response.status_code == 404  # as the single-process sandbox and Odoo


def test_after_logout_every_worker_answers_session_expired(box: PreforkSandbox) -> None:
    http = web_login(box)
    assert http.get(f"{box.url}/web/session/logout", allow_redirects=False).status_code == 303
    for _ in range(4):
        error = call_kw(http, box.url, "res.partner", "search_count", [[]]).json()["error"]
        assert (error["code"], error["message"]) == (100, "Odoo Session Expired")


def test_concurrent_creates_get_distinct_ids(box: PreforkSandbox) -> None:
    before = box.execute("res.partner", "search_count", [])

    def create_25(thread: int) -> list[int]:
        return [
            box.execute("res.partner", "create", {"name": f"Concurrent {thread}-{i}"})
            for i in range(25)
        ]

    with ThreadPoolExecutor(4) as pool:
        ids = [rid for batch in pool.map(create_25, range(4)) for rid in batch]
    assert len(set(ids)) == 100
    assert box.execute("res.partner", "search_count", []) == before + 100


def test_a_failing_call_changes_nothing(box: PreforkSandbox, first_partner_ids: list[int]) -> None:
    partner = first_partner_ids[5]
    (before,) = box.execute("res.partner", "read", [partner], ["name"])
    with pytest.raises(RuntimeError) as failure:
        # the existing record is written first, then the missing one fails the call
        box.execute("res.partner", "write", [partner, 999_999], {"name": "Never saved"})
    assert failure.value.args[0] == "odoo.exceptions.MissingError"
    for _ in range(3):
        assert box.execute("res.partner", "read", [partner], ["name"]) == [before]


def test_an_api_key_minted_through_the_wizards_logs_in_on_every_worker(
    box: PreforkSandbox,
) -> None:
    description = "res.users.apikeys.description"
    (saved,) = box.execute(description, "web_save", [], {"name": "prefork", "duration": "0"}, {})
    action = box.execute(description, "make_key", [saved["id"]])
    check = action["res_id"]
    box.execute("res.users.identitycheck", "write", [check], {"password": box.password})
    key = box.execute("res.users.identitycheck", "run_check", [check])["context"]["default_key"]
    common = xmlrpc.client.ServerProxy(f"{box.url}/xmlrpc/2/common")
    models = xmlrpc.client.ServerProxy(f"{box.url}/xmlrpc/2/object")
    for _ in range(4):
        assert common.authenticate(box.db, box.login, key, {}) == 2
        count = models.execute_kw(box.db, 2, key, "res.partner", "search_count", [[]])
        assert isinstance(count, int) and count > 0


def test_sigterm_stops_the_master_and_its_workers_and_a_dead_worker_is_replaced() -> None:
    sandbox = PreforkSandbox(workers=2, scale=100)
    try:
        first, second = sandbox.workers()
        os.kill(first, signal.SIGKILL)
        wait_for(
            lambda: first not in sandbox.workers() and len(sandbox.workers()) == 2,
            "replaced",
        )
        assert second in sandbox.workers()
        assert sandbox.execute("res.partner", "search_count", []) > 0
        workers = sandbox.workers()
    finally:
        sandbox.stop()
    assert sandbox.process.returncode == 0
    assert sandbox.lines[-1] == "sandbox stopped"
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)  # no orphans
    assert not sandbox.directory.exists()


@pytest.mark.parametrize("value", ["-1", "two"])
def test_a_bad_worker_count_is_a_clear_command_line_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as leaving:
        sandbox_main(["--workers", value])
    assert leaving.value.code == 2
    error = capsys.readouterr().err
    assert "argument --workers" in error
    assert ("is negative" in error) if value == "-1" else ("not a number" in error)


@pytest.mark.parametrize(("value", "workers"), [("0", 0), ("1", 1), ("4", 4)])
def test_zero_is_one_process_and_one_worker_is_allowed_as_in_odoo(value: str, workers: int) -> None:
    parser = argparse.ArgumentParser()
    add_sandbox_arguments(parser)
    assert parser.parse_args(["--workers", value]).workers == workers
    assert parser.parse_args([]).workers == 0


# ------------------------------------------------------------------ the shared database file


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    memory = Database(Registry.load(), "demo")
    memory.conn.execute("INSERT INTO res_country (id, name, code) VALUES (1, 'Belgium', 'BE')")
    assert memory.next_id("res.country") == 1  # the next one is 2
    memory.save_file(tmp_path / "demo.sqlite")
    memory.close()
    return tmp_path / "demo.sqlite"


def test_a_database_file_refuses_snapshots_and_says_why(database_file: Path) -> None:
    db = Database.open_file(database_file, {"database": "demo"})
    try:
        with pytest.raises(RuntimeError, match=r"--workers.*Run the sandbox without --workers"):
            db.reset()
        with pytest.raises(RuntimeError, match="without --workers"):
            db.snapshot()
    finally:
        db.close()


def test_sequences_of_a_file_are_shared_and_not_rolled_back(database_file: Path) -> None:
    one = Database.open_file(database_file, {"database": "demo"})
    two = Database.open_file(database_file, {"database": "demo"})
    try:
        with pytest.raises(ZeroDivisionError), one.transaction():
            assert one.next_id("res.country") == 2
            one.conn.execute("INSERT INTO res_country (id, name) VALUES (2, 'Gone')")
            raise ZeroDivisionError
        assert two.next_id("res.country") == 3  # the id consumed by the failed call stays used
        assert two.conn.execute("SELECT COUNT(*) FROM res_country").fetchone() == (1,)
    finally:
        one.close()
        two.close()


def test_a_writer_that_cannot_get_the_lock_fails_like_a_concurrent_update(
    database_file: Path,
) -> None:
    writer = Database.open_file(database_file, {"database": "demo"})
    other = Database.open_file(database_file, {"database": "demo"})
    other.conn.execute("PRAGMA busy_timeout = 20")
    try:
        with writer.transaction():
            writer.conn.execute("UPDATE res_country SET name = 'België'")
            with other.transaction(readonly=True):  # readers do not wait for the writer
                assert other.conn.execute("SELECT name FROM res_country").fetchone() == ("Belgium",)
            with pytest.raises(SerializationFailure) as conflict, other.transaction():
                pass
        assert str(conflict.value) == "could not serialize access due to concurrent update\n"
        with other.transaction(readonly=True):
            assert other.conn.execute("SELECT name FROM res_country").fetchone() == ("België",)
    finally:
        writer.close()
        other.close()


def test_the_recorded_odoo_answers_hold_through_worker_processes() -> None:
    """Odoo 18.0's recorded read-only exchanges (``tests/conformance``), replayed against a
    prefork sandbox loaded with the reference dataset: the same answers as one process
    gives, whichever worker serves each request (the scenarios need resets: one process)."""
    from tests.conformance.replay import (
        Replayer,
        load_cases,
        load_known_failures,
        reference_dir,
    )

    dataset = reference_dir() / "dataset.json"
    if not dataset.is_file():
        pytest.skip("reference recordings not found (../shared/odoo-reference)")
    sandbox = PreforkSandbox(workers=2, data=dataset)
    try:
        replayer = Replayer(sandbox.url)
        try:
            cases = load_cases()
            failed = {case["id"] for case in cases if not replayer.run_case(case).passed}
        finally:
            replayer.close()
    finally:
        sandbox.stop()
    assert len(cases) > 600
    assert failed <= set(load_known_failures())


def test_the_database_file_goes_to_ram_only_when_there_is_room(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Docker's /dev/shm is 64 MB by default: a big database goes to the temp directory."""
    from odoo_frames.sandbox import prefork

    if not os.access("/dev/shm", os.W_OK | os.X_OK):
        pytest.skip("no writable /dev/shm here")
    usage = shutil.disk_usage("/dev/shm")
    free = 8 * 1024**3
    monkeypatch.setattr(prefork.shutil, "disk_usage", lambda path: usage._replace(free=free))
    assert prefork.temp_root(size=1024) == "/dev/shm"
    free = 64 * 1024 * 1024
    assert prefork.temp_root(size=200 * 1024 * 1024) is None
