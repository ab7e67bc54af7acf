"""How well the lists work: `backtest` (the paper's rolling weekly backtest) and `report`
(Tables 2 and 3, the hold-out lift, calibration), printed by reporting.py."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from repurchase.cli.commands import command
from repurchase.cli.models import as_job, train_config, training_options
from repurchase.errors import RepurchaseError
from repurchase.warehouse.store import Warehouse


def _backtest_options(p: argparse.ArgumentParser) -> None:
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


@command(
    "backtest", "the paper's rolling weekly backtest, every baseline beside", _backtest_options
)
def _backtest(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.accounts import auth
    from repurchase.cli import reporting
    from repurchase.evaluation import backtest, worklist_measures
    from repurchase.evaluation import outcomes as evaluate
    from repurchase.services import reports

    cfg = backtest.BacktestConfig(
        weeks=args.weeks,
        end=args.end or date.today(),
        fast=args.fast,
        feature_sets=tuple(args.features.split(",")),
        seeds=tuple(int(x) for x in args.seeds.split(",")),
        top_n=args.top_n,
        train=train_config(args),
    )
    lists = reports.list_period(warehouse, auth.SYSTEM)
    starts = backtest.week_starts(cfg.end, cfg.weeks)
    if pd.notna(lists.first_day) and starts[-1] + timedelta(days=7) > lists.first_day.date():
        print(
            f"note: call lists exist from {lists.first_day:%Y-%m-%d}; reps' choices in the "
            "later backtest weeks were influenced by them (use --end to stop before)",
            file=sys.stderr,
        )
    from repurchase.services import jobs

    result, run_id = as_job(warehouse, "backtest", jobs.backtest_params(cfg))
    print(reporting.backtest_tables(result.table1, result.summary))
    said = backtest.resolution(result.weekly)
    if said is not None and said.too_small == "lists_take_all":
        print(
            f"\nToo little data to tell the methods apart: the lists left off only "
            f"{said.left_off:.0%} of the {said.candidates:,} customers visited in these "
            f"{said.weeks} weeks, so every method, random included, listed nearly the same "
            "customers and shows about the same precision."
        )
    elif said is not None and said.too_small == "too_few":
        print(
            f"\nToo little data to tell the methods apart: each method listed {said.listed:,} "
            f"customers, so its precision is known only to about +/- {said.margin:.1%}."
        )
    print("\n" + worklist_measures.measures_text(result.measures))
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


def _report_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--first", type=date.fromisoformat, help="first day (default: first list)")
    p.add_argument("--last", type=date.fromisoformat, help="last day (default: last list)")
    p.add_argument("--min-visits", type=int, default=30, help="mark cells with fewer visits")
    p.add_argument("--level", choices=["junior", "mid", "senior"], help="only reps of a level")


def _proof_text(warehouse: Warehouse, first: date, last: date, reps: list[str] | None) -> str:
    """The hold-out's proof per team, in the words the Cohorts page uses (English)."""
    from repurchase.accounts import auth
    from repurchase.services import proof

    found = proof.team_proofs(warehouse, auth.SYSTEM, first, last, tuple(reps) if reps else None)
    ranking = proof.ranking(warehouse, auth.SYSTEM)
    lines = ["Does the list help? Proof from the hold-out, per team (every visit method):"]
    for one in found:
        lines.append(
            f"  team {one.team or '(no team)'}: " + proof.verdict_sentence(one.proof, "en")
        )
        lines += [f"    {line}" for line in proof.detail_sentences(one.proof, "en", ranking)]
    return "\n".join(lines)


@command("report", "Tables 2 and 3 with intervals, hold-out lift, calibration", _report_options)
def _report(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.accounts import auth
    from repurchase.cli import reporting
    from repurchase.evaluation import outcomes as evaluate
    from repurchase.services import reports

    period = reports.list_period(warehouse, auth.SYSTEM)
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
        reps = reports.reps_of_level(warehouse, auth.SYSTEM, args.level)
    print(reporting.holdout(evaluate.holdout_lift(warehouse, first, last, reps=reps)))
    print()
    print(_proof_text(warehouse, first, last, reps))
    latest = reports.latest_backtest_predictions(warehouse, auth.SYSTEM)
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
