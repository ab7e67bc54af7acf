"""Scoring and call lists: every customer, each rep's own top N, written once, read fast."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from repurchase import i18n
from repurchase.lists import explain, score
from repurchase.model import features
from repurchase.warehouse import importer

from ..conftest import SMALL_UNTIL, run_cli

DAY = SMALL_UNTIL  # the morning after the demo's last day


def test_a_day_is_scored_for_every_customer_and_listed_per_rep(trained_warehouse):
    result = score.score_day(trained_warehouse, DAY, top_n=5)
    with trained_warehouse.connect() as cur:
        customers = cur.execute(
            "select c.customer_id, c.owner_rep_id from customers c join reps r "
            "on r.rep_id = c.owner_rep_id where r.left_date is null"
        ).df()
        lists = cur.execute("select * from call_lists where list_date = $d", {"d": DAY}).df()
        stored = cur.execute(
            "select count(*) from scores where score_date = $d", {"d": DAY}
        ).fetchone()[0]
    assert len(result.scores) == len(customers) == stored
    assert set(lists.rep_id) == set(customers.owner_rep_id)
    owner = customers.set_index("customer_id").owner_rep_id
    assert (lists.customer_id.map(owner) == lists.rep_id).all()  # only the rep's own customers
    visible = lists[~lists.held_out]
    eligible = result.scores[~result.scores.held_out]
    for rep, group in visible.groupby("rep_id"):
        assert sorted(group["rank"]) == [1, 2, 3, 4, 5]
        best = eligible[eligible.rep_id == rep].p_order.nlargest(5).to_numpy()
        np.testing.assert_allclose(np.sort(group.p_order.to_numpy())[::-1], best)
    assert lists.reasons.notna().all()


def test_a_days_list_is_written_once_unless_replaced(trained_warehouse):
    first = score.score_day(trained_warehouse, DAY, top_n=5)
    second = score.score_day(trained_warehouse, DAY, top_n=3)
    assert first.list_written and not second.list_written
    with trained_warehouse.connect() as cur:
        assert (
            cur.execute(
                "select max(rank) from call_lists where list_date = $d and not held_out",
                {"d": DAY},
            ).fetchone()[0]
            == 5
        )
    score.score_day(trained_warehouse, DAY, top_n=3, replace=True)
    with trained_warehouse.connect() as cur:
        assert (
            cur.execute(
                "select max(rank) from call_lists where list_date = $d and not held_out",
                {"d": DAY},
            ).fetchone()[0]
            == 3
        )


def test_reading_a_day_without_lists_writes_nothing(trained_warehouse):
    before = trained_warehouse.table_counts()
    assert not score.has_list(trained_warehouse, DAY)
    frame = score.rep_call_list(trained_warehouse, "R002", DAY)
    # what the day shows without the model's rows: follow-ups due and set-aside customers only
    assert not frame.on_list.any()
    assert trained_warehouse.table_counts() == before
    assert not score.has_list(trained_warehouse, DAY)


def test_a_reps_list_is_read_once_the_day_is_scored(trained_warehouse):
    score.score_day(trained_warehouse, DAY)
    assert score.has_list(trained_warehouse, DAY)
    frame = score.rep_call_list(trained_warehouse, "R002", DAY)
    # follow-ups due that day (the demo has some) come first, on top of the model's list
    listed = frame[~frame.follow_up.astype(bool)]
    assert len(listed) == score.DEFAULT_TOP_N
    assert frame["rank"].tolist() == list(range(1, len(frame) + 1))
    assert listed.p_order.is_monotonic_decreasing
    with trained_warehouse.connect() as cur:
        own = {
            r[0]
            for r in cur.execute(
                "select customer_id from customers where owner_rep_id = 'R002'"
            ).fetchall()
        }
    assert set(frame.customer_id) <= own
    assert {
        "customer_name",
        "last_visit_at",
        "last_result",
        "days_since_visit",
        "orders_so_far",
        "visited_today",
        "reasons",
    } <= set(frame.columns)
    assert all(isinstance(r, list) and r for r in listed.reasons)
    assert all(i18n.reason_text(reason, "zh") for rs in frame.reasons for reason in rs)
    again = score.rep_call_list(trained_warehouse, "R002", DAY)
    pd.testing.assert_frame_equal(frame, again)


def test_scores_as_of_a_day_ignore_anything_that_happens_later(trained_warehouse):
    day = date(2026, 6, 1)
    before = score.score_day(trained_warehouse, day, write=False).scores
    with trained_warehouse.transaction() as cur:
        cur.execute(
            "update visits set result = 'order', note = 'changed later' where visited_at >= $d",
            {"d": day},
        )
        cur.execute(
            "insert into orders (customer_id, order_date, amount, source) "
            "select customer_id, $d, 1, 'test' from customers",
            {"d": day},
        )
    after = score.score_day(trained_warehouse, day, write=False).scores
    pd.testing.assert_frame_equal(before, after)


def test_little_history_is_flagged_and_still_scored(trained_warehouse):
    with trained_warehouse.transaction() as cur:
        cur.execute(
            "insert into customers (customer_id, name, customer_type, industry, tag, "
            "owner_rep_id, created_date) values ('CNEW', 'New Co', 'trader', 'consumer', "
            "'key', 'R001', '2026-06-20')"
        )
    result = score.score_day(trained_warehouse, DAY, write=False)
    new = result.scores.set_index("customer_id").loc["CNEW"]
    assert new.n_history == 0 and 0 < new.p_order < 1
    history = features.load_history(trained_warehouse, DAY)
    facts = features.anchor_facts(
        history, pd.DataFrame({"customer_id": ["CNEW"], "anchor": [pd.Timestamp(DAY)]})
    )
    for_, against = explain.split(explain.reasons_for(facts.iloc[0], "key"))
    assert for_[-1] == {"code": "little_history", "events": 0}
    assert i18n.reason_text(for_[-1], "en") == "Little history (0 events): this score is rough"
    assert {"code": "never_ordered", "side": "against"} in against


def test_cli_train_and_score_on_the_demo(small_warehouse, tmp_path):
    args = ["--warehouse", str(small_warehouse.path)]
    tiny = ["--epochs", "1", "--samples-per-epoch", "800", "--validation-weeks", "4"]
    trained = run_cli(*args, "train", "--until", SMALL_UNTIL.isoformat(), *tiny)
    assert trained.returncode == 0, trained.stderr
    assert "validation: AUC" in trained.stdout and "promoted to serving" in trained.stdout
    assert "epoch 1: list precision" in trained.stderr
    out = tmp_path / "scores.csv"
    scored = run_cli(
        *args, "score", "--as-of", SMALL_UNTIL.isoformat(), "--out", str(out), "--top-n", "7"
    )
    assert scored.returncode == 0, scored.stderr
    csv = pd.read_csv(out)
    assert list(csv.columns) == [
        "customer_id",
        "rep_id",
        "p_order",
        "rank",
        "on_list",
        "expected_value",
        "churn_risk",
    ]
    assert csv.groupby("rep_id").on_list.sum().eq(7).all()
    # currency units, never negative; a risk is a share
    assert (csv.expected_value >= 0).all() and csv.expected_value.max() > 0
    assert csv.churn_risk.between(0, 1).all()
    listed = run_cli(*args, "models")
    assert "serving" in listed.stdout
    # says in plain words which method makes the lists, and shows every peer beside it
    assert "makes the lists" in listed.stdout
    for method in ("network", "gbm", "logistic", "bg/nbd", "recency-frequency"):
        assert f"  {method} " in listed.stdout


def test_train_and_score_on_an_imported_order_log(tmp_path, small_demo):
    """A company whose ERP only exports orders imports them as visits that all ended in an
    order: features, training and scoring still work."""
    from repurchase.warehouse.store import Warehouse

    wh = Warehouse(tmp_path / "orders_only.duckdb")
    orders = small_demo.orders.merge(small_demo.customers[["customer_id", "owner_rep_id"]])
    as_visits = pd.DataFrame(
        {
            "rep_id": orders.owner_rep_id,
            "customer_id": orders.customer_id,
            "visit_date": orders.order_date,
            "method": "order_log",
            "target": "order_log",
            "purpose": "order_log",
            "result": "order",
            "note": "",
            "order_amount": orders.amount,
        }
    )
    folder = tmp_path / "export"
    folder.mkdir()
    small_demo.reps.to_csv(folder / "reps.csv", index=False)
    small_demo.customers.to_csv(folder / "customers.csv", index=False)
    as_visits.to_csv(folder / "visits.csv", index=False)
    importer.import_files(
        wh, [folder / "reps.csv", folder / "customers.csv", folder / "visits.csv"]
    )
    args = ["--warehouse", str(wh.path)]
    trained = run_cli(
        *args,
        "train",
        "--until",
        SMALL_UNTIL.isoformat(),
        "--epochs",
        "1",
        "--samples-per-epoch",
        "800",
        "--validation-weeks",
        "4",
    )
    assert trained.returncode == 0, trained.stderr
    scored = run_cli(*args, "score", "--as-of", SMALL_UNTIL.isoformat())
    assert scored.returncode == 0, scored.stderr
    assert score.rep_call_list(wh, "R001", SMALL_UNTIL).shape[0] == 15


def test_score_without_a_model_says_what_to_do(small_warehouse):
    result = run_cli("--warehouse", str(small_warehouse.path), "score", "--as-of", DAY.isoformat())
    assert result.returncode == 2
    assert "python -m repurchase train" in result.stderr


@pytest.mark.slow
def test_nightly_retrains_promotes_if_not_worse_and_scores_today(trained_warehouse):
    today = SMALL_UNTIL
    result = run_cli(
        "--warehouse",
        str(trained_warehouse.path),
        "nightly",
        "--today",
        today.isoformat(),
        "--epochs",
        "1",
        "--samples-per-epoch",
        "800",
        "--validation-weeks",
        "4",
    )
    assert result.returncode == 0, result.stderr
    assert f"for {today}" in result.stdout
    assert (
        "promoted to serving" in result.stdout
        or "rejected, the serving model stays" in result.stdout
    )
    with trained_warehouse.connect() as cur:
        listed = cur.execute(
            "select count(*) from call_lists where list_date = $d", {"d": today}
        ).fetchone()[0]
    assert listed > 0


def test_the_score_job_writes_a_days_lists_and_draw_once(trained_warehouse):
    from repurchase.services import jobs

    done = jobs.perform(trained_warehouse, "score", jobs.score_params(DAY, top_n=5))
    assert done.result.list_written and done.result_data["lists_written"]
    assert f"lists of {DAY} written" in done.outcome
    assert score.has_list(trained_warehouse, DAY)
    counts = trained_warehouse.table_counts()
    assert counts["holdout_assignments"] > 0
    again = jobs.perform(trained_warehouse, "score", jobs.score_params(DAY, top_n=3))
    assert not again.result.list_written and "already written, kept" in again.outcome
    assert trained_warehouse.table_counts()["call_lists"] == counts["call_lists"]
