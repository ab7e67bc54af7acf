"""Customers drifting away: a churn risk in 0..1 and an `at_risk` flag, as of an anchor.

Two signals must agree before a buyer is called at risk:
- their own rhythm says they are overdue: days since their last purchase day against their
  usual gap between purchase days (`due_ratio`); `overdue` rises from 0 at the usual gap to 1
  at twice the usual gap;
- BG/NBD (bgnbd.py) says a purchase in the next quarter is unlikely: `quiet` = P(no purchase
  in the next LAPSE_DAYS days | history) = 1 - p_alive x P(a purchase | alive). It rises as the
  chance they are still active falls, and as the silence lengthens against their own rate.
  (p_alive alone hardly moves where dropping out is rare: on the demo BG/NBD fits a dropout
  chance of about 0.002 per purchase, and p_alive stays above 0.97 for 95 % of buyers, while
  half of them then do not order for a quarter.)

churn_risk = quiet x overdue. A customer on time has no risk however sparse their history; an
overdue one whose purchases BG/NBD still expects soon has little. BG/NBD's p_alive is 1 for a
customer with a single purchase and their rhythm is unknown, so only buyers with at least two
purchase days carry a risk, which is also who the flag is for.

The flag: at least `MIN_ORDERS` purchase days and churn_risk >= `THRESHOLD`. The threshold was
fixed before any evaluation, not tuned: 0.5 means "more likely quiet for a quarter than not,
and fully overdue" (from twice the usual gap on, the risk equals `quiet`). The baseline rule it is
measured against (backtest.py) is "no purchase for twice the usual gap".

The BG/NBD parameters are the serving model's (fitted on its training history and saved with
its version, predictor.Inputs.bgnbd); without them they are fitted on the history before the
anchor, and if too few buyers repeat for that, `quiet` is replaced by `overdue` itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from repurchase.model import bgnbd, summary
from repurchase.model.features import History

MIN_ORDERS = 2  # only customers who were buying can be drifting away
THRESHOLD = 0.5  # fixed in advance, see the module docstring
BASELINE_DUE = 2.0  # the baseline rule: no purchase for twice the usual gap
LAPSE_DAYS = 90  # what the flag predicts: no order in the next quarter
_DAY = 86_400


def churn_frame(
    history: History,
    customer_ids: np.ndarray,
    anchor,
    params: bgnbd.BGNBD | None,
    days: summary.PurchaseDays | None = None,
) -> pd.DataFrame:
    """Per customer as of `anchor` (only purchases before it are read): n_orders (purchase
    days), due_ratio, p_alive, quiet, churn_risk, at_risk and the baseline rule's flag."""
    cust = pd.Series(customer_ids).map(history.customer_index).to_numpy(dtype=np.int64)
    t = int(pd.Timestamp(anchor).to_datetime64().astype("datetime64[s]").astype(np.int64))
    days = days or summary.PurchaseDays.of(history)
    s = summary.bgnbd_inputs(days, cust, np.full(len(cust), t))
    count = s["count"]
    rhythm = count >= MIN_ORDERS
    with np.errstate(divide="ignore", invalid="ignore"):
        usual_gap = np.where(rhythm, s["t_x"] * 7.0 / np.maximum(count - 1, 1), np.nan)
        due = np.where(rhythm, s["recency_days"] / np.maximum(usual_gap, 1.0), 0.0)
    overdue = np.clip(due - 1.0, 0.0, 1.0)
    if params is None:
        params = summary.fit_bgnbd(history, t)
    if params is None:
        quiet = overdue
        p_alive = np.where(rhythm, 1.0 - overdue, 1.0)
    else:
        p_alive = params.p_alive(s["x"], s["t_x"], s["T"])
        quiet = 1.0 - params.p_purchase_within(LAPSE_DAYS / 7.0, s["x"], s["t_x"], s["T"])
    risk = np.where(rhythm, np.clip(quiet * overdue, 0.0, 1.0), 0.0)
    return pd.DataFrame(
        {
            "customer_id": np.asarray(customer_ids),
            "n_orders": count.astype(int),
            "due_ratio": due,
            "p_alive": p_alive,
            "quiet": quiet,
            "churn_risk": risk,
            "at_risk": rhythm & (risk >= THRESHOLD),
            "baseline_at_risk": rhythm & (due >= BASELINE_DUE),
        }
    )


def lapsed(
    history: History, customer_ids: np.ndarray, anchor, days: int = LAPSE_DAYS
) -> np.ndarray:
    """Whether each customer had no purchase in [anchor, anchor + days); raises ValueError
    when the history does not reach that far (the outcome would not be observed)."""
    t = int(pd.Timestamp(anchor).to_datetime64().astype("datetime64[s]").astype(np.int64))
    end = t + days * _DAY
    until = int(history.until.to_datetime64().astype("datetime64[s]").astype(np.int64))
    if end > until:
        raise ValueError(
            f"{days} days after {pd.Timestamp(anchor).date()} are not observed yet "
            f"(history ends {history.until.date()})"
        )
    cust = pd.Series(customer_ids).map(history.customer_index).to_numpy(dtype=np.int64)
    base = cust * 10**11
    k = np.searchsorted(history.order_key, base + end, side="left") - np.searchsorted(
        history.order_key, base + t, side="left"
    )
    return k == 0


def flag_quality(
    flagged: np.ndarray, lapsed_: np.ndarray, eligible: np.ndarray
) -> dict[str, float | int]:
    """Precision (flagged who lapsed / flagged) and recall (lapsed among eligible buyers who
    were flagged / lapsed), with the counts behind them."""
    flagged = np.asarray(flagged, bool) & np.asarray(eligible, bool)
    lapsed_ = np.asarray(lapsed_, bool) & np.asarray(eligible, bool)
    hits = int((flagged & lapsed_).sum())
    n_flag, n_lapsed = int(flagged.sum()), int(lapsed_.sum())
    return {
        "precision": hits / n_flag if n_flag else float("nan"),
        "recall": hits / n_lapsed if n_lapsed else float("nan"),
        "flagged": n_flag,
        "lapsed": n_lapsed,
        "eligible": int(np.asarray(eligible, bool).sum()),
        "hits": hits,
    }
