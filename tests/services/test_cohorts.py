"""The cohorts page's narrowing of the team's visits and of the reps its hold-out covers, and
its tables of what is left."""

from __future__ import annotations

import pandas as pd
import pytest

from repurchase.services import cohorts

VISITS = pd.DataFrame(
    {
        "rep_id": ["R1", "R1", "R2", "R3", "R3", "R4"],
        "team": ["north", "north", "north", "south", "south", None],
        "method": ["phone", "visit", "phone", "phone", "wechat", "phone"],
        "level": ["junior", "junior", "senior", "senior", "senior", "mid"],
        "on_list": [True, False, True, True, False, False],
        "success": [True, False, False, True, True, False],
    }
)
REPS = pd.DataFrame(
    {
        "rep_id": ["R1", "R2", "R3", "R4"],
        "name": ["Ann", "Bo", "Cy", "Di"],
        "team": ["north", "north", "south", None],
        "level": ["junior", "senior", "senior", "mid"],
    }
)


@pytest.mark.parametrize(
    ("team", "methods", "level", "rows"),
    [
        (None, [], None, [0, 1, 2, 3, 4, 5]),  # nothing chosen: every visit
        ("north", [], None, [0, 1, 2]),
        (None, ["phone"], None, [0, 2, 3, 5]),
        (None, ["phone", "wechat"], None, [0, 2, 3, 4, 5]),
        (None, [], "senior", [2, 3, 4]),
        ("north", ["phone"], "senior", [2]),
        ("south", ["visit"], None, []),
    ],
)
def test_visits_are_narrowed_to_the_team_methods_and_level(team, methods, level, rows):
    found = cohorts.filter_visits(VISITS, team, methods, level)
    assert found.index.tolist() == rows


@pytest.mark.parametrize(
    ("team", "level", "reps"),
    [
        (None, None, ("R1", "R2", "R3", "R4")),
        ("north", None, ("R1", "R2")),
        (None, "senior", ("R2", "R3")),
        ("north", "senior", ("R2",)),
        ("south", "junior", ()),
    ],
)
def test_the_holdout_covers_the_reps_of_the_team_and_level(team, level, reps):
    assert cohorts.reps_in_view(REPS, team, level) == reps


def test_the_tables_count_the_narrowed_counts_and_name_the_reps():
    # VISITS as the outcome counts hold them: one row per week, rep, method and cohort
    counts = cohorts.filter_visits(VISITS, "north", [], None).assign(
        week=pd.to_datetime(["2026-06-01", "2026-06-01", "2026-06-08"]).date,
        tenure="< 1 y",
        age="21-25",
        gender="F",
        on_visits=lambda v: v.on_list.astype(int),
        on_successes=lambda v: (v.on_list & v.success).astype(int),
        off_visits=lambda v: (~v.on_list).astype(int),
        off_successes=lambda v: (~v.on_list & v.success).astype(int),
    )
    found = cohorts.cohort_tables(counts, REPS, min_cell=2)
    per_rep = found.per_rep.set_index("rep_id")
    assert list(found.per_rep.columns[:2]) == ["rep_id", "name"]
    assert per_rep.name.to_dict() == {"R1": "Ann", "R2": "Bo"}
    assert per_rep.visits.to_dict() == {"R1": 2, "R2": 1}
    assert per_rep.adoption.to_dict() == {"R1": 0.5, "R2": 1.0}
    overall = found.table[found.table.dimension == "overall"].iloc[0]
    assert (overall.on_visits, overall.off_visits) == (2, 1)
    assert overall.small  # one off-list visit is fewer than min_cell
    tenure = found.table[found.table.cohort == "< 1 y"].iloc[0]
    assert (tenure.reps, tenure.on_successes) == (2, 1)
    assert len(found.trend) == 2  # two weeks (Mondays 1 and 8 June)
