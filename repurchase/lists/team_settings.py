"""What each team's call lists are ranked by: the chance of an order (the default) or the
expected order value. An admin sets it per team (reps.team; '' for reps without a team); the
list writer (score.py) reads it when it writes the next lists.

Reading and changing the settings is an admin's job: anyone else gets AccessDeniedError. The
row keeps who changed it and when; each change is also logged (what it was, what it became).
"""

from __future__ import annotations

import logging

import pandas as pd

from repurchase import codes
from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError, RepurchaseError
from repurchase.warehouse.store import Warehouse, sql

log = logging.getLogger(__name__)


class TeamSettingError(RepurchaseError, ValueError):
    """An unknown team or ranking was asked for; nothing was changed."""


def settings(warehouse: Warehouse, user: User) -> pd.DataFrame:
    """Every team with reps: team, reps (current), rank_by, updated_by, updated_at (null where
    never set: the default applies). Admins only."""
    _require_admin(user)
    return warehouse.query("team_settings_list")


def rank_by(warehouse: Warehouse, user: User, team: str) -> str:
    """What `team`'s lists rank by. Admins only; an unknown team is refused."""
    found = settings(warehouse, user)
    _require_team(found, team)
    return str(found.set_index("team").rank_by[team])


def set_rank_by(warehouse: Warehouse, user: User, team: str, by: str) -> str:
    """Rank `team`'s lists by `by` ('probability' or 'value') from the next list written;
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
