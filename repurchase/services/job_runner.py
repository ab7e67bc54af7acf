"""Background jobs recorded in the warehouse: who started what, when, how far it got, how it
ended; one running job per kind; cancellable; finished whether or not anyone watches.

Runner: a job the Data page starts runs in a detached worker process (`python -m repurchase
jobs run <id>`, in its own session), not in the page's script run (which Streamlit stops when
the admin leaves the page) and not in a server thread: training would share the server's two
cores' worth of Python with every session, a crash or an out-of-memory kill would take the
server down with it, and a server restart would kill the job. The CLI's
`train`, `nightly` and `backtest` record themselves the same way and run in their own process.

The `jobs` table holds every job (migration 0009). `job_slots` holds one row per kind; a job
takes its kind's row in the transaction that records it, so a second retrain is refused by the
database, whoever asks (two admins, the app and cron). A running job beats every
`HEARTBEAT_SECONDS` (progress fraction and message, from a thread of its own) and reads back
whether a cancel was requested; the job's next progress point then raises `JobCancelled` and
the job ends cleanly (see jobs.py: nothing is promoted or saved after a cancel). An import
that replaces the demo closes a job asked to cancel rather than wait for it (`give_way`), and
every transaction a job opens first checks that it still holds its slot, so a closed job can
write nothing after the import. A job whose process is gone, or that has not beaten for
`STALE_SECONDS`, is shown as failed, and the next job of its kind takes its slot.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.config import REPO_ROOT
from repurchase.errors import AccessDeniedError, RepurchaseError
from repurchase.i18n.steps import Step
from repurchase.warehouse import lock_turns, retry
from repurchase.warehouse.store import Cursor, Warehouse, changed_rows, fenced, next_id, sql

KINDS = ("retrain", "backtest", "import")
# action -> the kind whose slot it takes: anything that writes model versions is a retrain
# action -> the slot it runs in: one running job per slot (scoring shares the retrain's, as the
# nightly job scores too)
ACTIONS = {
    "train": "retrain",
    "nightly": "retrain",
    "clean": "retrain",
    "score": "retrain",
    "backtest": "backtest",
}
ACTIVE = ("queued", "running")
HEARTBEAT_SECONDS = 2.0
# Far above a heartbeat's worst wait for the file (the lock timeout, 15 s): a job this quiet
# is dead (frozen or on another machine that died), not merely slow.
STALE_SECONDS = 60.0
MESSAGE_CHARS = 500

Progress = Callable[[float, str], None]


class JobBusyError(RepurchaseError):
    """A job of the same kind is running; one at a time per kind."""

    def __init__(self, job: Job) -> None:
        self.job = job
        super().__init__(
            f"a {job.kind} is already running: job {job.job_id} ({job.action}), started by "
            f"{job.requested_by} at {job.created_at:%Y-%m-%d %H:%M}; wait for it to finish or "
            f"cancel it with `python -m repurchase jobs cancel {job.job_id}`"
        )


class JobCancelled(RepurchaseError):  # noqa: N818 (an outcome, not a fault)
    """A cancel was requested; raised at the job's next progress point."""


@dataclass(frozen=True)
class Job:
    job_id: int
    kind: str
    action: str
    params: dict[str, Any]
    requested_by: str
    source: str
    status: str
    created_at: datetime
    started_at: datetime | None
    heartbeat_at: datetime | None
    finished_at: datetime | None
    host: str | None
    pid: int | None
    progress: float
    message: str | None
    outcome: str | None
    result: dict[str, Any] | None
    error: str | None
    cancel_requested_at: datetime | None
    cancel_requested_by: str | None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def cancelling(self) -> bool:
        return self.active and self.cancel_requested_at is not None


def _fetch(cur: Cursor, name: str, **params: Any) -> list[Job]:
    result = cur.execute(sql(name), params)
    columns = [d[0] for d in result.description]
    jobs = []
    for row in result.fetchall():
        values = dict(zip(columns, row, strict=True))
        values["params"] = json.loads(values["params"])
        values["result"] = json.loads(values["result"]) if values["result"] else None
        jobs.append(Job(**values))
    return jobs


def _read(cur: Cursor, job_id: int) -> Job | None:
    found = _fetch(cur, "job_by_id", job_id=job_id)
    return found[0] if found else None


@dataclass(frozen=True)
class Death:
    """Why an unfinished job is dead: its process is gone, or it went silent."""

    cause: str  # "process" | "silent"
    reason: str  # for people (the CLI, the error column)

    @property
    def result(self) -> dict[str, Any]:
        return {"dead": self.cause}


def _dead(job: Job, now: datetime) -> Death | None:
    """Why an unfinished job is dead, or None while it lives."""
    if not job.active:
        return None
    if job.pid is not None and job.host == socket.gethostname() and not lock_turns.alive(job.pid):
        return Death(
            "process",
            f"its process (pid {job.pid}) ended without finishing: killed, out of memory, or "
            "the machine restarted",
        )
    last = job.heartbeat_at or job.created_at
    if now - last > timedelta(seconds=STALE_SECONDS):
        return Death("silent", f"no sign of life since {last:%Y-%m-%d %H:%M:%S}")
    return None


def _as_seen(job: Job, now: datetime) -> Job:
    """A job as people should see it: one whose process died is failed, not running forever.
    (A read never writes: the row itself is closed by the next job of its kind, or `cancel`.)"""
    death = _dead(job, now)
    if death is None:
        return job
    return replace(job, status="failed", error=death.reason, result=death.result)


def _close(
    cur: Cursor,
    job: Job,
    status: str,
    outcome: str | None,
    error: str | None,
    result: dict[str, Any] | None = None,
) -> None:
    cur.execute(
        sql("job_close"),
        {
            "status": status,
            "now": datetime.now(),
            "outcome": outcome,
            "result": None if result is None else json.dumps(result),
            "error": error,
            "job_id": job.job_id,
        },
    )
    cur.execute(sql("job_slot_free"), {"kind": job.kind, "job_id": job.job_id})


# ----------------------------------------------------------------------------- reading


def get(warehouse: Warehouse, job_id: int) -> Job | None:
    with warehouse.connect() as cur:
        job = _read(cur, job_id)
    return None if job is None else _as_seen(job, datetime.now())


def recent(warehouse: Warehouse, limit: int = 10) -> list[Job]:
    """The latest jobs, unfinished ones first, as people should see them."""
    with warehouse.connect() as cur:
        found = _fetch(cur, "jobs_recent", limit=limit)
    now = datetime.now()
    return [_as_seen(job, now) for job in found]


def running(warehouse: Warehouse) -> dict[str, Job]:
    """The running (or queued) job of each kind that has one."""
    return {job.kind: job for job in recent(warehouse, len(KINDS) * 2) if job.active}


# ----------------------------------------------------------------------------- starting


def claim(
    warehouse: Warehouse,
    action: str,
    params: dict[str, Any],
    requested_by: str,
    source: str,
    pid: int | None = None,
    acting_for: User | None = None,
) -> int:
    """Record a job and take its kind's slot, in one transaction. A job recorded with `pid`
    runs in that process from now on; without, it waits for a worker (`start`). Raises
    JobBusyError naming the job that holds the slot; a dead holder is closed as failed.
    `acting_for`: the admin the job is started for, re-read inside the transaction (an
    AccessDeniedError, nothing recorded, if they are no longer an enabled admin)."""
    kind = ACTIONS[action]
    now = datetime.now()

    def take(cur: Cursor) -> int:
        if acting_for is not None:
            _admin(cur, acting_for)
        holder_id = cur.execute(sql("job_slot_holder"), {"kind": kind}).fetchone()[0]
        if holder_id is not None:
            holder = _read(cur, holder_id)
            if holder is not None:
                death = _dead(holder, now)
                if death is None:
                    raise JobBusyError(holder)
                _close(cur, holder, "failed", None, death.reason, death.result)
        job_id = next_id(cur, "job_id_seq")
        cur.execute(
            sql("job_insert"),
            {
                "id": job_id,
                "kind": kind,
                "action": action,
                "params": json.dumps(params),
                "by": requested_by,
                "source": source,
                "status": "queued" if pid is None else "running",
                "now": now,
                "started": None if pid is None else now,
                "host": socket.gethostname(),
                "pid": pid,
            },
        )
        # the row, not a check in Python, decides: two transactions racing for it conflict
        cur.execute(sql("job_slot_take"), {"job_id": job_id, "kind": kind})
        return int(job_id)

    # Two transactions racing for the slot conflict; the loser runs again, now sees the
    # winner (committed) and raises JobBusyError naming it.
    return retry.transaction(warehouse, take)


def give_way(cur: Cursor, kinds: tuple[str, ...], reason: str) -> list[Job]:
    """Inside the caller's transaction (an import that removes what jobs work on): close each
    job of `kinds` holding its slot that was asked to cancel (as cancelled, with `reason`) or
    is dead (as failed); return the jobs still running, which the caller must wait for. A
    closed job writes nothing afterwards: each of its transactions first checks that it still
    holds its slot (`_may_write`), and its next beat stops it."""
    now = datetime.now()
    still = []
    for kind, job_id in cur.execute(sql("job_slot_holders")).fetchall():
        job = _read(cur, job_id) if kind in kinds else None
        if job is None:
            continue
        death = _dead(job, now)
        if death is not None:
            _close(cur, job, "failed", None, death.reason, death.result)
        elif job.cancelling:
            by = job.cancel_requested_by
            _close(cur, job, "cancelled", None, f"cancelled by {by}; {reason}")
        else:
            still.append(job)
    return still


def log_dir(warehouse: Warehouse) -> Path:
    """Workers' output, one file per job, beside the warehouse."""
    return warehouse.path.with_name(f"{warehouse.path.stem}.jobs")


def _admin(cur: Cursor, user: User) -> User:
    """`user` as stored now (auth.acting), who must be an admin to start or cancel a job."""
    stored = auth.acting(cur, user)
    if stored.role != "admin":
        raise AccessDeniedError(f"{user.username} may not start or cancel jobs")
    return stored


def _requested_by(user: User) -> str:
    """Who the jobs table names: the admin, or who ran the command line."""
    return cli_user() if user == auth.SYSTEM else user.username


def start(warehouse: Warehouse, action: str, params: dict[str, Any], user: User) -> int:
    """Record a job for the admin `user` and start a detached worker process for it; returns
    at once with its id. The worker runs to the end whether or not the page that started it
    stays open. AccessDeniedError (nothing recorded) if `user` is no longer an enabled admin."""
    job_id = claim(warehouse, action, params, _requested_by(user), "app", acting_for=user)
    logs = log_dir(warehouse)
    logs.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "repurchase", "--warehouse", str(warehouse.path)]
    try:
        with open(logs / f"{job_id}.log", "ab") as log:
            worker = subprocess.Popen(  # noqa: S603 (our own module, no shell)
                [*command, "jobs", "run", str(job_id)],
                cwd=REPO_ROOT,
                env={**os.environ, **warehouse.environment()},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # not stopped with the server's process group
            )
    except OSError as exc:
        _finish(warehouse, job_id, "failed", None, f"the worker could not start: {exc}")
        raise RepurchaseError(f"could not start a worker for job {job_id}: {exc}") from exc
    with warehouse.transaction() as cur:
        cur.execute(
            sql("job_worker_started"),
            {"pid": worker.pid, "host": socket.gethostname(), "job_id": job_id},
        )
    # collect its exit status when it ends, so its pid does not linger as a zombie that the
    # liveness check would take for a running job
    threading.Thread(target=worker.wait, name=f"job-{job_id}-wait", daemon=True).start()
    return job_id


def cancel(warehouse: Warehouse, job_id: int, user: User) -> Job:
    """Ask a job to stop at its next progress point (it records itself as cancelled), for the
    admin `user` (re-read inside the transaction, as `start` does). A job whose process is gone
    is closed as failed at once."""
    requested_by = _requested_by(user)
    with warehouse.transaction() as cur:
        _admin(cur, user)
        job = _read(cur, job_id)
        if job is None:
            raise RepurchaseError(f"there is no job {job_id}")
        death = _dead(job, datetime.now())
        if death is not None:
            _close(cur, job, "failed", None, death.reason, death.result)
        elif job.active:
            cur.execute(
                sql("job_cancel_request"),
                {"now": datetime.now(), "by": requested_by, "job_id": job_id},
            )
    found = get(warehouse, job_id)
    assert found is not None
    return found


# ----------------------------------------------------------------------------- running


def _finish(
    warehouse: Warehouse,
    job_id: int,
    status: str,
    outcome: str | None,
    error: str | None,
    result: dict[str, Any] | None = None,
) -> None:
    """Record how a job ended; retried, because a job that cannot say it ended would look
    alive until its heartbeat goes stale."""
    for attempt in range(3):
        try:
            with warehouse.transaction() as cur:
                job = _read(cur, job_id)
                if job is not None:
                    _close(cur, job, status, outcome, error, result)
            return
        except RepurchaseError:
            if attempt == 2:
                raise


class RunningJob:
    """What a running job reports through. Call it with (fraction, message) at progress points:
    it keeps the latest for the heartbeat and raises JobCancelled once a cancel was requested.
    `before_commit()` is the last chance to cancel: after it, the job runs to its end."""

    def __init__(self, warehouse: Warehouse, job: Job, echo: Progress | None = None) -> None:
        self.warehouse = warehouse
        self.job = job
        self.outcome: str | None = None  # set by the job: what it did, for people
        self.result: dict[str, Any] | None = None  # and as data, for the Data page
        self._echo = echo
        self._fraction, self._message = job.progress, job.message
        self._cancel = threading.Event()
        self._stopped = threading.Event()
        self._committed = False
        self._cancelled_by: str | None = None
        self._beat_lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._beat_until_stopped, name=f"job-{job.job_id}-heartbeat", daemon=True
        )

    def __call__(self, fraction: float, message: str) -> None:
        self._fraction = min(max(float(fraction), 0.0), 1.0)
        self._message = _stored_message(message)
        if self._echo is not None:
            self._echo(fraction, message)
        self.check()

    def check(self) -> None:
        """Raise JobCancelled if a cancel was requested (and the job is not past committing)."""
        if self._cancel.is_set() and not self._committed:
            raise JobCancelled(
                f"job {self.job.job_id} was cancelled by {self._cancelled_by}; nothing it was "
                "doing was kept"
            )

    def before_commit(self) -> None:
        self.beat()  # a cancel requested a moment ago still counts
        self.check()
        self._committed = True

    def beat(self) -> None:
        # one beat at a time: the heartbeat thread's and before_commit's would conflict on the row
        with self._beat_lock:
            self._beat()

    def _beat(self) -> None:
        try:
            with self.warehouse.connect() as cur:
                cur.execute(
                    sql("job_heartbeat"),
                    {
                        "now": datetime.now(),
                        "progress": self._fraction,
                        "message": self._message,
                        "job_id": self.job.job_id,
                    },
                )
                # a cancel request is only ever set, never cleared, so reading it after the
                # beat (outside its statement) cannot miss one
                row = cur.execute(
                    sql("job_cancel_requested"), {"job_id": self.job.job_id}
                ).fetchone()
        except (RepurchaseError, duckdb.Error):
            return  # the file stayed busy (or a write conflicted): the next beat tells
        if row is None:  # closed and removed by someone else (the demo's replacement)
            self._cancelled_by = self._cancelled_by or "the import that replaced the demo"
            self._cancel.set()
        elif row[1] is not None:
            self._cancelled_by = row[0]
            self._cancel.set()

    def _beat_until_stopped(self) -> None:
        while not self._stopped.wait(HEARTBEAT_SECONDS):
            self.beat()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()


def _stored_message(message: str) -> str:
    """A step as its key and parameters, so each reader sees it in their language; plain text
    (and a step too long to store whole) as English text."""
    if isinstance(message, Step):
        encoded = message.to_json()
        if len(encoded) <= MESSAGE_CHARS:
            return encoded
    return str(message)[:MESSAGE_CHARS]


def _may_write(cur: Cursor, kind: str, job_id: int) -> None:
    """Refuse a job's write once someone else closed it and freed its slot (give_way)."""
    cur.execute(sql("job_fence"), {"kind": kind, "job_id": job_id})
    if not changed_rows(cur):
        raise JobCancelled(f"job {job_id} was closed while it ran; nothing more was written")


@contextmanager
def _running(warehouse: Warehouse, job_id: int, echo: Progress | None) -> Iterator[RunningJob]:
    now = datetime.now()
    with warehouse.transaction() as cur:
        cur.execute(
            sql("job_mark_running"),
            {"now": now, "pid": os.getpid(), "host": socket.gethostname(), "job_id": job_id},
        )
        claimed = changed_rows(cur)
        job = _read(cur, job_id)
    if not claimed or job is None:
        raise RepurchaseError(f"job {job_id} is not waiting to run (it ended or was closed)")
    run = RunningJob(warehouse, job, echo)
    if job.cancel_requested_at is not None:  # cancelled while it waited for its worker
        run._cancelled_by = job.cancel_requested_by
        run._cancel.set()
    run.start()
    status, error = "failed", None
    try:
        run.check()
        with fenced(lambda cur: _may_write(cur, job.kind, job_id)):
            yield run
        status = "succeeded"
    except JobCancelled as exc:
        status, error = "cancelled", str(exc)
        raise
    except KeyboardInterrupt:
        status, error = "cancelled", "interrupted (Ctrl-C); nothing it was doing was kept"
        raise
    except BaseException as exc:
        error = str(exc) if isinstance(exc, RepurchaseError) else f"{type(exc).__name__}: {exc}"
        raise
    finally:
        run.stop()
        _finish(warehouse, job_id, status, run.outcome, error, run.result)


@contextmanager
def recorded(
    warehouse: Warehouse,
    action: str,
    params: dict[str, Any],
    requested_by: str,
    echo: Progress | None = None,
) -> Iterator[RunningJob]:
    """Run the block as a job of this process (the CLI's train, nightly, backtest): recorded,
    one at a time per kind, visible on the Data page, cancellable from there."""
    job_id = claim(warehouse, action, params, requested_by, "cli", pid=os.getpid())
    with _running(warehouse, job_id, echo) as run:
        yield run


def run_worker(warehouse: Warehouse, job_id: int, echo: Progress | None = None) -> Job:
    """The worker process's body (`python -m repurchase jobs run <id>`): run a queued job."""
    from repurchase.services import jobs  # the work needs torch; reading and starting jobs does not

    with _running(warehouse, job_id, echo) as run:
        done = jobs.perform(warehouse, run.job.action, run.job.params, run, run.before_commit)
        run.outcome, run.result = done.outcome, done.result_data
    found = get(warehouse, job_id)
    assert found is not None
    return found


def cli_user() -> str:
    """Who runs a CLI job, as the jobs table shows it."""
    try:
        import getpass

        return f"{getpass.getuser()} (cli)"
    except (ImportError, KeyError, OSError):
        return "cli"
