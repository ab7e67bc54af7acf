"""Managers reassign customers within their team, reps correct contacts
(repurchase/services/customer_changes.py): who may, what moves with the customer (today's
lists, the access rules), what is recorded, and that an import still wins.

On the DuckDB file and on PostgreSQL: the change is one transaction on either.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError
from repurchase.services import access, customer_changes
from repurchase.warehouse import importer

from ..conftest import snapshot

pytestmark = pytest.mark.both_backends

TODAY = date(2026, 7, 8)
NOW = datetime(2026, 7, 8, 10, 30)
MANAGER = User("boss", "Boss", "manager", None, "T01")
OTHER_MANAGER = User("boss2", "Boss Two", "manager", None, "T02")
ADMIN = User("root", "Root", "admin")


def _rep_user(rep_id: str) -> User:
    return User(rep_id.lower(), rep_id, "rep", rep_id, None)


@pytest.fixture
def team(small_warehouse):
    """Reps A, B, C in team T01 (C left yesterday), D in T02; today's lists of A and B with
    three customers each; the users stored, as every write re-reads its account."""
    wh = small_warehouse
    with wh.transaction() as cur:
        reps = [r[0] for r in cur.execute("select rep_id from reps order by rep_id").fetchall()]
        a, b, c, d = reps
        cur.execute("update reps set team = 'T01', left_date = null")
        cur.execute("update reps set team = 'T02' where rep_id = $d", {"d": d})
        yesterday = TODAY - timedelta(days=1)
        cur.execute("update reps set left_date = $l where rep_id = $c", {"l": yesterday, "c": c})
        for user in (MANAGER, OTHER_MANAGER, ADMIN, *(_rep_user(r) for r in reps)):
            cur.execute(
                "insert into users (username, display_name, role, rep_id, team) "
                "values ($u, $n, $r, $rep, $t)",
                {"u": user.username, "n": user.display_name, "r": user.role,
                 "rep": user.rep_id, "t": user.team},
            )  # fmt: skip
        for rep in (a, b):
            owned = [
                r[0]
                for r in cur.execute(
                    "select customer_id from customers where owner_rep_id = $r "
                    "order by customer_id limit 3",
                    {"r": rep},
                ).fetchall()
            ]
            for rank, customer in enumerate(owned, start=1):
                cur.execute(
                    "insert into call_lists (list_date, rep_id, customer_id, rank, p_order, "
                    "model_version, held_out) values ($d, $r, $c, $k, 0.5, 'v-test', false)",
                    {"d": TODAY, "r": rep, "c": customer, "k": rank},
                )
    return wh, reps


def _first_listed(wh, rep_id: str) -> str:
    """The first customer the model listed for the rep today (not a follow-up)."""
    found = access.call_list(wh, ADMIN, rep_id, TODAY)
    return str(found[found.on_list].sort_values("list_rank").customer_id.iloc[0])


def test_a_reassignment_moves_the_customer_between_both_lists_and_the_access_at_once(team):
    wh, (a, b, _c, _d) = team
    customer = _first_listed(wh, a)
    rep_a, rep_b = _rep_user(a), _rep_user(b)
    assert access.customer_history(wh, rep_a, customer)["profile"].owner_rep_id == a
    with pytest.raises(AccessDeniedError):
        access.customer_history(wh, rep_b, customer)
    b_before = access.call_list(wh, rep_b, b, TODAY).customer_id.tolist()

    moved = customer_changes.reassign(wh, MANAGER, [customer], b, TODAY, expected_owner=a, now=NOW)

    assert moved == [customer_changes.Moved(customer, a, b, 1)]
    # the old owner's list for today no longer holds it, the new owner's does, last
    assert customer not in access.call_list(wh, rep_a, a, TODAY).customer_id.tolist()
    b_after = access.call_list(wh, rep_b, b, TODAY)
    assert b_after.customer_id.tolist() == [*b_before, customer]
    assert b_after.set_index("customer_id").added_for[customer] == "reassigned"
    assert b_after.set_index("customer_id").on_list[customer]
    # the customer page: the old owner is refused, the new one reads it
    with pytest.raises(AccessDeniedError):
        access.customer_history(wh, rep_a, customer)
    assert access.customer_history(wh, rep_b, customer)["profile"].owner_rep_id == b
    # the old owner can no longer log a visit to it either (owner checked in the write)
    assert customer not in access.customers(wh, rep_a).customer_id.tolist()
    # recorded: who, when, from, to
    history = customer_changes.changes(wh, rep_b, customer)
    row = history.iloc[0]
    assert (row.change, row.changed_by, row.changed_at) == ("owner", "boss", pd.Timestamp(NOW))
    assert (row.before, row.after) == ({"owner_rep_id": a}, {"owner_rep_id": b})


def test_yesterdays_list_stays_as_the_rep_saw_it(team):
    wh, (a, b, _c, _d) = team
    customer = _first_listed(wh, a)
    with wh.transaction() as cur:
        cur.execute(
            "insert into call_lists (list_date, rep_id, customer_id, rank, p_order, "
            "model_version, held_out) values ($d, $r, $c, 1, 0.5, 'v-test', false)",
            {"d": TODAY - timedelta(days=1), "r": a, "c": customer},
        )
    customer_changes.reassign(wh, ADMIN, [customer], b, TODAY, now=NOW)
    rows = wh.query("call_list_rows_count", customer_id=customer, rep_id=b, day=date(2000, 1, 1))
    assert rows.rows.iloc[0] == 1  # today's copy only; the evaluation reads what A was shown


def test_several_customers_move_in_one_transaction_or_none_do(team):
    wh, (a, b, _c, d) = team
    mine = access.customers(wh, _rep_user(a)).customer_id.tolist()[:3]
    foreign = access.customers(wh, _rep_user(d)).customer_id.iloc[0]
    before = snapshot(wh)
    with pytest.raises(AccessDeniedError):  # D's customer is in another team: not the manager's
        customer_changes.reassign(wh, MANAGER, [*mine, foreign], b, TODAY, now=NOW)
    assert snapshot(wh) == before
    moved = customer_changes.reassign(wh, MANAGER, mine, b, TODAY, expected_owner=a, now=NOW)
    assert [m.customer_id for m in moved] == mine
    owners = access.customers(wh, ADMIN).set_index("customer_id").owner_rep_id
    assert set(owners[mine]) == {b}


@pytest.mark.parametrize(
    ("who", "to", "error"),
    [
        ("rep", "b", AccessDeniedError),  # a rep never reassigns, not even their own
        ("other_manager", "b", AccessDeniedError),  # not their team's customer
        ("manager", "c", customer_changes.ChangeRefusedError),  # C left yesterday
        ("manager", "d", customer_changes.ChangeRefusedError),  # D is in another team
        ("admin", "d", customer_changes.ChangeRefusedError),  # admins too keep to the team
        ("manager", "a", customer_changes.ChangeRefusedError),  # already A's
        ("manager", "nobody", customer_changes.ChangeRefusedError),
    ],
)
def test_refused_reassignments_change_nothing(team, who, to, error):
    wh, (a, b, c, d) = team
    users = {"rep": _rep_user(a), "manager": MANAGER, "other_manager": OTHER_MANAGER}
    users["admin"] = ADMIN
    targets = {"a": a, "b": b, "c": c, "d": d, "nobody": "R-NOBODY"}
    customer = _first_listed(wh, a)
    before = snapshot(wh)
    with pytest.raises(error):
        customer_changes.reassign(wh, users[who], [customer], targets[to], TODAY, now=NOW)
    assert snapshot(wh) == before


def test_a_customer_moved_meanwhile_is_not_moved_again(team):
    wh, (a, b, _c, _d) = team
    customer = _first_listed(wh, a)
    customer_changes.reassign(wh, ADMIN, [customer], b, TODAY, now=NOW)
    with pytest.raises(customer_changes.ChangeRefusedError) as refused:
        # the manager's page still showed A as the owner
        customer_changes.reassign(wh, MANAGER, [customer], a, TODAY, expected_owner=a, now=NOW)
    assert refused.value.key == "manage.error.moved_meanwhile"


def test_a_manager_disabled_a_moment_ago_moves_nothing(team):
    wh, (a, b, _c, _d) = team
    customer = _first_listed(wh, a)
    with wh.transaction() as cur:
        cur.execute("update users set disabled_at = now() where username = 'boss'")
    before = snapshot(wh)
    with pytest.raises(AccessDeniedError, match="changed or disabled"):
        customer_changes.reassign(wh, MANAGER, [customer], b, TODAY, now=NOW)
    assert snapshot(wh) == before


def test_the_targets_offered_are_the_working_reps_of_the_same_team(team):
    wh, (a, b, c, d) = team
    assert customer_changes.reassign_targets(wh, MANAGER, a, TODAY).rep_id.tolist() == [b]
    # a rep who left: the manager hands their customers to those still working
    assert customer_changes.reassign_targets(wh, MANAGER, c, TODAY).rep_id.tolist() == [a, b]
    assert customer_changes.reassign_targets(wh, _rep_user(a), a, TODAY).empty
    with pytest.raises(AccessDeniedError):
        customer_changes.reassign_targets(wh, MANAGER, d, TODAY)


# ----------------------------------------------------------------------------- contacts


def test_a_rep_corrects_their_customers_contact_and_it_is_recorded(team):
    wh, (a, _b, _c, _d) = team
    customer = _first_listed(wh, a)
    rep_a = _rep_user(a)
    stored = wh.query("customer_profile", customer_id=customer).iloc[0]
    shown = (stored.contact_name, stored.contact_phone)  # what the form showed
    assert customer_changes.correct_contact(
        wh, rep_a, customer, "  Ms 李 ", "+86 (138) 0013-8000", expected=shown, now=NOW
    )
    card = access.call_list(wh, rep_a, a, TODAY).set_index("customer_id").loc[customer]
    assert (card.contact_name, card.contact_phone) == ("Ms 李", "+86 (138) 0013-8000")
    row = customer_changes.changes(wh, rep_a, customer).iloc[0]
    assert (row.change, row.changed_by) == ("contact", rep_a.username)
    assert row.before == {"contact_name": shown[0], "contact_phone": shown[1]}
    assert row.after == {"contact_name": "Ms 李", "contact_phone": "+86 (138) 0013-8000"}
    # the same values again record nothing
    before = snapshot(wh)
    assert not customer_changes.correct_contact(wh, rep_a, customer, "Ms 李", "+86 (138) 0013-8000")
    assert snapshot(wh) == before


def test_contacts_are_corrected_only_in_scope(team):
    wh, (a, b, _c, d) = team
    customer = _first_listed(wh, a)
    before = snapshot(wh)
    for user in (_rep_user(b), OTHER_MANAGER):
        with pytest.raises(AccessDeniedError):
            customer_changes.correct_contact(wh, user, customer, "X", "123")
    assert snapshot(wh) == before
    assert customer_changes.correct_contact(wh, MANAGER, customer, "Mr Wang", "")
    assert customer_changes.correct_contact(wh, ADMIN, customer, "", "010 1234 5678")


@pytest.mark.parametrize(
    ("name", "phone", "field", "key"),
    [
        ("Ms Li", "call me", "contact_phone", "manage.error.phone"),
        ("Ms Li", "12", "contact_phone", "manage.error.phone"),  # too few digits
        ("Ms Li", "+86 138 0013 8000 ext 5", "contact_phone", "manage.error.phone"),
        ("Ms Li", "1" * 31, "contact_phone", "manage.error.phone_long"),
        ("Ms Li", "138+0013", "contact_phone", "manage.error.phone"),  # + only first
        ("x" * 101, "123", "contact_name", "manage.error.name_long"),
        ("Ms\nLi", "123", "contact_name", "manage.error.control"),
    ],
)
def test_a_bad_contact_is_named_and_nothing_is_written(team, name, phone, field, key):
    wh, (a, _b, _c, _d) = team
    customer = _first_listed(wh, a)
    before = snapshot(wh)
    with pytest.raises(customer_changes.ContactValidationError) as bad:
        customer_changes.correct_contact(wh, _rep_user(a), customer, name, phone)
    assert [(p.field, p.key) for p in bad.value.problems] == [(field, key)]
    assert snapshot(wh) == before


def test_a_contact_changed_meanwhile_is_not_overwritten(team):
    wh, (a, _b, _c, _d) = team
    customer = _first_listed(wh, a)
    stored = wh.query("customer_profile", customer_id=customer).iloc[0]
    shown = (stored.contact_name, stored.contact_phone)  # the rep's form, opened before
    customer_changes.correct_contact(wh, MANAGER, customer, "Mr Wang", "123 456")
    with pytest.raises(customer_changes.ChangeRefusedError) as refused:
        customer_changes.correct_contact(wh, _rep_user(a), customer, "Ms Li", "999", shown)
    assert refused.value.key == "manage.error.contact_meanwhile"


def test_an_import_that_carries_contacts_still_wins(team, tmp_path):
    wh, (a, _b, _c, _d) = team
    customer = _first_listed(wh, a)
    customer_changes.correct_contact(wh, _rep_user(a), customer, "Ms Li", "+86 138 0000 0000")
    stored = wh.query("customer_profile", customer_id=customer).iloc[0]
    file = tmp_path / "customers.csv"
    pd.DataFrame(
        [
            {
                **{k: stored[k] for k in ("customer_id", "name", "customer_type", "industry")},
                "tag": stored.tag,
                "owner_rep_id": a,
                "contact_name": "Mr Zhao (ERP)",
                "contact_phone": "021 5555 6666",
            }
        ]
    ).to_csv(file, index=False)
    importer.import_files(wh, [file], kind="customers")
    card = access.call_list(wh, _rep_user(a), a, TODAY).set_index("customer_id").loc[customer]
    assert (card.contact_name, card.contact_phone) == ("Mr Zhao (ERP)", "021 5555 6666")
    # the correction stays in the record of what the app changed
    assert customer_changes.changes(wh, ADMIN, customer).change.tolist() == ["contact"]


def test_a_held_out_customer_stays_in_the_control_group_when_handed_over(team):
    wh, (a, b, _c, _d) = team
    customer = next(
        c
        for c in access.customers(wh, _rep_user(a)).customer_id
        if c not in access.call_list(wh, ADMIN, a, TODAY).customer_id.values
    )
    with wh.transaction() as cur:
        cur.execute(
            "insert into call_lists (list_date, rep_id, customer_id, rank, p_order, "
            "model_version, held_out) values ($d, $r, $c, 4, 0.5, 'v-test', true)",
            {"d": TODAY, "r": a, "c": customer},
        )
    moved = customer_changes.reassign(wh, MANAGER, [customer], b, TODAY, now=NOW)
    assert moved[0].list_rows == 0  # never shown to A, not shown to B either
    assert customer not in access.call_list(wh, _rep_user(b), b, TODAY).customer_id.values


def test_a_customer_handed_over_is_one_unit_of_the_hold_out_as_first_listed(team):
    """The copy on the new owner's list must not make a second unit: the customer had one
    chance to order in the period, given by the rep who saw it first."""
    from repurchase.evaluation import holdout_proof

    wh, (a, b, _c, _d) = team
    day = date(2026, 6, 1)  # the unit's 7-day window closes before the data's last day
    customer = _first_listed(wh, a)
    with wh.transaction() as cur:
        cur.execute(
            "insert into call_lists (list_date, rep_id, customer_id, rank, p_order, "
            "model_version, held_out) values ($d, $r, $c, 1, 0.4, 'v-test', false)",
            {"d": day, "r": a, "c": customer},
        )
        cur.execute(
            "insert into holdout_assignments (period_start, period_end, customer_id, rep_id, "
            "share, seed) values ($d, $e, 'someone held out', $r, 0.1, 1)",
            {"d": day, "e": day + timedelta(days=28), "r": a},
        )
    customer_changes.reassign(wh, MANAGER, [customer], b, day, expected_owner=a, now=NOW)
    with wh.connect() as cur:
        listed = cur.execute(
            "select rep_id from call_lists where list_date = $d and customer_id = $c",
            {"d": day, "c": customer},
        ).fetchall()
    assert sorted(r[0] for r in listed) == sorted([a, b])  # on both reps' lists that day

    units = holdout_proof.holdout_units(wh, day, day, [a, b])
    mine = units[units.customer_id == customer]
    assert len(mine) == 1
    assert (mine.rep_id.iloc[0], bool(mine.held_out.iloc[0])) == (a, False)
    assert mine.p_order.iloc[0] == pytest.approx(0.4)
