"""The background jobs an admin starts from the app: the nightly retrain and the backtest,
cancelling one, and the list of recent jobs. Each runs in a detached worker (job_runner)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from repurchase.accounts.auth import User
from repurchase.evaluation.backtest import BacktestConfig
from repurchase.model.config import TrainConfig
from repurchase.services import access, job_runner, jobs
from repurchase.warehouse.store import Warehouse


def start_retrain(warehouse: Warehouse, user: User, training: TrainConfig, today: date) -> int:
    """Start the nightly job (retrain, promote if not worse, score `today`) in a background
    worker; return its job id at once. Raises JobBusyError if a retrain is running."""
    access.require_admin(user)
    params = jobs.train_params(training, today=today)
    return job_runner.start(warehouse, "nightly", params, user)


def start_backtest(warehouse: Warehouse, user: User, config: BacktestConfig, today: date) -> int:
    """Start the rolling backtest up to `today` in a background worker; return its job id."""
    access.require_admin(user)
    params = jobs.backtest_params(replace(config, end=today))
    return job_runner.start(warehouse, "backtest", params, user)


def cancel(warehouse: Warehouse, user: User, job_id: int) -> job_runner.Job:
    """Ask a running job to stop; it stops at its next checkpoint."""
    access.require_admin(user)
    return job_runner.cancel(warehouse, job_id, user)


def recent(warehouse: Warehouse, user: User, limit: int = 10) -> list[job_runner.Job]:
    """The latest jobs, newest first, as every admin sees them."""
    access.require_admin(user)
    return job_runner.recent(warehouse, limit)
