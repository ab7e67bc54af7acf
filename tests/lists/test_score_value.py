"""score_day writes value and churn risk with every score, the previous chance and the ranking
on every list row; a team set to rank by value gets lists ordered by expected value; a snoozed
customer is left off the day's list and the next one moves up."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from repurchase.lists import churn, score, value
from repurchase.model import features

from ..conftest import SMALL_UNTIL

DAY = SMALL_UNTIL


def _table(wh, query: str, **params) -> pd.DataFrame:
    with wh.connect() as cur:
        return cur.execute(query, params).df()


def test_score_day_writes_value_risk_and_the_previous_chance(trained_warehouse):
    yesterday = DAY - timedelta(days=1)
    first = score.score_day(trained_warehouse, yesterday, top_n=5)
    second = score.score_day(trained_warehouse, DAY, top_n=5)
    scores = _table(trained_warehouse, "select * from scores where score_date = $d", d=DAY)
    assert len(scores) == len(second.scores)
    for column in ("expected_value", "typical_order", "churn_risk", "at_risk"):
        assert scores[column].notna().all(), column
    assert (scores.expected_value >= 0).all() and (scores.typical_order > 0).all()
    assert scores.churn_risk.between(0, 1).all()
    # what is stored is churn.py's and value.py's answer as of the day, with the serving
    # model's BG/NBD parameters and a spend model fitted on the history before the day
    model = score.serving_model(trained_warehouse)
    history = features.load_history(trained_warehouse, DAY)
    ids = scores.customer_id.to_numpy()
    risk = churn.churn_frame(history, ids, DAY, model.predictor.inputs.bgnbd)
    np.testing.assert_allclose(scores.churn_risk, risk.churn_risk)
    assert (scores.at_risk == risk.at_risk).all()
    assert (scores.at_risk == (scores.churn_risk >= churn.THRESHOLD)).all()
    assert (scores.churn_risk > 0).any()
    spend = value.fit_history(history, DAY, model.horizon_days)
    worth = value.value_frame(history, ids, DAY, scores.p_order.to_numpy(), spend)
    np.testing.assert_allclose(scores.expected_value, worth.expected_value)
    np.testing.assert_allclose(scores.typical_order, worth.typical_order)

    lists = _table(trained_warehouse, "select * from call_lists where list_date = $d", d=DAY)
    assert (lists.ranked_by == "probability").all()
    before = first.scores.set_index("customer_id").p_order
    np.testing.assert_allclose(lists.p_previous, lists.customer_id.map(before))
    # the first day scored has nothing to compare with
    earliest = _table(
        trained_warehouse, "select * from call_lists where list_date = $d", d=yesterday
    )
    assert earliest.p_previous.isna().all()


def test_a_team_ranking_by_value_orders_its_lists_by_expected_value(trained_warehouse):
    by_probability = score.score_day(trained_warehouse, DAY, top_n=5, write=False).scores
    reps = _table(trained_warehouse, "select rep_id, team from reps where left_date is null")
    team = reps.team.iloc[0]
    with trained_warehouse.transaction() as cur:
        cur.execute(
            "insert into team_settings (team, rank_by, updated_by) values ($t, 'value', 'test')",
            {"t": team},
        )
    result = score.score_day(trained_warehouse, DAY, top_n=5)
    lists = _table(
        trained_warehouse,
        "select * from call_lists where list_date = $d and not held_out order by rep_id, rank",
        d=DAY,
    )
    frame = result.scores.set_index("customer_id")
    in_team = set(reps[reps.team == team].rep_id)
    changed = False
    for rep, group in lists.groupby("rep_id"):
        ranked_by = "value" if rep in in_team else "probability"
        assert (group.ranked_by == ranked_by).all()
        key = "expected_value" if ranked_by == "value" else "p_order"
        values = group.customer_id.map(frame[key]).to_numpy()
        assert (np.diff(values) <= 1e-12).all(), (rep, key)
        if ranked_by == "value":
            old = by_probability[by_probability.rep_id == rep]
            old = old[old.on_list].sort_values("list_rank").customer_id.tolist()
            changed |= old != group.customer_id.tolist()
    assert changed  # ranking by value is not ranking by probability


def test_a_snoozed_customer_is_off_the_list_and_the_next_moves_up(trained_warehouse):
    preview = score.score_day(trained_warehouse, DAY, top_n=5, write=False).scores
    rep = sorted(preview.rep_id.unique())[0]
    visible = preview[(preview.rep_id == rep) & preview.on_list].sort_values("list_rank")
    first, second = visible.customer_id.iloc[0], visible.customer_id.iloc[1]
    sixth = preview[
        (preview.rep_id == rep) & ~preview.held_out & (preview.list_rank == 6)
    ].customer_id.iloc[0]
    with trained_warehouse.transaction() as cur:
        cur.execute(
            "insert into list_actions (rep_id, customer_id, action, first_day, until_day, "
            "entered_by) values ($r, $c, 'snooze', $a, $b, 'test')",
            {"r": rep, "c": first, "a": DAY - timedelta(days=2), "b": DAY + timedelta(days=3)},
        )
    result = score.score_day(trained_warehouse, DAY, top_n=5)
    lists = _table(
        trained_warehouse,
        "select * from call_lists where list_date = $d and rep_id = $r and not held_out "
        "order by rank",
        d=DAY,
        r=rep,
    )
    assert first not in set(lists.customer_id)
    assert lists.customer_id.iloc[0] == second and list(lists["rank"]) == [1, 2, 3, 4, 5]
    assert sixth in set(lists.customer_id)  # the one below the list moved onto it
    stored = _table(
        trained_warehouse,
        "select count(*) as n from scores where score_date = $d and customer_id = $c",
        d=DAY,
        c=first,
    )
    assert stored.n.iloc[0] == 1  # still scored
    row = result.scores.set_index("customer_id").loc[first]
    assert row.snoozed and not row.on_list


def test_rank_lists_refuses_an_unknown_ranking():
    frame = pd.DataFrame(
        {"customer_id": ["A"], "rep_id": ["R"], "p_order": [0.5], "expected_value": [1.0]}
    )
    with pytest.raises(ValueError, match="unknown ranking"):
        score.rank_lists(frame, set(), 5, rank_by={"R": "size"})
