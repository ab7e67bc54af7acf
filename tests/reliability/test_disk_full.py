"""A full disk is named as such, at once: not retried for a minute as if it were a conflict,
not a traceback from the command line.

The disk is made full for real where the warehouse writes: its write-ahead log is pointed at
/dev/full, which refuses every write with ENOSPC ("No space left on device"), as a full disk
does."""

from __future__ import annotations

import errno
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from repurchase.cli.main import main
from repurchase.errors import DiskFullError
from repurchase.services import visit_queue, visits
from repurchase.warehouse import backup, retry
from repurchase.warehouse.store import Warehouse

from ..conftest import REPO, run_cli
from .conftest import signed_in
from .test_visits_saving import NOW, _rep_and_customer, _visit

FULL = "No space left on device"


@contextmanager
def disk_full(wh: Warehouse):
    """Every write to the warehouse fails as on a full disk until the block ends."""
    wal = wh.path.with_name(wh.path.name + ".wal")
    with wh.connect() as cur:
        cur.execute("checkpoint")  # nothing waiting in the log
    wal.unlink(missing_ok=True)
    os.symlink("/dev/full", wal)
    try:
        yield
    finally:
        wal.unlink(missing_ok=True)


def test_a_visit_saved_on_a_full_disk_is_refused_at_once_naming_the_disk(small_warehouse):
    """It used to be retried for 60 s as a conflict, then called "gave up after conflicts"."""
    rep, customer = _rep_and_customer(small_warehouse)
    entry = visits.with_submission_key(_visit(customer, "on a full disk"), rep)
    started = time.monotonic()
    with disk_full(small_warehouse), pytest.raises(DiskFullError, match=FULL):
        visit_queue.save(small_warehouse, rep, entry, NOW)
    assert time.monotonic() - started < retry.GIVE_UP_SECONDS / 4
    assert visit_queue.pending(small_warehouse) == []
    # with space again, the same entry is stored
    visit_queue.save(small_warehouse, rep, entry, NOW)
    with small_warehouse.connect() as cur:
        stored = cur.execute("select count(*) from visits where note = 'on a full disk'")
        assert stored.fetchone()[0] == 1


def test_the_log_page_says_the_disk_is_full_and_keeps_what_was_typed(app_warehouse):
    at = signed_in("rep")
    at.switch_page("pages/log_visit.py").run()
    at.text_area(key="log.note").input("typed on a full disk")
    with disk_full(app_warehouse):
        at.button(key="log.save_button").click().run()
    assert not at.exception
    assert any("disk that holds the data is full" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert not any("conflicts" in e.value for e in at.error)
    assert at.text_area(key="log.note").value == "typed on a full disk"


def test_the_cli_import_names_a_full_disk_without_a_traceback(small_warehouse):
    data = REPO / "tests" / "data"
    files = [str(data / f"golden_{k}.csv") for k in ("reps", "customers", "visits", "orders")]
    with disk_full(small_warehouse):
        done = run_cli("--warehouse", str(small_warehouse.path), "import", *files)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert FULL in done.stderr and "disk holding" in done.stderr


def test_the_cli_backup_names_a_full_disk_and_leaves_no_partial_folder(
    small_warehouse, tmp_path, monkeypatch, capsys
):
    """The backup's copy is refused by the OS as a full disk refuses it (ENOSPC)."""
    real = shutil.copyfile

    def full(source, target, *args, **kwargs):
        if Path(target).parent.name.endswith(".partial"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(backup.shutil, "copyfile", full)
    target = tmp_path / "backups" / "today"
    code = main(["--warehouse", str(small_warehouse.path), "backup", "--to", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert FULL in err and "disk holding" in err
    assert list((tmp_path / "backups").iterdir()) == []
