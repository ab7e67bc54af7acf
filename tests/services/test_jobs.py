"""The jobs (retrain, nightly, score, backtest): how a job's process uses the machine."""

from __future__ import annotations

import pytest
import torch
from threadpoolctl import threadpool_info, threadpool_limits

from repurchase.services import jobs


@pytest.mark.parametrize("threads", ["1", "2"])
def test_a_job_runs_its_model_code_on_the_threads_configured(monkeypatch, threads):
    before = torch.get_num_threads()
    monkeypatch.setenv("REPURCHASE_JOB_THREADS", threads)
    try:
        with pytest.raises(ValueError, match="unknown job action"):
            jobs.perform(object(), "nothing", {})  # the limit is set before any work
        assert torch.get_num_threads() == int(threads)
        assert all(pool["num_threads"] == int(threads) for pool in threadpool_info())
    finally:
        torch.set_num_threads(before)
        threadpool_limits(limits=before)


def test_a_job_threads_setting_that_is_not_a_count_is_refused(monkeypatch):
    monkeypatch.setenv("REPURCHASE_JOB_THREADS", "all")
    with pytest.raises(ValueError, match="REPURCHASE_JOB_THREADS='all' is not a whole number"):
        jobs.perform(object(), "nothing", {})
