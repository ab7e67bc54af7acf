"""The hold-out's units as sums: what the proof needs of them, a few numbers per cell.

A cell is the units of one rep, hold-out period, arm (held out or not), outcome (ordered or
not) and whether the model's score p was stored (p_known). It holds how many units it has,
their order values' sum and sum of squares, their first and last listing day, and the power
sums s_a_b = sum of p^a q^b for a + b <= DEGREE (q = log(1 + prior orders), the covariate as
the adjustment uses it). Sums add: the cells of any set of reps and periods give that set's
proof, and the nightly job keeps them in a table (holdout_sums) so that the Cohorts page adds
up a few thousand rows instead of reading every unit.

From the power sums, Lin's regression adjustment is exact (the coefficients, the residuals'
variance), and so is its HC0 sandwich (degree 4); HC2's leverage correction 1 / (1 - h) is
taken to first order, 1 + h, which needs degree 6. Against exact HC2 the standard error is
within about 1 % at the proof's fewest units (30 on a side) and within 2e-5 from 3,000 units
(tests/evaluation/test_unit_sums.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

DEGREE = 6
POWERS = [(a, b) for a in range(DEGREE + 1) for b in range(DEGREE + 1 - a)]
POWER_COLUMNS = [f"s_{a}_{b}" for a, b in POWERS]
KEYS = ["rep_id", "period_start", "held_out", "ordered", "p_known"]
COLUMNS = [
    *KEYS,
    "n",
    "value_sum",
    "value_sq_sum",
    "first_listed_min",
    "first_listed_max",
    *POWER_COLUMNS,
]
CONDITION_LIMIT = 1e12  # a design this ill-conditioned has collinear covariates


def cells_of(units: pd.DataFrame) -> pd.DataFrame:
    """The cells (COLUMNS) of holdout_units' rows."""
    p = units.p_order.to_numpy(dtype=float, na_value=np.nan)
    q = np.log1p(np.clip(units.prior_orders.to_numpy(dtype=float, na_value=0.0), 0, None))
    known = ~np.isnan(p)
    p = np.where(known, p, 0.0)  # an unknown score's powers are taken at the mean when proving
    value = np.nan_to_num(units.order_value.to_numpy(dtype=float, na_value=0.0))
    keys = pd.DataFrame(
        {
            "rep_id": units.rep_id.astype(str).to_numpy(),
            "period_start": pd.to_datetime(units.period_start).to_numpy(),
            "held_out": units.held_out.to_numpy(dtype=bool),
            "ordered": units.ordered.to_numpy(dtype=bool),
            "p_known": known,
        }
    )
    grouped = keys.groupby(KEYS, sort=True)
    codes = grouped.ngroup().to_numpy()
    size = int(codes.max()) + 1 if len(codes) else 0
    listed = pd.Series(pd.to_datetime(units.first_listed).to_numpy()).groupby(codes)
    columns = {
        "n": np.bincount(codes, minlength=size).astype("int64"),
        "value_sum": np.bincount(codes, weights=value, minlength=size),
        "value_sq_sum": np.bincount(codes, weights=value**2, minlength=size),
        "first_listed_min": listed.min().to_numpy(),
        "first_listed_max": listed.max().to_numpy(),
    }
    for (a, b), column in zip(POWERS, POWER_COLUMNS, strict=True):
        columns[column] = np.bincount(codes, weights=(p**a) * (q**b), minlength=size)
    found = grouped.size().reset_index()[KEYS]
    return pd.concat([found, pd.DataFrame(columns, index=found.index)], axis=1)


@lru_cache(maxsize=64)
def _exponents(basis: tuple[tuple[int, int], ...], order: int) -> tuple[np.ndarray, np.ndarray]:
    """For the `order`-way product of the monomials `basis`: each entry's powers of p and q."""
    k = len(basis)
    a = np.zeros((k,) * order, dtype=int)
    b = np.zeros((k,) * order, dtype=int)
    for axis in range(order):
        shape = [1] * order
        shape[axis] = k
        a = a + np.array([e[0] for e in basis]).reshape(shape)
        b = b + np.array([e[1] for e in basis]).reshape(shape)
    return a, b


@dataclass(frozen=True)
class Moments:
    """Power sums of one arm: `all` over its units, `ordered` over those that ordered
    (table[a, b] = sum of p^a q^b for a + b <= DEGREE; unknown scores already at the mean)."""

    all: np.ndarray
    ordered: np.ndarray

    def tensor(
        self, basis: tuple[tuple[int, int], ...], order: int, *, ordered: bool = False
    ) -> np.ndarray:
        """The `order`-way tensor T[i, j, ...] = sum of w_i w_j ... over the units (w: the
        monomials `basis`, (a, b) for p^a q^b), from the power sums."""
        a, b = _exponents(basis, order)
        return (self.ordered if ordered else self.all)[a, b]


_A = np.array([a for a, _ in POWERS])
_B = np.array([b for _, b in POWERS])


def moments(cells: pd.DataFrame, p_mean: float) -> Moments:
    """One arm's cells' power sums, an unknown score counted at `p_mean`."""
    matrix = cells[POWER_COLUMNS].to_numpy(dtype=float)
    known = cells.p_known.to_numpy(dtype=bool)
    ordered = cells.ordered.to_numpy(dtype=bool)
    fill = p_mean**_A
    score_free = [POWER_COLUMNS.index(f"s_0_{b}") for b in _B]

    def table(rows: np.ndarray) -> np.ndarray:
        total = matrix[rows & known].sum(axis=0)
        total += fill * matrix[rows & ~known][:, score_free].sum(axis=0)
        out = np.zeros((DEGREE + 1, DEGREE + 1))
        out[_A, _B] = total
        return out

    return Moments(table(np.ones(len(cells), dtype=bool)), table(ordered))


def array_moments(p: np.ndarray, q: np.ndarray, y: np.ndarray) -> Moments:
    """Power sums of one arm's units from their covariates and outcomes (0 or 1)."""
    powers = np.arange(DEGREE + 1)
    vp, vq = p[:, None] ** powers, q[:, None] ** powers
    ordered = y > 0.5
    return Moments(vp.T @ vq, vp[ordered].T @ vq[ordered])


def score_mean(cells: pd.DataFrame) -> float:
    """The mean of the known scores (0 when none is known): what an unknown one counts as."""
    known = cells[cells.p_known]
    n = int(known.n.sum())
    return float(known.s_1_0.sum()) / n if n else 0.0


# ----------------------------------------------------------------------------- the estimator


@dataclass(frozen=True)
class ArmFit:
    """One arm's regression of ordering on [1, covariates]: its prediction at the covariates'
    overall mean, that prediction's variance (HC2, first order) and the residuals' variance."""

    at_mean: float
    variance: float
    residual_variance: float


def _fit(arm: Moments, n: int, basis: tuple[tuple[int, int], ...], centre: np.ndarray) -> ArmFit:
    k = len(basis)
    gram = arm.tensor(basis, 2)
    xy = arm.tensor(basis, 1, ordered=True)
    shift = np.eye(k)
    shift[1:, 0] = -centre[1:]  # [1, x] -> [1, x - mean]: the condition Lin's design has
    condition = float(np.linalg.cond(shift @ gram @ shift.T)) if k > 1 else 1.0
    if condition > CONDITION_LIMIT:
        return ArmFit(math.nan, math.nan, math.nan)
    inverse = np.linalg.inv(gram)
    beta = inverse @ xy
    # meat = sum of w w' e^2 (1 + h): e^2 = y - 2 y f + f^2 for an outcome of 0 or 1, f = w'beta
    # the fit, h = w' inverse w the leverage (HC2's 1 / (1 - h) to first order)
    y2, y3, y4, y5 = (arm.tensor(basis, r, ordered=True) for r in (2, 3, 4, 5))
    m4, m6 = arm.tensor(basis, 4), arm.tensor(basis, 6)
    meat = (
        y2
        + np.einsum("ijkl,kl->ij", y4, inverse)
        - 2 * np.einsum("ijk,k->ij", y3, beta)
        - 2 * np.einsum("ijklm,k,lm->ij", y5, beta, inverse)
        + np.einsum("ijkl,k,l->ij", m4, beta, beta)
        + np.einsum("ijklmn,k,l,mn->ij", m6, beta, beta, inverse)
    )
    variance = inverse @ meat @ inverse
    squares = arm.ordered[0, 0] - 2 * beta @ xy + beta @ gram @ beta
    return ArmFit(
        float(centre @ beta),
        float(centre @ variance @ centre),
        float(max(squares, 0.0) / (n - 1)) if n > 1 else math.nan,
    )


@dataclass(frozen=True)
class Adjusted:
    """Lin's adjusted difference, its standard error, and each arm's residual variance; None
    from `adjusted` when the covariates are collinear (the proof then falls back to the raw
    difference)."""

    difference: float
    se: float
    var_treated: float
    var_control: float


def adjusted(treated: Moments, control: Moments) -> Adjusted | None:
    """Lin's (2013) estimator from the two arms' power sums: OLS of ordering on
    [1, T, Xc, T Xc] is one regression per arm on [1, X]; T's coefficient is the difference of
    their predictions at the mean of X over all units, and its HC2 variance is the sum of
    theirs. Covariates without variation are left out (they carry nothing)."""
    arms = treated, control
    sizes = [arm.all[0, 0] for arm in arms]
    n = sum(sizes)
    basis = [(0, 0)]
    centre = [1.0]
    for a, b in ((1, 0), (0, 1)):
        mean = sum(arm.all[a, b] for arm in arms) / n
        spread = sum(arm.all[2 * a, 2 * b] for arm in arms) / n - mean**2
        if spread > 1e-12 * max(mean**2, 1e-12):
            basis.append((a, b))
            centre.append(mean)
    fits = [
        _fit(arm, int(round(size)), tuple(basis), np.array(centre))
        for arm, size in zip(arms, sizes, strict=True)
    ]
    if any(math.isnan(fit.at_mean) for fit in fits):
        return None
    one, zero = fits
    return Adjusted(
        one.at_mean - zero.at_mean,
        math.sqrt(one.variance + zero.variance),
        one.residual_variance,
        zero.residual_variance,
    )
