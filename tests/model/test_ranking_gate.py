"""The ranking gate: effect is chosen only when it clearly wins more orders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from repurchase.model import ranking_gate


def _frame(effect_informative: bool, seed: int = 0) -> pd.DataFrame:
    """8 weeks x 10 reps x 60 customers. Informative: half order anyway (no lift), half order
    only when called (lift 0.5); probability ranks the first half first, effect the second.
    Otherwise everyone has the same lift and the effect score is noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for day in range(8):
        for rep in range(10):
            anyway = (np.arange(60) % 2 == 0) & effect_informative
            # without customers who order anyway, every ranking wins the same
            lift = np.where(anyway, 0.0, 0.5)
            t = rng.random(60) < 0.3
            y = rng.random(60) < np.where(anyway, 0.8, 0.02) + lift * t
            p = np.where(anyway, 0.8, 0.15) + 0.01 * rng.random(60)
            eff = lift + 0.01 * rng.random(60) if effect_informative else rng.random(60)
            rows.append(
                pd.DataFrame(
                    {
                        "day": day,
                        "rep": rep,
                        "customer_id": np.arange(60),
                        "probability": p,
                        "value": p,
                        "effect": eff,
                        "effect_value": eff,
                        "treated": t.astype(int),
                        "outcome": y.astype(int),
                        "propensity": 0.3,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def _holdout(effect_informative: bool, seed: int = 1) -> pd.DataFrame:
    """The same book on hold-out days: a random 20 % held out; a listed customer is called
    with chance 0.6, a held-out one as the reps' own choice would (0.1)."""
    rng = np.random.default_rng(seed)
    frame = _frame(effect_informative, seed)
    held = rng.random(len(frame)) < 0.2
    called = rng.random(len(frame)) < np.where(held, 0.1, 0.6)
    anyway = (frame.customer_id.to_numpy() % 2 == 0) & effect_informative
    lift = np.where(anyway, 0.0, 0.5)
    y = rng.random(len(frame)) < np.where(anyway, 0.8, 0.02) + lift * called
    return frame.assign(in_holdout=True, held_out=held, outcome=y.astype(int))


def test_an_effect_ranking_that_wins_clearly_on_the_holdout_is_chosen():
    choice, reason, evidence = ranking_gate.choose_ranking(_frame(True), 15, _holdout(True))
    assert choice in ("effect", "effect_value")
    rows = evidence["by_ranking"]
    assert rows["effect"]["extra_orders_per_list"] > rows["probability"]["extra_orders_per_list"]
    assert rows["effect"]["estimator"] == "holdout" and "randomised hold-out" in reason


def test_past_calls_alone_never_switch_the_ranking_and_the_reason_says_why():
    choice, reason, evidence = ranking_gate.choose_ranking(_frame(True), 15)
    assert choice == "probability"
    rows = evidence["by_ranking"]
    # the reweighted calls do see the effect ranking winning; they are reported, not obeyed
    assert rows["effect"]["vs_probability"] > 0 and rows["effect"]["estimator"] == "ipw"
    assert "reweighted past calls" in reason and "hold-out" in reason


def test_a_holdout_that_shows_no_difference_leaves_probability():
    choice, reason, _ = ranking_gate.choose_ranking(_frame(False), 15, _holdout(False))
    assert choice == "probability"
    assert "not clearly better" in reason


def test_a_noise_effect_leaves_probability_and_says_why():
    choice, reason, evidence = ranking_gate.choose_ranking(_frame(False), 15)
    assert choice == "probability"
    assert reason.startswith("ranking by probability")
    assert set(evidence["by_ranking"]) == {"probability", "value", "effect", "effect_value"}
