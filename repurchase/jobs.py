"""The jobs that change which model serves: retrain (and promote if not worse), and the
nightly run that also scores today. Used by the CLI and by the admin's Data page, so both do
exactly the same thing. The serving model keeps serving until a new one is promoted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from repurchase import features, registry, score, train
from repurchase.warehouse import Warehouse

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class TrainRun:
    version: str
    result: train.TrainResult
    promotion: registry.Promotion


def retrain(
    warehouse: Warehouse,
    until: date,
    config: train.TrainConfig | None = None,
    progress: Progress | None = None,
) -> TrainRun:
    """Train on all history before `until`, save the version, promote it if not worse."""
    say = progress or (lambda _f, _m: None)
    say(0.0, f"reading history before {until}")
    history = features.load_history(warehouse, until)
    result = train.train(history, until, config, progress=lambda f, m: say(0.02 + 0.9 * f, m))
    version = registry.save(warehouse, result)
    promotion = registry.promote_if_not_worse(warehouse, version, history)
    say(0.95, promotion.reason)
    return TrainRun(version, result, promotion)


def nightly(
    warehouse: Warehouse,
    today: date,
    config: train.TrainConfig | None = None,
    progress: Progress | None = None,
    top_n: int = score.DEFAULT_TOP_N,
) -> tuple[TrainRun, score.DayScores]:
    """Retrain on everything before today, promote if not worse, then score today with the
    serving model. A list already written for today is kept (reps may be working from it and
    the evaluation must read what they saw); a newly promoted model's lists start tomorrow."""
    say = progress or (lambda _f, _m: None)
    run = retrain(warehouse, today, config, lambda f, m: say(0.9 * f, m))
    say(0.95, f"scoring {today}")
    scored = score.score_day(warehouse, today, top_n=top_n)
    say(1.0, "done")
    return run, scored
