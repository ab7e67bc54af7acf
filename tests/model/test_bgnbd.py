"""BG/NBD: the likelihood recovers known parameters from data simulated from its own story."""

from __future__ import annotations

import numpy as np
import pytest

from repurchase.model import bgnbd

# The CDNOW estimates of Fader, Hardie and Lee (2005), table 1.
CDNOW = bgnbd.BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)


@pytest.fixture(scope="module")
def simulated():
    return bgnbd.simulate(CDNOW, n=6000, weeks=78, seed=5)


def test_fit_recovers_the_parameters_it_was_simulated_with(simulated):
    fitted = bgnbd.fit(*simulated)
    assert fitted.r == pytest.approx(CDNOW.r, rel=0.15)
    assert fitted.alpha == pytest.approx(CDNOW.alpha, rel=0.2)
    assert fitted.a == pytest.approx(CDNOW.a, rel=0.3)
    assert fitted.b == pytest.approx(CDNOW.b, rel=0.35)
    # and the fit is a maximum: the true parameters are not more likely
    x, t_x, big_t = simulated
    at_fit = bgnbd.log_likelihood(
        np.array([fitted.r, fitted.alpha, fitted.a, fitted.b]), x, t_x, big_t
    ).sum()
    at_truth = bgnbd.log_likelihood(
        np.array([CDNOW.r, CDNOW.alpha, CDNOW.a, CDNOW.b]), x, t_x, big_t
    ).sum()
    assert at_fit >= at_truth


def test_the_likelihood_matches_a_hand_computation():
    # one customer with x = 2, t_x = 30, T = 40 under CDNOW parameters, eq. 6 by hand
    from math import exp, lgamma, log

    r, alpha, a, b = CDNOW.r, CDNOW.alpha, CDNOW.a, CDNOW.b

    def beta(p, q):
        return exp(lgamma(p) + lgamma(q) - lgamma(p + q))

    x, t_x, big_t = 2, 30.0, 40.0
    a1 = (
        beta(a, b + x)
        / beta(a, b)
        * exp(lgamma(r + x) - lgamma(r))
        * alpha**r
        / (alpha + big_t) ** (r + x)
    )
    a2 = (
        beta(a + 1, b + x - 1)
        / beta(a, b)
        * exp(lgamma(r + x) - lgamma(r))
        * alpha**r
        / (alpha + t_x) ** (r + x)
    )
    got = bgnbd.log_likelihood(
        np.array([r, alpha, a, b]), np.array([x]), np.array([t_x]), np.array([big_t])
    )
    assert got[0] == pytest.approx(log(a1 + a2), rel=1e-9)


def test_predictions_behave():
    # recent buyers are more likely alive than customers silent for a long time
    alive = CDNOW.p_alive(np.array([3, 3]), np.array([38.0, 5.0]), np.array([40.0, 40.0]))
    assert alive[0] > 0.8 and alive[1] < 0.3
    # nobody who never repeated has dropped out (dropout happens only after a purchase)
    assert CDNOW.p_alive(np.array([0]), np.array([0.0]), np.array([40.0]))[0] == 1.0
    p4 = CDNOW.p_purchase_within(4.0, np.array([3]), np.array([38.0]), np.array([40.0]))
    p8 = CDNOW.p_purchase_within(8.0, np.array([3]), np.array([38.0]), np.array([40.0]))
    assert 0 < p4[0] < p8[0] < 1
    # the probability of one or more purchases never exceeds the expected number
    expected = CDNOW.expected_purchases(4.0, np.array([3]), np.array([38.0]), np.array([40.0]))
    assert p4[0] <= expected[0]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="t_x <= T"):
        bgnbd.fit(np.array([1.0]), np.array([50.0]), np.array([40.0]))
    with pytest.raises(ValueError, match="at least one customer"):
        bgnbd.fit(np.array([]), np.array([]), np.array([]))
