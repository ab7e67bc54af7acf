"""The per-team ranking switch (repurchase/team_settings.py) and its CLI: admins only, unknown
teams and values refused with nothing changed, who and when kept on the row, a log line."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.cli import main as cli
from repurchase.errors import AccessDeniedError
from repurchase.lists import team_settings

from ..conftest import snapshot

ADMIN = User("alice", "Alice", "admin")


@pytest.fixture
def teams(small_warehouse):
    """The small warehouse with reps in T01, T02 and one without a team."""
    wh = small_warehouse
    with wh.transaction() as cur:
        reps = [r[0] for r in cur.execute("select rep_id from reps order by rep_id").fetchall()]
        cur.execute("update reps set team = 'T01', left_date = null")
        cur.execute("update reps set team = 'T02' where rep_id = $r", {"r": reps[1]})
        cur.execute("update reps set team = null where rep_id = $r", {"r": reps[2]})
        cur.execute(  # the admin who sets the rankings, as stored (every write re-reads it)
            "insert into users (username, display_name, role) values ('alice', 'Alice', 'admin')"
        )
    return wh


def test_an_admin_disabled_a_moment_ago_changes_no_ranking(teams):
    with teams.transaction() as cur:
        cur.execute("update users set disabled_at = now() where username = 'alice'")
    before = snapshot(teams)
    with pytest.raises(AccessDeniedError, match="changed or disabled"):
        team_settings.set_rank_by(teams, ADMIN, "T02", "value")
    assert snapshot(teams) == before


def test_every_team_ranks_as_measured_until_an_admin_changes_it(teams):
    table = team_settings.settings(teams, ADMIN)
    assert table.team.tolist() == ["", "T01", "T02"]
    assert table.reps.tolist() == [1, 2, 1]
    assert set(table.rank_by) == {"auto"} and table.updated_by.isna().all()


def test_an_admin_sets_a_team_and_the_row_says_who_and_when(teams, caplog):
    with caplog.at_level(logging.INFO, logger="repurchase.lists.team_settings"):
        before = team_settings.set_rank_by(teams, ADMIN, "T02", "value")
    assert before == "auto"
    assert team_settings.rank_by(teams, ADMIN, "T02") == "value"
    assert team_settings.rank_by(teams, ADMIN, "T01") == "auto"  # others untouched
    row = team_settings.settings(teams, ADMIN).set_index("team").loc["T02"]
    assert row.updated_by == "alice" and row.updated_at is not None
    assert "team 'T02': lists rank by value (was auto), set by alice" in caplog.text
    # back again; the team without a name is a team too
    assert team_settings.set_rank_by(teams, ADMIN, "T02", "probability") == "value"
    team_settings.set_rank_by(teams, ADMIN, "", "value")
    assert team_settings.rank_by(teams, ADMIN, "") == "value"


@pytest.mark.parametrize(
    ("user", "team", "by", "error", "words"),
    [
        (User("m", "M", "manager", None, "T01"), "T01", "value", AccessDeniedError, "admins only"),
        (User("r", "R", "rep", "R001"), "T01", "value", AccessDeniedError, "admins only"),
        (ADMIN, "T09", "value", team_settings.TeamSettingError, "no team 'T09'"),
        (ADMIN, "T01", "revenue", team_settings.TeamSettingError, "cannot rank lists by"),
        (ADMIN, "T01", "", team_settings.TeamSettingError, "auto, probability, value, effect"),
    ],
)
def test_refused_changes_say_why_and_change_nothing(teams, user, team, by, error, words):
    before = snapshot(teams)
    with pytest.raises(error, match=words):
        team_settings.set_rank_by(teams, user, team, by)
    assert snapshot(teams) == before


def test_only_admins_read_the_settings(teams):
    with pytest.raises(AccessDeniedError):
        team_settings.settings(teams, User("m", "M", "manager", None, "T01"))
    with pytest.raises(team_settings.TeamSettingError, match="no team"):
        team_settings.rank_by(teams, ADMIN, "nope")


def test_the_cli_lists_and_sets_as_a_named_admin(teams, capsys):
    auth.users.set_password(teams, "alice", "a long enough password 1", by=auth.SYSTEM)
    auth.users.add(teams, "bob", "a long enough password 2", "manager", team="T01", by=auth.SYSTEM)
    path = str(teams.path)
    assert cli.main(["--warehouse", path, "team-ranking"]) == 0
    listed = capsys.readouterr().out
    assert "(no team)" in listed and "T02" in listed and "auto" in listed

    args = ["--warehouse", path, "team-ranking", "--team", "T01", "--by", "value"]
    assert cli.main([*args, "--admin", "Alice"]) == 0
    assert "team T01: lists rank by value (was auto)" in capsys.readouterr().out
    assert team_settings.rank_by(teams, ADMIN, "T01") == "value"
    assert cli.main(["--warehouse", path, "team-ranking"]) == 0
    assert "alice" in capsys.readouterr().out

    assert cli.main([*args, "--admin", "bob"]) == 2  # a manager
    assert "admins only" in capsys.readouterr().err
    assert cli.main([*args, "--admin", "nobody"]) == 2
    assert "no active user 'nobody'" in capsys.readouterr().err
    assert cli.main([*args]) == 2  # who is changing it?
    assert "--admin" in capsys.readouterr().err
    wrong_team = ["--warehouse", path, "team-ranking", "--team", "X", "--by", "value"]
    assert cli.main([*wrong_team, "--admin", "alice"]) == 2
    assert "no team 'X'" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse refuses an unknown value with the choices
        cli.main([*args[:-1], "revenue", "--admin", "alice"])
    assert "choose from" in capsys.readouterr().err


# ----------------------------------------------------------------------------- hold-out share

TODAY = date(2026, 6, 10)  # in the hold-out period 2026-05-18 .. 2026-06-15


def test_every_team_holds_out_the_default_until_an_admin_sets_a_share(teams):
    table = team_settings.settings(teams, ADMIN, TODAY)
    assert table.holdout_share.tolist() == [0.1, 0.1, 0.1] and table.next_share.isna().all()
    assert team_settings.holdout_share(teams, "T02", TODAY) == 0.1


def test_a_share_takes_effect_at_the_next_period_and_keeps_the_one_in_force(teams, caplog):
    with caplog.at_level(logging.INFO, logger="repurchase.lists.team_settings"):
        starts = team_settings.set_holdout_share(teams, ADMIN, "T02", 0.25, TODAY)
    assert starts == date(2026, 6, 15)
    assert "team 'T02': hold-out share 25% from 2026-06-15, set by alice" in caplog.text
    row = team_settings.settings(teams, ADMIN, TODAY).set_index("team").loc["T02"]
    assert row.holdout_share == 0.1 and row.next_share == 0.25  # this period: as drawn
    assert row.share_updated_by == "alice"
    assert team_settings.holdout_share(teams, "T02", starts) == 0.25
    assert team_settings.holdout_share(teams, "T01", starts) == 0.1  # others untouched
    # set again before the period starts: the pending share is replaced, not added
    team_settings.set_holdout_share(teams, ADMIN, "T02", 0.0, TODAY)
    assert team_settings.holdout_share(teams, "T02", starts) == 0.0
    # a period later, a new share leaves the one in force as the record of that period
    team_settings.set_holdout_share(teams, ADMIN, "T02", 0.3, starts)
    assert team_settings.holdout_share(teams, "T02", starts) == 0.0
    assert team_settings.holdout_share(teams, "T02", date(2026, 7, 20)) == 0.3


@pytest.mark.parametrize(
    ("user", "team", "share", "error", "words"),
    [
        (User("m", "M", "manager", None, "T01"), "T01", 0.2, AccessDeniedError, "admins only"),
        (User("r", "R", "rep", "R001"), "T01", 0.2, AccessDeniedError, "admins only"),
        (ADMIN, "T09", 0.2, team_settings.TeamSettingError, "no team 'T09'"),
        (ADMIN, "T01", 0.31, team_settings.TeamSettingError, "from 0 to 30%"),
        (ADMIN, "T01", -0.01, team_settings.TeamSettingError, "from 0 to 30%"),
        (ADMIN, "T01", float("nan"), team_settings.TeamSettingError, "a number from 0"),
        (ADMIN, "T01", "0.2", team_settings.TeamSettingError, "a number from 0"),
    ],
)
def test_refused_shares_say_why_and_change_nothing(teams, user, team, share, error, words):
    before = snapshot(teams)
    with pytest.raises(error, match=words):
        team_settings.set_holdout_share(teams, user, team, share, TODAY)
    assert snapshot(teams) == before


def test_the_cli_sets_the_share_beside_the_ranking(teams, capsys):
    auth.users.set_password(teams, "alice", "a long enough password 1", by=auth.SYSTEM)
    path = str(teams.path)
    args = ["--warehouse", path, "team-ranking", "--team", "T01", "--holdout-share", "15"]
    assert cli.main([*args, "--admin", "alice"]) == 0
    assert "team T01: 15 % of customers held out from the hold-out period starting" in (
        capsys.readouterr().out
    )
    assert cli.main(["--warehouse", path, "team-ranking"]) == 0
    listed = capsys.readouterr().out
    assert "holdout" in listed and "15% from" in listed
    assert cli.main([*args[:-1], "45", "--admin", "alice"]) == 2
    assert "from 0 to 30%" in capsys.readouterr().err
