"""Is the list working, and for whom? The paper's Tables 2 and 3, the hold-out lift and the
calibration of served probabilities, as DataFrames (the CLI prints them, the app renders them).

Every rate comes with its count and a 95 % Wilson interval; differences come with a
two-proportion test. Cells with fewer visits than `min_visits` are marked `small`, never
hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy.stats import norm

from repurchase.evaluation import holdout_proof, unit_sums
from repurchase.warehouse.store import Warehouse

Z95 = float(norm.ppf(0.975))
MIN_VISITS = 30  # below this a cell's rate is too noisy to compare; shown greyed, not hidden


# ----------------------------------------------------------------------------- statistics


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion; (nan, nan) for n = 0."""
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def two_proportion_test(a1: int, n1: int, a2: int, n2: int) -> float:
    """Two-sided p-value of the pooled z-test that two proportions are equal."""
    if n1 == 0 or n2 == 0:
        return math.nan
    pooled = (a1 + a2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0 if a1 / n1 == a2 / n2 else 0.0
    z = (a1 / n1 - a2 / n2) / se
    return float(2 * norm.sf(abs(z)))


def newcombe_difference(a1: int, n1: int, a2: int, n2: int) -> tuple[float, float]:
    """95 % interval for p1 - p2 from the two Wilson intervals (Newcombe 1998, method 10)."""
    if n1 == 0 or n2 == 0:
        return (math.nan, math.nan)
    p1, p2 = a1 / n1, a2 / n2
    l1, u1 = wilson(a1, n1)
    l2, u2 = wilson(a2, n2)
    d = p1 - p2
    return (
        d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def rate_columns(prefix: str, successes: int, n: int) -> dict[str, float]:
    low, high = wilson(successes, n)
    return {
        f"{prefix}_visits": n,
        f"{prefix}_successes": successes,
        f"{prefix}_rate": successes / n if n else math.nan,
        f"{prefix}_low": low,
        f"{prefix}_high": high,
    }


# ----------------------------------------------------------------------------- cohorts

TENURE_BANDS = [(0.0, 1.0, "< 1 y"), (1.0, 2.0, "1-2 y"), (2.0, math.inf, "> 2 y")]
AGE_BANDS = [(0.0, 26.0, "21-25"), (26.0, 31.0, "26-30"), (31.0, math.inf, "> 30")]
DIMENSIONS = ("overall", "tenure", "age", "gender")


def _band(values: pd.Series, bands: list[tuple[float, float, str]]) -> pd.Series:
    labels = pd.Series(pd.NA, index=values.index, dtype="object")
    for low, high, label in bands:
        labels[(values >= low) & (values < high)] = label
    return labels


def cohort_labels(visits: pd.DataFrame) -> pd.DataFrame:
    """Add the paper's cohort columns: tenure band and age band (at visit time), gender."""
    out = visits.copy()
    out["overall"] = "all"
    out["tenure"] = _band(out.tenure_years, TENURE_BANDS)
    out["age"] = _band(out.age_years, AGE_BANDS)
    return out


def on_list_visits(warehouse: Warehouse, first: date, last: date) -> pd.DataFrame:
    """Visits in [first, last] with on_list and cohort columns (sql/visits_on_list.sql)."""
    return cohort_labels(warehouse.query("visits_on_list", first=first, last=last))


def on_off_table(visits: pd.DataFrame, min_visits: int = MIN_VISITS) -> pd.DataFrame:
    """Paper Table 3: success on-list vs off-list, overall and by tenure, age band and gender.

    Input: on_list_visits() (optionally filtered). One row per cohort with the number of reps,
    visits, successes, rate and Wilson interval on each side, relative lift, the Newcombe
    interval of the difference, the two-proportion p-value, and `small` when either side has
    fewer than `min_visits` visits.
    """
    rows = []
    order = {
        "overall": ["all"],
        "tenure": [b[2] for b in TENURE_BANDS],
        "age": [b[2] for b in AGE_BANDS],
        "gender": ["M", "F"],
    }
    for dimension in DIMENSIONS:
        for cohort in order[dimension]:
            cell = visits[visits[dimension] == cohort]
            on, off = cell[cell.on_list], cell[~cell.on_list]
            a1, n1 = int(on.success.sum()), len(on)
            a2, n2 = int(off.success.sum()), len(off)
            diff_low, diff_high = newcombe_difference(a1, n1, a2, n2)
            row = {"dimension": dimension, "cohort": cohort, "reps": cell.rep_id.nunique()}
            row.update(rate_columns("on", a1, n1))
            row.update(rate_columns("off", a2, n2))
            row["lift"] = (a1 / n1) / (a2 / n2) - 1 if n1 and n2 and a2 else math.nan
            row["difference_low"], row["difference_high"] = diff_low, diff_high
            row["p_value"] = two_proportion_test(a1, n1, a2, n2)
            row["small"] = min(n1, n2) < min_visits
            rows.append(row)
    return pd.DataFrame(rows)


def per_rep_table(visits: pd.DataFrame) -> pd.DataFrame:
    """Per rep: visits, adoption (share of visits that were on-list), on/off-list success."""
    grouped = visits.groupby("rep_id")
    table = pd.DataFrame(
        {
            "visits": grouped.size(),
            "on_list_visits": grouped.on_list.sum(),
            "adoption": grouped.on_list.mean(),
            "on_rate": visits[visits.on_list].groupby("rep_id").success.mean(),
            "off_rate": visits[~visits.on_list].groupby("rep_id").success.mean(),
        }
    )
    return table.reset_index()


def weekly_trend(visits: pd.DataFrame) -> pd.DataFrame:
    """Success on-list vs off-list per week (Monday), with counts and Wilson intervals."""
    frame = visits.assign(week=pd.to_datetime(visits.visit_day).dt.to_period("W-SUN").dt.start_time)
    rows = []
    for week, cell in frame.groupby("week"):
        on, off = cell[cell.on_list], cell[~cell.on_list]
        row = {"week": week.date()}
        row.update(rate_columns("on", int(on.success.sum()), len(on)))
        row.update(rate_columns("off", int(off.success.sum()), len(off)))
        rows.append(row)
    if not rows:  # a filter that leaves no visits: the same columns, no weeks
        columns = ["week", *rate_columns("on", 0, 0), *rate_columns("off", 0, 0)]
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- versions


def version_table(
    warehouse: Warehouse, first: date, last: date, reps: list[str] | None = None
) -> pd.DataFrame:
    """Paper Table 2: per model version and week (Monday, as text), the success rate of list
    customers visited within 7 days of being listed (succeeded / visited), with Wilson
    intervals, and each version's overall rate (week "all"). Only the lists of `reps` count
    (None: every rep's)."""
    frame = warehouse.query("list_followups", first=first, last=last, reps=reps)
    rows = []
    for row in frame.itertuples(index=False):
        week = f"{pd.Timestamp(row.week):%Y-%m-%d}"  # text, like the "all" rows below
        out = {"model_version": row.model_version, "week": week, "listed": row.listed}
        out.update(rate_columns("followup", int(row.succeeded), int(row.visited)))
        rows.append(out)
    for version, cell in frame.groupby("model_version"):
        out = {"model_version": version, "week": "all", "listed": int(cell.listed.sum())}
        out.update(rate_columns("followup", int(cell.succeeded.sum()), int(cell.visited.sum())))
        rows.append(out)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- hold-out


@dataclass(frozen=True)
class ValueLift:
    """Order value per unit (0 for a unit that did not order) within the window, listed vs
    held out, and the difference with a 95 % interval (Welch's normal approximation: units
    number in the hundreds at least when there is a hold-out to speak of; order values are
    skewed, so the interval is wide, as it should be)."""

    treated_mean: float
    control_mean: float
    low: float
    high: float

    @property
    def difference(self) -> float:
        return self.treated_mean - self.control_mean

    @classmethod
    def of(cls, treated: np.ndarray, control: np.ndarray) -> ValueLift | None:
        sides = [(len(v), float(v.sum()), float((v**2).sum())) for v in (treated, control)]
        return cls.of_sums(*sides)

    @classmethod
    def of_sums(
        cls, treated: tuple[int, float, float], control: tuple[int, float, float]
    ) -> ValueLift | None:
        """From each side's (units, sum of values, sum of squared values)."""
        (n1, s1, q1), (n0, s0, q0) = treated, control
        if n1 < 2 or n0 < 2:
            return None
        mean1, mean0 = s1 / n1, s0 / n0
        var1 = max(q1 - n1 * mean1**2, 0.0) / (n1 - 1)
        var0 = max(q0 - n0 * mean0**2, 0.0) / (n0 - 1)
        difference = mean1 - mean0
        se = math.sqrt(var1 / n1 + var0 / n0)
        return cls(mean1, mean0, difference - Z95 * se, difference + Z95 * se)


@dataclass(frozen=True)
class HoldoutLift:
    """The list's causal effect on ordering, from the randomised hold-out.

    Units are (hold-out period, customer) pairs that the model ranked onto a list at least once
    in the period. Treated: the rep saw the customer on the list. Control: the customer was in
    that period's random hold-out, so it was withheld although the model ranked it as high.
    Because the hold-out is drawn at random within each rep's customers, the two groups differ
    only in being shown: the difference in the share that ordered within `window_days` of
    first being (or would-be) listed estimates the effect of listing (intention to treat).
    """

    treated: int
    treated_ordered: int
    control: int
    control_ordered: int
    window_days: int
    value: ValueLift | None = None  # what the orders were worth, when the units are at hand

    @property
    def treated_rate(self) -> float:
        return self.treated_ordered / self.treated if self.treated else math.nan

    @property
    def control_rate(self) -> float:
        return self.control_ordered / self.control if self.control else math.nan

    @property
    def difference(self) -> float:
        return self.treated_rate - self.control_rate

    @property
    def relative_lift(self) -> float:
        return self.treated_rate / self.control_rate - 1 if self.control_ordered else math.nan

    @property
    def difference_interval(self) -> tuple[float, float]:
        return newcombe_difference(
            self.treated_ordered, self.treated, self.control_ordered, self.control
        )

    @property
    def p_value(self) -> float:
        return two_proportion_test(
            self.treated_ordered, self.treated, self.control_ordered, self.control
        )

    @property
    def verdict(self) -> str:
        """In plain words, from the 95 % interval of the difference: "helps" (the whole
        interval above zero), "hurts" (below), or "unclear" (it includes zero: no effect is
        as compatible with the data as the point estimate)."""
        low, high = self.difference_interval
        if low > 0:
            return "helps"
        if high < 0:
            return "hurts"
        return "unclear"

    def table(self) -> pd.DataFrame:
        rows = []
        for group, n, a in (
            ("listed", self.treated, self.treated_ordered),
            ("held out (would have been listed)", self.control, self.control_ordered),
        ):
            low, high = wilson(a, n)
            rows.append(
                {
                    "group": group,
                    "customers": n,
                    "ordered": a,
                    "rate": a / n if n else math.nan,
                    "low": low,
                    "high": high,
                }
            )
        return pd.DataFrame(rows)


def holdout_lift(
    warehouse: Warehouse,
    first: date,
    last: date,
    window_days: int = 7,
    reps: list[str] | None = None,
) -> HoldoutLift:
    """The hold-out comparison for lists between `first` and `last`, of `reps` (all if None)."""
    if reps is None:
        reps = warehouse.query("scope_reps", role="admin", rep_id=None, team=None).rep_id.tolist()
    units = holdout_proof.holdout_units(warehouse, first, last, list(reps), window_days)
    return lift_of(units, window_days)


def lift_of(units: pd.DataFrame, window_days: int) -> HoldoutLift:
    """The hold-out comparison of `units` (holdout_proof.holdout_units' rows, read with
    `window_days`)."""
    return lift_of_cells(unit_sums.cells_of(units), window_days)


def lift_of_cells(cells: pd.DataFrame, window_days: int) -> HoldoutLift:
    """lift_of from the units' cells (unit_sums.COLUMNS)."""
    held = cells.held_out.to_numpy(dtype=bool)
    ordered = cells.ordered.to_numpy(dtype=bool)
    n = cells.n.to_numpy()
    sides = [
        (
            int(n[side].sum()),
            float(cells.value_sum[side].sum()),
            float(cells.value_sq_sum[side].sum()),
        )
        for side in (~held, held)
    ]
    return HoldoutLift(
        sides[0][0],
        int(n[~held & ordered].sum()),
        sides[1][0],
        int(n[held & ordered].sum()),
        window_days,
        ValueLift.of_sums(*sides),
    )


# ----------------------------------------------------------------------------- calibration


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Reliability curve: equal-width probability bins with mean prediction, observed rate,
    count and Wilson interval."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    rows = []
    for b in range(bins):
        mask = which == b
        n = int(mask.sum())
        if n == 0:
            continue
        a = int(y[mask].sum())
        low, high = wilson(a, n)
        rows.append(
            {
                "bin_low": edges[b],
                "bin_high": edges[b + 1],
                "predicted": p[mask].mean(),
                "observed": a / n,
                "count": n,
                "low": low,
                "high": high,
            }
        )
    return pd.DataFrame(rows)


def expected_calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """ECE: count-weighted mean |observed - predicted| over equal-width bins."""
    curve = reliability(p, y, bins)
    if curve.empty:
        return math.nan
    return float(
        (curve["count"] * (curve.observed - curve.predicted).abs()).sum() / curve["count"].sum()
    )


def served_outcomes(warehouse: Warehouse, first: date, last: date) -> pd.DataFrame:
    """Served scores between first and last whose horizon has passed, with the outcome:
    did the customer order within the horizon after the score date."""
    return warehouse.query("served_outcomes", first=first, last=last)
