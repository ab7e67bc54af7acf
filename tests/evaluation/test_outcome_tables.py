"""The cohort page's figures from the outcome tables the nightly job keeps equal the figures
computed from the raw visits (outcomes.on_list_visits), on both backends: before any build,
after one, with a visit saved today, a backdated visit, an import of past visits and a past
day's list written again."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from repurchase.accounts import auth
from repurchase.errors import AccessDeniedError
from repurchase.evaluation import outcome_tables, outcomes
from repurchase.lists import score
from repurchase.services import cohorts, visits
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse

pytestmark = pytest.mark.both_backends

# The small demo's visits end on 30 June 2026; the tests' clock is the next morning.
FIRST = date(2026, 5, 4)
TODAY = date(2026, 7, 1)
NIGHT = datetime(2026, 7, 1, 2, 0)  # the nightly job's run before the day's work
NOW = datetime(2026, 7, 1, 10, 0)
VISIT_HEADER = "rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount"


@pytest.fixture
def listed(small_warehouse) -> Warehouse:
    """The small demo with call lists: about a third of the visits since May had their customer
    listed on the visit's day or up to 4 days before (some held out), and every visit entered
    an hour after it was made, as a rep would, so that a build before the day counts them.
    Two of the four reps move to a second team, so that a manager's scope narrows."""
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
                0.5,
                'v1',
                timestamp '2026-04-01',
                bool_or(visit_id % 7 = 0)
            from visits
            where visited_at >= timestamp '2026-05-01' and visit_id % 3 = 0
            group by all
            """
        )
        cur.execute("update visits set entered_at = visited_at + interval 1 hour")
        cur.execute("update reps set team = 'T02' where rep_id in ('R003', 'R004')")
    return small_warehouse


def _everyone(wh: Warehouse) -> list[str]:
    return wh.query("scope_reps", role="admin", rep_id=None, team=None).rep_id.tolist()


def assert_same_figures(wh: Warehouse, last: date = TODAY) -> pd.DataFrame:
    """The page's three tables from the counts equal those from the raw visits, for every
    rep and narrowed to one team, one method and one level."""
    raw = outcomes.on_list_visits(wh, FIRST, last)
    counts = outcome_tables.outcome_counts(wh, FIRST, last, _everyone(wh))
    assert raw.on_list.any() and not raw.on_list.all()  # both sides are counted
    for team, methods, level in [(None, [], None), ("T01", [], None), (None, ["phone"], "mid")]:
        mine = cohorts.filter_visits(raw, team, methods, level)
        found = cohorts.filter_visits(counts, team, methods, level)
        assert not mine.empty
        pd.testing.assert_frame_equal(
            outcome_tables.on_off_table(found, 30), outcomes.on_off_table(mine, 30)
        )
        pd.testing.assert_frame_equal(
            outcome_tables.weekly_trend(found), outcomes.weekly_trend(mine)
        )
        pd.testing.assert_frame_equal(
            outcome_tables.per_rep_table(found), outcomes.per_rep_table(mine)
        )
    return counts


def _covered(wh: Warehouse) -> tuple[date | None, int]:
    with wh.connect() as cur:
        found = outcome_tables.coverage(cur)
    return found.built_through, wh.table_counts()["visit_outcomes_daily"]


def test_the_figures_are_the_raw_visits_before_and_after_a_build(listed):
    before = assert_same_figures(listed)  # nothing built: every day is read live
    assert _covered(listed) == (None, 0)

    built = outcome_tables.build(listed, TODAY, NIGHT)
    assert (built.first, built.through, built.cutoff) == (
        outcome_tables.BEGINNING,
        date(2026, 6, 30),
        datetime(2026, 7, 1),
    )
    through, rows = _covered(listed)
    assert through == date(2026, 6, 30) and rows > 0
    after = assert_same_figures(listed)
    pd.testing.assert_frame_equal(after, before)

    again = outcome_tables.build(listed, TODAY, NIGHT)  # nothing changed: nothing counted again
    assert again.first > again.through
    assert _covered(listed)[1] == rows


def test_a_visit_saved_today_and_a_backdated_one_count_at_once_and_after_the_next_build(listed):
    outcome_tables.build(listed, TODAY, NIGHT)
    rep = auth.users.add(
        listed, "probe_rep", "a long probe passphrase", "rep", rep_id="R001", by=auth.SYSTEM
    )
    on_list = listed.query("visits_on_list", first=date(2026, 6, 20), last=date(2026, 6, 30))
    mine = on_list[(on_list.rep_id == "R001") & on_list.on_list]
    customer, day = mine.customer_id.iloc[0], mine.visit_day.iloc[0]
    before = outcome_tables.outcome_counts(listed, FIRST, TODAY, _everyone(listed))

    today = visits.VisitInput(customer, NOW, "phone", "active", "relationship", "order", "", 10)
    backdated = visits.VisitInput(
        customer, datetime.combine(day, datetime.min.time()) + timedelta(hours=11), "phone",
        "active", "relationship", "order", "", 20,
    )  # fmt: skip
    visits.log_visit(listed, rep, today, NOW)
    visits.log_visit(listed, rep, backdated, NOW)
    counts = assert_same_figures(listed)
    assert counts.on_visits.sum() >= before.on_visits.sum() + 1  # the backdated one, listed
    assert counts.on_visits.sum() + counts.off_visits.sum() == (
        before.on_visits.sum() + before.off_visits.sum() + 2
    )

    # the next night counts them into the table; the figures stay the raw visits'
    built = outcome_tables.build(listed, TODAY + timedelta(days=1), NIGHT + timedelta(days=1))
    assert built.first == pd.Timestamp(day).date()  # from the backdated visit's day
    assert _covered(listed)[0] == TODAY
    pd.testing.assert_frame_equal(assert_same_figures(listed), counts)


def test_an_import_of_past_visits_is_counted_and_the_table_reads_its_days_live(listed, tmp_path):
    outcome_tables.build(listed, TODAY, NIGHT)
    on_list = listed.query("visits_on_list", first=date(2026, 6, 1), last=date(2026, 6, 30))
    listed_visits = on_list[on_list.on_list].head(3)
    lines = [VISIT_HEADER] + [
        f"{v.rep_id},{v.customer_id},{pd.Timestamp(v.visit_day).date()} 16:00,phone,active,"
        f"relationship,order,imported,5"
        for v in listed_visits.itertuples()
    ]
    path = tmp_path / "visits.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert importer.import_files(listed, [path], now=NOW).inserted == {"visits": 3}

    first_day = min(pd.Timestamp(d).date() for d in listed_visits.visit_day)
    assert _covered(listed)[0] == first_day - timedelta(days=1)  # moved back by the import
    counts = assert_same_figures(listed)
    outcome_tables.build(listed, TODAY, NIGHT)  # built again from the import's first day
    assert _covered(listed)[0] == date(2026, 6, 30)
    pd.testing.assert_frame_equal(assert_same_figures(listed), counts)


def test_a_past_days_list_written_again_is_read_live_until_built_again(listed):
    outcome_tables.build(listed, TODAY, NIGHT)
    day = date(2026, 6, 20)
    with listed.connect() as cur:
        old = cur.execute("select * from call_lists where list_date = $d", {"d": day}).df()
    # 20 June's list again, its first customer gone and nobody held out
    kept = old[old.customer_id != old.customer_id.min()]
    rows = kept.assign(
        list_rank=kept["rank"], on_list=True, withheld=False, reasons=None, n_history=1,
        ranked_by="probability",
    )  # fmt: skip
    again = score.DayLists(day, "v2", 30, rows, None)
    assert score.write_lists(listed, again, replace=True)

    assert _covered(listed)[0] == day - timedelta(days=1)  # in the list's own transaction
    counts = assert_same_figures(listed)
    outcome_tables.build(listed, TODAY, NIGHT)
    pd.testing.assert_frame_equal(assert_same_figures(listed), counts)


def test_a_manager_counts_their_team_and_a_rep_none(listed):
    outcome_tables.build(listed, TODAY, NIGHT)
    manager = auth.users.add(
        listed, "probe_mgr", "a long probe passphrase", "manager", team="T01", by=auth.SYSTEM
    )
    rep = auth.users.add(
        listed, "probe_rep", "a long probe passphrase", "rep", rep_id="R001", by=auth.SYSTEM
    )
    counts = cohorts.team_outcomes(listed, manager, FIRST, TODAY)
    team = listed.query("scope_reps", role="manager", rep_id=None, team="T01").rep_id
    assert set(counts.rep_id) == set(team) and len(set(team)) < len(_everyone(listed))
    with pytest.raises(AccessDeniedError):
        cohorts.team_outcomes(listed, rep, FIRST, TODAY)
