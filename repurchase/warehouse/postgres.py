"""PostgreSQL as the system of record, reached through DuckDB (the `postgres` backend).

Why this shape (README, "Deploying for a larger team"):

* Every query, insert and update the package runs is written once, in DuckDB's dialect. With
  this backend, each process opens one in-memory DuckDB that ATTACHes the PostgreSQL database
  (DuckDB's `postgres` extension, shipped as a pip package so nothing is downloaded at run
  time) and `USE`s it, so the same SQL reads and writes PostgreSQL tables. A DuckDB
  transaction on the attached database is one PostgreSQL transaction (REPEATABLE READ): it all
  lands or none of it does, and many processes write at once without a file lock.
* The analytical SQL (features, cohorts) runs in DuckDB's engine on rows it streams from
  PostgreSQL with filters pushed down; PostgreSQL does the point reads and writes.
* The schema is PostgreSQL DDL in `sql/migrations_postgres/`, applied with psycopg under an
  advisory lock, so two app servers starting at once migrate once.
* PostgreSQL reports a broken unique key or a serialisation conflict as a generic error
  through the extension; `Cursor` turns those into the exceptions DuckDB itself raises
  (ConstraintException, TransactionException), so callers and `retry.transaction` handle both
  backends alike.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from repurchase.errors import MigrationError, WarehouseUnavailableError

ATTACHED = "wh"  # the catalog name PostgreSQL is attached under in DuckDB
POOL_CONNECTIONS = 16
# A fixed key for pg_advisory_lock: any 64-bit number no other program on the database uses.
_MIGRATION_LOCK_KEY = 0x72657075_72636861  # "repurcha"
_EXTENSION_PACKAGE = "duckdb_extension_postgres_scanner"

# Messages PostgreSQL puts in the error the extension raises, mapped to DuckDB's exceptions.
_CONFLICT_MARKERS = (
    "could not serialize access",  # SQLSTATE 40001 under REPEATABLE READ
    "deadlock detected",  # 40P01
)
_CONSTRAINT_MARKERS = (
    "violates unique constraint",  # 23505
    "violates check constraint",  # 23514
    "violates not-null constraint",  # 23502
    "violates foreign key constraint",  # 23503
)
# Messages that mean the server is gone, not that the statement was wrong: it was stopped or
# crashed (the extension's pooled connections break, a new one is refused), or it is still
# starting up or shutting down. A unit of work that meets one is retried later (the visit
# queue keeps a typed visit), as with a file another process holds.
_UNREACHABLE_MARKERS = (
    "unable to connect to postgres",
    "server closed the connection unexpectedly",
    "terminating connection due to administrator command",  # 57P01, a fast shutdown
    "the database system is shutting down",  # 57P03
    "the database system is starting up",
    "the database system is in recovery mode",
    "the database system is not yet accepting connections",
    "no connection to the server",
    "could not receive data from server",
    "could not send data to server",
    "connection refused",
    "ssl syscall error",
    "lost synchronization with server",
)


def without_password(dsn: str) -> str:
    """A connection string fit for a message or a log: any password replaced by ***."""
    masked = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", dsn, flags=re.IGNORECASE)
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", masked)


def extension_path() -> Path:
    """The DuckDB `postgres` extension file from its pip package, matching the pinned DuckDB."""
    spec = importlib.util.find_spec(_EXTENSION_PACKAGE)
    if spec is None or spec.origin is None:
        raise MigrationError(
            "the postgres backend needs the DuckDB postgres extension: "
            f"pip install duckdb-extension-postgres-scanner=={duckdb.__version__}"
        )
    path = Path(spec.origin).parent / "extensions" / f"v{duckdb.__version__}"
    found = path / "postgres_scanner.duckdb_extension"
    if not found.is_file():
        raise MigrationError(
            f"{found} is missing: the DuckDB postgres extension package does not match DuckDB "
            f"{duckdb.__version__}; install duckdb-extension-postgres-scanner=={duckdb.__version__}"
        )
    return found


def is_unreachable(exc: BaseException) -> bool:
    """Whether `exc` says the PostgreSQL server could not be reached or went away."""
    message = str(exc).lower()
    return any(marker in message for marker in _UNREACHABLE_MARKERS)


def translate(exc: duckdb.Error, dsn: str | None = None) -> Exception:
    """The exception that means what PostgreSQL said, so callers need one except clause: a
    server gone away is WarehouseUnavailableError (the package's "not now"), a conflict or a
    broken constraint the exception DuckDB itself raises for it."""
    message = str(exc)
    if is_unreachable(exc):
        return unavailable(dsn, exc)
    if any(marker in message for marker in _CONFLICT_MARKERS):
        return duckdb.TransactionException(message)
    if any(marker in message for marker in _CONSTRAINT_MARKERS):
        return duckdb.ConstraintException(message)
    return exc


class Cursor:
    """A DuckDB cursor on the attached PostgreSQL database whose errors read as DuckDB's.

    Everything else (fetchall, df, register, ...) is the DuckDB cursor's own.
    """

    def __init__(self, inner: duckdb.DuckDBPyConnection, dsn: str | None = None) -> None:
        self._inner = inner
        self._dsn = dsn

    def execute(self, query: str, parameters: Any = None) -> Cursor:
        return self._run(self._inner.execute, query, parameters)

    def executemany(self, query: str, parameters: Any = None) -> Cursor:
        return self._run(self._inner.executemany, query, parameters)

    def _run(self, method: Any, query: str, parameters: Any) -> Cursor:
        try:
            method(query, parameters)
        except duckdb.Error as exc:
            translated = translate(exc, self._dsn)
            if translated is exc:
                raise
            raise translated from exc
        return self

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._inner, name)
        if name in _FETCHES:
            return _translated(found, self._dsn)
        return found


# A result is streamed from PostgreSQL as it is fetched, so fetching can meet a server gone too.
_FETCHES = frozenset(
    {"fetchone", "fetchall", "fetchmany", "fetchdf", "fetch_df", "df", "arrow", "fetchnumpy", "pl"}
)


def _translated(method: Any, dsn: str | None) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except duckdb.Error as exc:
            translated = translate(exc, dsn)
            if translated is exc:
                raise
            raise translated from exc

    return call


@dataclass
class Attached:
    """One in-memory DuckDB per process with the PostgreSQL database attached, shared by all
    threads (each unit of work takes its own cursor)."""

    dsn: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    root: duckdb.DuckDBPyConnection | None = None
    migrated_with: tuple[str, ...] | None = None

    def open(self) -> duckdb.DuckDBPyConnection:
        if self.root is None:
            root = duckdb.connect(":memory:")
            root.execute(f"load '{extension_path()}'")
            # the DSN goes in as a bound value would not be accepted by ATTACH; it is the
            # operator's setting, never user input, and quotes in it are doubled
            escaped = self.dsn.replace("'", "''")
            # connections kept open per server process: the extension's default of 4 made a
            # server with 50 busy sessions open ~3 new PostgreSQL connections per visit saved
            # (bench/backends.py); 16 x a few servers stays within PostgreSQL's default of 100
            root.execute(f"set pg_pool_max_connections = {POOL_CONNECTIONS}")
            try:
                root.execute(f"attach '{escaped}' as {ATTACHED} (type postgres)")
            except duckdb.Error as exc:
                root.close()
                raise unavailable(self.dsn, exc) from exc
            self.root = root
        return self.root


def migrate(dsn: str, migrations: list, plan) -> list[int]:
    """Apply the PostgreSQL migrations the database lacks, each in its own transaction, under
    an advisory lock so that servers starting together migrate once. `plan(applied)` is
    warehouse.pending: the same rules as the DuckDB file (no newer, no edited migrations)."""

    done = []
    with _connected(dsn) as pg:
        pg.execute("select pg_advisory_lock(%s)", (_MIGRATION_LOCK_KEY,))
        try:
            pg.execute(
                """
                create table if not exists schema_migrations (
                    version     integer primary key,
                    name        varchar not null,
                    checksum    varchar not null,
                    applied_at  timestamp not null default current_timestamp
                )
                """
            )
            applied = dict(pg.execute("select version, checksum from schema_migrations").fetchall())
            for migration in plan(applied, migrations):
                with pg.transaction():
                    pg.execute(migration.sql)
                    pg.execute(
                        "insert into schema_migrations (version, name, checksum) "
                        "values (%s, %s, %s)",
                        (migration.version, migration.name, migration.checksum),
                    )
                done.append(migration.version)
        finally:
            pg.execute("select pg_advisory_unlock(%s)", (_MIGRATION_LOCK_KEY,))
    return done


def has_schema(dsn: str) -> bool:
    """Whether the database has been migrated at least once (the `exists()` of a file)."""
    with _connected(dsn) as pg:
        row = pg.execute("select to_regclass('schema_migrations') is not null").fetchone()
        if not row or not row[0]:
            return False
        count = pg.execute("select count(*) from schema_migrations").fetchone()
        return bool(count and count[0])


def _connected(dsn: str):
    """A psycopg connection (autocommit), or WarehouseUnavailableError saying why not."""
    import psycopg  # only the postgres backend needs it

    try:
        return psycopg.connect(dsn, autocommit=True)
    except psycopg.OperationalError as exc:
        raise unavailable(dsn, exc) from exc


def unavailable(dsn: str | None, exc: Exception) -> WarehouseUnavailableError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    where = f" ({without_password(dsn)})" if dsn else ""
    # the extension quotes the whole connection string in its message, password included:
    # it is said once, masked, before the reason
    reason = without_password(re.sub(r'Unable to connect to Postgres at "[^"]*": ', "", reason))
    return WarehouseUnavailableError(
        f"cannot reach the PostgreSQL warehouse{where}: {reason}; check "
        "REPURCHASE_POSTGRES_DSN and that the database is running"
    )
