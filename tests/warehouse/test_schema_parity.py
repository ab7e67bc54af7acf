"""The PostgreSQL schema (sql/migrations_postgres) is the DuckDB schema (sql/migrations).

The app runs its SQL in DuckDB on both backends (against PostgreSQL through DuckDB's postgres
extension), so a difference that DuckDB can see is a query that works on one backend and fails
or answers differently on the other. Both folders are built from scratch here, PostgreSQL is
attached into DuckDB, and the two are compared as DuckDB sees them: the tables and views, each
one's columns in order with their types and nullability, defaults, keys, checks and sequences.
A DuckDB migration without its PostgreSQL twin (or the reverse) fails here first.
"""

from __future__ import annotations

import re
import uuid
from itertools import zip_longest
from pathlib import Path

import duckdb
import duckdb_extension_postgres_scanner
import psycopg
import pytest

from repurchase.warehouse.store import MIGRATIONS_DIR, SQL_DIR, load_migrations, migrate

POSTGRES_MIGRATIONS_DIR = SQL_DIR / "migrations_postgres"
MACROS = SQL_DIR / "macros.sql"
# PostgreSQL starts at the DuckDB schema of this version (see its 0016_baseline.sql)
POSTGRES_BASELINE = 16
POSTGRES_SCANNER = (
    Path(duckdb_extension_postgres_scanner.__file__).parent
    / "extensions"
    / f"v{duckdb.__version__}"
    / "postgres_scanner.duckdb_extension"
)

# DuckDB's json columns are text in PostgreSQL (the baseline says why), which DuckDB reads as
# VARCHAR. The app writes JSON text and reads it with json functions that take VARCHAR, so the
# two are the same column to it. Nothing else is normalised: any other difference is one
# DuckDB can see.
SAME_TYPE = {"JSON": "VARCHAR"}


# --------------------------------------------------------------------------- PostgreSQL


# --------------------------------------------------------------------------- the two schemas


def _versions(directory: Path) -> list[int]:
    return sorted(int(path.name[:4]) for path in directory.glob("*.sql"))


def _postgres_migrations() -> list[tuple[int, str]]:
    """(version, sql) of every PostgreSQL migration, in order."""
    paths = sorted(POSTGRES_MIGRATIONS_DIR.glob("*.sql"))
    return [(int(p.name[:4]), p.read_text(encoding="utf-8")) for p in paths]


@pytest.fixture(scope="module")
def duckdb_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("parity") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        migrate(con, load_migrations())
    return path


@pytest.fixture(scope="module")
def postgres_dsn(postgres_server):
    name = f"parity_{uuid.uuid4().hex[:10]}"
    dsn = postgres_server.create_database(name)
    try:
        for _, text in _postgres_migrations():
            with psycopg.connect(dsn) as con:  # one transaction per migration, as the runner
                con.execute(text)
        yield dsn
    finally:
        postgres_server.drop_database(name)


def _attach(dsn: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the PostgreSQL database attached as `pg` and in use, as the
    app's postgres backend opens it."""
    con = duckdb.connect()
    con.execute(f"load '{POSTGRES_SCANNER}'")
    quoted = dsn.replace("'", "''")  # ATTACH takes no bound parameters
    con.execute(f"attach '{quoted}' as pg (type postgres)")
    con.execute("use pg")
    return con


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> dict[str, list]:
    """table -> [(column, type, nullable), ...] in column order, as DuckDB describes them."""
    rows = con.execute(
        """
        select table_name, column_name, data_type, is_nullable
        from information_schema.columns
        where table_catalog = $catalog
            and table_schema = $schema
            and table_name <> 'schema_migrations'
        order by table_name, ordinal_position
        """,
        {"catalog": catalog, "schema": schema},
    ).fetchall()
    tables: dict[str, list] = {}
    for table, column, data_type, nullable in rows:
        tables.setdefault(table, []).append(
            (column, SAME_TYPE.get(data_type, data_type), nullable == "YES")
        )
    return tables


@pytest.fixture(scope="module")
def duckdb_schema(duckdb_file) -> dict:
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        catalog = con.execute("select current_database()").fetchone()[0]
        kinds = dict(
            con.execute(
                """
                select table_name, table_type
                from information_schema.tables
                where table_catalog = $c
                    and table_schema = 'main'
                    and table_name <> 'schema_migrations'
                """,
                {"c": catalog},
            ).fetchall()
        )
        defaults = con.execute(
            """
            select table_name, column_name, column_default
            from information_schema.columns
            where table_catalog = $c
                and table_schema = 'main'
                and column_default is not null
                and table_name <> 'schema_migrations'
            """,
            {"c": catalog},
        ).fetchall()
        constraints = con.execute(
            """
            select table_name, constraint_type, constraint_column_names, expression
            from duckdb_constraints()
            where database_name = $c
                and constraint_type in ('PRIMARY KEY', 'UNIQUE', 'CHECK')
                and table_name <> 'schema_migrations'
            """,
            {"c": catalog},
        ).fetchall()
        sequences = con.execute(
            "select sequence_name from duckdb_sequences() where database_name = $c", {"c": catalog}
        ).fetchall()
        return {
            "kinds": kinds,
            "columns": _columns(con, catalog, "main"),
            "defaults": {(t, c): _default(d) for t, c, d in defaults},
            "keys": sorted(
                (t, kind, tuple(cols)) for t, kind, cols, _ in constraints if kind != "CHECK"
            ),
            "checks": sorted(
                (t, *_check(cols, expr)) for t, kind, cols, expr in constraints if kind == "CHECK"
            ),
            "sequences": {s for (s,) in sequences},
        }


@pytest.fixture(scope="module")
def postgres_schema(postgres_dsn) -> dict:
    with _attach(postgres_dsn) as con:
        columns = _columns(con, "pg", "public")
    with psycopg.connect(postgres_dsn) as con:
        # DuckDB lists an attached view as a BASE TABLE, so the kinds come from PostgreSQL
        kinds = dict(
            con.execute(
                "select table_name, table_type from information_schema.tables "
                "where table_schema = 'public' and table_name <> 'schema_migrations'"
            ).fetchall()
        )
        # the extension does not report defaults or checks; PostgreSQL's catalogue does
        defaults = con.execute(
            "select table_name, column_name, column_default from information_schema.columns "
            "where table_schema = 'public' and column_default is not null "
            "and table_name <> 'schema_migrations'"
        ).fetchall()
        constraints = con.execute(
            """
            select
                c.conrelid::regclass::text,
                c.contype,
                array(
                    select a.attname::text
                    from unnest(c.conkey) with ordinality as k(attnum, n)
                    inner join pg_attribute as a
                        on a.attrelid = c.conrelid
                        and a.attnum = k.attnum
                    order by k.n
                ),
                pg_get_constraintdef(c.oid)
            from pg_constraint as c
            inner join pg_namespace as s
                on s.oid = c.connamespace
            where s.nspname = 'public'
                and c.contype in ('p', 'u', 'c')
                and c.conrelid::regclass::text <> 'schema_migrations'
            """
        ).fetchall()
        sequences = con.execute(
            "select sequence_name from information_schema.sequences "
            "where sequence_schema = 'public'"
        ).fetchall()
        text_collations = con.execute(
            """
            select c.table_name, c.column_name, c.collation_name
            from information_schema.columns as c
            inner join information_schema.tables as t
                on t.table_schema = c.table_schema
                and t.table_name = c.table_name
            where c.table_schema = 'public'
                and t.table_type = 'BASE TABLE'
                and c.data_type in ('character varying', 'text')
                and c.table_name <> 'schema_migrations'
            """
        ).fetchall()
    kind_names = {"p": "PRIMARY KEY", "u": "UNIQUE"}
    return {
        "kinds": kinds,
        "columns": columns,
        "defaults": {(t, c): _default(d) for t, c, d in defaults},
        "keys": sorted(
            (t, kind_names[kind], tuple(cols)) for t, kind, cols, _ in constraints if kind != "c"
        ),
        "checks": sorted((t, *_check(cols, d)) for t, kind, cols, d in constraints if kind == "c"),
        "sequences": {s for (s,) in sequences},
        "text_collations": text_collations,
    }


def _default(expression: str) -> str:
    """A column default in one spelling for both: PostgreSQL adds `::regclass` to nextval's
    argument, upper-cases CURRENT_TIMESTAMP and prints booleans bare; DuckDB casts them."""
    text = expression.replace("::regclass", "").lower()
    return {"cast('f' as boolean)": "false", "cast('t' as boolean)": "true"}.get(text, text)


_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def _check(columns: list[str], expression: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A CHECK constraint as (its columns, the strings and numbers it names). The two
    catalogues print the same check very differently (`result IN ('order', ...)` against
    `(result)::text = ANY (ARRAY['order'::character varying, ...])`), but a check that changed
    on one side only changes a column or a value: an allowed result, a bound."""
    strings = _QUOTED.findall(expression)
    numbers = _NUMBER.findall(_QUOTED.sub("", expression))
    return tuple(sorted(set(columns))), tuple(sorted(set(strings) | set(numbers)))


# --------------------------------------------------------------------------- tests


def test_both_folders_reach_the_same_version():
    duckdb_versions = _versions(MIGRATIONS_DIR)
    postgres_versions = _versions(POSTGRES_MIGRATIONS_DIR)
    assert postgres_versions[0] == POSTGRES_BASELINE, "PostgreSQL starts with 0016_baseline.sql"
    # after the baseline, one PostgreSQL migration per DuckDB one, with the same number
    assert postgres_versions == list(range(POSTGRES_BASELINE, max(duckdb_versions) + 1)), (
        f"DuckDB migrations go to {max(duckdb_versions)}, PostgreSQL's are {postgres_versions}: "
        "every schema change after 0016 needs a migration in both sql/migrations and "
        "sql/migrations_postgres, with the same number"
    )


def test_the_comparison_sees_both_schemas(duckdb_schema, postgres_schema):
    # two empty catalogues (a wrong catalog or schema name) would compare equal
    for schema in (duckdb_schema, postgres_schema):
        assert schema["kinds"]["visits"] == "BASE TABLE"
        assert schema["kinds"]["purchase_values"] == "VIEW"
        assert len(schema["columns"]["visits"]) == 16
        assert schema["defaults"] and schema["keys"] and schema["checks"] and schema["sequences"]


def test_same_tables_and_views(duckdb_schema, postgres_schema):
    assert postgres_schema["kinds"] == duckdb_schema["kinds"]


def test_same_columns_types_and_nullability(duckdb_schema, postgres_schema):
    duck, pg = duckdb_schema["columns"], postgres_schema["columns"]
    # per table, the (duckdb, postgres) columns that differ, position by position
    differing = {
        table: [
            pair
            for pair in zip_longest(duck.get(table, []), pg.get(table, []))
            if pair[0] != pair[1]
        ]
        for table in sorted(duck.keys() | pg.keys())
        if duck.get(table) != pg.get(table)
    }
    assert differing == {}


def test_same_defaults(duckdb_schema, postgres_schema):
    assert postgres_schema["defaults"] == duckdb_schema["defaults"]


def test_same_sequences(duckdb_schema, postgres_schema):
    # column defaults call nextval('<name>'), so the names are part of the schema
    assert postgres_schema["sequences"] == duckdb_schema["sequences"]


def test_same_keys(duckdb_schema, postgres_schema):
    assert postgres_schema["keys"] == duckdb_schema["keys"]


def test_same_checks(duckdb_schema, postgres_schema):
    assert postgres_schema["checks"] == duckdb_schema["checks"]


def test_postgres_text_compares_bytewise(postgres_schema):
    # DuckDB pushes string filters down as `col = 'x' COLLATE "C"`; PostgreSQL uses a key or an
    # index for them only when the column is in collation "C" (0016_baseline.sql, header)
    others = [row for row in postgres_schema["text_collations"] if row[2] != "C"]
    assert others == []


# Rows that exercise every branch of the views: a day with order records and a won visit (the
# records count), two won visits on a day (summed), an unpriced won visit (0), a lost visit.
VIEW_ROWS = """
insert into orders (customer_id, order_date, amount, source) values
    ('C1', date '2026-01-05', 100.00, 'import'),
    ('C1', date '2026-01-05', 20.50, 'import'),
    ('C2', date '2026-01-06', 0, 'import');
insert into visits (rep_id, customer_id, visited_at, method, target, purpose, result,
                    order_amount, source, entered_by) values
    ('R1', 'C1', timestamp '2026-01-05 10:00', 'phone', 'boss', 'sell', 'order', 999, 'app', 'u'),
    ('R1', 'C2', timestamp '2026-01-07 09:00', 'phone', 'boss', 'sell', 'order', null, 'app', 'u'),
    ('R1', 'C3', timestamp '2026-01-08 09:00', 'visit', 'boss', 'sell', 'order', 50, 'app', 'u'),
    ('R1', 'C3', timestamp '2026-01-08 15:00', 'visit', 'boss', 'sell', 'order', 25, 'app', 'u'),
    ('R1', 'C4', timestamp '2026-01-09 09:00', 'visit', 'boss', 'sell', 'no_order', null, 'app',
     'u');
"""


def _view_rows(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Every view's rows over VIEW_ROWS, written and read in one transaction rolled back."""
    con.execute("begin transaction")
    try:
        con.execute(VIEW_ROWS)
        return {
            view: con.execute(f"select * from {view} order by all").fetchall()
            for view in ("purchase_days", "purchase_values", "observed_until")
        }
    finally:
        con.execute("rollback")


def test_views_give_the_same_rows(duckdb_file, postgres_dsn):
    # the views were rewritten for PostgreSQL; the same rows must come out of both
    with duckdb.connect(str(duckdb_file)) as con:
        expected = _view_rows(con)
    with _attach(postgres_dsn) as con:
        assert _view_rows(con) == expected
    assert expected["purchase_values"][0][2] == 120.5  # the rows reached the views


def test_macros_run_on_both_backends(duckdb_file, postgres_dsn):
    """sql/macros.sql makes the same table macros over a DuckDB file and over PostgreSQL."""
    described = {}
    with duckdb.connect(str(duckdb_file)) as con:
        assert con.execute(
            "select count(*) from duckdb_functions() where function_name = 'list_actions_in_force'"
        ).fetchone() == (0,), "the stored macro is gone at version 16; macros.sql makes it"
        con.execute(MACROS.read_text(encoding="utf-8"))
        described["duckdb"] = con.execute(
            "describe select * from list_actions_in_force(date '2026-01-05')"
        ).fetchall()
    with _attach(postgres_dsn) as con:
        con.execute(MACROS.read_text(encoding="utf-8"))
        described["postgres"] = con.execute(
            "describe select * from list_actions_in_force(date '2026-01-05')"
        ).fetchall()
    assert described["postgres"] == described["duckdb"]
