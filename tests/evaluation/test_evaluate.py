"""Evaluation metrics on small hand-made warehouses whose right answers are worked out by hand."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest

from repurchase.evaluation import outcomes as evaluate
from repurchase.warehouse.store import Warehouse


def test_wilson_interval_matches_the_textbook():
    low, high = evaluate.wilson(5, 10)  # Newcombe (1998), table I
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    assert evaluate.wilson(0, 10)[0] == 0.0
    assert all(np.isnan(evaluate.wilson(0, 0)))


def test_difference_interval_matches_newcombes_example():
    low, high = evaluate.newcombe_difference(56, 70, 48, 80)  # Newcombe (1998), method 10
    assert (low, high) == (pytest.approx(0.0524, abs=1e-4), pytest.approx(0.3339, abs=1e-4))


def test_two_proportion_test_by_hand():
    # 30/100 vs 20/100: pooled 0.25, se = sqrt(0.25 * 0.75 * 0.02) = 0.061237, z = 1.633
    assert evaluate.two_proportion_test(30, 100, 20, 100) == pytest.approx(0.1025, abs=1e-3)


def test_expected_calibration_error_by_hand():
    p = np.array([0.1, 0.1, 0.9, 0.9])
    y = np.array([0, 0, 1, 0])
    # bin 0.1: predicted 0.1, observed 0 -> 0.1 x 2; bin 0.9: predicted 0.9, observed 0.5 -> 0.4 x 2
    assert evaluate.expected_calibration_error(p, y) == pytest.approx(0.25)
    curve = evaluate.reliability(p, y)
    assert curve["count"].tolist() == [2, 2]
    assert curve.observed.tolist() == [0.0, 0.5]


@pytest.fixture
def hand(tmp_path) -> Warehouse:
    """Two reps, a few customers, lists and visits laid out so every figure is countable."""
    wh = Warehouse(tmp_path / "hand.duckdb")
    with wh.transaction() as cur:
        cur.execute(
            """
            insert into reps (rep_id, name, gender, birth_date, hire_date, level) values
                ('A', 'Young', 'M', '2002-01-01', '2026-01-01', 'junior'),  -- 0.4 y, age 24
                ('B', 'Older', 'F', '1990-01-01', '2024-01-01', 'junior')   -- 2.4 y, age 36
            """
        )
        cur.execute(
            """
            insert into customers (customer_id, name, customer_type, industry, tag, owner_rep_id)
            select 'C' || i, 'c' || i, 'trader', 'consumer', 'key',
                   case when i < 5 then 'A' else 'B' end
            from range(1, 9) t(i)
            """
        )
        lists = [  # list_date, rep, customer, held_out, version
            ("2026-06-01", "A", "C1", False, "v1"),
            ("2026-06-01", "A", "C2", False, "v1"),
            ("2026-06-01", "A", "C3", True, "v1"),  # withheld: never counts as on-list
            ("2026-06-01", "B", "C5", False, "v1"),
            ("2026-06-08", "A", "C1", False, "v2"),
            ("2026-06-08", "B", "C6", False, "v2"),
            ("2026-06-08", "B", "C7", True, "v2"),
        ]
        for day, rep, customer, held, version in lists:
            cur.execute(
                "insert into call_lists (list_date, rep_id, customer_id, rank, p_order, "
                "model_version, held_out) values ($d, $r, $c, 1, 0.5, $v, $h)",
                {"d": day, "r": rep, "c": customer, "v": version, "h": held},
            )
        visits = [  # when, rep, customer, result
            ("2026-06-03 10:00", "A", "C1", "order"),  # on-list (listed 06-01)    success
            ("2026-06-04 10:00", "A", "C2", "no_order"),  # on-list                 failure
            ("2026-06-04 11:00", "A", "C3", "order"),  # withheld -> off-list      success
            ("2026-06-05 10:00", "A", "C4", "no_order"),  # never listed: off       failure
            ("2026-06-09 10:00", "B", "C5", "order"),  # listed 06-01, 8 days: off  success
            ("2026-06-10 10:00", "B", "C6", "order"),  # on-list (06-08)           success
            ("2026-06-10 11:00", "B", "C8", "no_order"),  # off                    failure
            ("2026-06-11 10:00", "A", "C1", "no_order"),  # on-list (06-08)         failure
        ]
        for when, rep, customer, result in visits:
            cur.execute(
                "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, "
                "result, source, entered_by) "
                "values ($r, $c, $t, 'phone', 'x', 'x', $res, 'test', 't')",
                {"r": rep, "c": customer, "t": datetime.fromisoformat(when), "res": result},
            )
        cur.execute(
            "insert into orders (customer_id, order_date, amount, source) values "
            "('C7', '2026-06-20', 5, 'test')"
        )
        cur.execute(
            """
            insert into holdout_assignments
                (period_start, period_end, customer_id, rep_id, share, seed)
            values ('2026-05-25', '2026-06-22', 'C3', 'A', 0.1, 1),
                   ('2026-05-25', '2026-06-22', 'C7', 'B', 0.1, 1)
            """
        )
    return wh


def test_on_list_means_listed_for_that_rep_within_the_seven_days_up_to_the_visit(hand):
    visits = evaluate.on_list_visits(hand, date(2026, 6, 1), date(2026, 6, 30))
    on = dict(
        zip(visits.customer_id + "@" + visits.visit_day.astype(str), visits.on_list, strict=True)
    )
    assert (
        on["C1@2026-06-03"] and on["C2@2026-06-04"] and on["C6@2026-06-10"] and on["C1@2026-06-11"]
    )
    assert not on["C3@2026-06-04"]  # withheld rows are not a list the rep saw
    assert not on["C4@2026-06-05"] and not on["C8@2026-06-10"]
    assert not on["C5@2026-06-09"]  # listed 8 days before the visit


def test_table3_counts_rates_and_cohorts(hand):
    table = evaluate.on_off_table(
        evaluate.on_list_visits(hand, date(2026, 6, 1), date(2026, 6, 30)), min_visits=3
    )
    row = table.set_index(["dimension", "cohort"])
    overall = row.loc[("overall", "all")]
    # on-list: C1 06-03 (win), C2 (loss), C6 (win), C1 06-11 (loss) -> 2 / 4
    # off-list: C3 (win), C4 (loss), C5 (win), C8 (loss)            -> 2 / 4
    assert (overall.on_visits, overall.on_successes, overall.off_visits, overall.off_successes) == (
        4,
        2,
        4,
        2,
    )
    assert overall.reps == 2 and overall.lift == pytest.approx(0.0) and not overall.small
    young = row.loc[
        ("tenure", "< 1 y")
    ]  # rep A: on 3 (C1 win, C2 loss, C1 loss), off 2 (C3 win, C4 loss)
    assert (young.on_visits, young.on_successes, young.off_visits, young.off_successes) == (
        3,
        1,
        2,
        1,
    )
    assert young.small  # 2 off-list visits < 3: marked, not hidden
    assert row.loc[("tenure", "> 2 y")].reps == 1 and row.loc[("tenure", "1-2 y")].reps == 0
    assert row.loc[("age", "21-25")].on_visits == 3 and row.loc[("age", "> 30")].on_visits == 1
    assert row.loc[("gender", "F")].off_visits == 2
    low, high = evaluate.wilson(2, 4)
    assert (overall.on_low, overall.on_high) == (pytest.approx(low), pytest.approx(high))


def test_per_rep_adoption(hand):
    visits = evaluate.on_list_visits(hand, date(2026, 6, 1), date(2026, 6, 30))
    table = evaluate.per_rep_table(visits).set_index("rep_id")
    assert table.adoption["A"] == pytest.approx(3 / 5)
    assert table.adoption["B"] == pytest.approx(1 / 3)


def test_table2_follows_listed_customers_for_seven_days(hand):
    table = evaluate.version_table(hand, date(2026, 6, 1), date(2026, 6, 30))
    totals = table[table.week == "all"].set_index("model_version")
    # v1 week: C1 visited 06-03 (win), C2 06-04 (loss), C5 06-09: 8 days later, not counted
    assert (totals.listed["v1"], totals.followup_visits["v1"], totals.followup_successes["v1"]) == (
        3,
        2,
        1,
    )
    # v2 week: C1 visited 06-11 (loss), C6 visited 06-10 (win)
    assert (totals.listed["v2"], totals.followup_visits["v2"], totals.followup_successes["v2"]) == (
        2,
        2,
        1,
    )


def test_holdout_lift_compares_listed_with_withheld(hand):
    lift = evaluate.holdout_lift(hand, date(2026, 6, 1), date(2026, 6, 30), window_days=7)
    # treated units: C1, C2, C5, C6 (first listed 06-01, 06-01, 06-01, 06-08)
    #   ordered within 7 days: C1 (06-03 visit win), C6 (06-10 win) -> 2 / 4
    # control units: C3 (withheld 06-01; won 06-04), C7 (withheld 06-08; ordered 06-20, too late)
    assert (lift.treated, lift.treated_ordered, lift.control, lift.control_ordered) == (4, 2, 2, 1)
    assert lift.difference == pytest.approx(0.0)
    assert lift.relative_lift == pytest.approx(0.0)


def test_an_open_window_is_not_counted_as_no_order(hand):
    with hand.transaction() as cur:  # a listing on the last day with data: its week is open
        cur.execute(
            "insert into call_lists (list_date, rep_id, customer_id, rank, p_order, "
            "model_version, held_out) values ('2026-06-20', 'A', 'C4', 1, 0.5, 'v2', false)"
        )
    lift = evaluate.holdout_lift(hand, date(2026, 6, 1), date(2026, 6, 30), window_days=7)
    assert lift.treated == 4  # C4's window (06-20 .. 06-26) runs past the data: left out
    totals = evaluate.version_table(hand, date(2026, 6, 1), date(2026, 6, 30))
    assert totals[totals.week == "all"].set_index("model_version").listed["v2"] == 2


def test_holdout_lift_only_counts_the_given_reps(hand):
    lift = evaluate.holdout_lift(hand, date(2026, 6, 1), date(2026, 6, 30), reps=["A"])
    # rep A: treated C1 (ordered), C2 (not); control C3 (ordered)
    assert (lift.treated, lift.treated_ordered, lift.control, lift.control_ordered) == (2, 1, 1, 1)
