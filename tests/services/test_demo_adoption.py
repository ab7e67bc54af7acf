"""The demo with simulated list use: two model versions, their lists, the hold-out, and reps
who follow the list (so Tables 2-3 and the hold-out have something to show)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from repurchase.demo import synthetic
from repurchase.evaluation import outcomes as evaluate
from repurchase.model import registry
from repurchase.model.config import TrainConfig
from repurchase.services import demo

from ..conftest import SMALL, TINY_TRAINING

PLAN = demo.AdoptionPlan(
    weeks=4,
    retrain_after_weeks=2,
    adherence=0.9,
    levels=("junior", "mid", "senior"),
    top_n=5,
    training=TrainConfig(**TINY_TRAINING),
)


@pytest.fixture(scope="module")
def adopted(tmp_path_factory):
    from repurchase.warehouse.store import Warehouse

    wh = Warehouse(tmp_path_factory.mktemp("adopted") / "adopted.duckdb")
    built = demo.build(wh, synthetic.DemoConfig(**SMALL), adoption=PLAN)
    return wh, built


def test_two_versions_are_registered_the_second_serving(adopted):
    wh, built = adopted
    assert len(built.models) == 2
    table = registry.versions(wh).set_index("version")
    assert table.status[built.models[0]] == "retired"
    assert table.status[built.models[1]] == "serving"
    assert registry.load(wh).version == built.models[1]


def test_lists_cover_every_working_day_of_the_adoption_weeks(adopted):
    wh, built = adopted
    start = PLAN.start(SMALL["end"])
    days = wh.query("call_list_days", first=start, last=SMALL["end"])
    expected = [
        start + timedelta(days=i)
        for i in range((SMALL["end"] - start).days + 1)
        if (start + timedelta(days=i)).weekday() < 5
    ]
    assert [d.date() for d in days.list_date] == expected
    versions = evaluate.version_table(wh, start, SMALL["end"])
    assert set(versions.model_version) == set(built.models)


def test_reps_who_follow_the_list_make_on_list_visits_that_succeed_more(adopted):
    wh, _ = adopted
    start = PLAN.start(SMALL["end"])
    visits = evaluate.on_list_visits(wh, start, SMALL["end"])
    assert visits.on_list.mean() > 0.15
    overall = evaluate.on_off_table(visits).iloc[0]
    assert overall.on_rate > overall.off_rate


def test_the_holdout_is_drawn_recorded_and_kept_off_the_lists(adopted):
    wh, _ = adopted
    start = PLAN.start(SMALL["end"])
    with wh.connect() as cur:
        held = {r[0] for r in cur.execute("select customer_id from holdout_assignments").fetchall()}
        shown = cur.execute(
            "select count(*) from call_lists c join holdout_assignments h "
            "on h.customer_id = c.customer_id and c.list_date >= h.period_start "
            "and c.list_date < h.period_end where not c.held_out"
        ).fetchone()[0]
    assert held and shown == 0
    lift = evaluate.holdout_lift(wh, start, SMALL["end"])
    assert lift.treated > 0 and lift.control > 0


def test_without_a_plan_nothing_is_simulated(small_warehouse):
    assert small_warehouse.query("list_period").first_day.isna().all()
    assert registry.serving_version(small_warehouse) is None


def test_people_are_the_ones_the_simulation_uses():
    reps, customers = synthetic.people(**SMALL)
    made = synthetic.make(**SMALL)
    assert reps.equals(made.reps) and customers.equals(made.customers)


def _filled(frame) -> dict[str, bool]:
    return {column: bool(frame[column].notna().mean() > 0) for column in frame.columns}


def test_a_demo_list_fills_every_column_a_nightly_list_does(adopted, tmp_path):
    """The demo writes through the nightly job's writers: the same columns are filled."""
    import shutil

    from repurchase.services import jobs
    from repurchase.warehouse.store import Warehouse

    wh, _ = adopted
    copy = Warehouse(tmp_path / "nightly.duckdb")
    shutil.copy(wh.path, copy.path)
    today = SMALL["end"] + timedelta(days=1)
    # the nightly job's scoring step with the model the demo serves (its retrain writes no list)
    jobs.score_today(copy, today, top_n=PLAN.top_n)
    last_monday = SMALL["end"] - timedelta(days=SMALL["end"].weekday())
    with copy.connect() as cur:

        def day(table: str, column: str, on) -> object:
            return cur.execute(f"select * from {table} where {column} = $d", {"d": on}).df()  # noqa: S608

        demo_list, nightly_list = (
            day("call_lists", "list_date", last_monday),
            day("call_lists", "list_date", today),
        )
        demo_scores, nightly_scores = (
            day("scores", "score_date", last_monday),
            day("scores", "score_date", today),
        )
    assert len(demo_list) and len(nightly_list)
    assert list(demo_list.columns) == list(nightly_list.columns)
    assert _filled(demo_list) == _filled(nightly_list)
    assert _filled(demo_scores) == _filled(nightly_scores)
    for column in ("p_previous", "ranked_by", "reasons"):
        assert demo_list[column].notna().mean() > 0.5, column
    for column in ("expected_value", "typical_order", "churn_risk", "at_risk"):
        assert demo_scores[column].notna().all(), column
