"""Build the demo warehouse: generate (synthetic.py), import through the contract, keep the truth.

The demo goes through `importer.import_frames`, the same checks and transaction as a customer's
ERP export, so the demo can never hold data a real import would reject.

With an `AdoptionPlan` (the default), the last weeks of the demo are simulated with the
product in use, so the evaluation pages have something to show: a first model version is
trained on the history before adoption starts and kept fixed; halfway through, a second
version is trained on the history up to then (the paper's "fixed" vs "retrained" versions,
Table 2). Every Monday of the adoption period the serving version scores every customer as of
that morning, with the randomised hold-out kept off the lists; each working day the week's
lists are shown, and junior reps call listed customers with the plan's adherence. Both models,
their lists (withheld rows included), the hold-out draws and the weekly scores are stored
through the writers the product uses (registry.save, score.write_lists), so a demo list
carries every column a nightly one does. Real data never goes through any of this.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from repurchase.accounts import auth
from repurchase.config import truth_dir
from repurchase.demo import synthetic
from repurchase.errors import RepurchaseError
from repurchase.lists import holdout, score
from repurchase.model import features, registry, train
from repurchase.model.config import TrainConfig
from repurchase.services import demo_guard
from repurchase.warehouse import backup, importer
from repurchase.warehouse.store import Warehouse

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class DemoBuild:
    rows: dict[str, int]
    seconds: float
    megabytes: float
    models: list[str] = field(default_factory=list)
    backup: Path | None = None  # the copy of what `replace` removed


# The simulated models train on a budget (like the first start's): the demo is ready in about
# 40 s, and the budget is enough for the network to make lists at least as good as the peers'
# (with 10k anchors x 4 epochs it was not, and a peer served the demo); `nightly` retrains
# properly afterwards.
ADOPTION_TRAINING = TrainConfig(
    samples_per_epoch=20_000,
    max_epochs=8,
    seeds=1,
    validation_samples=30_000,
    time_budget_seconds=15.0,
    # the call effect on a budget too: its four boosted models on 80k samples would add about
    # a minute per version to the first start; the nightly job refits it on the full sample
    effect_weeks=26,
    effect_rows=20_000,
)


@dataclass(frozen=True)
class AdoptionPlan:
    # Four weeks of simulated use, ending with the demo's last day: enough visits for every
    # cohort of Table 3 and two weeks per version for Table 2, within the first start's budget.
    weeks: int = 4
    retrain_after_weeks: int = 2  # version 2 takes over from version 1 here
    adherence: float = 0.6  # juniors follow 60 % of their list
    levels: tuple[str, ...] = ("junior",)
    top_n: int = score.DEFAULT_TOP_N
    training: TrainConfig = ADOPTION_TRAINING
    policy: holdout.HoldoutPolicy = field(default_factory=holdout.HoldoutPolicy)

    def start(self, end: date) -> date:
        first = end - timedelta(weeks=self.weeks) + timedelta(days=1)
        return first + timedelta(days=(7 - first.weekday()) % 7)  # a Monday


@dataclass
class _Scored:
    day: date
    version: str  # "pending-<n>" until the version is registered (_store_adoption)
    horizon_days: int
    frame: pd.DataFrame  # score.rank_lists output of score_frame plus worth
    listed: pd.DataFrame  # score.listed_rows: the rows stored as call lists, with reasons
    draw: holdout.PeriodDraw


class _ListProvider:
    """Plays the product during the simulated adoption: trains, scores Mondays, shows lists.
    Scoring goes through the functions score_day uses (score_frame, worth, rank_lists,
    listed_rows) on the history generated so far, as the warehouse does not hold it yet."""

    def __init__(
        self,
        data_reps: pd.DataFrame,
        data_customers: pd.DataFrame,
        plan: AdoptionPlan,
        start: date,
        say: Progress,
    ) -> None:
        self.reps = data_reps
        self.customers = data_customers
        self.plan = plan
        self.start = start
        self.switch = start + timedelta(weeks=plan.retrain_after_weeks)
        self.say = say
        self.models: list[tuple[date, train.TrainResult, str]] = []  # trained on, result, name
        self.shown: list[tuple[date, _Scored]] = []  # each working day and the lists it showed
        self.draws: dict[date, holdout.PeriodDraw] = {}  # period start -> its draw
        self._current: _Scored | None = None

    def __call__(self, day: date, history: synthetic.History) -> dict[str, list[str]]:
        if self._current is None or day.weekday() == 0:
            self._rescore(day, history)
        self.shown.append((day, self._current))
        rows = self._current.frame
        listed = rows[rows.on_list].sort_values(["rep_id", "list_rank"])
        return listed.groupby("rep_id").customer_id.apply(list).to_dict()

    def _rescore(self, day: date, history: synthetic.History) -> None:
        visits, orders = history()
        past = features.history_from_frames(self.reps, self.customers, visits, orders, day)
        if not self.models or (day >= self.switch and len(self.models) == 1):
            name = f"version {len(self.models) + 1}"
            self.say(0.0, f"training model {name} on the history before {day}")
            result = train.train(past, day, self.plan.training)
            self.models.append((day, result, name))
        version = f"pending-{len(self.models)}"  # named when stored (_store_adoption)
        model = registry.LoadedModel.from_result(self.models[-1][1], version)
        frame = score.worth(past, model, day, score.score_frame(past, model, day))
        draw = self._draw(frame, day)
        # no team has chosen a ranking yet: every list is ranked as a new team's is, by what
        # the model's gate chose
        frame = score.rank_lists(frame, draw.held, self.plan.top_n, auto=model.ranking_choice)
        listed = score.listed_rows(past, model, day, frame)
        self._current = _Scored(day, version, model.horizon_days, frame, listed, draw)

    def _draw(self, owners: pd.DataFrame, day: date) -> holdout.PeriodDraw:
        """The hold-out of `day`'s period, drawn once per period (recorded with its first
        day's lists, as score_day's are)."""
        start, _end = self.plan.policy.period(day)
        if start not in self.draws:
            customers = owners[["customer_id", "rep_id"]]
            self.draws[start] = holdout.drawn(customers, day, self.plan.policy)
        return self.draws[start]


def _quiet(_fraction: float, _message: str) -> None:
    return None


def build(
    warehouse: Warehouse,
    config: synthetic.DemoConfig | None = None,
    *,
    progress: Progress | None = None,
    replace: bool = False,
    adoption: AdoptionPlan | None = None,
) -> DemoBuild:
    """Generate the demo into `warehouse` (which must be empty unless `replace`; what
    `replace` removes is backed up first). With `adoption`, the last weeks are simulated with
    the product in use (see the module doc)."""
    say = progress or _quiet
    started = time.perf_counter()
    saved = None
    if warehouse.exists():
        if not replace:
            counts = warehouse.table_counts()
            if counts.get("visits", 0) or counts.get("customers", 0):
                raise FileExistsError(
                    f"{warehouse.path} already holds data; pass --force to replace it with the "
                    "demo (a backup is taken first)"
                )
        else:
            say(0.0, "backing up the warehouse before replacing it")
            saved = backup.take(warehouse, reason="before-demo").folder
            remove(warehouse)
    demo_guard.start_demo_build(warehouse)  # from here on the file is the demo
    cfg = config or synthetic.DemoConfig()
    provider = None
    if adoption is not None and adoption.weeks > 0:
        # the people are drawn first (same seed, same draw) so the provider can know them
        reps, customers = synthetic.people(cfg)
        start = adoption.start(cfg.end_date)
        provider = _ListProvider(reps, customers, adoption, start, lambda f, m: say(0.3, m))
        cfg = synthetic.DemoConfig(
            **{
                **cfg.__dict__,
                "adoption": synthetic.Adoption(
                    start=start,
                    lists=provider,
                    adherence=adoption.adherence,
                    levels=adoption.levels,
                ),
            }
        )
    say(0.0, "generating the demo sales team")
    data = synthetic.make(cfg, progress=lambda f, m: say(0.6 * f, m))
    say(0.62, f"importing {len(data.visits):,} visits and {len(data.orders):,} orders")
    importer.import_frames(warehouse, data.tables(), source="demo", imported_by="demo")
    versions = _store_adoption(warehouse, provider, say) if provider else []
    auth.demo_users(warehouse)  # one account per role; the login page shows them on a demo
    say(0.95, "saving the generator's hidden truth beside the warehouse")
    write_truth(warehouse, data.truth())
    with warehouse.transaction() as cur:  # the last step: a demo without it is incomplete
        demo_guard.finish_demo_build(cur, str(date.today()))
    rows = {k: len(v) for k, v in data.tables().items()}
    size = warehouse.path.stat().st_size / 1e6 if warehouse.backend == "duckdb" else 0.0
    say(1.0, "demo ready")
    return DemoBuild(rows, time.perf_counter() - started, size, versions, saved)


def _store_adoption(warehouse: Warehouse, provider: _ListProvider, say: Progress) -> list[str]:
    """Register the simulated model versions, each served from the day it was trained, and
    write each day's lists (with the scores of the days scored and the hold-out draw) through
    the production writers, in the order the days happened, so each list's previous chance is
    read as the nightly job reads it."""
    say(0.85, "storing the simulated weeks of list use")
    # the provider names versions "pending-1", "pending-2" until they are registered
    names = {}
    for i, (day, result, _name) in enumerate(provider.models):
        names[f"pending-{i + 1}"] = version = registry.save(warehouse, result)
        # the demo's versions passed no gate: they were simply used from that day
        registry.promote(warehouse, version, datetime.combine(day, datetime.min.time()))
    for day, scored in provider.shown:
        lists = score.DayLists(
            day,
            names[scored.version],
            scored.horizon_days,
            scored.listed,
            scored.draw,
            scores=scored.frame if day == scored.day else None,
        )
        score.write_lists(warehouse, lists)
    return list(names.values())


def is_incomplete(warehouse: Warehouse) -> bool:
    """A demo whose build stopped half-way: recorded as the demo (the build's first write),
    without the final marker. Never inferred from who imported (`import --by demo` would make a
    company's warehouse look like an interrupted demo, and the next start would delete it)."""
    return demo_guard.build_interrupted(warehouse)


def remove(warehouse: Warehouse) -> None:
    """Delete a warehouse file and everything generated beside it. Callers back it up first
    (`build` does). A PostgreSQL warehouse is the company's database: never dropped from here."""
    if warehouse.backend == "postgres":
        raise RepurchaseError(
            f"the warehouse is the PostgreSQL database {warehouse.where}; this program never "
            "drops it: to start again, drop and create the database yourself"
        )
    for path in (warehouse.path, warehouse.path.with_name(warehouse.path.name + ".wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(truth_dir(warehouse.path), ignore_errors=True)
    shutil.rmtree(registry.models_dir(warehouse), ignore_errors=True)


def write_truth(warehouse: Warehouse, truth: dict[str, pd.DataFrame]) -> None:
    folder = truth_dir(warehouse.path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in truth.items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)


def read_truth(warehouse: Warehouse, name: str) -> pd.DataFrame:
    """The demo's hidden truth table `name` (windows, customers, reps, visits): tests and
    benchmarks only; nothing on the model's path calls this."""
    path = truth_dir(warehouse.path) / f"{name}.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"no demo truth at {path}; it exists only for a generated demo")
    return pd.read_parquet(path)
