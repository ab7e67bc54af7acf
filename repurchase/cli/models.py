"""Models and the jobs that make them: `train`, `score`, `nightly`, `models`, `jobs`.

Training is imported only inside the commands that train (torch takes seconds to load)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from repurchase.cli.commands import command, progress_printer
from repurchase.errors import RepurchaseError
from repurchase.i18n import steps
from repurchase.warehouse.store import Warehouse


def training_options(p: argparse.ArgumentParser, *, variant: bool = True) -> None:
    """The training settings `train`, `nightly` and (without the variant) `backtest` take."""
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


def train_config(args: argparse.Namespace, feature_set: str | None = None):
    """model.train.TrainConfig from the training options given (the rest: its defaults)."""
    from repurchase.model.config import TrainConfig

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


def as_job(warehouse: Warehouse, action: str, params: dict):
    """Run a job action in this process, recorded in the warehouse like the Data page's jobs
    (one at a time per kind, visible to every admin, cancellable from the Data page)."""
    from repurchase.services import job_runner, jobs

    with job_runner.recorded(
        warehouse, action, params, job_runner.cli_user(), echo=progress_printer()
    ) as job:
        done = jobs.perform(warehouse, action, params, job, job.before_commit)
        job.outcome, job.result = done.outcome, done.result_data
    return done.result


def _train_and_register(args: argparse.Namespace, warehouse: Warehouse, until: date):
    """Train on everything before `until`, save the version, promote it if not worse."""
    from repurchase.services import jobs

    params = jobs.train_params(train_config(args, args.features), until=until)
    run = as_job(warehouse, "train", params)
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


def _train_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--until", type=date.fromisoformat, help="train on history before this day (today)"
    )
    training_options(p)


@command(
    "train", "train a model on all history before a date, promote if not worse", _train_options
)
def _train(args: argparse.Namespace, warehouse: Warehouse) -> int:
    _train_and_register(args, warehouse, args.until or date.today())
    return 0


def _score_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", type=date.fromisoformat, required=True)
    p.add_argument("--top-n", type=int, default=15, help="customers per rep list (15)")
    p.add_argument("--version", help="model version (default: the serving one)")
    p.add_argument(
        "--out", type=Path, help="also write customer_id, rep_id, p_order, rank, on_list"
    )
    p.add_argument("--replace", action="store_true", help="rewrite that day's lists if they exist")


@command("score", "score every customer as of a day and write call lists", _score_options)
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


def _nightly_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--today", type=date.fromisoformat, help="the day to score (default: today)")
    p.add_argument("--top-n", type=int, default=15)
    training_options(p)


@command("nightly", "retrain on all history, promote if not worse, score today", _nightly_options)
def _nightly(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.services import jobs

    today = args.today or date.today()
    params = jobs.train_params(train_config(args, args.features), today=today, top_n=args.top_n)
    run, scored = as_job(warehouse, "nightly", params)
    _print_run(run)
    print(f"scored {len(scored.scores):,} customers for {today} with {scored.version}")
    return 0


def _models_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--clean",
        action="store_true",
        help="first resolve what killed training runs left (half-written or unregistered "
        "artefact folders, versions never judged); the serving model is not touched",
    )


@command("models", "list model versions and which one is serving", _models_options)
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


def _jobs_options(p: argparse.ArgumentParser) -> None:
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


@command("jobs", "background jobs (retrain, backtest): list them, cancel one", _jobs_options)
def _jobs(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.accounts import auth
    from repurchase.services import job_runner

    if args.action != "list" and args.job_id is None:
        raise RepurchaseError(f"jobs {args.action} needs a job id, e.g. `jobs {args.action} 3`")
    if args.action == "run":
        job = job_runner.run_worker(warehouse, args.job_id, echo=progress_printer(sys.stdout))
        print(f"job {job.job_id} {job.status}: {job.outcome}")
        return 0
    if args.action == "cancel":
        job = job_runner.cancel(warehouse, args.job_id, auth.SYSTEM)
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
        # a step's English text; older rows hold the text itself
        state = f"{job.progress:4.0%}  {steps.decode(job.message) or job.message or ''}"
        if job.cancelling:
            state += f"  (cancel requested by {job.cancel_requested_by})"
        return f"{head}\n      {state}"
    return f"{head}\n      {job.outcome or job.error or ''}"
