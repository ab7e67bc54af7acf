"""The hold-out compares what orders were worth, not only whether they came."""

from __future__ import annotations

import numpy as np
import pytest

from repurchase.evaluation import outcomes as evaluate


def _visit(cur, customer: str, when: str, result: str, amount: float | None) -> None:
    cur.execute(
        "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, result,"
        " order_amount, source, entered_by) values ('R1', $c, $w, 'phone', 'active',"
        " 'relationship', $r, $a, 'app', 'li')",
        {"c": customer, "w": when, "r": result, "a": amount},
    )


def _order(cur, customer: str, day: str, amount: float) -> None:
    cur.execute(
        "insert into orders (customer_id, order_date, amount, source) values ($c, $d, $a, 'erp')",
        {"c": customer, "d": day, "a": amount},
    )


def test_a_won_visit_that_is_also_an_order_record_is_worth_the_record_once(empty_warehouse):
    with empty_warehouse.transaction() as cur:
        _visit(cur, "C1", "2026-03-02 10:00", "order", 900.0)  # the rep's estimate
        _order(cur, "C1", "2026-03-02", 1000.0)  # the ERP's figure, the same order
        _visit(cur, "C2", "2026-03-02 11:00", "order", 300.0)  # no record: the visit's amount
        _visit(cur, "C3", "2026-03-03 09:00", "order", None)  # unpriced: a purchase worth 0
        _order(cur, "C4", "2026-03-04", 50.0)  # online, no visit
        _order(cur, "C4", "2026-03-04", 25.0)
        _visit(cur, "C5", "2026-03-05 09:00", "no_order", 999.0)  # not a purchase
    with empty_warehouse.connect() as cur:
        rows = cur.execute(
            "select customer_id, cast(day as varchar), amount from purchase_values order by 1"
        ).fetchall()
    assert rows == [
        ("C1", "2026-03-02", 1000.0),
        ("C2", "2026-03-02", 300.0),
        ("C3", "2026-03-03", 0.0),
        ("C4", "2026-03-04", 75.0),
    ]


def test_the_value_difference_has_an_interval_that_narrows_with_more_customers():
    rng = np.random.default_rng(3)

    def draw(n: int) -> evaluate.ValueLift:
        treated = np.where(rng.random(n) < 0.3, rng.gamma(2.0, 500.0, n), 0.0)
        control = np.where(rng.random(n) < 0.2, rng.gamma(2.0, 500.0, n), 0.0)
        lift = evaluate.ValueLift.of(treated, control)
        assert lift is not None
        assert lift.difference == pytest.approx(treated.mean() - control.mean())
        assert lift.low < lift.difference < lift.high
        return lift

    small, large = draw(200), draw(20_000)
    assert (large.high - large.low) < (small.high - small.low) / 5
    assert large.low > 0  # 0.3 x 1000 vs 0.2 x 1000: a real difference, found
    assert evaluate.ValueLift.of(np.array([1.0]), np.array([0.0, 2.0])) is None
