"""`python -m repurchase <command>`: the one way to run every job from a shell.

Commands print what they did; errors the user can fix go to stderr as one clear message with
exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from repurchase import codes
from repurchase.demo import synthetic
from repurchase.errors import NotEnoughHistoryError, RepurchaseError
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse

# The demo's simulated list use, as `demo.AdoptionPlan` sets it; written here so that parsing
# the command line does not import torch (`--help` and light commands stay fast). A test keeps
# the two equal.
ADOPTION_WEEKS = 4
ADHERENCE = 0.6

Command = Callable[[argparse.Namespace, Warehouse], int]
_COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        _COMMANDS[name] = fn
        return fn

    return register


def _progress_printer(stream=sys.stderr) -> Callable[[float, str], None]:
    last = [-1]

    def show(fraction: float, message: str) -> None:
        percent = int(fraction * 100)
        if percent // 5 != last[0] // 5 or fraction >= 1.0:
            print(f"[{percent:3d}%] {message}", file=stream, flush=True)
            last[0] = percent

    return show


# ----------------------------------------------------------------------------- commands


@command("init-demo")
def _init_demo(args: argparse.Namespace, warehouse: Warehouse) -> int:
    config = synthetic.DemoConfig(
        seed=args.seed,
        reps=args.reps,
        customers_per_rep=(args.customers_min, args.customers_max),
        days=args.days,
        end=args.end,
    )
    from repurchase.services import demo  # trains models (torch): imported only when asked

    plan = demo.AdoptionPlan(weeks=args.adoption_weeks, adherence=args.adherence)
    result = demo.build(
        warehouse,
        config,
        progress=_progress_printer(),
        replace=args.force,
        adoption=plan if args.adoption_weeks > 0 else None,
    )
    rows = ", ".join(f"{n:,} {k}" for k, n in result.rows.items())
    print(
        f"demo warehouse {warehouse.path}: {rows}; "
        f"{result.megabytes:.1f} MB in {result.seconds:.1f} s"
    )
    if result.backup:
        print(f"  what it replaced is backed up in {result.backup}")
    return 0


@command("import")
def _import(args: argparse.Namespace, warehouse: Warehouse) -> int:
    files = [importer.read_file(p, args.kind) for p in args.files]
    report = importer.validate(warehouse, files)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.dry_run:
        if report.ok:
            print(f"would import: {report.rows}")
            return 0
        raise importer.ImportValidationError(report.issues, report.total_issues)
    if args.replace_demo:
        return _import_replacing_demo(args, warehouse, report)
    result = importer.write(warehouse, report, imported_by=args.by)
    print(result.summary())
    return 0


def _import_replacing_demo(
    args: argparse.Namespace, warehouse: Warehouse, report: importer.ValidationReport
) -> int:
    """`import --replace-demo`: back up the demo, import and remove the demo in one transaction,
    creating the operator's admin account (--admin) in the same transaction."""
    from repurchase.services import demo_guard

    admin = None
    if args.admin:
        password = _read_admin_password(args.admin, args.password_stdin)
        admin = demo_guard.NewAdmin(args.admin, password)
    done = demo_guard.replace_demo_and_import(
        warehouse, report, imported_by=args.by, admin=admin, exclusive=True
    )
    print(f"backed up the demo to {done.backup.folder}")
    print(done.report.summary())
    removed = ", ".join(f"{n:,} {t}" for t, n in sorted(done.removed.items()))
    print(f"removed the demo: {removed or 'nothing'}; its accounts can no longer sign in")
    if done.admin:
        print(f"user {done.admin.username} (admin) can sign in")
    return 0


def _read_admin_password(username: str, from_stdin: bool) -> str:
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(f"password for {username}: ")


@command("move-to-postgres")
def _move_to_postgres(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.warehouse import move as move_to_postgres

    source = Warehouse(args.warehouse, backend="duckdb")
    target = Warehouse(args.warehouse, dsn=args.dsn or warehouse.dsn)
    if target.dsn is None:
        raise RepurchaseError(
            "move-to-postgres needs the target database: --dsn, or REPURCHASE_BACKEND=postgres "
            "with REPURCHASE_POSTGRES_DSN"
        )
    done = move_to_postgres.move(source, target)
    rows = sum(done.tables.values())
    print(
        f"copied {source.path} into {target.where}: {len(done.tables)} tables, {rows:,} rows; "
        "set REPURCHASE_BACKEND=postgres and REPURCHASE_POSTGRES_DSN on every app server"
    )
    return 0


@command("backup")
def _backup(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.warehouse import backup

    if warehouse.backend == "postgres":
        raise RepurchaseError(
            f"the warehouse is the PostgreSQL database {warehouse.where}: back it up with "
            "PostgreSQL's own tools (pg_dump, or your provider's snapshots); `backup` copies "
            "the single-file warehouse"
        )
    # this process does nothing else with the warehouse: the fast copy is safe
    done = backup.take(warehouse, args.to, keep=args.keep, exclusive=True)
    rows = sum(n for n, _ in done.tables.values())
    print(
        f"backed up {warehouse.path} to {done.folder}: {len(done.tables)} tables, {rows:,} rows, "
        f"{len(done.models)} model version(s); the file was held {done.seconds_holding_file:.2f} s"
    )
    for folder in done.pruned:
        print(f"  removed the old backup {folder} (keeping the newest {args.keep})")
    return 0


@command("restore")
def _restore(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.warehouse import backup

    done = backup.restore(args.path, warehouse, keep=args.keep)
    if done.safety_backup:
        print(f"backed up the current warehouse to {done.safety_backup.folder}")
    rows = sum(n for n, _ in done.tables.values())
    print(
        f"restored {done.warehouse} from {done.source}: {len(done.tables)} tables, {rows:,} rows, "
        "row counts and checksums as in the backup"
    )
    return 0


@command("stats")
def _stats(args: argparse.Namespace, warehouse: Warehouse) -> int:
    if not warehouse.exists():
        raise RepurchaseError(
            f"no warehouse at {warehouse.where}; "
            "run `python -m repurchase init-demo` or import files"
        )
    counts = warehouse.table_counts()
    ranges = warehouse.query("stats_ranges")
    outcomes = warehouse.query("stats_visit_outcomes")
    cohorts = warehouse.query("stats_rep_cohorts", as_of=args.as_of or date.today())
    if warehouse.backend == "postgres":
        print(f"warehouse {warehouse.where} (schema version {warehouse.schema_version()})")
    else:
        size = warehouse.path.stat().st_size / 1e6
        print(
            f"warehouse {warehouse.path} ({size:.1f} MB, "
            f"schema version {warehouse.schema_version()})"
        )
    print("\nrows")
    width = max(map(len, counts), default=0)
    for table, n in counts.items():
        print(f"  {table:<{width}} {n:>12,}")
    print("\ndate ranges")
    for row in ranges.itertuples():
        span = f"{row.first:%Y-%m-%d} .. {row.last:%Y-%m-%d}" if row.rows else "(none)"
        print(f"  {row.what:<18} {span}")
    print("\nvisit success rate")
    for row in outcomes.itertuples():
        label = row.level if isinstance(row.level, str) else "all reps"
        rate = f"{row.success_rate:6.2%}" if row.visits else "     -"
        print(f"  {label:<18} {rate}  ({row.orders:,} orders / {row.visits:,} visits)")
    print("\ncurrent reps")
    for dimension, group in cohorts.groupby("dimension", sort=False):
        cells = ", ".join(f"{r.cohort}: {r.reps}" for r in group.itertuples())
        print(f"  {dimension:<18} {cells}")
    return 0


def _train_config(args: argparse.Namespace, feature_set: str | None = None):
    from repurchase.model.train import TrainConfig

    network = getattr(args, "network", None)
    if network == "paper" and feature_set is None:
        feature_set = "paper"  # the paper's exact set-up unless told otherwise
    overrides = {
        "network": network,
        "seeds": getattr(args, "seeds_count", None),
        "peers": False if getattr(args, "no_peers", False) else None,
        "feature_set": feature_set,
        "horizon_days": args.horizon_days,
        "max_epochs": args.epochs,
        "samples_per_epoch": args.samples_per_epoch,
        "validation_weeks": args.validation_weeks,
        "seed": args.seed,
        "time_budget_seconds": args.budget_seconds,
    }
    return TrainConfig(**{k: v for k, v in overrides.items() if v is not None})


def _as_job(warehouse: Warehouse, action: str, params: dict):
    """Run a job action in this process, recorded in the warehouse like the Data page's jobs
    (one at a time per kind, visible to every admin, cancellable from the Data page)."""
    from repurchase.services import job_runner, jobs

    with job_runner.recorded(
        warehouse, action, params, job_runner.cli_user(), echo=_progress_printer()
    ) as job:
        done = jobs.perform(warehouse, action, params, job, job.before_commit)
        job.outcome, job.result = done.outcome, done.result_data
    return done.result


def _train_and_register(args: argparse.Namespace, warehouse: Warehouse, until: date):
    """Train on everything before `until`, save the version, promote it if not worse."""
    from repurchase.services import jobs

    params = jobs.train_params(_train_config(args, args.features), until=until)
    run = _as_job(warehouse, "train", params)
    _print_run(run)
    return run


def _print_run(run) -> None:
    result, m = run.result, run.result.metrics
    print(
        f"model {run.version}: trained on weekly anchors {result.train_start} .. "
        f"{result.train_end} ({m['train_anchors']:,.0f} anchors, {m['epochs_run']:.0f} epochs, "
        f"best {m['best_epoch']:.0f}) in {result.timings['total']:.0f} s"
    )
    print(
        f"  validation: AUC {m['valid_auc']:.4f}, Brier {m['valid_brier']:.4f}, "
        f"top-{result.train_config.top_n} precision {m['precision_at_n']:.1%} "
        f"vs base rate {m['base_rate']:.1%} (lift {m['lift']:+.0%})"
    )
    promoted = run.promotion.promoted
    state = "promoted to serving" if promoted else "rejected, the serving model stays"
    print(f"  {state}: {run.promotion.reason}")
    for row in result.gate:
        print(
            f"  {row['method']:<18} list precision {row['list_precision']:.1%}  "
            f"AUC {row['auc']:.4f}"
            + ("  <- serves" if row["method"] == result.predictor.serving else "")
        )


@command("train")
def _train(args: argparse.Namespace, warehouse: Warehouse) -> int:
    _train_and_register(args, warehouse, args.until or date.today())
    return 0


@command("score")
def _score(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.lists import score
    from repurchase.model import registry

    model = registry.load(warehouse, args.version) if args.version else None
    result = score.score_day(
        warehouse, args.as_of, model=model, top_n=args.top_n, replace=args.replace
    )
    scores = result.scores
    print(
        f"scored {len(scores):,} customers as of {args.as_of} with model {result.version} "
        f"in {result.seconds:.1f} s; {int(scores.on_list.sum()):,} on "
        f"{scores.rep_id.nunique()} reps' lists"
    )
    print(
        f"  expected value in the horizon {scores.expected_value.sum():,.0f} in all; "
        f"{int(scores.at_risk.sum()):,} customers at risk of drifting away"
    )
    if not result.list_written:
        print("  that day's call lists already existed and were kept (use --replace to redo them)")
    if args.out:
        score.export_csv(scores, args.out)
        print(f"  wrote {args.out}")
    return 0


@command("nightly")
def _nightly(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.services import jobs

    today = args.today or date.today()
    params = jobs.train_params(_train_config(args, args.features), today=today, top_n=args.top_n)
    run, scored = _as_job(warehouse, "nightly", params)
    _print_run(run)
    print(f"scored {len(scored.scores):,} customers for {today} with {scored.version}")
    return 0


@command("models")
def _models(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.model import registry

    if args.clean:
        from repurchase.services import job_runner

        # under the retrain slot: no training run can be writing artefacts meanwhile
        with job_runner.recorded(warehouse, "clean", {}, job_runner.cli_user()) as job:
            cleaned = registry.clean_up(warehouse)
            job.outcome = cleaned.summary()
            job.result = {
                "folders": len(cleaned.partial) + len(cleaned.orphans),
                "versions": len(cleaned.candidates),
            }
        print(job.outcome)
    table = registry.versions(warehouse)
    if table.empty:
        print("no models yet; run `python -m repurchase train`")
        return 0
    for row in table.itertuples():
        print(
            f"{row.version}  {row.status:<9}  {row.architecture:<18} "
            f"history to {row.train_end:%Y-%m-%d}  "
            f"AUC {row.valid_auc:.4f}  top-N precision {row.precision_at_n:.1%}"
        )
    serving = registry.serving_version(warehouse)
    if serving:
        model = registry.load(warehouse, serving)
        print(f"\nserving {serving}: {_serving_words(model)}")
        for row in model.gate:
            margin = row.get("margin_se", 0.0)
            print(
                f"  {row['method']:<18} list precision {row['list_precision']:.1%}  "
                f"(top-N {row['precision_top_n']:.1%}, top 10 % {row['precision_top10pct']:.1%})"
                f"  AUC {row['auc']:.4f}"
                + (f"  vs network: +-{margin:.1%}" if row["method"] != "network" else "")
            )
    return 0


def _serving_words(model) -> str:
    """Which method makes the lists, in plain words."""
    if model.serving_method == "network":
        return (
            "the CNN-LSTM network makes the lists: on the latest validation weeks no simple "
            "peer made lists better by more than the comparison can tell apart"
        )
    return (
        f"the simple peer '{model.serving_method}' makes the lists: on the latest validation "
        "weeks it beat the network by more than the comparison's noise; the network is kept "
        "for comparison"
    )


@command("backtest")
def _backtest(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.cli import reporting
    from repurchase.evaluation import backtest
    from repurchase.evaluation import outcomes as evaluate

    cfg = backtest.BacktestConfig(
        weeks=args.weeks,
        end=args.end or date.today(),
        fast=args.fast,
        feature_sets=tuple(args.features.split(",")),
        seeds=tuple(int(x) for x in args.seeds.split(",")),
        top_n=args.top_n,
        train=_train_config(args),
    )
    lists = warehouse.query("list_period").iloc[0]
    starts = backtest.week_starts(cfg.end, cfg.weeks)
    if pd.notna(lists.first_day) and starts[-1] + timedelta(days=7) > lists.first_day.date():
        print(
            f"note: call lists exist from {lists.first_day:%Y-%m-%d}; reps' choices in the "
            "later backtest weeks were influenced by them (use --end to stop before)",
            file=sys.stderr,
        )
    from repurchase.services import jobs

    result, run_id = _as_job(warehouse, "backtest", jobs.backtest_params(cfg))
    print(reporting.backtest_tables(result.table1, result.summary))
    print("\n" + backtest.measures_text(result.measures))
    predictions = result.predictions
    for column in [c for c in predictions.columns if c.startswith("model/") and "raw" not in c]:
        raw = predictions[f"{column} (raw)"]
        before = evaluate.expected_calibration_error(raw, predictions.label)
        after = evaluate.expected_calibration_error(predictions[column], predictions.label)
        print(
            f"\ncalibration of {column} on these out-of-time weeks: ECE {before:.3f} raw, "
            f"{after:.3f} after Platt scaling"
        )
    out = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    result.weekly.to_csv(out / "backtest_weekly.csv", index=False)
    result.summary.to_csv(out / "backtest_summary.csv", index=False)
    result.table1.to_csv(out / "backtest_table1.csv", index=False)
    print(
        f"\nrun {run_id} in {result.seconds:.0f} s; CSVs in {out} (backtest_table1.csv holds "
        "the two curves of Figure 6)"
    )
    return 0


@command("report")
def _report(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.cli import reporting
    from repurchase.evaluation import outcomes as evaluate

    period = warehouse.query("list_period").iloc[0]
    if pd.isna(period.first_day):
        raise RepurchaseError("no call lists yet: score a day first (python -m repurchase score)")
    first = args.first or period.first_day.date()
    last = args.last or period.last_day.date()
    print(f"period {first} .. {last}\n")
    print(reporting.version_table(evaluate.version_table(warehouse, first, last)))
    visits = evaluate.on_list_visits(warehouse, first, last)
    if args.level:
        visits = visits[visits.level == args.level]
    print()
    print(reporting.on_off_table(evaluate.on_off_table(visits, args.min_visits)))
    print()
    reps = None
    if args.level:
        everyone = warehouse.query("scope_reps", role="admin", rep_id=None, team=None)
        reps = everyone[everyone.level == args.level].rep_id.tolist()
    print(reporting.holdout(evaluate.holdout_lift(warehouse, first, last, reps=reps)))
    latest = warehouse.query("latest_backtest_predictions")
    for method in sorted(
        m for m in latest.method.unique() if m.startswith("model/") and "raw" not in m
    ):
        calibrated = latest[latest.method == method]
        raw = latest[latest.method == f"{method} (raw)"]
        print(
            f"\ncalibration of {method} in the latest backtest (out of time, "
            f"{len(calibrated):,} predictions): ECE "
            f"{evaluate.expected_calibration_error(raw.p, raw.label):.3f} raw, "
            f"{evaluate.expected_calibration_error(calibrated.p, calibrated.label):.3f} calibrated"
        )
    served = evaluate.served_outcomes(warehouse, first, last)
    if len(served):
        before = evaluate.expected_calibration_error(served.p_raw, served.ordered)
        after = evaluate.expected_calibration_error(served.p_order, served.ordered)
        print(
            f"\ncalibration of served probabilities ({len(served):,} scores whose horizon has "
            f"passed): ECE {before:.3f} raw network output, {after:.3f} as served (calibrated)"
        )
    return 0


@command("jobs")
def _jobs(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.services import job_runner

    if args.action != "list" and args.job_id is None:
        raise RepurchaseError(f"jobs {args.action} needs a job id, e.g. `jobs {args.action} 3`")
    if args.action == "run":
        job = job_runner.run_worker(warehouse, args.job_id, echo=_progress_printer(sys.stdout))
        print(f"job {job.job_id} {job.status}: {job.outcome}")
        return 0
    if args.action == "cancel":
        job = job_runner.cancel(warehouse, args.job_id, job_runner.cli_user())
        if job.cancelling:
            print(f"job {job.job_id} ({job.action}) will stop at its next progress point")
        else:
            print(f"job {job.job_id} ({job.action}) is {job.status}: nothing to cancel")
        return 0
    found = job_runner.recent(warehouse, args.limit)
    if not found:
        print("no jobs yet")
    for job in found:
        print(_job_line(job))
    return 0


def _job_line(job) -> str:
    when = f"{job.created_at:%Y-%m-%d %H:%M}"
    head = f"{job.job_id:>4}  {job.status:<9}  {job.action:<8}  {when}  by {job.requested_by}"
    if job.active:
        state = f"{job.progress:4.0%}  {job.message or ''}"
        if job.cancelling:
            state += f"  (cancel requested by {job.cancel_requested_by})"
        return f"{head}\n      {state}"
    return f"{head}\n      {job.outcome or job.error or ''}"


@command("team-ranking")
def _team_ranking(args: argparse.Namespace, warehouse: Warehouse) -> int:
    """List what each team's lists rank by; with --team and --by, set it as the admin named by
    --admin (an account of the app: the change is kept with their name, as on the Data page)."""
    from repurchase.accounts import auth
    from repurchase.lists import team_settings

    if args.team is None and args.by is None:
        operator = auth.User("cli", "cli", "admin")  # reading needs no named admin
        table = team_settings.settings(warehouse, operator)
        if table.empty:
            print("no reps yet, so no teams")
            return 0
        table = table.assign(
            team=table.team.map(lambda t: t if t else "(no team)"),
            reps=table.reps.fillna(0).astype(int),  # a team set but now empty has no count
            updated_by=table.updated_by.fillna("-"),
            updated_at=table.updated_at.dt.strftime("%Y-%m-%d %H:%M").fillna("-"),
        )
        print(table[["team", "reps", "rank_by", "updated_by", "updated_at"]].to_string(index=False))
        return 0
    if args.team is None or args.by is None or not args.admin:
        raise RepurchaseError(
            "to change a team's ranking give --team, --by and --admin, e.g. "
            "`team-ranking --team T01 --by value --admin alice` (--team '' for reps without a team)"
        )
    admin = auth.user(warehouse, auth.normalise_username(args.admin))
    if admin is None:
        raise RepurchaseError(f"no active user {args.admin!r}: --admin names an admin of the app")
    before = team_settings.set_rank_by(warehouse, admin, args.team, args.by)
    name = args.team if args.team else "(no team)"
    print(f"team {name}: lists rank by {args.by} (was {before}) from the next list written")
    return 0


@command("add-user")
def _add_user(args: argparse.Namespace, warehouse: Warehouse) -> int:
    """A new user, through the same function as the Users page; an existing name is refused,
    never replaced (`users set-password`, `users set-role` change a user)."""
    from repurchase.accounts import auth, users

    # linked to a company account, a user needs no password (unless one is given on stdin)
    company_only = args.external_id and not args.password_stdin
    password = None if company_only else _read_password(args)
    try:
        user = users.add(
            warehouse,
            args.username,
            password,
            args.role,
            display_name=args.name,
            rep_id=args.rep_id,
            team=args.team,
            external_id=args.external_id,
            by=auth.SYSTEM,
        )
    except ValueError as exc:
        raise RepurchaseError(str(exc)) from exc
    how = []
    if args.external_id:
        how.append(f"with company sign-in as {auth.normalise_external_id(args.external_id)}")
    if password is not None:
        how.append("with a password")
    print(f"user {user.username} ({user.role}) can sign in {' and '.join(how)}")
    return 0


@command("users")
def _users(args: argparse.Namespace, warehouse: Warehouse) -> int:
    """User administration (repurchase/users.py): the same functions as the app's Users page,
    run as the server's operator."""
    from repurchase.accounts import auth, users

    name = getattr(args, "username", None)
    action = args.users_command
    if action == "list":
        table = users.list_users(warehouse, by=auth.SYSTEM)
        if table.empty:
            print("no users; add one with `python -m repurchase add-user NAME --role admin`")
            return 0
        table = table.assign(
            scope=[
                # (a missing team is NaN in the frame, which is truthy: test it, not the value)
                f"rep {r.rep_id}"
                if r.role == "rep"
                else f"team {r.team}"
                if pd.notna(r.team) and r.team
                else "all"
                for r in table.itertuples()
            ],
            status=["active" if a else "disabled" for a in table.active],
            last_login=table.last_login_at.dt.strftime("%Y-%m-%d %H:%M").fillna("-"),
        )
        columns = ["username", "display_name", "role", "scope", "status", "sessions", "last_login"]
        if table.external_id.notna().any():
            table = table.assign(company_account=table.external_id.fillna("-"))
            columns.append("company_account")
        print(table[columns].to_string(index=False))
    elif action == "set-password":
        ended = users.set_password(warehouse, name, _read_password(args), by=auth.SYSTEM)
        print(f"new password set for {name}; {ended} session(s) ended")
    elif action == "set-role":
        ended = users.set_role(
            warehouse, name, args.role, rep_id=args.rep_id, team=args.team, by=auth.SYSTEM
        )
        print(f"{name} is now {args.role}; {ended} session(s) ended")
    elif action == "disable":
        print(
            f"{name} is disabled; {users.disable(warehouse, name, by=auth.SYSTEM)} session(s) ended"
        )
    elif action == "enable":
        users.enable(warehouse, name, by=auth.SYSTEM)
        print(f"{name} can sign in again")
    elif action == "remove":
        print(
            f"{name} is removed; {users.remove(warehouse, name, by=auth.SYSTEM)} session(s) ended"
        )
    elif action == "sign-out":
        ended = users.sign_out_everywhere(warehouse, name, by=auth.SYSTEM)
        print(f"{ended} session(s) of {name} ended")
    elif action == "link":
        ended = users.set_external_id(warehouse, name, args.external_id, by=auth.SYSTEM)
        value = auth.normalise_external_id(args.external_id)
        print(f"{name} signs in with the company account {value}; {ended} session(s) ended")
    elif action == "unlink":
        ended = users.set_external_id(warehouse, name, None, by=auth.SYSTEM)
        print(f"{name} has no company account now; {ended} session(s) ended")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(f"password for {args.username}: ")


def _users_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="list users; set a password or role; disable, enable, remove")
    actions = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    actions.add_parser("list", help="every user with role, scope, status and open sessions")
    a = actions.add_parser("set-password", help="a new password; ends the user's sessions")
    a.add_argument("username")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    a = actions.add_parser("set-role", help="another role or scope; ends the user's sessions")
    a.add_argument("username")
    a.add_argument("--role", choices=["rep", "manager", "admin"], required=True)
    a.add_argument("--rep-id", help="for a rep: whose customers they see")
    a.add_argument("--team", help="for a manager: the team they see")
    a = actions.add_parser(
        "link", help="link the user to a company account (company sign-in); ends their sessions"
    )
    a.add_argument("username")
    a.add_argument("external_id", help="the value company sign-in matches, e.g. their email")
    for action, words in (
        ("unlink", "remove the user's company account; ends their sessions"),
        ("disable", "the user can no longer sign in; ends their sessions"),
        ("enable", "a disabled user can sign in again"),
        ("remove", "remove the user (their visits stay); ends their sessions"),
        ("sign-out", "end every session of the user (a lost phone)"),
    ):
        actions.add_parser(action, help=words).add_argument("username")


# ----------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m repurchase",
        description="Daily call lists for sales reps, from a CNN-LSTM repurchase model.",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        help="warehouse file (default: $REPURCHASE_WAREHOUSE, else data/warehouse.duckdb)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init-demo", help="generate the demo sales team into the warehouse")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--reps", type=int, default=synthetic.DemoConfig.reps)
    p.add_argument("--customers-min", type=int, default=synthetic.DemoConfig.customers_per_rep[0])
    p.add_argument("--customers-max", type=int, default=synthetic.DemoConfig.customers_per_rep[1])
    p.add_argument("--days", type=int, default=synthetic.DemoConfig.days, help="days of history")
    p.add_argument(
        "--end", type=date.fromisoformat, help="last day of history (default: yesterday)"
    )
    p.add_argument(
        "--force", action="store_true", help="replace a warehouse that holds data (backed up first)"
    )
    p.add_argument(
        "--adoption-weeks",
        type=int,
        default=ADOPTION_WEEKS,
        help="last weeks simulated with reps following lists (0: none; as the app: 4)",
    )
    p.add_argument(
        "--adherence",
        type=float,
        default=ADHERENCE,
        help="share of their list that junior reps call in those weeks (0.6)",
    )

    p = sub.add_parser("import", help="validate and import CSV or Parquet files (all or nothing)")
    p.add_argument("files", nargs="+", type=Path, help="reps*, customers*, visits*, orders* files")
    p.add_argument("--kind", choices=importer.KINDS, help="table of every file, if not in the name")
    p.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    p.add_argument("--by", default="cli", help="who is importing (kept with the batch)")
    p.add_argument(
        "--replace-demo",
        action="store_true",
        help="the warehouse holds the demo: back it up, then remove it (its rows, models and "
        "accounts) in the import's own transaction",
    )
    p.add_argument(
        "--admin",
        metavar="NAME",
        help="with --replace-demo: your own admin account, created in the same transaction "
        "(password asked for)",
    )
    p.add_argument(
        "--password-stdin", action="store_true", help="read --admin's password from stdin"
    )

    p = sub.add_parser(
        "backup", help="copy the warehouse, its models and demo truth (safe while the app serves)"
    )
    p.add_argument(
        "--to",
        type=Path,
        help="the new backup folder (default: a dated folder in $REPURCHASE_BACKUP_DIR, else "
        "beside the warehouse in <name>.backups/)",
    )
    p.add_argument(
        "--keep",
        type=int,
        default=14,
        help="without --to: keep the newest KEEP backups in the default folder (14)",
    )

    p = sub.add_parser(
        "restore", help="replace the warehouse with a backup (the current one is backed up first)"
    )
    p.add_argument("path", type=Path, help="a backup folder made by `backup`")
    p.add_argument("--keep", type=int, default=14, help="backups kept in the default folder (14)")

    def training_options(p: argparse.ArgumentParser, *, variant: bool = True) -> None:
        if variant:
            p.add_argument(
                "--features",
                choices=["paper", "rhythm"],
                help="feature set: the paper's 7, or the paper's plus rhythm features "
                "(default: rhythm; paper with --network paper)",
            )
            p.add_argument(
                "--network",
                choices=["hybrid", "paper"],
                help="hybrid (default: a smaller CNN-LSTM beside the peers' summary) or the "
                "paper's exact network",
            )
        p.add_argument(
            "--seeds-count",
            type=int,
            dest="seeds_count",
            help="networks averaged, each with its own seed (3)",
        )
        p.add_argument(
            "--no-peers", action="store_true", help="skip the peers: the network always serves"
        )
        p.add_argument("--horizon-days", type=int, help="predict orders within this many days (28)")
        p.add_argument("--epochs", type=int, help="at most this many epochs (early stopping)")
        p.add_argument("--samples-per-epoch", type=int)
        p.add_argument("--validation-weeks", type=int)
        p.add_argument("--budget-seconds", type=float, help="stop after the epoch crossing this")
        p.add_argument("--seed", type=int)

    p = sub.add_parser(
        "train", help="train a model on all history before a date, promote if not worse"
    )
    p.add_argument(
        "--until", type=date.fromisoformat, help="train on history before this day (today)"
    )
    training_options(p)

    p = sub.add_parser("score", help="score every customer as of a day and write call lists")
    p.add_argument("--as-of", type=date.fromisoformat, required=True)
    p.add_argument("--top-n", type=int, default=15, help="customers per rep list (15)")
    p.add_argument("--version", help="model version (default: the serving one)")
    p.add_argument(
        "--out", type=Path, help="also write customer_id, rep_id, p_order, rank, on_list"
    )
    p.add_argument("--replace", action="store_true", help="rewrite that day's lists if they exist")

    p = sub.add_parser("nightly", help="retrain on all history, promote if not worse, score today")
    p.add_argument("--today", type=date.fromisoformat, help="the day to score (default: today)")
    p.add_argument("--top-n", type=int, default=15)
    training_options(p)

    p = sub.add_parser("models", help="list model versions and which one is serving")
    p.add_argument(
        "--clean",
        action="store_true",
        help="first resolve what killed training runs left (half-written or unregistered "
        "artefact folders, versions never judged); the serving model is not touched",
    )

    p = sub.add_parser(
        "backtest", help="the paper's rolling weekly backtest, every baseline beside"
    )
    p.add_argument("--weeks", type=int, default=14)
    p.add_argument("--end", type=date.fromisoformat, help="use data before this day (today)")
    p.add_argument(
        "--fast",
        type=int,
        default=1,
        metavar="K",
        help="fit once per K weeks instead of every week (staler, never looks ahead)",
    )
    p.add_argument(
        "--features",
        default="hybrid",
        help="network variants: hybrid (with every peer); hybrid,paper adds the paper's exact "
        "network beside it (about twice as long)",
    )
    p.add_argument("--seeds", default="7", help="seeds per variant, averaged (e.g. 7,8,9)")
    p.add_argument("--top-n", type=int, default=15)
    p.add_argument("--out-dir", type=Path, default=Path("data/backtest"))
    training_options(p, variant=False)

    p = sub.add_parser("report", help="Tables 2 and 3 with intervals, hold-out lift, calibration")
    p.add_argument("--first", type=date.fromisoformat, help="first day (default: first list)")
    p.add_argument("--last", type=date.fromisoformat, help="last day (default: last list)")
    p.add_argument("--min-visits", type=int, default=30, help="mark cells with fewer visits")
    p.add_argument("--level", choices=["junior", "mid", "senior"], help="only reps of a level")

    p = sub.add_parser(
        "add-user", help="add a user who can sign in to the app (an existing name is refused)"
    )
    p.add_argument("username")
    p.add_argument("--role", choices=["rep", "manager", "admin"], required=True)
    p.add_argument("--rep-id", help="for a rep: whose customers they see")
    p.add_argument("--team", help="for a manager: the team they see")
    p.add_argument("--name", help="name shown in the app")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.add_argument(
        "--external-id",
        metavar="VALUE",
        help="company sign-in: the identity provider's value for this user (by default their "
        "verified email); such a user needs no password, unless --password-stdin gives one",
    )

    _users_parser(sub)

    p = sub.add_parser("jobs", help="background jobs (retrain, backtest): list them, cancel one")
    p.add_argument(
        "action",
        nargs="?",
        choices=["list", "cancel", "run"],
        default="list",
        help="list (default) the latest jobs; cancel JOB_ID; run JOB_ID (the worker the app "
        "starts)",
    )
    p.add_argument("job_id", nargs="?", type=int)
    p.add_argument("--limit", type=int, default=10, help="jobs to list (10)")

    p = sub.add_parser(
        "team-ranking",
        help="what each team's lists rank by (probability or value); set it for one team",
    )
    p.add_argument("--team", help="the team to change (reps.team; '' for reps without a team)")
    p.add_argument("--by", choices=codes.RANK_BY, help="rank by chance or by value")
    p.add_argument("--admin", metavar="NAME", help="the admin making the change (kept with it)")

    p = sub.add_parser(
        "move-to-postgres",
        help="copy this warehouse file into an empty PostgreSQL warehouse (all or nothing)",
    )
    p.add_argument("--dsn", help="the target database (default: $REPURCHASE_POSTGRES_DSN)")

    p = sub.add_parser("stats", help="row counts, date ranges, success rates, rep cohorts")
    p.add_argument("--as-of", type=date.fromisoformat, help="date for rep cohorts (default: today)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        warehouse = Warehouse(args.warehouse)
    except ValueError as exc:  # a backend setting that is wrong names itself
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return _COMMANDS[args.command](args, warehouse)
    except (RepurchaseError, FileExistsError, NotEnoughHistoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing half-written (every write is one transaction)", file=sys.stderr)
        return 130
