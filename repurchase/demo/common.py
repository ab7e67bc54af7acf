"""What the two synthetic stories share: the shape of their result and a few small draws.

Imports nothing of ours but the kernel: both generators (synthetic.py, story_projects.py) build
on it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from repurchase import codes

# The random stream of the details a worklist needs (contacts, calls nobody answered), drawn
# after everything else so that every other value stays what it was before they existed.
DETAILS_STREAM = 11
# The import contract's visit columns a simulated call fills, in the contract's order (its
# last column, follow_up_date, is drawn afterwards).
CALL_COLUMNS = codes.VISIT_COLUMNS


class ContractData:
    """Shared by the generated data sets: the four import-contract tables (the frames
    `importer.import_frames` takes) and the hidden truth, by name. Subclasses are dataclasses
    with the fields reps, customers, visits, orders and truth_windows, truth_customers,
    truth_reps, truth_visits."""

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "reps": self.reps,
            "customers": self.customers,
            "visits": self.visits,
            "orders": self.orders,
        }

    def truth(self) -> dict[str, pd.DataFrame]:
        return {
            "windows": self.truth_windows,
            "customers": self.truth_customers,
            "reps": self.truth_reps,
            "visits": self.truth_visits,
        }


def pick(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    """`n` keys of `weights`, each drawn with its weight's share of the total."""
    keys = np.array(list(weights))
    p = np.array(list(weights.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]
