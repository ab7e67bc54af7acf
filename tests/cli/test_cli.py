"""`python -m repurchase`: the commands a user runs, run the way a user runs them."""

from __future__ import annotations

from ..conftest import REPO, run_cli


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for name in ("init-demo", "import", "stats"):
        assert name in result.stdout


def test_init_demo_then_stats_shows_the_demo(tmp_path):
    path = tmp_path / "cli.duckdb"
    built = run_cli(
        "--warehouse",
        str(path),
        "init-demo",
        "--reps",
        "3",
        "--customers-min",
        "10",
        "--customers-max",
        "15",
        "--days",
        "120",
        "--adoption-weeks",
        "0",
        "--end",
        "2026-06-30",
    )
    assert built.returncode == 0, built.stderr
    assert "[100%] demo ready" in built.stderr
    stats = run_cli("--warehouse", str(path), "stats", "--as-of", "2026-06-30")
    assert stats.returncode == 0, stats.stderr
    lines = stats.stdout.splitlines()
    customers = next(
        int(line.split()[-1].replace(",", ""))
        for line in lines
        if line.strip().startswith("customers")
    )
    assert 30 <= customers <= 45
    assert any(
        line.strip().startswith("visits") and "2026-0" in line and ".." in line for line in lines
    )
    assert "visit success rate" in stats.stdout


def test_init_demo_refuses_to_overwrite_data_without_force(tmp_path):
    path = tmp_path / "cli.duckdb"
    args = [
        "--warehouse",
        str(path),
        "init-demo",
        "--reps",
        "2",
        "--customers-min",
        "5",
        "--customers-max",
        "5",
        "--days",
        "30",
        "--end",
        "2026-06-30",
        "--adoption-weeks",
        "0",
    ]
    assert run_cli(*args).returncode == 0
    again = run_cli(*args)
    assert again.returncode == 2
    assert "--force" in again.stderr
    assert run_cli(*args, "--force").returncode == 0


def test_the_warehouse_comes_from_the_environment_without_a_flag(tmp_path):
    path = tmp_path / "from_env.duckdb"
    built = run_cli(
        "init-demo",
        "--reps",
        "2",
        "--customers-min",
        "5",
        "--customers-max",
        "5",
        "--days",
        "30",
        "--end",
        "2026-06-30",
        "--adoption-weeks",
        "0",
        env={"REPURCHASE_WAREHOUSE": str(path)},
    )
    assert built.returncode == 0, built.stderr
    assert path.is_file()


def _counts(path) -> str:
    out = run_cli("--warehouse", str(path), "stats").stdout
    return out[out.index("rows") : out.index("date ranges")]


def test_a_bad_csv_is_rejected_by_file_row_and_column_and_counts_stay(small_warehouse, tmp_path):
    before = _counts(small_warehouse.path)
    bad = tmp_path / "visits_october.csv"
    bad.write_text(
        "rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount\n"
        "R001,C00001,2026-06-01,phone,active,needs_discovery,order,,100\n"
        "R001,C00001,2026-06-31,phone,active,needs_discovery,order,,100\n"
    )
    result = run_cli("--warehouse", str(small_warehouse.path), "import", str(bad))
    assert result.returncode == 2
    assert "visits_october.csv, line 3, column visit_date" in result.stderr
    assert "Traceback" not in result.stderr
    assert _counts(small_warehouse.path) == before


def test_a_good_csv_imported_twice_is_added_once(small_warehouse, tmp_path):
    good = tmp_path / "visits.csv"
    good.write_text(
        "rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount\n"
        "R001,C00001,2026-06-01 09:00,phone,active,needs_discovery,order,,100\n"
        "R002,C00040,2026-06-01 10:00,im,active,needs_discovery,no_order,,\n"
    )
    first = run_cli("--warehouse", str(small_warehouse.path), "import", str(good))
    after_first = _counts(small_warehouse.path)
    second = run_cli("--warehouse", str(small_warehouse.path), "import", str(good))
    assert "visits: 2 new" in first.stdout
    assert "visits: 0 new, 2 already present" in second.stdout
    # only the batch log grows
    strip = lambda text: [ln for ln in text.splitlines() if "import_batches" not in ln]  # noqa: E731
    assert strip(_counts(small_warehouse.path)) == strip(after_first)


def test_dry_run_checks_without_writing(small_warehouse, tmp_path):
    before = _counts(small_warehouse.path)
    good = tmp_path / "visits.csv"
    good.write_text(
        "rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount\n"
        "R001,C00001,2026-06-01 09:00,phone,active,needs_discovery,order,,100\n"
    )
    result = run_cli("--warehouse", str(small_warehouse.path), "import", "--dry-run", str(good))
    assert result.returncode == 0 and "would import" in result.stdout
    assert _counts(small_warehouse.path) == before


def test_stats_on_a_missing_warehouse_says_what_to_do(tmp_path):
    result = run_cli("--warehouse", str(tmp_path / "nothing.duckdb"), "stats")
    assert result.returncode == 2
    assert "init-demo" in result.stderr


def test_backtest_and_report_print_the_papers_tables(tmp_path):
    """On a small demo with simulated list use: the backtest table with every baseline, CSVs,
    then Tables 2 and 3 with intervals and the hold-out lift."""
    from repurchase.demo import synthetic
    from repurchase.model import train
    from repurchase.services import demo
    from repurchase.warehouse.store import Warehouse

    from ..conftest import SMALL, TINY_TRAINING

    wh = Warehouse(tmp_path / "adopted.duckdb")
    plan = demo.AdoptionPlan(
        weeks=4, retrain_after_weeks=2, top_n=5, training=train.TrainConfig(**TINY_TRAINING)
    )
    demo.build(wh, synthetic.DemoConfig(**SMALL), adoption=plan)
    out = tmp_path / "bt"
    result = run_cli(
        "--warehouse",
        str(wh.path),
        "backtest",
        "--weeks",
        "2",
        "--end",
        "2026-07-01",
        "--fast",
        "2",
        "--features",
        "hybrid,paper",
        "--epochs",
        "1",
        "--samples-per-epoch",
        "800",
        "--validation-weeks",
        "4",
        "--top-n",
        "5",
        "--out-dir",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    for method in (
        "model/paper",
        "model/hybrid",
        "served",
        "gbm",
        "logistic",
        "bg/nbd",
        "recency-frequency",
        "round-robin",
        "random",
        "reps' own choice",
    ):
        assert method in result.stdout
    assert "ECE" in result.stdout
    assert {p.name for p in out.iterdir()} == {
        "backtest_weekly.csv",
        "backtest_summary.csv",
        "backtest_table1.csv",
    }
    report = run_cli("--warehouse", str(wh.path), "report", "--min-visits", "10")
    assert report.returncode == 0, report.stderr
    assert "Table 2" in report.stdout and "Table 3" in report.stdout
    assert "tenure < 1 y" in report.stdout and "age 26-30" in report.stdout
    assert "causal effect of listing" in report.stdout
    assert "calibration of model/paper in the latest backtest" in report.stdout


def test_report_without_lists_says_what_to_do(small_warehouse):
    result = run_cli("--warehouse", str(small_warehouse.path), "report")
    assert result.returncode == 2 and "score a day first" in result.stderr


def test_add_user_then_sign_in(small_warehouse):
    import subprocess
    import sys

    from repurchase.accounts import auth

    from ..conftest import REPO

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "repurchase",
            "--warehouse",
            str(small_warehouse.path),
            "add-user",
            "wang.wei",
            "--role",
            "rep",
            "--rep-id",
            "R002",
            "--password-stdin",
        ],
        input="a long secret\n",
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert auth.authenticate(small_warehouse, "wang.wei", "a long secret").rep_id == "R002"
    with small_warehouse.connect() as cur:
        stored = cur.execute("select * from users where username = 'wang.wei'").fetchall()
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "repurchase",
            "--warehouse",
            str(small_warehouse.path),
            "add-user",
            "Wang.Wei",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="another long secret\n",
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert again.returncode == 2
    assert again.stderr == "error: there is already a user 'wang.wei'\n"
    with small_warehouse.connect() as cur:
        assert cur.execute("select * from users where username = 'wang.wei'").fetchall() == stored
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "repurchase",
            "--warehouse",
            str(small_warehouse.path),
            "add-user",
            "x",
            "--role",
            "manager",
            "--password-stdin",
        ],
        input="a long secret\n",
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert refused.returncode == 2 and "needs the team" in refused.stderr


def test_the_command_line_parses_without_torch_and_matches_the_demo_defaults():
    """`--help` and light commands stay fast: parsing must not import torch (it took seconds
    per command), and the init-demo defaults written in cli.py must be the demo's own."""
    import subprocess
    import sys

    probe = (
        "import sys; from repurchase.cli import main as cli; cli.build_parser(); "
        "print('torch' in sys.modules, 'streamlit' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False False"
    # nothing on stderr either (streamlit warns "No runtime found" when imported outside it)
    assert run_cli("--help").stderr == ""
    from repurchase.cli import data
    from repurchase.services import demo

    assert data.ADOPTION_WEEKS == demo.AdoptionPlan.weeks
    assert data.ADHERENCE == demo.AdoptionPlan.adherence


def test_what_the_command_line_reads_is_authorized_like_any_caller(small_warehouse):
    """The CLI reads through services.reports as auth.SYSTEM; the same functions refuse a
    user whose role may not see them."""
    from datetime import date

    import pytest

    from repurchase.accounts import auth
    from repurchase.errors import AccessDeniedError
    from repurchase.services import reports

    reps = small_warehouse.query("scope_reps", role="admin", rep_id=None, team=None)
    team = reps.team.iloc[0]
    rep = auth.User("r", "r", "rep", rep_id=reps.rep_id.iloc[0])
    manager = auth.User("m", "m", "manager", team=team)
    with pytest.raises(AccessDeniedError):
        reports.warehouse_stats(small_warehouse, manager, date(2026, 6, 30))
    for read in (reports.list_period, reports.latest_backtest_predictions):
        with pytest.raises(AccessDeniedError):
            read(small_warehouse, rep)
    with pytest.raises(AccessDeniedError):
        reports.reps_of_level(small_warehouse, rep, "junior")
    stats = reports.warehouse_stats(small_warehouse, auth.SYSTEM, date(2026, 6, 30))
    assert stats.counts["reps"] == len(reps) and stats.schema_version > 0
    for level in ("junior", "mid", "senior"):
        everyone = reports.reps_of_level(small_warehouse, auth.SYSTEM, level)
        assert everyone == reps[reps.level == level].rep_id.tolist()
        mine = reports.reps_of_level(small_warehouse, manager, level)
        assert mine == reps[(reps.level == level) & (reps.team == team)].rep_id.tolist()
    assert reports.list_period(small_warehouse, manager).index.tolist() == [
        "first_day",
        "last_day",
    ]
