"""The paper's rolling weekly backtest (section 4.1, Table 1, Figure 6), with every baseline
in the same run: same weeks, same customers, same list sizes.

For each week w (Monday to Sunday) whose four-week label window has passed:
  1. every method is fitted on history before w only (the model with the real training code
     and the same hyper-parameters; `fast=k` reuses the models fitted at the start of each
     block of k weeks, which makes them up to k-1 weeks staler but never lets them see the
     future);
  2. the candidates are the customers visited in week w, anchored at w's Monday morning, each
     with the rep who visited it most that week;
  3. each method ranks each rep's candidates and lists its top N (N = the product's list
     size, or all of them if fewer): precision = |listed and ordered| /
     |listed|, where "ordered" means an order record or a successful visit in weeks w..w+3;
  4. beside it: the reps' own success rate in week w (the paper's comparison), and the
     base rate of the same label over all candidates (the reps' own choice at the same label).
AUC and Brier score are computed over all candidates of the week.

In the same run, on the same weeks and candidates, `measures` holds (worklist_measures.py):
  - value: the spend model (value.py, fitted on history before the block's cutoff) against the
    customer's own average order size: error of the predicted order size against the actual
    mean order in the horizon (customers with priced orders in it), and of expected_value
    against the actual spend in the horizon (every candidate);
  - ranking: order value captured per call when each rep's top N is ranked by the served
    probability or by expected value (actual spend in the horizon of the listed / listed);
  - re-call rule: the probability list leaving off customers called in the last 7 days whose
    call ended without an order (no demand, or not reached), its precision and value per call;
  - churn: the flag's precision and recall (churn.py) against the baseline rule "no purchase for
    twice the usual gap", on every buyer with two or more purchase days at the week's Monday,
    for the weeks whose next 90 days are observed by the end.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score

from repurchase import codes
from repurchase.evaluation import baselines
from repurchase.evaluation import worklist_measures as measures
from repurchase.i18n.steps import Step
from repurchase.lists import value
from repurchase.model import bgnbd, features, summary, train
from repurchase.model.config import TrainConfig
from repurchase.model.features import History
from repurchase.warehouse.store import Warehouse, next_id, sql

Progress = Callable[[float, str], None]
HORIZON_DAYS = codes.HORIZON_DAYS  # weeks w .. w+3

METHODS_ORDER = [
    "served",
    "model/hybrid",
    "model/paper",
    "gbm",
    "logistic",
    "bg/nbd",
    "recency-frequency",
    "round-robin",
    "random",
    "reps' own choice",
]


@dataclass(frozen=True)
class BacktestConfig:
    weeks: int = 14  # the paper's 14 weeks
    end: date | None = None  # data is used up to (not including) this day; default: today
    fast: int = 1  # re-fit every `fast` weeks
    # network variants: "hybrid" (the default network, whose run also fits the peers) and
    # "paper" (the paper's network on the paper's features)
    feature_sets: tuple[str, ...] = ("hybrid",)
    seeds: tuple[int, ...] = (7,)
    top_n: int = codes.TOP_N
    train: TrainConfig = field(default_factory=TrainConfig)
    # "visited": the paper's candidates (customers visited that week); "all": every customer
    # existing at the Monday, listed for their owner (order-only data has no visits at all)
    candidates: str = "visited"


@dataclass
class BacktestResult:
    weekly: pd.DataFrame  # week, method, precision, listed, auc, brier, candidates, ...
    summary: pd.DataFrame  # method, mean precision, mean lift over reps, mean AUC, mean Brier
    table1: pd.DataFrame  # week, model precision, reps' success rate, relative lift (paper)
    predictions: pd.DataFrame  # week, customer_id, label, p per method (calibration checks)
    seconds: float
    # per week and candidate: served p, predicted and actual value (value_measures reads it)
    values: pd.DataFrame = field(default_factory=pd.DataFrame)
    # per week with 90 days observed and buyer: the churn flags and whether they lapsed
    churn: pd.DataFrame = field(default_factory=pd.DataFrame)
    measures: dict[str, object] = field(default_factory=dict)


def week_starts(end: date, weeks: int) -> list[date]:
    """The last `weeks` Mondays whose week plus three more have been fully observed by `end`."""
    last = end - timedelta(days=HORIZON_DAYS)
    last -= timedelta(days=last.weekday())
    return [last - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]


def _candidates(visitors: pd.DataFrame, start: date) -> pd.DataFrame:
    """Customers visited in the week starting `start`, anchored at `start`, each with the rep
    who visited them most that week (ties: the first to call): lists are that rep's."""
    week = visitors[visitors.week == pd.Timestamp(start)]
    return pd.DataFrame(
        {
            "customer_id": week.customer_id.to_numpy(),
            "rep_id": week.rep_id.to_numpy(),
            "anchor": pd.Timestamp(start),
        }
    )


def _all_customers(history: History, starts: list[date]) -> pd.DataFrame:
    """Every customer of an employed rep that exists at each Monday, with its owner."""
    customers = history.customers
    employed = customers.rep_active.fillna(False).to_numpy(dtype=bool)
    frames = []
    for start in starts:
        t = int(pd.Timestamp(start).value // 10**9)
        keep = employed & (history.created_seconds < t)
        frames.append(
            pd.DataFrame(
                {
                    "week": pd.Timestamp(start),
                    "customer_id": customers.customer_id.to_numpy()[keep],
                    "rep_id": customers.owner_rep_id.to_numpy()[keep],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _week_visits(history: History, start: date) -> tuple[int, int]:
    ev = history.events
    t0, t1 = pd.Timestamp(start), pd.Timestamp(start + timedelta(days=7))
    week = ev[(ev.is_visit == 1) & (ev.event_at >= t0) & (ev.event_at < t1)]
    return int(week.result.sum()), len(week)


def list_precision(
    scores: np.ndarray, labels: np.ndarray, reps: np.ndarray, top_n: int
) -> tuple[float, int]:
    """Pooled precision of each rep's top `top_n` by score (all, if fewer)."""
    frame = pd.DataFrame(
        {"score": scores, "label": labels, "rep": reps, "tiebreak": np.arange(len(scores))}
    )
    frame = frame.sort_values(["rep", "score", "tiebreak"], ascending=[True, False, True])
    listed = frame[frame.groupby("rep").cumcount() < top_n]
    return float(listed.label.mean()) if len(listed) else math.nan, len(listed)


def _metrics(p: np.ndarray, labels: np.ndarray, probabilistic: bool) -> dict[str, float]:
    out = {"auc": math.nan, "brier": math.nan}
    if len(np.unique(labels)) == 2:
        out["auc"] = float(roc_auc_score(labels, p))
    if probabilistic:
        out["brier"] = float(brier_score_loss(labels, np.clip(p, 0, 1)))
    return out


@dataclass
class _Fitted:
    runs: dict[str, list[train.TrainResult]]  # network variant -> one run per seed
    value: value.ValueModel | None = None  # the spend model on the same history

    @property
    def bgnbd(self) -> bgnbd.BGNBD | None:
        """The BG/NBD parameters the served model of this block uses (for the churn flag)."""
        return self.runs[next(iter(self.runs))][0].predictor.inputs.bgnbd


VARIANTS = {"hybrid": ("hybrid", "rhythm"), "paper": ("paper", "paper")}


def _fit_block(history: History, cutoff: date, cfg: BacktestConfig, say: Progress) -> _Fitted:
    """Fit every method on history before `cutoff` only: each network variant with the real
    training code (which fits the peers on the same samples and gates them)."""
    train_history = features.truncate(history, cutoff)
    runs: dict[str, list[train.TrainResult]] = {}
    for variant in cfg.feature_sets:
        if variant not in VARIANTS:
            raise ValueError(f"unknown network variant {variant!r}: {', '.join(VARIANTS)}")
        network, feature_set = VARIANTS[variant]
        runs[variant] = []
        for seed in cfg.seeds:
            say(0.0, Step("jobs.step.training", variant=variant, seed=seed, cutoff=cutoff))
            tc = replace(
                cfg.train,
                network=network,
                feature_set=feature_set,
                seed=seed,
                horizon_days=HORIZON_DAYS,
            )
            # training reports every epoch: each report is a point where a cancel stops the
            # backtest, which otherwise runs a whole block's training before it can notice
            runs[variant].append(train.train(train_history, cutoff, tc, progress=say))
    say(0.0, Step("jobs.step.spend", cutoff=cutoff))
    return _Fitted(runs, value.fit_history(train_history, cutoff, HORIZON_DAYS))


def _score_week(
    history: History, fitted: _Fitted, start: date, cfg: BacktestConfig, visitors: pd.DataFrame
) -> tuple[list[dict[str, object]], pd.DataFrame, pd.DataFrame]:
    cand = _candidates(visitors, start)
    if cand.empty:
        return [], pd.DataFrame(), pd.DataFrame()
    anchors = cand[["customer_id", "anchor"]]
    reps = cand.rep_id.to_numpy()
    scores: dict[str, tuple[np.ndarray, bool]] = {}
    raw: dict[str, np.ndarray] = {}
    labels = None
    for variant, runs in fitted.runs.items():
        per_run = [(r.predictor, r.predictor.samples(history, anchors, labels=True)) for r in runs]
        labels = per_run[0][1].labels
        # several seeds: average their probabilities (an ensemble within the same run)
        pairs = [pred.predict(s, train.NETWORK) for pred, s in per_run]
        scores[f"model/{variant}"] = (np.mean([q for q, _ in pairs], axis=0), True)
        raw[f"model/{variant} (raw)"] = np.mean([r for _, r in pairs], axis=0)
        if variant == cfg.feature_sets[0]:
            served = [pred.predict(s)[0] for pred, s in per_run]
            scores["served"] = (np.mean(served, axis=0), True)
            pred, s = per_run[0]
            for peer in pred.peers:
                scores[peer] = (pred.predict(s, peer)[0], peer != "recency-frequency")
    facts = features.anchor_facts(history, anchors)
    scores["round-robin"] = (baselines.round_robin_scores(facts), False)
    seed = int(pd.Timestamp(start).value // 10**9) % 2**31
    scores["random"] = (baselines.random_scores(len(cand), seed), False)

    successes, visits = _week_visits(history, start)
    base = float(labels.mean())
    rows = []
    for method, (p, probabilistic) in scores.items():
        precision, listed = list_precision(p, labels, reps, cfg.top_n)
        rows.append(
            {
                "week": start,
                "method": method,
                "precision": precision,
                "listed": listed,
                "candidates": len(cand),
                **_metrics(p, labels, probabilistic),
            }
        )
    rows.append(
        {
            "week": start,
            "method": "reps' own choice",
            "precision": base,
            "listed": len(cand),
            "candidates": len(cand),
            "auc": math.nan,
            "brier": math.nan,
        }
    )
    for row in rows:
        row["reps_success_rate"] = successes / visits if visits else math.nan
        row["base_rate"] = base
    predictions = pd.DataFrame(
        {"week": start, "customer_id": cand.customer_id.to_numpy(), "rep_id": reps, "label": labels}
    )
    for method, (p, probabilistic) in scores.items():
        if probabilistic:
            predictions[method] = p
    for method, p in raw.items():
        predictions[method] = p
    values = measures.week_values(
        history, fitted.value, start, cand, labels, scores["served"][0], facts
    )
    return rows, predictions, values


def run(
    warehouse: Warehouse,
    cfg: BacktestConfig,
    progress: Progress | None = None,
    history: History | None = None,
) -> BacktestResult:
    """Run the backtest on the warehouse (everything before `cfg.end`)."""
    say = progress or (lambda _f, _m: None)
    started = time.perf_counter()
    end = cfg.end or date.today()
    history = history or features.load_history(warehouse, end)
    starts = week_starts(end, cfg.weeks)
    if cfg.candidates == "visited":
        visitors = warehouse.query("week_visitors", first=starts[0], last=starts[-1])
        visitors["week"] = pd.to_datetime(visitors.week)
    elif cfg.candidates == "all":
        visitors = _all_customers(history, starts)
    else:
        raise ValueError(f"unknown candidates {cfg.candidates!r}: choose visited or all")
    rows: list[dict[str, object]] = []
    predictions, values, lapses = [], [], []
    fitted = None
    days = summary.PurchaseDays.of(history)
    for i, start in enumerate(starts):
        if i % cfg.fast == 0:
            fitted = _fit_block(history, start, cfg, lambda f, m, i=i: say(i / len(starts), m))
        say(i / len(starts), Step("jobs.step.score_week", day=start))
        week_rows, week_predictions, week_values = _score_week(
            history, fitted, start, cfg, visitors
        )
        rows.extend(week_rows)
        predictions.append(week_predictions)
        values.append(week_values)
        say(i / len(starts), Step("jobs.step.churn_week", day=start))
        lapses.append(measures.week_churn(history, fitted.bgnbd, start, days))
        best = next((r for r in week_rows if r["method"].startswith("model/")), None)
        if best:
            week = {"precision": best["precision"], "reps": best["reps_success_rate"]}
            say(
                (i + 1) / len(starts),
                Step(
                    "jobs.step.week",
                    day=start,
                    method=best["method"],
                    **{k: float(v) for k, v in week.items()},
                ),
            )
    weekly = pd.DataFrame(rows)
    values_frame = pd.concat(values, ignore_index=True)
    churn_frame = pd.concat(lapses, ignore_index=True)
    return BacktestResult(
        weekly,
        summarise(weekly),
        table1(weekly),
        pd.concat(predictions, ignore_index=True),
        time.perf_counter() - started,
        values=values_frame,
        churn=churn_frame,
        measures={
            **measures.value_measures(values_frame, cfg.top_n),
            "churn": measures.churn_measures(churn_frame),
        },
    )


def _lift(precision: pd.Series, rate: pd.Series) -> pd.Series:
    """precision / rate - 1; none where the rate is 0 or missing (a week whose reps sold
    nothing has no relative lift, not an infinite one)."""
    rate = pd.to_numeric(rate, errors="coerce")
    return pd.to_numeric(precision, errors="coerce") / rate.where(rate > 0) - 1


def summarise(weekly: pd.DataFrame) -> pd.DataFrame:
    """Per method over the weeks: mean precision, mean relative lift over the reps' success
    rate (the paper's figure, with its lowest and highest week) and over the base rate, AUC
    and Brier (NaN for a method without probabilities)."""
    weekly = weekly.assign(
        auc=pd.to_numeric(weekly.auc, errors="coerce"),
        brier=pd.to_numeric(weekly.brier, errors="coerce"),
    )
    frame = weekly.assign(
        lift_vs_reps=_lift(weekly.precision, weekly.reps_success_rate),
        lift_vs_base=_lift(weekly.precision, weekly.base_rate),
    )
    summary = frame.groupby("method").agg(
        precision=("precision", "mean"),
        precision_sd=("precision", "std"),
        lift_vs_reps=("lift_vs_reps", "mean"),
        lift_min=("lift_vs_reps", "min"),
        lift_max=("lift_vs_reps", "max"),
        lift_vs_base=("lift_vs_base", "mean"),
        auc=("auc", "mean"),
        brier=("brier", "mean"),
        weeks=("week", "nunique"),
    )
    order = [m for m in METHODS_ORDER if m in summary.index]
    return summary.loc[order].reset_index()


# A list takes each rep's top N of the week's candidates. When the lists leave off less than
# this share of the candidates, every method lists nearly the same customers (all of them when
# no rep has more than N) and shows the same precision, random included. When a method's
# pooled precision is known only to a wider margin than this (95 %), differences are noise.
LEFT_OFF_TO_CHOOSE = 0.2
MARGIN_TO_TELL = 0.05


@dataclass(frozen=True)
class Resolution:
    """What a run's data can tell apart: over `weeks`, the `candidates` (customer-weeks) and
    how many each method `listed`, the share of candidates the lists `left_off`, and the 95 %
    margin of a method's pooled precision at the run's base rate."""

    weeks: int
    candidates: int
    listed: int
    left_off: float
    margin: float

    @property
    def too_small(self) -> str | None:
        """Why the methods' precision cannot be told apart ("lists_take_all": the lists left
        nearly no candidate off; "too_few": too few listed), or None when it can."""
        if self.left_off < LEFT_OFF_TO_CHOOSE:
            return "lists_take_all"
        if self.margin > MARGIN_TO_TELL:
            return "too_few"
        return None


def resolution(weekly: pd.DataFrame) -> Resolution | None:
    """The Resolution of a run's weekly results (`run`'s weekly, or the stored run's:
    week, method, listed, candidates, base_rate); None for a run without candidates. Every
    ranking method lists the same number each week, so one of them stands for all."""
    ranked = weekly[weekly.method != "reps' own choice"].drop_duplicates("week")
    candidates, listed = int(ranked.candidates.sum()), int(ranked.listed.sum())
    if not candidates or not listed:
        return None
    base = float((ranked.base_rate * ranked.candidates).sum() / candidates)
    return Resolution(
        weeks=int(ranked.week.nunique()),
        candidates=candidates,
        listed=listed,
        left_off=1 - listed / candidates,
        margin=1.96 * math.sqrt(base * (1 - base) / listed),
    )


def table1(weekly: pd.DataFrame) -> pd.DataFrame:
    """The paper's Table 1 for every model variant: per week, model precision (A), the reps'
    own success rate (B) and the relative lift A/B - 1; plus the base rate (the reps' own
    choice, on the same label)."""
    models = weekly[weekly.method.str.startswith("model/")]
    table = models.pivot(index="week", columns="method", values="precision")
    first = weekly.drop_duplicates("week").set_index("week")
    table["reps_success_rate"] = first.reps_success_rate
    table["base_rate"] = first.base_rate
    for method in [c for c in table.columns if c.startswith("model/")]:
        table[f"{method} lift"] = _lift(table[method], table.reps_success_rate)
    return table.reset_index()


def save(warehouse: Warehouse, result: BacktestResult, cfg: BacktestConfig) -> int:
    """Store a run (results and out-of-time predictions) in one transaction; returns its id."""
    config = {
        "weeks": cfg.weeks,
        "end": str(cfg.end),
        "fast": cfg.fast,
        "feature_sets": list(cfg.feature_sets),
        "seeds": list(cfg.seeds),
        "top_n": cfg.top_n,
        "train": cfg.train.to_dict(),
        "candidates": cfg.candidates,
    }
    weekly = result.weekly.copy()
    predictions = result.predictions.melt(
        id_vars=["week", "customer_id", "rep_id", "label"], var_name="method", value_name="p"
    ).dropna(subset=["p"])
    with warehouse.transaction() as cur:
        run_id = next_id(cur, "backtest_run_id_seq")
        cur.execute(
            sql("backtest_run_insert"),
            {
                "run_id": run_id,
                "config": json.dumps(config),
                "seconds": result.seconds,
                "measures": json.dumps(result.measures, default=_plain),
            },
        )
        cur.register("bt_weekly", weekly.assign(run_id=run_id))
        cur.execute(sql("backtest_results_insert"))
        cur.register("bt_predictions", predictions.assign(run_id=run_id))
        cur.execute(sql("backtest_predictions_insert"))
    return int(run_id)


def _plain(value: object) -> object:
    """numpy numbers in the measures as plain JSON numbers."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot store {type(value).__name__} in a backtest's measures")
