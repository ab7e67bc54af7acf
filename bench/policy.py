"""Closed-loop policy bench: what each way of ranking the call list wins, in simulated worlds.

For each story and world seed: build the forward world (the generator's history), fit the
models once on that history, then replay the same world (common random numbers) for `--weeks`
weeks under each policy: the reps' own choice (no list), the probability list, the call-effect
list, their value-aware versions, and the oracle (the true call effect). Differences against the
reps' own choice are paired per world; intervals are 95 % t intervals over the seeds.

    python bench/policy.py            # both stories, 5 worlds each, 8 weeks (about 35 min)

Writes build/policy/<story>_runs.csv (one row per world and policy) and
build/policy/<story>_summary.csv (the printed table) and build/policy/<story>_truth.csv (the
two scores ranked against the true call effect).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

# One OpenMP thread for the boosted trees: on a small shared machine their worker threads spin
# while waiting for a core, and fitting took minutes instead of seconds.
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: `python bench/policy.py`
    sys.path.insert(0, str(ROOT))

from repurchase.demo.forward_worlds import make_world  # noqa: E402
from repurchase.evaluation import policy as sim  # noqa: E402
from repurchase.model import features  # noqa: E402

END = date(2026, 6, 28)  # a Sunday: the forward weeks start on a Monday
ORDER = ("own", "probability", "value", "effect", "effect_value", "served", "oracle")


def one_world(story: str, seed: int, args: argparse.Namespace) -> list[dict]:
    started = time.perf_counter()
    sizes = {"end": END, "days": args.days}
    if story == "demo":
        sizes["reps"] = args.reps
    else:
        sizes.update(reps=args.story_reps, customers=args.story_customers)
    world = make_world(story, seed, **sizes)
    f = world.frames()
    until = world.first_day
    history = features.history_from_frames(
        f["reps"], f["customers"], f["visits"], f["orders"], until
    )
    product = sim.PRODUCT_TRAINING if "served" in args.policies else None
    models = sim.fit_models(history, until, seed=seed, product=product)
    built = time.perf_counter() - started
    if models.product is not None:
        choice = models.product.ranking_choice
        reason = models.product.metrics.get("ranking_reason", "")
        print(f"  {story} seed {seed}: the gate serves {choice}: {reason}", flush=True)
    rows = []
    for name in args.policies:
        t0 = time.perf_counter()
        result = sim.run(world, sim.POLICIES[name], models, args.weeks)
        rows.append(
            {"story": story, "seed": seed, "policy": name, **sim.totals(result)}
            | {"seconds": time.perf_counter() - t0}
            | (
                {"served_ranking": models.product.ranking_choice}
                if name == "served" and models.product is not None
                else {}
            )
        )
    print(
        f"  {story} seed {seed}: world and models {built:.0f} s, "
        f"policies {sum(r['seconds'] for r in rows):.0f} s",
        flush=True,
    )
    return rows


def interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95 % t interval over worlds."""
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, np.nan, np.nan
    half = float(stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values)))
    return mean, mean - half, mean + half


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Per policy: means per world, paired differences against the reps' own choice and the
    orders against the probability list's (vs_probability; x_probability: the ratio of the
    extra orders over the reps' own choice)."""
    base = runs[runs.policy == "own"].set_index("seed")
    prob = runs[runs.policy == "probability"].set_index("seed")
    rows = []
    for name in [p for p in ORDER if p in set(runs.policy)]:
        mine = runs[runs.policy == name].set_index("seed")
        seeds = mine.index.intersection(base.index)
        row: dict[str, object] = {"policy": name, "worlds": len(mine)}
        for col in ("orders", "orders_at_calls", "revenue", "calls", "won_per_100_calls"):
            row[col] = float(mine[col].mean())
        for col in ("orders", "revenue", "calls", "won_per_100_calls"):
            diff = (mine.loc[seeds, col] - base.loc[seeds, col]).to_numpy(dtype=float)
            row[f"extra_{col}"], row[f"extra_{col}_low"], row[f"extra_{col}_high"] = interval(diff)
        both = mine.index.intersection(prob.index)
        diff = (mine.loc[both, "orders"] - prob.loc[both, "orders"]).to_numpy(dtype=float)
        row["vs_probability"], row["vs_probability_low"], row["vs_probability_high"] = interval(
            diff
        )
        prob_extra = float((prob.orders - base.orders).mean()) if len(prob) else np.nan
        row["x_probability"] = row["extra_orders"] / prob_extra if prob_extra else np.nan
        row["qini"], row["qini_low"], row["qini_high"] = interval(mine.qini.to_numpy(dtype=float))
        row["mean_estimated_effect"] = float(mine.mean_estimated_effect.mean())
        row["mean_true_effect"] = float(mine.mean_true_effect.mean())
        rows.append(row)
    return pd.DataFrame(rows)


def against_truth(runs: pd.DataFrame) -> pd.DataFrame:
    """The probability score and the call-effect score ranked against the world's true call
    effect, in the weeks the probability list ran (every customer, every forward week): the
    Qini against the truth and the share of the most true effect a rep's top 15 could hold,
    each with its interval over the worlds, and the paired difference effect - probability."""
    prob = runs[runs.policy == "probability"]
    rows = []
    for measure in ("truth_qini", "truth_top"):
        if f"{measure}_effect" not in prob:
            continue
        p = prob[f"{measure}_probability"].to_numpy(dtype=float)
        e = prob[f"{measure}_effect"].to_numpy(dtype=float)
        row: dict[str, object] = {"measure": measure}
        for name, values in (("probability", p), ("effect", e), ("difference", e - p)):
            row[name], row[f"{name}_low"], row[f"{name}_high"] = interval(values)
        rows.append(row)
    return pd.DataFrame(rows)


def show_truth(table: pd.DataFrame) -> None:
    names = {
        "truth_qini": "Qini against the true effect",
        "truth_top": "true effect in a rep's top 15, share of the most",
    }
    print("\nranked against the true call effect (the probability list's weeks; [95 % interval])")
    for _, r in table.iterrows():
        cells = [
            f"{col} {r[col]:.3f} [{r[f'{col}_low']:.3f}, {r[f'{col}_high']:.3f}]"
            for col in ("probability", "effect", "difference")
        ]
        print(f"  {names[r.measure]:50} " + "   ".join(cells))


def show(story: str, table: pd.DataFrame, weeks: int) -> None:
    def ci(row: pd.Series, col: str, fmt: str) -> str:
        mean, low, high = row[col], row[f"{col}_low"], row[f"{col}_high"]
        if np.isnan(mean):
            return "-"
        return f"{mean:{fmt}} [{low:{fmt}}, {high:{fmt}}]"

    print(f"\n{story}: {weeks} forward weeks, per world (mean over worlds; [95 % interval])")
    header = (
        f"{'policy':13} {'orders':>8} {'extra orders vs own':>24} {'x prob':>6} "
        f"{'orders vs probability':>24} {'won/100 calls':>14} "
        f"{'extra revenue vs own':>34} {'calls':>7} {'extra calls':>22} {'qini':>26} "
        f"{'est/true effect':>16}"
    )
    print(header)
    for _, r in table.iterrows():
        effect = (
            f"{r.mean_estimated_effect:.3f}/{r.mean_true_effect:.3f}"
            if not np.isnan(r.mean_true_effect)
            else "-"
        )
        print(
            f"{r.policy:13} {r.orders:8.0f} {ci(r, 'extra_orders', '.1f'):>24} "
            f"{r.x_probability:6.2f} {ci(r, 'vs_probability', '.1f'):>24} "
            f"{r.won_per_100_calls:14.2f} {ci(r, 'extra_revenue', ',.0f'):>34} {r.calls:7.0f} "
            f"{ci(r, 'extra_calls', '.0f'):>22} {ci(r, 'qini', '.4f'):>26} {effect:>16}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", default="demo,projects")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--reps", type=int, default=10, help="the demo's reps")
    parser.add_argument("--days", type=int, default=730, help="days of history")
    parser.add_argument("--story-reps", type=int, default=8)
    parser.add_argument("--story-customers", type=int, default=880)
    parser.add_argument("--policies", default=",".join(ORDER))
    parser.add_argument("--out", default="build/policy")
    args = parser.parse_args(argv)
    args.policies = args.policies.split(",")
    print(
        "models fitted once per world on its history: probability = gradient-boosted peer, "
        "effect = repurchase.model.effect, served = the product's training run and gate"
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for story in args.stories.split(","):
        rows = []
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            rows.extend(one_world(story, seed, args))
        runs = pd.DataFrame(rows)
        table = summarise(runs)
        runs.to_csv(out / f"{story}_runs.csv", index=False)
        table.to_csv(out / f"{story}_summary.csv", index=False)
        show(story, table, args.weeks)
        truth = against_truth(runs)
        if len(truth):
            truth.to_csv(out / f"{story}_truth.csv", index=False)
            show_truth(truth)
    print(f"\nwall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
