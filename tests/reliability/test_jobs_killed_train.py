"""Issue 10, blocker 11: a killed train left a `.partial` folder, an orphan version folder or a
`candidate` row that nothing resolved. Training subprocesses are killed with SIGKILL at each
of those points; the next run (and `models --clean`) resolves what they left, and the serving
model is never affected."""

from __future__ import annotations

import signal

from repurchase.model import registry
from repurchase.services import job_runner
from repurchase.warehouse.store import Warehouse

from ..conftest import SMALL_UNTIL, run_cli

TINY = [
    *("--epochs", "1", "--samples-per-epoch", "1500", "--validation-weeks", "4"),
    *("--seed", "3", "--seeds-count", "1", "--no-peers", "--until", SMALL_UNTIL.isoformat()),
]


def _train(wh: Warehouse, crash_at: str | None = None):
    env = {"REPURCHASE_CRASH_AT": crash_at} if crash_at else None
    return run_cli("--warehouse", str(wh.path), "train", *TINY, env=env)


def _state(wh: Warehouse) -> tuple[list[str], list[str], dict[str, str]]:
    models = registry.models_dir(wh)
    folders = sorted(p.name for p in models.iterdir()) if models.exists() else []
    partial = [f for f in folders if f.endswith(".partial")]
    complete = [f for f in folders if not f.endswith(".partial")]
    with wh.connect() as cur:
        rows = dict(cur.execute("select version, status from model_versions").fetchall())
    return partial, complete, rows


def _killed(wh: Warehouse, point: str) -> None:
    serving = registry.serving_version(wh)
    killed = _train(wh, crash_at=point)
    assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)
    assert registry.serving_version(wh) == serving
    registry.load(wh)  # the serving model still loads after the kill
    job = job_runner.recent(wh, 1)[0]  # its job shows as failed, not running for ever
    assert job.status == "failed" and "ended without finishing" in job.error


def test_each_run_resolves_what_a_killed_train_left_and_serving_is_untouched(trained_warehouse):
    serving = registry.serving_version(trained_warehouse)

    _killed(trained_warehouse, "registry-staged")  # killed while writing the artefact
    partial, complete, rows = _state(trained_warehouse)
    assert len(partial) == 1 and complete == []

    _killed(trained_warehouse, "registry-renamed")  # after the rename, before its row
    partial, complete, rows = _state(trained_warehouse)
    assert partial == []  # the previous run's half-written folder is gone
    assert len(complete) == 1 and complete[0] not in rows
    orphan = complete[0]

    _killed(trained_warehouse, "registry-candidate")  # registered, never judged
    partial, complete, rows = _state(trained_warehouse)
    assert orphan not in complete  # the unregistered folder is gone
    [candidate] = [v for v, s in rows.items() if s == "candidate"]
    assert complete == [candidate]

    done = _train(trained_warehouse)
    assert done.returncode == 0, done.stderr
    assert f"1 unjudged version(s) a killed run left, marked rejected ({candidate})" in done.stderr
    partial, complete, rows = _state(trained_warehouse)
    assert partial == [] and rows[candidate] == "rejected"
    assert "candidate" not in rows.values()
    assert all(v in rows for v in complete)  # every folder left belongs to a version
    registry.load(trained_warehouse, serving)  # the version that served throughout still loads


def test_models_clean_resolves_leftovers_without_training(trained_warehouse):
    serving = registry.serving_version(trained_warehouse)
    assert _train(trained_warehouse, crash_at="registry-renamed").returncode == -signal.SIGKILL
    _, complete, rows = _state(trained_warehouse)
    assert len([f for f in complete if f not in rows]) == 1
    cleaned = run_cli("--warehouse", str(trained_warehouse.path), "models", "--clean")
    assert cleaned.returncode == 0, cleaned.stderr
    assert "removed 1 artefact folder(s) no version refers to" in cleaned.stdout
    _, complete, rows = _state(trained_warehouse)
    assert complete == [] and registry.serving_version(trained_warehouse) == serving
    again = run_cli("--warehouse", str(trained_warehouse.path), "models", "--clean")
    assert "nothing to clean up" in again.stdout
