"""Issue 10, blocker 11: a busy app must not starve the jobs, nor a waiting job the app.

Eight threads in this process hammer the warehouse with short reads and writes (like eight
busy browser sessions, with no pause between units) while another process runs `stats` and a
small import. Before fair turns, the threads kept the file open all the time and `stats` failed
with the lock timeout."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime

from repurchase.config import LockSettings
from repurchase.warehouse import lock_turns
from repurchase.warehouse.store import Warehouse

from ..conftest import REPO, run_cli

CHILD_TIMEOUT = "10"  # seconds the child waits for the file before it gives up


def _hammer(wh: Warehouse, stop: threading.Event, errors: list, done: list, n: int) -> None:
    i = 0
    try:
        while not stop.is_set():
            if i % 2:
                with wh.transaction() as cur:
                    cur.execute(
                        """
                        insert into visits (rep_id, customer_id, visited_at, method, target,
                                            purpose, result, note, source, entered_by)
                        values ('R001', 'C00001', $at, 'phone', 'active', 'needs_discovery',
                                'no_order', $note, 'app', 'R001')
                        """,
                        {"at": datetime(2026, 6, 1, 10), "note": f"hammer {n}-{i}"},
                    )
            else:
                with wh.connect() as cur:
                    cur.execute("select count(*) from visits where rep_id = 'R001'").fetchone()
            i += 1
    except BaseException as exc:  # surfaced by the test: a thread cannot raise into pytest
        errors.append(exc)
    done.append(i)


def test_stats_and_an_import_get_their_turn_while_eight_threads_hammer(small_warehouse, tmp_path):
    reps = tmp_path / "reps_new.csv"
    reps.write_text(
        "rep_id,name,gender,birth_date,hire_date,level,team\n"
        "R901,Fair Turn,F,1990-01-01,2026-01-05,junior,T01\n",
        encoding="utf-8",
    )
    small_warehouse.table_counts()  # migrate before the race starts
    stop, errors, done = threading.Event(), [], []
    threads = [
        threading.Thread(target=_hammer, args=(small_warehouse, stop, errors, done, n))
        for n in range(8)
    ]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)  # the threads are busy before the jobs ask for the file
        env = {"REPURCHASE_LOCK_TIMEOUT": CHILD_TIMEOUT}
        stats = run_cli("--warehouse", str(small_warehouse.path), "stats", env=env, timeout=120)
        imported = run_cli(
            "--warehouse", str(small_warehouse.path), "import", str(reps), env=env, timeout=120
        )
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert stats.returncode == 0, stats.stderr
    assert "visit success rate" in stats.stdout
    assert imported.returncode == 0, imported.stderr
    assert errors == []  # the app's threads were not starved either
    assert sum(done) > 100  # and they really were busy all along
    with small_warehouse.connect() as cur:
        assert cur.execute("select name from reps where rep_id = 'R901'").fetchone() == (
            "Fair Turn",
        )
        hammered = cur.execute("select count(*) from visits where note like 'hammer %'").fetchone()
    assert hammered[0] == sum(n // 2 for n in done)  # every write the threads made landed


def test_a_waiter_that_never_gets_in_does_not_stall_the_holder(small_warehouse):
    """A ticket whose owner is alive but stuck holds other processes' new units back for
    `yield_seconds` at most: the bound that keeps fairness from starving the app."""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], cwd=REPO)
    try:
        turns = lock_turns.turns_dir(small_warehouse.path)
        turns.mkdir(exist_ok=True)
        (turns / f"{sleeper.pid}-stuck{lock_turns.SUFFIX}").write_text("stuck\n")
        assert lock_turns.others_waiting(small_warehouse.path)
        wh = Warehouse(small_warehouse.path, lock=LockSettings(yield_seconds=0.3))
        assert wh.table_counts()["reps"] > 0  # went ahead after the bound
    finally:
        sleeper.kill()
        sleeper.wait()
    # the same ticket of a process that has ended is cleaned away, not honoured
    assert not lock_turns.others_waiting(small_warehouse.path)
    assert list(lock_turns.turns_dir(small_warehouse.path).iterdir()) == []


def test_a_waiting_process_leaves_no_ticket_behind(small_warehouse):
    """The ticket exists only while its process waits: after the child got the file and ended
    (or gave up), the folder is empty, so nobody yields to a process that is not waiting."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('held', flush=True); time.sleep(1.0); c.close()",
            str(small_warehouse.path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ},
    )
    assert holder.stdout.readline().strip() == "held"
    assert small_warehouse.table_counts()["reps"] > 0  # waited for the holder, with a ticket
    holder.wait()
    assert list(lock_turns.turns_dir(small_warehouse.path).iterdir()) == []
