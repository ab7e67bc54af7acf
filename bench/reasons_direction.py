"""Do the reasons on a card point the way the model does?

Issue 11: each card says up to three facts for calling and up to two against. A fact "for"
must go with a higher score and a fact "against" with a lower one, or the rep is told one thing
by the number and another by the words. For each data set (bench/datasets.py) and cutoff D: train
as `train --until D` does (on a budget), score every customer as of D (out of time: nothing on or
after D was seen), say every customer's reasons as the list would (explain.reasons_for) and
compare, per reason code, the model's mean score and the observed order rate in (D, D + 28]
with and without the fact (explain.direction_table). Sides are measured as the app measures
them (explain.measure_sides on the day's scores), so the figure that matters is the second:
whether the customers' orders then went the way the side says.

    python bench/reasons_direction.py                     # demo, projects, cdnow; 2 cutoffs
    python bench/reasons_direction.py --datasets demo --cutoffs 1

Prints one table per data set (pooled over cutoffs) and the share of facts that agree.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import datasets  # noqa: E402
from repurchase.evaluation import quality
from repurchase.lists import explain
from repurchase.model import (
    features,
    train,  # noqa: E402
)
from repurchase.warehouse.store import Warehouse  # noqa: E402

BUDGET = train.TrainConfig(seeds=1, max_epochs=6, samples_per_epoch=15_000)


def cutoff_reasons(warehouse: Warehouse, cutoff, seed: int) -> pd.DataFrame:
    """One row per customer scored at `cutoff`: its reasons, served p and label."""
    cfg = replace(BUDGET, seed=seed)
    full = features.load_history(warehouse, cutoff + timedelta(days=cfg.horizon_days))
    past = features.truncate(full, cutoff)
    result = train.train(past, cutoff, cfg)
    active = full.customers[full.customers.rep_active.fillna(False).to_numpy()]
    anchors = pd.DataFrame(
        {"customer_id": active.customer_id.to_numpy(), "anchor": pd.Timestamp(cutoff)}
    )
    samples = result.predictor.samples(full, anchors, labels=True)
    p, _ = result.predictor.predict(samples)
    rate = result.metrics.get("recontact_no_demand_rate")
    rate = rate if rate is not None and np.isfinite(rate) else None
    facts = features.anchor_facts(past, anchors)
    tags = active.set_index("customer_id").tag
    sides = explain.measure_sides(facts, tags, p, rate)  # as score.list_reasons does
    reasons = [
        explain.reasons_for(row, tags[row.customer_id], rate, sides)
        for row in facts.itertuples(index=False)
    ]
    return pd.DataFrame({"reasons": reasons, "p": p, "label": samples.labels})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=",".join(datasets.NAMES))
    parser.add_argument("--cutoffs", type=int, default=2, help="cutoffs, 4 weeks apart")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=ROOT / "build" / "bench")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    verdicts = []
    for name in args.datasets.split(","):
        data = datasets.prepare(name, args.dir)
        wh = Warehouse(data.warehouse)
        frames = []
        for cutoff in quality.cutoffs(data.end, args.cutoffs):
            started = time.perf_counter()
            frames.append(cutoff_reasons(wh, cutoff, args.seed))
            print(f"{name} {cutoff}: {time.perf_counter() - started:.0f} s", flush=True)
        pooled = pd.concat(frames, ignore_index=True)
        table = explain.direction_table(
            pooled.reasons.tolist(), pooled.p.to_numpy(), pooled.label.to_numpy()
        )
        with pd.option_context("display.width", 160, "display.float_format", "{:.3f}".format):
            print(f"\n== {name}: {len(pooled):,} customer-days\n{table.to_string(index=False)}")
        # facts said of very few customers are noise, whichever way they point
        solid = table[table.customers >= 30]
        verdicts.append(
            (name, int(solid.agrees.sum()), int(solid.outcomes_agree.sum()), len(solid))
        )
    print()
    for name, model, outcomes, total in verdicts:
        print(
            f"{name}: of {total} facts said (of >= 30 customers), {model} point the way the "
            f"model's scores do, {outcomes} the way the customers' orders then went"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
