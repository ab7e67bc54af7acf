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

from repurchase.demo import synthetic
from repurchase.services import demo, demo_guard
from repurchase.warehouse.store import Warehouse

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


# --------------------------------------------------------------------------- both backends
#
# A test module (or test) marked `both_backends` runs once per warehouse backend: its
# small_warehouse, golden, empty_warehouse and app_warehouse are a DuckDB file, then a fresh
# PostgreSQL database on the suite's own server (a copy of a template, which takes ~0.1 s).
# Everything else runs on the file only.

BACKENDS = ("duckdb", "postgres")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "both_backends: run on the DuckDB file and on PostgreSQL (conftest.py)"
    )
    config.addinivalue_line(
        "markers",
        "file_only: in a both_backends module, a test of the DuckDB file's own behaviour (its "
        "lock, the queue for when it is held), which PostgreSQL does not have",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A test that fails while a fixture's app server runs shows the end of what the server
    printed: Streamlit's error page hides the traceback, and the log goes with the server."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    from repurchase.ui.server import log_tail, running_logs

    for log in running_logs():
        report.sections.append((f"Captured app server output ({log})", log_tail(log)))


def pytest_generate_tests(metafunc):
    marked = metafunc.definition.get_closest_marker("both_backends")
    file_only = metafunc.definition.get_closest_marker("file_only")
    chosen = any(  # a test that names its own backend(s) keeps them
        "backend" in str(m.args[0]) for m in metafunc.definition.iter_markers("parametrize")
    )
    if "backend" in metafunc.fixturenames and marked and not file_only and not chosen:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "duckdb")


_database_numbers = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def _postgres_templates(request) -> dict[str, str]:
    """Template databases already filled, by name; made on first use."""
    return {}


def _postgres_copy(request, monkeypatch, tmp_path, name: str, file: Path | None) -> Warehouse:
    """A fresh PostgreSQL warehouse for one test, filled from the DuckDB file `file` (or empty),
    set as the warehouse every `Warehouse()` of this process and its children opens."""
    from repurchase.services import move_to_postgres

    server = request.getfixturevalue("postgres_server")
    templates = request.getfixturevalue("_postgres_templates")
    if name not in templates:
        dsn = server.create_database(f"tpl_{name}")
        target = Warehouse(tmp_path / f"{name}.duckdb", dsn=dsn)
        if file is not None:
            move_to_postgres.move(Warehouse(file, backend="duckdb"), target)
        else:
            target.schema_version()  # migrated, nothing else
        target.close()  # a template cannot be copied while connected
        templates[name] = f"tpl_{name}"
    database = f"t{next(_database_numbers)}_{name}"
    dsn = server.create_database(database, template=templates[name])
    anchor = tmp_path / f"{name}.duckdb"
    monkeypatch.setenv("REPURCHASE_BACKEND", "postgres")
    monkeypatch.setenv("REPURCHASE_POSTGRES_DSN", dsn)
    monkeypatch.setenv("REPURCHASE_WAREHOUSE", str(anchor))
    wh = Warehouse(anchor, dsn=dsn)

    def drop() -> None:
        wh.close()
        server.drop_database(database)

    request.addfinalizer(drop)
    return wh


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
def small_warehouse(request, backend, monkeypatch, tmp_path, _small_warehouse_file) -> Warehouse:
    """A private copy of the small demo warehouse (4 reps, ~100 customers, 200 days)."""
    truth = _small_warehouse_file.with_name("small.truth")
    shutil.copytree(truth, tmp_path / "small.truth")
    if backend == "postgres":
        return _postgres_copy(request, monkeypatch, tmp_path, "small", _small_warehouse_file)
    target = tmp_path / "small.duckdb"
    shutil.copy(_small_warehouse_file, target)
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
    from repurchase.model import features, registry, train

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
def trained_warehouse(
    request, backend, monkeypatch, tmp_path, _trained_warehouse_file
) -> Warehouse:
    """A private copy of the small demo with one trained, serving model (artefact shared,
    read-only)."""
    if backend == "postgres":
        return _postgres_copy(request, monkeypatch, tmp_path, "trained", _trained_warehouse_file)
    target = tmp_path / "trained.duckdb"
    shutil.copy(_trained_warehouse_file, target)
    return Warehouse(target)


# The app's tests: a small demo ending yesterday, with simulated list use, demo users and
# today's lists, exactly as a first start leaves it.
APP_DEMO = {**SMALL, "end": date.today() - timedelta(days=1)}


@pytest.fixture(scope="session")
def _app_warehouse_file(tmp_path_factory) -> Path:
    from repurchase.model import train
    from repurchase.services import first_start as firststart

    folder = tmp_path_factory.mktemp("app")
    wh = Warehouse(folder / "app.duckdb")
    plan = demo.AdoptionPlan(
        weeks=4, retrain_after_weeks=2, top_n=15, training=train.TrainConfig(**TINY_TRAINING)
    )
    firststart.prepare(wh, demo_config=synthetic.DemoConfig(**APP_DEMO), adoption=plan)
    return wh.path


@pytest.fixture
def app_warehouse(request, backend, tmp_path, monkeypatch, _app_warehouse_file) -> Warehouse:
    """A private copy of the app demo, set as the warehouse the app opens."""
    if backend == "postgres":
        return _postgres_copy(request, monkeypatch, tmp_path, "app", _app_warehouse_file)
    target = tmp_path / "app.duckdb"
    shutil.copy(_app_warehouse_file, target)
    monkeypatch.setenv("REPURCHASE_WAREHOUSE", str(target))
    return Warehouse(target)


@pytest.fixture
def golden(request, backend, monkeypatch, tmp_path) -> Warehouse:
    """The hand-written golden data set (tests/data/golden_*.csv) in a fresh warehouse."""
    from repurchase.warehouse import importer

    if backend == "postgres":
        wh = _postgres_copy(request, monkeypatch, tmp_path, "empty", None)
    else:
        wh = Warehouse(tmp_path / "golden.duckdb")
    data = REPO / "tests" / "data"
    importer.import_files(
        wh, [data / f"golden_{k}.csv" for k in ("reps", "customers", "visits", "orders")]
    )
    return wh


@pytest.fixture
def empty_warehouse(request, backend, monkeypatch, tmp_path) -> Warehouse:
    if backend == "postgres":
        return _postgres_copy(request, monkeypatch, tmp_path, "empty", None)
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
                "where table_catalog = current_database() and table_schema = current_schema() "
                "order by table_name"
            ).fetchall()
        ]
        for table in tables:
            frame = cur.execute(f'select * from "{table}" order by all').df()
            for column in frame.columns:  # blobs (model artefacts) hash as their hex text
                values = frame[column]
                if values.dtype == object and any(
                    isinstance(v, (bytes, bytearray)) for v in values
                ):
                    frame[column] = frame[column].map(
                        lambda v: bytes(v).hex() if isinstance(v, (bytes, bytearray)) else v
                    )
            digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
            prints[table] = f"{len(frame)}:{digest.hexdigest()[:16]}"
        if wh.backend == "duckdb":
            # (PostgreSQL's sequences move on even in a transaction rolled back, by design: a
            # number is never handed out twice, and a rolled-back write changed no row)
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
