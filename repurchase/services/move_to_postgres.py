"""A team that started on one DuckDB file moves to PostgreSQL (`python -m repurchase
move-to-postgres`): every row copied in one transaction (warehouse.move), then every model
version's artefact kept in the database too, so that every app server can serve it."""

from __future__ import annotations

from repurchase.warehouse.move import Moved, MoveError
from repurchase.warehouse.move import move as copy_rows
from repurchase.warehouse.store import Warehouse

__all__ = ["MoveError", "Moved", "move"]


def move(source: Warehouse, target: Warehouse) -> Moved:
    """Copy the DuckDB file `source` into the empty PostgreSQL warehouse `target` (MoveError
    if it cannot start), then store in it the artefacts of versions trained on this machine."""
    moved = copy_rows(source, target)
    from repurchase.model import registry  # torch: only when a move has happened

    registry.store_missing_artefacts(target)
    return moved
