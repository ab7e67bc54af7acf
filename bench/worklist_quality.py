"""Issue 11's measured choices on three data sets: the value model against the customer's own
average, order value per call ranked by probability or by expected value, a re-call rule, and
the churn flag against "no purchase for twice the usual gap".

Every figure comes from one rolling backtest run per data set and seed (repurchase/backtest.py:
same weeks, same candidates, models fitted only on history before each block). Data sets
(bench/datasets.py): the default demo (repurchase.synthetic), the second story
(repurchase/story_projects.py) and the real CDNOW log (order-only: no visits, so every
customer of a rep is a candidate each week, listed for its owner).

    python bench/worklist_quality.py                        # all three, seed 7
    python bench/worklist_quality.py --datasets projects --seeds 7,8,9
    python bench/worklist_quality.py --speed                # also score_day's time on the demo

Prints each run's measures, then per data set the median over seeds of the headline figures;
writes every run's measures to build/worklist_quality/measures.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import datasets  # noqa: E402
from repurchase.evaluation import backtest, worklist_measures
from repurchase.lists import score
from repurchase.model import (
    features,
    registry,
    train,  # noqa: E402
)
from repurchase.warehouse.store import Warehouse  # noqa: E402

# Enough weeks that the earliest ones have 90 observed days after them (the churn outcome),
# models refitted every eight weeks on a budget two shared cores can afford: one network, no
# peers (the network serves), which the value and churn figures hardly depend on.
WEEKS = 16
FAST = 8
TRAINING = train.TrainConfig(
    seeds=1,
    samples_per_epoch=6_000,
    max_epochs=3,
    patience=2,
    validation_samples=15_000,
    peers=False,
)

HEADLINES = {
    "order size MAE, model": ("order_size", "model", "mae"),
    "order size MAE, own average": ("order_size", "baseline", "mae"),
    "order size MdAPE, model": ("order_size", "model", "mdape"),
    "order size MdAPE, own average": ("order_size", "baseline", "mdape"),
    "value MAE, model": ("expected_value", "model", "mae"),
    "value MAE, own average": ("expected_value", "baseline", "mae"),
    "value RMSE, model": ("expected_value", "model", "rmse"),
    "value RMSE, own average": ("expected_value", "baseline", "rmse"),
    "value per call, by probability": ("ranking", "probability", "value_per_call"),
    "value per call, by value": ("ranking", "value", "value_per_call"),
    "precision, by probability": ("ranking", "probability", "precision"),
    "precision, by value": ("ranking", "value", "precision"),
    "precision, re-call rule": ("recall_rule", "with", "precision"),
    "value per call, re-call rule": ("recall_rule", "with", "value_per_call"),
    "churn precision, flag": ("churn", "model", "precision"),
    "churn recall, flag": ("churn", "model", "recall"),
    "churn precision, 2x gap": ("churn", "baseline", "precision"),
    "churn recall, 2x gap": ("churn", "baseline", "recall"),
}


def _get(measures: dict, path: tuple[str, ...]) -> float:
    value: object = measures
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return float("nan")
        value = value[key]
    return float(value)


def run_dataset(name: str, directory: Path, seeds: list[int], weeks: int, fast: int) -> list[dict]:
    data = datasets.prepare(name, directory)
    wh = Warehouse(data.warehouse)
    end = data.end + timedelta(days=1)
    history = features.load_history(wh, end)
    candidates = "all" if name == "cdnow" else "visited"
    print(f"\n== {name}: {data.rows}; backtest to {end}, {weeks} weeks", flush=True)
    runs = []
    for seed in seeds:
        cfg = backtest.BacktestConfig(
            weeks=weeks,
            end=end,
            fast=fast,
            seeds=(seed,),
            train=replace(TRAINING, seed=seed),
            candidates=candidates,
        )
        started = time.perf_counter()
        result = backtest.run(wh, cfg, history=history)
        print(f"\n-- {name}, seed {seed} ({time.perf_counter() - started:.0f} s)")
        print(worklist_measures.measures_text(result.measures), flush=True)
        runs.append({"dataset": name, "seed": seed, "measures": result.measures})
    return runs


def speed(directory: Path, repeats: int = 3) -> None:
    """score_day on the default demo (write=False, the same work but the insert), and the share
    the value and churn models take of it."""
    data = datasets.prepare("demo", directory)
    target = directory / "speed.duckdb"
    shutil.copy(data.warehouse, target)
    wh = Warehouse(target)
    day = data.end + timedelta(days=1)
    history = features.load_history(wh, day)
    tiny = replace(TRAINING, samples_per_epoch=3_000, max_epochs=1)
    model = registry.LoadedModel.from_result(train.train(history, day, tiny), "speed")
    frame = score.score_frame(history, model, day)
    totals, parts = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        score.score_day(wh, day, model=model, history=history, write=False)
        totals.append(time.perf_counter() - started)
        started = time.perf_counter()
        score.worth(history, model, day, frame)
        parts.append(time.perf_counter() - started)
    print(
        f"\nscore_day on the demo ({len(history.customers):,} customers, history loaded): "
        f"median {statistics.median(totals):.2f} s, of which value and churn "
        f"{statistics.median(parts):.2f} s (n={repeats})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=",".join(datasets.NAMES))
    parser.add_argument("--seeds", default="7")
    parser.add_argument("--weeks", type=int, default=WEEKS)
    parser.add_argument("--fast", type=int, default=FAST, help="refit every this many weeks")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-ds"))
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "worklist_quality")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.speed:
        speed(args.dir)
    runs = []
    for name in args.datasets.split(","):
        runs.extend(run_dataset(name, args.dir, seeds, args.weeks, args.fast))
    (args.out / "measures.json").write_text(json.dumps(runs, indent=2))
    print("\nmedians over seeds:")
    names = sorted({r["dataset"] for r in runs}, key=[r["dataset"] for r in runs].index)
    print(f"{'':<34}" + "".join(f"{n:>14}" for n in names))
    for label, path in HEADLINES.items():
        cells = []
        for name in names:
            values = [_get(r["measures"], path) for r in runs if r["dataset"] == name]
            cells.append(statistics.median(values))
        pct = "precision" in label or "recall" in label or "MdAPE" in label
        print(f"{label:<34}" + "".join(f"{v:>14.1%}" if pct else f"{v:>14,.0f}" for v in cells))
    print(f"\nall measures in {args.out / 'measures.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
