"""The cohort page's on-list / off-list outcomes from small tables instead of every visit.

The nightly job (`build`) keeps `visit_outcomes_daily`: per visit day, rep and method, the
on-list and off-list visits and successes of the entries made before its cutoff (migration
0024). A read (`outcome_counts`) adds the table's covered days to what it counts live from
visits: entries made since the cutoff (today's visits, backdated ones, imports) and every day
after the covered ones. Both halves use visits_on_list.sql's rule, so the page's figures are
those `outcomes.on_off_table` / `weekly_trend` / `per_rep_table` compute from the raw visits.

Changes the table does not follow move its coverage back in their own transaction (an import,
a past day's list written again: sql/visit_outcomes_stale.sql; the demo's removal:
sql/visit_outcomes_forget.sql), so a read never trusts a day the table may have wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from repurchase.evaluation import outcomes
from repurchase.warehouse import point_reads
from repurchase.warehouse.store import Cursor, Warehouse, sql

# An entry's transaction may still be open when the job reads: the cutoff stays this far behind
# the job's clock, so every entry before it has long been committed (visit saves take moments).
CUTOFF_MARGIN = timedelta(minutes=10)
BEGINNING = date(1900, 1, 1)  # the first build (or one after the demo's removal) counts it all
DAY = timedelta(days=1)

COUNT_COLUMNS = ["on_visits", "on_successes", "off_visits", "off_successes"]


@dataclass(frozen=True)
class Coverage:
    """Days up to `built_through` are in the table for entries made before `cutoff`; None:
    nothing is covered."""

    built_through: date | None
    cutoff: datetime | None


@dataclass(frozen=True)
class Build:
    """What a build counted again: the days from `first` through `through`, entries before
    `cutoff` (`first` after `through`: nothing had changed)."""

    first: date
    through: date
    cutoff: datetime


def _as_date(value: object) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def coverage(cur: Cursor) -> Coverage:
    """What visit_outcomes_daily covers now (sql/visit_outcomes_coverage.sql)."""
    row = cur.execute(sql("visit_outcomes_coverage")).fetchone()
    if row is None:
        return Coverage(None, None)
    return Coverage(_as_date(row[0]), pd.Timestamp(row[1]).to_pydatetime())


def _at(day: date) -> datetime:
    return datetime.combine(day, time())


def read_params(
    found: Coverage,
    first: date,
    last: date,
    reps: list[str],
    live_first: date | None = None,
) -> dict[str, object]:
    """visit_outcomes_counts' parameters: the covered part of [first, last] from the table, the
    rest live, as constant ranges PostgreSQL can use an index for. `live_first`: the earliest
    covered day with an entry since the cutoff (visit_outcomes_live_first; None: none), so
    that only the lists the live visits can be matched with are read."""
    covered = found.built_through if found.built_through is not None else first - DAY
    table_last = min(last, covered)
    live_from = max(first, covered + DAY)
    earliest = min(live_from, live_first) if live_first is not None else live_from
    return {
        "first": first,
        "last": last,
        "table_last": table_last,
        "cutoff": found.cutoff or _at(BEGINNING),
        "first_at": _at(first),
        "table_end_at": _at(max(first, table_last + DAY)),
        "live_from_at": _at(live_from),
        "end_at": _at(last + DAY),
        "lists_from": max(first, earliest) - 6 * DAY,
        "reps": list(reps),
    }


def _live_first(cur: Cursor, params: dict[str, object]) -> date | None:
    bounds = {k: params[k] for k in ("cutoff", "first_at", "table_end_at")}
    return _as_date(cur.execute(sql("visit_outcomes_live_first"), bounds).fetchone()[0])


def outcome_counts(warehouse: Warehouse, first: date, last: date, reps: list[str]) -> pd.DataFrame:
    """On-list and off-list visits and successes of `reps` between `first` and `last`, per
    week (Monday, a date), rep and method, with the rep's team, level, gender and tenure and age
    band on the visit day (outcomes.TENURE_BANDS / AGE_BANDS; None outside them). Columns:
    week, rep_id, team, level, gender, tenure, age, method, on_visits, on_successes,
    off_visits, off_successes. Coverage and counts are read in one transaction, so a build
    committing meanwhile is seen whole or not at all."""
    with warehouse.transaction() as cur:
        point_reads.narrow(cur)
        found = coverage(cur)
        live_first = _live_first(cur, read_params(found, first, last, reps))
        params = read_params(found, first, last, reps, live_first)
        frame = cur.execute(sql("visit_outcomes_counts"), params).df()
    frame["week"] = pd.to_datetime(frame.week).dt.date
    bands = frame[["tenure", "age"]].astype(object)
    frame[["tenure", "age"]] = bands.where(bands.notna(), None)
    return frame.astype({c: "int64" for c in COUNT_COLUMNS})


def build(warehouse: Warehouse, today: date, now: datetime | None = None) -> Build:
    """Count the days before `today` into visit_outcomes_daily, entries made before the cutoff
    (the start of today, and at least CUTOFF_MARGIN before `now`), in one transaction. Only
    what may have changed since the last build is counted again: the days after the covered
    ones, and every day an entry made since the last cutoff falls on."""
    now = now or datetime.now()
    cutoff = min(_at(today), now - CUTOFF_MARGIN)
    through = today - DAY
    with warehouse.transaction() as cur:
        # the days since the last build: a range of visited_at, not every page
        point_reads.narrow(cur)
        old = coverage(cur)
        first = BEGINNING
        if old.built_through is not None and old.cutoff is not None:
            cutoff = max(cutoff, old.cutoff)  # never count an entry the table holds live too
            first = old.built_through + DAY
            since = {"since": old.cutoff, "cutoff": cutoff}
            changed = _as_date(cur.execute(sql("visit_outcomes_changed_from"), since).fetchone()[0])
            if changed is not None:
                first = min(first, changed)
        cur.execute(sql("visit_outcomes_delete"), {"from": first})
        if first <= through:
            cur.execute(
                sql("visit_outcomes_insert"),
                {
                    "through": through,
                    "from_at": _at(first),
                    "end_at": _at(through + DAY),
                    "lists_from": first - 6 * DAY,
                    "cutoff": cutoff,
                },
            )
        cur.execute(sql("visit_outcomes_forget"))
        cur.execute(sql("visit_outcomes_mark_built"), {"through": through, "cutoff": cutoff})
    return Build(first, through, cutoff)


# ----------------------------------------------------------------------------- the tables


def _sides(cell: pd.DataFrame) -> tuple[int, int, int, int]:
    sums = cell[COUNT_COLUMNS].sum()
    return (
        int(sums.on_successes),
        int(sums.on_visits),
        int(sums.off_successes),
        int(sums.off_visits),
    )


def on_off_table(counts: pd.DataFrame, min_visits: int = outcomes.MIN_VISITS) -> pd.DataFrame:
    """outcomes.on_off_table from outcome_counts() (optionally filtered): the same rows and
    columns as from the visits the counts were made of."""
    counts = counts.assign(overall="all")
    rows = []
    order = {
        "overall": ["all"],
        "tenure": [b[2] for b in outcomes.TENURE_BANDS],
        "age": [b[2] for b in outcomes.AGE_BANDS],
        "gender": ["M", "F"],
    }
    for dimension in outcomes.DIMENSIONS:
        for cohort in order[dimension]:
            cell = counts[counts[dimension] == cohort]
            a1, n1, a2, n2 = _sides(cell)
            diff_low, diff_high = outcomes.newcombe_difference(a1, n1, a2, n2)
            row = {"dimension": dimension, "cohort": cohort, "reps": cell.rep_id.nunique()}
            row.update(outcomes.rate_columns("on", a1, n1))
            row.update(outcomes.rate_columns("off", a2, n2))
            row["lift"] = (a1 / n1) / (a2 / n2) - 1 if n1 and n2 and a2 else math.nan
            row["difference_low"], row["difference_high"] = diff_low, diff_high
            row["p_value"] = outcomes.two_proportion_test(a1, n1, a2, n2)
            row["small"] = min(n1, n2) < min_visits
            rows.append(row)
    return pd.DataFrame(rows)


def weekly_trend(counts: pd.DataFrame) -> pd.DataFrame:
    """outcomes.weekly_trend from outcome_counts(): per week, on-list vs off-list success."""
    rows = []
    for week, cell in counts.groupby("week", sort=True):
        a1, n1, a2, n2 = _sides(cell)
        row = {"week": week}
        row.update(outcomes.rate_columns("on", a1, n1))
        row.update(outcomes.rate_columns("off", a2, n2))
        rows.append(row)
    if not rows:  # a filter that leaves no visits: the same columns, no weeks
        columns = ["week", *outcomes.rate_columns("on", 0, 0), *outcomes.rate_columns("off", 0, 0)]
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(rows)


def per_rep_table(counts: pd.DataFrame) -> pd.DataFrame:
    """outcomes.per_rep_table from outcome_counts(): per rep, visits, on-list visits, adoption
    and on/off-list success (NaN for a side without visits)."""
    sums = counts.groupby("rep_id")[COUNT_COLUMNS].sum()
    visits = sums.on_visits + sums.off_visits
    table = pd.DataFrame(
        {
            "visits": visits,
            "on_list_visits": sums.on_visits,
            "adoption": sums.on_visits / visits,
            "on_rate": (sums.on_successes / sums.on_visits).where(sums.on_visits > 0),
            "off_rate": (sums.off_successes / sums.off_visits).where(sums.off_visits > 0),
        }
    )
    return table[table.visits > 0].reset_index()
