"""Schema, migrations, thread safety and sharing the file between processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime

import duckdb
import pytest

from repurchase.config import LockSettings
from repurchase.errors import MigrationError, WarehouseLockedError
from repurchase.warehouse.store import (
    MIGRATIONS_DIR,
    Migration,
    Warehouse,
    load_migrations,
    migrate,
)

from ..conftest import REPO, run_cli, snapshot

# the warehouse, import, access and visit-logging tests run on both backends (conftest.py)
pytestmark = pytest.mark.both_backends

CONTRACT_TABLES = {"reps", "customers", "visits", "orders", "call_lists", "model_versions"}


def _tables(wh: Warehouse) -> set[str]:
    with wh.connect() as cur:
        rows = cur.execute(
            "select table_name from information_schema.tables where table_schema = current_schema()"
        ).fetchall()
    return {r[0] for r in rows}


def test_fresh_file_gets_every_migration(empty_warehouse):
    assert _tables(empty_warehouse) >= CONTRACT_TABLES | {"schema_migrations"}
    assert empty_warehouse.schema_version() == len(list(MIGRATIONS_DIR.glob("*.sql")))


@pytest.mark.file_only  # the file's own lock and handle
def test_opening_twice_changes_nothing(empty_warehouse):
    empty_warehouse.table_counts()
    before = snapshot(empty_warehouse)
    with duckdb.connect(str(empty_warehouse.path)) as con:
        assert migrate(con, load_migrations()) == []
    empty_warehouse.table_counts()
    assert snapshot(empty_warehouse) == before


def test_an_old_file_is_upgraded_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.duckdb"
    current = load_migrations()
    Warehouse(path, migrations=current).table_counts()
    with Warehouse(path, migrations=current).transaction() as cur:
        cur.execute(
            "insert into reps values ('R1', 'Li', 'F', '1999-01-01', '2025-01-01', 'junior', "
            "'T1', null, now())"
        )
    upgrade = Migration(
        len(current) + 1, "add_rep_phone", "alter table reps add column phone varchar;"
    )
    newer = Warehouse(path, migrations=[*current, upgrade])
    assert newer.schema_version() == len(current) + 1
    with newer.connect() as cur:
        assert cur.execute("select rep_id, phone from reps").fetchall() == [("R1", None)]


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path):
    path = tmp_path / "w.duckdb"
    current = load_migrations()
    Warehouse(path, migrations=current).table_counts()
    broken = Migration(
        len(current) + 1,
        "broken",
        "alter table reps add column x int; select * from no_such_table;",
    )
    with pytest.raises(duckdb.CatalogException):
        Warehouse(path, migrations=[*current, broken]).table_counts()
    with duckdb.connect(str(path)) as con:
        assert con.execute("select max(version) from schema_migrations").fetchone()[0] == len(
            current
        )
        columns = {r[0] for r in con.execute("describe reps").fetchall()}
    assert "x" not in columns


def test_an_edited_migration_is_refused(tmp_path):
    path = tmp_path / "w.duckdb"
    current = load_migrations()
    Warehouse(path, migrations=current).table_counts()
    edited = [Migration(current[0].version, current[0].name, current[0].sql + "\n-- edited")]
    with pytest.raises(MigrationError, match="edited after it was applied"):
        Warehouse(path, migrations=edited + current[1:]).table_counts()


def test_a_file_from_newer_code_is_refused(tmp_path):
    path = tmp_path / "w.duckdb"
    current = load_migrations()
    future = Migration(len(current) + 1, "future", "create table future_thing (x int);")
    Warehouse(path, migrations=[*current, future]).table_counts()
    with pytest.raises(MigrationError, match="newer than this code"):
        Warehouse(path, migrations=current).table_counts()


def test_migration_files_are_numbered_without_gaps(tmp_path):
    (tmp_path / "0001_a.sql").write_text("select 1;")
    (tmp_path / "0003_c.sql").write_text("select 1;")
    with pytest.raises(MigrationError, match="without gaps"):
        load_migrations(tmp_path)


def _insert_visit(cur, rep: str, customer: str, note: str) -> None:
    cur.execute(
        """
        insert into visits (rep_id, customer_id, visited_at, method, target, purpose, result,
                            note, source, entered_by)
        values ($rep, $customer, $at, 'phone', 'active', 'needs_discovery', 'no_order',
                $note, 'app', $rep)
        """,
        {"rep": rep, "customer": customer, "at": datetime(2026, 6, 1, 10), "note": note},
    )


def test_sixteen_threads_writing_at_once_lose_nothing(small_warehouse):
    before = small_warehouse.table_counts()["visits"]
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(40):
                with small_warehouse.transaction() as cur:
                    _insert_visit(cur, "R001", "C00001", f"thread {n} call {i}")
                    _insert_visit(cur, "R001", "C00001", f"thread {n} call {i} follow-up")
                small_warehouse.table_counts()  # reads interleaved with writes
        except BaseException as exc:  # surfaced below; a thread cannot raise into pytest
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with small_warehouse.connect() as cur:
        notes = {
            r[0] for r in cur.execute("select note from visits where source = 'app'").fetchall()
        }
        total = cur.execute("select count(*), count(distinct visit_id) from visits").fetchone()
    assert len(notes) == 16 * 40 * 2
    assert total == (before + 1280, before + 1280)


@pytest.mark.file_only  # the file's own lock and handle
def test_the_file_is_released_between_units_of_work(small_warehouse):
    small_warehouse.table_counts()
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import duckdb; duckdb.connect({str(small_warehouse.path)!r}).close()",
        ],
        capture_output=True,
        text=True,
    )
    assert probe.returncode == 0, probe.stderr


def _hold_file(path, seconds: float) -> subprocess.Popen:
    """Another process that opens the warehouse and keeps it for `seconds`."""
    script = textwrap.dedent(
        f"""
        import duckdb, sys, time
        con = duckdb.connect({str(path)!r})
        print("holding", flush=True)
        time.sleep({seconds})
        con.close()
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


@pytest.mark.file_only  # the file's own lock and handle
def test_a_caller_that_cannot_get_the_file_in_time_gets_a_clear_error(small_warehouse):
    holder = _hold_file(small_warehouse.path, 30)
    try:
        impatient = Warehouse(small_warehouse.path, lock=LockSettings(timeout_seconds=0.5))
        started = time.monotonic()
        with pytest.raises(WarehouseLockedError) as caught:
            impatient.table_counts()
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    message = str(caught.value)
    assert str(small_warehouse.path) in message
    assert f"PID {holder.pid}" in message
    assert "REPURCHASE_LOCK_TIMEOUT" in message
    assert 0.5 <= waited < 5


@pytest.mark.file_only  # the file's own lock and handle
def test_a_caller_waits_for_a_short_job_to_finish(small_warehouse):
    holder = _hold_file(small_warehouse.path, 1.0)
    try:
        patient = Warehouse(small_warehouse.path, lock=LockSettings(timeout_seconds=20))
        assert patient.table_counts()["customers"] > 0
    finally:
        holder.wait(timeout=30)


SERVER = textwrap.dedent(
    """
    # Stands in for the Streamlit server: reads and writes the warehouse in short units of work
    # until told to stop, and reports how many visits it wrote.
    import sys, time
    from datetime import datetime
    from pathlib import Path
    from repurchase.warehouse.store import Warehouse

    wh = Warehouse(sys.argv[1])
    stop = Path(sys.argv[2])
    writes = reads = 0
    while not stop.exists():
        wh.table_counts()
        reads += 1
        with wh.transaction() as cur:
            cur.execute(
                "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, "
                "result, note, source, entered_by) values ('R001', 'C00001', $at, 'phone', "
                "'active', 'needs_discovery', 'no_order', $note, 'app', 'server')",
                {"at": datetime(2026, 6, 1, 10), "note": f"server write {writes}"},
            )
        writes += 1
        time.sleep(0.005)
    print(writes, reads)
    """
)


def test_a_cli_import_runs_while_another_process_serves_reads_and_writes(
    small_warehouse, small_demo, tmp_path
):
    before = small_warehouse.table_counts()["visits"]
    visits = small_demo.visits.copy()
    visits["note"] = visits["note"] + " (re-exported)"  # new content: all rows are new visits
    path = tmp_path / "visits_extra.csv"
    visits.to_csv(path, index=False)
    stop = tmp_path / "stop"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(small_warehouse.path), str(stop)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.0)  # the server is busy before the import starts
        result = run_cli("--warehouse", str(small_warehouse.path), "import", str(path))
        time.sleep(0.5)  # and keeps serving after it
    finally:
        stop.touch()
        out, err = server.communicate(timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"visits: {len(visits)} new" in result.stdout
    assert server.returncode == 0, err
    writes, reads = (int(x) for x in out.split())
    assert writes > 10 and reads > 10
    with small_warehouse.connect() as cur:
        served = cur.execute("select count(*) from visits where entered_by = 'server'").fetchone()[
            0
        ]
        total = cur.execute("select count(*) from visits").fetchone()[0]
    assert served == writes
    assert total == before + writes + len(visits)
