"""Plain-text rendering of the evaluation tables for the terminal (`backtest`, `report`)."""

from __future__ import annotations

import math

import pandas as pd

from repurchase.evaluation.outcomes import HoldoutLift


def pct(value: float, digits: int = 1) -> str:
    return (
        "-"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else f"{value:.{digits}%}"
    )


def interval(low: float, high: float) -> str:
    if math.isnan(low):
        return ""
    return f"[{low:.1%}, {high:.1%}]"


def backtest_tables(table1: pd.DataFrame, summary: pd.DataFrame) -> str:
    lines = [
        "Rolling weekly backtest (paper 4.1, Table 1): precision of each rep's top-N among",
        "the customers visited that week, against orders within weeks w..w+3",
        "",
    ]
    models = [c for c in table1.columns if c.startswith("model/") and not c.endswith("lift")]
    header = (
        f"{'week':<12}"
        + "".join(f"{m:>15}" for m in models)
        + f"{'reps success':>14}{'base rate':>11}"
        + "".join(f"{m + ' lift':>22}" for m in models)
    )
    lines.append(header)
    for data in table1.to_dict("records"):
        values = [data[m] for m in models]
        lifts = [data[f"{m} lift"] for m in models]
        lines.append(
            f"{str(data['week']):<12}"
            + "".join(f"{pct(v):>15}" for v in values)
            + f"{pct(data['reps_success_rate']):>14}{pct(data['base_rate']):>11}"
            + "".join(f"{pct(v, 0):>22}" for v in lifts)
        )
    lines += [
        "",
        "Every method on the same weeks, customers and list sizes (means over the weeks):",
        "",
        f"{'method':<20}{'precision':>10}{'sd':>7}{'lift vs reps':>14}{'range':>20}"
        f"{'lift vs base':>14}{'AUC':>8}{'Brier':>8}",
    ]
    for row in summary.itertuples(index=False):
        span = f"{pct(row.lift_min, 0)} .. {pct(row.lift_max, 0)}"
        auc = "-" if math.isnan(row.auc) else f"{row.auc:.3f}"
        brier = "-" if math.isnan(row.brier) else f"{row.brier:.3f}"
        sd = "-" if math.isnan(row.precision_sd) else f"{row.precision_sd:.1%}"
        lines.append(
            f"{row.method:<20}{pct(row.precision):>10}{sd:>7}{pct(row.lift_vs_reps, 0):>14}"
            f"{span:>20}{pct(row.lift_vs_base, 0):>14}{auc:>8}{brier:>8}"
        )
    return "\n".join(lines)


def on_off_table(table: pd.DataFrame) -> str:
    lines = [
        "On-list vs off-list visit success (paper 4.3, Table 3), 95 % Wilson intervals;",
        "'*' marks a cell with too few visits to compare",
        "",
        f"{'cohort':<18}{'reps':>5}{'on-list':>9}{'':>17}{'visits':>8}{'off-list':>10}{'':>17}"
        f"{'visits':>8}{'lift':>7}{'p':>9}",
    ]
    for row in table.itertuples(index=False):
        label = "all" if row.dimension == "overall" else f"{row.dimension} {row.cohort}"
        flag = " *" if row.small else ""
        p = "-" if math.isnan(row.p_value) else f"{row.p_value:.3g}"
        lines.append(
            f"{label:<18}{row.reps:>5}{pct(row.on_rate):>9}{interval(row.on_low, row.on_high):>17}"
            f"{row.on_visits:>8}{pct(row.off_rate):>10}{interval(row.off_low, row.off_high):>17}"
            f"{row.off_visits:>8}{pct(row.lift, 0):>7}{p:>9}{flag}"
        )
    return "\n".join(lines)


def version_table(table: pd.DataFrame) -> str:
    lines = [
        "Model versions (paper 4.2, Table 2): success of list customers visited within",
        "7 days of being listed",
        "",
        f"{'version':<24}{'week':<12}{'listed':>8}{'visited':>9}{'success':>9}{'':>17}",
    ]
    for row in table.itertuples(index=False):
        lines.append(
            f"{row.model_version:<24}{str(row.week):<12}{row.listed:>8}{row.followup_visits:>9}"
            f"{pct(row.followup_rate):>9}{interval(row.followup_low, row.followup_high):>17}"
        )
    return "\n".join(lines)


def holdout(lift: HoldoutLift) -> str:
    low, high = lift.difference_interval
    lines = [
        f"Randomised hold-out: share ordering within {lift.window_days} days of being listed",
        "(treated: shown to the rep; control: held out although the model ranked it as high)",
        "",
    ]
    for row in lift.table().itertuples(index=False):
        lines.append(
            f"  {row.group:<36}{row.customers:>7} customers  {pct(row.rate):>6} "
            f"{interval(row.low, row.high)}"
        )
    if lift.control:
        lines.append(
            f"  causal effect of listing: {lift.difference:+.1%} points "
            f"[{low:+.1%}, {high:+.1%}], relative {pct(lift.relative_lift, 0)}, "
            f"p = {lift.p_value:.3g}"
        )
    return "\n".join(lines)
