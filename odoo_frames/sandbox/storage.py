"""SQLite storage of a sandbox database: schema, loading, id sequences, snapshots, transactions.

One :class:`Database` is one Odoo database (e.g. ``"ref"``) held in an in-memory
SQLite database, or (``--workers``, :mod:`.prefork`) in a SQLite *file* shared by
several processes: :meth:`Database.save_file` writes a loaded database to a file,
:meth:`Database.open_file` opens it again in each worker. Its layout follows
:mod:`odoo_frames.sandbox.registry`:

* one table per model (``res_partner``), ``id INTEGER PRIMARY KEY``, one column per
  stored field with a column (``FieldSpec.column``), plus *shadow columns* for the few
  non-stored, non-related fields whose value cannot be derived here
  (``FieldSpec.shadow``, e.g. ``account.account.code``, ``product.product.lst_price``):
  they keep the value the dataset gives and are read back as is;
* one table per many2many relation (``FieldSpec.m2m``), ``PRIMARY KEY (column, other_column)``;
* values: NULL for unset (also unset numbers), booleans 0/1, dates ``YYYY-MM-DD``,
  datetimes ``YYYY-MM-DD HH:MM:SS`` (UTC), json as JSON text, many2one as the id.

Ids come from per-model sequences (:meth:`Database.next_id`) that, like PostgreSQL
sequences, are *not* rolled back: a failed ``create`` leaves a gap. In memory they are a
dict (:class:`MemorySequences`); with a file they live in a second SQLite file beside
it (:class:`FileSequences`), written in their own tiny transactions, so that every
process sees them and a rolled-back call does not give its ids back.

Transactions: the connection is in autocommit mode; :meth:`Database.transaction`
opens ``BEGIN`` and commits, or rolls back when the block raises. It also takes the
database lock, so one RPC call at a time touches the database (the HTTP server is
threaded; correctness first). :meth:`Database.snapshot` / :meth:`Database.reset` copy
the whole database (``sqlite3.Connection.backup``) to restore the loaded state
before each scenario (in memory only: a file shared by worker processes refuses them).

With a file, ``transaction(readonly=False)`` begins with ``BEGIN IMMEDIATE``: writers
take SQLite's write lock up front and queue behind each other (``busy_timeout``), while
readers (``readonly=True``, a plain ``BEGIN``) run concurrently under WAL. A lock SQLite
could not get becomes :class:`SerializationFailure`, PostgreSQL's error for a
concurrent update, which the core retries like Odoo does.

Example::

    >>> db = Database.from_dataset(dataset, server)        # reference format
    >>> with db.transaction() as cr:
    ...     cr.execute("SELECT name FROM res_partner WHERE id = ?", (10,)).fetchone()
    ('Deco Addict',)
    >>> db.next_id("res.partner")
    44
    >>> db.reset()                                          # back to the loaded state
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from .._gc import gc_paused
from .exceptions import SerializationFailure
from .registry import FieldSpec, ModelSpec, Registry

__all__ = [
    "REFERENCE_NULLS",
    "Database",
    "FileSequences",
    "MemorySequences",
    "connect_file",
    "storage_fields",
    "to_column",
]

#: SQLite declared type of each Odoo field type (affinity matters: REAL keeps 1.0 a float).
SQL_TYPES: dict[str, str] = {
    "char": "TEXT",
    "text": "TEXT",
    "html": "TEXT",
    "selection": "",  # no affinity: integer selections keep their int keys
    "integer": "INTEGER",
    "float": "REAL",
    "monetary": "REAL",
    "boolean": "INTEGER",
    "date": "TEXT",
    "datetime": "TEXT",
    "many2one": "INTEGER",
    "json": "TEXT",
    "binary": "TEXT",
    "many2one_reference": "INTEGER",
    "reference": "TEXT",
}

#: uid written in ``create_uid`` / ``write_uid`` when the dataset does not say:
#: demo data is created by the superuser (OdooBot, uid 1) while installing modules.
DEFAULT_LOG_UID = 1


def unaccent(value: Any) -> Any:
    """SQL function ``unaccent(text)``: strip combining marks (like PostgreSQL's unaccent)."""
    if not isinstance(value, str):
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def ulower(value: Any) -> Any:
    """SQL function ``ulower(text)``: Unicode lower case (SQLite's ``lower`` is ASCII only)."""
    return value.lower() if isinstance(value, str) else value


#: Values the reference database (``"ref"``) holds as NULL although its read format shows
#: ``0``: (model, field) -> ids. They were revealed by recorded behaviour that tells NULL
#: from 0 (ordering puts NULLs last; averages skip them): ``res.company.sequence`` of the
#: first company (created by SQL before the field had a default) and the probability of
#: lead 1. Applied only to a database named "ref".
REFERENCE_NULLS: dict[tuple[str, str], frozenset[int]] = {
    ("res.company", "sequence"): frozenset({1}),
    ("crm.lead", "probability"): frozenset({1}),
}


#: How long a writer waits for SQLite's write lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 5000

#: Settings of every connection to a database file: WAL (readers never wait for the
#: writer), no fsync per commit (a sandbox, not a ledger), reads through a 1 GiB memory
#: map and a 64 MiB page cache per process, temporary b-trees in memory.
FILE_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA mmap_size = 1073741824",
    "PRAGMA cache_size = -65536",
    "PRAGMA temp_store = MEMORY",
)

#: SQLite's primary result codes for "someone else holds the lock".
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def is_lock_conflict(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database table is locked" errors."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(exc)


def connect_file(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A connection to a database file, set up by :data:`FILE_PRAGMAS` (autocommit)."""
    conn = sqlite3.connect(
        os.fspath(path),
        check_same_thread=False,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    for pragma in FILE_PRAGMAS:
        conn.execute(pragma).fetchall()
    return conn


def sequences_path(path: str | os.PathLike[str]) -> Path:
    """Where the id sequences of the database file ``path`` live."""
    path = Path(path)
    return path.with_name(path.name + ".sequences")


class Sequences(Protocol):
    """Named counters that, like PostgreSQL sequences, ignore transactions."""

    def next(self, name: str) -> int: ...
    def peek(self, name: str) -> int: ...
    def has(self, name: str) -> bool: ...
    def ensure(self, counters: Mapping[str, int]) -> None: ...
    def update(self, counters: Mapping[str, int]) -> None: ...
    def values(self) -> dict[str, int]: ...
    def close(self) -> None: ...


class MemorySequences:
    """Sequences of an in-memory database: a dict (callers hold the database lock)."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def next(self, name: str) -> int:
        value = self.counters.get(name, 1)
        self.counters[name] = value + 1
        return value

    def peek(self, name: str) -> int:
        return self.counters.get(name, 1)

    def has(self, name: str) -> bool:
        return name in self.counters

    def ensure(self, counters: Mapping[str, int]) -> None:
        for name, start in counters.items():
            self.counters.setdefault(name, start)

    def update(self, counters: Mapping[str, int]) -> None:
        self.counters.update(counters)

    def values(self) -> dict[str, int]:
        return dict(self.counters)

    def close(self) -> None:
        pass


class FileSequences:
    """Sequences shared by processes: a table in a SQLite file of their own.

    Each change is its own tiny autocommit transaction on that file, so the id is
    consumed for good even when the call that took it rolls back, and the database
    file's write lock, held by the call, is never needed.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.conn = connect_file(self.path)
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"
        )

    def next(self, name: str) -> int:
        row = self.conn.execute(
            "INSERT INTO sequence (name, value) VALUES (?, 2) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value - 1",
            (name,),
        ).fetchall()
        return int(row[0][0])

    def peek(self, name: str) -> int:
        row = self.conn.execute("SELECT value FROM sequence WHERE name = ?", (name,)).fetchone()
        return 1 if row is None else int(row[0])

    def has(self, name: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM sequence WHERE name = ?", (name,)).fetchone()
        return row is not None

    def ensure(self, counters: Mapping[str, int]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO sequence (name, value) VALUES (?, ?)", list(counters.items())
        )

    def update(self, counters: Mapping[str, int]) -> None:
        self.conn.executemany(
            "INSERT INTO sequence (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            list(counters.items()),
        )

    def values(self) -> dict[str, int]:
        return {str(n): int(v) for n, v in self.conn.execute("SELECT name, value FROM sequence")}

    def close(self) -> None:
        self.conn.close()


class Database:
    """One sandbox database: an in-memory SQLite database laid out by a :class:`Registry`
    (or a database file: :meth:`open_file`)."""

    def __init__(
        self, registry: Registry, name: str = "ref", *, path: str | os.PathLike[str] | None = None
    ) -> None:
        self.registry = registry
        self.name = name
        #: ``server.json`` of the loaded dataset (users, companies, languages...).
        self.server: dict[str, Any] = {}
        self.lock = threading.RLock()
        #: the database file, or None for an in-memory database
        self.path = None if path is None else Path(path)
        self._sequences: Sequences
        #: a file written by save_file() already has its tables, indexes and sequences
        fresh = self.path is None or not self.path.exists()
        if self.path is None:
            self.conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            self._sequences = MemorySequences()
        else:
            self.conn = connect_file(self.path)
            self._sequences = FileSequences(sequences_path(self.path))
        self._register_functions(self.conn)
        self._snapshot: sqlite3.Connection | None = None
        self._snapshot_sequences: dict[str, int] = {}
        self._in_transaction = False
        if fresh:
            self.create_schema()

    @classmethod
    def open_file(
        cls,
        path: str | os.PathLike[str],
        server: Mapping[str, Any],
        registry: Registry | None = None,
        name: str | None = None,
    ) -> Database:
        """A new connection to a database file written by :meth:`save_file`.

        Each process opens its own (a sqlite3 connection never crosses a ``fork``).
        """
        if not Path(path).is_file():
            raise FileNotFoundError(f"no sandbox database file at {path}")
        db = cls(
            registry or Registry.load(),
            name or str(server.get("database", "ref")),
            path=path,
        )
        db.server = dict(server)
        return db

    def save_file(self, path: str | os.PathLike[str]) -> None:
        """Copy this database (records and sequences) to a new WAL-mode file at ``path``."""
        with self.lock:
            target = sqlite3.connect(os.fspath(path), isolation_level=None)
            try:
                self.conn.backup(target)
                target.execute("PRAGMA journal_mode = WAL").fetchall()
            finally:
                target.close()
            sequences = FileSequences(sequences_path(path))
            try:
                sequences.update(self._sequences.values())
            finally:
                sequences.close()

    # ------------------------------------------------------------------ schema

    @staticmethod
    def _register_functions(conn: sqlite3.Connection) -> None:
        conn.create_function("unaccent", 1, unaccent, deterministic=True)
        conn.create_function("ulower", 1, ulower, deterministic=True)
        # of_like, of_date_part: the functions compiled domains call (domain helper)
        from .domain import register_sql_functions

        register_sql_functions(conn)

    def create_schema(self) -> None:
        """Create every model table and relation table (idempotent)."""
        cur = self.conn.cursor()
        m2m_done: set[str] = set()
        for spec in self.registry.values():
            columns = ["id INTEGER PRIMARY KEY"]
            for f in storage_fields(spec):
                columns.append(f'"{f.name}" {SQL_TYPES.get(f.type, "")}'.rstrip())
            cur.execute(f'CREATE TABLE IF NOT EXISTS "{spec.table}" ({", ".join(columns)})')
            for f in spec.fields.values():
                if f.m2m is None or f.m2m.table in m2m_done:
                    continue
                m2m_done.add(f.m2m.table)
                a, b = sorted([f.m2m.column, f.m2m.other_column])
                cur.execute(
                    f'CREATE TABLE IF NOT EXISTS "{f.m2m.table}" ('
                    f'"{a}" INTEGER NOT NULL, "{b}" INTEGER NOT NULL, PRIMARY KEY ("{a}", "{b}")) '
                    "WITHOUT ROWID"
                )
        self._sequences.ensure(dict.fromkeys(self.registry, 1))

    def create_indexes(self) -> None:
        """Indexes on relation tables and one2many inverses (after bulk loading: faster)."""
        cur = self.conn.cursor()
        m2m_done: set[str] = set()
        for spec in self.registry.values():
            for f in spec.fields.values():
                if f.m2m is None or f.m2m.table in m2m_done:
                    continue
                m2m_done.add(f.m2m.table)
                b = max(f.m2m.column, f.m2m.other_column)
                cur.execute(
                    f'CREATE INDEX IF NOT EXISTS "{f.m2m.table}_{b}_idx" ON "{f.m2m.table}" ("{b}")'
                )
        for spec in self.registry.values():
            for f in spec.fields.values():
                # Index the inverse side of one2many fields: read and unlink walk them.
                if f.type == "one2many" and f.relation_field and f.relation in self.registry:
                    co = self.registry[str(f.relation)]
                    inverse = co.fields.get(f.relation_field)
                    if inverse is not None and inverse.column:
                        cur.execute(
                            f'CREATE INDEX IF NOT EXISTS "{co.table}_{inverse.column}_idx" '
                            f'ON "{co.table}" ("{inverse.column}")'
                        )

    # ----------------------------------------------------------------- loading

    @classmethod
    def from_dataset(
        cls,
        dataset: Mapping[str, Any],
        server: Mapping[str, Any],
        registry: Registry | None = None,
    ) -> Database:
        """A database loaded with ``dataset`` (reference format) and snapshotted."""
        db = cls(registry or Registry.load(), str(server.get("database", "ref")))
        db.load_dataset(dataset, server)
        db.snapshot()
        return db

    def load_dataset(self, dataset: Mapping[str, Any], server: Mapping[str, Any]) -> None:
        """Insert the records of ``dataset`` (Odoo read format) and set the sequences.

        many2one ``[id, name]`` -> id; ``False`` -> NULL (booleans: 0); numbers are
        stored as given (a numeric 0 stays 0: the read format cannot tell NULL from 0);
        many2many id lists fill the relation tables; one2many lists are implied by the
        inverse many2one and ignored. Models of the dataset unknown to the registry are
        skipped. ``create_uid``/``write_uid`` absent from the dataset default to
        :data:`DEFAULT_LOG_UID`.
        """
        self.server = dict(server)
        # Rows are lists without reference cycles: the cyclic GC would only rescan the
        # dataset again and again while millions of values are converted (3x slower).
        with gc_paused():
            self._load_records(dataset)

    def _load_records(self, dataset: Mapping[str, Any]) -> None:
        with self.transaction() as cr:
            for model, info in dataset.items():
                if model not in self.registry:
                    continue
                spec = self.registry[model]
                records = info.get("records") or []
                fields = storage_fields(spec)
                names = ["id"] + [f.name for f in fields]
                placeholders = ", ".join("?" for _ in names)
                quoted = ", ".join(f'"{n}"' for n in names)
                present = set(records[0]) if records else set()
                loaders = []
                for f in fields:
                    if f.name in present:
                        loaders.append((f.name, _loader(f)))
                    elif f.name in ("create_uid", "write_uid"):
                        loaders.append((f.name, _constant(DEFAULT_LOG_UID)))
                    else:
                        loaders.append((f.name, _constant(None)))
                rows = [
                    [rec["id"]] + [load(rec.get(name, False)) for name, load in loaders]
                    for rec in records
                ]
                cr.executemany(
                    f'INSERT INTO "{spec.table}" ({quoted}) VALUES ({placeholders})', rows
                )
                for f in spec.fields.values():
                    if f.m2m is None or f.name not in present:
                        continue
                    name = f.name
                    links = [
                        (rec["id"], other) for rec in records for other in (rec.get(name) or ())
                    ]
                    cr.executemany(
                        f'INSERT OR IGNORE INTO "{f.m2m.table}" '
                        f'("{f.m2m.column}", "{f.m2m.other_column}") VALUES (?, ?)',
                        links,
                    )
                if self.name == "ref":
                    self._apply_reference_nulls(cr, spec)
                max_id = max((int(r[0]) for r in rows), default=0)
                self._sequences.update({model: max(int(info.get("next_id") or 1), max_id + 1)})
            self.create_indexes()

    @staticmethod
    def _apply_reference_nulls(cr: sqlite3.Cursor, spec: ModelSpec) -> None:
        for (model, fname), ids in REFERENCE_NULLS.items():
            if model == spec.name and fname in spec.fields:
                cr.executemany(
                    f'UPDATE "{spec.table}" SET "{fname}" = NULL WHERE id = ? AND "{fname}" = 0',
                    [(i,) for i in sorted(ids)],
                )

    # --------------------------------------------------------------- sequences

    def next_id(self, model: str) -> int:
        """Consume and return the next id of ``model`` (never rolled back, like PostgreSQL)."""
        with self.lock:
            return self._sequences.next(model)

    def ensure_sequence(self, name: str, start: int) -> None:
        """Create the counter ``name`` at ``start`` unless it exists.

        For counters the dataset does not define (``ir.sequence`` codes, wizard models):
        :meth:`reset` forgets a counter created after the snapshot, so the next use
        creates it again from the restored data.
        """
        with self.lock:
            self._sequences.ensure({name: start})

    def has_sequence(self, name: str) -> bool:
        return self._sequences.has(name)

    def peek_id(self, model: str) -> int:
        """The id the next record of ``model`` will get, without consuming it."""
        return self._sequences.peek(model)

    # --------------------------------------------------------------- snapshots

    def _check_snapshots(self, operation: str) -> None:
        if self.path is not None:
            raise RuntimeError(
                f"Database.{operation}() cannot work on a database file shared by worker "
                "processes (--workers): each worker has its own connection and a restore "
                "would happen under the others' feet. Run the sandbox without --workers to "
                "snapshot and reset its data."
            )

    def snapshot(self) -> None:
        """Remember the current state; :meth:`reset` returns to it (in-memory only)."""
        self._check_snapshots("snapshot")
        with self.lock:
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            self.conn.backup(copy)
            if self._snapshot is not None:
                self._snapshot.close()
            self._snapshot = copy
            self._snapshot_sequences = self._sequences.values()

    def reset(self) -> None:
        """Restore the state of the last :meth:`snapshot` (records and sequences)."""
        self._check_snapshots("reset")
        with self.lock:
            if self._snapshot is None:
                raise RuntimeError("reset() without a snapshot")
            self._snapshot.backup(self.conn)
            sequences = MemorySequences()
            sequences.update(self._snapshot_sequences)
            self._sequences = sequences

    # ------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self, readonly: bool = False) -> Iterator[sqlite3.Cursor]:
        """One transaction (re-entrant: an inner block joins the outer one).

        Commits when the block ends normally, rolls back everything it did when it
        raises (the exception propagates). Holds :attr:`lock` for its duration.
        On a database file, ``readonly=False`` takes the write lock at once
        (``BEGIN IMMEDIATE``); a lock SQLite could not get is raised as
        :class:`SerializationFailure` after the rollback.
        """
        with self.lock:
            if self._in_transaction:
                yield self.conn.cursor()
                return
            begin = "BEGIN" if readonly or self.path is None else "BEGIN IMMEDIATE"
            self._in_transaction = True
            try:
                try:
                    self.conn.execute(begin)
                except sqlite3.OperationalError as exc:
                    if is_lock_conflict(exc):
                        raise SerializationFailure() from exc
                    raise
                try:
                    yield self.conn.cursor()
                except BaseException as exc:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    if is_lock_conflict(exc):
                        raise SerializationFailure() from exc
                    raise
                else:
                    self.conn.execute("COMMIT")
            finally:
                self._in_transaction = False

    @contextmanager
    def savepoint(self, name: str = "sp") -> Iterator[sqlite3.Cursor]:
        """A nested savepoint inside the current transaction (rolled back if the block raises)."""
        with self.lock:
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.conn.cursor()
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")

    def close(self) -> None:
        self.conn.close()
        self._sequences.close()
        if self._snapshot is not None:
            self._snapshot.close()


def storage_fields(spec: ModelSpec) -> list[FieldSpec]:
    """Fields that have a column in the model's table: stored columns and shadow columns."""
    return [f for f in spec.fields.values() if f.column is not None or f.shadow]


def _load_plain(value: Any) -> Any:
    return None if value is False else value


def _load_boolean(value: Any) -> Any:
    return None if value is None else (1 if value else 0)


def _load_many2one(value: Any) -> Any:
    if not value:
        return None
    return value[0] if isinstance(value, (list, tuple)) else value


def _load_json(value: Any) -> Any:
    return None if value is False or value is None else json.dumps(value)


def _constant(value: Any) -> Any:
    return lambda _: value


def _loader(field: FieldSpec) -> Any:
    """The fastest converter from the dataset (read format) to the column of ``field``."""
    ftype = field.type
    if ftype == "boolean":
        return _load_boolean
    if ftype == "many2one":
        return _load_many2one
    if ftype == "json":
        return _load_json
    return _load_plain


def to_column(field: FieldSpec, value: Any) -> Any:
    """A value in Odoo's read/write format -> the SQLite column value."""
    ftype = field.type
    if ftype == "boolean":
        return None if value is None else int(bool(value))
    if value is False or value is None:
        return None
    if ftype == "many2one":
        if isinstance(value, (list, tuple)):
            return int(value[0]) if value else None
        return int(value)
    if ftype == "json":
        return json.dumps(value)
    if ftype in ("integer", "many2one_reference"):
        return int(value)
    if ftype in ("float", "monetary"):
        return float(value)
    return value
