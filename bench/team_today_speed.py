"""How long the manager's today and the weekly report take on a company-sized warehouse.

    python bench/team_today_speed.py [--reps 60] [--days 365] [--list-weeks 8] [--repeats 5]

Builds the demo (the issue's 60 reps, 150-300 customers each by default) in a temporary folder,
writes a 15-customer list for every rep on every working day of the last `--list-weeks` weeks
(with snoozes and skips on some), then times, uncached: one manager's today (a team of 10),
an admin's today (every rep), and the admin's weekly report. Prints medians.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench._common import spread, timed  # noqa: E402
from repurchase.accounts.auth import User  # noqa: E402
from repurchase.demo import synthetic
from repurchase.services import demo, team_today  # noqa: E402
from repurchase.ui import weekly_report  # noqa: E402
from repurchase.warehouse.store import Warehouse  # noqa: E402


def write_lists(wh: Warehouse, last, weeks: int) -> int:
    """A list per rep and working day: their 15 customers with the most visits, rotating, and
    a snooze or skip on every seventh listed customer. One transaction."""
    days = [
        last - timedelta(days=i)
        for i in range(weeks * 7)
        if (last - timedelta(days=i)).weekday() < 5
    ]
    with wh.transaction() as cur:
        cur.execute(
            """
            insert into call_lists (list_date, rep_id, customer_id, rank, p_order, model_version,
                                    held_out)
            with ranked as (
                select d.day, c.owner_rep_id as rep_id, c.customer_id,
                       row_number() over (
                           partition by d.day, c.owner_rep_id
                           order by hash(c.customer_id, d.day)
                       ) as rank
                from customers as c
                cross join (select unnest($days) as day) as d
            )
            select day, rep_id, customer_id, rank, 0.3, 'bench', false
            from ranked where rank <= 15
            """,
            {"days": days},
        )
        cur.execute(
            """
            insert into list_actions (rep_id, customer_id, action, first_day, until_day,
                                      entered_by)
            select rep_id, customer_id, case when rank % 2 = 0 then 'skip' else 'snooze' end,
                   list_date, list_date + 1 + (rank % 3), rep_id
            from call_lists
            where model_version = 'bench' and rank % 7 = 0
            """
        )
        return cur.execute("select count(*) from call_lists").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=60)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--list-weeks", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        wh = Warehouse(Path(folder) / "bench.duckdb")
        config = synthetic.DemoConfig(reps=args.reps, days=args.days)
        seconds, _ = timed(lambda: demo.build(wh, config))
        day = config.end_date
        rows = write_lists(wh, day, args.list_weeks)
        counts = wh.table_counts()
        print(
            f"warehouse: {args.reps} reps, {counts['customers']:,} customers, "
            f"{counts['visits']:,} visits, {rows:,} list rows, "
            f"{counts['list_actions']:,} snoozes/skips (built in {seconds:.0f} s)"
        )
        team = wh.query("scope_reps", role="admin", rep_id=None, team=None).team.iloc[0]
        manager = User("m", "M", "manager", None, team)
        admin = User("a", "A", "admin")
        cases = {
            f"manager's today (team {team})": lambda: team_today.team_day(wh, manager, day),
            "admin's today (every rep)": lambda: team_today.team_day(wh, admin, day),
            "admin's weekly report": lambda: weekly_report.build(
                wh, admin, day, "en", datetime.combine(day, datetime.min.time())
            ),
        }
        for name, run in cases.items():
            times = [timed(run)[0] for _ in range(args.repeats)]
            print(f"{name}: {spread(times)}")


if __name__ == "__main__":
    main()
