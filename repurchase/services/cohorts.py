"""The cohorts page's figures: the team's on-list / off-list outcome counts (team_outcomes,
from the tables the nightly job keeps and today's visits live) narrowed to the team, methods
and level picked, the on-list vs off-list table, the weekly trend, adoption per rep, and the
reps the hold-out lift is measured over. Apart from team_outcomes, pure functions of frames
read in the user's scope (team_outcomes, services.access.reps_in_scope).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from repurchase.accounts.auth import User
from repurchase.evaluation import outcome_tables
from repurchase.services import access
from repurchase.warehouse.store import Warehouse


def team_outcomes(warehouse: Warehouse, user: User, first: date, last: date) -> pd.DataFrame:
    """The on-list / off-list counts (outcome_tables.outcome_counts: per week, rep, method and
    cohort) of the user's reps between `first` and `last`: a manager's team, every rep for an
    admin. Reps do not see team results."""
    access.require_manager(user)
    reps = access.rep_ids(warehouse, user)
    return outcome_tables.outcome_counts(warehouse, first, last, reps)


def filter_visits(
    visits: pd.DataFrame, team: str | None, methods: Sequence[str], level: str | None
) -> pd.DataFrame:
    """The rows of visits or of their counts (columns team, method, level at least) of `team`
    made with one of `methods` by reps of `level`; a missing team or level, or no methods,
    means every one."""
    if team:
        visits = visits[visits.team == team]
    if methods:
        visits = visits[visits.method.isin(methods)]
    if level:
        visits = visits[visits.level == level]
    return visits


def reps_in_view(reps: pd.DataFrame, team: str | None, level: str | None) -> tuple[str, ...]:
    """The ids of `reps` (columns rep_id, team, level) in `team` at `level` (None: every one).
    The visit method cannot narrow the hold-out: a held-out customer has no visit to filter."""
    if team:
        reps = reps[reps.team == team]
    if level:
        reps = reps[reps.level == level]
    return tuple(reps.rep_id)


@dataclass(frozen=True)
class CohortTables:
    """`table`: outcomes.on_off_table's columns; `trend`: outcomes.weekly_trend's; `per_rep`:
    outcomes.per_rep_table's with each rep's `name` after the rep_id."""

    table: pd.DataFrame
    trend: pd.DataFrame
    per_rep: pd.DataFrame


def cohort_tables(counts: pd.DataFrame, reps: pd.DataFrame, min_cell: int) -> CohortTables:
    """The page's tables of `counts` (team_outcomes narrowed by filter_visits); `reps`
    (rep_id, name) names the reps; a cohort side with fewer than `min_cell` visits is marked
    small."""
    per_rep = outcome_tables.per_rep_table(counts)
    per_rep.insert(1, "name", per_rep.rep_id.map(reps.set_index("rep_id").name))
    return CohortTables(
        table=outcome_tables.on_off_table(counts, min_cell),
        trend=outcome_tables.weekly_trend(counts),
        per_rep=per_rep,
    )
