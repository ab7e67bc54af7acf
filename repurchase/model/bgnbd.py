"""BG/NBD, the buy-till-you-die baseline (Fader, Hardie and Lee 2005), fitted with scipy.

`lifetimes` is unmaintained since 2020 and PyMC-Marketing pulls a whole PyMC stack, so the
likelihood is written out here (paper eq. 6) and maximised with L-BFGS on log-parameters. The
test suite checks that it recovers known parameters from data simulated from the BG/NBD story.

Time is measured in weeks. Per customer: x repeat purchases, t_x the time of the last purchase
and T the time since the first purchase (both measured from the first purchase).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, logsumexp


@dataclass(frozen=True)
class BGNBD:
    """Fitted parameters: purchase rates ~ Gamma(r, alpha); dropout p ~ Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float

    def p_alive(self, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """P(still active at T | x, t_x, T) (paper eq. 11)."""
        x, t_x, big_t = (np.asarray(v, dtype=float) for v in (x, t_x, big_t))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_ratio = (
                np.log(self.a)
                - np.log(np.maximum(self.b + x - 1, 1e-12))
                + (self.r + x) * (np.log(self.alpha + big_t) - np.log(self.alpha + t_x))
            )
            odds = np.where(x > 0, np.exp(np.minimum(log_ratio, 700)), 0.0)
        return 1.0 / (1.0 + odds)

    def p_purchase_within(
        self, t: float, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray
    ) -> np.ndarray:
        """P(at least one purchase in (T, T + t] | history).

        In BG/NBD a customer can only drop out right after a purchase, so one who is alive at
        T stays alive until the next purchase; given alive, the rate's posterior is
        Gamma(r + x, alpha + T) and the chance of no purchase in t is negative binomial.
        """
        x, big_t = np.asarray(x, dtype=float), np.asarray(big_t, dtype=float)
        none_if_alive = ((self.alpha + big_t) / (self.alpha + big_t + t)) ** (self.r + x)
        return self.p_alive(x, t_x, big_t) * (1.0 - none_if_alive)

    def expected_purchases(
        self, t: float, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray
    ) -> np.ndarray:
        """E[purchases in (T, T + t] | history] (paper eq. 10)."""
        from scipy.special import hyp2f1

        x, t_x, big_t = (np.asarray(v, dtype=float) for v in (x, t_x, big_t))
        a, b, r, alpha = self.a, self.b, self.r, self.alpha
        z = t / (alpha + big_t + t)
        hyp = hyp2f1(r + x, b + x, a + b + x - 1, z)
        term = (
            (a + b + x - 1)
            / (a - 1)
            * (1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp)
        )
        return term * self.p_alive(x, t_x, big_t)


def log_likelihood(
    params: np.ndarray, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray
) -> np.ndarray:
    """Per-customer log-likelihood of (r, alpha, a, b) (paper eq. 6)."""
    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    first = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + big_t)
    with np.errstate(divide="ignore", invalid="ignore"):
        second = np.where(
            x > 0,
            betaln(a + 1, np.maximum(b + x - 1, 1e-12))
            - betaln(a, b)
            - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    return common + logsumexp(np.stack([first, second]), axis=0)


def fit(
    x: np.ndarray,
    t_x: np.ndarray,
    big_t: np.ndarray,
    *,
    start: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0),
) -> BGNBD:
    """Maximum-likelihood fit. Raises ValueError on empty or inconsistent input."""
    x, t_x, big_t = (np.asarray(v, dtype=float) for v in (x, t_x, big_t))
    if len(x) == 0:
        raise ValueError("BG/NBD needs at least one customer with a purchase")
    if (t_x > big_t + 1e-9).any() or (x < 0).any() or (t_x < 0).any():
        raise ValueError("BG/NBD input must have 0 <= t_x <= T and x >= 0")

    def objective(log_params: np.ndarray) -> float:
        ll = log_likelihood(np.exp(log_params), x, t_x, big_t)
        # a small ridge on log-parameters keeps a degenerate sample from running off to inf
        return -ll.sum() / len(x) + 1e-4 * float(log_params @ log_params)

    result = minimize(objective, np.log(start), method="L-BFGS-B", bounds=[(-9.0, 9.0)] * 4)
    r, alpha, a, b = np.exp(result.x)
    return BGNBD(float(r), float(alpha), float(a), float(b))


def simulate(params: BGNBD, n: int, weeks: float, seed: int) -> tuple[np.ndarray, ...]:
    """Customers drawn from the BG/NBD story, each observed for `weeks` after a first purchase
    at time 0: returns (x, t_x, T). For testing that `fit` recovers `params`."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(params.r, 1.0 / params.alpha, n)
    p = rng.beta(params.a, params.b, n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1.0 / lam[i])
            if t > weeks:
                break
            x[i] += 1
            t_x[i] = t
            if rng.random() < p[i]:  # drops out right after this purchase
                break
    return x, t_x, np.full(n, float(weeks))
