"""The customer page's counts agree with each other and with the call list: an order is an
order record or a visit that ended in an order, once per day."""

from __future__ import annotations

from datetime import date, datetime

from repurchase.accounts.auth import User
from repurchase.services import access

ADMIN = User("boss", "Admin", "admin")


def _a_customer_with_order_visits(wh) -> str:
    with wh.connect() as cur:
        return cur.execute(
            "select customer_id from visits where result = 'order'"
            " group by customer_id order by count(*) desc, customer_id limit 1"
        ).fetchone()[0]


def _visit(cur, customer: str, when: datetime, result: str) -> None:
    cur.execute(
        "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, result,"
        " note, order_amount, source, entered_by) select owner_rep_id, customer_id, $t,"
        " 'phone', 'active', 'relationship', $res, null, null, 'app', 'test'"
        " from customers where customer_id = $c",
        {"c": customer, "t": when, "res": result},
    )


def test_orders_taken_on_calls_count_as_orders_once_per_day(small_warehouse):
    wh = small_warehouse
    customer = _a_customer_with_order_visits(wh)
    with wh.transaction() as cur:
        cur.execute("delete from orders where customer_id = $c", {"c": customer})
        cur.execute("delete from visits where customer_id = $c", {"c": customer})
        # two calls with an order on one day, one on another, a call without an order
        _visit(cur, customer, datetime(2026, 5, 4, 9), "order")
        _visit(cur, customer, datetime(2026, 5, 4, 15), "order")
        _visit(cur, customer, datetime(2026, 5, 20, 10), "order")
        _visit(cur, customer, datetime(2026, 6, 1, 10), "no_order")
    profile = access.customer_history(wh, ADMIN, customer)["profile"]
    assert (int(profile.visits), int(profile.successful_visits)) == (4, 3)
    assert int(profile.orders) == 2  # not 0: the orders were taken on the calls
    with wh.transaction() as cur:
        # an order record the same day as a call's order is the same order; one on its own
        # day (an online order) is another
        for day in (date(2026, 5, 20), date(2026, 6, 10)):
            cur.execute(
                "insert into orders (customer_id, order_date, amount, source)"
                " values ($c, $d, 100, 'import')",
                {"c": customer, "d": day},
            )
    profile = access.customer_history(wh, ADMIN, customer)["profile"]
    assert int(profile.orders) == 3
