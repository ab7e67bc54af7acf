"""Random entries thrown at the visit form's save (hypothesis): any Unicode (NUL and other
control characters, markup, `=1+1`), huge, negative and non-finite amounts, times in the
future or long past, unknown results, someone else's customer.

The property: each save either stores exactly what was typed (an empty note is none, the
amount to the cent, only on an order) or is refused with problems naming fields of the form
(or an access refusal for a customer that is not the rep's), the warehouse untouched. It never
crashes with anything else.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repurchase.accounts import auth
from repurchase.errors import AccessDeniedError
from repurchase.services import visits
from repurchase.warehouse.store import Warehouse

NOW = datetime(2026, 6, 30, 15, 0)
FIELDS = {
    "customer_id",
    "visited_at",
    "method",
    "target",
    "purpose",
    "result",
    "note",
    "order_amount",
}
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", "phone", "=1+1", "<b>x</b>", "**x**", "a\x00b", "\u202eabc", "电话"]
)
AMOUNTS = st.one_of(
    st.sampled_from(
        [None, 250.0, 0.005, 1.235, 999_999_999_999.99, 1e13, math.nan, math.inf, -0.01]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
)
WHEN = st.datetimes(min_value=NOW - timedelta(days=40), max_value=NOW + timedelta(days=2))


def mostly(valid: list, wild: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly values the form offers, sometimes anything: each example then has one or two
    wild fields, so the checks of every field are reached, not only the first that fails."""
    return st.integers(0, 3).flatmap(lambda n: st.sampled_from(valid) if n else wild)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, _small_warehouse_file):
    import shutil

    target = tmp_path_factory.mktemp("visits_property") / "w.duckdb"
    shutil.copy(_small_warehouse_file, target)
    wh = Warehouse(target)
    auth.users.add(wh, "prop_rep", "a long probe passphrase", "rep", rep_id="R001", by=auth.SYSTEM)
    return wh


def _customers(wh: Warehouse) -> tuple[str, str]:
    with wh.connect() as cur:
        own = cur.execute("select min(customer_id) from customers where owner_rep_id = 'R001'")
        own = own.fetchone()[0]
        other = cur.execute("select min(customer_id) from customers where owner_rep_id <> 'R001'")
        return own, other.fetchone()[0]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    which=st.sampled_from(["own", "own", "own", "other", "random"]),
    random_customer=TEXT,
    when=st.one_of(st.just(NOW - timedelta(hours=2)), WHEN),
    method=mostly(["phone", "onsite"], TEXT),
    target=mostly(["active"], TEXT),
    purpose=mostly(["relationship"], TEXT),
    result=mostly(["order", "order", "no_order"], TEXT),
    note=mostly(["", "called"], TEXT | st.text(max_size=2100)),
    amount=AMOUNTS,
)
def test_a_save_stores_exactly_what_was_typed_or_says_which_field_is_wrong(
    warehouse, which, random_customer, when, method, target, purpose, result, note, amount
):
    rep = auth.user(warehouse, "prop_rep")
    own, other = _customers(warehouse)
    customer = {"own": own, "other": other, "random": random_customer}[which]
    entry = visits.VisitInput(customer, when, method, target, purpose, result, note, amount)
    before = warehouse.table_counts()
    try:
        visit_id = visits.log_visit(warehouse, rep, entry, NOW)
    except visits.VisitValidationError as exc:
        assert exc.problems and {p.field for p in exc.problems} <= FIELDS
        assert warehouse.table_counts() == before
        return
    except AccessDeniedError:
        assert customer != own
        assert warehouse.table_counts() == before
        return
    # accepted: everything a careful reader of the form's rules would accept
    assert customer == own and result in ("order", "no_order")
    assert NOW - timedelta(days=visits.BACKDATE_DAYS) <= when <= NOW + timedelta(minutes=1)
    assert amount is None or (math.isfinite(amount) and 0 <= amount <= visits.AMOUNT_MAX)
    with warehouse.connect() as cur:
        row = cur.execute(
            "select customer_id, visited_at, method, target, purpose, result, note, "
            "cast(order_amount as double) from visits where visit_id = $v",
            {"v": visit_id},
        ).fetchone()
    stored_amount = row[7]
    expected_amount = amount if result == "order" else None
    assert row[:6] == (customer, when, method, target, purpose, result)
    assert row[6] == (note or None)
    if expected_amount is None:
        assert stored_amount is None
    else:
        assert stored_amount == pytest.approx(round(expected_amount, 2), abs=0.0051)
