"""The jobs that change which model serves, and the backtest: what they do, whoever runs them.

`retrain` trains and promotes the new version if it is not worse; `nightly` also scores today;
`score_today` scores a day with the serving model and writes its lists (the app starts it when
today's lists are missing: a page view never scores); `backtest` runs and stores the rolling
backtest. `perform` runs one of them from a job's
recorded parameters (job_runner.py records the job in the warehouse, beats, and turns a cancel
request into `JobCancelled` at the next progress point): the CLI's `train`, `nightly` and
`backtest`, and the worker the Data page starts, all go through it, so they do the same thing.

Cancelling is possible until the last step that changes what users see (saving a backtest run,
promoting a version): `before_commit` is called just before it and raises if a cancel was
requested; after it, the job finishes. The serving model keeps serving until a new one is
promoted, and a cancelled or failed run leaves it as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from repurchase.config import job_threads
from repurchase.evaluation import backtest as backtests
from repurchase.evaluation import holdout_sums, outcome_tables
from repurchase.i18n.steps import Step
from repurchase.lists import score
from repurchase.model import features, predictor, registry, train
from repurchase.model.config import TrainConfig
from repurchase.services import reminders, visit_queue
from repurchase.warehouse.store import Warehouse

Progress = Callable[[float, str], None]
Commit = Callable[[], None]


def _quiet(_fraction: float, _message: str) -> None:
    return None


def _go() -> None:
    return None


@dataclass(frozen=True)
class TrainRun:
    version: str
    result: train.TrainResult
    promotion: registry.Promotion


def retrain(
    warehouse: Warehouse,
    until: date,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
    before_commit: Commit | None = None,
) -> TrainRun:
    """Train on all history before `until`, save the version, promote it if not worse."""
    say = progress or _quiet
    say(0.0, Step("jobs.step.reading", day=until))
    history = features.load_history(warehouse, until)
    # the randomised hold-out's units so far: the call effect is calibrated on them and the
    # ranking judged on them where there are enough
    holdout = warehouse.query("holdout_training_units", until=until)
    result = train.train(
        history, until, config, progress=lambda f, m: say(0.02 + 0.9 * f, m), holdout=holdout
    )
    say(0.93, Step("jobs.step.saving"))
    version = registry.save(warehouse, result)
    try:
        (before_commit or _go)()
    except BaseException:
        registry.reject(warehouse, version)  # not left 'candidate' for ever
        raise
    promotion = registry.promote_if_not_worse(warehouse, version, history)
    say(0.95, promotion.reason)
    return TrainRun(version, result, promotion)


def nightly(
    warehouse: Warehouse,
    today: date,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
    top_n: int = score.DEFAULT_TOP_N,
    before_commit: Commit | None = None,
) -> tuple[TrainRun, score.DayScores]:
    """Retrain on everything before today, promote if not worse, then score today with the
    serving model. A list already written for today is kept (reps may be working from it and
    the evaluation must read what they saw); a newly promoted model's lists start tomorrow."""
    say = progress or _quiet
    # visits typed while a job held the file are history too: in before anything reads
    visit_queue.drain(warehouse)
    run = retrain(warehouse, today, config, lambda f, m: say(0.9 * f, m), before_commit)
    say(0.95, Step("jobs.step.scoring", day=today))
    scored = score.score_day(warehouse, today, top_n=top_n)
    # the cohort page reads yesterday and before from these counts, today live
    outcome_tables.build(warehouse, today)
    # and its hold-out proof from these sums
    holdout_sums.build(warehouse)
    say(1.0, Step("jobs.step.done"))
    return run, scored


def score_today(
    warehouse: Warehouse,
    today: date,
    progress: Progress | None = None,
    top_n: int = score.DEFAULT_TOP_N,
    before_commit: Commit | None = None,
) -> score.DayScores:
    """Score `today` with the serving model and write its scores, lists and the period's
    hold-out draw (what the app starts when today's lists are missing; a page never scores).
    A list already written for today is kept."""
    say = progress or _quiet
    # visits typed while a job held the file are history too: in before anything reads
    visit_queue.drain(warehouse)
    say(0.1, Step("jobs.step.scoring", day=today))
    # scoring is one write at its end: past this point the job finishes
    (before_commit or _go)()
    scored = score.score_day(warehouse, today, top_n=top_n)
    say(1.0, Step("jobs.step.done"))
    return scored


def backtest(
    warehouse: Warehouse,
    cfg: backtests.BacktestConfig,
    progress: Progress | None = None,
    before_commit: Commit | None = None,
) -> tuple[backtests.BacktestResult, int]:
    """Run the rolling backtest and store it (the Model page shows the latest run)."""
    result = backtests.run(warehouse, cfg, progress=progress)
    (before_commit or _go)()
    return result, backtests.save(warehouse, result, cfg)


# ----------------------------------------------------------------------------- recorded jobs


def train_params(config: TrainConfig, **extra: Any) -> dict[str, Any]:
    """A job's parameters: plain JSON, so the job can be run by another process."""
    return {
        **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in extra.items()},
        "train": config.to_dict(),
    }


def score_params(today: date, top_n: int = score.DEFAULT_TOP_N) -> dict[str, Any]:
    """The parameters of a `score` job (job_runner.start(warehouse, "score", ...))."""
    return {"today": today.isoformat(), "top_n": top_n}


def backtest_params(cfg: backtests.BacktestConfig) -> dict[str, Any]:
    return {
        "weeks": cfg.weeks,
        "end": cfg.end.isoformat() if cfg.end else None,
        "fast": cfg.fast,
        "feature_sets": list(cfg.feature_sets),
        "seeds": list(cfg.seeds),
        "top_n": cfg.top_n,
        "train": cfg.train.to_dict(),
    }


def _day(raw: str | None) -> date:
    return date.fromisoformat(raw) if raw else date.today()


@dataclass(frozen=True)
class Performed:
    outcome: str  # one line for the jobs table, for people
    result: Any  # TrainRun, (TrainRun, DayScores), DayScores or (BacktestResult, run id)
    result_data: dict[str, Any]  # what the Data page says about it, in the reader's language


def perform(
    warehouse: Warehouse,
    action: str,
    params: dict[str, Any],
    progress: Progress | None = None,
    before_commit: Commit | None = None,
) -> Performed:
    """Run a recorded job's action with its parameters (see job_runner.py), its model code on
    config.job_threads() CPU threads (one by default)."""
    say = progress or _quiet
    predictor.limit_threads(job_threads())
    if action in ("train", "nightly"):
        # the retrain slot is ours: no other training run can be writing artefacts now
        cleaned = registry.clean_up(warehouse)
        if cleaned:
            say(
                0.0,
                Step(
                    "jobs.step.cleaned",
                    partial=len(cleaned.partial),
                    orphans=len(cleaned.orphans),
                    candidates=len(cleaned.candidates),
                    versions=", ".join(cleaned.candidates) or "-",
                ),
            )
        config = TrainConfig(**params.get("train", {}))
        if action == "train":
            run = retrain(warehouse, _day(params.get("until")), config, say, before_commit)
            return Performed(_verdict(run), run, _run_data(run))
        run, scored = nightly(
            warehouse,
            _day(params.get("today")),
            config,
            say,
            top_n=int(params.get("top_n", score.DEFAULT_TOP_N)),
            before_commit=before_commit,
        )
        reminders.after_lists(warehouse, scored.day)  # never raises: mail cannot fail the job
        outcome = f"{_verdict(run)}; lists of {scored.day} by {scored.version}"
        return Performed(outcome, (run, scored), _run_data(run))
    if action == "score":
        scored = score_today(
            warehouse,
            _day(params.get("today")),
            say,
            top_n=int(params.get("top_n", score.DEFAULT_TOP_N)),
            before_commit=before_commit,
        )
        reminders.after_lists(warehouse, scored.day)
        state = "written" if scored.list_written else "already written, kept"
        outcome = f"lists of {scored.day} {state} (model {scored.version})"
        return Performed(outcome, scored, _score_data(scored))
    if action == "backtest":
        cfg = backtests.BacktestConfig(
            weeks=int(params["weeks"]),
            end=_day(params.get("end")),
            fast=int(params["fast"]),
            feature_sets=tuple(params["feature_sets"]),
            seeds=tuple(int(s) for s in params["seeds"]),
            top_n=int(params["top_n"]),
            train=TrainConfig(**params.get("train", {})),
        )
        result, run_id = backtest(warehouse, cfg, say, before_commit)
        return Performed(
            f"backtest run {run_id}: {cfg.weeks} weeks in {result.seconds:.0f} s",
            (result, run_id),
            {"backtest_run": run_id, "weeks": cfg.weeks},
        )
    raise ValueError(f"unknown job action {action!r}")


def _score_data(scored: score.DayScores) -> dict[str, Any]:
    return {
        "day": scored.day.isoformat(),
        "version": scored.version,
        "lists_written": scored.list_written,
    }


def _run_data(run: TrainRun) -> dict[str, Any]:
    return {"version": run.version, "promoted": run.promotion.promoted}


def _verdict(run: TrainRun) -> str:
    state = "promoted" if run.promotion.promoted else "not promoted"
    return f"version {run.version} {state}: {run.promotion.reason}"
