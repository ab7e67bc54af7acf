"""`python -m repurchase <command>`: the one way to run every job from a shell.

Commands print what they did; errors the user can fix go to stderr as one clear message with
exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from repurchase import demo, importer, synthetic
from repurchase.errors import RepurchaseError
from repurchase.warehouse import Warehouse

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
    result = demo.build(warehouse, config, progress=_progress_printer(), replace=args.force)
    rows = ", ".join(f"{n:,} {k}" for k, n in result.rows.items())
    print(
        f"demo warehouse {warehouse.path}: {rows}; "
        f"{result.megabytes:.1f} MB in {result.seconds:.1f} s"
    )
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
    result = importer.write(warehouse, report, imported_by=args.by)
    print(result.summary())
    return 0


@command("stats")
def _stats(args: argparse.Namespace, warehouse: Warehouse) -> int:
    if not warehouse.exists():
        raise RepurchaseError(
            f"no warehouse at {warehouse.path}; "
            "run `python -m repurchase init-demo` or import files"
        )
    counts = warehouse.table_counts()
    ranges = warehouse.query("stats_ranges")
    outcomes = warehouse.query("stats_visit_outcomes")
    cohorts = warehouse.query("stats_rep_cohorts", as_of=args.as_of or date.today())
    size = warehouse.path.stat().st_size / 1e6
    print(
        f"warehouse {warehouse.path} ({size:.1f} MB, schema version {warehouse.schema_version()})"
    )
    print("\nrows")
    for table, n in counts.items():
        print(f"  {table:<18} {n:>12,}")
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
    p.add_argument("--force", action="store_true", help="replace a warehouse that holds data")

    p = sub.add_parser("import", help="validate and import CSV or Parquet files (all or nothing)")
    p.add_argument("files", nargs="+", type=Path, help="reps*, customers*, visits*, orders* files")
    p.add_argument("--kind", choices=importer.KINDS, help="table of every file, if not in the name")
    p.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    p.add_argument("--by", default="cli", help="who is importing (kept with the batch)")

    p = sub.add_parser("stats", help="row counts, date ranges, success rates, rep cohorts")
    p.add_argument("--as-of", type=date.fromisoformat, help="date for rep cohorts (default: today)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    warehouse = Warehouse(args.warehouse)
    try:
        return _COMMANDS[args.command](args, warehouse)
    except (RepurchaseError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing half-written (every write is one transaction)", file=sys.stderr)
        return 130
