"""What a customer's orders are worth: a Gamma-Gamma spend model and the expected value in the
horizon, always "as of" an anchor (only orders before it are read).

Order size. Each customer's order values are Gamma(p, nu) with a customer-specific rate nu,
and nu ~ Gamma(q, gamma) across customers (Fader, Hardie and Lee 2005, "RFM and CLV"; the
likelihood of a customer's mean order value given x orders is in Fader and Hardie's note
"The Gamma-Gamma model of monetary value", eq. 5). It is fitted by maximum likelihood with
scipy on every customer's priced orders before the anchor. A customer's conditional expected
order size is a weighted mean of the population mean p*gamma/(q-1) and their own mean, the
weight on their own mean growing with their number of orders: a customer with one big order is
shrunk towards the population, a regular buyer's own average dominates. That is
`typical_order`; a customer with no priced order gets the population mean.

Unlike the paper (repeat purchases only), every priced order counts here, the first included:
in B2B the first order is an ordinary order, not a sign-up purchase.

Expected value. `expected_value = p_order * orders_if_any * typical_order`: the expected spend
in the horizon, P(at least one order) x E[orders | at least one] x E[order size], assuming the
size of an order does not depend on how many there are. `orders_if_any` is one population
figure measured on the history before the anchor (weekly anchors whose horizon has passed).

The baseline the model is measured against (backtest.py) is the customer's own average order
size (the population average for a customer with none), with the same p_order and the same
`orders_if_any`, so the comparison isolates the spend model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln

from repurchase.model.features import History

_DAY = 86_400
_KEY = 10**11  # history.ev_key: customer * _KEY + seconds
MIN_BUYERS = 20  # fewer priced buyers than this: no spend model, own averages only
_WEEKS_FOR_COUNTS = 26  # weekly anchors behind `orders_if_any`


@dataclass(frozen=True)
class GammaGamma:
    """Fitted parameters: order values ~ Gamma(p, nu), nu ~ Gamma(q, gamma); q > 1."""

    p: float
    q: float
    gamma: float

    @property
    def population_mean(self) -> float:
        """E[order size] of a customer about whom nothing is known."""
        return self.p * self.gamma / (self.q - 1.0)

    def own_weight(self, x: np.ndarray) -> np.ndarray:
        """How much a customer's own mean counts after x orders (0 for x = 0)."""
        x = np.asarray(x, dtype=float)
        return self.p * x / (self.p * x + self.q - 1.0)

    def conditional_mean(self, x: np.ndarray, mean_amount: np.ndarray) -> np.ndarray:
        """E[order size | x orders with mean `mean_amount`] (the note's eq. 6)."""
        x = np.asarray(x, dtype=float)
        w = self.own_weight(x)
        own = np.where(x > 0, np.nan_to_num(np.asarray(mean_amount, dtype=float)), 0.0)
        return (1.0 - w) * self.population_mean + w * own


def log_likelihood(params: np.ndarray, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Per-customer log-density of the mean order value z of x orders, given (p, q, gamma)."""
    p, q, gamma = params
    px = p * x
    return (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1.0) * np.log(z)
        + px * np.log(x)
        - (px + q) * np.log(gamma + x * z)
    )


def fit(x: np.ndarray, z: np.ndarray) -> GammaGamma:
    """Maximum-likelihood fit on customers with x >= 1 priced orders of mean value z > 0.
    Raises ValueError on empty or invalid input."""
    x, z = np.asarray(x, dtype=float), np.asarray(z, dtype=float)
    if len(x) == 0:
        raise ValueError("the Gamma-Gamma spend model needs at least one customer with an order")
    if (x < 1).any() or (z <= 0).any() or not np.isfinite(z).all():
        raise ValueError("Gamma-Gamma input must have x >= 1 orders of mean value z > 0")
    # amounts in units of their median keep the optimiser well conditioned whatever the currency
    scale = float(np.median(z))
    zs = z / scale

    def unpack(theta: np.ndarray) -> np.ndarray:
        # q = 1 + e^theta: the population mean p*gamma/(q-1) must exist
        return np.array([np.exp(theta[0]), 1.0 + np.exp(theta[1]), np.exp(theta[2])])

    def objective(theta: np.ndarray) -> float:
        ll = log_likelihood(unpack(theta), x, zs)
        # a small ridge on log-parameters keeps a degenerate sample from running off to inf
        return -ll.sum() / len(x) + 1e-5 * float(theta @ theta)

    result = minimize(
        objective, np.log([2.0, 2.0, 2.0]), method="L-BFGS-B", bounds=[(-9.0, 12.0)] * 3
    )
    p, q, gamma = unpack(result.x)
    return GammaGamma(float(p), float(q), float(gamma * scale))


def simulate(params: GammaGamma, n: int, max_orders: int, seed: int) -> tuple[np.ndarray, ...]:
    """Customers drawn from the Gamma-Gamma story, each with 1..max_orders orders: returns
    (x, mean order value, true expected order size). For testing that `fit` recovers `params`."""
    rng = np.random.default_rng(seed)
    nu = rng.gamma(params.q, 1.0 / params.gamma, n)
    x = rng.integers(1, max_orders + 1, n)
    totals = rng.gamma(params.p * x, 1.0 / nu)  # a sum of x Gamma(p, nu) is Gamma(p x, nu)
    return x.astype(float), totals / x, params.p / nu


# ----------------------------------------------------------------------------- from history


def priced_orders(
    history: History, cust: np.ndarray, t_seconds: np.ndarray, until: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Number and total value of each customer's priced orders (value > 0) in
    [`until` or the beginning, t): by default everything before the anchor t."""
    key, running = _priced(history)
    base = np.asarray(cust, dtype=np.int64) * _KEY
    first = np.searchsorted(key, base, side="left")
    hi = np.searchsorted(key, base + np.asarray(t_seconds, dtype=np.int64), side="left")
    lo = first
    if until is not None:
        lo = np.searchsorted(key, base + np.asarray(until, dtype=np.int64), side="left")

    def before(i: np.ndarray) -> np.ndarray:  # the customer's total at positions < i
        return np.where(i > first, running[np.maximum(i - 1, 0)], 0.0) if len(key) else 0.0

    return (hi - lo).astype(float), before(hi) - before(lo)


def orders_between(
    history: History, cust: np.ndarray, start: np.ndarray, stop: np.ndarray
) -> np.ndarray:
    """Orders (priced or not) of each customer in [start, stop) seconds."""
    base = np.asarray(cust, dtype=np.int64) * _KEY
    return np.searchsorted(history.order_key, base + stop, side="left") - np.searchsorted(
        history.order_key, base + start, side="left"
    )


def _priced(history: History) -> tuple[np.ndarray, np.ndarray]:
    """Keys of priced orders (sorted, as history.ev_key) and each customer's running total of
    their values, computed once per History. The totals restart per customer, so a sum up to
    an anchor reads exactly the customer's earlier orders (nothing later enters the sum, not
    even as rounding)."""
    cached = getattr(history, "_priced_orders", None)
    if cached is not None:
        return cached
    ev = history.events
    amount = (
        ev.amount.to_numpy(dtype=float, na_value=np.nan)
        if "amount" in ev
        else np.full(len(ev), np.nan)
    )
    priced = (ev.result.to_numpy() == 1) & np.isfinite(amount) & (amount > 0)
    key = history.ev_key[priced]
    running = pd.Series(amount[priced]).groupby(key // _KEY).cumsum().to_numpy(dtype=float)
    history._priced_orders = (key, running)
    return key, running


@dataclass(frozen=True)
class ValueModel:
    """What scoring needs to value customers as of one anchor: the fitted spend model (None
    when too few customers have priced orders), the population mean order size and the
    expected number of orders of a customer who orders in the horizon."""

    spend: GammaGamma | None
    population_mean: float
    orders_if_any: float
    buyers: int  # customers with priced orders the spend model was fitted on

    def typical_order(self, x: np.ndarray, mean_amount: np.ndarray) -> np.ndarray:
        """The conditional expected order size (never negative); the population mean for a
        customer without a priced order."""
        if self.spend is None:
            return baseline_order(x, mean_amount, self.population_mean)
        return np.maximum(self.spend.conditional_mean(x, mean_amount), 0.0)

    def expected_value(self, p_order: np.ndarray, typical: np.ndarray) -> np.ndarray:
        """Expected spend in the horizon: P(order) x E[orders | any] x E[order size]."""
        return np.maximum(np.asarray(p_order) * self.orders_if_any * typical, 0.0)

    def to_dict(self) -> dict[str, object]:
        spend = None if self.spend is None else [self.spend.p, self.spend.q, self.spend.gamma]
        return {
            "spend": spend,
            "population_mean": self.population_mean,
            "orders_if_any": self.orders_if_any,
            "buyers": self.buyers,
        }


def baseline_order(x: np.ndarray, mean_amount: np.ndarray, population_mean: float) -> np.ndarray:
    """The baseline: the customer's own average order size, the population's when none."""
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, np.nan_to_num(np.asarray(mean_amount, dtype=float)), population_mean)


def fit_history(history: History, anchor, horizon_days: int) -> ValueModel:
    """A ValueModel from the history before `anchor` only (a date or Timestamp)."""
    t = int(pd.Timestamp(anchor).to_datetime64().astype("datetime64[s]").astype(np.int64))
    n = len(history.customers)
    cust = np.arange(n)
    x, total = priced_orders(history, cust, np.full(n, t))
    buyers = x > 0
    mean = np.divide(total, x, out=np.zeros(n), where=buyers)
    # the population figure without a model: the mean order over all priced orders
    population = float(total.sum() / x.sum()) if x.sum() else 0.0
    spend = None
    if buyers.sum() >= MIN_BUYERS and population > 0:
        spend = fit(x[buyers], mean[buyers])
        if not np.isfinite(spend.population_mean) or spend.population_mean <= 0:
            spend = None
    return ValueModel(
        spend=spend,
        population_mean=spend.population_mean if spend else population,
        orders_if_any=orders_if_any(history, t, horizon_days),
        buyers=int(buyers.sum()),
    )


def orders_if_any(history: History, t: int, horizon_days: int) -> float:
    """Mean number of orders in a horizon among customers with at least one, over weekly
    anchors before t whose horizon ended by t (1.0 when nobody ordered)."""
    h = horizon_days * _DAY
    last = t - h
    anchors = last - 7 * _DAY * np.arange(_WEEKS_FOR_COUNTS)
    n = len(history.customers)
    counts = []
    for a in anchors:
        exists = history.created_seconds < a
        cust = np.flatnonzero(exists)
        k = orders_between(history, cust, np.full(len(cust), a), np.full(len(cust), a + h))
        counts.append(k[k > 0])
    if n == 0:
        return 1.0
    counts = np.concatenate(counts) if counts else np.zeros(0)
    return float(counts.mean()) if len(counts) else 1.0


def value_frame(
    history: History, customer_ids: np.ndarray, anchor, p_order: np.ndarray, model: ValueModel
) -> pd.DataFrame:
    """Per customer as of `anchor`: priced orders before it, their mean, typical_order and
    expected_value (the model), baseline_order and baseline_value (own average)."""
    cust = pd.Series(customer_ids).map(history.customer_index).to_numpy(dtype=np.int64)
    t = int(pd.Timestamp(anchor).to_datetime64().astype("datetime64[s]").astype(np.int64))
    x, total = priced_orders(history, cust, np.full(len(cust), t))
    mean = np.divide(total, x, out=np.zeros(len(cust)), where=x > 0)
    typical = model.typical_order(x, mean)
    baseline = baseline_order(x, mean, model.population_mean)
    return pd.DataFrame(
        {
            "customer_id": np.asarray(customer_ids),
            "priced_orders": x.astype(int),
            "mean_order": np.where(x > 0, mean, np.nan),
            "typical_order": typical,
            "expected_value": model.expected_value(p_order, typical),
            "baseline_order": baseline,
            "baseline_value": model.expected_value(p_order, baseline),
        }
    )
