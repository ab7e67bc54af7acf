"""The rep's worklist in the data layer: snooze and skip (recorded, undoable, access-checked),
the next customer moving up, follow-ups derived at read time, and the read's new columns.

The values the other parts of the worklist write (expected value, churn risk, the previous
chance, contacts, visits with a follow-up date or `not_reached`) are inserted directly."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from repurchase import codes
from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError
from repurchase.evaluation import outcomes as evaluate
from repurchase.lists import score
from repurchase.lists.holdout import HoldoutPolicy
from repurchase.lists.list_actions import ListActionError
from repurchase.services import access

DAY = date(2026, 7, 1)  # the day after the small warehouse's last day with data
VERSION = "v-test"


def _customers(wh, rep_id: str) -> list[str]:
    with wh.connect() as cur:
        rows = cur.execute(
            "select customer_id from customers where owner_rep_id = $r order by customer_id",
            {"r": rep_id},
        ).fetchall()
    return [r[0] for r in rows]


def _reps(wh) -> list[str]:
    with wh.connect() as cur:
        return [r[0] for r in cur.execute("select rep_id from reps order by rep_id").fetchall()]


@pytest.fixture
def worklist(small_warehouse):
    """The small warehouse with one hand-made day: every customer of the first two reps
    scored (the rep's i-th customer by id has p_order 0.9 - 0.02 i, expected value rising
    with i), a visible list of the top 5 per rep, the 6th held out for the period."""
    wh = small_warehouse
    reps = _reps(wh)[:2]
    start, end = HoldoutPolicy().period(DAY)
    with wh.transaction() as cur:
        for table in ("call_lists", "scores", "holdout_assignments", "list_actions"):
            cur.execute(f"delete from {table}")  # noqa: S608 (a fixed table name)
        # the demo's own follow-ups (it has some due on these days): every follow-up in these
        # tests is one a test made
        cur.execute("update visits set follow_up_date = null")
        # the accounts the tests act as, stored: every write re-reads the account it acts for
        cur.execute(
            "insert into users (username, display_name, role, rep_id) "
            "select 'u-' || rep_id, rep_id, 'rep', rep_id from reps"
        )
        cur.execute(
            "insert into users (username, display_name, role) values ('boss', 'Admin', 'admin')"
        )
        for rep in reps:
            for i, customer in enumerate(_customers(wh, rep)):
                cur.execute(
                    "insert into scores (score_date, customer_id, model_version, p_order, p_raw,"
                    " horizon_days, n_history, expected_value, typical_order, churn_risk, at_risk)"
                    " values ($d, $c, $v, $p, $p, 28, 12, $ev, $typ, $risk, $flag)",
                    {
                        "d": DAY,
                        "c": customer,
                        "v": VERSION,
                        "p": 0.9 - 0.02 * i,
                        "ev": 1000.0 * i,
                        "typ": 5000.0 + i,
                        "risk": 0.05 * i,
                        "flag": i in (3, 9),
                    },
                )
                if i < 5:
                    cur.execute(
                        "insert into call_lists (list_date, rep_id, customer_id, rank, p_order,"
                        " model_version, reasons, n_history, held_out, p_previous, ranked_by)"
                        " values ($d, $r, $c, $rank, $p, $v, $reasons, 12, false, $prev,"
                        " 'probability')",
                        {
                            "d": DAY,
                            "r": rep,
                            "c": customer,
                            "rank": i + 1,
                            "p": 0.9 - 0.02 * i,
                            "v": VERSION,
                            "reasons": '[{"code": "tag", "tag": "key"}]',
                            "prev": 0.84 if i == 0 else None,
                        },
                    )
                if i == 5:
                    cur.execute(
                        "insert into holdout_assignments (period_start, period_end, customer_id,"
                        " rep_id, share, seed) values ($s, $e, $c, $r, 0.1, 17)",
                        {"s": start, "e": end, "c": customer, "r": rep},
                    )
    return wh


def _rep(rep_id: str) -> User:
    return User(f"u-{rep_id}", rep_id, "rep", rep_id=rep_id)


ADMIN = User("boss", "Admin", "admin")


def _manager(wh, rep_id: str) -> User:
    with wh.connect() as cur:
        team = cur.execute("select team from reps where rep_id = $r", {"r": rep_id}).fetchone()[0]
    return User("mgr", "Manager", "manager", team=team)


def _list(wh, rep_id: str, day: date = DAY):
    return score.rep_call_list(wh, rep_id, day)


def _visit(cur, rep, customer, when: datetime, result="no_order", follow_up=None, note=None):
    cur.execute(
        "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, result,"
        " note, source, entered_by, follow_up_date) values ($r, $c, $t, 'phone', 'active',"
        " 'relationship', $res, $note, 'app', 'test', $f)",
        {"r": rep, "c": customer, "t": when, "res": result, "note": note, "f": follow_up},
    )


# ----------------------------------------------------------------------------- the read


def test_the_read_carries_contacts_value_risk_previous_chance_and_status(worklist):
    rep = _reps(worklist)[0]
    first = _customers(worklist, rep)[0]
    with worklist.transaction() as cur:
        cur.execute(
            "update customers set contact_name = 'Ms Li', contact_phone = '+86 138 0000 0000'"
            " where customer_id = $c",
            {"c": first},
        )
    frame = _list(worklist, rep)
    assert frame.customer_id.tolist() == _customers(worklist, rep)[:5]
    assert frame["rank"].tolist() == [1, 2, 3, 4, 5]
    row = frame.iloc[0]
    assert (row.contact_name, row.contact_phone) == ("Ms Li", "+86 138 0000 0000")
    assert row.p_previous == pytest.approx(0.84)
    assert row.expected_value == 0.0 and row.typical_order == 5000.0
    assert frame.churn_risk.tolist() == pytest.approx([0.0, 0.05, 0.10, 0.15, 0.20])
    assert frame.at_risk.tolist() == [False, False, False, True, False]
    assert set(frame.status) == {"open"} and frame.on_list.all() and not frame.follow_up.any()
    assert frame.ranked_by.unique().tolist() == ["probability"]
    assert frame.reasons.iloc[0] == [{"code": "tag", "tag": "key"}]


def test_a_visit_today_shows_with_its_result_including_not_reached(worklist):
    rep = _reps(worklist)[0]
    second, third = _customers(worklist, rep)[1:3]
    with worklist.transaction() as cur:
        _visit(cur, rep, second, datetime(2026, 7, 1, 10), result="not_reached")
        _visit(cur, rep, third, datetime(2026, 7, 1, 11), result="order")
    frame = _list(worklist, rep).set_index("customer_id")
    assert frame.loc[second, "status"] == "visited"
    assert frame.loc[second, "today_result"] == "not_reached"
    assert frame.loc[third, "today_result"] == "order"
    assert frame.status.value_counts()["open"] == 3


def test_a_call_today_leaves_only_the_reasons_that_still_hold(worklist):
    """The list was scored at the start of the day: "Last call 5 days ago brought no order"
    is not true any more once the rep has called today, whatever today's call brought."""
    rep = _reps(worklist)[0]
    called, other = _customers(worklist, rep)[:2]
    stale = [
        {"code": "no_demand_recent", "days": 5, "rate": 31},
        {"code": "not_contacted", "days": 40},
        {"code": "due", "every": 30, "since": 29},
        {"code": "lapsed", "every": 10, "since": 90, "side": "against"},
    ]
    with worklist.transaction() as cur:
        cur.execute(
            "update call_lists set reasons = $r where list_date = $d and rep_id = $rep",
            {"r": json.dumps(stale), "d": DAY, "rep": rep},
        )
        _visit(cur, rep, called, datetime(2026, 7, 1, 9), result="order")
    frame = _list(worklist, rep).set_index("customer_id")
    assert frame.loc[called, "reasons"] == stale[2:]
    assert frame.loc[other, "reasons"] == stale  # not called today: as scored
    assert frame.loc[called, "days_since_visit"] == 0


def test_drifting_away_lists_the_reps_flagged_customers_highest_risk_first(worklist):
    rep, other = _reps(worklist)[:2]
    ids = _customers(worklist, rep)
    drifting = access.drifting_away(worklist, _rep(rep), rep, DAY)
    assert drifting.customer_id.tolist() == [ids[9], ids[3]]  # risk 0.45 before 0.15
    with pytest.raises(AccessDeniedError):
        access.drifting_away(worklist, _rep(rep), other, DAY)


# ----------------------------------------------------------------------------- move up


def test_a_skip_is_recorded_and_the_next_best_customer_moves_up(worklist):
    rep = _reps(worklist)[0]
    ids = _customers(worklist, rep)
    done = access.skip(worklist, _rep(rep), ids[1], "customer_away", "  back on the 12th ", DAY)
    # ids[5] is held out for the period: never moved up; ids[6] is next by p_order
    assert (done.moved_up, done.moved_up_rank) == (ids[6], 6)
    with worklist.connect() as cur:
        action = cur.execute(
            "select rep_id, customer_id, action, first_day, until_day, reason, note, entered_by,"
            " undone_at from list_actions where action_id = $a",
            {"a": done.action_id},
        ).fetchone()
        moved = cur.execute(
            "select rank, model_version, added_for, held_out, p_order, ranked_by from call_lists"
            " where list_date = $d and customer_id = $c",
            {"d": DAY, "c": ids[6]},
        ).fetchone()
    assert action == (
        rep, ids[1], "skip", DAY, DAY + timedelta(days=1), "customer_away", "back on the 12th",
        f"u-{rep}", None,
    )  # fmt: skip
    assert moved == (6, VERSION, "moved_up", False, pytest.approx(0.9 - 0.12), "probability")
    frame = _list(worklist, rep)
    assert frame.customer_id.tolist() == [ids[0], ids[2], ids[3], ids[4], ids[6], ids[1]]
    skipped = frame.iloc[-1]
    assert skipped.status == "set_aside" and skipped.set_aside_action == "skip"
    assert skipped.set_aside_reason == "customer_away"
    assert skipped.set_aside_until.date() == DAY + timedelta(days=1)
    assert frame.set_index("customer_id").added_for[ids[6]] == "moved_up"


def test_a_value_ranked_list_moves_up_by_expected_value(worklist):
    rep = _reps(worklist)[0]
    ids = _customers(worklist, rep)
    with worklist.transaction() as cur:
        cur.execute("update call_lists set ranked_by = 'value'")
    done = access.snooze(worklist, _rep(rep), ids[0], 3, DAY)
    assert done.moved_up == ids[-1]  # the largest expected value among the rest


def test_snoozed_and_held_out_customers_never_move_up(worklist):
    rep = _reps(worklist)[0]
    ids = _customers(worklist, rep)
    user = _rep(rep)
    access.snooze(worklist, user, ids[6], 5, DAY - timedelta(days=2))  # in force today
    first = access.skip(worklist, user, ids[0], "other", None, DAY)
    assert first.moved_up == ids[7]
    second = access.snooze(worklist, user, ids[1], 30, DAY)
    assert (second.moved_up, second.moved_up_rank) == (ids[8], 7)
    shown = set(_list(worklist, rep).customer_id)
    assert ids[5] not in shown and ids[6] not in shown


def test_the_model_version_of_the_list_is_the_one_moved_up_from(worklist):
    rep = _reps(worklist)[0]
    ids = _customers(worklist, rep)
    with worklist.transaction() as cur:
        # a later model scored the same day: the list's model still decides who is next
        cur.execute(
            "insert into scores (score_date, customer_id, model_version, p_order, p_raw,"
            " horizon_days, n_history) values ($d, $c, 'v-later', 0.99, 0.99, 28, 12)",
            {"d": DAY, "c": ids[-1]},
        )
    done = access.skip(worklist, _rep(rep), ids[0], "other", None, DAY)
    assert done.moved_up == ids[6]


def test_undo_keeps_the_moved_up_row_and_both_count_as_on_list(worklist):
    rep = _reps(worklist)[0]
    ids = _customers(worklist, rep)
    user = _rep(rep)
    done = access.skip(worklist, user, ids[2], "in_touch_otherwise", None, DAY)
    access.undo_list_action(worklist, user, done.action_id, DAY)
    with worklist.connect() as cur:
        undone = cur.execute(
            "select undone_by, undone_at is not null from list_actions where action_id = $a",
            {"a": done.action_id},
        ).fetchone()
    assert undone == (f"u-{rep}", True)  # kept, marked undone
    frame = _list(worklist, rep)
    assert frame.customer_id.tolist() == ids[:5] + [ids[6]]
    assert set(frame.status) == {"open"}
    with pytest.raises(ListActionError) as err:
        access.undo_list_action(worklist, user, done.action_id, DAY)
    assert err.value.key == "worklist.error.not_in_force"
    # a visit to either after the skip is an on-list visit for the evaluation
    with worklist.transaction() as cur:
        _visit(cur, rep, ids[2], datetime(2026, 7, 1, 15))
        _visit(cur, rep, ids[6], datetime(2026, 7, 1, 16))
    visits = evaluate.on_list_visits(worklist, DAY, DAY)
    mine = visits[visits.customer_id.isin([ids[2], ids[6]])]
    assert len(mine) == 2 and mine.on_list.all()


def test_a_skip_of_a_customer_not_on_the_list_moves_nobody_up(worklist):
    rep = _reps(worklist)[0]
    ids = _customers(worklist, rep)
    done = access.snooze(worklist, _rep(rep), ids[12], 7, DAY)
    assert done.moved_up is None
    assert len(_list(worklist, rep)) == 5


def test_a_customer_already_set_aside_cannot_be_set_aside_again(worklist):
    rep = _reps(worklist)[0]
    ids = _customers(worklist, rep)
    access.skip(worklist, _rep(rep), ids[0], "other", None, DAY)
    with pytest.raises(ListActionError) as err:
        access.snooze(worklist, _rep(rep), ids[0], 2, DAY)
    assert err.value.key == "worklist.error.already_set_aside"
    with worklist.connect() as cur:
        assert cur.execute("select count(*) from list_actions").fetchone()[0] == 1


# ----------------------------------------------------------------------------- validation, access


@pytest.mark.parametrize(
    ("days", "reason", "note", "key"),
    [
        (0, None, None, "worklist.error.days"),
        (31, None, None, "worklist.error.days"),
        (-3, None, None, "worklist.error.days"),
        ("7", None, None, "worklist.error.days"),
        (None, "bored", None, "worklist.error.reason"),
        (None, None, None, "worklist.error.reason"),
        (None, "other", "x" * 201, "worklist.error.note"),
    ],
)
def test_bad_snoozes_and_skips_are_refused_by_name_and_write_nothing(
    worklist, days, reason, note, key
):
    rep = _reps(worklist)[0]
    customer = _customers(worklist, rep)[0]
    with pytest.raises(ListActionError) as err:
        if days is not None:
            access.snooze(worklist, _rep(rep), customer, days, DAY)
        else:
            access.skip(worklist, _rep(rep), customer, reason, note, DAY)
    assert err.value.key == key
    with worklist.connect() as cur:
        assert cur.execute("select count(*) from list_actions").fetchone()[0] == 0
        assert cur.execute("select count(*) from call_lists").fetchone()[0] == 10


def test_a_rep_cannot_snooze_skip_or_undo_for_another_reps_customer(worklist):
    rep, other = _reps(worklist)[:2]
    theirs = _customers(worklist, other)[0]
    with pytest.raises(AccessDeniedError):
        access.snooze(worklist, _rep(rep), theirs, 3, DAY)
    with pytest.raises(AccessDeniedError):
        access.skip(worklist, _rep(rep), theirs, "other", None, DAY)
    done = access.skip(worklist, _rep(other), theirs, "other", None, DAY)
    with pytest.raises(AccessDeniedError):
        access.undo_list_action(worklist, _rep(rep), done.action_id, DAY)
    with worklist.connect() as cur:
        assert cur.execute("select count(*) from list_actions").fetchone()[0] == 1


def test_a_manager_sees_but_cannot_snooze_and_an_admin_acts_for_the_owner(worklist):
    rep = _reps(worklist)[0]
    customer = _customers(worklist, rep)[0]
    manager = _manager(worklist, rep)
    assert customer in set(access.call_list(worklist, manager, rep, DAY).customer_id)
    with pytest.raises(AccessDeniedError):
        access.snooze(worklist, manager, customer, 3, DAY)
    done = access.snooze(worklist, ADMIN, customer, 3, DAY)
    with worklist.connect() as cur:
        row = cur.execute(
            "select rep_id, entered_by from list_actions where action_id = $a",
            {"a": done.action_id},
        ).fetchone()
    assert row == (rep, "boss")  # the rep's list, the admin's name on the record


# ----------------------------------------------------------------------------- follow-ups


def test_a_follow_up_shows_first_on_its_day_and_overdue_after_whatever_the_score(worklist):
    rep = _reps(worklist)[0]
    ids = _customers(worklist, rep)
    low = ids[-1]  # far below the list
    with worklist.transaction() as cur:
        _visit(cur, rep, low, datetime(2026, 6, 30, 23), follow_up=DAY, note="call about Q3")
    frame = _list(worklist, rep)
    assert frame.customer_id.iloc[0] == low and frame["rank"].iloc[0] == 1
    row = frame.iloc[0]
    assert row.follow_up and row.follow_up_date.date() == DAY
    assert row.follow_up_note == "call about Q3" and not row.on_list
    assert row.p_order == pytest.approx(0.9 - 0.02 * (len(ids) - 1))  # the day's score
    assert frame.customer_id.tolist()[1:] == ids[:5]
    later = _list(worklist, rep, date(2026, 7, 3))  # overdue: still there, since its day
    assert later.customer_id.tolist() == [low] and later.follow_up.all()
    assert later.follow_up_date.iloc[0].date() == DAY and not later.on_list.any()
    assert _list(worklist, rep, date(2026, 6, 30)).empty  # not before its day
    last = DAY + timedelta(days=codes.FOLLOW_UP_OVERDUE_DAYS)  # overdue for two weeks at most
    assert _list(worklist, rep, last).customer_id.tolist() == [low]
    assert _list(worklist, rep, last + timedelta(days=1)).empty


def test_a_later_visit_clears_a_follow_up_and_one_today_marks_it_worked(worklist):
    rep = _reps(worklist)[0]
    ids = _customers(worklist, rep)
    with worklist.transaction() as cur:
        _visit(cur, rep, ids[15], datetime(2026, 6, 30, 20), follow_up=DAY)
        _visit(cur, rep, ids[15], datetime(2026, 6, 30, 21))  # called back already: cleared
        _visit(cur, rep, ids[16], datetime(2026, 6, 30, 20), follow_up=DAY)
        _visit(cur, rep, ids[16], datetime(2026, 7, 1, 9), result="not_reached")
    frame = _list(worklist, rep).set_index("customer_id")
    assert ids[15] not in frame.index
    assert frame.loc[ids[16], "follow_up"] and frame.loc[ids[16], "status"] == "visited"
    assert frame.loc[ids[16], "today_result"] == "not_reached"
    assert ids[16] not in set(_list(worklist, rep, date(2026, 7, 2)).customer_id)


def test_follow_ups_are_never_written_to_call_lists_nor_counted_on_list(worklist):
    rep = _reps(worklist)[0]
    ids = _customers(worklist, rep)
    with worklist.transaction() as cur:
        _visit(cur, rep, ids[15], datetime(2026, 6, 30, 20), follow_up=DAY)
    assert ids[15] in set(_list(worklist, rep).customer_id)
    with worklist.transaction() as cur:
        listed = cur.execute(
            "select count(*) from call_lists where customer_id = $c", {"c": ids[15]}
        ).fetchone()[0]
        _visit(cur, rep, ids[15], datetime(2026, 7, 1, 14), result="order")
    assert listed == 0
    visits = evaluate.on_list_visits(worklist, DAY, DAY)
    assert visits[visits.customer_id == ids[15]].on_list.tolist() == [False]


def test_another_reps_follow_ups_never_show_and_a_handed_over_one_follows_the_owner(worklist):
    rep, other = _reps(worklist)[:2]
    theirs = _customers(worklist, other)[10]
    mine = _customers(worklist, rep)[10]
    with worklist.transaction() as cur:
        _visit(cur, other, theirs, datetime(2026, 6, 30, 20), follow_up=DAY)
        # a visit by someone else still puts the follow-up on the owner's list
        _visit(cur, other, mine, datetime(2026, 6, 30, 21), follow_up=DAY)
    assert theirs not in set(_list(worklist, rep).customer_id)
    assert mine in set(_list(worklist, rep).customer_id)
    assert mine not in set(_list(worklist, other).customer_id)
    with worklist.transaction() as cur:
        cur.execute("update customers set owner_rep_id = $o where customer_id = $c",
                    {"o": other, "c": mine})  # fmt: skip
    assert mine not in set(_list(worklist, rep).customer_id)
    assert mine in set(_list(worklist, other).customer_id)
