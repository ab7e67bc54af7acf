"""What a signed-in user may see, enforced where the data is read.

Every function here takes the `User` the app keeps on the server after sign-in, never an id
sent by the browser, and narrows its query to that user's scope: a rep sees their own
customers, a manager their team's, an admin everyone's. Asking for anything outside the scope
raises AccessDeniedError, whatever the page or the URL.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError
from repurchase.evaluation import outcomes as evaluate
from repurchase.lists import list_actions, score
from repurchase.warehouse import point_reads
from repurchase.warehouse.store import Warehouse


def reps_in_scope(warehouse: Warehouse, user: User) -> pd.DataFrame:
    """The reps `user` may see (rep_id, name, team, level, gender, hire_date, left_date)."""
    return warehouse.query("scope_reps", role=user.role, rep_id=user.rep_id, team=user.team)


def rep_ids(warehouse: Warehouse, user: User) -> list[str]:
    return reps_in_scope(warehouse, user).rep_id.tolist()


def require_rep(warehouse: Warehouse, user: User, rep_id: str) -> None:
    if rep_id not in rep_ids(warehouse, user):
        raise AccessDeniedError(f"{user.username} may not see the lists of rep {rep_id}")


def customers(warehouse: Warehouse, user: User) -> pd.DataFrame:
    """The customers owned by reps in `user`'s scope."""
    return warehouse.query("customers_of_reps", reps=rep_ids(warehouse, user))


def require_customer(warehouse: Warehouse, user: User, customer_id: str) -> pd.Series:
    """The customer's profile if `user` may see it; AccessDeniedError otherwise (the same
    message whether it exists or not, so ids cannot be probed)."""
    profile = point_reads.query(warehouse, "customer_profile", customer_id=customer_id)
    if profile.empty or profile.owner_rep_id.iloc[0] not in rep_ids(warehouse, user):
        raise AccessDeniedError(f"customer {customer_id} is not among {user.username}'s customers")
    return profile.iloc[0]


def call_list(warehouse: Warehouse, user: User, rep_id: str, day: date) -> pd.DataFrame:
    """A rep's call list for `day` (see score.rep_call_list), if `user` may see that rep:
    the list as it was written that day, less the customers the rep no longer owns.

    A read never writes: lists are written by the nightly job, the score job and the server's
    daily-lists thread (ui.resources.daily_lists_writer). A day without lists shows only its
    follow-ups and set-aside rows (score.rep_call_list)."""
    require_rep(warehouse, user, rep_id)
    return score.rep_call_list(warehouse, rep_id, day)


def drifting_away(warehouse: Warehouse, user: User, rep_id: str, day: date) -> pd.DataFrame:
    """The rep's current customers flagged at risk by `day`'s scores, highest risk first
    (sql/rep_drifting_away.sql), if `user` may see that rep."""
    require_rep(warehouse, user, rep_id)
    return score.rep_read(warehouse, "rep_drifting_away", rep_id, day=day)


def may_set_aside(user: User) -> bool:
    """Whether `user`'s role may snooze or skip: a rep (their own customers) or an admin
    acting in the app; a manager only sees the lists."""
    return user.role in ("rep", "admin")


def _acting(user: User) -> list_actions.Before:
    """Re-read `user`'s account first inside a write's transaction (auth.acting): a rep
    disabled or moved to another rep a moment ago cannot set a customer aside."""
    return lambda cur: auth.acting(cur, user)


def _acting_owner(warehouse: Warehouse, user: User, customer_id: str) -> str:
    """The owner of `customer_id`, if `user` may snooze or skip it; AccessDeniedError else."""
    if not may_set_aside(user):
        raise AccessDeniedError(f"{user.username} may not snooze or skip customers")
    owner = str(require_customer(warehouse, user, customer_id).owner_rep_id)
    if user.is_rep and owner != user.rep_id:  # a rep's scope is their own customers anyway
        raise AccessDeniedError(f"customer {customer_id} is not among {user.username}'s customers")
    return owner


def snooze(
    warehouse: Warehouse, user: User, customer_id: str, days: int, day: date
) -> list_actions.Done:
    """Snooze one of the user's customers for `days` (1-30) from `day` (list_actions.snooze)."""
    list_actions.check_days(days)  # a bad number is named before anything is looked up
    owner = _acting_owner(warehouse, user, customer_id)
    return list_actions.snooze(
        warehouse, rep_id=owner, customer_id=customer_id, days=days, day=day,
        entered_by=user.username, before=_acting(user),
    )  # fmt: skip


def skip(
    warehouse: Warehouse, user: User, customer_id: str, reason: str, note: str | None, day: date
) -> list_actions.Done:
    """Skip one of the user's customers on `day` with a reason (list_actions.skip)."""
    list_actions.check_reason(reason, note)
    owner = _acting_owner(warehouse, user, customer_id)
    return list_actions.skip(
        warehouse, rep_id=owner, customer_id=customer_id, reason=reason, note=note, day=day,
        entered_by=user.username, before=_acting(user),
    )  # fmt: skip


def undo_list_action(warehouse: Warehouse, user: User, action_id: int, day: date) -> None:
    """Undo a skip or snooze in force on `day`, on a customer the user may set aside."""
    found = warehouse.query("list_action_customer", action_id=action_id)
    if found.empty:
        raise AccessDeniedError(f"list action {action_id} is not among {user.username}'s")
    owner = _acting_owner(warehouse, user, str(found.customer_id.iloc[0]))
    list_actions.undo(
        warehouse,
        action_id=action_id,
        rep_id=owner,
        day=day,
        undone_by=user.username,
        before=_acting(user),
    )


def customer_history(
    warehouse: Warehouse, user: User, customer_id: str
) -> dict[str, pd.DataFrame | pd.Series]:
    """Profile, visits, orders and score history of one customer in `user`'s scope (each a
    point read: on PostgreSQL from the customer_id indexes)."""
    profile = require_customer(warehouse, user, customer_id)
    return {
        "profile": profile,
        "visits": point_reads.query(warehouse, "customer_visits", customer_id=customer_id),
        "orders": point_reads.query(warehouse, "customer_orders", customer_id=customer_id),
        "scores": point_reads.query(warehouse, "customer_scores", customer_id=customer_id),
    }


def require_manager(user: User) -> None:
    if user.role not in ("manager", "admin"):
        raise AccessDeniedError(f"{user.username} may not see team results")


def on_list_visits(warehouse: Warehouse, user: User, first: date, last: date) -> pd.DataFrame:
    """Visits with on-list flags and cohorts (evaluate.on_list_visits) for the user's reps:
    a manager's team, everyone for an admin. Reps do not see team results."""
    require_manager(user)
    visits = evaluate.on_list_visits(warehouse, first, last)
    return visits[visits.rep_id.isin(rep_ids(warehouse, user))].reset_index(drop=True)


def require_admin(user: User) -> None:
    if user.role != "admin":
        raise AccessDeniedError(f"{user.username} may not import data or retrain models")
