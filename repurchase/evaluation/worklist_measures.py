"""The worklist's measures in a backtest run, on the same weeks and candidates as its lists.

value: the spend model (value.py) against each customer's own average order size; ranking:
order value captured per call when each rep's top N is ranked by probability or by expected
value; the re-call rule; churn: the flag (churn.py) against the rule "no purchase for twice the
usual gap". backtest.run collects the weekly frames; these turn them into measures and text.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from repurchase import codes
from repurchase.lists import churn, value
from repurchase.model import bgnbd, summary
from repurchase.model.features import History

HORIZON_DAYS = codes.HORIZON_DAYS  # weeks w .. w+3


RECALL_DAYS = 7  # the re-call rule: no call again within a week of one that ended without order


def week_values(
    history: History,
    spend: value.ValueModel | None,
    start: date,
    cand: pd.DataFrame,
    labels: np.ndarray,
    p_served: np.ndarray,
    facts: pd.DataFrame,
) -> pd.DataFrame:
    """Per candidate of week `start`: served p, the spend model's and the baseline's order
    size and expected value (as of the Monday), and the actual orders and spend in the
    horizon; `recent_no_order` marks who the re-call rule leaves off."""
    ids = cand.customer_id.to_numpy()
    worth = value.value_frame(history, ids, start, p_served, spend)
    cust = cand.customer_id.map(history.customer_index).to_numpy(dtype=np.int64)
    t = int(pd.Timestamp(start).value // 10**9)
    end = t + HORIZON_DAYS * 86_400
    priced, spend = value.priced_orders(
        history, cust, np.full(len(cust), end), np.full(len(cust), t)
    )
    recent = (facts.days_since_visit.to_numpy() <= RECALL_DAYS) & (
        facts.last_visit_result.to_numpy() == 0
    )
    return pd.DataFrame(
        {
            "week": start,
            "customer_id": ids,
            "rep_id": cand.rep_id.to_numpy(),
            "label": labels,
            "p_order": p_served,
            "typical_order": worth.typical_order.to_numpy(),
            "baseline_order": worth.baseline_order.to_numpy(),
            "expected_value": worth.expected_value.to_numpy(),
            "baseline_value": worth.baseline_value.to_numpy(),
            "priced_in_horizon": priced.astype(int),
            "spend": spend,
            "recent_no_order": recent,
        }
    )


LAPSE_DAYS = churn.LAPSE_DAYS


def week_churn(
    history: History, params: bgnbd.BGNBD | None, start: date, days: summary.PurchaseDays
) -> pd.DataFrame:
    """Every buyer with two or more purchase days before `start` (customers existing then):
    the churn flag and the baseline rule's, and whether they then did not buy for 90 days.
    Empty when those 90 days are not all observed."""
    end = pd.Timestamp(start) + pd.Timedelta(days=LAPSE_DAYS)
    if end > history.until:
        return pd.DataFrame()
    t = int(pd.Timestamp(start).value // 10**9)
    ids = history.customers.customer_id.to_numpy()[history.created_seconds < t]
    flags = churn.churn_frame(history, ids, start, params, days)
    flags = flags[flags.n_orders >= churn.MIN_ORDERS]
    return pd.DataFrame(
        {
            "week": start,
            "customer_id": flags.customer_id.to_numpy(),
            "churn_risk": flags.churn_risk.to_numpy(),
            "at_risk": flags.at_risk.to_numpy(),
            "baseline_at_risk": flags.baseline_at_risk.to_numpy(),
            "lapsed": churn.lapsed(history, flags.customer_id.to_numpy(), start),
        }
    )


def _top(frame: pd.DataFrame, key: str, top_n: int) -> pd.DataFrame:
    """Each rep's top `top_n` of `frame` by `key` within each week (ties by position)."""
    ordered = frame.assign(_tie=np.arange(len(frame))).sort_values(
        ["week", "rep_id", key, "_tie"], ascending=[True, True, False, True]
    )
    return ordered[ordered.groupby(["week", "rep_id"]).cumcount() < top_n]


def value_measures(values: pd.DataFrame, top_n: int) -> dict[str, object]:
    """The value model against its baseline, ranking by value against by probability and the
    re-call rule, pooled over the run's weeks (see the module docstring)."""
    if values.empty:
        return {}
    ordered = values[values.priced_in_horizon > 0]
    actual = ordered.spend / ordered.priced_in_horizon

    def size_errors(predicted: pd.Series) -> dict[str, float]:
        error = (predicted - actual).abs()
        return {
            "mae": float(error.mean()),
            "mdape": float((error / actual).median()),
        }

    def value_errors(predicted: pd.Series) -> dict[str, float]:
        error = predicted - values.spend
        return {
            "mae": float(error.abs().mean()),
            "rmse": float(np.sqrt((error**2).mean())),
            "bias": float(error.mean()),
        }

    def per_call(listed: pd.DataFrame) -> dict[str, float]:
        return {
            "value_per_call": float(listed.spend.mean()),
            "precision": float(listed.label.mean()),
            "calls": len(listed),
        }

    by_probability = _top(values, "p_order", top_n)
    by_value = _top(values, "expected_value", top_n)
    by_baseline_value = _top(values, "baseline_value", top_n)
    with_rule = _top(values[~values.recent_no_order], "p_order", top_n)
    return {
        "weeks": int(values.week.nunique()),
        "top_n": top_n,
        "candidates": len(values),
        "ordered_priced": len(ordered),
        "order_size": {
            "model": size_errors(ordered.typical_order),
            "baseline": size_errors(ordered.baseline_order),
        },
        "expected_value": {
            "model": value_errors(values.expected_value),
            "baseline": value_errors(values.baseline_value),
            "actual_mean": float(values.spend.mean()),
        },
        "ranking": {
            "probability": per_call(by_probability),
            "value": per_call(by_value),
            "value (own average)": per_call(by_baseline_value),
        },
        "recall_rule": {
            "days": RECALL_DAYS,
            "left_off": int(values.recent_no_order.sum()),
            "without": per_call(by_probability),
            "with": per_call(with_rule),
        },
    }


def churn_measures(frame: pd.DataFrame) -> dict[str, object]:
    """The churn flag's and the baseline rule's precision and recall, pooled over weeks."""
    if frame.empty:
        return {"weeks": 0}
    eligible = np.ones(len(frame), dtype=bool)
    return {
        "weeks": int(frame.week.nunique()),
        "lapse_days": LAPSE_DAYS,
        "threshold": churn.THRESHOLD,
        "lapse_rate": float(frame.lapsed.mean()),
        "model": churn.flag_quality(frame.at_risk, frame.lapsed, eligible),
        "baseline": churn.flag_quality(frame.baseline_at_risk, frame.lapsed, eligible),
    }


def measures_text(measures: dict[str, object]) -> str:
    """The value, ranking, re-call and churn measures of a run as plain text (the CLI and
    bench/worklist_quality.py)."""
    if not measures or "order_size" not in measures:
        return "no value measures (no candidates)"
    size, ev = measures["order_size"], measures["expected_value"]
    lines = [
        f"value model vs own average, {measures['weeks']} weeks, {measures['candidates']:,} "
        f"candidates ({measures['ordered_priced']:,} ordered with a price):",
        f"  order size   MAE {size['model']['mae']:,.0f} vs {size['baseline']['mae']:,.0f}; "
        f"median APE {size['model']['mdape']:.1%} vs {size['baseline']['mdape']:.1%}",
        f"  value in the horizon (actual mean {ev['actual_mean']:,.0f})  MAE "
        f"{ev['model']['mae']:,.0f} vs {ev['baseline']['mae']:,.0f}; RMSE "
        f"{ev['model']['rmse']:,.0f} vs {ev['baseline']['rmse']:,.0f}; bias "
        f"{ev['model']['bias']:,.0f} vs {ev['baseline']['bias']:,.0f}",
        "order value captured per call (each rep's top N):",
    ]
    for name, row in measures["ranking"].items():
        lines.append(
            f"  ranked by {name:<20} {row['value_per_call']:>10,.0f} per call, "
            f"precision {row['precision']:.1%} ({row['calls']:,} calls)"
        )
    rule = measures["recall_rule"]
    lines.append(
        f"re-call rule (leave off calls within {rule['days']} days that ended without an order, "
        f"{rule['left_off']:,} candidates): precision {rule['without']['precision']:.1%} -> "
        f"{rule['with']['precision']:.1%}, value per call "
        f"{rule['without']['value_per_call']:,.0f} -> {rule['with']['value_per_call']:,.0f}"
    )
    risk = measures.get("churn", {})
    if risk.get("weeks"):
        lines.append(
            f"churn flag ({risk['weeks']} weeks with {risk['lapse_days']} days observed, "
            f"lapse rate {risk['lapse_rate']:.1%}):"
        )
        for name in ("model", "baseline"):
            q = risk[name]
            lines.append(
                f"  {name:<9} precision {q['precision']:.1%}, recall {q['recall']:.1%} "
                f"({q['flagged']:,} flagged of {q['eligible']:,} buyers)"
            )
    else:
        lines.append("churn flag: no week with 90 days observed after it in this run")
    return "\n".join(lines)
