"""Print the hold-out proof's figures on simulated randomised hold-outs with a known effect
(evaluation.holdout_proof.simulate_units): how much narrower the adjusted interval is, how
often the 95 % intervals cover the truth, how often the always-valid interval holds 0 at
every daily look under no effect (and the fixed one, looked at daily), per scenario.

    python bench/holdout_proof.py [--seeds 200]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from repurchase.evaluation import holdout_proof as proof  # noqa: E402

SCENARIOS = {  # name: simulate_units arguments
    "strong covariates (chances 2-97 %)": {"spread": 0.25, "top": 0.97},
    "moderate covariates (chances 2-60 %)": {"spread": 0.3, "top": 0.6},
}


def _fixed(seeds: int, **kw) -> tuple[float, float, float]:
    ratios, raw, adjusted = [], 0, 0
    for seed in range(seeds):
        found = proof.prove(proof.simulate_units(seed, effect=0.04, **kw), share=0.2)
        ratios.append((found.adjusted_high - found.adjusted_low) / (found.raw_high - found.raw_low))
        raw += found.raw_low <= 0.04 <= found.raw_high
        adjusted += found.adjusted_low <= 0.04 <= found.adjusted_high
    return float(np.median(ratios)), raw / seeds, adjusted / seeds


def _daily(seeds: int, per_week: int = 300, **kw) -> tuple[float, float]:
    always, fixed = 0, 0
    for seed in range(seeds):
        units = proof.simulate_units(seed, effect=0.0, per_week=per_week, **kw)
        treated = ~units.held_out.to_numpy(dtype=bool)
        y = units.ordered.to_numpy(dtype=float)
        x = proof.covariate_matrix(units)
        days = units.first_listed.to_numpy()
        ok_always, ok_fixed = True, True
        for day in np.unique(days):
            seen = days <= day
            t = treated[seen]
            if min(t.sum(), (~t).sum()) < proof.MIN_PER_ARM:
                continue
            est = proof.adjusted_estimate(t, y[seen], x[seen])
            half = est.se * proof.mixture_factor(seen.sum(), 8 * per_week)
            ok_always &= abs(est.difference) <= half
            ok_fixed &= abs(est.difference) <= proof.Z95 * est.se
        always += ok_always
        fixed += ok_fixed
    return always / seeds, fixed / seeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    seeds = parser.parse_args().seeds
    print(f"{seeds} seeds; 400 units a week for 8 weeks, 20 % held out, true effect 4 points")
    for name, kw in SCENARIOS.items():
        ratio, raw, adjusted = _fixed(seeds, **kw)
        always, fixed = _daily(seeds, **kw)
        print(
            f"{name}: adjusted/raw width median {ratio:.2f}; 95 % coverage raw {raw:.1%}, "
            f"adjusted {adjusted:.1%}; no effect, daily looks (300 a week, 8 weeks): "
            f"always-valid held 0 at every look in {always:.1%}, fixed 95 % in {fixed:.1%}"
        )


if __name__ == "__main__":
    main()
