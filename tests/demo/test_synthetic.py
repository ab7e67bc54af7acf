"""The demo generator: deterministic, and shaped like the problem it stands in for."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from repurchase.demo import synthetic
from repurchase.services import demo

END = date(2026, 11, 21)


@pytest.fixture(scope="module")
def full_demo() -> synthetic.DemoData:
    """The default demo size (60 reps, 150-300 customers each, two years)."""
    return synthetic.make(seed=7, end=END)


def test_same_seed_same_data_other_seed_other_data(small_demo):
    again = synthetic.make(small_demo.config)
    for name, frame in small_demo.tables().items():
        pd.testing.assert_frame_equal(frame, again.tables()[name], obj=name)
    pd.testing.assert_frame_equal(small_demo.truth_windows, again.truth_windows)
    other = synthetic.make(small_demo.config, seed=8)
    assert not other.visits.equals(small_demo.visits)


def test_default_size_matches_the_issue(full_demo):
    current = full_demo.reps[full_demo.reps.left_date.isna()]
    assert len(current) == 60
    per_rep = full_demo.customers.groupby("owner_rep_id").size()
    assert per_rep.between(150, 300).all()
    span = full_demo.visits.visit_date.max() - full_demo.visits.visit_date.min()
    assert 700 <= span.days <= 730


def test_base_visit_success_rate_is_in_the_realistic_range(full_demo):
    rate = (full_demo.visits.result == "order").mean()
    assert 0.05 <= rate <= 0.12


def test_rep_cohorts_have_the_papers_shape(full_demo):
    reps = full_demo.reps[full_demo.reps.left_date.isna()]
    juniors = reps[reps.level == "junior"]
    assert len(juniors) / len(reps) >= 0.6
    tenure = (pd.Timestamp(END) - pd.to_datetime(juniors.hire_date)).dt.days / 365.25
    bands = pd.cut(tenure, [0, 1, 2, 10], right=False).value_counts(normalize=True).sort_index()
    assert bands.iloc[0] == bands.max()  # most juniors under a year
    assert bands.iloc[0] > 0.4 and bands.iloc[2] > 0
    age = (pd.Timestamp(END) - pd.to_datetime(juniors.birth_date)).dt.days / 365.25
    assert age.min() >= 21 and age.max() < 41
    assert set(reps.gender) == {"M", "F"}


def test_success_grows_with_tenure(full_demo):
    visits = full_demo.visits.merge(full_demo.reps[["rep_id", "hire_date"]], on="rep_id")
    tenure = (visits.visit_date - pd.to_datetime(visits.hire_date)).dt.days / 365.25
    success = visits.result == "order"
    assert success[tenure < 1].mean() < success[tenure > 2].mean()


def _intervals(orders: pd.DataFrame) -> pd.DataFrame:
    o = orders.sort_values(["customer_id", "order_date"])
    gap = pd.to_datetime(o.order_date).groupby(o.customer_id).diff().dt.days
    return o.assign(gap=gap).dropna(subset=["gap"])


def test_customers_buy_in_cycles_set_by_type_industry_and_tag(full_demo):
    gaps = _intervals(full_demo.orders).merge(full_demo.customers, on="customer_id")
    by_customer = gaps.groupby("customer_id").agg(
        median_gap=("gap", "median"), n=("gap", "size"), cv=("gap", lambda g: g.std() / g.mean())
    )
    enough = (
        by_customer[by_customer.n >= 4]
        .join(full_demo.truth_customers.set_index("customer_id").cycle_days)
        .join(full_demo.customers.set_index("customer_id")[["customer_type", "industry", "tag"]])
    )
    # each customer's observed rhythm follows its hidden cycle
    rho, _ = spearmanr(enough.median_gap, enough.cycle_days)
    assert rho > 0.5
    by_type = enough.groupby("customer_type").median_gap.median()
    assert by_type["trader"] < by_type["manufacturer"] < by_type["design_house"]
    assert (
        enough.groupby("tag").median_gap.median()["key"]
        < enough.groupby("tag").median_gap.median()["small_medium"]
    )
    by_industry = enough.groupby("industry").median_gap.median()
    assert by_industry["consumer"] < by_industry["medical"]
    # jitter: manufacturers are the most regular, traders the least
    cv = enough.groupby("customer_type").cv.median()
    assert cv["manufacturer"] < cv["trader"]


def test_some_customers_lapse(full_demo):
    last = pd.to_datetime(full_demo.orders.groupby("customer_id").order_date.max())
    quiet = (pd.Timestamp(END) - last).dt.days > 180
    assert 0.03 < quiet.mean() < 0.5
    assert full_demo.truth_customers.lapsed_at_end.mean() > 0.03


def test_windows_convert_by_visit_or_online_order_or_are_lost(full_demo):
    outcomes = full_demo.truth_windows.outcome.value_counts(normalize=True)
    assert {"visit_order", "self_order", "lost"} <= set(outcomes.index)
    assert outcomes["visit_order"] > 0.05 and outcomes["self_order"] > 0.1
    # a visit inside a window converts far more often than one outside
    truth = full_demo.truth_visits.assign(success=full_demo.visits.result.eq("order").to_numpy())
    inside = truth[truth.in_window].success.mean()
    outside = truth[~truth.in_window].success.mean()
    assert inside > 5 * outside


def test_reps_do_not_choose_by_the_hidden_truth(full_demo):
    """Reps call customers inside a buying window only a little more often than chance: the
    list has room to help. Chance = share of (customer, day) pairs that lie inside a window."""
    w = full_demo.truth_windows
    days_in_window = (w.window_end - w.window_start).dt.days.clip(lower=0).sum()
    first = pd.to_datetime(full_demo.customers.created_date).clip(
        lower=pd.Timestamp(full_demo.config.start_date)
    )
    customer_days = (pd.Timestamp(END) - first).dt.days.clip(lower=0).sum()
    chance = days_in_window / customer_days
    rep_rate = full_demo.truth_visits.in_window.mean()
    assert rep_rate < 2.0 * chance


def test_several_reps_visit_some_customers(full_demo):
    reps_per_customer = full_demo.visits.groupby("customer_id").rep_id.nunique()
    assert (reps_per_customer > 1).mean() > 0.05
    assert reps_per_customer.max() >= 3


def test_the_truth_stays_out_of_the_warehouse(small_warehouse):
    with small_warehouse.connect() as cur:
        tables = {
            r[0] for r in cur.execute("select table_name from information_schema.tables").fetchall()
        }
        columns = {
            r[0]
            for r in cur.execute("select column_name from information_schema.columns").fetchall()
        }
    assert not any("truth" in t or "window" in t for t in tables)
    assert not {"in_window", "cycle_days", "skill_at_hire"} & columns
    windows = demo.read_truth(small_warehouse, "windows")
    assert len(windows) > 0 and {"window_start", "window_end", "outcome"} <= set(windows.columns)


def test_demo_data_passes_the_import_contract(small_warehouse, small_demo):
    counts = small_warehouse.table_counts()
    for name, frame in small_demo.tables().items():
        assert counts[name] == len(frame)
    assert np.isclose(
        small_warehouse.query("stats_visit_outcomes").success_rate.iloc[-1],
        (small_demo.visits.result == "order").mean(),
    )


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="customers_per_rep"):
        synthetic.make(reps=2, customers_per_rep=(30, 10), days=10, end=END)
