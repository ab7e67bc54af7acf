"""The manager's today (repurchase/team_today.py) and the weekly report, on a constructed day.

The rows other parts of the worklist write (call lists, not-reached visits, snoozes and skips,
at-risk flags) are inserted directly into a copy of the small warehouse, after its history
ends, so every count below is known by construction.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError
from repurchase.services import team_today, weekly_report

DAY = date(2026, 7, 8)  # a Wednesday, a week after the small warehouse's history ends
MONDAY = date(2026, 7, 6)
MANAGER = User("boss", "Boss", "manager", None, "T01")
ADMIN = User("root", "Root", "admin")


def _rep(rep_id: str) -> User:
    return User(rep_id.lower(), rep_id, "rep", rep_id, None)


def _owned(cur, rep_id: str, n: int) -> list[str]:
    rows = cur.execute(
        "select customer_id from customers where owner_rep_id = $r order by customer_id limit $n",
        {"r": rep_id, "n": n},
    ).fetchall()
    assert len(rows) == n
    return [r[0] for r in rows]


def _list(cur, day: date, rep_id: str, customers: list[str], held_out: bool = False) -> None:
    for rank, customer in enumerate(customers, start=1):
        cur.execute(
            "insert into call_lists (list_date, rep_id, customer_id, rank, p_order, "
            "model_version, held_out) values ($d, $r, $c, $k, 0.5, 'v-test', $h)",
            {"d": day, "r": rep_id, "c": customer, "k": rank, "h": held_out},
        )


def _visit(cur, rep_id: str, customer: str, when: datetime, result: str) -> None:
    cur.execute(
        "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, result, "
        "order_amount, source, entered_by) values ($r, $c, $t, 'phone', 'active', "
        "'needs_discovery', $res, $amount, 'app', $r)",
        {
            "r": rep_id,
            "c": customer,
            "t": when,
            "res": result,
            "amount": 100.0 if result == "order" else None,
        },
    )


def _action(cur, rep_id, customer, action, first, until, entered_at, undone=False) -> None:
    cur.execute(
        "insert into list_actions (rep_id, customer_id, action, first_day, until_day, reason, "
        "entered_by, entered_at, undone_at, undone_by) values ($r, $c, $a, $f, $u, 'busy', $r, "
        "$e, $x, $y)",
        {
            "r": rep_id,
            "c": customer,
            "a": action,
            "f": first,
            "u": until,
            "e": entered_at,
            "x": entered_at + timedelta(minutes=5) if undone else None,
            "y": rep_id if undone else None,
        },
    )


def _score(cur, day: date, customer: str, at_risk: bool | None, created: datetime) -> None:
    cur.execute(
        "insert into scores (score_date, customer_id, model_version, p_order, p_raw, "
        "horizon_days, n_history, created_at, at_risk, churn_risk) "
        "values ($d, $c, $v, 0.3, 0.3, 28, 12, $t, $a, 0.5)",
        {"d": day, "c": customer, "v": f"v-{created:%H%M}", "t": created, "a": at_risk},
    )


@pytest.fixture
def team(small_warehouse):
    """Four reps: A, B and C in team T01, D in T02; C left before DAY. Returns the warehouse
    and the reps' ids and customers."""
    wh = small_warehouse
    with wh.transaction() as cur:
        reps = [r[0] for r in cur.execute("select rep_id from reps order by rep_id").fetchall()]
        a, b, c, d = reps
        cur.execute("update reps set team = 'T01', left_date = null")
        cur.execute("update reps set team = 'T02' where rep_id = $d", {"d": d})
        cur.execute("update reps set left_date = $l where rep_id = $c", {"l": DAY, "c": c})
        ca, cb, cd = _owned(cur, a, 14), _owned(cur, b, 6), _owned(cur, d, 3)
        at = datetime.combine(DAY, datetime.min.time())

        # rep A's list of DAY: every status once or more
        _list(cur, DAY, a, ca[:12])
        _list(cur, DAY, a, [ca[12]], held_out=True)  # the control group: never counted
        _visit(cur, a, ca[0], at.replace(hour=9), "order")  # ordered
        _visit(cur, a, ca[1], at.replace(hour=9), "no_order")  # no demand
        _visit(cur, a, ca[2], at.replace(hour=10), "not_reached")  # not reached
        _visit(cur, a, ca[3], at.replace(hour=9), "not_reached")  # reached later: ordered
        _visit(cur, a, ca[3], at.replace(hour=15), "order")
        _action(cur, a, ca[4], "snooze", DAY, DAY + timedelta(days=3), at.replace(hour=8))
        _action(cur, a, ca[5], "skip", DAY, DAY + timedelta(days=1), at.replace(hour=8))
        _action(cur, a, ca[6], "skip", DAY, DAY + timedelta(days=1), at.replace(hour=8), True)
        # a snooze taken two days before, still in force: set aside
        _action(cur, a, ca[7], "snooze", DAY - timedelta(days=2), DAY + timedelta(days=1), at)
        # a snooze that ended yesterday: open again
        _action(cur, a, ca[8], "snooze", DAY - timedelta(days=3), DAY, at)
        # skipped, then snoozed later the same day: the latest action wins
        _action(cur, a, ca[9], "skip", DAY, DAY + timedelta(days=1), at.replace(hour=8))
        _action(cur, a, ca[9], "snooze", DAY, DAY + timedelta(days=5), at.replace(hour=11))
        _visit(cur, a, ca[10], at - timedelta(hours=2), "order")  # the day before: open
        # ca[11] was handed to rep B after the list was written: off A's list
        cur.execute("update customers set owner_rep_id = $b where customer_id = $c",
                    {"b": b, "c": ca[11]})  # fmt: skip

        # rep B: on-list and off-list visits this week, an old one last week
        _list(cur, MONDAY, b, cb[:3])
        _visit(cur, b, cb[0], at.replace(hour=9) - timedelta(days=1), "order")  # on, Tuesday
        _visit(cur, b, cb[1], at.replace(hour=9), "no_order")  # on (listed Monday)
        _visit(cur, b, cb[2], at.replace(hour=9), "order")  # on
        _visit(cur, b, cb[4], at.replace(hour=11), "no_order")  # off
        _visit(cur, b, cb[5], at.replace(hour=12), "order")  # off
        _visit(cur, b, cb[3], at - timedelta(days=5), "order")  # last week: not counted

        # rep C left: not listed although they have a list; rep D has one in team T02
        _list(cur, DAY, c, _owned(cur, c, 2))
        _list(cur, DAY, d, cd)

        # risk: the latest scoring on or before DAY; of two versions that day the later counts
        early, late = at - timedelta(hours=20), at - timedelta(hours=18)
        for customer in ca[:3]:
            _score(cur, DAY - timedelta(days=1), customer, True, late)  # two flagged for A
        _score(cur, DAY - timedelta(days=1), ca[2], False, late + timedelta(minutes=1))
        _score(cur, DAY - timedelta(days=1), cb[0], False, early)
        _score(cur, DAY - timedelta(days=1), cb[0], True, late)  # B: one
        _score(cur, DAY - timedelta(days=5), cd[0], True, early)  # an older day: not counted
        _score(cur, DAY + timedelta(days=1), cd[1], True, late)  # after DAY: not counted
    return wh, {"a": a, "b": b, "c": c, "d": d, "ca": ca, "cb": cb}


def _row(period: team_today.TeamPeriod, rep_id: str) -> pd.Series:
    return period.reps.set_index("rep_id").loc[rep_id]


def test_each_listed_customer_counts_once_in_its_status(team):
    wh, ids = team
    period = team_today.team_day(wh, MANAGER, DAY)
    a = _row(period, ids["a"])
    # 12 listed, less the customer handed to B; the held-out row is never counted
    expected = {
        "listed": 11,
        "ordered": 2,
        "no_demand": 1,
        "not_reached": 1,
        "snoozed": 3,
        "skipped": 1,
        "open": 3,  # the undone skip, the snooze that ended, the visit of the day before
    }
    assert {k: int(a[k]) for k in expected} == expected
    assert a.worked == 8
    assert a.worked_share == pytest.approx(8 / 11)
    assert period.list_days == 1


def test_success_this_week_is_on_list_vs_off_list_with_intervals(team):
    wh, ids = team
    b = _row(team_today.team_day(wh, MANAGER, DAY), ids["b"])
    assert (b.on_visits, b.on_successes, b.off_visits, b.off_successes) == (3, 2, 2, 1)
    assert b.on_rate == pytest.approx(2 / 3)
    assert b.on_low < 2 / 3 < b.on_high
    assert b.listed == 0 and pd.isna(b.worked_share)  # no list today is not "0 % worked"
    assert team_today.success_text(b, "off") == "50.0% (9.5%–90.5%) 1/2"
    # Tuesday: only Tuesday's visit and Monday's list so far
    tuesday = _row(team_today.team_day(wh, MANAGER, DAY - timedelta(days=1)), ids["b"])
    assert (tuesday.on_visits, tuesday.on_successes, tuesday.off_visits) == (1, 1, 0)
    assert team_today.success_text(tuesday, "off") == "–"


def test_at_risk_counts_the_latest_scoring_and_current_owners(team):
    wh, ids = team
    period = team_today.team_day(wh, ADMIN, DAY)
    risk = period.reps.set_index("rep_id").at_risk
    assert (risk[ids["a"]], risk[ids["b"]], risk[ids["d"]]) == (2, 1, 0)
    assert period.score_day == DAY - timedelta(days=1)
    assert period.totals.at_risk == 3


def test_totals_sum_the_counts_and_recompute_the_rates(team):
    wh, _ = team
    period = team_today.team_day(wh, ADMIN, DAY)
    for column in [*team_today.COUNTS, "worked", "at_risk", "on_visits", "off_successes"]:
        assert period.totals[column] == period.reps[column].sum(), column
    on = period.reps.on_successes.sum() / period.reps.on_visits.sum()
    assert period.totals.on_rate == pytest.approx(on)
    assert period.totals.worked_share == pytest.approx(
        period.reps.worked.sum() / period.reps.listed.sum()
    )


def test_a_manager_sees_their_current_team_an_admin_everyone_a_rep_nobody(team):
    wh, ids = team
    mine = team_today.team_day(wh, MANAGER, DAY).reps
    assert set(mine.rep_id) == {ids["a"], ids["b"]}  # C left, D is in T02
    everyone = team_today.team_day(wh, ADMIN, DAY).reps
    assert set(everyone.rep_id) == {ids["a"], ids["b"], ids["d"]}
    assert _row(team_today.team_day(wh, ADMIN, DAY), ids["d"]).listed == 3
    one_team = team_today.team_day(wh, ADMIN, DAY, team="T02").reps
    assert list(one_team.rep_id) == [ids["d"]]
    # before C left, C was still working: listed
    before = team_today.team_day(wh, MANAGER, DAY - timedelta(days=1)).reps
    assert ids["c"] in set(before.rep_id)
    with pytest.raises(AccessDeniedError):
        team_today.team_day(wh, _rep(ids["a"]), DAY)
    with pytest.raises(AccessDeniedError):
        weekly_report.build(wh, _rep(ids["a"]), DAY, "en", datetime(2026, 7, 8, 18))


def test_a_day_without_lists_or_visits_is_empty_not_an_error(team):
    wh, _ = team
    period = team_today.team_day(wh, MANAGER, date(2026, 8, 3))
    assert not period.has_lists and period.visits == 0
    assert (period.reps.listed == 0).all() and len(period.reps) == 2
    assert pd.isna(period.totals.worked_share) and pd.isna(period.totals.on_rate)


def _cells(page: str, row: str) -> list[str]:
    """The cells of the table row whose first cell is `row`, unescaped."""
    for found in re.findall(r"<tr>(.*?)</tr>", page):
        cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", found)]
        if cells and cells[0] == row:
            return cells
    raise AssertionError(f"no row {row!r}")


def test_the_weekly_report_shows_the_pages_numbers(team):
    wh, ids = team
    now = datetime(2026, 7, 8, 18, 30)
    report = weekly_report.build(wh, MANAGER, DAY, "en", now)
    assert report.period.first == MONDAY and report.period.last == DAY  # cut at today
    # the week's lists are the sum of the page's days
    days = [team_today.team_day(wh, MANAGER, MONDAY + timedelta(days=i)) for i in range(3)]
    for rep_id in (ids["a"], ids["b"]):
        for column in team_today.COUNTS:
            assert _row(report.period, rep_id)[column] == sum(
                _row(d, rep_id)[column] for d in days
            ), column
    page = days[-1]  # the page on DAY: success since Monday, risk now
    for rep_id in (ids["a"], ids["b"]):
        shown, cells = _row(page, rep_id), _cells(report.html, rep_id)
        assert team_today.success_text(shown, "on") in cells
        assert team_today.success_text(shown, "off") in cells
        assert cells[-1] == str(shown.at_risk)
        week = _row(report.period, rep_id)
        assert cells[2] == str(week.listed) and cells[9] == team_today.share_text(week.worked_share)
    total = _cells(report.html, "Total")
    assert total[-1] == str(page.totals.at_risk)
    assert team_today.success_text(page.totals, "on") in total
    assert "Generated 2026-07-08 18:30 for Boss. Data up to 2026-07-08." in report.html
    assert "Team T01" in report.html and "in progress" in report.html
    assert report.file_name == "weekly_report_2026-07-06.html"


def test_the_report_escapes_hostile_names_and_speaks_chinese(team):
    wh, ids = team
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>&'
    with wh.transaction() as cur:
        cur.execute("update reps set name = $n where rep_id = $r", {"n": hostile, "r": ids["a"]})
        cur.execute("update reps set team = $n where rep_id = $r", {"n": hostile, "r": ids["d"]})
    admin = User("root", "<b>Root</b>", "admin")
    report = weekly_report.build(wh, admin, DAY, "zh", datetime(2026, 7, 9, 8))
    page = report.html
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert html.escape(hostile) in page
    assert _cells(page, ids["a"])[1] == hostile  # unescaped, the name is exactly as stored
    assert _cells(page, ids["d"])[2] == hostile  # the team column of an admin's report
    assert "回访名单周报" in page and "合计" in page and 'lang="zh-CN"' in page
    assert "<style>" in page and "http" not in page  # self-contained: no external files


def test_a_past_week_reports_all_seven_days(team):
    wh, _ = team
    report = weekly_report.build(wh, MANAGER, DAY - timedelta(days=7), "en", datetime(2026, 7, 9))
    assert report.period.first == MONDAY - timedelta(days=7)
    assert report.period.last == MONDAY - timedelta(days=1)
    assert "in progress" not in report.html


# ------------------------------------------------------------------- the daily call target


def _store_users(wh, *users: User) -> None:
    """Every write re-reads the account it acts for: the managers must be stored."""
    with wh.transaction() as cur:
        for user in users:
            cur.execute(
                "insert into users (username, display_name, role, rep_id, team) "
                "values ($u, $n, $r, $rep, $t)",
                {"u": user.username, "n": user.display_name, "r": user.role,
                 "rep": user.rep_id, "t": user.team},
            )  # fmt: skip


def test_calls_count_against_the_teams_target_per_rep_and_for_the_team(team):
    wh, ids = team
    _store_users(wh, MANAGER, ADMIN)
    period = team_today.team_day(wh, MANAGER, DAY)
    a = _row(period, ids["a"])
    assert a.calls == 5 and pd.isna(a.target) and pd.isna(a.calls_share)  # no target yet

    assert team_today.set_daily_target(wh, MANAGER, "T01", 8, DAY) is None
    period = team_today.team_day(wh, MANAGER, DAY)
    a, b = _row(period, ids["a"]), _row(period, ids["b"])
    # every visit of the day counts, whatever came of it (A: 5, not-reached ones included)
    assert (a.calls, a.target, a.calls_share) == (5, 8, pytest.approx(5 / 8))
    assert (b.calls, b.target, b.calls_share) == (4, 8, pytest.approx(4 / 8))
    totals = period.totals
    assert (totals.calls, totals.target_calls) == (9, 16)
    assert totals.calls_share == pytest.approx(9 / 16)
    # the admin's view: team T02 has no target, so D's calls count but not in the share
    everyone = team_today.team_day(wh, ADMIN, DAY)
    assert pd.isna(_row(everyone, ids["d"]).target)
    assert everyone.totals.target_calls == 16


def test_a_target_holds_from_the_day_it_is_set_and_past_days_keep_theirs(team):
    wh, ids = team
    _store_users(wh, MANAGER)
    team_today.set_daily_target(wh, MANAGER, "T01", 6, DAY - timedelta(days=1))
    assert team_today.set_daily_target(wh, MANAGER, "T01", 10, DAY) == 6
    assert team_today.set_daily_target(wh, MANAGER, "T01", 12, DAY) == 10  # replaced that day
    assert team_today.daily_targets(wh, DAY - timedelta(days=1)) == {"T01": 6}
    assert team_today.daily_targets(wh, DAY) == {"T01": 12}
    assert team_today.daily_targets(wh, DAY - timedelta(days=2)) == {}
    week = team_today.team_week(wh, MANAGER, DAY, until=DAY)  # Monday to Wednesday
    assert _row(week, ids["a"]).target_calls == 12 * 3


@pytest.mark.parametrize(
    ("who", "team_name", "calls", "error", "key"),
    [
        ("rep", "T01", 8, AccessDeniedError, None),
        ("manager", "T02", 8, AccessDeniedError, None),  # not their team
        ("manager", "T01", 0, team_today.TargetError, "team.target.error.range"),
        ("manager", "T01", 201, team_today.TargetError, "team.target.error.range"),
        ("manager", "T01", 7.5, team_today.TargetError, "team.target.error.range"),
        ("manager", "T01", float("nan"), team_today.TargetError, "team.target.error.number"),
        ("manager", "T01", "8", team_today.TargetError, "team.target.error.number"),
        ("admin", "T09", 8, team_today.TargetError, "team.target.error.team"),
    ],
)
def test_a_refused_target_changes_nothing(team, who, team_name, calls, error, key):
    wh, ids = team
    users = {"rep": _rep(ids["a"]), "manager": MANAGER, "admin": ADMIN}
    _store_users(wh, MANAGER, ADMIN)
    with pytest.raises(error) as refused:
        team_today.set_daily_target(wh, users[who], team_name, calls, DAY)
    if key:
        assert refused.value.key == key
    assert team_today.daily_targets(wh, DAY) == {}


def test_an_admin_sets_any_teams_target(team):
    wh, _ids = team
    _store_users(wh, ADMIN)
    team_today.set_daily_target(wh, ADMIN, "T02", 20, DAY)
    assert team_today.daily_targets(wh, DAY) == {"T02": 20}
