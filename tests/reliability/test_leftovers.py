"""What a killed backup, restore or queue write leaves beside the warehouse (a 57 MB
`.restoring` copy, `.partial` folders, `.tmp` queue files) is removed at the next start, and
what a backup running now in another process writes is left alone."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from repurchase.services import leftovers, visit_queue
from repurchase.warehouse import backup

from ..conftest import run_cli


def _age(path: Path, seconds: float) -> None:
    """Make `path` and everything in it look untouched for `seconds`, as after a night."""
    when = path.lstat().st_mtime - seconds
    for inner in [path, *(path.rglob("*") if path.is_dir() else [])]:
        os.utime(inner, (when, when))


def _killed(*args: str, at: str) -> None:
    done = run_cli(*args, env={"REPURCHASE_CRASH_AT": at})
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_a_killed_backup_restore_and_queue_write_leave_nothing_after_the_next_start(
    small_warehouse,
):
    wh = small_warehouse
    root = backup.backups_root(wh)
    good = backup.take(wh, reason="manual").folder
    _killed("--warehouse", str(wh.path), "backup", at="backup-staged")
    _killed("--warehouse", str(wh.path), "restore", str(good), at="restore-copied")
    queue = visit_queue.folder(wh)
    queue.mkdir()
    (queue / "abc123.tmp").write_text('{"username": "r', encoding="utf-8")  # cut off mid-write
    left = [
        *root.glob(".*.partial"),
        wh.path.with_name(f".{wh.path.name}.restoring"),
        queue / "abc123.tmp",
    ]
    assert all(p.exists() for p in left) and len(left) >= 3, left
    for path in left:
        _age(path, backup.LEFTOVER_SECONDS * 2)
    running = root / ".20990101-000000-manual.partial"  # another process's backup, under way
    running.mkdir()
    (running / backup.FILE).write_bytes(b"copying")

    # the next start of the server does this first (ui/resources.daily_lists_writer)
    removed = leftovers.clean(wh)
    assert sorted(removed) == sorted(left)
    assert not any(p.exists() for p in left)
    assert running.exists() and good.exists() and wh.path.exists()
    assert visit_queue.pending(wh) == []


def test_the_backup_command_starts_by_removing_what_a_killed_one_left(small_warehouse):
    wh = small_warehouse
    _killed("--warehouse", str(wh.path), "backup", at="backup-staged")
    (partial,) = backup.backups_root(wh).glob(".*.partial")
    _age(partial, backup.LEFTOVER_SECONDS * 2)
    done = run_cli("--warehouse", str(wh.path), "backup")
    assert done.returncode == 0, done.stderr
    assert f"removed {partial}" in done.stdout
    assert not partial.exists()
    assert len(backup.list_backups(backup.backups_root(wh))) == 1
