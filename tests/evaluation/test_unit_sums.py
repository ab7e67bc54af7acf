"""The proof from sums (repurchase/evaluation/unit_sums.py) against Lin's estimator computed
from the units themselves, and cells that add up: any split of the units gives the same
proof as the whole."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from repurchase.evaluation import holdout_proof as proof
from repurchase.evaluation import unit_sums


def _lin_from_rows(units: pd.DataFrame, correction: str) -> tuple[float, float]:
    """Lin's difference and its standard error from the design matrix, the textbook way:
    OLS of y on [1, T, Xc, T Xc], HC2 ("exact": e^2 / (1 - h)) or its first-order form
    ("first": e^2 (1 + h))."""
    treated = ~units.held_out.to_numpy(dtype=bool)
    y = units.ordered.to_numpy(dtype=float)
    x = proof.covariate_matrix(units)
    x = x - x.mean(axis=0)
    t = treated.astype(float)[:, None]
    design = np.hstack([np.ones_like(t), t, x, t * x])
    inverse = np.linalg.inv(design.T @ design)
    beta = inverse @ design.T @ y
    residual = y - design @ beta
    leverage = np.einsum("ij,jk,ik->i", design, inverse, design)
    if correction == "exact":
        weight = residual**2 / (1 - leverage)
    else:
        weight = residual**2 * (1 + leverage)
    variance = inverse @ ((design * weight[:, None]).T @ design) @ inverse
    return float(beta[1]), float(np.sqrt(variance[1, 1]))


@pytest.mark.parametrize("per_week,weeks", [(60, 4), (400, 8)])
def test_the_sums_give_lins_estimate_and_its_first_order_hc2_error(per_week, weeks):
    for seed in range(5):
        units = proof.simulate_units(seed, per_week=per_week, weeks=weeks)
        found = proof.prove(units, share=0.2)
        difference, se = _lin_from_rows(units, "first")
        assert found.adjusted_difference == pytest.approx(difference, rel=1e-9, abs=1e-12)
        half = (found.adjusted_high - found.adjusted_low) / 2
        assert half / proof.Z95 == pytest.approx(se, rel=1e-8)


def test_the_first_order_error_is_small_against_exact_hc2():
    for per_week, weeks, tolerance in ((60, 4, 0.02), (400, 8, 1e-4)):
        for seed in range(10):
            units = proof.simulate_units(seed, per_week=per_week, weeks=weeks)
            found = proof.prove(units, share=0.2)
            _, exact = _lin_from_rows(units, "exact")
            half = (found.adjusted_high - found.adjusted_low) / 2
            assert half / proof.Z95 == pytest.approx(exact, rel=tolerance)


def test_cells_add_up_across_reps_and_periods():
    units = proof.simulate_units(3)
    rng = np.random.default_rng(3)
    units = units.assign(
        rep_id=rng.choice(["R1", "R2", "R3"], len(units)),
        period_start=pd.to_datetime("2026-03-02")
        + pd.to_timedelta(7 * (units.index % 4), unit="D"),
    )
    cells = unit_sums.cells_of(units)
    assert len(cells) > 20 and cells.n.sum() == len(units)
    whole = proof.prove(units, share=0.2)
    split = pd.concat(unit_sums.cells_of(part) for _, part in units.groupby("rep_id"))
    _same(proof.prove_cells(split, share=0.2), whole)


def _same(a: proof.HoldoutProof, b: proof.HoldoutProof) -> None:
    for field in a.__dataclass_fields__:
        x, y = getattr(a, field), getattr(b, field)
        if isinstance(x, float):
            assert x == pytest.approx(y, rel=1e-9, nan_ok=True), field
        else:
            assert x == y, field


def test_an_unknown_score_counts_at_the_mean_of_the_known_ones():
    units = proof.simulate_units(4)
    missing = units.index % 9 == 0
    units.loc[missing, "p_order"] = np.nan
    found = proof.prove(units, share=0.2)
    filled = units.assign(p_order=units.p_order.fillna(units.p_order.mean()))
    difference, se = _lin_from_rows(filled, "first")
    assert found.adjusted_difference == pytest.approx(difference, rel=1e-9)
    assert (found.adjusted_high - found.adjusted_low) / 2 / proof.Z95 == pytest.approx(se, rel=1e-8)
    cells = unit_sums.cells_of(units)
    assert cells[~cells.p_known].n.sum() == missing.sum()


def test_a_covariate_without_variation_is_left_out_and_collinear_ones_fall_back_to_raw():
    units = proof.simulate_units(5).assign(p_order=0.3)  # every score the same
    found = proof.prove(units, share=0.2)
    x = np.log1p(units.prior_orders.to_numpy(dtype=float))[:, None]
    treated = ~units.held_out.to_numpy(dtype=bool)
    expected = proof.adjusted_estimate(treated, units.ordered.to_numpy(dtype=float), x)
    assert found.adjusted_difference == pytest.approx(expected.difference, rel=1e-9)
    assert np.isfinite(found.adjusted_low)
    # the score equal to log(1 + prior orders): the design is singular, no adjustment
    twin = units.assign(p_order=np.log1p(units.prior_orders.astype(float)))
    both = proof.prove(twin, share=0.2)
    assert both.adjusted_difference == pytest.approx(both.raw_difference)
    assert both.adjusted_low == pytest.approx(both.raw_low)


def test_order_values_and_listing_days_survive_the_sums():
    units = proof.simulate_units(6)
    cells = unit_sums.cells_of(units)
    held = cells.held_out
    assert cells[~held].value_sum.sum() == pytest.approx(units.order_value[~units.held_out].sum())
    assert cells.value_sq_sum.sum() == pytest.approx((units.order_value**2).sum())
    assert cells.first_listed_min.min() == units.first_listed.min()
    assert cells.first_listed_max.max() == units.first_listed.max()
    assert proof.prove(units, share=0.2).weeks_so_far == 8
