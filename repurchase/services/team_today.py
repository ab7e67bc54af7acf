"""The manager's today: for each rep in the signed-in user's scope, how much of the day's call
list is worked, success so far this week on-list vs off-list, and the customers at risk.

The one source of these numbers: the manager's page (pages/team_today.py) and the weekly
report (services/weekly_report.py) both read them from here, so the two can never disagree.

Only managers (their team) and admins (everyone) may ask; a rep gets AccessDeniedError. Reps
who had left by the day asked about are not listed (their history stays in the cohorts page).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError, RepurchaseError
from repurchase.evaluation import outcomes as evaluate
from repurchase.services import access
from repurchase.warehouse import point_reads
from repurchase.warehouse.store import Warehouse, sql

# How a listed customer stands, in the order team_worklist.sql decides it.
STATUSES = ("ordered", "no_demand", "not_reached", "snoozed", "skipped", "open")
WORKED = ("ordered", "no_demand", "not_reached", "snoozed", "skipped")
COUNTS = ("listed", *STATUSES)
SUCCESS = tuple(
    f"{side}_{column}"
    for side in ("on", "off")
    for column in ("visits", "successes", "rate", "low", "high")
)
TARGET_MAX = 200  # calls per rep and day; more is a typo, not a plan


class TargetError(RepurchaseError, ValueError):
    """A daily call target that cannot be set as asked; nothing was changed. `key` and
    `params` name the reason in the catalogue (i18n/team.py)."""

    def __init__(self, key: str, message: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(message)


def week_start(day: date) -> date:
    """The Monday of `day`'s week (weeks run Monday to Sunday, as in evaluate.weekly_trend)."""
    return day - timedelta(days=day.weekday())


def current_reps(warehouse: Warehouse, user: User, day: date, team: str | None = None):
    """The reps in `user`'s scope who still worked on `day` (rep_id, name, team), optionally
    one team's only (an admin's filter; a manager's scope is one team already)."""
    access.require_manager(user)
    reps = access.reps_in_scope(warehouse, user)
    working = reps.left_date.isna() | (pd.to_datetime(reps.left_date) > pd.Timestamp(day))
    reps = reps[working]
    if team is not None:
        reps = reps[reps.team.fillna("") == team]
    return reps[["rep_id", "name", "team"]].reset_index(drop=True)


def worklist(
    warehouse: Warehouse, user: User, first: date, last: date, team: str | None = None
) -> pd.DataFrame:
    """Per rep in scope and list day in [first, last]: the list's size and how each listed
    customer stands (sql/team_worklist.sql). Columns: rep_id, list_date, listed, ordered,
    no_demand, not_reached, snoozed, skipped, open. Days without a list have no row."""
    return _worklist(warehouse, _rep_ids(warehouse, user, last, team), first, last)


def week_success(
    warehouse: Warehouse, user: User, first: date, last: date, team: str | None = None
) -> pd.DataFrame:
    """Per rep in scope: visits in [first, last] on-list vs off-list (access.on_list_visits,
    the paper's 7-day rule), each side's visits, successes, rate and 95 % Wilson interval.
    Columns: rep_id, on_visits, on_successes, on_rate, on_low, on_high, off_... (the same)."""
    return _week_success(warehouse, user, _rep_ids(warehouse, user, last, team), first, last)


def at_risk(warehouse: Warehouse, user: User, day: date, team: str | None = None) -> pd.DataFrame:
    """Per rep in scope: customers they own now that the latest scoring on or before `day`
    flagged as drifting away (sql/team_at_risk.sql). Columns: rep_id, score_day, scored,
    at_risk; a rep without scored customers has no row."""
    return _at_risk(warehouse, _rep_ids(warehouse, user, day, team), day)


# The private halves take reps already checked against the user's scope, so that one page view
# reads the scope once (each read opens the file: a unit of work costs ~0.1 s on a busy machine).


def _rep_ids(warehouse: Warehouse, user: User, day: date, team: str | None) -> list[str]:
    return current_reps(warehouse, user, day, team).rep_id.tolist()


def _worklist(warehouse: Warehouse, reps: list[str], first: date, last: date) -> pd.DataFrame:
    frame = point_reads.query(warehouse, "team_worklist", reps=reps, first=first, last=last)
    frame["list_date"] = pd.to_datetime(frame.list_date).dt.date
    return frame.astype({c: "int64" for c in COUNTS})


def _week_success(
    warehouse: Warehouse, user: User, reps: list[str], first: date, last: date
) -> pd.DataFrame:
    visits = access.on_list_visits(warehouse, user, first, last)
    counts = (
        visits[visits.rep_id.isin(reps)]
        .groupby(["rep_id", "on_list"])
        .success.agg(["sum", "count"])
    )

    def side(rep_id: str, on_list: bool, prefix: str) -> dict[str, float]:
        a, n = counts.loc[(rep_id, on_list)] if (rep_id, on_list) in counts.index else (0, 0)
        return evaluate.rate_columns(prefix, int(a), int(n))

    rows = [
        {"rep_id": r, **side(r, True, "on"), **side(r, False, "off")}  # a few dozen reps
        for r in reps
    ]
    return pd.DataFrame(rows, columns=["rep_id", *SUCCESS])


def _at_risk(warehouse: Warehouse, reps: list[str], day: date) -> pd.DataFrame:
    frame = warehouse.query("team_at_risk", reps=reps, day=day)
    frame["score_day"] = pd.to_datetime(frame.score_day).dt.date
    return frame


@dataclass(frozen=True)
class TeamPeriod:
    """The team's numbers for a period: one row per rep, and the team's totals.

    `reps` columns: rep_id, name, team, listed, ordered, no_demand, not_reached, snoozed,
    skipped, open, worked, worked_share, on_/off_ visits, successes, rate, low, high, at_risk,
    calls (made in the period), target (the team's daily calls per rep; NaN: none set),
    target_calls (the target over the period's days), calls_share (calls / target_calls).
    `totals` holds the same numbers for everyone in the table (rates from the summed counts,
    never an average of rates). `list_days` counts the days in the period with any list."""

    first: date
    last: date
    success_first: date
    reps: pd.DataFrame
    totals: pd.Series
    list_days: int
    score_day: date | None

    @property
    def has_lists(self) -> bool:
        return self.list_days > 0

    @property
    def visits(self) -> int:
        return int(self.totals.on_visits + self.totals.off_visits)


def _combine(
    warehouse: Warehouse, user: User, first: date, last: date, team: str | None
) -> TeamPeriod:
    """Lists of [first, last] worked, success from the Monday of `first` to `last`, risk on
    `last`, per rep and for the team."""
    reps = current_reps(warehouse, user, last, team)
    ids = reps.rep_id.tolist()
    lists = _worklist(warehouse, ids, first, last)
    worked = lists.groupby("rep_id")[list(COUNTS)].sum()
    success_first = week_start(first)
    success = _week_success(warehouse, user, ids, success_first, last).set_index("rep_id")
    risk = _at_risk(warehouse, ids, last).set_index("rep_id")

    table = reps.set_index("rep_id")
    table = table.join(worked).fillna({c: 0 for c in COUNTS}).astype({c: "int64" for c in COUNTS})
    table["worked"] = table[list(WORKED)].sum(axis=1)
    table["worked_share"] = _share(table.worked, table.listed)
    table = table.join(success)
    table["at_risk"] = risk.at_risk.reindex(table.index).fillna(0).astype("int64")
    _add_calls(warehouse, table, first, last)
    table = table.reset_index()

    # counts stay whole numbers, rates are floats: an object Series keeps each as it is
    totals: dict[str, object] = {c: int(table[c].sum()) for c in (*COUNTS, "worked", "at_risk")}
    totals["worked_share"] = _share(totals["worked"], totals["listed"])
    totals.update(_calls_totals(table))
    for side in ("on", "off"):
        n, a = int(table[f"{side}_visits"].sum()), int(table[f"{side}_successes"].sum())
        totals.update(evaluate.rate_columns(side, a, n))
    score_days = risk.score_day.dropna()
    return TeamPeriod(
        first=first,
        last=last,
        success_first=success_first,
        reps=table,
        totals=pd.Series(totals, dtype=object),
        list_days=lists.list_date.nunique(),
        score_day=max(score_days) if len(score_days) else None,
    )


def _add_calls(warehouse: Warehouse, table: pd.DataFrame, first: date, last: date) -> None:
    """Add to `table` (indexed by rep_id, with team) the calls each rep made in [first, last],
    their team's daily target on `last` (NaN: none set), the target over the period (the
    daily one times its days) and the share of it made."""
    found = point_reads.query(
        warehouse, "team_calls", reps=table.index.tolist(), first=first, last=last
    )
    table["calls"] = found.set_index("rep_id").calls.reindex(table.index).fillna(0).astype("int64")
    targets = daily_targets(warehouse, last)
    daily = table.team.map(lambda v: targets.get("" if v is None or pd.isna(v) else v))
    table["target"] = pd.to_numeric(daily, errors="coerce").astype("float64")
    table["target_calls"] = table.target * ((last - first).days + 1)
    table["calls_share"] = _share(table.calls, table.target_calls)


def _calls_totals(table: pd.DataFrame) -> dict[str, object]:
    """The team's calls against the targets of the reps who have one (a rep without a target
    counts in the calls, not in the share)."""
    with_target = table[table.target_calls.notna()]
    target_calls = float(with_target.target_calls.sum()) if len(with_target) else float("nan")
    return {
        "calls": int(table.calls.sum()),
        "target_calls": target_calls,
        "calls_share": _share(int(with_target.calls.sum()), target_calls)
        if len(with_target)
        else float("nan"),
    }


def daily_targets(warehouse: Warehouse, day: date) -> dict[str, int]:
    """Each team's daily calls per rep in force on `day` ('' for reps without a team); teams
    that never set one are absent. No access check: a team's target is no secret to it."""
    found = warehouse.query("team_daily_targets_on", day=day)
    return {str(r.team): int(r.calls) for r in found.itertuples()}


def targets_in_force(warehouse: Warehouse, user: User, day: date) -> pd.DataFrame:
    """The daily targets in force on `day` for the teams in the user's scope: team, calls,
    effective_from, updated_by, updated_at. Managers and admins."""
    access.require_manager(user)
    teams = set(access.reps_in_scope(warehouse, user).team.fillna(""))
    found = warehouse.query("team_daily_targets_on", day=day)
    return found[found.team.isin(teams)].reset_index(drop=True)


def set_daily_target(
    warehouse: Warehouse, user: User, team: str, calls: object, day: date
) -> int | None:
    """Set `team`'s daily calls per rep from `day` on; returns the target it replaces (None:
    none). A manager sets their own team's, an admin any team's; a rep none. Refused, with
    nothing changed: a number that is not a whole number from 1 to TARGET_MAX, a team
    without reps."""
    access.require_manager(user)
    if user.role == "manager" and team != (user.team or ""):
        raise AccessDeniedError(f"{user.username} may set only their own team's target")
    if isinstance(calls, bool) or not isinstance(calls, int | float) or not math.isfinite(calls):
        raise TargetError("team.target.error.number", f"{calls!r} is not a number of calls")
    if calls != int(calls) or not 1 <= calls <= TARGET_MAX:
        raise TargetError(
            "team.target.error.range",
            f"a daily target is a whole number of calls from 1 to {TARGET_MAX}, not {calls}",
            max=TARGET_MAX,
        )
    teams = set(access.reps_in_scope(warehouse, user).team.fillna(""))
    if team not in teams:
        raise TargetError("team.target.error.team", f"no rep is in team {team!r}", team=team)
    before = daily_targets(warehouse, day).get(team)
    with warehouse.transaction() as cur:
        auth.acting(cur, user)  # a manager moved or disabled a moment ago changes nothing
        cur.execute(sql("team_daily_target_delete"), {"team": team, "from": day})
        cur.execute(
            sql("team_daily_target_write"),
            {"team": team, "from": day, "calls": int(calls), "updated_by": user.username},
        )
    return before


def _share(part, whole):
    """part / whole, NaN where the whole is 0 (no list is not "0 % worked")."""
    if isinstance(whole, pd.Series):
        return (part / whole.where(whole > 0)).astype("float64")
    return part / whole if whole else float("nan")


def success_text(row: pd.Series, side: str) -> str:
    """One side's success as the page and the report print it: "24.2 % (18.0–31.5 %) 29/120",
    "–" without visits. Both read this, so the two show the same figures."""
    n = int(row[f"{side}_visits"])
    if n == 0:
        return "–"
    rate, low, high = row[f"{side}_rate"], row[f"{side}_low"], row[f"{side}_high"]
    return f"{rate:.1%} ({low:.1%}–{high:.1%}) {int(row[f'{side}_successes'])}/{n}"


def share_text(share: float) -> str:
    """The share of a list worked; "–" where there was no list."""
    return "–" if pd.isna(share) else f"{share:.0%}"


def team_day(warehouse: Warehouse, user: User, day: date, team: str | None = None) -> TeamPeriod:
    """The manager's today for `day`: that day's lists, success from its Monday to `day`,
    at-risk counts from the latest scoring on or before `day`."""
    return _combine(warehouse, user, day, day, team)


def team_week(
    warehouse: Warehouse, user: User, day: date, until: date, team: str | None = None
) -> TeamPeriod:
    """The week (Monday to Sunday) holding `day`, cut at `until` (today: a week in progress
    reports the days so far). Lists worked are summed over its days."""
    first = week_start(day)
    last = min(first + timedelta(days=6), until)
    if last < first:
        raise ValueError(f"the week of {day} starts after {until}")
    return _combine(warehouse, user, first, last, team)
