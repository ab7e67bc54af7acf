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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from repurchase import lock_turns
from repurchase.config import LockSettings, default_warehouse_path
from repurchase.errors import MigrationError, WarehouseLockedError

SQL_DIR = Path(__file__).parent / "sql"
MIGRATIONS_DIR = SQL_DIR / "migrations"

Cursor = duckdb.DuckDBPyConnection

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


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Migrations `NNNN_name.sql` in version order; a gap or a duplicate number is a bug."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path}: migration files are named NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(
            f"{directory}: migration versions must be 1..n without gaps, got {versions}"
        )
    return found


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
    known = {m.version: m for m in migrations}
    newer = sorted(v for v in applied if v not in known)
    if newer:
        raise MigrationError(
            f"this warehouse has schema version {max(newer)}, newer than this code knows "
            f"({max(known, default=0)}); upgrade the repurchase package before opening it"
        )
    done = []
    for migration in migrations:
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                raise MigrationError(
                    f"migration {migration.version:04d}_{migration.name} was edited after it was "
                    "applied to this warehouse; add a new migration instead of changing an old one"
                )
            continue
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


def _open_with_retry(path: Path, settings: LockSettings) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + settings.timeout_seconds
    wait = settings.first_wait_seconds
    ticket = lock_turns.Ticket(path)
    try:
        while True:
            try:
                return duckdb.connect(str(path))
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


class Warehouse:
    """A handle on one warehouse file. Cheap to create; opens the file only inside `connect()`."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        lock: LockSettings | None = None,
        migrations: list[Migration] | None = None,
    ) -> None:
        self.path = Path(path).expanduser().resolve() if path else default_warehouse_path()
        self.lock = lock or LockSettings()
        self.migrations = load_migrations() if migrations is None else migrations

    def __repr__(self) -> str:
        return f"Warehouse({str(self.path)!r})"

    def exists(self) -> bool:
        return self.path.is_file()

    @contextmanager
    def connect(self) -> Iterator[Cursor]:
        """A cursor for one unit of work. The file stays open only while some unit runs."""
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
                shared.root = _open_with_retry(self.path, self.lock)
            fingerprint = tuple(m.checksum for m in self.migrations)
            if shared.migrated_with != fingerprint:
                try:
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
        """A cursor in one transaction: committed if the block ends, rolled back if it raises."""
        with self.connect() as cur:
            cur.execute("begin transaction")
            try:
                yield cur
            except BaseException:
                cur.execute("rollback")
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
            tables = [
                row[0]
                for row in cur.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"
                ).fetchall()
            ]
            # table names come from the catalogue, not from a user
            return {
                t: int(cur.execute(f'select count(*) from "{t}"').fetchone()[0]) for t in tables
            }
