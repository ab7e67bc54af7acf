"""A fresh checkout's first start: build the demo, train a first model, score today.

The app calls this before showing anything, with a progress bar; it must reach a usable call
list in about 90 seconds on a 2-core CPU. The demo includes four weeks of simulated use of the
product (demo.AdoptionPlan), whose two model versions are trained on a budget; the second one
serves today's lists (the nightly retrain then trains fully). Each step is skipped when its
result already exists, so a restart after an interruption picks up where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from repurchase.demo import synthetic
from repurchase.model import registry
from repurchase.model.config import TrainConfig
from repurchase.services import daily_lists, demo, jobs
from repurchase.warehouse.store import Warehouse

Progress = Callable[[float, str], None]

# Budget for a first model when the warehouse has none (e.g. a company's own import): ~45 s of
# training on this machine (about 45k samples at the paper's batch size of 64), enough for a
# useful list; `nightly` retrains without the budget.
FIRST_MODEL = TrainConfig(
    samples_per_epoch=15_000,
    max_epochs=6,
    seeds=2,
    validation_samples=40_000,
    time_budget_seconds=35.0,
)


@dataclass
class FirstStart:
    steps: dict[str, float] = field(default_factory=dict)  # step -> seconds (skipped: absent)


def _phase(say: Progress, start: float, end: float) -> Progress:
    return lambda f, m: say(start + (end - start) * min(max(f, 0.0), 1.0), m)


def needs_demo(warehouse: Warehouse) -> bool:
    """A fresh checkout, or a demo whose build was interrupted (daily_lists.needs_first_start).
    A warehouse holding a company's data is never replaced, whoever imported into it; and a
    rebuilt demo is backed up before it is removed (demo.build)."""
    return daily_lists.needs_first_start(warehouse)


def prepare(
    warehouse: Warehouse,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    demo_config: synthetic.DemoConfig | None = None,
    adoption: demo.AdoptionPlan | None = None,
    train_config: TrainConfig = FIRST_MODEL,
) -> FirstStart:
    """Build the demo if `needs_demo`, then make sure today's lists exist when a model serves.

    The demo is built with `adoption` (default demo.AdoptionPlan(), whose simulated weeks
    train the models; with AdoptionPlan(weeks=0) a first model is trained here with
    `train_config`). A company's warehouse without a serving model is left alone: an admin
    trains from the Data page or with `python -m repurchase nightly`.
    """
    say = progress or (lambda _f, _m: None)
    day = today or date.today()
    done = FirstStart()
    if needs_demo(warehouse):
        t = time.perf_counter()
        plan = adoption or demo.AdoptionPlan()
        demo.build(
            warehouse, demo_config, progress=_phase(say, 0.0, 0.9), replace=True, adoption=plan
        )
        done.steps["demo"] = time.perf_counter() - t
        if registry.serving_version(warehouse) is None:
            t = time.perf_counter()
            jobs.retrain(warehouse, day, train_config, progress=_phase(say, 0.3, 0.9))
            done.steps["train"] = time.perf_counter() - t
    t = time.perf_counter()
    say(0.92, "writing today's call lists")
    if daily_lists.write_today(warehouse, day):
        done.steps["score"] = time.perf_counter() - t
    say(1.0, "ready")
    return done
