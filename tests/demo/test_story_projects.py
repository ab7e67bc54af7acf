"""The second demo story ("projects") and the CDNOW loader of the benchmark data sets."""

from __future__ import annotations

import importlib.metadata
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from bench import datasets
from repurchase.demo import story_projects
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse

# 500 days ending here hold the Chinese New Year of 2026-02-17
END = date(2026, 6, 30)
SMALL = {"seed": 5, "reps": 6, "customers": 500, "days": 500, "end": END}


@pytest.fixture(scope="module")
def story() -> story_projects.StoryData:
    return story_projects.make(**SMALL)


def _gap_cv(days: pd.Series) -> float:
    gaps = days.sort_values().diff().dt.days.dropna()
    return float(gaps.std() / gaps.mean()) if len(gaps) >= 3 and gaps.mean() > 0 else np.nan


def test_same_seed_same_tables_other_seed_other_tables(story):
    again = story_projects.make(**SMALL)
    for name, frame in story.tables().items():
        pd.testing.assert_frame_equal(frame, again.tables()[name], obj=name)
    for name, frame in story.truth().items():
        pd.testing.assert_frame_equal(frame, again.truth()[name], obj=f"truth {name}")
    other = story_projects.make(**{**SMALL, "seed": 6})
    assert not other.visits.equals(story.visits)
    assert not other.orders.equals(story.orders)


def test_most_orders_arrive_online_without_a_visit(story):
    visited = set(zip(story.visits.customer_id, story.visits.visit_date.dt.date, strict=True))
    without = [
        (c, d) not in visited
        for c, d in zip(story.orders.customer_id, story.orders.order_date, strict=True)
    ]
    assert np.mean(without) > 0.65  # the demo: about 0.6; this story at full size: 0.8
    # and reps call a handful of customers a day, not a dozen
    per_rep_day = story.visits.groupby(["rep_id", story.visits.visit_date.dt.date]).size()
    assert 2 <= per_rep_day.mean() <= 6


def test_project_buyers_buy_in_bursts_steady_buyers_like_clockwork(story):
    orders = story.orders.merge(story.truth_customers[["customer_id", "segment"]])
    orders["order_date"] = pd.to_datetime(orders.order_date)
    counts = orders.groupby("customer_id").size()
    regular = orders[orders.customer_id.isin(counts[counts >= 4].index)]
    cv = regular.groupby(["segment", "customer_id"]).order_date.apply(_gap_cv)
    by_segment = cv.groupby("segment").median()
    assert by_segment["project"] > 1.0
    assert by_segment["steady"] < 0.6
    assert (cv.loc["project"] > 1.0).mean() > 0.5


def test_calls_convert_inside_a_buying_window_and_rarely_outside(story):
    inside = story.truth_visits.in_window.to_numpy()
    ordered = (story.visits.result == "order").to_numpy()
    assert inside.sum() > 50 and (~inside).sum() > 50
    assert ordered[inside].mean() > 0.2
    assert ordered[~inside].mean() < 0.05
    assert 0.03 < ordered.mean() < 0.15


def test_each_visit_order_is_in_the_orders_table_with_its_amount(story):
    won = story.visits[story.visits.result == "order"]
    keyed = won.assign(order_date=won.visit_date.dt.date, amount=won.order_amount.round(2))
    found = keyed.merge(
        story.orders, on=["customer_id", "order_date", "amount"], how="left", indicator=True
    )
    assert (found._merge == "both").all()
    assert story.visits.order_amount[story.visits.result == "no_order"].isna().all()


def test_owners_change_and_several_reps_call_one_customer(story):
    reps = story.reps
    assert reps.left_date.notna().sum() >= 1  # someone left during the history
    assert reps.left_date.isna().sum() == SMALL["reps"]  # every seat filled at the end
    current = set(reps.rep_id[reps.left_date.isna()])
    assert set(story.customers.owner_rep_id) <= current
    several = story.visits.groupby("customer_id").rep_id.nunique()
    assert (several > 1).mean() > 0.1
    # nobody calls before being hired or after leaving
    calls = story.visits.merge(reps[["rep_id", "hire_date", "left_date"]])
    day = calls.visit_date.dt.date
    assert (day >= calls.hire_date).all()
    assert (calls.left_date.isna() | (day < calls.left_date)).all()


def test_chinese_new_year_is_a_lull(story):
    new_year = story_projects.CHINESE_NEW_YEAR[2026]
    days = pd.to_datetime(story.orders.order_date)
    holiday = days.between(
        pd.Timestamp(new_year + timedelta(days=story_projects.HOLIDAY[0])),
        pd.Timestamp(new_year + timedelta(days=story_projects.HOLIDAY[1])),
    )
    holiday_days = story_projects.HOLIDAY[1] - story_projects.HOLIDAY[0] + 1
    per_day = len(days) / SMALL["days"]
    assert holiday.sum() / holiday_days < 0.2 * per_day
    visit_days = story.visits.visit_date.dt.normalize()
    assert not visit_days.between(
        pd.Timestamp(new_year), pd.Timestamp(new_year) + pd.Timedelta(days=3)
    ).any()


def test_churners_stop_buying_for_good(story):
    churned = story.truth_customers.dropna(subset=["churn_date"])
    assert len(churned) > 0.1 * SMALL["customers"]
    late = story.orders.merge(churned[["customer_id", "churn_date"]])
    assert (pd.to_datetime(late.order_date) <= late.churn_date).all()
    # while reps, not knowing, still call some of them afterwards
    after = story.visits.merge(churned[["customer_id", "churn_date"]])
    after = after[after.visit_date > after.churn_date]
    assert len(after) > 0
    assert (after.result == "order").mean() < 0.05


def test_amounts_follow_each_customers_own_scale(story):
    spend = story.orders.groupby("customer_id").amount.median().rename("observed")
    scale = story.truth_customers.set_index("customer_id").median_amount
    both = pd.concat([spend, scale], axis=1, join="inner")
    assert spearmanr(both.observed, both.median_amount).statistic > 0.8
    assert (story.orders.amount > 0).all()


def test_the_story_passes_the_importers_checks(story, tmp_path):
    wh = Warehouse(tmp_path / "projects.duckdb")
    report = importer.import_frames(wh, story.tables())
    assert report.inserted == {k: len(v) for k, v in story.tables().items()}
    assert report.warnings == []  # no column the contract does not know
    counts = wh.table_counts()
    for kind, frame in story.tables().items():
        assert counts[kind] == len(frame)
    with wh.connect() as cur:
        (created,) = cur.execute("select count(created_date) from customers").fetchone()
    assert created == SMALL["customers"]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("projects", {"seed": 2, "reps": 3, "customers": 120, "days": 200, "end": END}),
        ("demo", {"seed": 2, "reps": 2, "customers_per_rep": (10, 20), "days": 120, "end": END}),
    ],
)
def test_synthetic_data_sets_come_with_their_buying_windows(tmp_path, name, params):
    data = datasets.prepare(name, tmp_path, **params)
    assert data.end == END
    counts = Warehouse(data.warehouse).table_counts()
    assert {k: counts[k] for k in data.rows} == data.rows
    assert data.rows["visits"] > 0 and data.rows["orders"] > 0
    truth = data.truth
    assert {"customer_id", "window_start", "window_end", "outcome", "outcome_date"} <= set(truth)
    assert (truth.window_end >= truth.window_start).all()
    assert truth.window_start.max() <= pd.Timestamp(END)
    with Warehouse(data.warehouse).connect() as cur:
        known = {r[0] for r in cur.execute("select customer_id from customers").fetchall()}
    assert set(truth.customer_id) <= known


# ----------------------------------------------------------------------------- CDNOW

CDNOW_LINES = [
    " customer_id  date number_of_cds  dollar_value",  # lifetimes' copy has a header
    " 00001 19970101  1   11.77",
    " 00002 19970112  1   12.00",
    " 00002 19970112  5   77.00",
    " 00003 19970102  2   20.76",
    " 00003 19970330  2   20.76",
    " 00003 19970402  1    0.00",  # a free CD
    "",
    " 00004 19980630  3   39.31",
]


def _cdnow_file(tmp_path, lines=CDNOW_LINES):
    path = tmp_path / "CDNOW_master.txt"
    path.write_bytes("\r\n".join(lines).encode("ascii") + b"\r\n")  # Windows line ends, as shipped
    return path


def test_read_cdnow_parses_the_purchase_log(tmp_path):
    log = datasets.read_cdnow(_cdnow_file(tmp_path))
    assert list(log.columns) == ["customer_id", "order_date", "cds", "amount"]
    assert list(log.customer_id) == [
        "CD00001",
        "CD00002",
        "CD00002",
        "CD00003",
        "CD00003",
        "CD00003",
        "CD00004",
    ]
    assert log.order_date.iloc[0] == date(1997, 1, 1)
    assert log.order_date.iloc[-1] == date(1998, 6, 30)
    assert list(log.cds) == [1, 1, 5, 2, 2, 1, 3]
    assert log.amount.tolist() == [11.77, 12.0, 77.0, 20.76, 20.76, 0.0, 39.31]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (" 00005 19970231  1   11.77", "date '19970231'"),
        (" 00005 19970201  1", "expected 4 fields"),
        (" 00005 19970201  x   11.77", "cds 'x'"),
        (" 00005 19970201  1   -3.00", "amount '-3.00'"),
    ],
)
def test_read_cdnow_names_the_line_of_a_bad_row(tmp_path, line, problem):
    path = _cdnow_file(tmp_path, [*CDNOW_LINES[:3], line])
    with pytest.raises(ValueError, match="line 4") as caught:
        datasets.read_cdnow(path)
    assert problem in str(caught.value)


def test_cdnow_loads_as_order_only_data_through_the_contract(tmp_path):
    data = datasets.prepare("cdnow", tmp_path / "bench", path=_cdnow_file(tmp_path), reps=3)
    assert data.end == date(1998, 6, 30)
    assert data.truth is None
    counts = Warehouse(data.warehouse).table_counts()
    assert (counts["customers"], counts["orders"], counts["visits"], counts["reps"]) == (4, 7, 0, 3)
    with Warehouse(data.warehouse).connect() as cur:
        customers = cur.execute(
            "select customer_id, created_date, owner_rep_id from customers order by customer_id"
        ).df()
    assert customers.created_date.dt.date.tolist() == [
        date(1997, 1, 1),
        date(1997, 1, 12),
        date(1997, 1, 2),
        date(1998, 6, 30),
    ]
    assert customers.owner_rep_id.value_counts().tolist() == [2, 1, 1]  # dealt evenly
    # a second call reuses the warehouse instead of building it again
    modified = data.warehouse.stat().st_mtime_ns
    again = datasets.prepare("cdnow", tmp_path / "bench", path=_cdnow_file(tmp_path), reps=3)
    assert again.warehouse == data.warehouse
    assert again.warehouse.stat().st_mtime_ns == modified
    other = datasets.prepare("cdnow", tmp_path / "bench", path=_cdnow_file(tmp_path), reps=2)
    assert other.warehouse != data.warehouse


def test_a_missing_lifetimes_wheel_says_how_to_install_it(monkeypatch):
    def absent(_name):
        raise importlib.metadata.PackageNotFoundError("lifetimes")

    monkeypatch.setattr(importlib.metadata, "files", absent)
    with pytest.raises(FileNotFoundError, match="pip install lifetimes==0.11.3 --no-deps"):
        datasets.cdnow_path()
