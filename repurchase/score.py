"""Score every customer as of a day and write that day's call list per rep.

The serving model is loaded once per process (and again only when a new version is promoted).
Scores are written to `scores`; each rep's top N (their own customers, reps still employed)
become `call_lists` rows with rank, score, model version and the reasons. A day's list is
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

from repurchase import codes, explain, exports, features, holdout, registry
from repurchase.registry import LoadedModel
from repurchase.warehouse import Cursor, Warehouse

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
    # customer_id, rep_id, p_order, p_raw, n_history, rank, held_out, list_rank, on_list, withheld
    scores: pd.DataFrame
    list_written: bool
    seconds: float


def score_frame(history: features.History, model: LoadedModel, day: date) -> pd.DataFrame:
    """Every customer of a rep still employed, scored as of the start of `day`: columns
    customer_id, rep_id (the owner), p_order (calibrated), p_raw, n_history."""
    customers = history.customers
    active = customers[customers.rep_active.fillna(False).to_numpy()]
    anchors = pd.DataFrame(
        {"customer_id": active.customer_id.to_numpy(), "anchor": pd.Timestamp(day)}
    )
    samples = model.samples(history, anchors)
    p, raw = model.predict(samples) if len(samples) else (np.zeros(0), np.zeros(0))
    return pd.DataFrame(
        {
            "customer_id": anchors.customer_id.to_numpy(),
            "rep_id": active.owner_rep_id.to_numpy(),
            "p_order": p,
            "p_raw": raw,
            "n_history": samples.n_history,
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
        sides = explain.measure_sides(
            features.anchor_facts(history, everyone), tags, population.p_order.to_numpy(), rate
        )
    anchors = pd.DataFrame({"customer_id": customer_ids.to_numpy(), "anchor": pd.Timestamp(day)})
    facts = features.anchor_facts(history, anchors)
    return pd.Series(
        [
            json.dumps(explain.reasons_for(row, tags[row.customer_id], rate, sides))
            for row in facts.itertuples(index=False)
        ],
        index=facts.customer_id.to_numpy(),
    )


def rank_lists(frame: pd.DataFrame, held: set[str], top_n: int) -> pd.DataFrame:
    """Rank each rep's customers by p_order (ties by id). `rank` is the model's rank among all
    the rep's customers; the visible list is the top `top_n` customers not held out
    (`on_list`, `list_rank`); `withheld` marks held-out customers ranked above the list's last
    visible customer, i.e. those the model would have listed."""
    frame = frame.sort_values(["rep_id", "p_order", "customer_id"], ascending=[True, False, True])
    frame = frame.reset_index(drop=True)
    frame["rank"] = frame.groupby("rep_id").cumcount() + 1
    frame["held_out"] = frame.customer_id.isin(held)
    eligible = ~frame.held_out
    frame["list_rank"] = eligible.astype(int).groupby(frame.rep_id).cumsum().where(eligible)
    frame["on_list"] = eligible & (frame.list_rank <= top_n)
    cutoff = frame[frame.on_list].groupby("rep_id")["rank"].max()
    frame["withheld"] = frame.held_out & (frame["rank"] <= frame.rep_id.map(cutoff).fillna(0))
    return frame


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
    after `day` is read), rank them per rep, keep the period's hold-out off the lists and, if
    `write`, store scores and call lists (withheld rows included, flagged)."""
    started = time.perf_counter()
    model = model or serving_model(warehouse)
    history = history or features.load_history(warehouse, day)
    if history.until != features.to_timestamp(day):
        raise ValueError(f"history ends {history.until}, not at the start of {day}")
    frame = score_frame(history, model, day)
    held = holdout.held_out(warehouse, day, frame[["customer_id", "rep_id"]], policy, record=write)
    frame = rank_lists(frame, held, top_n)
    written = False
    if write:
        listed = frame[frame.on_list | frame.withheld].copy()
        listed["reasons"] = list_reasons(
            history, listed.customer_id, day, model, population=frame
        ).to_numpy()
        written = _write(warehouse, day, model, frame, listed, replace)
    return DayScores(day, model.version, frame, written, time.perf_counter() - started)


def _write(
    warehouse: Warehouse,
    day: date,
    model: LoadedModel,
    frame: pd.DataFrame,
    listed: pd.DataFrame,
    replace: bool,
) -> bool:
    scores = frame[["customer_id", "p_order", "p_raw", "n_history"]].assign(
        score_date=day, model_version=model.version, horizon_days=model.horizon_days
    )
    rows = listed.assign(
        list_date=day,
        model_version=model.version,
        # visible rows carry their place on the list; withheld rows the model's rank
        rank=listed.list_rank.where(listed.on_list, listed["rank"]).astype(int),
        held_out=listed.withheld,
    )[
        [
            "list_date",
            "rep_id",
            "customer_id",
            "rank",
            "p_order",
            "model_version",
            "reasons",
            "n_history",
            "held_out",
        ]
    ]
    try:
        with _write_lock, warehouse.transaction() as cur:
            return _write_rows(cur, day, model, scores, rows, replace)
    except (duckdb.ConstraintException, duckdb.TransactionException):
        # another process (the nightly job, a second server) wrote this day meanwhile: its
        # list stands, as a list written once should
        return False


def _write_rows(
    cur: Cursor,
    day: date,
    model: LoadedModel,
    scores: pd.DataFrame,
    rows: pd.DataFrame,
    replace: bool,
) -> bool:
    cur.execute(
        "delete from scores where score_date = $d and model_version = $v",
        {"d": day, "v": model.version},
    )
    cur.register("new_scores", scores)
    cur.execute(
        """
        insert into scores (score_date, customer_id, model_version, p_order, p_raw,
                            horizon_days, n_history)
        select score_date, customer_id, model_version, p_order, p_raw, horizon_days, n_history
        from new_scores
        """
    )
    cur.unregister("new_scores")
    exists = cur.execute(
        "select count(*) from call_lists where list_date = $d", {"d": day}
    ).fetchone()[0]
    if exists and not replace:
        return False
    cur.execute("delete from call_lists where list_date = $d", {"d": day})
    cur.register("new_lists", rows)
    cur.execute(
        """
        insert into call_lists (list_date, rep_id, customer_id, rank, p_order,
                                model_version, reasons, n_history, held_out)
        select list_date, rep_id, customer_id, rank, p_order, model_version, reasons,
               n_history, held_out
        from new_lists
        """
    )
    cur.unregister("new_lists")
    return True


def rep_call_list(
    warehouse: Warehouse, rep_id: str, day: date, *, compute_missing: bool = True
) -> pd.DataFrame:
    """One rep's list for `day` with what the rep needs to make the call: follow-ups first,
    then the model's list, set-aside customers last (columns: see sql/rep_call_list.sql;
    `reasons` parsed to a list of dicts).

    Read from the warehouse in one query (milliseconds); if no list exists for that day yet
    and `compute_missing`, the day is scored first (as of that day: nothing later is read).
    """
    frame = warehouse.query("rep_call_list", rep_id=rep_id, day=day)
    # follow-ups show without a list: only a frame without the model's rows asks whether
    # the day has been scored at all
    if compute_missing and not frame.on_list.any() and not _has_list(warehouse, day):
        score_day(warehouse, day)
        frame = warehouse.query("rep_call_list", rep_id=rep_id, day=day)
    frame["reasons"] = frame["reasons"].map(lambda r: json.loads(r) if isinstance(r, str) else [])
    return frame


def _has_list(warehouse: Warehouse, day: date) -> bool:
    with warehouse.connect() as cur:
        return bool(
            cur.execute(
                "select count(*) from call_lists where list_date = $d", {"d": day}
            ).fetchone()[0]
        )


def export_csv(scores: pd.DataFrame, path) -> None:
    """customer_id, rep_id, p_order, rank, on_list for every scored customer: `rank` is the
    model's rank among the rep's customers, `on_list` whether the rep sees it (held-out
    customers never do)."""
    exports.write_csv(scores[["customer_id", "rep_id", "p_order", "rank", "on_list"]], path)
