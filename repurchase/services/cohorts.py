"""The cohorts page's figures: the team's on-list visits narrowed to the team, methods and
level picked, the on-list vs off-list table, the weekly trend, adoption per rep, and the reps
the hold-out lift is measured over. Pure functions of frames the services read in the user's
scope (services.access.on_list_visits, services.access.reps_in_scope).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from repurchase.evaluation import outcomes


def filter_visits(
    visits: pd.DataFrame, team: str | None, methods: Sequence[str], level: str | None
) -> pd.DataFrame:
    """The visits (columns team, method, level at least) of `team` made with one of `methods`
    by reps of `level`; a missing team or level, or no methods, means every one."""
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
    """`table`: outcomes.on_off_table; `trend`: outcomes.weekly_trend; `per_rep`:
    outcomes.per_rep_table with each rep's `name` after the rep_id."""

    table: pd.DataFrame
    trend: pd.DataFrame
    per_rep: pd.DataFrame


def cohort_tables(visits: pd.DataFrame, reps: pd.DataFrame, min_cell: int) -> CohortTables:
    """The page's tables of `visits` (filter_visits' result); `reps` (rep_id, name) names the
    reps; a cohort side with fewer than `min_cell` visits is marked small."""
    per_rep = outcomes.per_rep_table(visits)
    per_rep.insert(1, "name", per_rep.rep_id.map(reps.set_index("rep_id").name))
    return CohortTables(
        table=outcomes.on_off_table(visits, min_cell),
        trend=outcomes.weekly_trend(visits),
        per_rep=per_rep,
    )
