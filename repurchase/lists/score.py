"""Score every customer as of a day and write that day's call list per rep.

The serving model is loaded once per process (and again only when a new version is promoted).
Scores are written to `scores` with each customer's expected value and churn risk (value.py,
churn.py); each rep's top N (their own customers, reps still employed, none snoozed that day),
ranked by probability or by expected value as their team is set, become `call_lists` rows with
rank, score, the previous list's chance, model version and the reasons, in one transaction
with the period's hold-out draw (write_lists, the one writer of these tables). A day's list is
written once: the list reps saw is what the on-list evaluation must read later, so re-scoring
a day adds scores but keeps its list unless `replace=True`.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from repurchase import codes
from repurchase.errors import RepurchaseError
from repurchase.lists import churn, explain, exports, holdout, value
from repurchase.model import features, metrics, registry, summary
from repurchase.model.registry import LoadedModel
from repurchase.warehouse import point_reads
from repurchase.warehouse.store import Cursor, Warehouse, sql

DEFAULT_TOP_N = codes.TOP_N

_models: dict[tuple[str, str], LoadedModel] = {}
_models_lock = threading.Lock()
_write_lock = threading.Lock()  # one day's scores written at a time in this process


def serving_model(warehouse: Warehouse) -> LoadedModel:
    """The serving model, loaded once per process per version."""
    version = registry.serving_version(warehouse)
    if version is None:
        return registry.load(warehouse)  # raises ModelNotFoundError with the fix
    key = (str(warehouse.path), version)
    with _models_lock:
        if key not in _models:
            _models[key] = registry.load(warehouse, version)
        return _models[key]


@dataclass
class DayScores:
    day: date
    version: str
    # customer_id, rep_id, p_order, p_raw, n_history, typical_order, expected_value, churn_risk,
    # at_risk, ranked_by, rank, held_out, snoozed, list_rank, on_list, withheld
    scores: pd.DataFrame
    list_written: bool
    seconds: float


def score_frame(history: features.History, model: LoadedModel, day: date) -> pd.DataFrame:
    """Every customer of a rep still employed, scored as of the start of `day`: columns
    customer_id, rep_id (the owner), p_order (calibrated), p_raw, n_history, and what a call
    wins (call_effect: how much a call this week raises the chance of an order in the horizon;
    p_self: the chance of an order without any call), NaN when the model has no call-effect
    estimate (an older model)."""
    customers = history.customers
    active = customers[customers.rep_active.fillna(False).to_numpy()]
    anchors = pd.DataFrame(
        {"customer_id": active.customer_id.to_numpy(), "anchor": pd.Timestamp(day)}
    )
    samples = model.samples(history, anchors)
    p, raw = model.predict(samples) if len(samples) else (np.zeros(0), np.zeros(0))
    effect = np.full(len(anchors), np.nan)
    p_self = np.full(len(anchors), np.nan)
    if model.effect is not None and len(anchors):
        estimate = model.effect.predict(history, anchors)
        effect = estimate.call_effect.to_numpy(dtype=float)
        p_self = estimate.p_self.to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "customer_id": anchors.customer_id.to_numpy(),
            "rep_id": active.owner_rep_id.to_numpy(),
            "p_order": p,
            "p_raw": raw,
            "n_history": samples.n_history,
            "call_effect": effect,
            "p_self": p_self,
        }
    )


def list_reasons(
    history: features.History,
    customer_ids: pd.Series,
    day: date,
    model: LoadedModel | None = None,
    population: pd.DataFrame | None = None,
) -> pd.Series:
    """The reasons (JSON) for listing each customer on `day`, indexed by customer_id; with the
    model, a recent "no demand" is answered by the rate measured on its training data. With
    `population` (customer_id, p_order of every customer scored that day), each fact is said
    on the side the model's scores put it (explain.measure_sides); without, on its own side."""
    rate = None if model is None else model.metrics.get("recontact_no_demand_rate")
    if rate is not None and not np.isfinite(rate):
        rate = None
    tags = history.customers.set_index("customer_id").tag
    sides = None
    if population is not None and len(population):
        everyone = pd.DataFrame(
            {"customer_id": population.customer_id.to_numpy(), "anchor": pd.Timestamp(day)}
        )
        known = features.anchor_facts(history, everyone)
        sides = explain.measure_sides(known, tags, population.p_order.to_numpy(), rate)
        # the listed are among those just described: take their rows, in the listed order
        facts = known.set_index("customer_id").loc[customer_ids.to_numpy()].reset_index()
    else:
        anchors = pd.DataFrame(
            {"customer_id": customer_ids.to_numpy(), "anchor": pd.Timestamp(day)}
        )
        facts = features.anchor_facts(history, anchors)
    return pd.Series(
        [
            json.dumps(explain.reasons_for(row, tags[row.customer_id], rate, sides))
            for row in facts.itertuples(index=False)
        ],
        index=facts.customer_id.to_numpy(),
    )


def worth(
    history: features.History, model: LoadedModel, day: date, frame: pd.DataFrame
) -> pd.DataFrame:
    """`frame` (score_frame's) plus typical_order, expected_value (value.py: the spend model
    fitted here on the history before `day`, cheap and never ahead of the day), effect_value
    (call_effect x typical_order: the spend a call wins), churn_risk and at_risk (churn.py,
    with the serving model's BG/NBD parameters)."""
    spend = value.fit_history(history, day, model.horizon_days)
    worth = value.value_frame(history, frame.customer_id.to_numpy(), day, frame.p_order, spend)
    days = summary.PurchaseDays.of(history)
    risk = churn.churn_frame(
        history, frame.customer_id.to_numpy(), day, model.predictor.inputs.bgnbd, days
    )
    return frame.assign(
        typical_order=worth.typical_order.to_numpy(),
        expected_value=worth.expected_value.to_numpy(),
        effect_value=frame.call_effect.to_numpy(dtype=float) * worth.typical_order.to_numpy(),
        churn_risk=risk.churn_risk.to_numpy(),
        at_risk=risk.at_risk.to_numpy(),
    )


_RANK_COLUMN = {
    "probability": "p_order",
    "value": "expected_value",
    "effect": "call_effect",
    "effect_value": "effect_value",
}


def resolve_rankings(
    frame: pd.DataFrame, rank_by: dict[str, str] | None, auto: str = codes.FALLBACK_RANKING
) -> np.ndarray:
    """Each row's concrete ranking: its rep's team setting, "auto" (or no setting) read as
    `auto`. A ranking by call effect falls back to the chance of an order for rows without an
    estimate (scores of an older model)."""
    rank_by = rank_by or {}
    settings = np.array(
        [rank_by.get(rep, codes.DEFAULT_RANK_BY) for rep in frame.rep_id], dtype=object
    )
    unknown = set(settings) - set(codes.RANK_BY)
    if unknown:
        choices = ", ".join(codes.RANK_BY)
        raise ValueError(f"unknown ranking {sorted(unknown)}: choose from {choices}")
    ranked_by = np.where(settings == codes.RANK_AUTO, auto, settings)
    for by, column in _RANK_COLUMN.items():
        missing = column not in frame or frame[column].isna().to_numpy()
        ranked_by = np.where((ranked_by == by) & missing, codes.FALLBACK_RANKING, ranked_by)
    return ranked_by.astype(str)


def rank_lists(
    frame: pd.DataFrame,
    held: set[str],
    top_n: int,
    *,
    rank_by: dict[str, str] | None = None,
    snoozed: set[tuple[str, str]] | None = None,
    auto: str = codes.FALLBACK_RANKING,
) -> pd.DataFrame:
    """Rank each rep's customers by what their team's setting says (resolve_rankings: p_order,
    expected_value, call_effect or effect_value; "auto" is `auto`, the serving model's choice;
    ties by id), recorded in `ranked_by`. `rank` is the model's rank among all the rep's
    customers; the visible list is the top `top_n` customers neither held out nor snoozed
    (`on_list`, `list_rank`: a snoozed customer's place goes to the next one); `withheld`
    marks held-out customers ranked above the list's last visible customer, i.e. those the
    model would have listed."""
    frame = frame.assign(ranked_by=resolve_rankings(frame, rank_by, auto))
    key = frame.p_order.to_numpy(dtype=float)
    for by, column in _RANK_COLUMN.items():
        chosen = (frame.ranked_by == by).to_numpy()
        if by != "probability" and chosen.any():
            key = np.where(chosen, frame[column].to_numpy(dtype=float), key)
    frame, rank = metrics.rank_in_lists(frame.assign(_key=key), ["rep_id"], "_key", "customer_id")
    frame = frame.drop(columns="_key").reset_index(drop=True)
    frame["rank"] = rank
    frame["held_out"] = frame.customer_id.isin(held)
    pairs = pd.MultiIndex.from_arrays([frame.rep_id, frame.customer_id])
    frame["snoozed"] = pairs.isin(list(snoozed or ()))
    eligible = ~frame.held_out & ~frame.snoozed
    frame["list_rank"] = eligible.astype(int).groupby(frame.rep_id).cumsum().where(eligible)
    frame["on_list"] = eligible & (frame.list_rank <= top_n)
    cutoff = frame[frame.on_list].groupby("rep_id")["rank"].max()
    frame["withheld"] = frame.held_out & (frame["rank"] <= frame.rep_id.map(cutoff).fillna(0))
    return frame


def team_rankings(warehouse: Warehouse) -> dict[str, str]:
    """What each rep's list is ranked by: their team's setting (team_settings; '' is the team
    of reps without one), 'auto' when the team has none."""
    frame = warehouse.query("rep_rank_by")
    return dict(zip(frame.rep_id, frame.rank_by, strict=True))


def snoozed_on(warehouse: Warehouse, day: date) -> set[tuple[str, str]]:
    """(rep_id, customer_id) of the snoozes in force on `day` (sql/active_list_actions.sql)."""
    actions = warehouse.query("active_list_actions", day=day)
    actions = actions[actions.action == "snooze"]
    return set(zip(actions.rep_id, actions.customer_id, strict=True))


def score_day(
    warehouse: Warehouse,
    day: date,
    *,
    model: LoadedModel | None = None,
    top_n: int = DEFAULT_TOP_N,
    write: bool = True,
    replace: bool = False,
    history: features.History | None = None,
    policy: holdout.HoldoutPolicy | None = None,
) -> DayScores:
    """Score every customer whose rep is employed, as of the start of `day` (no event on or
    after `day` is read), value them and gauge their churn risk, rank them per rep as their
    team is set, keep the period's hold-out and the day's snoozed customers off the lists and,
    if `write`, store scores, call lists (withheld rows included, flagged) and the period's
    hold-out draw in one transaction (write_lists). Without `write` nothing is stored."""
    started = time.perf_counter()
    model = model or serving_model(warehouse)
    history = history or features.load_history(warehouse, day)
    if history.until != features.to_timestamp(day):
        raise ValueError(f"history ends {history.until}, not at the start of {day}")
    scored = worth(history, model, day, score_frame(history, model, day))
    rank_by, snoozed = team_rankings(warehouse), snoozed_on(warehouse, day)

    def ranked() -> tuple[holdout.PeriodDraw, pd.DataFrame]:
        draw = holdout.period_draw(warehouse, day, scored[["customer_id", "rep_id"]], policy)
        return draw, rank_lists(
            scored, draw.held, top_n, rank_by=rank_by, snoozed=snoozed, auto=model.ranking_choice
        )

    draw, frame = ranked()
    written = False
    if write:
        try:
            written = _write_ranked(warehouse, history, model, day, draw, frame, replace)
        except DrawChangedError:
            # another writer recorded the period's hold-out meanwhile, from other customers
            draw, frame = ranked()
            written = _write_ranked(warehouse, history, model, day, draw, frame, replace)
    return DayScores(day, model.version, frame, written, time.perf_counter() - started)


def _write_ranked(
    warehouse: Warehouse,
    history: features.History,
    model: LoadedModel,
    day: date,
    draw: holdout.PeriodDraw,
    frame: pd.DataFrame,
    replace: bool,
) -> bool:
    listed = listed_rows(history, model, day, frame)
    lists = DayLists(day, model.version, model.horizon_days, listed, draw, scores=frame)
    return write_lists(warehouse, lists, replace=replace)


def listed_rows(
    history: features.History, model: LoadedModel, day: date, frame: pd.DataFrame
) -> pd.DataFrame:
    """The rows of `frame` (rank_lists') that are stored as call lists: those on a list and
    those withheld, each with its reasons (JSON), what a call wins among them."""
    listed = frame[frame.on_list | frame.withheld].copy()
    reasons = list_reasons(history, listed.customer_id, day, model, population=frame)
    effect = listed.get("call_effect", pd.Series(np.nan, index=listed.index))
    p_self = listed.get("p_self", pd.Series(np.nan, index=listed.index))
    listed["reasons"] = [
        json.dumps(explain.with_effect(json.loads(said), e, s, by))
        for said, e, s, by in zip(
            reasons.to_numpy(),
            effect.to_numpy(dtype=float),
            p_self.to_numpy(dtype=float),
            listed.ranked_by.to_numpy(),
            strict=True,
        )
    ]
    return listed


class DrawChangedError(RepurchaseError):
    """The period's hold-out was recorded by another writer, differently, after the lists
    were ranked: they must be ranked again."""


@dataclass(frozen=True)
class DayLists:
    """What the list writer stores for one day."""

    day: date
    model_version: str
    horizon_days: int
    # rank_lists rows on a list or withheld, with reasons (listed_rows)
    listed: pd.DataFrame
    # the hold-out the lists were ranked with; None: no hold-out
    draw: holdout.PeriodDraw | None
    # the day's scores (score_frame plus worth); None when the day shows an earlier day's
    scores: pd.DataFrame | None = None


_SCORE_COLUMNS = [
    "customer_id",
    "p_order",
    "p_raw",
    "n_history",
    "expected_value",
    "typical_order",
    "churn_risk",
    "at_risk",
    "call_effect",
    "p_self",
    "effect_value",
]
_LIST_COLUMNS = [
    "list_date",
    "rep_id",
    "customer_id",
    "rank",
    "p_order",
    "model_version",
    "reasons",
    "n_history",
    "held_out",
    "p_previous",
    "ranked_by",
]


def write_lists(warehouse: Warehouse, lists: DayLists, *, replace: bool = False) -> bool:
    """The one writer of `scores`, `call_lists` and `holdout_assignments`: store a day's
    scores, its lists (unless the day has lists already and not `replace`: a day's list is
    written once) with each customer's previous chance, and the period's hold-out draw if it
    is not recorded yet, in one transaction. Returns whether the lists were written."""
    try:
        with _write_lock, warehouse.transaction() as cur:
            return _write_rows(cur, lists, replace)
    except (duckdb.ConstraintException, duckdb.TransactionException):
        # another process (the nightly job, a second server) wrote this day meanwhile: its
        # list stands, as a list written once should
        return False


def _write_rows(cur: Cursor, lists: DayLists, replace: bool) -> bool:
    day, version = lists.day, lists.model_version
    if lists.scores is not None:
        scores = lists.scores[_SCORE_COLUMNS].assign(
            score_date=day, model_version=version, horizon_days=lists.horizon_days
        )
        cur.execute(sql("day_scores_delete"), {"day": day, "version": version})
        cur.register("new_scores", scores)
        cur.execute(sql("day_scores_insert"))
        cur.unregister("new_scores")
    exists = cur.execute(sql("day_lists_count"), {"day": day}).fetchone()[0]
    if exists and not replace:
        return False
    if lists.draw is not None and holdout.record(cur, lists.draw) != lists.draw.held:
        raise DrawChangedError(f"the hold-out of {lists.draw.period_start} was drawn meanwhile")
    previous = cur.execute(sql("previous_scores"), {"day": day}).df().set_index("customer_id")
    listed = lists.listed
    rows = listed.assign(
        list_date=day,
        model_version=version,
        # visible rows carry their place on the list; withheld rows the model's rank
        rank=listed.list_rank.where(listed.on_list, listed["rank"]).astype(int),
        held_out=listed.withheld,
        p_previous=listed.customer_id.map(previous.p_previous).to_numpy(),
    )[_LIST_COLUMNS]
    cur.execute(sql("day_lists_delete"), {"day": day})
    cur.register("new_lists", rows)
    cur.execute(sql("day_lists_insert"))
    cur.unregister("new_lists")
    # a past day's list decides which of that week's visits were on-list: read them live
    cur.execute(sql("visit_outcomes_stale"), {"day": day})
    cur.execute(sql("holdout_sums_stale"), {"day": day})  # and whose units they were
    return True


def has_list(warehouse: Warehouse, day: date) -> bool:
    """Whether `day`'s call lists are written (reads only)."""
    return not warehouse.query("call_list_days", first=day, last=day).empty


def rep_read(warehouse: Warehouse, name: str, rep_id: str, **params: object) -> pd.DataFrame:
    """Run `sql/<name>.sql` for one rep with `$customer_ids`, the customers the rep owns,
    read first in the same transaction (one snapshot: an owner change cannot fall between
    the two reads)."""
    with warehouse.transaction() as cur:
        mine = point_reads.run(cur, "rep_customer_ids", rep_id=rep_id)
        customer_ids = point_reads.ids(mine, "customer_id")
        return point_reads.run(cur, name, rep_id=rep_id, customer_ids=customer_ids, **params)


def rep_call_list(warehouse: Warehouse, rep_id: str, day: date) -> pd.DataFrame:
    """One rep's list for `day` with what the rep needs to make the call: follow-ups first,
    then the model's list, set-aside customers last (columns: see sql/rep_call_list.sql;
    `reasons` parsed to a list of dicts, only those that still hold for a customer called
    on `day`: explain.after_a_call_today).

    Reads only, in one transaction (milliseconds): the rep's customer ids, then the list with
    those ids named (point_reads: on PostgreSQL an index read of the rep's rows, not every
    visit). A day whose lists are not written yet (see has_list) gives the follow-ups due and
    the set-aside customers, without the model's rows; the day is scored by an explicit write
    (the nightly job, the first start, the `score` job or command), never by reading it.
    """
    frame = rep_read(
        warehouse,
        "rep_call_list",
        rep_id,
        day=day,
        overdue_days=codes.FOLLOW_UP_OVERDUE_DAYS,
    )
    reasons = frame["reasons"].map(lambda r: json.loads(r) if isinstance(r, str) else [])
    frame["reasons"] = [
        explain.after_a_call_today(said) if called else said
        for said, called in zip(reasons, frame["visited_today"], strict=True)
    ]
    return frame


EXPORT_COLUMNS = [
    "customer_id",
    "rep_id",
    "p_order",
    "rank",
    "on_list",
    "expected_value",
    "churn_risk",
]


def export_csv(scores: pd.DataFrame, path) -> None:
    """customer_id, rep_id, p_order, rank, on_list, expected_value, churn_risk for every
    scored customer: `rank` is the customer's rank among the rep's customers (by what the
    rep's list is ranked by), `on_list` whether the rep sees it (held-out and snoozed customers
    never do), expected_value the expected spend in the horizon in currency units (>= 0),
    churn_risk 0..1."""
    exports.write_csv(scores[EXPORT_COLUMNS], path)
