"""Both forward worlds by story name (forward.py says what a forward world is)."""

from __future__ import annotations

from repurchase.demo.forward import ForwardWorld
from repurchase.demo.forward_demo import DemoWorld
from repurchase.demo.forward_story import StoryWorld

STORIES = {"demo": DemoWorld, "projects": StoryWorld}


def make_world(story: str, seed: int, **sizes: object) -> ForwardWorld:
    """A forward world of `story` ("demo" or "projects") at its history's end; `sizes` are the
    generator's (demo: reps, customers_per_rep, days, end; projects: reps, customers, days,
    end) plus an optional `following` (forward.Following)."""
    if story not in STORIES:
        raise ValueError(f"unknown story {story!r}: choose {' or '.join(STORIES)}")
    return STORIES[story].build(seed=seed, **sizes)
