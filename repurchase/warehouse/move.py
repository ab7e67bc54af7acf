"""Copy a DuckDB warehouse file into an empty PostgreSQL warehouse: the way a team that
started on one file moves to PostgreSQL without losing a visit (`python -m repurchase
move-to-postgres`), and how the tests and benches fill a PostgreSQL database.

All rows land in one PostgreSQL transaction or none do; the sequences carry on where the
file's stopped, so an id is never handed out twice. The model artefacts kept beside the file
are the model layer's: `services.move_to_postgres.move` copies the rows and then them.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from repurchase.errors import RepurchaseError
from repurchase.warehouse import postgres
from repurchase.warehouse.store import Warehouse


class MoveError(RepurchaseError):
    """The copy cannot start: the target is not empty or the schemas differ."""


@dataclass(frozen=True)
class Moved:
    tables: dict[str, int]  # rows copied per table
    sequences: dict[str, int]  # the value each sequence carries on from


def move(source: Warehouse, target: Warehouse) -> Moved:
    """Copy every table of the DuckDB file `source` into the PostgreSQL warehouse `target`
    (rows only: see services.move_to_postgres for the whole move)."""
    source_counts = _movable(source, target)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"load '{postgres.extension_path()}'")
        escaped_dsn = (target.dsn or "").replace("'", "''")
        escaped_path = str(source.path).replace("'", "''")
        con.execute(f"attach '{escaped_dsn}' as pg (type postgres)")
        con.execute(f"attach '{escaped_path}' as src (read_only)")
        sequences = dict(
            con.execute(
                "select sequence_name, last_value from duckdb_sequences() "
                "where database_name = 'src' and last_value is not null"
            ).fetchall()
        )
        copied = {}
        con.execute("begin transaction")
        try:
            for table in sorted(source_counts):
                if table == "schema_migrations":
                    continue  # each backend keeps its own record of what was applied
                columns = [
                    r[0]
                    for r in con.execute(
                        "select column_name from information_schema.columns "
                        "where table_catalog = 'src' and table_name = $t "
                        "order by ordinal_position",
                        {"t": table},
                    ).fetchall()
                ]
                names = ", ".join(f'"{c}"' for c in columns)  # from the catalogue, not a user
                if table in _SEEDED:
                    con.execute(f'delete from pg.public."{table}"')
                con.execute(
                    f'insert into pg.public."{table}" ({names}) '
                    f'select {names} from src.main."{table}"'
                )
                copied[table] = source_counts[table]
            for name, value in sequences.items():
                con.execute(
                    "select * from postgres_execute('pg', $q)",
                    {"q": f"select setval('{name}', {int(value)})"},
                )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.close()
    return Moved(copied, {k: int(v) for k, v in sequences.items()})


def _movable(source: Warehouse, target: Warehouse) -> dict[str, int]:
    """The file's row counts per table; MoveError unless it can be copied into the target."""
    if source.backend != "duckdb" or target.backend != "postgres":
        raise MoveError("move copies a DuckDB warehouse file into a PostgreSQL warehouse")
    if not source.exists():
        raise MoveError(f"no warehouse file at {source.path}")
    source_version = source.schema_version()  # also brings the file up to this code's schema
    target_version = target.schema_version()
    if source_version != target_version:
        raise MoveError(
            f"{source.path} has schema version {source_version} and {target.where} has "
            f"{target_version}; open both with this version of the package first"
        )
    source_counts = source.table_counts()
    target_counts = target.table_counts()
    filled = {
        t: n for t, n in target_counts.items() if n and t not in _SEEDED | {"schema_migrations"}
    }
    if filled:
        raise MoveError(
            f"{target.where} already holds data ({', '.join(sorted(filled))}); move into an "
            "empty database"
        )
    missing = sorted(set(source_counts) - set(target_counts))
    if missing:
        raise MoveError(f"{target.where} lacks the tables {', '.join(missing)}")
    return source_counts


# Tables a migration fills with fixed rows: replaced by the file's, never counted as data.
_SEEDED = frozenset({"job_slots", "app_settings"})
