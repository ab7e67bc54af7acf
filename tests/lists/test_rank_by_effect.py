"""Lists ranked by what a call wins: the call effect, its value, and "auto" (the gate's choice)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd

from repurchase import codes
from repurchase.lists import explain, score
from repurchase.model.registry import LoadedModel


def _frame() -> pd.DataFrame:
    # A orders anyway (high chance, no effect); B is moved most by a call; C is in between
    return pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D"],
            "rep_id": ["R", "R", "R", "S"],
            "p_order": [0.9, 0.4, 0.6, 0.5],
            "expected_value": [900.0, 4_000.0, 600.0, 50.0],
            "call_effect": [0.01, 0.30, 0.10, 0.05],
            "p_self": [0.89, 0.10, 0.50, 0.45],
            "effect_value": [10.0, 3_000.0, 100.0, 5.0],
        }
    )


def _order(frame: pd.DataFrame, rep: str = "R") -> list[str]:
    rows = frame[frame.rep_id == rep].sort_values("rank")
    return rows.customer_id.tolist()


def test_a_list_ranked_by_call_effect_puts_the_customer_a_call_moves_first():
    ranked = score.rank_lists(_frame(), set(), 2, rank_by={"R": "effect", "S": "effect"})
    assert _order(ranked) == ["B", "C", "A"]
    assert set(ranked.ranked_by) == {"effect"}
    by_chance = score.rank_lists(_frame(), set(), 2, rank_by={"R": "probability"})
    assert _order(by_chance) == ["A", "C", "B"]


def test_auto_ranks_by_what_the_model_chose_and_a_team_setting_overrides_it():
    ranked = score.rank_lists(_frame(), set(), 2, rank_by={"S": "value"}, auto="effect_value")
    assert _order(ranked) == ["B", "C", "A"]  # R has no setting: the model's choice
    assert ranked.set_index("customer_id").ranked_by.to_dict() == {
        "A": "effect_value",
        "B": "effect_value",
        "C": "effect_value",
        "D": "value",
    }
    explicit = score.rank_lists(_frame(), set(), 2, rank_by={"R": "auto"}, auto="probability")
    assert _order(explicit) == ["A", "C", "B"]


def test_a_ranking_by_effect_falls_back_to_the_chance_where_no_effect_was_estimated():
    frame = _frame().assign(call_effect=np.nan, effect_value=np.nan)
    ranked = score.rank_lists(frame, set(), 2, auto="effect")
    assert set(ranked.ranked_by) == {"probability"}
    assert _order(ranked) == ["A", "C", "B"]
    # a frame without the columns at all (an older scorer) ranks by the chance too
    older = _frame().drop(columns=["call_effect", "p_self", "effect_value"])
    assert _order(score.rank_lists(older, set(), 2, rank_by={"R": "effect"})) == ["A", "C", "B"]


def _served(choice: object, effect: object) -> str:
    model = SimpleNamespace(metrics={"ranking_choice": choice}, effect=effect)
    return LoadedModel.ranking_choice.fget(model)


def test_the_served_ranking_is_the_gates_choice_only_when_the_model_can_rank_by_it():
    assert _served("effect", object()) == "effect"
    assert _served("value", None) == "value"
    assert _served("effect_value", None) == codes.FALLBACK_RANKING
    assert _served(None, object()) == codes.FALLBACK_RANKING
    assert _served("nonsense", object()) == codes.FALLBACK_RANKING


def test_auto_is_every_teams_default_and_a_valid_setting():
    assert codes.DEFAULT_RANK_BY == codes.RANK_AUTO
    assert set(codes.RANKINGS) < set(codes.RANK_BY)


def test_a_customer_likely_to_order_online_is_told_as_a_reason_against_calling():
    said = [{"code": "due", "every": 30, "since": 31}, {"code": "not_due", "side": "against"}]
    reasons = explain.with_effect(said, call_effect=0.02, p_self=0.8, ranked_by="probability")
    for_, against = explain.split(reasons)
    assert [r["code"] for r in for_] == ["due"]
    assert against[0] == {"code": "orders_online", "chance": 80, "side": "against"}
    assert len(against) <= explain.MAX_AGAINST


def test_a_list_ranked_by_effect_says_what_the_call_wins_first_and_keeps_the_caveat():
    said = [
        {"code": "due", "every": 30, "since": 31},
        {"code": "frequent", "orders": 6},
        {"code": "little_history", "events": 4},
    ]
    reasons = explain.with_effect(said, call_effect=0.234, p_self=0.1, ranked_by="effect")
    codes_said = [r["code"] for r in reasons]
    assert codes_said[0] == "call_wins" and reasons[0]["points"] == 23
    assert codes_said[-1] == "little_history"  # the caveat about a rough score always stays
    assert len(explain.split(reasons)[0]) <= explain.MAX_REASONS
    assert "orders_online" not in codes_said


def test_no_effect_estimate_adds_nothing():
    said = [{"code": "due", "every": 30, "since": 31}]
    assert explain.with_effect(said, math.nan, math.nan, "effect") == said
    # a list by chance does not claim what a call wins
    by_chance = explain.with_effect(said, 0.3, 0.1, "probability")
    assert [r["code"] for r in by_chance] == ["due"]
