"""What killed processes left beside the warehouse, removed at the next start: a backup's
`.partial` folder, a restore's `.restoring` copies and swapped-out `.old` folders
(warehouse/backup.py), and the visit queue's half-written `.tmp` files (visit_queue.py). Each
is removed only once untouched for backup.LEFTOVER_SECONDS, so a backup, restore or queue
write running now in another process keeps its own."""

from __future__ import annotations

from pathlib import Path

from repurchase.services import visit_queue
from repurchase.warehouse import backup
from repurchase.warehouse.store import Warehouse


def clean(warehouse: Warehouse, now: float | None = None) -> list[Path]:
    """Remove the leftovers of killed backups, restores and queue writes; returns them."""
    return backup.clean_leftovers(warehouse, now) + visit_queue.clean_leftovers(warehouse, now)
