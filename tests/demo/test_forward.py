"""The forward worlds: make()'s history untouched, then common random numbers per customer-day."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from repurchase.demo import story_projects, synthetic
from repurchase.demo.forward import Following
from repurchase.demo.forward_worlds import make_world

END = date(2026, 6, 28)  # a Sunday
DEMO = {"reps": 6, "customers_per_rep": (60, 80), "days": 200, "end": END}
STORY = {"reps": 3, "customers": 150, "days": 200, "end": END}
STORIES = {"demo": (DEMO, synthetic.make), "projects": (STORY, story_projects.make)}


def _world(story: str, seed: int = 3):
    sizes, _make = STORIES[story]
    return make_world(story, seed, **sizes, following=Following(levels=None))


def _lists(world, reverse: bool) -> dict[str, list[str]]:
    owners = world.owners()
    lists = owners.sort_values("customer_id").groupby("rep_id").customer_id.apply(list)
    return {r: (ids[::-1] if reverse else ids) for r, ids in lists.items()}


def _run(world, lists, days: int = 14):
    w = world.copy()
    for _ in range(days):
        w.run_day(lists)
    return w


@pytest.mark.parametrize("story", STORIES)
def test_the_history_is_makes_byte_for_byte(story):
    sizes, make = STORIES[story]
    world = _world(story)
    made = make(seed=3, **sizes)
    frames = world.frames()
    for name, frame in made.tables().items():
        pd.testing.assert_frame_equal(frames[name], frame, obj=name)
    assert world.first_day == date(2026, 6, 29)


@pytest.mark.parametrize("story", STORIES)
def test_the_same_lists_twice_give_the_same_days(story):
    world = _world(story)
    a, b = _run(world, _lists(world, False)), _run(world, _lists(world, False))
    pd.testing.assert_frame_equal(a.forward_orders(), b.forward_orders())
    pd.testing.assert_frame_equal(a.forward_visits(), b.forward_visits())
    assert len(a.forward_visits()) > 0
    # replaying a copy leaves the world itself at its history's end
    assert world.forward_orders().empty


@pytest.mark.parametrize("story", STORIES)
def test_customers_neither_policy_calls_see_the_same_draws(story):
    world = _world(story)
    a, b = _run(world, _lists(world, False), 4), _run(world, _lists(world, True), 4)
    called = set(a.forward_visits().customer_id) | set(b.forward_visits().customer_id)
    assert set(a.forward_visits().customer_id) != set(b.forward_visits().customer_id)

    def untouched(w):
        orders = w.forward_orders()
        return orders[~orders.customer_id.isin(called)].reset_index(drop=True)

    left, right = untouched(a), untouched(b)
    assert len(left) > 0  # self-orders happened among customers nobody called
    pd.testing.assert_frame_equal(left, right)


def test_the_true_effect_is_high_in_an_open_window_and_small_outside():
    world = _world("demo")
    truth = world.truth_effect()
    sim = world.sim
    open_now = sim.window_end >= world.day
    assert truth.call_effect[open_now].mean() > 5 * truth.call_effect[~open_now].mean()
    assert truth.call_effect.between(0, 1).all()
