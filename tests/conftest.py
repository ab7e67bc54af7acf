"""Shared fixtures: small seeded warehouses built from code, never binary files."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from repurchase import demo, demo_guard, synthetic
from repurchase.warehouse import Warehouse

from .pg_server import PostgresServer, find_bindir

REPO = Path(__file__).resolve().parents[1]
SMALL_END = date(2026, 6, 30)
SMALL = {"seed": 7, "reps": 4, "customers_per_rep": (20, 30), "days": 200, "end": SMALL_END}


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test may touch the developer's data/ warehouse or another test's models."""
    monkeypatch.setenv("REPURCHASE_WAREHOUSE", str(tmp_path / "default.duckdb"))
    monkeypatch.delenv("REPURCHASE_DEMO", raising=False)
    monkeypatch.delenv("REPURCHASE_CRASH_AT", raising=False)
    monkeypatch.setenv("REPURCHASE_LOCK_TIMEOUT", "15")


@pytest.fixture(scope="session")
def small_demo() -> synthetic.DemoData:
    return synthetic.make(**SMALL)


@pytest.fixture(scope="session")
def _small_warehouse_file(tmp_path_factory, small_demo) -> Path:
    folder = tmp_path_factory.mktemp("small")
    wh = Warehouse(folder / "small.duckdb")
    demo.build(wh, small_demo.config)
    # most tests use the small warehouse as a company's data (they import into it); the
    # tests of the demo itself build their own (tests/reliability/test_demo_*.py)
    demo_guard.declare_company(wh)
    return wh.path


@pytest.fixture
def small_warehouse(tmp_path, _small_warehouse_file) -> Warehouse:
    """A private copy of the small demo warehouse (4 reps, ~100 customers, 200 days)."""
    target = tmp_path / "small.duckdb"
    shutil.copy(_small_warehouse_file, target)
    truth = _small_warehouse_file.with_name("small.truth")
    shutil.copytree(truth, tmp_path / "small.truth")
    return Warehouse(target)


# A tiny but real training run: enough to exercise every step in seconds.
TINY_TRAINING = {
    "samples_per_epoch": 1500,
    "max_epochs": 2,
    "validation_weeks": 4,
    "validation_samples": 1500,
    "seed": 3,
}
SMALL_UNTIL = SMALL_END + timedelta(days=1)


@pytest.fixture(scope="session")
def _trained_warehouse_file(tmp_path_factory, _small_warehouse_file) -> Path:
    from repurchase import features, registry, train

    folder = tmp_path_factory.mktemp("trained")
    target = folder / "trained.duckdb"
    shutil.copy(_small_warehouse_file, target)
    wh = Warehouse(target)
    history = features.load_history(wh, SMALL_UNTIL)
    result = train.train(history, SMALL_UNTIL, train.TrainConfig(**TINY_TRAINING))
    version = registry.save(wh, result)
    assert registry.promote_if_not_worse(wh, version, history).promoted
    return target


@pytest.fixture
def trained_warehouse(tmp_path, _trained_warehouse_file) -> Warehouse:
    """A private copy of the small demo with one trained, serving model (artefact shared,
    read-only)."""
    target = tmp_path / "trained.duckdb"
    shutil.copy(_trained_warehouse_file, target)
    return Warehouse(target)


# The app's tests: a small demo ending yesterday, with simulated list use, demo users and
# today's lists, exactly as a first start leaves it.
APP_DEMO = {**SMALL, "end": date.today() - timedelta(days=1)}


@pytest.fixture(scope="session")
def _app_warehouse_file(tmp_path_factory) -> Path:
    from repurchase import firststart, train

    folder = tmp_path_factory.mktemp("app")
    wh = Warehouse(folder / "app.duckdb")
    plan = demo.AdoptionPlan(
        weeks=4, retrain_after_weeks=2, top_n=15, training=train.TrainConfig(**TINY_TRAINING)
    )
    firststart.prepare(wh, demo_config=synthetic.DemoConfig(**APP_DEMO), adoption=plan)
    return wh.path


@pytest.fixture
def app_warehouse(tmp_path, monkeypatch, _app_warehouse_file) -> Warehouse:
    """A private copy of the app demo, set as the warehouse the app opens."""
    target = tmp_path / "app.duckdb"
    shutil.copy(_app_warehouse_file, target)
    monkeypatch.setenv("REPURCHASE_WAREHOUSE", str(target))
    return Warehouse(target)


@pytest.fixture
def golden(tmp_path) -> Warehouse:
    """The hand-written golden data set (tests/data/golden_*.csv) in a fresh warehouse."""
    from repurchase import importer

    wh = Warehouse(tmp_path / "golden.duckdb")
    data = REPO / "tests" / "data"
    importer.import_files(
        wh, [data / f"golden_{k}.csv" for k in ("reps", "customers", "visits", "orders")]
    )
    return wh


@pytest.fixture
def empty_warehouse(tmp_path) -> Warehouse:
    return Warehouse(tmp_path / "empty.duckdb")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server for the whole run (tests/pg_server.py), stopped at the end.

    Without PostgreSQL installed the tests that use it are skipped, unless
    REPURCHASE_REQUIRE_POSTGRES=1 (CI sets it), where they fail.
    """
    bindir = find_bindir()
    if bindir is None:
        reason = "no PostgreSQL server (initdb) via pg_config, /usr/lib/postgresql/*/bin or PATH"
        if os.environ.get("REPURCHASE_REQUIRE_POSTGRES") == "1":
            pytest.fail(
                f"{reason}; REPURCHASE_REQUIRE_POSTGRES=1 demands them: "
                "install Debian's postgresql package (apt-get install -y postgresql)",
                pytrace=False,
            )
        pytest.skip(f"{reason} (apt-get install -y postgresql)")
    with PostgresServer(bindir) as server:
        yield server


def snapshot(wh: Warehouse) -> dict[str, str]:
    """A fingerprint of every table's full contents: equal snapshots mean nothing changed."""
    prints = {}
    with wh.connect() as cur:
        tables = [
            r[0]
            for r in cur.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'main' order by table_name"
            ).fetchall()
        ]
        for table in tables:
            frame = cur.execute(f'select * from "{table}" order by all').df()
            digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
            prints[table] = f"{len(frame)}:{digest.hexdigest()[:16]}"
        prints["_sequences"] = str(
            cur.execute(
                "select sequence_name, last_value from duckdb_sequences() order by 1"
            ).fetchall()
        )
    return prints


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300):
    """Run `python -m repurchase ...` in a child process, as a user would."""
    import os
    import subprocess

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "repurchase", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
