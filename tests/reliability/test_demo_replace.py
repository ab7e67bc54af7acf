"""Issue 10, blockers 1 and 9 and the mixed-data probe: demo and a company's data never mix,
nothing deletes a warehouse without a backup, and replacing the demo never locks the admin
out. (The Data page's journey is in test_demo_data_page.py.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pytest

from repurchase.accounts import auth
from repurchase.config import default_models_dir, truth_dir
from repurchase.services import demo, demo_guard, job_runner
from repurchase.services import first_start as firststart
from repurchase.warehouse import backup, importer
from repurchase.warehouse.importing import write
from repurchase.warehouse.store import Warehouse, load_migrations, next_id, sql

from ..conftest import _postgres_copy, run_cli, snapshot
from ._demo_company import demo_rows, write_files

# the warehouse, import, access and visit-logging tests run on both backends (conftest.py)
pytestmark = pytest.mark.both_backends

ALL_ZERO = dict.fromkeys(
    [
        "demo visits",
        "demo orders",
        "reps not the company's",
        "customers not the company's",
        "visits of other customers",
        "call lists",
        "scores",
        "hold-out draws",
        "backtests",
        "model versions",
        "demo accounts",
        "submissions of other visits",
        "demo batches",
    ],
    0,
)


@pytest.fixture
def demo_warehouse(request, backend, monkeypatch, tmp_path, _app_warehouse_file) -> Warehouse:
    """A private copy of the app's demo as a first start leaves it (models, lists, scores,
    hold-out, demo accounts), with its model folder and hidden truth beside it, and one
    backtest run stored."""
    if backend == "postgres":
        wh = _postgres_copy(request, monkeypatch, tmp_path, "app", _app_warehouse_file)
        target = wh.path
    else:
        target = tmp_path / "demo.duckdb"
        shutil.copy(_app_warehouse_file, target)
        wh = Warehouse(target)
    shutil.copytree(default_models_dir(_app_warehouse_file), default_models_dir(target))
    shutil.copytree(truth_dir(_app_warehouse_file), truth_dir(target))
    with wh.transaction() as cur:
        cur.execute("insert into backtest_runs (config, seconds) values ('{}', 1.0)")
        cur.execute(  # a visit the demo's rep saved in the app, with its submission
            "insert into visit_submissions (submission_id, visit_id, submitted_by, submitted_at)"
            " select 'demo-form-1', max(visit_id), 'rep', now()::timestamp from visits"
        )
    return wh


def _cli(wh: Warehouse, *args: str, stdin: str | None = None):
    import subprocess
    import sys

    from ..conftest import REPO

    return subprocess.run(
        [sys.executable, "-m", "repurchase", "--warehouse", str(wh.path), *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_plain_import_into_the_demo_is_refused_with_the_flag_named(demo_warehouse, tmp_path):
    files = write_files(tmp_path / "acme")
    before = snapshot(demo_warehouse)
    result = _cli(demo_warehouse, "import", *map(str, files))
    assert result.returncode == 2, result.stderr
    assert "--replace-demo" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(demo_warehouse) == before  # nothing written, the demo accounts still there


def test_replace_demo_leaves_zero_demo_rows_and_the_new_admin_can_sign_in(demo_warehouse, tmp_path):
    assert demo_rows(demo_warehouse)["demo visits"] > 1000  # a real demo to remove
    versions = list(demo_warehouse.query("model_versions").version)
    assert versions and all(
        (default_models_dir(demo_warehouse.path) / v).is_dir() for v in versions
    )
    files = write_files(tmp_path / "acme")
    result = _cli(
        demo_warehouse,
        "import",
        "--replace-demo",
        "--admin",
        "boss",
        "--password-stdin",
        *map(str, files),
        stdin="violet tractor harbour 42\n",
    )
    assert result.returncode == 0, result.stderr
    assert "removed the demo" in result.stdout and "user boss (admin) can sign in" in result.stdout

    assert demo_rows(demo_warehouse) == ALL_ZERO
    counts = demo_warehouse.table_counts()
    assert (counts["reps"], counts["customers"], counts["visits"], counts["orders"]) == (
        2,
        6,
        12,
        4,
    )
    assert demo_guard.kind(demo_warehouse) == "company"
    assert not truth_dir(demo_warehouse.path).exists()
    assert not any((default_models_dir(demo_warehouse.path) / v).exists() for v in versions)
    # the admin signs in with their own account; the public demo accounts are gone
    assert auth.authenticate(demo_warehouse, "boss", "violet tractor harbour 42").role == "admin"
    for name in ("admin", "manager", "rep"):
        with pytest.raises(auth.AuthError):
            auth.authenticate(demo_warehouse, name, auth.DEMO_PASSWORD)
    # and the demo was backed up first, whole
    [saved] = backup.list_backups(backup.backups_root(demo_warehouse))
    assert "before-replace-demo" in saved.name
    tables = backup.verify(saved)
    assert tables["visits"][0] > 1000 and sorted((saved / backup.MODELS).iterdir())


def test_replace_demo_without_an_admin_account_is_refused_and_changes_nothing(
    demo_warehouse, tmp_path
):
    before = snapshot(demo_warehouse)
    files = write_files(tmp_path / "acme")
    result = _cli(demo_warehouse, "import", "--replace-demo", *map(str, files))
    assert result.returncode == 2 and "--admin NAME" in result.stderr
    assert snapshot(demo_warehouse) == before


def test_an_import_naming_rows_only_the_demo_has_is_refused_whole(demo_warehouse, tmp_path):
    """Visits of a demo customer would dangle once the demo is gone: all or nothing."""
    before = snapshot(demo_warehouse)
    with demo_warehouse.connect() as cur:
        demo_customer = cur.execute("select min(customer_id) from customers").fetchone()[0]
    path = tmp_path / "orders.csv"
    path.write_text(f"customer_id,order_date,amount\n{demo_customer},2026-01-05,10\n")
    report = importer.validate(demo_warehouse, [importer.read_file(path)])
    assert report.ok
    with pytest.raises(demo_guard.DemoReplaceError, match=demo_customer):
        demo_guard.replace_demo_and_import(
            demo_warehouse,
            report,
            imported_by="admin",
            admin=demo_guard.NewAdmin("boss", "violet tractor harbour 42"),
        )
    assert snapshot(demo_warehouse) == before


def test_an_import_by_demo_then_a_restart_deletes_nothing(tmp_path):
    """Blocker 9: a company's warehouse imported `--by demo` (or by an admin named demo) was
    taken for an interrupted demo build and rebuilt on the next start."""
    wh = Warehouse(tmp_path / "company.duckdb")
    files = write_files(tmp_path / "acme")
    result = run_cli("--warehouse", str(wh.path), "import", "--by", "demo", *map(str, files))
    assert result.returncode == 0, result.stderr
    before = snapshot(wh)
    assert not firststart.needs_demo(wh)
    firststart.prepare(wh)  # what the app's next start runs
    assert snapshot(wh) == before


def test_init_demo_force_backs_up_what_it_replaces(tmp_path):
    wh = Warehouse(tmp_path / "company.duckdb")
    importer.import_files(wh, write_files(tmp_path / "acme"))
    company = snapshot(wh)
    result = run_cli(
        "--warehouse",
        str(wh.path),
        "init-demo",
        "--force",
        "--reps",
        "2",
        "--customers-min",
        "5",
        "--customers-max",
        "6",
        "--days",
        "120",
        "--adoption-weeks",
        "0",
    )
    assert result.returncode == 0, result.stderr
    assert "backed up in" in result.stdout
    assert demo_guard.is_demo(wh)
    [saved] = backup.list_backups(backup.backups_root(wh))
    assert "before-demo" in saved.name
    backup.restore(saved, wh)
    assert snapshot(wh) == company


def test_a_rebuilt_interrupted_demo_is_backed_up_first(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    demo_guard.start_demo_build(wh)  # a build that stopped right after its first write
    assert firststart.needs_demo(wh)
    config = dict(seed=3, reps=2, customers_per_rep=(5, 6), days=120, end=date(2026, 6, 30))
    from repurchase.demo import synthetic

    demo.build(wh, synthetic.DemoConfig(**config), replace=True)
    assert not firststart.needs_demo(wh)
    assert len(backup.list_backups(backup.backups_root(wh))) == 1


def _old_warehouse(path) -> Warehouse:
    """A warehouse on the schema before migration 0010, as older code left it."""
    return Warehouse(path, migrations=load_migrations()[:6])


@contextmanager
def _old_code_imports() -> Iterator[None]:
    """Imports as older code made them: it had no cohort outcome tables or hold-out sums to mark
    (migrations 0024, 0026), so today's importer skips those statements on a warehouse of the
    old schema."""
    current = write.sql
    newer = ("visit_outcomes_stale", "holdout_sums_stale")

    def older(name: str) -> str:
        return "select $day" if name in newer else current(name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(write, "sql", older)
        yield


def _as_old_code_made_it(demo) -> dict:
    """The demo's tables without what the worklist added (contacts, follow-ups, not_reached), which
    a warehouse on the old schema cannot hold."""
    tables = dict(demo.tables())
    tables["customers"] = tables["customers"].drop(columns=["contact_name", "contact_phone"])
    visits = tables["visits"].drop(columns=["follow_up_date"])
    tables["visits"] = visits.assign(result=visits.result.replace({"not_reached": "no_order"}))
    return tables


def test_migration_records_an_old_demo_and_an_old_companys_warehouse(tmp_path, small_demo):
    old_demo = _old_warehouse(tmp_path / "demo.duckdb")
    company = _old_warehouse(tmp_path / "company.duckdb")
    with _old_code_imports():
        importer.import_frames(
            old_demo, _as_old_code_made_it(small_demo), source="demo", imported_by="demo"
        )
        importer.import_files(company, write_files(tmp_path / "acme"), imported_by="demo")
    for wh in (old_demo, company):  # older code recorded neither
        with wh.transaction() as cur:
            cur.execute("delete from app_settings")
    assert demo_guard.kind(Warehouse(old_demo.path)) == "demo"
    assert demo_guard.kind(Warehouse(company.path)) == "company"  # whoever imported it
    assert not firststart.needs_demo(Warehouse(company.path))


def test_an_old_demo_with_a_companys_data_mixed_in_is_separated(tmp_path, small_demo):
    """The probe: older code imported a company's data beside the demo's visits and customers
    and nothing removed them. After migration 0010, replacing the demo removes exactly the
    demo's rows and keeps the company's."""
    old = _old_warehouse(tmp_path / "mixed.duckdb")
    files = write_files(tmp_path / "acme")
    with _old_code_imports():
        importer.import_frames(
            old, _as_old_code_made_it(small_demo), source="demo", imported_by="demo"
        )
        importer.import_files(old, files, imported_by="admin")
    with old.transaction() as cur:  # as older code left it: no record of what it is
        cur.execute("delete from app_settings")
    wh = Warehouse(old.path)
    assert demo_guard.is_demo(wh)
    assert demo_rows(wh)["demo visits"] > 1000
    report = importer.validate(wh, [importer.read_file(p) for p in files])  # the same files again
    done = demo_guard.replace_demo_and_import(
        wh,
        report,
        imported_by="admin",
        admin=demo_guard.NewAdmin("boss", "violet tractor harbour 42"),
    )
    assert done.removed["visits"] > 1000
    assert demo_rows(wh) == ALL_ZERO
    counts = wh.table_counts()
    assert (counts["reps"], counts["customers"], counts["visits"], counts["orders"]) == (
        2,
        6,
        12,
        4,
    )


def test_replacing_the_demo_waits_for_a_retrain_running_on_it(demo_warehouse, tmp_path):
    """A retrain of the demo finishing after the demo is gone would serve a demo model."""
    with demo_warehouse.transaction() as cur:
        job = next_id(cur, "job_id_seq")
        cur.execute(
            "insert into jobs (job_id, kind, action, params, requested_by, source, status) "
            "values ($j, 'retrain', 'nightly', '{}', 'admin', 'app', 'running')",
            {"j": job},
        )
        cur.execute("update job_slots set job_id = $j where kind = 'retrain'", {"j": job})
    before = snapshot(demo_warehouse)
    report = importer.validate(
        demo_warehouse, [importer.read_file(p) for p in write_files(tmp_path / "acme")]
    )
    with pytest.raises(demo_guard.DemoReplaceError, match="retrain job is running") as refused:
        demo_guard.replace_demo_and_import(
            demo_warehouse,
            report,
            imported_by="admin",
            admin=demo_guard.NewAdmin("boss", "violet tractor harbour 42"),
        )
    assert snapshot(demo_warehouse) == before
    # the Data page says it in the reader's language, naming the job
    from repurchase.ui import data_view

    assert refused.value.job.job_id == job
    chinese = data_view.job_running_refusal(refused.value, "zh")
    assert f"任务 {job}" in chinese and "重新训练" in chinese and "running" not in chinese
    assert data_view.job_running_refusal(refused.value, "en").startswith("A retrain job")


def test_a_job_asked_to_cancel_never_holds_up_replacing_the_demo(demo_warehouse, tmp_path):
    """A backtest asked to cancel used to refuse the import until it stopped (28 minutes on the
    demo). Now the import closes it and goes ahead, and the job can write nothing afterwards."""
    report = importer.validate(
        demo_warehouse, [importer.read_file(p) for p in write_files(tmp_path / "acme")]
    )
    with demo_warehouse.connect() as cur:
        runs_before = cur.execute("select count(*) from backtest_runs").fetchone()[0]
    done: list[object] = []

    def import_it() -> None:  # from the page's server, not from the job's thread
        try:
            done.append(
                demo_guard.replace_demo_and_import(
                    demo_warehouse,
                    report,
                    imported_by="admin",
                    admin=demo_guard.NewAdmin("boss", "violet tractor harbour 42"),
                )
            )
        except BaseException as exc:  # noqa: BLE001 (shown by the assertion below)
            done.append(exc)

    with pytest.raises(job_runner.JobCancelled):
        with job_runner.recorded(demo_warehouse, "backtest", {}, "admin") as run:
            job_id = run.job.job_id
            # the job runs in a worker process of its own, whose beats never meet the import's
            # transaction in one process's file: quiet this one's, which would
            run.stop()
            with demo_warehouse.transaction() as cur:
                cur.execute(
                    sql("job_cancel_request"),
                    {"now": datetime.now(), "by": "admin", "job_id": job_id},
                )
            importer_thread = threading.Thread(target=import_it)
            importer_thread.start()
            importer_thread.join()
            assert isinstance(done[0], demo_guard.Replaced), done[0]
            run.beat()  # its next beat tells it: the next progress point stops it
            with pytest.raises(job_runner.JobCancelled):
                run.check()
            # the job, still running its code, tries to store its result
            with demo_warehouse.transaction() as cur:
                cur.execute("insert into backtest_runs (config, seconds) values ('{}', 1.0)")
    # closed, then removed with the rest of the demo's job history
    assert job_runner.get(demo_warehouse, job_id) is None
    assert not job_runner.running(demo_warehouse)
    assert demo_rows(demo_warehouse) == ALL_ZERO
    with demo_warehouse.connect() as cur:
        assert runs_before > 0
        assert cur.execute("select count(*) from backtest_runs").fetchone()[0] == 0


def test_a_dead_job_never_holds_up_replacing_the_demo(demo_warehouse, tmp_path):
    """A job whose process was killed keeps its slot until someone closes it: the import does."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    job_id = job_runner.claim(demo_warehouse, "nightly", {}, "admin", "app", pid=gone.pid)
    report = importer.validate(
        demo_warehouse, [importer.read_file(p) for p in write_files(tmp_path / "acme")]
    )
    demo_guard.replace_demo_and_import(
        demo_warehouse,
        report,
        imported_by="admin",
        admin=demo_guard.NewAdmin("boss", "violet tractor harbour 42"),
    )
    assert job_runner.get(demo_warehouse, job_id) is None
    assert not job_runner.running(demo_warehouse)
    assert demo_rows(demo_warehouse) == ALL_ZERO
