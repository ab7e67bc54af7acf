"""The only module that talks to DuckDB: open the file, migrate it, run named queries, write.

Concurrency model (see README, "Sharing the warehouse file"):

* DuckDB locks the file for the whole process that opens it, so no process holds it for longer
  than a unit of work. Inside a process, all threads share one open database while at least one
  of them is working (a reference count), each with its own cursor, because a DuckDB connection
  is not thread-safe. When the last unit of work ends, the file is closed and another process (a
  CLI import, the nightly retrain) can take it.
* Opening retries with back-off while another process holds the file, up to
  `LockSettings.timeout_seconds`, then raises `WarehouseLockedError` naming the file and holder.
* Turns are fair between processes (lock_turns.py): a process that waits for the file leaves a
  ticket beside it, and a process that sees another's ticket starts no new unit of work until
  the waiter has had the file (at most `LockSettings.yield_seconds`), so a busy server cannot
  starve a job and a job cannot starve the server.
* Every multi-row write goes through `transaction()`: all of it lands or none of it does.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from repurchase.config import (
    LockSettings,
    backend_setting,
    default_warehouse_path,
    read_only_setting,
)
from repurchase.errors import (
    DiskFullError,
    MigrationError,
    RepurchaseError,
    WarehouseLockedError,
    disk_full,
    is_disk_full,
)
from repurchase.warehouse import lock_turns, postgres

SQL_DIR = Path(__file__).parent / "sql"
MIGRATIONS_DIR = SQL_DIR / "migrations"
POSTGRES_MIGRATIONS_DIR = SQL_DIR / "migrations_postgres"
# DuckDB macros are not stored in PostgreSQL, so both backends create them on every cursor
MACROS_FILE = SQL_DIR / "macros.sql"

Cursor = duckdb.DuckDBPyConnection  # or postgres.Cursor, which behaves as one

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.*?)(?:\. See also|$)", re.DOTALL)


# --------------------------------------------------------------------------- migrations


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        normalised = self.sql.replace("\r\n", "\n").strip()
        return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def load_migrations(directory: Path = MIGRATIONS_DIR, first: int | None = 1) -> list[Migration]:
    """Migrations `NNNN_name.sql` in version order; a gap or a duplicate number is a bug.

    `first` is the version the folder must start at; None lets it start at its baseline (the
    PostgreSQL folder starts at the schema the DuckDB file had when PostgreSQL came).
    """
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path}: migration files are named NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    start = first if first is not None else (versions[0] if versions else 1)
    if versions != list(range(start, start + len(found))):
        raise MigrationError(
            f"{directory}: migration versions must be {start}..n without gaps, got {versions}"
        )
    return found


def pending(applied: dict[int, str], migrations: list[Migration]) -> list[Migration]:
    """The migrations a warehouse lacks, given the versions and checksums it has applied.

    Refuses a warehouse newer than this code, and a migration edited after it was applied:
    the same rules on both backends.
    """
    known = {m.version: m for m in migrations}
    newer = sorted(v for v in applied if v not in known)
    if newer:
        raise MigrationError(
            f"this warehouse has schema version {max(newer)}, newer than this code knows "
            f"({max(known, default=0)}); upgrade the repurchase package before opening it"
        )
    todo = []
    for migration in migrations:
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                raise MigrationError(
                    f"migration {migration.version:04d}_{migration.name} was edited after it was "
                    "applied to this warehouse; add a new migration instead of changing an old one"
                )
            continue
        todo.append(migration)
    return todo


def migrate(cur: Cursor, migrations: list[Migration]) -> list[int]:
    """Apply the migrations this file lacks, each in its own transaction; return their versions.

    Idempotent: applied versions are recorded in `schema_migrations` with a checksum, so opening
    a file twice changes nothing, and a migration edited after it shipped is caught, not re-run.
    """
    cur.execute(
        """
        create table if not exists schema_migrations (
            version     integer primary key,
            name        varchar not null,
            checksum    varchar not null,
            applied_at  timestamp not null default current_timestamp
        )
        """
    )
    applied = dict(cur.execute("select version, checksum from schema_migrations").fetchall())
    done = []
    for migration in pending(applied, migrations):
        cur.execute("begin transaction")
        try:
            cur.execute(migration.sql)
            cur.execute(
                "insert into schema_migrations (version, name, checksum) values ($v, $n, $c)",
                {"v": migration.version, "n": migration.name, "c": migration.checksum},
            )
            cur.execute("commit")
        except Exception:
            cur.execute("rollback")
            raise
        done.append(migration.version)
    return done


def _require_migrated(cur: Cursor, migrations: list[Migration], path: Path) -> None:
    """A file opened read-only cannot be migrated: it must already be at this version."""
    applied = dict(cur.execute("select version, checksum from schema_migrations").fetchall())
    if pending(applied, migrations):
        raise RepurchaseError(
            f"the warehouse {path} is opened read-only but lacks migrations of this version; "
            "open it once for writing (unset REPURCHASE_READ_ONLY)"
        )


# --------------------------------------------------------------------------- named queries


@cache
def sql(name: str) -> str:
    """The text of `sql/<name>.sql`. Names are code, never user input."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"query name {name!r} is not a plain identifier")
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no query file {path}")
    return path.read_text(encoding="utf-8")


def next_id(cur: Cursor, sequence: str) -> int:
    """Take the next number of `sequence` for a row about to be inserted.

    Instead of `insert ... returning id`, which DuckDB cannot run on an attached PostgreSQL
    table: the caller inserts the row with this id, in the same transaction. (A DuckDB file
    keeps a number only when the transaction that took it writes, so a number taken by a
    transaction that only read may be handed out again; a committed row's never is.)
    Sequence names are code, never input.
    """
    if not re.fullmatch(r"[a-z0-9_]+", sequence):
        raise ValueError(f"sequence name {sequence!r} is not a plain identifier")
    if isinstance(cur, postgres.Cursor):
        inner = f"select nextval(''{sequence}'')"
        query = f"select * from postgres_query('{postgres.ATTACHED}', '{inner}')"
    else:
        query = f"select nextval('{sequence}')"
    return int(cur.execute(query).fetchone()[0])


def changed_rows(cur: Cursor) -> int:
    """How many rows the insert, update or delete just run on `cur` changed (both backends
    return the count as the statement's one row)."""
    row = cur.fetchone()
    return int(row[0]) if row else 0


# --------------------------------------------------------------------------- the shared file


@dataclass
class _SharedDatabase:
    """One open DuckDB database per file per process, alive while any unit of work runs."""

    path: Path
    pid: int = field(default_factory=os.getpid)
    lock: threading.Lock = field(default_factory=threading.Lock)
    root: duckdb.DuckDBPyConnection | None = None
    users: int = 0
    migrated_with: tuple[str, ...] | None = None


_registry: dict[Path, _SharedDatabase] = {}
_registry_lock = threading.Lock()


def _shared(path: Path) -> _SharedDatabase:
    with _registry_lock:
        entry = _registry.get(path)
        if entry is None or entry.pid != os.getpid():  # a forked child must not reuse a handle
            entry = _registry[path] = _SharedDatabase(path)
        return entry


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return "Could not set lock on file" in str(exc)


def _open_with_retry(
    path: Path, settings: LockSettings, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + settings.timeout_seconds
    wait = settings.first_wait_seconds
    ticket = lock_turns.Ticket(path)
    try:
        while True:
            try:
                return duckdb.connect(str(path), read_only=read_only)
            except duckdb.IOException as exc:
                if not _is_lock_conflict(exc):
                    raise
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    holder = _LOCK_HOLDER.search(str(exc))
                    who = f" (held by {holder[1].strip()})" if holder else ""
                    raise WarehouseLockedError(
                        f"the warehouse {path} is in use by another process{who} and did not "
                        f"become free within {settings.timeout_seconds:g} s; wait for that job "
                        "(an import or a retrain) to finish and try again, or raise "
                        "REPURCHASE_LOCK_TIMEOUT"
                    ) from exc
                if settings.fair:
                    ticket.post()  # the holder stops starting new units until we have had a turn
                time.sleep(min(remaining, wait * random.uniform(0.5, 1.0)))  # noqa: S311 (jitter)
                wait = min(wait * 2, settings.max_wait_seconds)
    finally:
        ticket.remove()


_depth = threading.local()  # units of work this thread has open, per file (nested units)


def _thread_depth() -> dict[Path, int]:
    if not hasattr(_depth, "units"):
        _depth.units = {}
    return _depth.units


@cache
def _macros() -> str:
    return MACROS_FILE.read_text(encoding="utf-8")


_attached: dict[tuple[str, int], postgres.Attached] = {}


def _attached_for(dsn: str) -> postgres.Attached:
    with _registry_lock:
        key = (dsn, os.getpid())  # a forked child must not reuse a handle
        if key not in _attached:
            _attached[key] = postgres.Attached(dsn)
        return _attached[key]


_fences = threading.local()


@contextmanager
def fenced(check: Callable[[Cursor], None]) -> Iterator[None]:
    """Every transaction this thread opens in the block runs `check(cur)` first, inside it: a
    job passes a check that its own row still says it may write, so whoever closed the job
    (in a transaction of their own) knows that none of its writes can land after theirs."""
    outer = getattr(_fences, "check", None)
    _fences.check = check
    try:
        yield
    finally:
        _fences.check = outer


class Warehouse:
    """A handle on one warehouse. Cheap to create; opens it only inside `connect()`.

    The backend is a setting (config.backend_setting): a local DuckDB file at `path` (the
    default), or a PostgreSQL database (`dsn`). With PostgreSQL, `path` still names where this
    server keeps its side files (model artefacts, job logs), as with a file.
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        dsn: str | None = None,
        backend: str | None = None,
        lock: LockSettings | None = None,
        migrations: list[Migration] | None = None,
        read_only: bool | None = None,
    ) -> None:
        self.path = Path(path).expanduser().resolve() if path else default_warehouse_path()
        # a file opened only for reading: every write fails (PostgreSQL ignores it)
        self.read_only = read_only_setting() if read_only is None else read_only
        if dsn is None and backend != "duckdb":
            _, dsn = backend_setting()
            if backend == "postgres" and dsn is None:
                raise ValueError("backend='postgres' needs a dsn")
        self.dsn = dsn
        self.backend = "postgres" if dsn else "duckdb"
        self.lock = lock or LockSettings()
        # the macros read the package's tables, so a warehouse built from other migrations
        # (a test's) has none
        self._macros = migrations is None
        if migrations is not None:
            self.migrations = migrations
        elif self.dsn:
            self.migrations = load_migrations(POSTGRES_MIGRATIONS_DIR, first=None)
        else:
            self.migrations = load_migrations()

    def __repr__(self) -> str:
        if self.dsn:
            return f"Warehouse(postgres, {self.where})"
        return f"Warehouse({str(self.path)!r})"

    @property
    def where(self) -> str:
        """Where the data is, for messages: the file, or the PostgreSQL database (no password)."""
        if not self.dsn:
            return str(self.path)
        return postgres.without_password(self.dsn)

    def environment(self) -> dict[str, str]:
        """The settings a child process (a job's worker) needs to open this same warehouse,
        whatever this process's own environment says."""
        if self.dsn:
            return {"REPURCHASE_BACKEND": "postgres", "REPURCHASE_POSTGRES_DSN": self.dsn}
        return {"REPURCHASE_BACKEND": "duckdb"}

    def close(self) -> None:
        """Let go of this process's connections to a PostgreSQL warehouse (a file is closed
        after every unit of work anyway): for tests and tools that drop the database."""
        if not self.dsn:
            return
        with _registry_lock:
            attached = _attached.pop((self.dsn, os.getpid()), None)
        if attached is not None and attached.root is not None:
            with attached.lock:
                attached.root.close()
                attached.root = None

    def exists(self) -> bool:
        if self.dsn:
            return postgres.has_schema(self.dsn)
        return self.path.is_file()

    @contextmanager
    def connect(self) -> Iterator[Cursor]:
        """A cursor for one unit of work. A file stays open only while some unit runs.
        A full disk raises DiskFullError, which nothing retries."""
        try:
            if self.dsn:
                with self._connect_postgres() as cursor:
                    yield cursor
                return
            with self._connect_file() as cursor:
                yield cursor
        except DiskFullError:
            raise
        except Exception as exc:
            if is_disk_full(exc):
                raise disk_full(self.where) from exc
            raise

    @contextmanager
    def _connect_postgres(self) -> Iterator[Cursor]:
        attached = _attached_for(self.dsn)
        fingerprint = tuple(m.checksum for m in self.migrations)
        with attached.lock:
            if attached.migrated_with != fingerprint:
                postgres.migrate(self.dsn, self.migrations, pending)
                attached.migrated_with = fingerprint
            root = attached.open()
            inner = root.cursor()
        cursor = postgres.Cursor(inner, self.dsn)
        try:
            cursor.execute(f"use {postgres.ATTACHED}")
            if self._macros:
                cursor.execute(_macros())
            yield cursor
        finally:
            inner.close()

    @contextmanager
    def _connect_file(self) -> Iterator[Cursor]:
        shared = _shared(self.path)
        depth = _thread_depth()
        nested = depth.get(self.path, 0) > 0
        if self.lock.fair and not nested:
            # a unit nested in one this thread already runs must not wait: the waiter cannot
            # get the file before the outer unit ends anyway
            lock_turns.wait_for_turn(self.path, self.lock.yield_seconds)
        if not shared.lock.acquire(timeout=self.lock.timeout_seconds):
            raise WarehouseLockedError(
                f"the warehouse {self.path} was busy in this process for more than "
                f"{self.lock.timeout_seconds:g} s"
            )
        try:
            if shared.root is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                shared.root = _open_with_retry(self.path, self.lock, self.read_only)
            fingerprint = tuple(m.checksum for m in self.migrations)
            if shared.migrated_with != fingerprint:
                try:
                    if self.read_only:
                        _require_migrated(shared.root, self.migrations, self.path)
                    else:
                        migrate(shared.root, self.migrations)
                except Exception:
                    if shared.users == 0:
                        shared.root.close()
                        shared.root = None
                    raise
                shared.migrated_with = fingerprint
            shared.users += 1
            cursor = shared.root.cursor()
        finally:
            shared.lock.release()
        depth[self.path] = depth.get(self.path, 0) + 1
        try:
            if self._macros:
                cursor.execute(_macros())
            yield cursor
        finally:
            depth[self.path] -= 1
            cursor.close()
            with shared.lock:
                shared.users -= 1
                if shared.users == 0 and shared.root is not None:
                    shared.root.close()
                    shared.root = None
                    shared.migrated_with = None

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """A cursor in one transaction: committed if the block ends, rolled back if it raises.
        Inside `fenced(check)`, `check(cur)` runs first and what it raises refuses the write."""
        with self.connect() as cur:
            cur.execute("begin transaction")
            try:
                check = getattr(_fences, "check", None)
                if check is not None:
                    check(cur)
                yield cur
            except BaseException as failed:
                try:
                    cur.execute("rollback")
                except Exception as rollback_failed:
                    # a PostgreSQL server gone away cannot roll back either (it has, by ending
                    # the connection); what went wrong first is what the caller must see
                    raise failed from rollback_failed
                raise
            cur.execute("commit")

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run `sql/<name>.sql` with bound parameters and return the rows as a DataFrame."""
        with self.connect() as cur:
            return cur.execute(sql(name), params or None).df()

    def schema_version(self) -> int:
        with self.connect() as cur:
            return int(
                cur.execute("select coalesce(max(version), 0) from schema_migrations").fetchone()[0]
            )

    def table_counts(self) -> dict[str, int]:
        """Row count of every base table, for `stats` and for tests that prove nothing changed."""
        with self.connect() as cur:
            # table names come from the catalogue, not from a user
            return {
                t: int(cur.execute(f'select count(*) from "{t}"').fetchone()[0])
                for t in base_tables(cur)
            }


def base_tables(cur: Cursor) -> list[str]:
    """The names of the warehouse's tables (not its views), on either backend."""
    catalogue = (
        "select table_name from information_schema.tables "
        "where table_schema = current_schema() and table_type = 'BASE TABLE' "
        "order by table_name"
    )
    if isinstance(cur, postgres.Cursor):
        # DuckDB lists PostgreSQL's views as tables; PostgreSQL's own catalogue tells them apart
        quoted = catalogue.replace("'", "''")
        catalogue = f"select * from postgres_query('{postgres.ATTACHED}', '{quoted}')"
    return [row[0] for row in cur.execute(catalogue).fetchall()]
