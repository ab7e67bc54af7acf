"""Qini and the uplift curve on data whose right answer is known."""

from __future__ import annotations

import math

import numpy as np

from repurchase.model import metrics


def _trial(n: int = 4000, seed: int = 0):
    """Half treated at random; a treatment raises the outcome chance by `lift`, which is 0.6
    for the first half of the rows and 0 for the rest; the base chance is 0.2."""
    rng = np.random.default_rng(seed)
    lift = np.where(np.arange(n) < n // 2, 0.6, 0.0)
    treated = rng.random(n) < 0.5
    outcome = rng.random(n) < 0.2 + lift * treated
    return lift, treated, outcome, rng


def test_a_perfect_uplift_ranking_beats_a_random_one():
    lift, t, y, rng = _trial()
    good = metrics.qini(lift + 0.01 * rng.random(len(lift)), t, y)
    random = metrics.qini(rng.random(len(lift)), t, y)
    # normalised by the ranking that knows every row's outcome, so even the true lift scores
    # well below 1 on noisy outcomes
    assert good > 0.15
    assert abs(random) < 0.05
    assert good > random + 0.15


def test_reversed_scores_give_a_negative_qini():
    lift, t, y, rng = _trial()
    assert metrics.qini(-lift + 0.01 * rng.random(len(lift)), t, y) < -0.15


def test_a_constant_score_is_exactly_random_and_the_perfect_ranking_is_one():
    lift, t, y, _ = _trial()
    assert abs(metrics.qini(np.zeros(len(t)), t, y)) < 1e-12
    perfect = y.astype(float) * t - y.astype(float) * ~t
    assert math.isclose(metrics.qini(perfect.astype(float), t, y), 1.0)


def test_a_ranking_by_outcome_chance_is_not_an_uplift_ranking():
    """Customers who order anyway (high base chance, no lift) ranked first lose to the lift."""
    rng = np.random.default_rng(3)
    n = 4000
    anyway = np.arange(n) >= n // 2
    lift = np.where(anyway, 0.0, 0.4)
    base = np.where(anyway, 0.7, 0.05)
    t = rng.random(n) < 0.5
    y = rng.random(n) < base + lift * t
    assert metrics.qini(base, t, y) < 0 < metrics.qini(lift, t, y)


def test_one_arm_only_has_no_qini():
    assert math.isnan(metrics.qini(np.arange(5.0), np.ones(5, bool), np.ones(5)))


def test_the_uplift_curve_ends_at_the_whole_difference():
    lift, t, y, rng = _trial()
    curve = metrics.uplift_curve(lift + 0.01 * rng.random(len(lift)), t, y, points=10)
    assert len(curve) == 10 and curve.fraction.iloc[-1] == 1.0
    last = curve.iloc[-1]
    assert last.n == len(t) and last.n_treated == t.sum()
    assert math.isclose(last.uplift, y[t].mean() - y[~t].mean())
    first = curve.iloc[0]
    assert first.uplift > 0.45  # the top tenth is all lifted rows
    assert (curve.qini >= curve.random - 1e-9).all()


def test_the_qini_against_known_effects_is_one_for_their_own_order_and_zero_for_none():
    rng = np.random.default_rng(3)
    effect = rng.gamma(0.5, 0.1, 2000)
    assert metrics.qini_against_truth(effect, effect) == 1.0
    assert metrics.qini_against_truth(np.zeros(2000), effect) == 0.0
    assert metrics.qini_against_truth(-effect, effect) < -0.9
    noisy = metrics.qini_against_truth(effect + rng.normal(0, 0.05, 2000), effect)
    assert 0.2 < noisy < 0.95
    assert math.isnan(metrics.qini_against_truth(effect, np.full(2000, 0.1)))
