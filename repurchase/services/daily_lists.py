"""The day's call lists, written once the day starts if no job has written them, and whether a
warehouse still needs its first start. Imports no training code: an app server's page views
load only what serving needs (the first start, which trains, is imported when it runs)."""

from __future__ import annotations

from datetime import date

from repurchase.lists import score
from repurchase.model import registry
from repurchase.warehouse import warehouse_kind
from repurchase.warehouse.store import Warehouse


def needs_first_start(warehouse: Warehouse) -> bool:
    """A fresh checkout (no warehouse yet), or a demo whose build was interrupted, as the
    warehouse itself records it. A warehouse holding a company's data, even an empty one being
    set up, never needs one."""
    return not warehouse.exists() or warehouse_kind.build_interrupted(warehouse)


def written(warehouse: Warehouse, day: date) -> bool:
    """Whether `day`'s call lists are written (reads only)."""
    return score.has_list(warehouse, day)


def write_today(warehouse: Warehouse, today: date) -> bool:
    """Score `today` and write its scores, lists and hold-out draw if a model serves and no
    job has written them yet; whether it wrote them. Lists already written are kept (reps may
    be working from them, and the evaluation reads what they saw)."""
    if registry.serving_version(warehouse) is None or score.has_list(warehouse, today):
        return False
    score.score_day(warehouse, today)
    return True
