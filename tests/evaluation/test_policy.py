"""The closed-loop policy simulator: deterministic runs, the oracle's edge, no truth reaching
a model-facing input."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from repurchase.demo.forward import CONTRACT_ORDERS, CONTRACT_VISITS, Following
from repurchase.demo.forward_worlds import make_world
from repurchase.evaluation import policy as sim
from repurchase.model import features

END = date(2026, 6, 28)  # a Sunday
DEMO = {"reps": 4, "customers_per_rep": (150, 250), "days": 200, "end": END}
# names only the generators' truth uses (windows, sources, hidden rhythms and skills)
TRUTH_NAMES = {
    "_in_window",
    "in_window",
    "_source",
    "source",
    "at_call",
    "window_start",
    "window_end",
    "outcome",
    "outcome_date",
    "segment",
    "churn_date",
    "cycle_days",
    "self_order_share",
    "skill_at_hire",
    "call_effect",
}


@pytest.fixture(scope="module")
def world():
    return make_world("demo", 4, **DEMO, following=Following(levels=None))


class _Effect:
    """A stand-in call-effect model with the fixed interface: the probability peer's score
    scaled, enough to run the effect policies end to end."""

    def predict(self, history: features.History, anchors: pd.DataFrame) -> pd.DataFrame:
        rng = np.random.default_rng(0)
        p = rng.uniform(0.0, 0.3, len(anchors))
        return pd.DataFrame(
            {
                "customer_id": anchors.customer_id.to_numpy(),
                "p_called": p,
                "p_not_called": p / 2,
                "call_effect": p / 2,
                "p_self": p / 2,
            }
        )


@pytest.fixture(scope="module")
def models(world):
    f = world.frames()
    history = features.history_from_frames(
        f["reps"], f["customers"], f["visits"], f["orders"], world.first_day
    )
    return sim.fit_models(history, world.first_day, effect_fit=lambda *a, **k: _Effect())


def test_the_same_policy_twice_gives_the_same_weeks(world, models):
    a = sim.run(world, sim.POLICIES["probability"], models, 2)
    b = sim.run(world, sim.POLICIES["probability"], models, 2)
    pd.testing.assert_frame_equal(a.weekly, b.weekly)
    pd.testing.assert_frame_equal(a.units, b.units)
    assert a.weekly.orders.sum() > 0 and a.weekly.calls.sum() > 0


def test_the_oracle_wins_more_at_calls_than_the_reps_own_choice(world):
    own = sim.totals(sim.run(world, sim.own_choice, None, 3))
    oracle = sim.totals(sim.run(world, sim.oracle, None, 3))
    assert oracle["calls"] == own["calls"]  # the list changes whom, not how many
    assert oracle["orders_at_calls"] > 1.2 * own["orders_at_calls"]
    assert oracle["orders"] > own["orders"]


def test_no_truth_reaches_a_model_facing_input(world, models):
    seen: list[sim.PolicyInput] = []
    for name in ("probability", "effect_value"):
        sim.run(world, sim.POLICIES[name], models, 2, inputs=seen)
    assert len(seen) == 4  # the first day, then one Monday, per policy
    for inp in seen:
        assert inp.truth is None
        assert list(inp.frames["visits"].columns) == list(CONTRACT_VISITS)
        assert list(inp.frames["orders"].columns) == list(CONTRACT_ORDERS)
        for name, frame in inp.frames.items():
            assert not TRUTH_NAMES & set(frame.columns), name
        history = inp.history
        assert not TRUTH_NAMES & set(history.events.columns)
        assert not TRUTH_NAMES & set(history.customers.columns)
        # the forward days reached the history (the frames grow), all before the morning
        assert history.events.event_at.max() < pd.Timestamp(inp.day)
    assert seen[1].history.events.event_at.max() > pd.Timestamp(world.first_day)


def test_only_the_oracle_is_given_the_truth(world):
    seen: list[sim.PolicyInput] = []
    sim.run(world, sim.oracle, None, 1, inputs=seen)
    assert seen and all(inp.truth is not None for inp in seen)


def test_the_hold_out_never_reaches_a_list_and_is_measured(world, models):
    result = sim.run(world, sim.POLICIES["effect"], models, 2)
    units = result.units
    assert units.held_out.any() and (~units.held_out).any()
    listed = set(zip(result.listed.week, result.listed.customer_id, strict=True))
    held = units[units.held_out]
    assert not any((w, c) in listed for w, c in zip(held.week, held.customer_id, strict=True))
    totals = sim.totals(result)
    assert totals["mean_estimated_effect"] == pytest.approx(result.listed.estimated_effect.mean())


def test_every_customer_is_scored_beside_the_weeks_true_effect(world, models):
    result = sim.run(world, sim.POLICIES["probability"], models, 2)
    scored = result.scored
    customers = world.frames()["customers"]
    assert sorted(scored.week.unique()) == [0, 1]
    assert len(scored[scored.week == 0]) == len(customers)
    assert scored.true_effect.between(0, 1).all() and scored.true_effect.gt(0).any()
    assert sim.truth_qini(scored, "true_effect") == pytest.approx(1.0)
    assert sim.truth_top_share(scored, "true_effect") == pytest.approx(1.0)
    totals = sim.totals(result)
    assert totals["truth_qini_probability"] == sim.truth_qini(scored, "p_order")
    assert -1 <= totals["truth_qini_effect"] <= 1
    # no model, no scores: nothing to rank against the truth
    assert sim.run(world, sim.own_choice, None, 1).scored.empty


def test_qini_rewards_a_ranking_that_puts_the_responsive_first():
    rng = np.random.default_rng(1)
    n = 4000
    lift = rng.random(n)
    treated = rng.random(n) < 0.5
    ordered = rng.random(n) < 0.1 + 0.5 * lift * treated
    assert sim.qini(lift, treated, ordered) > 0.02
    assert abs(sim.qini(rng.random(n), treated, ordered)) < 0.02
