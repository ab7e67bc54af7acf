"""Issue 10, backups: `backup` and `restore` work while the warehouse is in use, and a restore
gives back identical row counts and per-table checksums (and the model artefacts)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime

import pytest

from repurchase.config import default_models_dir
from repurchase.model import registry
from repurchase.warehouse import backup
from repurchase.warehouse.store import Warehouse

from ..conftest import REPO, run_cli, snapshot


@pytest.fixture
def served(tmp_path, _trained_warehouse_file) -> Warehouse:
    """A private copy of the small warehouse with a serving model and its artefact."""
    target = tmp_path / "served.duckdb"
    shutil.copy(_trained_warehouse_file, target)
    shutil.copytree(default_models_dir(_trained_warehouse_file), default_models_dir(target))
    return Warehouse(target)


def _change_everything(wh: Warehouse) -> None:
    with wh.transaction() as cur:
        cur.execute(
            "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, "
            "result, source, entered_by) select rep_id, customer_id, now()::timestamp, 'phone', "
            "'buyer', 'follow-up', 'order', 'app', 'test' from visits limit 5"
        )
        cur.execute("delete from orders where order_id % 3 = 0")
        cur.execute("update customers set name = name || ' (renamed)'")
        cur.execute("update model_versions set status = 'retired'")
    shutil.rmtree(default_models_dir(wh.path))


@pytest.mark.parametrize("exclusive", [True, False], ids=["file copy", "row copy"])
def test_restore_gives_identical_counts_checksums_and_models(served, exclusive):
    version = registry.serving_version(served)
    before = snapshot(served)
    taken = backup.take(served, exclusive=exclusive)
    assert taken.models == [version]
    _change_everything(served)
    assert snapshot(served) != before

    done = backup.restore(taken.folder, served)

    with served.connect() as cur:
        assert backup.table_checksums(cur) == taken.tables  # every table: rows and checksum
    assert snapshot(served) == before  # and the sequences
    assert registry.load(served, version).version == version  # the artefact is back
    # the warehouse it replaced was backed up first
    assert done.safety_backup is not None
    changed = backup.verify(done.safety_backup.folder)
    assert changed["visits"][0] == taken.tables["visits"][0] + 5


def test_a_backup_taken_while_a_thread_writes_visits_restores_consistently(served, tmp_path):
    """Each write is one visit and its audit row in one transaction; the backup must hold
    both or neither of every pair, and new visits after a restore get fresh ids."""
    stop = threading.Event()
    written = []

    def writer() -> None:
        while not stop.is_set():
            with served.transaction() as cur:
                visit = cur.execute(
                    "insert into visits (rep_id, customer_id, visited_at, method, target, "
                    "purpose, result, source, entered_by) select rep_id, customer_id, "
                    "now()::timestamp, 'phone', 'buyer', 'follow-up', 'no_order', 'app', 'w' "
                    "from visits limit 1 returning visit_id"
                ).fetchone()[0]
                cur.execute(
                    "insert into visit_audit (visit_id, action, changed_by) "
                    "values ($v, 'create', 'w')",
                    {"v": visit},
                )
            written.append(visit)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while len(written) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        taken = backup.take(served, tmp_path / "during")
        at_backup = len(written)
        while len(written) < at_backup + 20 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert len(written) >= at_backup + 20  # the writer kept going through the backup

    copy = Warehouse(tmp_path / "restored.duckdb")
    backup.restore(taken.folder, copy)
    with copy.transaction() as cur:
        pairs = cur.execute(
            "select count(*) filter (where a.visit_id is null), "
            "count(*) filter (where a.visit_id is not null) "
            "from visits v left join visit_audit a using (visit_id) where v.entered_by = 'w'"
        ).fetchone()
        orphans = cur.execute(
            "select count(*) from visit_audit where visit_id not in (select visit_id from visits)"
        ).fetchone()[0]
        assert pairs[0] == 0 and orphans == 0  # no visit without its audit row, nor the reverse
        assert 20 <= pairs[1] <= len(written)
        stored = cur.execute("select max(visit_id) from visits").fetchone()[0]
        fresh = cur.execute(
            "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, "
            "result, source, entered_by) select rep_id, customer_id, now()::timestamp, 'phone', "
            "'buyer', 'x', 'order', 'app', 'test' from visits limit 1 returning visit_id"
        ).fetchone()[0]
        assert fresh > stored
    with copy.connect() as cur:
        assert backup.table_checksums(cur)["visits"][0] == taken.tables["visits"][0] + 1


WRITER = """
import sys, time
from repurchase.warehouse.store import Warehouse
wh = Warehouse(sys.argv[1])
end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    with wh.transaction() as cur:
        cur.execute(
            "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, "
            "result, source, entered_by) select rep_id, customer_id, now()::timestamp, 'phone', "
            "'buyer', 'follow-up', 'no_order', 'app', 'other process' from visits limit 1"
        )
    n += 1
    time.sleep(0.02)
print(n)
"""


def test_backup_and_restore_commands_work_while_another_process_writes(served, tmp_path):
    """As with the app serving: another process keeps opening the file for short units of
    work; `backup` waits its turn, holds the file briefly, and nobody fails."""
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(served.path), "12"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)
        made = run_cli("--warehouse", str(served.path), "backup", "--to", str(tmp_path / "b"))
        time.sleep(1)
        put_back = run_cli("--warehouse", str(served.path), "restore", str(tmp_path / "b"))
    finally:
        out, err = writer.communicate(timeout=120)
    assert made.returncode == 0, made.stderr
    assert put_back.returncode == 0, put_back.stderr
    assert writer.returncode == 0, err
    assert int(out) > 50  # it kept writing throughout
    assert "checksums as in the backup" in put_back.stdout
    manifest = json.loads((tmp_path / "b" / backup.MANIFEST).read_text())
    backup.verify(tmp_path / "b")  # the backup matches its own manifest
    with served.connect() as cur:
        now = backup.table_checksums(cur)
    # the writer's visits after the restore are on top of exactly the backed-up ones
    kept = manifest["tables"]["visits"]["rows"]
    assert now["visits"][0] >= kept
    for table in ("reps", "customers", "orders", "model_versions", "scores", "call_lists"):
        assert list(now[table]) == [
            manifest["tables"][table]["rows"],
            manifest["tables"][table]["checksum"],
        ]


def test_a_damaged_backup_is_refused_and_the_warehouse_kept(served, tmp_path):
    taken = backup.take(served, tmp_path / "b")
    with Warehouse(tmp_path / "b" / backup.FILE).transaction() as cur:  # damage it
        cur.execute("delete from visits where visit_id % 7 = 0")
    before = snapshot(served)
    with pytest.raises(backup.BackupError, match="visits"):
        backup.restore(taken.folder, served)
    assert snapshot(served) == before
    result = run_cli("--warehouse", str(served.path), "restore", str(tmp_path / "nothing"))
    assert result.returncode == 2 and "is not a backup" in result.stderr


def test_only_the_newest_backups_are_kept(served):
    made = [backup.take(served, keep=3).folder for _ in range(5)]
    kept = backup.list_backups(backup.backups_root(served))
    assert kept == made[-3:]
    assert all(datetime.strptime(p.name[:15], "%Y%m%d-%H%M%S") for p in kept)
