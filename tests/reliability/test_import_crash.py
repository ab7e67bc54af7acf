"""kill -9 during an import: the warehouse is exactly as before (or, at a random moment, has the
whole import), and a retry imports each row once. Moved here from
tests/warehouse/test_importer.py so that the reliability suite holds it; extended to every file
of a four-file batch."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from ..conftest import REPO, run_cli, snapshot

# the warehouse, import, access and visit-logging tests run on both backends (conftest.py)
pytestmark = pytest.mark.both_backends


def _big_visits(small_demo, tmp_path: Path, copies: int) -> tuple[Path, int]:
    frames = []
    for i in range(copies):
        frame = small_demo.visits.copy()
        frame["note"] = frame["note"] + f" [copy {i}]"
        frames.append(frame)
    big = pd.concat(frames, ignore_index=True)
    path = tmp_path / "visits_big.csv"
    big.to_csv(path, index=False)
    return path, len(big)


def _batch(tmp_path: Path, small_demo) -> tuple[list[Path], int]:
    """A new rep, a new customer of theirs, their visits (and the demo's, renamed) and orders."""
    reps = tmp_path / "reps.csv"
    reps.write_text(
        "rep_id,name,gender,birth_date,hire_date,level,team\n"
        "R950,New Rep,F,1995-01-01,2025-01-01,junior,T01\n"
    )
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "customer_id,name,customer_type,industry,tag,owner_rep_id\n"
        "C9500,New Co,trader,consumer,key,R950\n"
    )
    visits, rows = _big_visits(small_demo, tmp_path, 2)
    orders = tmp_path / "orders.csv"
    orders.write_text("customer_id,order_date,amount\nC9500,2026-06-01,120.50\n")
    return [reps, customers, visits, orders], rows


@pytest.mark.parametrize("point", ["after-reps", "after-customers", "after-visits", "after-orders"])
def test_a_process_killed_inside_the_write_leaves_the_warehouse_as_before(
    small_warehouse, small_demo, tmp_path, point
):
    files, rows = _batch(tmp_path, small_demo)
    before = snapshot(small_warehouse)
    crashed = run_cli(
        "--warehouse",
        str(small_warehouse.path),
        "import",
        *map(str, files),
        env={"REPURCHASE_CRASH_AT": point},
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert snapshot(small_warehouse) == before
    retried = run_cli("--warehouse", str(small_warehouse.path), "import", *map(str, files))
    assert retried.returncode == 0, retried.stderr
    assert f"reps: 1 new; customers: 1 new; visits: {rows} new; orders: 1 new" in retried.stdout


def test_a_kill_at_any_moment_leaves_all_or_nothing(small_warehouse, small_demo, tmp_path):
    path, rows = _big_visits(small_demo, tmp_path, 6)
    before = small_warehouse.table_counts()["visits"]
    rng = random.Random(11)
    outcomes = set()
    for _ in range(4):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "repurchase",
                "--warehouse",
                str(small_warehouse.path),
                "import",
                str(path),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=os.environ.copy(),
        )
        time.sleep(rng.uniform(0.8, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        count = small_warehouse.table_counts()["visits"]
        assert count in (before, before + rows)
        outcomes.add(count - before)
    # one more, uninterrupted: the file ends up imported exactly once
    done = run_cli("--warehouse", str(small_warehouse.path), "import", str(path))
    assert done.returncode == 0, done.stderr
    assert small_warehouse.table_counts()["visits"] == before + rows
