"""The hold-out's units read with ranges (sql/holdout_units.sql) are those the rule gives from
the outcome views (purchase_values, observed_until), on both backends: a day with an order
record and a won visit, a won visit without an amount, a customer handed over within a period,
a period chosen from its middle, some reps only, and data ending before the last list day."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from repurchase.accounts import auth
from repurchase.evaluation import holdout_proof, holdout_sums, outcomes
from repurchase.services import proof
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse, sql

pytestmark = pytest.mark.both_backends

WINDOW = 7
FIRST = date(2026, 5, 4)
LAST = date(2026, 6, 30)  # the small demo's last visit day


@pytest.fixture
def listed(small_warehouse) -> Warehouse:
    """The small demo with four-week hold-out periods from 6 April, call lists on the days
    before about a third of the visits since April (one in seven held out), R001's first
    customer handed to R002 in May's period, and on 12 June an order record beside a won
    visit, and a won visit without an amount."""
    with small_warehouse.transaction() as cur:
        cur.execute(
            """
            insert into call_lists (list_date, rep_id, customer_id, rank, p_order,
                                    model_version, created_at, held_out)
            select
                cast(visited_at as date) - cast(visit_id % 5 as integer) as list_date,
                rep_id,
                customer_id,
                1,
                min((visit_id % 10) / 10.0),
                'v1',
                timestamp '2026-04-01',
                bool_or(visit_id % 7 = 0)
            from visits
            where visited_at >= timestamp '2026-04-06' and visit_id % 3 = 0
            group by all
            """
        )
        cur.execute(
            """
            insert into holdout_assignments (period_start, period_end, customer_id, rep_id,
                                             share, seed)
            select
                cast(s as date),
                cast(s as date) + 28,
                'none',
                'none',
                0.1,
                1
            from range(timestamp '2026-04-06', timestamp '2026-07-27', interval 28 day) t(s)
            """
        )
        moved = cur.execute(
            "select customer_id from call_lists where rep_id = 'R001' "
            "and list_date >= '2026-05-04' order by list_date, customer_id limit 1"
        ).fetchone()[0]
        cur.execute(
            "insert into call_lists (list_date, rep_id, customer_id, rank, p_order, "
            "model_version, created_at, held_out) values ('2026-05-20', 'R002', $c, 2, 0.33, "
            "'v1', timestamp '2026-04-01', false) on conflict do nothing",
            {"c": moved},
        )
        one, other = cur.execute(
            "select customer_id from call_lists where list_date between '2026-06-01' and "
            "'2026-06-28' group by customer_id having min(list_date) = '2026-06-10' "
            "order by customer_id limit 2"
        ).fetchall()
        cur.execute(
            "insert into orders (customer_id, order_date, amount, source) "
            "values ($c, '2026-06-12', 40, 'test')",
            {"c": one[0]},
        )
        for customer, amount in ((one[0], 15), (other[0], None)):
            cur.execute(
                "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, "
                "result, order_amount, source, entered_by) select owner_rep_id, customer_id, "
                "timestamp '2026-06-12 10:00', 'phone', 'active', 'relationship', 'order', "
                "$a, 'app', 'test' from customers where customer_id = $c",
                {"c": customer, "a": amount},
            )
    return small_warehouse


def units_by_the_rule(wh: Warehouse, first: date, last: date, reps: list[str]) -> pd.DataFrame:
    """The units from the views, in pandas: each (period, customer)'s first list row between
    `first` and `last` among `reps`' lists, kept if its window closed by observed_until, with
    its purchases (purchase_values) in the window and in the period's length before it."""
    with wh.connect() as cur:
        lists = cur.execute("select * from call_lists").df()
        periods = cur.execute(
            "select distinct period_start, period_end from holdout_assignments"
        ).df()
        purchases = cur.execute("select * from purchase_values").df()
        last_day = pd.Timestamp(cur.execute("select last_day from observed_until").fetchone()[0])
    lists["list_date"] = pd.to_datetime(lists.list_date)
    lists = lists[
        lists.list_date.between(pd.Timestamp(first), pd.Timestamp(last)) & lists.rep_id.isin(reps)
    ]
    periods = periods.apply(pd.to_datetime)
    rows = lists.merge(periods, how="cross")
    rows = rows[(rows.list_date >= rows.period_start) & (rows.list_date < rows.period_end)]
    rows = rows.sort_values(["list_date", "created_at"])
    units = rows.groupby(["period_start", "customer_id"], as_index=False).first()
    units = units[units.list_date + pd.Timedelta(days=WINDOW) <= last_day + pd.Timedelta(days=1)]
    purchases["day"] = pd.to_datetime(purchases.day)
    by_customer = dict(tuple(purchases.groupby("customer_id")))
    ordered, value, prior = [], [], []
    for unit in units.itertuples():
        days = by_customer.get(unit.customer_id, purchases.iloc[:0])
        after = days[
            (days.day >= unit.list_date) & (days.day < unit.list_date + pd.Timedelta(days=WINDOW))
        ]
        length = unit.period_end - unit.period_start
        before = days[(days.day >= unit.period_start - length) & (days.day < unit.period_start)]
        ordered.append(not after.empty)
        value.append(float(after.amount.sum()))
        prior.append(len(before))
    return pd.DataFrame(
        {
            "period_start": units.period_start.to_numpy(),
            "customer_id": units.customer_id.to_numpy(),
            "rep_id": units.rep_id.to_numpy(),
            "held_out": units.held_out.astype(bool).to_numpy(),
            "first_listed": units.list_date.to_numpy(),
            "ordered": ordered,
            "order_value": value,
            "p_order": units.p_order.to_numpy(),
            "prior_orders": prior,
        }
    ).reset_index(drop=True)


def assert_same_units(wh: Warehouse, first: date, last: date, reps: list[str]) -> pd.DataFrame:
    found = holdout_proof.holdout_units(wh, first, last, reps, WINDOW)
    expected = units_by_the_rule(wh, first, last, reps)
    found = found.assign(
        period_start=pd.to_datetime(found.period_start),
        first_listed=pd.to_datetime(found.first_listed),
    )
    pd.testing.assert_frame_equal(
        found.reset_index(drop=True), expected, check_dtype=False, check_index_type=False
    )
    return found


def _everyone(wh: Warehouse) -> list[str]:
    return wh.query("scope_reps", role="admin", rep_id=None, team=None).rep_id.tolist()


def test_the_units_are_the_rules_over_every_period_and_rep(listed):
    units = assert_same_units(listed, FIRST, LAST, _everyone(listed))
    assert units.held_out.any() and units.ordered.any() and (units.prior_orders > 0).any()
    assert units.period_start.nunique() == 2  # June 29th's lists have no closed window yet
    # the closed windows only: none listed in the last week of data
    assert units.first_listed.max() <= pd.Timestamp(LAST - timedelta(days=WINDOW - 1))
    # 12 June's purchases: an order record beside a won visit, a won visit without an amount
    june = units[units.first_listed == pd.Timestamp(2026, 6, 10)].head(2)
    assert len(june) == 2 and june.ordered.all() and (june.order_value.iloc[0] >= 40)


@pytest.mark.parametrize(
    ("first", "last", "reps"),
    [
        (date(2026, 5, 18), LAST, None),  # from the middle of May's period
        (FIRST, date(2026, 6, 14), ["R002", "R003"]),  # the handed-over customer's new rep
        (date(2026, 4, 6), date(2026, 8, 31), ["R001"]),  # data ends weeks before the last day
    ],
)
def test_any_period_and_reps_give_the_rules_units(listed, first, last, reps):
    assert not assert_same_units(listed, first, last, reps or _everyone(listed)).empty


def test_the_cohort_pages_proofs_and_lift_are_the_rules(listed):
    admin = auth.users.add(
        listed, "probe_admin", "a long probe passphrase", "admin", by=auth.SYSTEM
    )
    proofs, lift = proof.cohort_holdout(listed, admin, FIRST, LAST)
    expected = units_by_the_rule(listed, FIRST, LAST, _everyone(listed))
    assert lift == outcomes.lift_of(expected, WINDOW)
    found = {p.team: p.proof for p in proofs}
    reps = listed.query("scope_reps", role="admin", rep_id=None, team=None)
    for team, members in reps.assign(team=reps.team.fillna("")).groupby("team"):
        mine = expected[expected.rep_id.isin(members.rep_id)]
        assert found[team] == holdout_proof.prove(mine, share=found[team].holdout_share)


def _same_proofs(found: list[proof.TeamProof], expected: list[proof.TeamProof]) -> None:
    assert [p.team for p in found] == [p.team for p in expected]
    for one, other in zip(found, expected, strict=True):
        for field in one.proof.__dataclass_fields__:
            x, y = getattr(one.proof, field), getattr(other.proof, field)
            assert x == (pytest.approx(y, rel=1e-9, nan_ok=True) if isinstance(x, float) else y)


def test_the_nightly_sums_give_the_live_proof_until_a_change_makes_them_stale(listed):
    admin = auth.users.add(
        listed, "probe_admin", "a long probe passphrase", "admin", by=auth.SYSTEM
    )
    first, last = listed.query("list_period").iloc[0]
    first, last = first.date(), last.date()
    live, live_lift = proof.cohort_holdout(listed, admin, first, last)
    assert all(p.as_of is None for p in live) and live_lift.control > 0

    kept = holdout_sums.build(listed)
    assert kept is not None and kept.first_day == first
    assert kept.last_listed <= last - timedelta(days=WINDOW - 1)
    found, lift = proof.cohort_holdout(listed, admin, first, last)
    assert all(p.as_of == kept.built_at for p in found)
    _same_proofs(found, live)
    assert (lift.treated, lift.treated_ordered, lift.control, lift.control_ordered) == (
        live_lift.treated,
        live_lift.treated_ordered,
        live_lift.control,
        live_lift.control_ordered,
    )
    assert lift.value.difference == pytest.approx(live_lift.value.difference, rel=1e-9)
    # a manager's team only: the kept sums of their reps, the proof of their team
    team = next(p for p in found if p.team)
    manager = auth.users.add(
        listed,
        "probe_manager",
        "a long probe passphrase",
        "manager",
        team=team.team,
        by=auth.SYSTEM,
    )
    mine, _ = proof.cohort_holdout(listed, manager, first, last)
    assert [p.team for p in mine] == [team.team]
    _same_proofs(mine, [team])

    # a period from the middle of the lists is not what the sums hold: read live
    middle, _ = proof.cohort_holdout(listed, admin, date(2026, 5, 18), last)
    assert all(p.as_of is None for p in middle)

    # a change of a day the sums counted: stale until the next build
    with listed.transaction() as cur:
        cur.execute(sql("holdout_sums_stale"), {"day": date(2026, 6, 12)})
    assert holdout_sums.read(listed, first, last, _everyone(listed)) is None
    again, _ = proof.cohort_holdout(listed, admin, first, last)
    assert all(p.as_of is None for p in again)
    # a change after the last day they counted leaves them standing
    holdout_sums.build(listed)
    with listed.transaction() as cur:
        cur.execute(sql("holdout_sums_stale"), {"day": LAST + timedelta(days=30)})
    assert holdout_sums.read(listed, first, last, _everyone(listed)) is not None


def test_an_order_import_for_a_counted_day_makes_the_sums_stale(listed, tmp_path):
    holdout_sums.build(listed)
    first, last = (d.date() for d in listed.query("list_period").iloc[0])
    assert holdout_sums.read(listed, first, last, _everyone(listed)) is not None
    with listed.connect() as cur:
        customer = cur.execute("select customer_id from customers limit 1").fetchone()[0]
    orders = tmp_path / "orders.csv"
    orders.write_text(f"customer_id,order_date,amount\n{customer},2026-05-20,75\n")
    report = importer.import_files(listed, [orders], kind="orders")
    assert report.inserted.get("orders") == 1
    assert holdout_sums.read(listed, first, last, _everyone(listed)) is None
