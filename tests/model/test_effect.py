"""The call-effect model on a constructed history whose truth is known: calls win orders only
from customers who never order online by themselves; those who do order anyway."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from repurchase.model import effect, features

START = date(2024, 1, 1)
UNTIL = date(2025, 3, 3)


def _world(seed: int = 1, n: int = 400) -> features.History:
    """Half the customers order online by themselves every ~3 weeks whether called or not;
    the other half order only when called, and a call wins an order 60 % of the time. Reps
    call everyone at random (a quarter of the customers each week)."""
    rng = np.random.default_rng(seed)
    customers = pd.DataFrame(
        {
            "customer_id": [f"C{i:04d}" for i in range(n)],
            "customer_name": [f"c{i}" for i in range(n)],
            "owner_rep_id": [f"R{i % 4}" for i in range(n)],
            "tag": "small_medium",
            "industry": "consumer",
            "customer_type": np.where(np.arange(n) % 2 == 0, "trader", "manufacturer"),
            "created_date": START,
        }
    )
    reps = pd.DataFrame(
        {
            "rep_id": [f"R{i}" for i in range(4)],
            "name": "r",
            "team": "t",
            "level": "junior",
            "hire_date": START - timedelta(days=400),
            "gender": "f",
            "age": 30,
        }
    )
    visits, orders = [], []
    days = (UNTIL - START).days + 60
    for i in range(n):
        online = i % 2 == 0
        for d in range(days):
            day = START + timedelta(days=d)
            if online and rng.random() < 1 / 21:
                orders.append((f"C{i:04d}", day, 1000.0))
            if day.weekday() == 0 and rng.random() < 0.25:
                won = (not online) and rng.random() < 0.6
                visits.append(
                    (f"C{i:04d}", f"R{i % 4}", pd.Timestamp(day) + pd.Timedelta(hours=10), won)
                )
    v = pd.DataFrame(visits, columns=["customer_id", "rep_id", "visit_date", "won"])
    v = v.assign(
        result=np.where(v.won, "order", "no_order"),
        method="phone",
        target="active",
        purpose="needs_discovery",
        note="",
        order_amount=np.where(v.won, 1000.0, np.nan),
    ).drop(columns="won")
    o = pd.DataFrame(orders, columns=["customer_id", "order_date", "amount"])
    won = v[v.result == "order"]
    o = pd.concat(
        [
            o,
            pd.DataFrame(
                {
                    "customer_id": won.customer_id,
                    "order_date": won.visit_date.dt.date,
                    "amount": 1000.0,
                }
            ),
        ]
    )
    end = START + timedelta(days=days)
    return features.history_from_frames(reps, customers, v, o, end)


@pytest.fixture(scope="module")
def world() -> features.History:
    return _world()


@pytest.fixture(scope="module")
def fitted(world) -> effect.CallEffect:
    return effect.fit(world, UNTIL, 28, weeks=30, seed=3)


def _anchors(history: features.History, day: date) -> pd.DataFrame:
    return features.daily_anchors(history, day)


def test_customers_who_order_only_when_called_rank_first(world, fitted):
    found = fitted.predict(world, _anchors(world, UNTIL))
    offline = found.customer_id.str[1:].astype(int) % 2 == 1
    top = found.sort_values("call_effect", ascending=False).head(len(found) // 2)
    assert (top.customer_id.str[1:].astype(int) % 2 == 1).mean() > 0.9
    assert found.call_effect[offline].mean() > found.call_effect[~offline].mean() + 0.2
    # the chance without a call this week: high for the self-ordering half; the other half
    # orders only through later weeks' calls
    assert found.p_self[~offline].mean() > found.p_self[offline].mean() + 0.2
    assert np.allclose(found.call_effect, found.p_called - found.p_not_called)
    assert (found.p_self == found.p_not_called).all()
    assert list(found.customer_id) == list(_anchors(world, UNTIL).customer_id)


def test_the_serving_effect_is_the_calls_conversion_timed_by_the_chance_of_a_need(world, fitted):
    x = fitted.features(world, _anchors(world, UNTIL))
    assert fitted.kind == effect.SERVING_KIND == "need_conversion"
    assert 0 < fitted.need_mean < 1
    timing = fitted.control.predict_proba(x) / fitted.need_mean
    assert np.allclose(
        fitted.raw_effect(x, "need_conversion"), fitted.raw_effect(x, "conversion") * timing
    )
    # every kind's observed Qini is reported, none of them chose the serving kind
    assert {f"qini_{k}" for k in effect.KINDS} <= set(fitted.fit_report)


def test_nothing_at_or_after_until_reaches_the_fit(world, fitted):
    """Events from `until` on are rewritten: the fitted model predicts exactly the same."""
    ev = world.events
    late = ev.event_at >= pd.Timestamp(UNTIL)
    changed = ev.copy()
    changed.loc[late, "result"] = 1 - changed.loc[late, "result"]
    other = features.History(world.until, changed, world.customers)
    refit = effect.fit(other, UNTIL, 28, weeks=30, seed=3)
    anchors = _anchors(world, UNTIL)
    assert fitted.predict(world, anchors).equals(refit.predict(world, anchors))


def test_features_read_only_events_before_the_anchor(world, fitted):
    day = UNTIL
    anchors = _anchors(world, day)
    cut = features.truncate(world, day)
    assert np.array_equal(fitted.features(world, anchors), fitted.features(cut, anchors))


def test_round_trip_gives_identical_predictions(world, fitted):
    import json

    data = json.loads(json.dumps(fitted.to_dict()))
    again = effect.CallEffect.from_dict(data)
    anchors = _anchors(world, UNTIL)
    pd.testing.assert_frame_equal(fitted.predict(world, anchors), again.predict(world, anchors))


def test_the_holdout_rescales_the_mean_effect_to_what_it_measured(world, fitted):
    """A hold-out where listing doubles the calls and the listed order far more than the
    model expects: the scale moves up, toward the measured effect per call."""
    rng = np.random.default_rng(5)
    rows = []
    for week in range(20):
        start = UNTIL - timedelta(days=28 + 7 * (week + 1))
        for c in world.customers.customer_id.sample(60, random_state=week):
            rows.append((start, start + timedelta(days=6), c, bool(rng.random() < 0.5), True))
    holdout = pd.DataFrame(
        rows, columns=["period_start", "period_end", "customer_id", "held_out", "listed"]
    )
    scale, report = effect.holdout_scale(fitted, features.truncate(world, UNTIL), holdout)
    assert report["holdout_units"] == len(holdout)
    # random listing carries no call difference in this world: the scale stays 1 (no evidence)
    assert scale == 1.0


def test_a_fit_needs_observed_outcomes(world):
    with pytest.raises(ValueError, match="no weekly anchor"):
        effect.fit(world, START + timedelta(days=20), 28)


def test_an_artefact_without_the_effect_still_loads_and_ranks_by_probability(world, fitted):
    from repurchase.model import predictor as predictor_module
    from repurchase.model import ranking_gate  # noqa: F401  (the gate's module imports cleanly)

    data = {"effect": fitted.to_dict()}
    assert predictor_module.CallEffect.from_dict(data["effect"]).kind in effect.KINDS
    from repurchase.model.registry import LoadedModel

    class _P:
        effect = None

    old = LoadedModel("v", _P(), None, {"ranking_choice": "effect"}, [], UNTIL, UNTIL)
    assert old.effect is None and old.ranking_choice == "probability"
    old.predictor.effect = fitted
    assert old.ranking_choice == "effect"
