"""Seconds from Cancel to stopped for a backtest started as the Data page starts it.

Each trial starts the default backtest (`BacktestConfig()`, as the Data page's button does)
in a detached worker on a copy of the warehouse, lets it run for a given time, asks it to
cancel as the page's Cancel button does (job_runner.cancel), and reads back from the jobs
table the time between the cancel request and the job's end (`finished_at -
cancel_requested_at`), with the step it was at when asked. Run it on a demo warehouse
(`python -m repurchase --warehouse /tmp/w.duckdb init-demo`) while the machine is busy
(`--burn N` adds N busy-looping processes for the length of the run).

    python bench/backtest_cancel.py /tmp/w.duckdb --after 30,90,150,240,330
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import median  # noqa: E402
from repurchase.accounts.auth import SYSTEM  # noqa: E402
from repurchase.evaluation.backtest import BacktestConfig  # noqa: E402
from repurchase.i18n import steps  # noqa: E402
from repurchase.services import job_runner, jobs  # noqa: E402
from repurchase.warehouse.store import Warehouse  # noqa: E402


def _burn() -> None:
    while True:
        pass


def trial(warehouse: Warehouse, after: float, limit: float) -> tuple[float, str]:
    """Start a backtest, cancel it after `after` seconds of running; (seconds to stop, step)."""
    params = jobs.backtest_params(BacktestConfig(end=date.today()))
    job_id = job_runner.start(warehouse, "backtest", params, SYSTEM)
    time.sleep(after)  # a benchmark, not a test: the cancel must land at various steps
    asked = job_runner.cancel(warehouse, job_id, SYSTEM)
    step = str(steps.decode(asked.message) or asked.message or "")
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        job = job_runner.get(warehouse, job_id)
        if job is not None and not job.active:
            seconds = (job.finished_at - job.cancel_requested_at).total_seconds()
            return seconds, f"{job.status}; asked at: {step}"
        time.sleep(0.5)
    return float("inf"), f"still running after {limit:.0f} s; asked at: {step}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path, help="a demo warehouse (copied, never changed)")
    parser.add_argument("--after", default="30,90,150,240", help="seconds before each Cancel")
    parser.add_argument("--burn", type=int, default=0, help="busy processes to add as load")
    parser.add_argument("--limit", type=float, default=900.0, help="give up after (s)")
    args = parser.parse_args()
    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(args.burn)]
    for p in burners:
        p.start()
    stopped = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / args.warehouse.name
            shutil.copy(args.warehouse, copy)
            warehouse = Warehouse(copy)
            for after in [float(a) for a in args.after.split(",")]:
                seconds, how = trial(warehouse, after, args.limit)
                stopped.append(seconds)
                print(f"cancel after {after:5.0f} s: stopped {seconds:6.1f} s later ({how})")
                sys.stdout.flush()
    finally:
        for p in burners:
            p.terminate()
    print(
        f"Cancel to stopped: median {median(stopped):.1f} s, max {max(stopped):.1f} s, "
        f"n={len(stopped)}"
    )


if __name__ == "__main__":
    main()
