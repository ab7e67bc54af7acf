"""The random numbers of a day's calls in the demo's simulation (synthetic_simulation.py).

`CallDraws` takes them in turn from the simulation's own stream, as `make()` does; the forward
world (forward_demo.py) passes keyed ones of the same shape to the same `Simulation.resolve`, so
both play a call by one set of rules.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from repurchase.demo.common import pick
from repurchase.demo.synthetic_config import METHODS, NOTES_NO_ORDER, NOTES_ORDER, USUAL_PURPOSES


class _Simulation(Protocol):
    """What the draws use of synthetic_simulation.Simulation."""

    rng: np.random.Generator

    def amount(self, idx: np.ndarray) -> np.ndarray: ...

    def schedule_next(self, idx: np.ndarray, from_day: np.ndarray, today: int) -> None: ...


class CallDraws:
    """The draws of the calls to customers `idx`, one value per customer called. `resolve`
    asks for them in a fixed order (method, `uniform("onsite")`, `uniform("convert")`, amount,
    `uniform("delivery")`, usual purpose, note, minute), which a sequential stream needs."""

    def __init__(self, sim: _Simulation) -> None:
        self.sim = sim

    def uniform(self, purpose: str, idx: np.ndarray) -> np.ndarray:
        """Uniforms on [0, 1) for `purpose` (onsite, convert, delivery)."""
        return self.sim.rng.random(len(idx))

    def method(self, idx: np.ndarray) -> np.ndarray:
        return pick(self.sim.rng, METHODS, len(idx))

    def amount(self, idx: np.ndarray) -> np.ndarray:
        """What an order of each customer would amount to."""
        return self.sim.amount(idx)

    def usual_purpose(self, idx: np.ndarray) -> np.ndarray:
        return pick(self.sim.rng, USUAL_PURPOSES, len(idx))

    def note(self, idx: np.ndarray, success: np.ndarray) -> np.ndarray:
        rng, m = self.sim.rng, len(idx)
        return np.where(
            success, rng.choice(NOTES_ORDER, size=m), rng.choice(NOTES_NO_ORDER, size=m)
        )

    def minute(self, idx: np.ndarray) -> np.ndarray:
        """The call's minute of the day, in office hours."""
        return self.sim.rng.integers(9 * 60, 18 * 60, len(idx))

    def schedule(self, idx: np.ndarray, from_day: np.ndarray, today: int) -> None:
        """After a call met a need: the next need (or a lapse), as `schedule_next`."""
        self.sim.schedule_next(idx, from_day, today)
