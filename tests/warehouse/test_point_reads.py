"""Reads of one rep's list and one customer: the same rows on both backends, and on PostgreSQL
a filter on the rep's customer ids (or the customer's id) that reaches the server, which can
then answer from an index instead of sending whole tables."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, time, timedelta

import pandas as pd
import psycopg
import pytest
from psycopg import sql as pgsql

from repurchase.accounts.account import User
from repurchase.lists import score
from repurchase.services import access, team_today
from repurchase.warehouse import point_reads
from repurchase.warehouse.store import Warehouse
from tests.conftest import SMALL_END


@pytest.mark.parametrize(
    ("text", "params", "one_by_one", "expected_text", "expected_params"),
    [
        (
            "where c in ($ids) and d = $d",
            {"ids": ["a", "b"], "d": 1},
            True,
            "where c in ($ids_0, $ids_1) and d = $d",
            {"ids_0": "a", "ids_1": "b", "d": 1},
        ),
        ("where c in ($ids)", {"ids": []}, True, "where c in (null)", {}),
        (
            "where c in ($ids)",
            {"ids": ("a",)},
            False,
            "where c in (select unnest($ids))",
            {"ids": ["a"]},
        ),  # fmt: skip
        # a scalar stays one value; a list also bound whole keeps its own parameter
        ("where c in ($one)", {"one": "a"}, True, "where c in ($one)", {"one": "a"}),
        (
            "where c in ($r) and list_contains($r, x)",
            {"r": ["a"]},
            True,
            "where c in ($r_0) and list_contains($r, x)",
            {"r": ["a"], "r_0": "a"},
        ),
        # a header comment naming the parameter does not bind it
        (
            "-- $ids: the ids\nwhere c in ($ids)",
            {"ids": ["a"]},
            True,
            "-- $ids: the ids\nwhere c in ($ids_0)",
            {"ids_0": "a"},
        ),  # fmt: skip
    ],
)
def test_expand_binds_an_in_list_one_value_at_a_time_or_whole(
    text, params, one_by_one, expected_text, expected_params
):
    assert point_reads.expand(text, params, one_by_one=one_by_one) == (
        expected_text,
        expected_params,
    )


# ----------------------------------------------------------------------------- both backends


DAY = SMALL_END + timedelta(days=1)


def _busiest_rep(wh: Warehouse) -> str:
    with wh.connect() as cur:
        return cur.execute(
            "select owner_rep_id from customers group by all order by count(*) desc, 1 limit 1"
        ).fetchone()[0]


def _list_day(cur, rep: str, day) -> list[str]:
    """Scores for the rep's customers on `day` (every third at risk) and a list of the first
    eight, the ninth held out, as the nightly job writes them; the listed ids in order."""
    mine = [
        r[0]
        for r in cur.execute(
            "select customer_id from customers where owner_rep_id = $r order by customer_id",
            {"r": rep},
        ).fetchall()
    ]
    for i, customer in enumerate(mine):
        cur.execute(
            "insert into scores (score_date, customer_id, model_version, p_order, p_raw,"
            " horizon_days, n_history, expected_value, typical_order, churn_risk, at_risk)"
            " values ($d, $c, 'v1', $p, $p, 28, 12, $ev, 500, $risk, $flag)",
            {"d": day, "c": customer, "p": 0.9 - 0.01 * i, "ev": 100.0 * i,
             "risk": 0.01 * i, "flag": i % 3 == 0},
        )  # fmt: skip
    for i, customer in enumerate(mine[:9]):
        cur.execute(
            "insert into call_lists (list_date, rep_id, customer_id, rank, p_order,"
            " model_version, reasons, n_history, held_out, ranked_by)"
            " values ($d, $r, $c, $k, $p, 'v1', '[]', 12, $h, 'probability')",
            {"d": day, "r": rep, "c": customer, "k": i + 1, "p": 0.9 - 0.01 * i, "h": i == 8},
        )
    cur.execute(
        "insert into users (username, display_name, role, rep_id) values ($u, $r, 'rep', $r)",
        {"u": f"rep_{rep}", "r": rep},
    )
    return mine[:8]


def _liven(wh: Warehouse, rep: str, day) -> None:
    """What a list day has besides the model's rows: a visit today with a note, a follow-up
    due from yesterday, a snooze, and a customer handed to the rep from another."""
    user = User(f"rep_{rep}", rep, "rep", rep_id=rep)
    with wh.transaction() as cur:
        listed = _list_day(cur, rep, day)
        unlisted = cur.execute(
            "select customer_id from customers where owner_rep_id = $r and customer_id "
            "not in (select customer_id from call_lists where list_date = $d) "
            "order by customer_id limit 1",
            {"r": rep, "d": day},
        ).fetchone()[0]
        other = cur.execute(
            "select customer_id from customers where owner_rep_id <> $r order by customer_id "
            "limit 1",
            {"r": rep},
        ).fetchone()[0]
        cur.execute("update customers set owner_rep_id = $r where customer_id = $c",
                    {"r": rep, "c": other})  # fmt: skip
        visits = [
            (listed[0], datetime.combine(day, time(10)), "order", None, "came back for more"),
            (
                unlisted,
                datetime.combine(day, time(9)) - timedelta(days=1),
                "no_order",
                day,
                "call again tomorrow",
            ),  # fmt: skip
            (other, datetime.combine(day, time(8)) - timedelta(days=2), "no_order", None, None),
        ]
        for customer, when, result, follow_up, note in visits:
            cur.execute(
                "insert into visits (rep_id, customer_id, visited_at, method, target, purpose,"
                " result, note, source, entered_by, follow_up_date) values ($r, $c, $t,"
                " 'phone', 'active', 'relationship', $res, $n, 'app', 'test', $f)",
                {"r": rep, "c": customer, "t": when, "res": result, "n": note, "f": follow_up},
            )
    access.snooze(wh, user, listed[1], 3, day)


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as text (the backends hand back the same values in different dtypes), less
    what each backend stamps itself on the rows the test added: their ids and entry times."""
    stamped = [c for c in ("visit_id", "entered_at") if c in frame.columns]
    return frame.drop(columns=stamped).reset_index(drop=True).astype(str)


@pytest.fixture
def both(small_warehouse, _small_warehouse_file, tmp_path):
    """The small warehouse on PostgreSQL (the fixture's backend) and as a file copy, each with
    the same lively list day added."""
    file = Warehouse(shutil.copy(_small_warehouse_file, tmp_path / "file.duckdb"),
                     backend="duckdb")  # fmt: skip
    rep, day = _busiest_rep(file), DAY
    for wh in (file, small_warehouse):
        _liven(wh, rep, day)
    return file, small_warehouse, rep, day


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_the_list_drifting_and_customer_reads_are_the_same_on_both_backends(both):
    file, pg, rep, day = both
    user = User(f"rep_{rep}", rep, "rep", rep_id=rep)
    on_file = score.rep_call_list(file, rep, day)
    on_pg = score.rep_call_list(pg, rep, day)
    assert len(on_file) > 10
    assert on_file.follow_up.any() and on_file.visited_today.any()
    assert (on_file.status == "set_aside").any()
    pd.testing.assert_frame_equal(_comparable(on_file), _comparable(on_pg))
    pd.testing.assert_frame_equal(
        _comparable(access.drifting_away(file, user, rep, day)),
        _comparable(access.drifting_away(pg, user, rep, day)),
    )
    for customer in on_file.customer_id[:3]:
        seen_file = access.customer_history(file, user, customer)
        seen_pg = access.customer_history(pg, user, customer)
        assert len(seen_file["visits"]) > 0
        for part in ("visits", "orders", "scores"):
            pd.testing.assert_frame_equal(_comparable(seen_file[part]), _comparable(seen_pg[part]))


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_team_today_counts_the_same_on_both_backends(both):
    file, pg, rep, day = both
    admin = User("boss", "Admin", "admin")
    for read in (team_today.team_day, lambda wh, u, d: team_today.team_week(wh, u, d, d)):
        on_file, on_pg = read(file, admin, day), read(pg, admin, day)
        mine = on_file.reps.set_index("rep_id").loc[rep]
        # eight listed and the one moved up for the snoozed customer
        assert mine.listed == 9 and mine.ordered == 1 and mine.snoozed == 1
        pd.testing.assert_frame_equal(_comparable(on_file.reps), _comparable(on_pg.reps))


def _statements_sent(server, mark: int) -> list[str]:
    """The COPY statements the server logged after byte `mark` of its log."""
    text = server.log_file.read_text(errors="replace")[mark:]
    return re.findall(r"statement: (COPY \(SELECT .*)", text)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_postgres_is_sent_the_reps_customer_ids_and_the_customer_id_in_one_statement(
    small_warehouse, postgres_server
):
    wh = small_warehouse
    rep, day = _busiest_rep(wh), DAY
    with wh.transaction() as cur:
        _list_day(cur, rep, day)
    with wh.connect() as cur:
        mine = {
            r[0]
            for r in cur.execute(
                "select customer_id from customers where owner_rep_id = $r", {"r": rep}
            ).fetchall()
        }
    database = psycopg.conninfo.conninfo_to_dict(wh.dsn)["dbname"]
    with psycopg.connect(postgres_server.dsn(), autocommit=True) as admin:
        admin.execute(
            pgsql.SQL("alter database {} set log_statement = 'all'").format(
                pgsql.Identifier(database)
            )
        )
    with psycopg.connect(wh.dsn, autocommit=True) as own:
        own.execute("analyze")  # the page counts DuckDB splits a scan by
    wh.close()  # new connections log, and read those counts
    with wh.connect() as cur:
        # a scan split into ranges of one page: as a large table would be, with tiny data
        cur.execute("set global pg_pages_per_task = 1")

    mark = len(postgres_server.log_file.read_text(errors="replace"))
    user = User(f"rep_{rep}", rep, "rep", rep_id=rep)
    access.call_list(wh, user, rep, day)
    customer = sorted(mine)[0]
    access.customer_history(wh, user, customer)
    sent = _statements_sent(postgres_server, mark)

    by_table = {
        t: [s for s in sent if f'FROM "public"."{t}"' in s] for t in ("visits", "orders", "scores")
    }
    assert all(by_table.values()), by_table
    for table, statements in by_table.items():
        for statement in statements:
            assert "ctid" not in statement, statement
            listed = re.search(r'"customer_id" IN \(([^)]*)\)', statement)
            one = re.search(r"\"customer_id\" = '([^']*)'", statement)
            assert listed or one, f"{table}: no customer filter in {statement}"
            if listed:
                assert set(re.findall(r"'([^']*)'", listed.group(1))) == mine
            else:
                assert one.group(1) == customer

    # the control: the same read without point_reads is split into page ranges
    mark = len(postgres_server.log_file.read_text(errors="replace"))
    wh.query("customer_visits", customer_id=customer)
    split = [s for s in _statements_sent(postgres_server, mark) if '"public"."visits"' in s]
    assert len(split) > 1 and all("ctid BETWEEN" in s for s in split)
