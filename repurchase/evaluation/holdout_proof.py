"""Proof from the randomised hold-out that a manager can trust sooner, and look at every day.

A unit is one (hold-out period, customer) the model ranked onto a rep's list: treated if the
rep saw it, control if the period's random hold-out withheld it (sql/holdout_units.sql). The
outcome is whether the customer ordered within the window after its first (or would-be)
listing. Four figures come from the units:

* the raw difference of the two shares that ordered, with its 95 % interval (Neyman's
  unpooled standard error);
* the adjusted difference: Lin's (2013) regression adjustment. The outcome is regressed on the
  treatment, the pre-period covariates centred on their mean over all units, and their
  interactions with the treatment; the treatment's coefficient estimates the same average
  effect, its HC2 robust standard error is valid under randomisation whatever the outcome's
  true shape, and it is smaller the better the covariates predict ordering. Everything is
  computed from the units' sums (unit_sums: HC2's leverage correction to first order), so the
  nightly job can keep them per rep and the page need not read every unit. The covariates are
  what was known before the period: the model's score when first ranked (p_order) and the
  customer's orders in the same length of time before the period (prior_orders, as log(1 + n)
  so a few very busy customers do not dominate);
* an always-valid 95 % interval around the adjusted difference: the normal-mixture confidence
  sequence (Howard et al. 2021, two-sided mixture boundary; used with an estimated variance as
  the asymptotic confidence sequence of Waudby-Smith et al. 2023). It holds at every look at
  once, so a manager may open the page every day without raising the chance of a false
  verdict above 5 %. It is wider than the fixed interval: the price of looking at will;
* power and cost at the team's volume: weeks until a lift of a given size shows (the
  always-valid interval excludes 0 with 80 % probability), the smallest lift that shows within
  8 weeks, and the orders the hold-out forgoes each week if the current estimate is right.

Units are treated as independent: the draw is made afresh for every (period, customer), so
the design-based variance of the estimate involves each unit's outcomes only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np
import pandas as pd

from repurchase.evaluation import unit_sums
from repurchase.warehouse import point_reads
from repurchase.warehouse.store import Cursor, Warehouse, sql

Z95 = 1.959963984540054
Z_POWER = 0.8416212335729143  # 80 % power
PLAN_WEEKS = 8  # the confidence sequence is tightest near this many weeks of units
MAX_WEEKS = 52  # a verdict further away than a year counts as unreachable
MIN_PER_ARM = 30  # fewer units on a side give no interval (the normal approximation fails)
COVARIATES = ("p_order", "prior_orders")
# The smallest lift the weeks to a verdict are planned for: a few points more of the listed
# customers ordering within the week is what a manager would change the team's day for, and
# planning for a smaller estimate (or one below zero) says "never" at every share.
PLANNING_LIFT = 0.05


@dataclass(frozen=True)
class HoldoutProof:
    """The hold-out's proof for one group of reps. Differences are shares (0.05 = 5 points).
    NaN where a side has fewer than MIN_PER_ARM units; weeks_to_verdict None when the lift
    would not show within MAX_WEEKS at this volume (or there is no lift to show)."""

    units: int
    treated: int
    control: int
    raw_difference: float
    raw_low: float
    raw_high: float
    adjusted_difference: float
    adjusted_low: float
    adjusted_high: float
    sequential_low: float  # always-valid 95 % interval around the adjusted difference
    sequential_high: float
    weeks_so_far: int
    weeks_to_verdict: int | None  # from the first week, for a lift of `target_lift`
    detectable_lift: float  # the smallest lift that shows within PLAN_WEEKS (80 % power)
    holdout_share: float
    orders_forgone_per_week: float  # held-out units a week x the adjusted lift (0 if <= 0)
    target_lift: float = math.nan  # the lift weeks_to_verdict is for
    units_per_week: float = math.nan
    unit_variance: float = math.nan  # n x se^2 of the adjusted difference at holdout_share
    treated_rate: float = math.nan
    control_rate: float = math.nan

    @property
    def verdict(self) -> str:
        """From the always-valid interval: "helps" (all of it above 0), "hurts" (below),
        "unclear" (it holds 0), "none" (too few units to say anything)."""
        if math.isnan(self.sequential_low):
            return "none"
        if self.sequential_low > 0:
            return "helps"
        if self.sequential_high < 0:
            return "hurts"
        return "unclear"

    @property
    def weeks_left(self) -> int | None:
        """Weeks still needed for the verdict on `target_lift`, at this volume."""
        if self.weeks_to_verdict is None:
            return None
        return max(self.weeks_to_verdict - self.weeks_so_far, 0)


# ----------------------------------------------------------------------------- estimators


@dataclass(frozen=True)
class Estimate:
    """A difference, its standard error, and the residual variance of each arm (per unit)."""

    difference: float
    se: float
    var_treated: float
    var_control: float


def raw_estimate(treated: np.ndarray, y: np.ndarray) -> Estimate:
    """Difference of means with Neyman's unpooled standard error."""
    y1, y0 = y[treated], y[~treated]
    v1, v0 = float(np.var(y1, ddof=1)), float(np.var(y0, ddof=1))
    return Estimate(float(y1.mean() - y0.mean()), math.sqrt(v1 / len(y1) + v0 / len(y0)), v1, v0)


def _raw_from_counts(n1: int, ordered1: int, n0: int, ordered0: int) -> Estimate:
    """raw_estimate of an outcome that is 0 or 1, from each arm's units and orders."""
    r1, r0 = ordered1 / n1, ordered0 / n0
    v1, v0 = n1 * r1 * (1 - r1) / (n1 - 1), n0 * r0 * (1 - r0) / (n0 - 1)
    return Estimate(r1 - r0, math.sqrt(v1 / n1 + v0 / n0), v1, v0)


def _from_sums(found: unit_sums.Adjusted | None, raw: Estimate) -> Estimate:
    if found is None:
        return raw  # collinear covariates: no adjustment
    return Estimate(found.difference, found.se, found.var_treated, found.var_control)


def adjusted_estimate(treated: np.ndarray, y: np.ndarray, covariates: np.ndarray) -> Estimate:
    """Lin's (2013) estimator: OLS of y (0 or 1) on [1, T, Xc, T*Xc] (Xc: the covariates
    centred on the mean of all units), the coefficient of T with its HC2 standard error, from
    the units' power sums (unit_sums.adjusted, as the proof computes it). `covariates`: the
    columns of covariate_matrix (p_order, log(1 + prior_orders)). Covariates without
    variation are dropped; collinear ones fall back to no adjustment."""
    columns = [covariates[:, i] if covariates.shape[1] > i else np.zeros(len(y)) for i in (0, 1)]
    p, q = (np.asarray(c, dtype=float) for c in columns)
    arms = [unit_sums.array_moments(p[side], q[side], y[side]) for side in (treated, ~treated)]
    return _from_sums(unit_sums.adjusted(*arms), raw_estimate(treated, y))


def covariate_matrix(units: pd.DataFrame) -> np.ndarray:
    """The pre-period covariates of `units` as the adjustment uses them."""
    p = units.p_order.astype(float).fillna(units.p_order.astype(float).mean()).fillna(0)
    prior = np.log1p(units.prior_orders.astype(float).fillna(0).clip(lower=0))
    return np.column_stack([p.to_numpy(), prior.to_numpy()])


# ----------------------------------------------------------------------------- always valid


def mixture_factor(units: float, plan_units: float, alpha: float = 0.05) -> float:
    """Half-width of the always-valid interval in standard errors after `units` units.

    The normal-mixture boundary |S_t| < sqrt((V_t + rho) log((V_t + rho) / (rho alpha^2)))
    with V_t = t sigma^2, divided by t and written with rho = m sigma^2: half-width =
    se * sqrt((1 + m/t) log((1 + t/m) / alpha^2)). m is fixed before looking (from the
    planned number of units, never from outcomes) so the boundary is tightest near it."""
    if units <= 0:
        return math.inf
    m = _MIXTURE_C[alpha] * plan_units if alpha in _MIXTURE_C else _best_c(alpha) * plan_units
    return math.sqrt((1 + m / units) * math.log((1 + units / m) / alpha**2))


def _best_c(alpha: float) -> float:
    """The m / t that makes the boundary narrowest at t (a grid is exact enough)."""
    grid = np.linspace(0.01, 2.0, 2000)
    width = (1 + grid) * np.log((1 + 1 / grid) / alpha**2)
    return float(grid[np.argmin(width)])


_MIXTURE_C = {0.05: _best_c(0.05)}


# ----------------------------------------------------------------------------- power


def _power_half_width(
    weeks: int, per_week: float, sigma2: float, plan_units: float, alpha: float
) -> float:
    """The lift that shows after `weeks` weeks with 80 % probability: the always-valid
    half-width plus 0.84 standard errors."""
    n = weeks * per_week
    se = math.sqrt(sigma2 / n)
    return se * (mixture_factor(n, plan_units, alpha) + Z_POWER)


def weeks_to_show(
    lift: float,
    per_week: float,
    sigma2: float,
    *,
    alpha: float = 0.05,
    plan_units: float | None = None,
) -> int | None:
    """Weeks (from the start) until a true lift of `lift` shows: the always-valid interval
    excludes 0 with 80 % probability. `per_week`: units a week; `sigma2`: the variance of one
    unit's contribution (n x se^2). None if not within MAX_WEEKS, or no positive lift."""
    if not (lift > 0 and per_week > 0 and sigma2 > 0):
        return None
    plan = plan_units if plan_units is not None else PLAN_WEEKS * per_week
    for weeks in range(1, MAX_WEEKS + 1):
        if _power_half_width(weeks, per_week, sigma2, plan, alpha) <= lift:
            return weeks
    return None


def smallest_lift(weeks: int, per_week: float, sigma2: float, *, alpha: float = 0.05) -> float:
    """The smallest lift that shows within `weeks` weeks (80 % probability)."""
    if not (per_week > 0 and sigma2 > 0):
        return math.nan
    return _power_half_width(weeks, per_week, sigma2, PLAN_WEEKS * per_week, alpha)


def unit_variance(estimate: Estimate, share: float) -> float:
    """n x se^2 of the adjusted difference if a `share` of units were held out."""
    if not 0 < share < 1:
        return math.nan
    return estimate.var_treated / (1 - share) + estimate.var_control / share


# ----------------------------------------------------------------------------- the proof


def weeks_between(first: object, last: object) -> int:
    """Whole weeks from day `first` to day `last`, both counted (at least 1)."""
    return max(1, math.ceil(((pd.Timestamp(last) - pd.Timestamp(first)).days + 1) / 7))


def prove(
    units: pd.DataFrame,
    *,
    share: float,
    alpha: float = 0.05,
    target_lift: float | None = None,
    plan_units: float | None = None,
) -> HoldoutProof:
    """The proof from `units` (holdout_units' rows: rep_id, period_start, held_out, ordered,
    order_value, first_listed, p_order, prior_orders); prove_cells' figures of their cells."""
    return prove_cells(
        unit_sums.cells_of(units),
        share=share,
        alpha=alpha,
        target_lift=target_lift,
        plan_units=plan_units,
    )


def prove_cells(
    cells: pd.DataFrame,
    *,
    share: float,
    alpha: float = 0.05,
    target_lift: float | None = None,
    plan_units: float | None = None,
) -> HoldoutProof:
    """The proof from the units' cells (unit_sums.COLUMNS: of holdout_units' rows, or the
    nightly table's). `share`: the hold-out share the projections assume (the team's setting).
    `target_lift`: the lift weeks_to_verdict is for (default: the adjusted estimate's size,
    at least PLANNING_LIFT).
    `plan_units`: where the always-valid interval is tightest (default: PLAN_WEEKS of the
    units' weekly volume)."""
    held = cells.held_out.astype(bool)
    treated_cells, control_cells = cells[~held], cells[held]
    n1, n0 = int(treated_cells.n.sum()), int(control_cells.n.sum())
    ordered1 = int(treated_cells.n[treated_cells.ordered.astype(bool)].sum())
    ordered0 = int(control_cells.n[control_cells.ordered.astype(bool)].sum())
    units = n1 + n0
    first, last = cells.first_listed_min.min(), cells.first_listed_max.max()
    weeks = weeks_between(first, last) if units else 0
    per_week = units / weeks if weeks else 0.0
    base = dict(
        units=units,
        treated=n1,
        control=n0,
        weeks_so_far=weeks,
        holdout_share=share,
        units_per_week=per_week,
        treated_rate=ordered1 / n1 if n1 else math.nan,
        control_rate=ordered0 / n0 if n0 else math.nan,
    )
    if min(n1, n0) < MIN_PER_ARM:
        return _empty(base)
    raw = _raw_from_counts(n1, ordered1, n0, ordered0)
    p_mean = unit_sums.score_mean(cells)
    arms = (unit_sums.moments(c, p_mean) for c in (treated_cells, control_cells))
    adjusted = _from_sums(unit_sums.adjusted(*arms), raw)
    plan = plan_units if plan_units is not None else PLAN_WEEKS * per_week
    half = adjusted.se * mixture_factor(units, plan, alpha)
    z = _z(alpha)
    sigma2 = unit_variance(adjusted, share)
    lift = max(abs(adjusted.difference), PLANNING_LIFT) if target_lift is None else target_lift
    return HoldoutProof(
        **base,
        raw_difference=raw.difference,
        raw_low=raw.difference - z * raw.se,
        raw_high=raw.difference + z * raw.se,
        adjusted_difference=adjusted.difference,
        adjusted_low=adjusted.difference - z * adjusted.se,
        adjusted_high=adjusted.difference + z * adjusted.se,
        sequential_low=adjusted.difference - half,
        sequential_high=adjusted.difference + half,
        weeks_to_verdict=weeks_to_show(lift, per_week, sigma2, alpha=alpha, plan_units=plan),
        detectable_lift=smallest_lift(PLAN_WEEKS, per_week, sigma2, alpha=alpha),
        orders_forgone_per_week=per_week * share * max(adjusted.difference, 0.0),
        target_lift=lift,
        unit_variance=sigma2,
    )


def _z(alpha: float) -> float:
    return Z95 if alpha == 0.05 else NormalDist().inv_cdf(1 - alpha / 2)


def _empty(base: dict) -> HoldoutProof:
    nan = math.nan
    return HoldoutProof(
        **base,
        raw_difference=nan,
        raw_low=nan,
        raw_high=nan,
        adjusted_difference=nan,
        adjusted_low=nan,
        adjusted_high=nan,
        sequential_low=nan,
        sequential_high=nan,
        weeks_to_verdict=None,
        detectable_lift=nan,
        orders_forgone_per_week=0.0,
    )


def simulate_units(
    seed: int,
    *,
    effect: float = 0.04,
    per_week: int = 400,
    weeks: int = 8,
    share: float = 0.2,
    spread: float = 0.25,
    top: float = 0.97,
    start: date = date(2026, 3, 2),
) -> pd.DataFrame:
    """Units of a simulated randomised hold-out whose true effect is `effect`, to check the
    proof against (tests, bench/holdout_proof.py). Each customer's chance to order within the
    window without the list is Beta(spread, spread) scaled to [0.02, top] (small `spread`:
    routine buyers near the top, others near the bottom, so the covariates predict ordering
    well; a lower `top` predicts less); the model's score is that chance with noise, prior
    orders are Poisson with a mean that rises with it; being listed adds `effect` to the
    chance. A `share` of the units is held out at random; first listings spread over the
    weeks."""
    rng = np.random.default_rng(seed)
    n = per_week * weeks
    chance = 0.02 + (top - 0.02) * rng.beta(spread, spread, n)
    held = rng.random(n) < share
    days = np.sort(rng.integers(0, 7 * weeks, n))
    ordered = rng.random(n) < np.clip(chance + np.where(held, 0.0, effect), 0, 1)
    return pd.DataFrame(
        {
            "rep_id": "R1",
            "period_start": pd.to_datetime(start),
            "held_out": held,
            "ordered": ordered,
            "order_value": np.where(ordered, rng.gamma(2.0, 50.0, n), 0.0),
            "first_listed": pd.to_datetime(start) + pd.to_timedelta(days, unit="D"),
            "p_order": np.clip(chance + rng.normal(0, 0.05, n), 0.001, 0.999),
            "prior_orders": rng.poisson(4 * chance),
        }
    )


def holdout_units(
    warehouse: Warehouse,
    first: date,
    last: date,
    reps: list[str],
    window_days: int = 7,
) -> pd.DataFrame:
    """The hold-out's units of `reps` for lists between `first` and `last`, with their
    outcome within `window_days` and their pre-period covariates (sql/holdout_units.sql)."""
    with warehouse.transaction() as cur:  # the bounds and the units from one snapshot
        return read_units(cur, first, last, reps, window_days)[0]


def read_units(
    cur: Cursor, first: date, last: date, reps: list[str], window_days: int = 7
) -> tuple[pd.DataFrame, date | None]:
    """holdout_units' rows read in `cur`'s transaction, and the last day with data they
    were closed by (None: no unit's window could close)."""
    period = {"first": first, "last": last, "window_days": window_days}
    point_reads.narrow(cur)
    since, until = cur.execute(sql("holdout_units_bounds"), period).fetchone()
    last_day = last_data_day(cur, last - timedelta(days=window_days), since)
    units = cur.execute(
        sql("holdout_units"),
        {
            **period,
            "reps": list(reps),
            "last_day": last_day,
            "purchases_from": since,
            "purchases_until": until,
        },
    ).df()
    return units, last_day


def last_data_day(cur: Cursor, recent: date, earliest: date) -> date | None:
    """observed_until's last day with data, as far as the units can tell: a unit of a list on
    or after `earliest` counts only if its window closed by that day. Looked for from `recent`
    first (a few days of visits, where it usually is), then from `earliest`; before
    `earliest` no unit's window can close, so an earlier last day counts as none."""
    for since in (recent, earliest):
        found = cur.execute(sql("holdout_last_day"), {"since": since}).fetchone()[0]
        if found is not None:
            return found
    return None
