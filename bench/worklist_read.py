"""What one view of the call list costs in the warehouse, and a skip with its move-up.

    python bench/worklist_read.py [--visits 1000000] [--reps-timed 20] [--repeats 3]
                                  [--baseline-sql old_rep_call_list.sql]

Builds a synthetic warehouse (bench/feature_build.py's shape: 30 visits per customer over two
years, ~220 customers per rep), with 1 % of visits asking for a follow-up, contacts on every
customer, a day's scores (value and churn columns filled) and a 15-row list per rep. Then
times, per rep (median over reps x repeats): the list read (sql/rep_call_list.sql, the one
query a page view runs for the list), the drifting-away read, and a skip that moves the next
customer up followed by its Undo (two transactions). `--baseline-sql` times another version
of the list query on the same data (e.g. `git show main:repurchase/sql/rep_call_list.sql`),
so a change to the read can be compared before and after.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from feature_build import build  # noqa: E402

from repurchase.accounts.auth import User  # noqa: E402
from repurchase.lists import score  # noqa: E402
from repurchase.services import access
from repurchase.warehouse.store import Warehouse  # noqa: E402

DAY = date(2026, 11, 20)  # after the built history (it ends 2026-11-19)


def insert_day_of_scores(cur, day: date) -> None:
    """A day of made-up scores for every customer (random chances), as the pages read them."""
    cur.execute(
        """
        insert into scores (score_date, customer_id, model_version, p_order, p_raw,
                            horizon_days, n_history, expected_value, typical_order,
                            churn_risk, at_risk)
        select $d, customer_id, 'bench', p, p, 28, 10, p * 5000, 5000, 1 - p, p < 0.05
        from (select customer_id, random() as p from customers)
        """,
        {"d": day},
    )


def prepare_day(wh: Warehouse) -> None:
    """Scores for every customer on DAY and each rep's top 15 as the list, as scoring does."""
    with wh.transaction() as cur:
        cur.execute(
            """
            update visits set follow_up_date = cast(visited_at as date) + 3
            where random() < 0.01
            """
        )
        cur.execute("update customers set contact_name = 'contact', contact_phone = '+86 138'")
        insert_day_of_scores(cur, DAY)
        cur.execute(
            """
            insert into call_lists (list_date, rep_id, customer_id, rank, p_order, model_version,
                                    reasons, n_history, held_out, ranked_by)
            select $d, owner_rep_id, customer_id, rank, p_order, 'bench', '[]', 10, false,
                   'probability'
            from (
                select c.owner_rep_id, s.customer_id, s.p_order,
                       row_number() over (partition by c.owner_rep_id
                                          order by s.p_order desc) as rank
                from scores as s
                inner join customers as c on c.customer_id = s.customer_id
                where s.score_date = $d
            )
            where rank <= 15
            """,
            {"d": DAY},
        )


def _median_ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.1f} ms (max {max(values) * 1000:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--reps-timed", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline-sql", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse(Path(tmp) / "bench.duckdb")
        started = time.perf_counter()
        build(wh, args.visits)
        prepare_day(wh)
        with wh.connect() as cur:
            reps = [
                r[0]
                for r in cur.execute(
                    "select rep_id from reps order by rep_id limit $n", {"n": args.reps_timed}
                ).fetchall()
            ]
            customers = cur.execute("select count(*) from customers").fetchone()[0]
        print(
            f"{args.visits:,} visits, {customers:,} customers: built in "
            f"{time.perf_counter() - started:.0f} s; timing {len(reps)} reps x {args.repeats}"
        )
        admin = User("bench", "bench", "admin")
        read, drift, baseline, act, trivial = [], [], [], [], []
        rows = 0
        for _ in range(args.repeats):
            for rep in reps:
                t = time.perf_counter()
                with wh.connect() as cur:  # what any unit of work costs: opening the file
                    cur.execute("select 1").fetchall()
                trivial.append(time.perf_counter() - t)
                t = time.perf_counter()
                frame = score.rep_call_list(wh, rep, DAY)
                read.append(time.perf_counter() - t)
                rows = max(rows, len(frame))
                t = time.perf_counter()
                access.drifting_away(wh, admin, rep, DAY)
                drift.append(time.perf_counter() - t)
                if args.baseline_sql:
                    text = args.baseline_sql.read_text(encoding="utf-8")
                    t = time.perf_counter()
                    with wh.connect() as cur:
                        cur.execute(text, {"rep_id": rep, "day": DAY}).df()
                    baseline.append(time.perf_counter() - t)
        for rep in reps:
            first = score.rep_call_list(wh, rep, DAY)
            open_rows = first[first.on_list & (first.status == "open")]
            if open_rows.empty:
                continue
            t = time.perf_counter()
            done = access.skip(wh, admin, open_rows.customer_id.iloc[0], "other", None, DAY)
            access.undo_list_action(wh, admin, done.action_id, DAY)
            act.append(time.perf_counter() - t)
        print(f"  open the file and run `select 1`: {_median_ms(trivial)}")
        print(f"  list read (rep_call_list.sql, up to {rows} rows): {_median_ms(read)}")
        if baseline:
            print(f"  baseline list read ({args.baseline_sql.name}): {_median_ms(baseline)}")
        print(f"  drifting-away read: {_median_ms(drift)}")
        print(f"  skip with move-up, then Undo: {_median_ms(act)}")


if __name__ == "__main__":
    main()
