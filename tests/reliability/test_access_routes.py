"""Access control over every route: a rep sees their own customers only, a manager
their team's, whatever the page, the cache or a reassignment; checked where the data is read."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.errors import AccessDeniedError
from repurchase.evaluation import outcomes as evaluate
from repurchase.services import access
from repurchase.warehouse.store import Warehouse

from .conftest import signed_in

PASSWORD = "a long probe passphrase"  # noqa: S105 - a test account


def _owned(wh: Warehouse, rep_id: str) -> set[str]:
    with wh.connect() as cur:
        rows = cur.execute(
            "select customer_id from customers where owner_rep_id = $r", {"r": rep_id}
        ).fetchall()
    return {r[0] for r in rows}


def _teammate(wh: Warehouse, user: auth.User) -> str:
    with wh.connect() as cur:
        return cur.execute(
            "select min(rep_id) from reps where team = (select team from reps where rep_id = $r) "
            "and rep_id <> $r and left_date is null",
            {"r": user.rep_id},
        ).fetchone()[0]


def _second_team(wh: Warehouse) -> str:
    """Move one rep other than the demo rep to a team of their own (the small demo is one
    team); returns that rep."""
    rep = auth.user(wh, "rep")
    with wh.transaction() as cur:
        other = cur.execute(
            "select max(rep_id) from reps where rep_id <> $r and left_date is null",
            {"r": rep.rep_id},
        ).fetchone()[0]
        cur.execute("update reps set team = 'T-other' where rep_id = $r", {"r": other})
    return other


def _listed_customers(at: AppTest) -> set[str]:
    return {
        b.key.removeprefix("list.history.")
        for b in at.button
        if (b.key or "").startswith("list.history.")
    }


def test_a_customer_handed_to_a_teammate_leaves_the_old_reps_list_at_once(app_warehouse):
    """Blocker 7: the list was read without re-checking ownership."""
    rep = auth.user(app_warehouse, "rep")
    today = date.today()
    before = access.call_list(app_warehouse, rep, rep.rep_id, today)
    assert len(before) > 3
    moved = before.customer_id.iloc[1]
    teammate = _teammate(app_warehouse, rep)
    with app_warehouse.transaction() as cur:
        cur.execute(
            "update customers set owner_rep_id = $t where customer_id = $c",
            {"t": teammate, "c": moved},
        )
    after = access.call_list(app_warehouse, rep, rep.rep_id, today)
    assert moved not in set(after.customer_id)
    assert list(after.customer_id) == [c for c in before.customer_id if c != moved]
    assert list(after["rank"]) == list(range(1, len(after) + 1))  # no gap where it was
    with pytest.raises(AccessDeniedError):
        access.customer_history(app_warehouse, rep, moved)
    new_owner = auth.users.add(
        app_warehouse, "new_owner", PASSWORD, "rep", rep_id=teammate, by=auth.SYSTEM
    )
    assert access.customer_history(app_warehouse, new_owner, moved)["profile"].customer_id == moved


def test_reading_a_list_never_writes(app_warehouse):
    """Reads never write: a day without a list is empty, not scored on the fly."""
    rep = auth.user(app_warehouse, "rep")
    with app_warehouse.transaction() as cur:
        cur.execute("delete from call_lists where list_date = $d", {"d": date.today()})
    before = app_warehouse.table_counts()
    listed = access.call_list(app_warehouse, rep, rep.rep_id, date.today())
    # only follow-ups due today (the demo has some), read from visits: nothing scored
    assert listed.follow_up.astype(bool).all()
    assert app_warehouse.table_counts() == before


def test_two_reps_on_one_server_never_see_each_others_lists_or_customers(app_warehouse):
    """The caches are shared by every session of a server: each entry is one user's."""
    rep = auth.user(app_warehouse, "rep")
    teammate = _teammate(app_warehouse, rep)
    auth.users.add(app_warehouse, "rep_b", PASSWORD, "rep", rep_id=teammate, by=auth.SYSTEM)
    first = signed_in("rep")
    second = signed_in("rep_b", PASSWORD)
    for at, rep_id in ((first, rep.rep_id), (second, teammate), (first, rep.rep_id)):
        at.switch_page("pages/call_list.py").run()
        listed = _listed_customers(at)
        assert listed and listed <= _owned(app_warehouse, rep_id)
        at.switch_page("pages/log_visit.py").run()
        offered = {o.split(" · ")[0].replace("\\", "") for o in at.selectbox[0].options}
        assert offered == _owned(app_warehouse, rep_id)


def test_every_read_refuses_what_is_outside_the_users_scope(app_warehouse):
    other_team_rep = _second_team(app_warehouse)
    rep = auth.user(app_warehouse, "rep")
    manager = auth.user(app_warehouse, "manager")
    foreign = min(_owned(app_warehouse, other_team_rep))
    today = date.today()
    for user in (rep, manager):
        with pytest.raises(AccessDeniedError):
            access.call_list(app_warehouse, user, other_team_rep, today)
        with pytest.raises(AccessDeniedError):
            access.customer_history(app_warehouse, user, foreign)
        assert foreign not in set(access.customers(app_warehouse, user).customer_id)
    with pytest.raises(AccessDeniedError):
        access.on_list_visits(app_warehouse, rep, today.replace(day=1), today)
    team = set(access.rep_ids(app_warehouse, manager))
    visits = access.on_list_visits(app_warehouse, manager, date(2000, 1, 1), today)
    assert set(visits.rep_id) <= team


def test_the_model_page_shows_a_manager_their_own_teams_lists_only(app_warehouse):
    """Blocker 10: Table 2 counted every team's lists."""
    _second_team(app_warehouse)
    manager = auth.user(app_warehouse, "manager")
    team = access.rep_ids(app_warehouse, manager)
    with app_warehouse.connect() as cur:
        first, last = cur.execute(
            "select min(list_date), max(list_date) from call_lists"
        ).fetchone()
    own = evaluate.version_table(app_warehouse, first, last, reps=team)
    everyone = evaluate.version_table(app_warehouse, first, last)
    own_total = own[own.week == "all"].listed.sum()
    assert 0 < own_total < everyone[everyone.week == "all"].listed.sum()
    at = signed_in("manager")
    at.switch_page("pages/model.py").run()
    assert not at.exception
    shown = next(d.value for d in at.dataframe if "listed" in d.value.columns)
    # the overall rows' week reads "All" in the reader's language
    assert shown[shown.week == i18n.text("common.all", "en")].listed.sum() == own_total
