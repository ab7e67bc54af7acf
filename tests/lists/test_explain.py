"""Reasons in plain words, from facts about the customer as of the list's day."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from repurchase import i18n
from repurchase.lists import explain


def facts(**overrides) -> pd.Series:
    base = {
        "n_history": 30,
        "n_orders": 6,
        "orders_365": 3,
        "days_since_order": 40.0,
        "mean_order_gap": 38.0,
        "days_since_visit": 12.0,
        "last_visit_result": 0,
    }
    return pd.Series({**base, **overrides})


# every fact on the side the old lists put it (the model's measured sides come in below)
ALL_FOR = {code: side or "for" for code, side in explain.NATURAL_SIDE.items()}


@pytest.mark.parametrize(
    ("change", "first"),
    [
        ({"days_since_visit": 20.0}, {"code": "due", "every": 38, "since": 40}),
        (
            {"days_since_order": 90.0, "days_since_visit": 20.0},
            {"code": "overdue", "every": 38, "since": 90},
        ),
        (
            {"mean_order_gap": math.nan, "orders_365": 5, "days_since_visit": 20.0},
            {"code": "frequent", "orders": 5},
        ),
        (
            {"mean_order_gap": math.nan, "days_since_order": 3.0, "days_since_visit": 20.0},
            {"code": "recent_order", "since": 3},
        ),
        (
            {"mean_order_gap": math.nan, "days_since_visit": 45.0},
            {"code": "not_contacted", "days": 45},
        ),
        ({"mean_order_gap": math.nan, "days_since_visit": math.nan}, {"code": "never_contacted"}),
    ],
)
def test_the_most_telling_fact_comes_first(change, first):
    assert explain.reasons_for(facts(**change), "small_medium", sides=ALL_FOR)[0] == first


def test_little_history_is_always_said():
    for_, _ = explain.split(explain.reasons_for(facts(n_history=3), "key"))
    assert len(for_) <= explain.MAX_REASONS
    assert for_[-1] == {"code": "little_history", "events": 3}


def test_reasons_read_in_both_languages():
    reason = {"code": "due", "every": 38, "since": 40}
    assert i18n.reason_text(reason, "en") == (
        "Usually orders every 38 days; last order 40 days ago: due about now"
    )
    assert (
        i18n.reason_text(reason, "zh") == "通常每 38 天下单一次,距上次下单已 40 天:差不多该再下单了"
    )


@pytest.mark.parametrize(
    ("days", "result", "rate", "answered"),
    [
        (2.0, 0, 0.31, True),  # said no two days ago: the measured rate answers it, first
        (7.0, 0, 0.31, True),
        (8.0, 0, 0.31, False),  # older than a week: the plain last-call fact
        (2.0, 1, 0.31, False),  # the last call ended in an order: nothing to answer
        (2.0, 0, None, False),  # no measured rate (an older model): the plain fact
    ],
)
def test_a_recent_no_demand_is_answered_with_the_measured_rate(days, result, rate, answered):
    reasons = explain.reasons_for(
        facts(days_since_visit=days, last_visit_result=result), "small_medium", rate, ALL_FOR
    )
    codes = [r["code"] for r in reasons]
    assert (codes[0] == "no_demand_recent") == answered
    if answered:
        said = reasons[0]
        assert said == {"code": "no_demand_recent", "days": int(days), "rate": 31}
        assert "last_visit_no_order" not in codes  # said once, not twice
        assert "31 %" in i18n.reason_text(said, "en") and "31%" in i18n.reason_text(said, "zh")


@pytest.mark.parametrize(
    ("change", "against"),
    [
        ({"days_since_order": 10.0}, {"code": "not_due", "every": 38, "since": 10}),
        (
            {"days_since_order": 200.0, "orders_365": 0},
            {"code": "lapsed", "every": 38, "since": 200},
        ),
        ({"mean_order_gap": math.nan, "orders_365": 0}, {"code": "quiet_year"}),
        (
            {"n_orders": 0, "mean_order_gap": math.nan, "days_since_order": math.nan},
            {"code": "never_ordered"},
        ),
    ],
)
def test_facts_whose_words_speak_against_calling_are_said_against(change, against):
    for_, said = explain.split(explain.reasons_for(facts(**change), "small_medium"))
    assert {**against, "side": "against"} in said
    assert all(r.get("side") is None for r in for_)
    assert len(said) <= explain.MAX_AGAINST and len(for_) <= explain.MAX_REASONS


def test_at_most_two_facts_against_most_telling_first():
    many = facts(
        n_orders=0, mean_order_gap=math.nan, days_since_order=math.nan, days_since_visit=2.0
    )
    sides = {**explain.NATURAL_SIDE, "last_visit_no_order": "against", "not_due": "against"}
    _, against = explain.split(explain.reasons_for(many, "small_medium", None, sides))
    assert [r["code"] for r in against] == ["last_visit_no_order", "never_ordered"]


def _population(n: int, p_recent_no: float, p_other: float) -> tuple[pd.DataFrame, np.ndarray]:
    """n customers called 2 days ago with no demand, n others last called 20 days ago."""
    rows = [facts(days_since_visit=2.0) for _ in range(n)]
    rows += [facts(days_since_visit=20.0) for _ in range(n)]
    frame = pd.DataFrame(rows).assign(customer_id=[f"C{i}" for i in range(2 * n)])
    p = np.array([p_recent_no] * n + [p_other] * n)
    return frame, p


@pytest.mark.parametrize(
    ("p_recent_no", "side"),
    [(0.30, "for"), (0.10, "against"), (0.21, None)],  # others score 0.20
)
def test_a_fact_is_said_on_the_side_the_model_puts_it(p_recent_no, side):
    population, p = _population(30, p_recent_no, 0.20)
    tags = pd.Series("small_medium", index=population.customer_id)
    sides = explain.measure_sides(population, tags, p)
    assert sides["last_visit_no_order"] == side
    said = explain.reasons_for(population.iloc[0], "small_medium", None, sides)
    found = [r for r in said if r["code"] == "last_visit_no_order"]
    assert [r.get("side", "for") for r in found] == ([side] if side else [])


def test_a_fact_whose_words_take_a_side_is_not_said_when_the_model_disagrees():
    # customers "due about now" scoring lower than the rest: the model does not agree
    population, p = _population(30, 0.2, 0.2)
    population["days_since_order"] = [40.0] * 30 + [10.0] * 30  # due vs not due
    p = np.array([0.1] * 30 + [0.3] * 30)
    tags = pd.Series("small_medium", index=population.customer_id)
    sides = explain.measure_sides(population, tags, p)
    assert sides["due"] is None and sides["not_due"] is None
    assert sides["key_account"] == "for"  # too rare to measure here: its own side


def test_a_fact_too_rare_to_measure_keeps_its_own_side_or_is_not_said():
    population, p = _population(5, 0.9, 0.1)  # 5 customers: below the minimum
    tags = pd.Series("small_medium", index=population.customer_id)
    sides = explain.measure_sides(population, tags, p)
    assert sides["last_visit_no_order"] is None
    assert sides["due"] == "for"


def test_an_old_list_without_sides_reads_as_reasons_for():
    old = [{"code": "due", "every": 30, "since": 31}, {"code": "key_account"}]
    assert explain.split(old) == (old, [])
    assert i18n.reason_text(old[0], "en").startswith("Usually orders every 30 days")
    assert i18n.reason_text({**old[1], "side": "against"}, "en") == i18n.reason_text(old[1], "en")


def test_the_direction_table_says_whether_a_fact_points_the_way_the_model_does():
    up = [{"code": "due"}]
    down = [{"code": "not_due", "side": "against"}]
    reasons = [up, up, down, down, [], [{"code": "little_history"}]]
    p = np.array([0.6, 0.5, 0.1, 0.2, 0.3, 0.3])
    table = explain.direction_table(reasons, p, labels=np.array([1, 1, 0, 0, 0, 1])).set_index(
        "code"
    )
    assert set(table.index) == {"due", "not_due"}  # the caveat is not a direction
    assert table.loc["due", "agrees"] and table.loc["not_due", "agrees"]
    assert table.loc["due", "mean_p_with"] == pytest.approx(0.55)
    assert table.loc["not_due", "order_rate_with"] == 0.0
    flipped = explain.direction_table(reasons, 1 - p).set_index("code")
    assert not flipped.loc["due", "agrees"] and not flipped.loc["not_due", "agrees"]
