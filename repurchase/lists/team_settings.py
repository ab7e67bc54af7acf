"""What each team's call lists are ranked by ("auto", the default: what the serving model's
gate measured to win most; or the chance of an order, the expected order value, the call
effect or its value: codes.RANK_BY), and what share of its customers the randomised
hold-out keeps off the lists (0 to 30 %, 10 % by default). An admin sets both per team
(reps.team; '' for reps without a team); the list writer (score.py) reads the ranking when it
writes the next lists, the hold-out draw (holdout.py) the share from the next hold-out period
on.

Reading and changing the settings is an admin's job: anyone else gets AccessDeniedError. The
row keeps who changed it and when; each change is also logged (what it was, what it became).
"""

from __future__ import annotations

import logging
import math
from datetime import date

import pandas as pd

from repurchase import codes
from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError, RepurchaseError
from repurchase.lists import holdout
from repurchase.warehouse.store import Warehouse, sql

log = logging.getLogger(__name__)


class TeamSettingError(RepurchaseError, ValueError):
    """An unknown team or ranking was asked for; nothing was changed."""


def settings(warehouse: Warehouse, user: User, today: date | None = None) -> pd.DataFrame:
    """Every team with reps: team, reps (current), rank_by, updated_by, updated_at (null where
    never set: the default applies), and the hold-out: holdout_share (in force in `today`'s
    period), next_share and next_from (a share set for a later period; null if none),
    share_updated_by, share_updated_at. Admins only."""
    _require_admin(user)
    found = warehouse.query("team_settings_list")
    return found.merge(holdout_shares(warehouse, today), on="team", how="left").assign(
        holdout_share=lambda f: f.holdout_share.fillna(holdout.HoldoutPolicy.from_env().share)
    )


def holdout_shares(warehouse: Warehouse, today: date | None = None) -> pd.DataFrame:
    """team, holdout_share (in force in `today`'s period; null: the default), next_share,
    next_from, share_updated_by, share_updated_at, for the teams that ever set a share. No
    access check: the share is no secret of the team it applies to (services check scope)."""
    start, _end = holdout.HoldoutPolicy().period(today or date.today())
    found = warehouse.query("team_holdout_shares_list", start=start)
    return found.rename(columns={"share": "holdout_share"})


def holdout_share(warehouse: Warehouse, team: str, today: date | None = None) -> float:
    """The hold-out share in force for `team` in `today`'s period (the default if never set)."""
    found = holdout_shares(warehouse, today).set_index("team").holdout_share
    value = found.get(team)
    return holdout.HoldoutPolicy.from_env().share if value is None or pd.isna(value) else value


def set_holdout_share(
    warehouse: Warehouse, user: User, team: str, share: float, today: date | None = None
) -> date:
    """Hold out `share` (0 to 0.3) of `team`'s customers from the next hold-out period on;
    returns the day that period starts. The current period's draw stays as it was drawn.
    Admins only; an unknown team or a share out of range is refused, nothing changed."""
    _require_admin(user)
    if not isinstance(share, int | float) or math.isnan(share):
        raise TeamSettingError(f"a hold-out share is a number from 0 to 0.3, not {share!r}")
    if not 0 <= share <= holdout.MAX_TEAM_SHARE:
        raise TeamSettingError(
            f"cannot hold out {share:.0%} of a team's customers: choose from 0 to "
            f"{holdout.MAX_TEAM_SHARE:.0%}"
        )
    _start, starts = holdout.HoldoutPolicy().period(today or date.today())
    with warehouse.transaction() as cur:
        auth.acting(cur, user)  # an admin demoted or disabled a moment ago changes nothing
        _require_team(cur.execute(sql("team_settings_list")).df(), team)
        cur.execute(sql("team_holdout_share_delete"), {"team": team, "from": starts})
        cur.execute(
            sql("team_holdout_share_write"),
            {"team": team, "from": starts, "share": float(share), "updated_by": user.username},
        )
    log.info(
        "team %r: hold-out share %.0f%% from %s, set by %s",
        team,
        100 * share,
        starts,
        user.username,
    )
    return starts


def rank_by(warehouse: Warehouse, user: User, team: str) -> str:
    """What `team`'s lists rank by. Admins only; an unknown team is refused."""
    found = settings(warehouse, user)
    _require_team(found, team)
    return str(found.set_index("team").rank_by[team])


def set_rank_by(warehouse: Warehouse, user: User, team: str, by: str) -> str:
    """Rank `team`'s lists by `by` (one of codes.RANK_BY) from the next list written;
    returns what it was. Admins only; an unknown team or value is refused, nothing changed."""
    _require_admin(user)
    if by not in codes.RANK_BY:
        raise TeamSettingError(
            f"cannot rank lists by {by!r}: choose one of {', '.join(codes.RANK_BY)}"
        )
    with warehouse.transaction() as cur:
        auth.acting(cur, user)  # an admin demoted or disabled a moment ago changes nothing
        found = cur.execute(sql("team_settings_list")).df()
        _require_team(found, team)
        before = str(found.set_index("team").rank_by[team])
        cur.execute(sql("team_setting_delete"), {"team": team})
        cur.execute(
            sql("team_setting_write"), {"team": team, "rank_by": by, "updated_by": user.username}
        )
    log.info("team %r: lists rank by %s (was %s), set by %s", team, by, before, user.username)
    return before


def _require_admin(user: User) -> None:
    if user.role != "admin":
        raise AccessDeniedError(
            f"{user.username} may not see or change how team lists are ranked: admins only"
        )


def _require_team(found: pd.DataFrame, team: str) -> None:
    if team not in set(found.team):
        known = ", ".join(repr(t) for t in found.team) or "none"
        raise TeamSettingError(
            f"no team {team!r} among the reps (teams: {known}; '' is the reps without a team)"
        )
