"""A rep's snoozes and skips, and the customer who moves up in a set-aside customer's place.

A snooze keeps a customer off the rep's lists for 1-30 days; a skip sets one aside for today,
with a reason code (codes.SKIP_REASONS) and an optional note. Both are rows of `list_actions`
kept forever (Undo marks them undone, never deletes): a skipped listed customer was shown, so
it stays on-list for the evaluation.

When the customer set aside is on the day's visible list, the next-best customer of the rep
moves up in the same transaction (sql/next_to_move_up.sql): a `call_lists` row with
`added_for = 'moved_up'` after the list's last rank. It was shown, so it stays when the skip
is undone.

Who may act is decided in access.py (from the signed-in user); this module takes the owning
rep and the acting username it was given and re-checks ownership inside the transaction (a
customer handed to another rep meanwhile is refused).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from repurchase import codes
from repurchase.errors import AccessDeniedError, RepurchaseError
from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse, next_id, sql

# runs first in a write's transaction: the service re-reads the account it acts for there
Before = Callable[[Cursor], object]

MOVED_UP = "moved_up"


class ListActionError(RepurchaseError, ValueError):
    """A snooze, skip or undo that cannot be done: `key` names the message in i18n (the page
    shows it translated), `params` fill it; str() is the English text for logs and the CLI."""

    def __init__(self, key: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Done:
    """What an action did: its id, and the customer who moved up (None: nobody, because the
    customer was not on the visible list or no eligible customer was left)."""

    action_id: int
    moved_up: str | None = None
    moved_up_rank: int | None = field(default=None)


def check_days(days: object) -> int:
    low, high = codes.SNOOZE_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        raise ListActionError(
            "worklist.error.days",
            f"a snooze lasts {low} to {high} days, not {days!r}",
            low=low,
            high=high,
        )
    return days


def check_reason(reason: object, note: str | None) -> tuple[str, str | None]:
    if reason not in codes.SKIP_REASONS:
        raise ListActionError(
            "worklist.error.reason",
            f"unknown skip reason {reason!r}; expected one of {', '.join(codes.SKIP_REASONS)}",
            reason=str(reason),
        )
    note = (note or "").strip() or None
    if note is not None and len(note) > codes.SKIP_NOTE_MAX:
        raise ListActionError(
            "worklist.error.note",
            f"the note has {len(note)} characters; at most {codes.SKIP_NOTE_MAX} are kept",
            n=codes.SKIP_NOTE_MAX,
        )
    return str(reason), note


def snooze(
    warehouse: Warehouse,
    *,
    rep_id: str,
    customer_id: str,
    days: int,
    day: date,
    entered_by: str,
    now: datetime | None = None,
    before: Before | None = None,
) -> Done:
    """Keep `customer_id` off `rep_id`'s lists from `day` for `days` days (1-30). `before`
    runs first inside the transaction (the service re-reads the acting account there)."""
    days = check_days(days)
    return _set_aside(
        warehouse, rep_id, customer_id, "snooze", day, day + timedelta(days=days), None, None,
        entered_by, now, before,
    )  # fmt: skip


def skip(
    warehouse: Warehouse,
    *,
    rep_id: str,
    customer_id: str,
    reason: str,
    note: str | None,
    day: date,
    entered_by: str,
    now: datetime | None = None,
    before: Before | None = None,
) -> Done:
    """Set `customer_id` aside on `rep_id`'s list for `day`, with a reason code and a note."""
    reason, note = check_reason(reason, note)
    return _set_aside(
        warehouse, rep_id, customer_id, "skip", day, day + timedelta(days=1), reason, note,
        entered_by, now, before,
    )  # fmt: skip


def undo(
    warehouse: Warehouse,
    *,
    action_id: int,
    rep_id: str,
    day: date,
    undone_by: str,
    now: datetime | None = None,
    before: Before | None = None,
) -> None:
    """Undo a skip or snooze of `rep_id` that is in force on `day` (marked undone, kept).
    A customer who moved up in its place stays on the list: the rep has seen it."""
    with warehouse.transaction() as cur:
        if before is not None:
            before(cur)
        found = cur.execute(sql("list_action_by_id"), {"action_id": action_id}).fetchone()
        if found is None or found[0] != rep_id:
            raise AccessDeniedError(f"list action {action_id} is not one of rep {rep_id}'s")
        _, first_day, until_day, undone_at = found
        if undone_at is not None or not first_day <= day < until_day:
            raise ListActionError(
                "worklist.error.not_in_force",
                f"list action {action_id} is not in force on {day}: nothing to undo",
            )
        cur.execute(
            sql("list_action_undo"),
            {"undone_at": now or datetime.now(), "undone_by": undone_by, "action_id": action_id},
        )


def _set_aside(
    warehouse: Warehouse,
    rep_id: str,
    customer_id: str,
    action: str,
    first_day: date,
    until_day: date,
    reason: str | None,
    note: str | None,
    entered_by: str,
    now: datetime | None,
    before: Before | None,
) -> Done:
    def write(cur: Cursor) -> Done:
        if before is not None:
            before(cur)
        return _write(
            cur, rep_id, customer_id, action, first_day, until_day, reason, note, entered_by,
            now or datetime.now(),
        )  # fmt: skip

    # two sessions moving the same customer up at once: the later one re-reads and picks the next
    return retry.transaction(warehouse, write)


def _write(
    cur: Cursor,
    rep_id: str,
    customer_id: str,
    action: str,
    first_day: date,
    until_day: date,
    reason: str | None,
    note: str | None,
    entered_by: str,
    now: datetime,
) -> Done:
    owner = cur.execute(sql("customer_owner_rep"), {"customer_id": customer_id}).fetchone()
    if owner is None or owner[0] != rep_id:
        raise AccessDeniedError(f"customer {customer_id} is not among rep {rep_id}'s customers")
    in_force = cur.execute(sql("active_list_actions"), {"day": first_day}).df()
    if ((in_force.rep_id == rep_id) & (in_force.customer_id == customer_id)).any():
        raise ListActionError(
            "worklist.error.already_set_aside",
            f"customer {customer_id} is already set aside on {first_day}: undo that first",
        )
    action_id = next_id(cur, "list_action_id_seq")
    cur.execute(
        sql("list_action_insert"),
        {
            "action_id": action_id,
            "rep_id": rep_id,
            "customer_id": customer_id,
            "action": action,
            "first_day": first_day,
            "until_day": until_day,
            "reason": reason,
            "note": note,
            "entered_by": entered_by,
            "entered_at": now,
        },
    )
    moved, rank = _move_up(cur, rep_id, customer_id, first_day)
    return Done(int(action_id), moved, rank)


def _move_up(
    cur: Cursor, rep_id: str, customer_id: str, day: date
) -> tuple[str | None, int | None]:
    """Add the next-best customer after the list's last rank if `customer_id` is on the day's
    visible list; the list keeps its length for the rep."""
    listed = cur.execute(
        sql("rep_visible_list"), {"rep_id": rep_id, "customer_id": customer_id, "day": day}
    ).fetchone()
    on_list, last_rank, version, ranked_by = listed
    if not on_list:
        return None, None
    nxt = cur.execute(
        sql("next_to_move_up"),
        {"rep_id": rep_id, "day": day, "model_version": version, "ranked_by": ranked_by},
    ).fetchone()
    if nxt is None:
        return None, None
    next_id, p_order, n_history, p_previous = nxt
    rank = int(last_rank) + 1
    cur.execute(
        sql("call_list_move_up"),
        {
            "day": day,
            "rep_id": rep_id,
            "customer_id": next_id,
            "rank": rank,
            "p_order": p_order,
            "model_version": version,
            "n_history": n_history,
            "p_previous": p_previous,
            "ranked_by": ranked_by,
            "added_for": MOVED_UP,
        },
    )
    return str(next_id), rank
