"""The warehouse's data: `init-demo`, `import`, `backup`, `restore`, `move-to-postgres`,
`stats`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from repurchase.cli.commands import command, progress_printer, read_password
from repurchase.demo import synthetic
from repurchase.errors import RepurchaseError
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse

# The demo's simulated list use, as `demo.AdoptionPlan` sets it; written here so that parsing
# the command line does not import torch (`--help` and light commands stay fast). A test keeps
# the two equal.
ADOPTION_WEEKS = 4
ADHERENCE = 0.6


def _init_demo_options(p: argparse.ArgumentParser) -> None:
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


@command("init-demo", "generate the demo sales team into the warehouse", _init_demo_options)
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
        progress=progress_printer(),
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


def _import_options(p: argparse.ArgumentParser) -> None:
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


@command("import", "validate and import CSV or Parquet files (all or nothing)", _import_options)
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
        password = read_password(args.admin, args.password_stdin)
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


def _backup_options(p: argparse.ArgumentParser) -> None:
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


@command(
    "backup",
    "copy the warehouse, its models and demo truth (safe while the app serves)",
    _backup_options,
)
def _backup(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.warehouse import backup

    if warehouse.backend == "postgres":
        raise RepurchaseError(
            f"the warehouse is the PostgreSQL database {warehouse.where}: back it up with "
            "PostgreSQL's own tools (pg_dump, or your provider's snapshots); `backup` copies "
            "the single-file warehouse"
        )
    _clean_leftovers(warehouse)
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


def _clean_leftovers(warehouse: Warehouse) -> None:
    """What an earlier backup or restore, killed, left beside the warehouse."""
    from repurchase.services import leftovers

    for path in leftovers.clean(warehouse):
        print(f"removed {path}, left by a backup, restore or save that was killed")


def _restore_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", type=Path, help="a backup folder made by `backup`")
    p.add_argument("--keep", type=int, default=14, help="backups kept in the default folder (14)")


@command(
    "restore",
    "replace the warehouse with a backup (the current one is backed up first)",
    _restore_options,
)
def _restore(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.warehouse import backup

    _clean_leftovers(warehouse)
    done = backup.restore(args.path, warehouse, keep=args.keep)
    if done.safety_backup:
        print(f"backed up the current warehouse to {done.safety_backup.folder}")
    rows = sum(n for n, _ in done.tables.values())
    print(
        f"restored {done.warehouse} from {done.source}: {len(done.tables)} tables, {rows:,} rows, "
        "row counts and checksums as in the backup"
    )
    return 0


def _move_to_postgres_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dsn", help="the target database (default: $REPURCHASE_POSTGRES_DSN)")


@command(
    "move-to-postgres",
    "copy this warehouse file into an empty PostgreSQL warehouse (all or nothing)",
    _move_to_postgres_options,
)
def _move_to_postgres(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.services import move_to_postgres

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


def _stats_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", type=date.fromisoformat, help="date for rep cohorts (default: today)")


@command("stats", "row counts, date ranges, success rates, rep cohorts", _stats_options)
def _stats(args: argparse.Namespace, warehouse: Warehouse) -> int:
    if not warehouse.exists():
        raise RepurchaseError(
            f"no warehouse at {warehouse.where}; "
            "run `python -m repurchase init-demo` or import files"
        )
    from repurchase.accounts import auth
    from repurchase.services import reports

    stats = reports.warehouse_stats(warehouse, auth.SYSTEM, args.as_of or date.today())
    if warehouse.backend == "postgres":
        print(f"warehouse {warehouse.where} (schema version {stats.schema_version})")
    else:
        size = warehouse.path.stat().st_size / 1e6
        print(f"warehouse {warehouse.path} ({size:.1f} MB, schema version {stats.schema_version})")
    print("\nrows")
    width = max(map(len, stats.counts), default=0)
    for table, n in stats.counts.items():
        print(f"  {table:<{width}} {n:>12,}")
    print("\ndate ranges")
    for row in stats.ranges.itertuples():
        span = f"{row.first:%Y-%m-%d} .. {row.last:%Y-%m-%d}" if row.rows else "(none)"
        print(f"  {row.what:<18} {span}")
    print("\nvisit success rate")
    for row in stats.visit_outcomes.itertuples():
        label = row.level if isinstance(row.level, str) else "all reps"
        rate = f"{row.success_rate:6.2%}" if row.visits else "     -"
        print(f"  {label:<18} {rate}  ({row.orders:,} orders / {row.visits:,} visits)")
    print("\ncurrent reps")
    for dimension, group in stats.rep_cohorts.groupby("dimension", sort=False):
        cells = ", ".join(f"{r.cohort}: {r.reps}" for r in group.itertuples())
        print(f"  {dimension:<18} {cells}")
    return 0
