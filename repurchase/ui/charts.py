"""Plotly figures from the evaluation DataFrames. Never calls streamlit.

Every function takes `text`, a translator (key -> label in the user's language), so titles,
axes and legends follow the language switch.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

Text = Callable[..., str]

ON_COLOUR = "#1f77b4"
OFF_COLOUR = "#ff7f0e"
SMALL_COLOUR = "#c7c7c7"


def plotly_text(value: object) -> str:
    """Data for a place plotly renders its HTML subset (hover text, tick labels, legend
    names): <, > and & as the entities plotly turns back into characters, so a rep named
    <b>B</b><a href=...> shows as typed, never bold or as a link."""
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _layout(fig: go.Figure, title: str, x: str, y: str, percent: bool = True) -> go.Figure:
    fig.update_layout(
        title=title,
        xaxis_title=x,
        yaxis_title=y,
        legend_title_text="",
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        height=380,
    )
    if percent:
        fig.update_yaxes(tickformat=".0%")
    return fig


def _dates(fig: go.Figure) -> go.Figure:
    """ISO dates on the x axis: plotly's default writes English month names ("Nov 2"),
    whatever the user's language."""
    fig.update_xaxes(tickformat="%Y-%m-%d", hoverformat="%Y-%m-%d")
    return fig


def cohort_bars(table: pd.DataFrame, labels: list[str], text: Text) -> go.Figure:
    """On-list vs off-list success per cohort (`labels`: the rows' names) with 95 % intervals
    as error bars; cells with too few visits are drawn grey."""
    fig = go.Figure()
    for side, colour, name in (
        ("on", ON_COLOUR, text("cohorts.on_list")),
        ("off", OFF_COLOUR, text("cohorts.off_list")),
    ):
        rate = table[f"{side}_rate"]
        colours = [SMALL_COLOUR if small else colour for small in table.small]
        fig.add_bar(
            x=[plotly_text(label) for label in labels],
            y=rate,
            name=name,
            marker_color=colours,
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (table[f"{side}_high"] - rate).fillna(0),
                "arrayminus": (rate - table[f"{side}_low"]).fillna(0),
            },
            customdata=table[f"{side}_visits"],
            hovertemplate="%{x}: %{y:.1%} (n=%{customdata})<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="group")
    return _layout(fig, text("cohorts.chart_title"), "", text("cohorts.success_rate"))


def weekly_trend(trend: pd.DataFrame, text: Text) -> go.Figure:
    fig = go.Figure()
    for side, colour, name in (
        ("on", ON_COLOUR, text("cohorts.on_list")),
        ("off", OFF_COLOUR, text("cohorts.off_list")),
    ):
        fig.add_scatter(
            x=trend.week,
            y=trend[f"{side}_rate"],
            mode="lines+markers",
            name=name,
            line={"color": colour},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (trend[f"{side}_high"] - trend[f"{side}_rate"]).fillna(0),
                "arrayminus": (trend[f"{side}_rate"] - trend[f"{side}_low"]).fillna(0),
            },
        )
    return _dates(
        _layout(fig, text("cohorts.trend_title"), text("common.week"), text("cohorts.success_rate"))
    )


def backtest_curves(table1: pd.DataFrame, text: Text) -> go.Figure:
    """Figure 6: weekly list precision of each model variant against the reps' own success
    rate (and the base rate of the same label among the customers they visited)."""
    fig = go.Figure()
    for column in [c for c in table1.columns if c.startswith("model/") and not c.endswith("lift")]:
        fig.add_scatter(
            x=table1.week,
            y=table1[column],
            mode="lines+markers",
            name=text("model.variant", name=column.split("/", 1)[1]),
            line={"dash": "dash"},
        )
    fig.add_scatter(
        x=table1.week,
        y=table1.reps_success_rate,
        mode="lines+markers",
        name=text("model.reps_success"),
        line={"color": "black"},
    )
    fig.add_scatter(
        x=table1.week,
        y=table1.base_rate,
        mode="lines",
        name=text("model.base_rate"),
        line={"color": "grey", "dash": "dot"},
    )
    return _dates(
        _layout(fig, text("model.curves_title"), text("common.week"), text("model.precision"))
    )


def method_precision(summary: pd.DataFrame, text: Text) -> go.Figure:
    fig = go.Figure()
    fig.add_bar(
        x=summary.method,
        y=summary.precision,
        error_y={"type": "data", "array": summary.precision_sd.fillna(0)},
        marker_color=[
            ON_COLOUR if m.startswith("model/") or m == "served" else SMALL_COLOUR
            for m in summary.method
        ],
    )
    return _layout(fig, text("model.methods_title"), "", text("model.precision"))


def reliability(curves: dict[str, pd.DataFrame], text: Text) -> go.Figure:
    """Reliability curves: predicted probability against the observed rate, one per series."""
    fig = go.Figure()
    fig.add_scatter(
        x=[0, 1],
        y=[0, 1],
        mode="lines",
        name=text("model.perfect"),
        line={"color": "grey", "dash": "dot"},
    )
    for name, curve in curves.items():
        fig.add_scatter(
            x=curve.predicted,
            y=curve.observed,
            mode="lines+markers",
            name=name,
            customdata=curve["count"],
            hovertemplate="%{x:.2f} -> %{y:.2f} (n=%{customdata})",
        )
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    fig.update_yaxes(range=[0, 1])
    return _layout(
        fig, text("model.calibration_title"), text("model.predicted"), text("model.observed")
    )


def versions_weekly(table: pd.DataFrame, text: Text) -> go.Figure:
    weekly = table[table.week != "all"]
    fig = go.Figure()
    for version, group in weekly.groupby("model_version"):
        fig.add_scatter(
            x=group.week,
            y=group.followup_rate,
            mode="lines+markers",
            name=plotly_text(version),
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (group.followup_high - group.followup_rate).fillna(0),
                "arrayminus": (group.followup_rate - group.followup_low).fillna(0),
            },
        )
    return _layout(
        fig, text("model.versions_title"), text("common.week"), text("cohorts.success_rate")
    )


def customer_timeline(
    visits: pd.DataFrame,
    orders: pd.DataFrame,
    scores: pd.DataFrame,
    text: Text,
    result_label: Callable[[str], str],
) -> go.Figure:
    """A customer's visits (by result) and orders above, its score history below, on one
    shared time axis."""
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.6, 0.4], vertical_spacing=0.08
    )
    markers = (
        ("order", "#2ca02c", "star"),
        ("no_order", "#7f7f7f", "circle"),
        ("not_reached", "#bcbd22", "x"),
    )
    for result, colour, symbol in markers:
        subset = visits[visits.result == result]
        if result == "not_reached" and subset.empty:
            continue  # a history without the third result keeps its two rows
        fig.add_scatter(
            x=subset.visited_at,
            y=[result_label(result)] * len(subset),
            mode="markers",
            marker={"color": colour, "symbol": symbol, "size": 9},
            name=text("customer.visits_named", result=result_label(result)),
            customdata=subset.rep_name.map(plotly_text),
            hovertemplate="%{x|%Y-%m-%d %H:%M}<br>%{customdata}<extra></extra>",
            row=1,
            col=1,
        )
    if len(orders):
        fig.add_scatter(
            x=pd.to_datetime(orders.order_date),
            y=[text("customer.order")] * len(orders),
            mode="markers",
            name=text("customer.orders"),
            marker={"color": "#d62728", "symbol": "diamond", "size": 9},
            row=1,
            col=1,
        )
    if len(scores):
        daily = scores.groupby("score_date").p_order.last().reset_index()
        fig.add_scatter(
            x=daily.score_date,
            y=daily.p_order,
            mode="lines+markers",
            name=text("customer.score"),
            line={"color": ON_COLOUR},
            row=2,
            col=1,
        )
    fig.update_yaxes(
        tickformat=".0%", range=[0, 1], title_text=text("customer.score"), row=2, col=1
    )
    fig.update_layout(
        title=text("customer.timeline_title"),
        height=460,
        legend_title_text="",
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    fig.update_xaxes(title_text=text("common.date"), row=2, col=1)
    return _dates(fig)
