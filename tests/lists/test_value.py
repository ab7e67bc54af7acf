"""The spend model: Gamma-Gamma recovers the parameters it was simulated with, shrinks a
customer with few orders towards the population, never goes negative and reads nothing on or
after the anchor."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from repurchase.lists import value
from repurchase.model import features

from ..conftest import SMALL_UNTIL

# Fader, Hardie and Lee's CDNOW estimates for the spend model ("RFM and CLV", 2005).
CDNOW = value.GammaGamma(p=6.25, q=3.74, gamma=15.44)


@pytest.fixture(scope="module")
def simulated():
    return value.simulate(CDNOW, n=6000, max_orders=8, seed=3)


def test_fit_recovers_the_parameters_it_was_simulated_with(simulated):
    x, z, _ = simulated
    fitted = value.fit(x, z)
    assert fitted.p == pytest.approx(CDNOW.p, rel=0.15)
    assert fitted.q == pytest.approx(CDNOW.q, rel=0.15)
    assert fitted.gamma == pytest.approx(CDNOW.gamma, rel=0.25)
    assert fitted.population_mean == pytest.approx(CDNOW.population_mean, rel=0.05)
    # a maximum: the true parameters are not more likely
    at_fit = value.log_likelihood(np.array([fitted.p, fitted.q, fitted.gamma]), x, z).sum()
    at_truth = value.log_likelihood(np.array([CDNOW.p, CDNOW.q, CDNOW.gamma]), x, z).sum()
    assert at_fit >= at_truth


def test_the_fit_does_not_depend_on_the_currency(simulated):
    x, z, _ = simulated
    in_units, in_cents = value.fit(x, z), value.fit(x, z * 100)
    assert in_cents.p == pytest.approx(in_units.p, rel=1e-3)
    assert in_cents.gamma == pytest.approx(in_units.gamma * 100, rel=1e-3)


def test_the_conditional_mean_beats_own_averages_on_simulated_customers(simulated):
    """The point of shrinkage: against the true expected order size, the conditional mean
    errs less than the customer's own average, most of all for one-order customers."""
    x, z, truth = simulated
    fitted = value.fit(x, z)
    shrunk = np.abs(fitted.conditional_mean(x, z) - truth)
    own = np.abs(z - truth)
    assert shrunk.mean() < own.mean()
    one = x == 1
    assert shrunk[one].mean() < 0.9 * own[one].mean()


def test_shrinkage_towards_the_population():
    model = value.GammaGamma(p=6.25, q=3.74, gamma=15.44)
    pop = model.population_mean
    big = 10 * pop
    one, many = model.conditional_mean(np.array([1.0, 20.0]), np.array([big, big]))
    assert pop < one < many < big  # one big order says less than twenty
    assert model.conditional_mean(np.array([0.0]), np.array([np.nan]))[0] == pytest.approx(pop)
    assert model.own_weight(np.array([0.0]))[0] == 0.0


def test_values_are_never_negative():
    vm = value.ValueModel(value.GammaGamma(2.0, 3.0, 10.0), 10.0, 1.3, 50)
    typical = vm.typical_order(np.array([0.0, 1.0, 3.0]), np.array([np.nan, 0.0, 5.0]))
    assert (typical >= 0).all()
    assert (vm.expected_value(np.array([0.0, 0.5, 1.0]), typical) >= 0).all()
    # P x E[orders | any] x size
    assert vm.expected_value(np.array([0.5]), np.array([100.0]))[0] == pytest.approx(65.0)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="at least one customer"):
        value.fit(np.zeros(0), np.zeros(0))
    with pytest.raises(ValueError, match="x >= 1"):
        value.fit(np.array([0.0, 2.0]), np.array([5.0, 5.0]))
    with pytest.raises(ValueError, match="z > 0"):
        value.fit(np.array([1.0]), np.array([-1.0]))


# ----------------------------------------------------------------------------- on a history

ANCHOR = SMALL_UNTIL - timedelta(days=60)


def _history(data, orders=None, visits=None):
    return features.history_from_frames(
        data.reps,
        data.customers,
        data.visits if visits is None else visits,
        data.orders if orders is None else orders,
        SMALL_UNTIL,
    )


def _values(history):
    model = value.fit_history(history, ANCHOR, 28)
    ids = history.customers.customer_id.to_numpy()
    return model, value.value_frame(history, ids, ANCHOR, np.full(len(ids), 0.4), model)


def test_amounts_on_or_after_the_anchor_change_nothing(small_demo):
    data = small_demo
    model, frame = _values(_history(data))
    later_orders = pd.to_datetime(data.orders.order_date) >= pd.Timestamp(ANCHOR)
    later_visits = pd.to_datetime(data.visits.visit_date) >= pd.Timestamp(ANCHOR)
    assert later_orders.any() and later_visits.any()
    orders = data.orders.assign(amount=data.orders.amount.where(~later_orders, 1e7))
    visits = data.visits.assign(order_amount=data.visits.order_amount.where(~later_visits, 1e7))
    model2, frame2 = _values(_history(data, orders, visits))
    assert model2 == model
    pd.testing.assert_frame_equal(frame2, frame)
    # while an amount before the anchor does change the figures
    earlier = pd.to_datetime(data.orders.order_date) < pd.Timestamp(ANCHOR) - timedelta(days=30)
    orders = data.orders.assign(amount=data.orders.amount.where(~earlier, 1e7))
    visits = data.visits.assign(order_amount=np.nan)  # the order records carry the amounts
    _, frame3 = _values(_history(data, orders, visits))
    assert not np.allclose(frame3.typical_order, frame.typical_order)


def test_values_on_the_demo(small_demo):
    model, frame = _values(_history(small_demo))
    assert model.spend is not None and model.buyers >= value.MIN_BUYERS
    assert model.orders_if_any >= 1.0
    assert (frame.typical_order >= 0).all() and (frame.expected_value >= 0).all()
    never = frame.priced_orders == 0
    assert never.any()
    np.testing.assert_allclose(frame.typical_order[never], model.population_mean)
    np.testing.assert_allclose(frame.baseline_order[never], model.population_mean)
    # a buyer's typical order lies between their own mean and the population's
    buyers = frame[~never]
    low = np.minimum(buyers.mean_order, model.population_mean) - 1e-6
    high = np.maximum(buyers.mean_order, model.population_mean) + 1e-6
    assert buyers.typical_order.between(low, high).all()


def test_customers_without_any_priced_order_get_the_population_figure(small_demo):
    """Unpriced data (visits with no amount, no order records) still scores: no spend model,
    the population figure is 0 and nothing is negative or missing."""
    data = small_demo
    visits = data.visits.assign(order_amount=np.nan)
    history = _history(data, data.orders.iloc[0:0], visits)
    model, frame = _values(history)
    assert model.spend is None and model.population_mean == 0.0
    assert (frame.expected_value == 0).all() and frame.typical_order.notna().all()


def test_dates_mean_the_start_of_the_day(small_demo):
    history = _history(small_demo)
    a = value.fit_history(history, date(2026, 5, 1), 28)
    b = value.fit_history(history, pd.Timestamp("2026-05-01"), 28)
    assert a == b
