"""Who waits for the warehouse file, and how long: app-like threads against a job process.

    python bench/lock_fairness.py [--visits 10000000] [--small-visits 200000]
                                  [--seconds 20] [--repeats 3]

Part 1, fair turns (lock_turns.py) off ("before") and on ("after"): 8 threads in this process
behave like busy browser sessions (a short read or, one time in three, a visit insert; then
0 ms, or about 10 ms, of thinking; over and over) while another process, like `stats` or a
job's heartbeat, runs a short read every 100 ms. Prints p50 / p95 / max of the waits for the
file (from asking to having a cursor) for both, and how many units failed with the lock
timeout.

Part 2, the nightly read on a large warehouse (`--visits`): the job process reads the history
the old way (the feature query inside one unit of work) and the new way (snapshot.py: the rows
copied out in bounded units, the query run on the copy with the file closed) while the same 8
threads work. Prints how long the job held the file at most, and the threads' waits.

Figures are medians over `--repeats` runs. The warehouses are built once in SQL
(bench/feature_build.py) and kept in a temporary folder for the run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from feature_build import build  # noqa: E402

from repurchase.config import LOCK_FAIR_ENV, REPO_ROOT  # noqa: E402
from repurchase.errors import WarehouseLockedError  # noqa: E402
from repurchase.model import features  # noqa: E402
from repurchase.warehouse.store import Warehouse, sql  # noqa: E402

THREADS = 8
UNTIL = datetime(2026, 11, 20)


def percentiles(waits: list[float]) -> dict[str, float]:
    if not waits:
        return {"p50": float("nan"), "p95": float("nan"), "max": float("nan")}
    ordered = sorted(waits)
    return {
        "p50": ordered[len(ordered) // 2],
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
        "max": ordered[-1],
    }


class TimedWarehouse(Warehouse):
    """Notes how long each unit of work waited for the file and how long it held it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.waits: list[float] = []
        self.holds: list[float] = []

    @contextmanager
    def connect(self):
        asked = time.perf_counter()
        with super().connect() as cur:
            got = time.perf_counter()
            self.waits.append(got - asked)
            try:
                yield cur
            finally:
                self.holds.append(time.perf_counter() - got)


# ----------------------------------------------------------------------------- the job process


def job_process(path: Path, seconds: float, read: str) -> None:
    """Short reads every 100 ms for `seconds`; first the nightly read if asked. Prints JSON."""
    wh = TimedWarehouse(path)
    report: dict[str, object] = {"failures": 0}
    started = time.perf_counter()
    if read == "old":  # the feature query inside one unit, as before snapshot.py
        with wh.connect() as cur:
            cur.execute(sql("feature_events"), {"until": UNTIL}).df()
    elif read == "new":
        features.load_history(wh, UNTIL)
    if read != "none":
        report["read_seconds"] = time.perf_counter() - started
        report["read_units"] = len(wh.holds)
        report["longest_hold"] = max(wh.holds)
    read_waits = len(wh.waits)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        try:
            with wh.connect() as cur:
                cur.execute("select count(*) from reps").fetchone()
        except WarehouseLockedError:
            report["failures"] = int(report["failures"]) + 1
            wh.waits.append(wh.lock.timeout_seconds)
        time.sleep(0.1)
    report["waits"] = wh.waits[read_waits:]
    print(json.dumps(report))


# ----------------------------------------------------------------------------- the app threads


def app_threads(wh: TimedWarehouse, stop: threading.Event, errors: list[str], think: float) -> list:
    def session(n: int) -> None:
        rng = random.Random(n)  # noqa: S311 (think times, not secrets)
        i = 0
        while not stop.is_set():
            try:
                if i % 3 == 2:
                    with wh.transaction() as cur:
                        cur.execute(
                            "insert into visits (rep_id, customer_id, visited_at, method, "
                            "target, purpose, result, source, entered_by) values ('R0', 'C0', "
                            "$at, 'phone', 'active', 'needs_discovery', 'no_order', 'bench', "
                            "'bench')",
                            {"at": datetime(2026, 11, 1, 10)},
                        )
                else:
                    with wh.connect() as cur:
                        cur.execute(
                            "select * from reps where rep_id = $r", {"r": f"R{i % 10}"}
                        ).fetchall()
            except WarehouseLockedError as exc:
                errors.append(str(exc))
                wh.waits.append(wh.lock.timeout_seconds)
            i += 1
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))

    threads = [threading.Thread(target=session, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    return threads


def contend(
    path: Path, seconds: float, fair: bool, read: str, think: float = 0.01
) -> dict[str, object]:
    """The 8 threads here and the job process there, for about `seconds` (plus the read)."""
    os.environ[LOCK_FAIR_ENV] = "1" if fair else "0"
    wh = TimedWarehouse(path)
    wh.table_counts()
    stop, errors = threading.Event(), []
    threads = app_threads(wh, stop, errors, think)
    time.sleep(1.0)  # the sessions are busy before the job asks
    wh.waits.clear()
    env = {**os.environ, LOCK_FAIR_ENV: "1" if fair else "0"}
    job = subprocess.run(
        [sys.executable, __file__, "--role", "job", "--path", str(path)]
        + ["--seconds", str(seconds), "--read", read],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    stop.set()
    for t in threads:
        t.join()
    found = json.loads(job.stdout.strip().splitlines()[-1])
    return {
        "app": percentiles(wh.waits),
        "app_units": len(wh.waits),
        "app_errors": len(errors),
        "job": percentiles(found.pop("waits")),
        **found,
    }


def _median(runs: list[dict], *keys: str) -> float:
    values = []
    for run in runs:
        value = run
        for key in keys:
            value = value[key]
        values.append(float(value))
    return statistics.median(values)


def _row(label: str, runs: list[dict]) -> str:
    cells = [label]
    for who in ("app", "job"):
        cells.append(
            " / ".join(f"{_median(runs, who, q) * 1000:,.0f}" for q in ("p50", "p95", "max"))
        )
    cells.append(f"{_median(runs, 'app_errors'):.0f}")
    cells.append(f"{_median(runs, 'failures'):.0f}")
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| | app threads: wait p50 / p95 / max (ms) | job: wait p50 / p95 / max (ms) "
    "| app timeouts | job timeouts |\n| --- | --- | --- | --- | --- |"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=10_000_000)
    parser.add_argument("--small-visits", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--role", choices=["main", "job"], default="main")
    parser.add_argument("--path", type=Path)
    parser.add_argument("--read", choices=["none", "old", "new"], default="none")
    parser.add_argument("--skip-large", action="store_true", help="part 1 only")
    args = parser.parse_args()
    if args.role == "job":
        job_process(args.path, args.seconds, args.read)
        return

    with tempfile.TemporaryDirectory(prefix="lock-fairness-") as tmp:
        small = Path(tmp) / "small.duckdb"
        started = time.perf_counter()
        build(Warehouse(small), args.small_visits)
        print(f"built {args.small_visits:,} visits in {time.perf_counter() - started:.0f} s")
        for think in (0.0, 0.01):
            print(
                f"\nPart 1: 8 app-like threads ({think * 1000:g} ms between units) vs a job's "
                f"short reads, {args.seconds:g} s, median of {args.repeats} runs\n"
            )
            print(HEADER)
            for label, fair in (("before (fair off)", False), ("after (fair on)", True)):
                runs = [
                    contend(small, args.seconds, fair, "none", think) for _ in range(args.repeats)
                ]
                print(_row(label, runs), flush=True)
        if args.skip_large:
            return

        large = Path(tmp) / "large.duckdb"
        started = time.perf_counter()
        build(Warehouse(large), args.visits)
        print(f"\nbuilt {args.visits:,} visits in {time.perf_counter() - started:.0f} s")
        print(
            f"\nPart 2: the nightly read of {args.visits:,} visits while 8 app-like threads "
            f"work (fair turns on), median of {args.repeats} runs\n"
        )
        print(
            HEADER.replace("| app timeouts", "| longest hold (s) | read (s) | app timeouts")
            + " --- | --- |"
        )
        for read in ("old", "new"):
            runs = [contend(large, 3.0, True, read) for _ in range(args.repeats)]
            app = " / ".join(
                f"{_median(runs, 'app', q) * 1000:,.0f}" for q in ("p50", "p95", "max")
            )
            job = " / ".join(
                f"{_median(runs, 'job', q) * 1000:,.0f}" for q in ("p50", "p95", "max")
            )
            label = "before (one unit)" if read == "old" else "after (bounded units)"
            print(
                f"| {label} | {app} | {job} | {_median(runs, 'longest_hold'):.1f} "
                f"| {_median(runs, 'read_seconds'):.1f} | {_median(runs, 'app_errors'):.0f} "
                f"| {_median(runs, 'failures'):.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
