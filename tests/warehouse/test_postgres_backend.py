"""The postgres backend itself: the setting, migrations, errors that read as DuckDB's, ids from
sequences, many writers at once, and moving a file's warehouse into PostgreSQL.

The product's own behaviour on PostgreSQL (import, access, visit logging) is tested by running
those modules on both backends (conftest.py, `both_backends`).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime

import duckdb
import psycopg
import pytest

from repurchase.services import move_to_postgres
from repurchase.warehouse import retry
from repurchase.warehouse.store import POSTGRES_MIGRATIONS_DIR, Warehouse, load_migrations, next_id

from ..conftest import REPO, run_cli, snapshot

pytestmark = pytest.mark.both_backends


def _insert_visit(cur, visit_id: int, note: str) -> None:
    cur.execute(
        "insert into visits (visit_id, rep_id, customer_id, visited_at, method, target, "
        "purpose, result, note, source, entered_by, entered_at) values ($id, 'R001', 'C00001', "
        "$at, 'phone', 'active', 'sell', 'no_order', $note, 'app', 'test', $at)",
        {"id": visit_id, "at": datetime(2026, 6, 30, 10), "note": note},
    )


# --------------------------------------------------------------------------- the setting


def test_a_wrong_backend_setting_names_the_variable_and_the_choices(monkeypatch):
    monkeypatch.setenv("REPURCHASE_BACKEND", "postgress")
    with pytest.raises(ValueError, match=r"REPURCHASE_BACKEND='postgress'.*duckdb, postgres"):
        Warehouse()
    monkeypatch.setenv("REPURCHASE_BACKEND", "postgres")
    monkeypatch.delenv("REPURCHASE_POSTGRES_DSN", raising=False)
    with pytest.raises(ValueError, match="REPURCHASE_POSTGRES_DSN"):
        Warehouse()
    done = run_cli("stats", env={"REPURCHASE_BACKEND": "postgres", "REPURCHASE_POSTGRES_DSN": ""})
    assert done.returncode == 2
    assert "REPURCHASE_POSTGRES_DSN" in done.stderr
    assert "Traceback" not in done.stderr


def test_messages_never_show_the_database_password(tmp_path):
    keyword = Warehouse(tmp_path / "a", dsn="host=db user=app password=s3cret dbname=r")
    url = Warehouse(tmp_path / "b", dsn="postgresql://app:s3cret@db:5432/r")
    assert "s3cret" not in keyword.where and "s3cret" not in repr(keyword)
    assert "s3cret" not in url.where and "db:5432/r" in url.where


# --------------------------------------------------------------------------- migrations


def test_the_postgres_schema_starts_at_its_baseline_and_opening_again_changes_nothing(
    postgres_server, tmp_path
):
    versions = [m.version for m in load_migrations(POSTGRES_MIGRATIONS_DIR, first=None)]
    wh = Warehouse(tmp_path / "a", dsn=postgres_server.create_database("baseline"))
    assert wh.schema_version() == versions[-1]
    before = snapshot(wh)
    wh.close()  # a new process's first open migrates again: nothing to do
    assert Warehouse(tmp_path / "a", dsn=wh.dsn).schema_version() == versions[-1]
    assert snapshot(wh) == before
    wh.close()
    postgres_server.drop_database("baseline")


def test_servers_starting_together_migrate_once(postgres_server, tmp_path):
    dsn = postgres_server.create_database("migrate_race")
    script = (
        "import sys; from repurchase.warehouse.store import Warehouse; "
        "print(Warehouse(sys.argv[1], dsn=sys.argv[2]).schema_version())"
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path / f"s{i}"), dsn],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    results = [c.communicate(timeout=120) for c in children]
    assert [c.returncode for c in children] == [0] * 4, [err for _, err in results]
    with psycopg.connect(dsn) as pg:
        rows = pg.execute("select version, count(*) from schema_migrations group by 1").fetchall()
    assert rows and all(n == 1 for _, n in rows)
    assert {out.strip() for out, _ in results} == {str(max(v for v, _ in rows))}
    postgres_server.drop_database("migrate_race")


# --------------------------------------------------------------------------- writes


def test_a_broken_key_reads_as_a_constraint_error_and_nothing_of_the_transaction_lands(
    small_warehouse,
):
    before = small_warehouse.table_counts()["visits"]
    with small_warehouse.connect() as cur:
        taken = cur.execute("select max(visit_id) from visits").fetchone()[0]
    with pytest.raises(duckdb.ConstraintException):
        with small_warehouse.transaction() as cur:
            _insert_visit(cur, taken + 1000, "lands only with the next one")
            _insert_visit(cur, taken, "an id already taken")
    assert small_warehouse.table_counts()["visits"] == before


def test_ids_from_a_sequence_are_new_and_never_repeat(small_warehouse):
    """Rows inserted with next_id, from threads that each open and close the warehouse, get
    ids nobody had. (A DuckDB file forgets a number taken by a transaction that wrote
    nothing, which is why next_id is only ever called by a transaction that inserts.)"""
    with small_warehouse.connect() as cur:
        highest = cur.execute("select max(visit_id) from visits").fetchone()[0]
    seen: list[int] = []
    lock = threading.Lock()

    def take(n: int) -> None:
        for i in range(25):
            with small_warehouse.transaction() as cur:
                value = next_id(cur, "visit_id_seq")
                _insert_visit(cur, value, f"ids {n} {i}")
            with lock:
                seen.append(value)

    threads = [threading.Thread(target=take, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 100
    assert min(seen) > highest


def test_two_sessions_changing_one_row_at_once_both_land_through_retry(small_warehouse):
    """PostgreSQL refuses the second of two concurrent updates of a row (REPEATABLE READ); it
    must read as DuckDB's conflict so that retry.transaction runs it again, as on the file."""
    with small_warehouse.transaction() as cur:
        cur.execute("delete from app_settings where key = 'counter'")
        cur.execute("insert into app_settings (key, value) values ('counter', '0')")

    def bump(cur) -> None:
        row = cur.execute("select value from app_settings where key = 'counter'").fetchone()
        value = int(row[0])
        cur.execute(
            "update app_settings set value = $v where key = 'counter'", {"v": str(value + 1)}
        )

    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(10):
                retry.transaction(small_warehouse, bump)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with small_warehouse.connect() as cur:
        value = cur.execute("select value from app_settings where key = 'counter'").fetchone()[0]
    assert value == "80"  # no increment lost


# --------------------------------------------------------------------------- moving a file in


def test_moving_a_file_into_postgres_copies_every_row_and_the_ids_carry_on(
    postgres_server, tmp_path, _small_warehouse_file
):
    import shutil

    source = Warehouse(shutil.copy(_small_warehouse_file, tmp_path / "s.duckdb"), backend="duckdb")
    target = Warehouse(tmp_path / "t.duckdb", dsn=postgres_server.create_database("moved"))
    done = move_to_postgres.move(source, target)
    assert done.tables["visits"] == source.table_counts()["visits"] > 0
    theirs, ours = snapshot(target), snapshot(source)
    for table in ("reps", "customers", "visits", "orders", "call_lists", "users", "scores"):
        assert theirs[table] == ours[table], table
    with source.connect() as cur:
        highest = cur.execute("select max(visit_id) from visits").fetchone()[0]
    with target.connect() as cur:
        assert next_id(cur, "visit_id_seq") > highest
    # a second move into the now-filled database is refused and changes nothing
    before = snapshot(target)
    with pytest.raises(move_to_postgres.MoveError, match="already holds data"):
        move_to_postgres.move(source, target)
    assert snapshot(target) == before
    target.close()
    postgres_server.drop_database("moved")


def test_the_move_command_says_what_it_copied(postgres_server, tmp_path, _small_warehouse_file):
    import shutil

    path = shutil.copy(_small_warehouse_file, tmp_path / "s.duckdb")
    dsn = postgres_server.create_database("moved_cli")
    done = run_cli("--warehouse", str(path), "move-to-postgres", "--dsn", dsn)
    assert done.returncode == 0, done.stderr
    assert "copied" in done.stdout and "REPURCHASE_BACKEND=postgres" in done.stdout
    again = run_cli("--warehouse", str(path), "move-to-postgres", "--dsn", dsn)
    assert again.returncode == 2 and "already holds data" in again.stderr
    postgres_server.drop_database("moved_cli")


# --------------------------------------------------------------------------- model artefacts


def test_a_version_trained_on_one_server_is_served_by_another_without_its_file(
    trained_warehouse, tmp_path, monkeypatch
):
    """Two servers share the warehouse but not a models folder: the second copies the serving
    version's artefact from the warehouse on first use, checked by its SHA-256."""
    from repurchase.model import registry

    version = registry.serving_version(trained_warehouse)
    with trained_warehouse.connect() as cur:
        stored = cur.execute(
            "select octet_length(artefact), sha256 from model_artefacts where version = $v",
            {"v": version},
        ).fetchone()
    assert stored is not None and stored[0] > 10_000
    here = registry.load(trained_warehouse)
    # the other server: its own models folder, and the trainer's folder is not there
    monkeypatch.setenv("REPURCHASE_MODELS_DIR", str(tmp_path / "server2-models"))
    with trained_warehouse.transaction() as cur:
        cur.execute("update model_versions set artefact_path = '/nowhere/on/this/server'")
    there = registry.load(trained_warehouse)
    assert there.version == here.version == version
    assert (tmp_path / "server2-models" / version / registry.ARTEFACT).is_file()
    # a damaged copy is refused by name, not served
    (tmp_path / "server2-models" / version / registry.ARTEFACT).unlink()
    with trained_warehouse.transaction() as cur:
        cur.execute("update model_artefacts set sha256 = 'x' where version = $v", {"v": version})
    with pytest.raises(registry.ModelArtefactError, match="damaged"):
        registry.load(trained_warehouse)
