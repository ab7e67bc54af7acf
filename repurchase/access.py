"""What a signed-in user may see, enforced where the data is read.

Every function here takes the `User` the app keeps on the server after sign-in, never an id
sent by the browser, and narrows its query to that user's scope: a rep sees their own
customers, a manager their team's, an admin everyone's. Asking for anything outside the scope
raises AccessDeniedError, whatever the page or the URL.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from repurchase import evaluate, score
from repurchase.auth import User
from repurchase.errors import AccessDeniedError
from repurchase.warehouse import Warehouse


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
    profile = warehouse.query("customer_profile", customer_id=customer_id)
    if profile.empty or profile.owner_rep_id.iloc[0] not in rep_ids(warehouse, user):
        raise AccessDeniedError(f"customer {customer_id} is not among {user.username}'s customers")
    return profile.iloc[0]


def call_list(warehouse: Warehouse, user: User, rep_id: str, day: date) -> pd.DataFrame:
    """A rep's call list for `day` (see score.rep_call_list), if `user` may see that rep:
    the list as it was written that day, less the customers the rep no longer owns.

    A read never writes: lists are written by the nightly job and by the app's first page
    view of a day (dashboard.ensure_ready). A day without a list is an empty frame."""
    require_rep(warehouse, user, rep_id)
    return score.rep_call_list(warehouse, rep_id, day, compute_missing=False)


def customer_history(
    warehouse: Warehouse, user: User, customer_id: str
) -> dict[str, pd.DataFrame | pd.Series]:
    """Profile, visits, orders and score history of one customer in `user`'s scope."""
    profile = require_customer(warehouse, user, customer_id)
    return {
        "profile": profile,
        "visits": warehouse.query("customer_visits", customer_id=customer_id),
        "orders": warehouse.query("customer_orders", customer_id=customer_id),
        "scores": warehouse.query("customer_scores", customer_id=customer_id),
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
