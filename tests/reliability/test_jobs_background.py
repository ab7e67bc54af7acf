"""Issue 10, blocker 3: a retrain started in the browser ran in the page's script run and died
when the admin left the page; two admins could start two; nobody else saw one running.

Now retrains and backtests run as background jobs recorded in the warehouse, one at a time per
kind (the database refuses a second), in a detached worker process that finishes whether or not
anyone watches, visible to every admin, cancellable, and shown as failed when their process
died."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth, users
from repurchase.model import registry, train
from repurchase.services import job_runner
from repurchase.services.job_runner import JobBusyError
from repurchase.ui import admin
from repurchase.warehouse.store import Warehouse

from ..conftest import REPO, SMALL_UNTIL, TINY_TRAINING, run_cli

# one network, no peers: a real retrain in seconds
QUICK_TRAINING = {**TINY_TRAINING, "seeds": 1, "peers": False}
# long enough to be caught running (many short epochs)
SLOW_TRAINING = {**QUICK_TRAINING, "max_epochs": 60, "patience": 60}


def _params(training: dict, today=SMALL_UNTIL) -> dict:
    return {"today": today.isoformat(), "train": training}


def _wait(wh: Warehouse, job_id: int, until=lambda job: not job.active, timeout: float = 240):
    deadline = time.monotonic() + timeout
    while True:
        job = job_runner.get(wh, job_id)
        if until(job):
            return job
        if time.monotonic() > deadline:
            log = job_runner.log_dir(wh) / f"{job_id}.log"
            output = log.read_text() if log.exists() else ""
            raise AssertionError(f"job {job_id} is still {job.status}: {job}\n{output}")
        time.sleep(0.5)


def _admin(wh: Warehouse, username: str) -> auth.User:
    """An admin as stored: the warehouse's own of that name, or one added (never replaced)."""
    stored = auth.user(wh, username)
    if stored is not None and stored.role == "admin":
        return stored
    return users.add(wh, username, "violet tractor harbour 42", "admin", by=auth.SYSTEM)


def _serving(wh: Warehouse) -> str | None:
    return registry.serving_version(wh)


def _signed_in_admin(username: str = "admin") -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.session_state["ui.language"] = "en"
    at.run()
    at.text_input(key="login.username").input(username)
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception and at.session_state["auth.user"].role == "admin"
    at.switch_page("pages/data.py").run()
    assert not at.exception
    return at


def test_a_retrain_started_on_the_data_page_outlives_the_page_and_every_admin_sees_it(
    app_warehouse, monkeypatch
):
    monkeypatch.setattr(admin, "RETRAIN_TRAINING", train.TrainConfig(**QUICK_TRAINING))
    versions_before = len(registry.versions(app_warehouse))
    page = _signed_in_admin()
    page.button(key="data.do_retrain").click().run()
    assert not page.exception
    # the click returned at once: the retrain is a recorded job running elsewhere
    with app_warehouse.connect() as cur:
        running = cur.execute(
            "select job_id, requested_by, action, source from jobs "
            "where status in ('queued', 'running')"
        ).fetchall()
    assert len(running) == 1, running
    job_id, requested_by, action, source = running[0]
    assert (requested_by, action, source) == ("admin", "nightly", "app")
    assert any(f"Job {job_id} started" in s.value for s in page.success)

    # another admin's session sees it with its progress, and no second start button
    other = _signed_in_admin()
    assert "data.do_retrain" not in [b.key for b in other.button]
    assert any(f"Job {job_id} (Retrain and score today)" in c.value for c in other.caption)
    assert f"jobs.cancel.{job_id}" in [b.key for b in other.button]
    # and the data layer refuses a second retrain, whoever asks
    with pytest.raises(JobBusyError, match=f"job {job_id}"):
        job_runner.start(
            app_warehouse, "nightly", _params(QUICK_TRAINING), auth.user(app_warehouse, "admin")
        )

    del page, other  # both pages are gone; the job goes on
    job = _wait(app_warehouse, job_id)
    assert job.status == "succeeded", job
    assert job.progress == 1.0 and "version" in job.outcome
    assert len(registry.versions(app_warehouse)) == versions_before + 1
    finished = _signed_in_admin()  # and everyone sees how it ended
    table = next(d.value for d in finished.dataframe if "Started by" in d.value.columns)
    row = table[table["Job"] == job_id].iloc[0]
    assert row["Status"] == "Done" and row["Started by"] == "admin"
    new_version = job.result["version"]
    assert row["Result"] in (
        f"Version {new_version} serves from now on",
        f"Version {new_version} was not better: the current model keeps serving",
    )
    assert "data.do_retrain" in [b.key for b in finished.button]


def test_a_job_finishes_after_the_process_that_started_it_is_killed(trained_warehouse):
    """The strongest form of 'the admin left': the process that started the job (the server)
    dies at once; the worker runs in a session of its own and finishes."""
    serving_before = _serving(trained_warehouse)
    starter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import json, sys, time\n"
            "from repurchase.services import job_runner\n"
            "from repurchase.warehouse.store import Warehouse\n"
            "from repurchase.accounts import auth\n"
            "job = job_runner.start(Warehouse(sys.argv[1]), 'nightly', json.loads(sys.argv[2]), "
            "auth.SYSTEM)\n"
            "print(job, flush=True)\n"
            "time.sleep(600)\n",
            str(trained_warehouse.path),
            json.dumps(_params(QUICK_TRAINING)),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    job_id = int(starter.stdout.readline())
    starter.send_signal(signal.SIGKILL)
    starter.wait()
    job = _wait(trained_warehouse, job_id)
    assert job.status == "succeeded", job
    with trained_warehouse.connect() as cur:
        statuses = dict(cur.execute("select version, status from model_versions").fetchall())
    new = [v for v in statuses if v != serving_before]
    assert len(new) == 1 and statuses[new[0]] in ("serving", "rejected")
    assert new[0] in job.outcome


def test_a_cancelled_retrain_stops_and_leaves_the_serving_model_as_it_was(trained_warehouse):
    serving_before = _serving(trained_warehouse)
    versions_before = registry.versions(trained_warehouse).version.tolist()
    admin, admin2 = _admin(trained_warehouse, "admin"), _admin(trained_warehouse, "admin2")
    job_id = job_runner.start(trained_warehouse, "nightly", _params(SLOW_TRAINING), admin)
    _wait(trained_warehouse, job_id, until=lambda j: "epoch" in (j.message or ""))
    asked = job_runner.cancel(trained_warehouse, job_id, admin2)
    assert asked.cancelling and asked.cancel_requested_by == "admin2"
    # on a loaded machine the next progress point (after an uninterruptible step such as
    # fitting the peers) can be minutes away; the cancel is still honoured there
    job = _wait(trained_warehouse, job_id)
    assert job.status == "cancelled", job
    assert "cancelled by admin2" in job.error
    assert job.progress < 0.9  # it stopped while training, not after finishing anyway
    assert _serving(trained_warehouse) == serving_before
    # On a loaded machine the cancel may land after the version was saved: the last check
    # before promotion then rejects it. Never promoted, never left a candidate.
    after = registry.versions(trained_warehouse)
    assert set(after[~after.version.isin(versions_before)].status) <= {"rejected"}
    models = registry.models_dir(trained_warehouse)
    partial = [p for p in models.iterdir() if ".partial" in p.name] if models.exists() else []
    assert partial == []  # nothing half-written left
    registry.load(trained_warehouse)  # the serving model still loads
    # the slot is free again
    again = job_runner.claim(trained_warehouse, "train", {}, "admin", "cli", pid=os.getpid())
    job_runner._finish(trained_warehouse, again, "succeeded", "test", None)


def test_a_job_whose_worker_was_killed_shows_as_failed_and_frees_its_slot(trained_warehouse):
    serving_before = _serving(trained_warehouse)
    admin = _admin(trained_warehouse, "admin")
    job_id = job_runner.start(trained_warehouse, "nightly", _params(SLOW_TRAINING), admin)
    job = _wait(trained_warehouse, job_id, until=lambda j: j.status == "running")
    os.kill(job.pid, signal.SIGKILL)
    job = _wait(trained_warehouse, job_id, timeout=30)
    assert job.status == "failed" and "ended without finishing" in job.error
    assert job.result == {"dead": "process"}
    assert job_runner.running(trained_warehouse) == {}
    # the next retrain takes the dead job's slot, and the dead one is closed for good
    next_id = job_runner.claim(trained_warehouse, "train", {}, "admin", "cli", pid=os.getpid())
    with trained_warehouse.connect() as cur:
        stored = cur.execute("select status from jobs where job_id = $j", {"j": job_id}).fetchone()
    assert stored == ("failed",)
    job_runner._finish(trained_warehouse, next_id, "succeeded", "test", None)
    assert _serving(trained_warehouse) == serving_before


def test_a_job_silent_for_too_long_shows_as_failed(trained_warehouse):
    job_id = job_runner.claim(trained_warehouse, "backtest", {}, "admin", "cli", pid=os.getpid())
    with trained_warehouse.transaction() as cur:  # as if its last beat were long ago
        cur.execute(
            "update jobs set heartbeat_at = heartbeat_at - $gap where job_id = $j",
            {"gap": timedelta(seconds=job_runner.STALE_SECONDS + 5), "j": job_id},
        )
    job = job_runner.get(trained_warehouse, job_id)
    assert job.status == "failed" and "no sign of life" in job.error


def test_two_admins_racing_for_a_retrain_get_one_job(trained_warehouse):
    trained_warehouse.table_counts()
    won, refused, other = [], [], []
    barrier = threading.Barrier(6)

    def ask(n: int) -> None:
        barrier.wait()
        try:
            won.append(
                job_runner.claim(trained_warehouse, "train", {}, f"admin{n}", "app", os.getpid())
            )
        except JobBusyError:
            refused.append(n)
        except BaseException as exc:  # surfaced below
            other.append(exc)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert other == [] and len(won) == 1 and len(refused) == 5
    with trained_warehouse.connect() as cur:
        assert cur.execute("select count(*) from jobs").fetchone() == (1,)


def test_cli_train_is_recorded_as_a_job_and_refused_while_a_retrain_runs(trained_warehouse):
    wh = str(trained_warehouse.path)
    tiny = ["--epochs", "2", "--samples-per-epoch", "1500", "--validation-weeks", "4"]
    tiny += ["--seed", "3", "--seeds-count", "1", "--no-peers", "--until", SMALL_UNTIL.isoformat()]
    done = run_cli("--warehouse", wh, "train", *tiny)
    assert done.returncode == 0, done.stderr
    [job] = job_runner.recent(trained_warehouse)
    assert (job.action, job.source, job.status) == ("train", "cli", "succeeded")
    assert job.requested_by.endswith("(cli)") and job.outcome.startswith("version ")
    listed = run_cli("--warehouse", wh, "jobs")
    assert f"{job.job_id}  succeeded  train" in listed.stdout

    # while another retrain runs (this process), the CLI refuses and says which and how
    holder = job_runner.claim(trained_warehouse, "nightly", {}, "admin", "app", pid=os.getpid())
    refused = run_cli("--warehouse", wh, "nightly", *tiny[:-2])
    assert refused.returncode == 2
    assert f"a retrain is already running: job {holder} (nightly), started by admin" in (
        refused.stderr
    )
    cancel = run_cli("--warehouse", wh, "jobs", "cancel", str(holder))
    assert cancel.returncode == 0 and "will stop at its next progress point" in cancel.stdout
    assert job_runner.get(trained_warehouse, holder).cancelling
    job_runner._finish(trained_warehouse, holder, "cancelled", None, "test")


@pytest.mark.both_backends
def test_a_finished_job_keeps_its_result_on_either_backend(empty_warehouse):
    """On PostgreSQL every job failed at its very end: the extension sent the new `result`
    (a json column) as varchar, which PostgreSQL refused (duckdb/duckdb-postgres#390)."""
    result = {"folders": 0, "versions": 1, "note": 'it\'s "quoted" \\ 中文'}
    with job_runner.recorded(empty_warehouse, "clean", {}, "admin") as job:
        job.outcome, job.result = "cleaned", result
    [found] = job_runner.recent(empty_warehouse)
    assert (found.status, found.outcome, found.result) == ("succeeded", "cleaned", result)
    assert found.error is None and found.progress == 1.0
