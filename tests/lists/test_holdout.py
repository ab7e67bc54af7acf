"""The randomised hold-out: drawn per rep and period, recorded, never shown to a rep."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from repurchase.lists import holdout, score

from ..conftest import SMALL_UNTIL


def _customers(reps: int = 3, per_rep: int = 40) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [f"C{r}-{i}" for r in range(reps) for i in range(per_rep)],
            "rep_id": [f"R{r}" for r in range(reps) for _ in range(per_rep)],
        }
    )


def test_a_draw_takes_the_share_of_each_reps_customers_and_is_reproducible():
    policy = holdout.HoldoutPolicy(share=0.1)
    drawn = holdout.draw(_customers(), date(2026, 6, 1), policy)
    assert drawn.groupby("rep_id").size().tolist() == [4, 4, 4]
    again = holdout.draw(_customers(), date(2026, 6, 1), policy)
    assert drawn.equals(again)
    other_period = holdout.draw(_customers(), date(2026, 6, 29), policy)
    assert set(other_period.customer_id) != set(drawn.customer_id)
    assert holdout.draw(_customers(), date(2026, 6, 1), holdout.HoldoutPolicy(share=0.0)).empty


def test_each_rep_is_drawn_at_its_own_share_with_the_same_keys():
    policy = holdout.HoldoutPolicy(share=0.1, rep_shares={"R0": 0.3, "R2": 0.0})
    drawn = holdout.draw(_customers(), date(2026, 6, 1), policy)
    assert drawn.groupby("rep_id").size().to_dict() == {"R0": 12, "R1": 4}
    assert set(drawn.groupby("rep_id").share.first().items()) == {("R0", 0.3), ("R1", 0.1)}
    # the same keyed hash: the rep at 10 % keeps exactly the customers it had at 10 %
    plain = holdout.draw(_customers(), date(2026, 6, 1), holdout.HoldoutPolicy(share=0.1))
    assert set(drawn[drawn.rep_id == "R1"].customer_id) == set(
        plain[plain.rep_id == "R1"].customer_id
    )
    # and a larger share holds out the smaller one's customers and more
    assert set(plain[plain.rep_id == "R0"].customer_id) < set(
        drawn[drawn.rep_id == "R0"].customer_id
    )


def test_a_teams_share_reaches_the_draw_from_its_period_and_a_recorded_draw_stays(
    trained_warehouse,
):
    from repurchase.accounts.auth import User
    from repurchase.lists import team_settings

    with trained_warehouse.transaction() as cur:
        cur.execute("insert into users (username, display_name, role) values ('al', 'Al', 'admin')")
        cur.execute("update reps set team = 'T01'")
        owners = cur.execute("select customer_id, owner_rep_id as rep_id from customers").df()
    admin = User("al", "Al", "admin")
    policy = holdout.HoldoutPolicy()
    start, end = policy.period(SMALL_UNTIL)
    score.score_day(trained_warehouse, SMALL_UNTIL, top_n=5)  # records this period at 10 %
    recorded = holdout.period_draw(trained_warehouse, SMALL_UNTIL, owners)
    assert recorded.recorded
    assert team_settings.set_holdout_share(trained_warehouse, admin, "T01", 0.3, SMALL_UNTIL) == end
    # this period's draw is as recorded; the next one is drawn at 30 % of each rep's customers
    assert holdout.period_draw(trained_warehouse, SMALL_UNTIL, owners).held == recorded.held
    following = holdout.period_draw(trained_warehouse, end, owners)
    assert not following.recorded
    sizes = owners.groupby("rep_id").size()
    assert following.customers.groupby("rep_id").size().to_dict() == {
        rep: int(round(n * 0.3)) for rep, n in sizes.items()
    }
    # even a share written for the recorded period itself leaves its record alone
    with trained_warehouse.transaction() as cur:
        cur.execute(
            "insert into team_holdout_shares values ('T01', $s, 0.0, 'al', now())", {"s": start}
        )
    assert holdout.period_draw(trained_warehouse, SMALL_UNTIL, owners).held == recorded.held
    with trained_warehouse.connect() as cur:
        shares = cur.execute("select distinct share from holdout_assignments").fetchall()
    assert shares == [(0.1,)]


def test_periods_are_four_weeks_from_a_fixed_monday():
    policy = holdout.HoldoutPolicy()
    start, end = policy.period(date(2026, 6, 3))
    assert start.weekday() == 0 and (end - start).days == 28
    assert start <= date(2026, 6, 3) < end
    assert policy.period(end) == (end, end + (end - start))


def test_the_share_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(holdout.SHARE_ENV, "0.2")
    assert holdout.HoldoutPolicy.from_env().share == 0.2
    monkeypatch.setenv(holdout.SHARE_ENV, "1.5")
    with pytest.raises(ValueError, match="REPURCHASE_HOLDOUT_SHARE"):
        holdout.HoldoutPolicy.from_env()


def test_held_out_customers_never_reach_a_reps_list_but_are_recorded(trained_warehouse):
    result = score.score_day(trained_warehouse, SMALL_UNTIL, top_n=5)
    with trained_warehouse.connect() as cur:
        held = {r[0] for r in cur.execute("select customer_id from holdout_assignments").fetchall()}
        lists = cur.execute(
            "select * from call_lists where list_date = $d", {"d": SMALL_UNTIL}
        ).df()
    assert held and set(result.scores[result.scores.held_out].customer_id) == held
    visible = lists[~lists.held_out]
    assert not set(visible.customer_id) & held
    for rep in visible.rep_id.unique():
        shown = score.rep_call_list(trained_warehouse, rep, SMALL_UNTIL)
        shown = shown[~shown.follow_up.astype(bool)]  # the demo's follow-ups due come on top
        assert len(shown) == 5 and not set(shown.customer_id) & held
    # withheld rows are exactly the held-out customers ranked above each list's last customer
    scores = result.scores
    cutoff = scores[scores.on_list].groupby("rep_id")["rank"].max()
    expected = scores[scores.held_out & (scores["rank"] <= scores.rep_id.map(cutoff))]
    assert set(lists[lists.held_out].customer_id) == set(expected.customer_id)
    # a second scoring of the same period reuses the recorded draw
    score.score_day(trained_warehouse, SMALL_UNTIL, top_n=5, replace=True)
    with trained_warehouse.connect() as cur:
        assert cur.execute("select count(*) from holdout_assignments").fetchone()[0] == len(held)


def test_reading_the_hold_out_records_nothing_and_shows_the_draw_the_writer_records(
    trained_warehouse,
):
    policy = holdout.HoldoutPolicy(share=0.2)
    with trained_warehouse.connect() as cur:
        owners = cur.execute("select customer_id, owner_rep_id as rep_id from customers").df()
    before = trained_warehouse.table_counts()
    read = holdout.held_out(trained_warehouse, SMALL_UNTIL, owners, policy)
    assert read and trained_warehouse.table_counts() == before  # nothing recorded by a read
    assert not holdout.period_draw(trained_warehouse, SMALL_UNTIL, owners, policy).recorded
    result = score.score_day(trained_warehouse, SMALL_UNTIL, top_n=5, policy=policy)
    assert result.list_written
    start, _end = policy.period(SMALL_UNTIL)
    with trained_warehouse.connect() as cur:
        recorded = {
            r[0]
            for r in cur.execute(
                "select customer_id from holdout_assignments where period_start = $s",
                {"s": start},
            ).fetchall()
        }
    # the list writer recorded the draw a read had shown (employed reps' customers only)
    assert recorded and recorded <= read
    assert set(result.scores[result.scores.held_out].customer_id) == recorded
    again = holdout.period_draw(trained_warehouse, SMALL_UNTIL, owners, policy)
    assert again.recorded and again.held == recorded


def test_scoring_without_writing_records_no_draw(trained_warehouse):
    before = trained_warehouse.table_counts()
    result = score.score_day(trained_warehouse, SMALL_UNTIL, top_n=5, write=False)
    assert result.scores.held_out.any() and not result.list_written
    assert trained_warehouse.table_counts() == before


def test_rank_lists_fills_the_list_past_withheld_customers():
    frame = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e"],
            "rep_id": "R",
            "p_order": [0.9, 0.8, 0.7, 0.6, 0.5],
        }
    )
    ranked = score.rank_lists(frame, {"b"}, top_n=2).set_index("customer_id")
    assert ranked.on_list.to_dict() == {"a": True, "b": False, "c": True, "d": False, "e": False}
    assert ranked.withheld.to_dict() == {"a": False, "b": True, "c": False, "d": False, "e": False}
    assert ranked["rank"].tolist() == [1, 2, 3, 4, 5]
    assert ranked.list_rank["c"] == 2
