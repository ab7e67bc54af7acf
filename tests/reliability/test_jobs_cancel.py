"""Cancelling a job: a backtest stops at its next training epoch, not at the end of a block's
whole training, and a job asked to cancel never holds up the import that replaces the demo."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime

import pytest

from repurchase.evaluation import backtest
from repurchase.model.config import TrainConfig
from repurchase.services import job_runner, jobs
from repurchase.warehouse.store import Warehouse, sql

from ..conftest import SMALL_UNTIL, TINY_TRAINING

# many short epochs: a block's training is long enough to be cancelled in the middle
SLOW_BACKTEST = backtest.BacktestConfig(
    weeks=2,
    end=SMALL_UNTIL,
    fast=2,
    seeds=(3,),
    top_n=5,
    train=replace(TrainConfig(**TINY_TRAINING), seeds=1, max_epochs=40, patience=40),
)


def _ask_to_cancel(wh: Warehouse, job_id: int) -> None:
    with wh.transaction() as cur:
        cur.execute(sql("job_cancel_request"), {"now": datetime.now(), "by": "x", "job_id": job_id})


def test_a_backtest_asked_to_cancel_while_training_stops_at_the_next_epoch(small_warehouse):
    """The backtest used to train a whole block without a progress point: a cancel waited for
    every network, peer and week of the block (28 minutes on the demo)."""
    seen: list[str] = []
    asked: list[float] = []
    holder: list[job_runner.RunningJob] = []

    def echo(_fraction: float, message: str) -> None:
        seen.append(message)
        if "epoch" in message and not asked:
            _ask_to_cancel(small_warehouse, holder[0].job.job_id)
            holder[0].beat()  # what the heartbeat thread does within HEARTBEAT_SECONDS
            asked.append(time.perf_counter())

    params = jobs.backtest_params(SLOW_BACKTEST)
    with pytest.raises(job_runner.JobCancelled):
        with job_runner.recorded(small_warehouse, "backtest", params, "admin", echo) as run:
            holder.append(run)
            jobs.perform(small_warehouse, "backtest", params, run, run.before_commit)
    stopped = time.perf_counter()
    job = job_runner.get(small_warehouse, holder[0].job.job_id)
    assert job.status == "cancelled" and not job.active
    assert asked, f"no training epoch was ever reported: {seen}"
    after = seen[seen.index(next(m for m in seen if "epoch" in m)) + 1 :]
    assert after == [], f"it went on after the cancel: {after}"
    assert stopped - asked[0] < 30
    assert not job_runner.running(small_warehouse)
    with small_warehouse.connect() as cur:
        assert cur.execute("select count(*) from backtest_runs").fetchone()[0] == 0
