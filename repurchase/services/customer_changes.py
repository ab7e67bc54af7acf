"""Managers reassign customers within a team; reps correct a customer's contact.

Every change runs in one transaction that first re-reads the account it acts for
(`auth.acting`), checks the customer is in that account's scope as stored now, writes, and
records the change in `customer_changes` (before, after, who, when). Nothing is written when
any check fails.

Reassigning: a manager moves customers of their team, an admin anyone's, to another rep of
the same team who still works; a rep never. The customer leaves the old owner's list of the
day and later days and joins the new owner's at once (sql/call_list_reassign.sql), and the
access rules follow from the owner as stored: the old owner can no longer open it.

Correcting the contact: a rep their own customers, a manager their team's, an admin anyone's.
The phone follows the import's rule (contract.PHONE). An import that carries contacts (or
owners) still overwrites them: the company's system stays the master.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError, RepurchaseError
from repurchase.services import access
from repurchase.warehouse import retry
from repurchase.warehouse.importing.contract import PHONE, PHONE_MAX, PHONE_MIN_DIGITS
from repurchase.warehouse.store import Cursor, Warehouse, next_id, sql

CONTACT_NAME_MAX = 100  # as the import contract's contact_name
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # a contact is one line of text
MAX_AT_ONCE = 500  # customers moved in one reassignment


class ChangeRefusedError(RepurchaseError):
    """A change that cannot be made as asked; nothing was written. `key` and `params` name the
    reason in the catalogue (i18n/customer.py), so the page says it in the reader's language."""

    def __init__(self, key: str, message: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(message)


@dataclass(frozen=True)
class ContactProblem:
    """One thing wrong with a typed contact: the field and an i18n message key (+ params)."""

    field: str
    key: str
    params: tuple[tuple[str, object], ...] = ()


class ContactValidationError(RepurchaseError):
    def __init__(self, problems: list[ContactProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.key}" for p in problems))


@dataclass(frozen=True)
class Moved:
    """One customer handed over: from whom, to whom, and how many list rows went along."""

    customer_id: str
    from_rep: str
    to_rep: str
    list_rows: int


def may_reassign(user: User) -> bool:
    """Managers (their team) and admins hand customers over; reps do not."""
    return user.role in ("manager", "admin")


def may_correct_contact(user: User) -> bool:
    """Everyone may correct the contact of a customer in their scope."""
    return user.role in ("rep", "manager", "admin")


def reassign_targets(warehouse: Warehouse, user: User, from_rep: str, day: date) -> pd.DataFrame:
    """The reps `from_rep`'s customers may go to: the same team, still working on `day`, in
    the user's scope, not `from_rep` (rep_id, name, team). Empty for a rep asking."""
    if not may_reassign(user):
        return pd.DataFrame(columns=["rep_id", "name", "team"])
    reps = access.reps_in_scope(warehouse, user)
    team = reps.set_index("rep_id").team.get(from_rep)
    if from_rep not in set(reps.rep_id):
        raise AccessDeniedError(f"{user.username} may not see the customers of rep {from_rep}")
    same_team = reps.team.fillna("") == ("" if team is None or pd.isna(team) else team)
    working = reps.left_date.isna() | (pd.to_datetime(reps.left_date) > pd.Timestamp(day))
    chosen = reps[same_team & working & (reps.rep_id != from_rep)]
    return chosen[["rep_id", "name", "team"]].reset_index(drop=True)


def reassign(
    warehouse: Warehouse,
    user: User,
    customer_ids: list[str],
    to_rep: str,
    day: date,
    expected_owner: str | None = None,
    now: datetime | None = None,
) -> list[Moved]:
    """Hand `customer_ids` to `to_rep` from `day` on, all or none. `expected_owner`: the owner
    the page showed; a customer someone moved meanwhile is refused rather than moved twice.
    Raises AccessDeniedError (role, scope) or ChangeRefusedError (target, state)."""
    if not may_reassign(user):
        raise AccessDeniedError(f"{user.username} may not reassign customers")
    wanted = list(dict.fromkeys(customer_ids))
    if not wanted:
        raise ChangeRefusedError("manage.error.none_chosen", "no customer was chosen")
    if len(wanted) > MAX_AT_ONCE:
        raise ChangeRefusedError(
            "manage.error.too_many",
            f"at most {MAX_AT_ONCE} customers move at once",
            max=MAX_AT_ONCE,
        )
    now = now or datetime.now()
    return retry.transaction(
        warehouse, lambda cur: _reassign(cur, user, wanted, to_rep, day, expected_owner, now)
    )


def _scope(cur: Cursor, user: User) -> set[str]:
    params = {"role": user.role, "rep_id": user.rep_id, "team": user.team}
    return set(cur.execute(sql("scope_reps"), params).df().rep_id)


def _target(cur: Cursor, to_rep: str, day: date, scope: set[str]) -> pd.Series:
    found = cur.execute(sql("rep_for_change"), {"rep_id": to_rep}).df()
    if found.empty or to_rep not in scope:
        raise ChangeRefusedError(
            "manage.error.unknown_rep", f"rep {to_rep} is not in your team", rep=to_rep
        )
    target = found.iloc[0]
    if not pd.isna(target.left_date) and pd.Timestamp(target.left_date) <= pd.Timestamp(day):
        raise ChangeRefusedError(
            "manage.error.rep_left", f"rep {to_rep} left on {target.left_date}", rep=to_rep
        )
    return target


def _customer(cur: Cursor, user: User, customer_id: str, scope: set[str]) -> pd.Series:
    found = cur.execute(sql("customer_for_change"), {"customer_id": customer_id}).df()
    if found.empty or found.owner_rep_id.iloc[0] not in scope:
        raise AccessDeniedError(f"customer {customer_id} is not among {user.username}'s customers")
    return found.iloc[0]


def _reassign(
    cur: Cursor,
    user: User,
    customer_ids: list[str],
    to_rep: str,
    day: date,
    expected_owner: str | None,
    now: datetime,
) -> list[Moved]:
    user = auth.acting(cur, user)  # a manager moved or disabled a moment ago moves nothing
    scope = _scope(cur, user)
    # customers outside the scope are refused before anything is said about the target rep
    rows = [_customer(cur, user, customer_id, scope) for customer_id in customer_ids]
    target = _target(cur, to_rep, day, scope)
    moved = []
    for row in rows:
        customer_id = str(row.customer_id)
        owner = str(row.owner_rep_id)
        if expected_owner is not None and owner != expected_owner:
            raise ChangeRefusedError(
                "manage.error.moved_meanwhile",
                f"customer {customer_id} was handed to {owner} meanwhile",
                customer=customer_id,
                rep=owner,
            )
        if owner == to_rep:
            raise ChangeRefusedError(
                "manage.error.same_owner",
                f"customer {customer_id} is already {to_rep}'s",
                customer=customer_id,
                rep=to_rep,
            )
        if row.owner_team != target.team:
            raise ChangeRefusedError(
                "manage.error.other_team",
                f"rep {to_rep} is not in the team of customer {customer_id}",
                customer=customer_id,
                rep=to_rep,
            )
        before = cur.execute(
            sql("call_list_rows_count"), {"customer_id": customer_id, "rep_id": to_rep, "day": day}
        ).fetchone()[0]
        cur.execute(
            sql("customer_owner_set"),
            {"customer_id": customer_id, "from_rep": owner, "to_rep": to_rep},
        )
        cur.execute(
            sql("call_list_reassign"),
            {"customer_id": customer_id, "from_rep": owner, "to_rep": to_rep, "day": day},
        )
        after = cur.execute(
            sql("call_list_rows_count"), {"customer_id": customer_id, "rep_id": to_rep, "day": day}
        ).fetchone()[0]
        _record(
            cur, customer_id, "owner", {"owner_rep_id": owner}, {"owner_rep_id": to_rep}, user, now
        )
        moved.append(Moved(customer_id, owner, to_rep, int(after - before)))
    return moved


def _record(
    cur: Cursor,
    customer_id: str,
    change: str,
    before: dict[str, object],
    after: dict[str, object],
    user: User,
    now: datetime,
) -> None:
    cur.execute(
        sql("customer_change_insert"),
        {
            "change_id": next_id(cur, "customer_change_id_seq"),
            "customer_id": customer_id,
            "change": change,
            "before": json.dumps(before, ensure_ascii=False),
            "after": json.dumps(after, ensure_ascii=False),
            "changed_by": user.username,
            "changed_at": now,
        },
    )


def _clean(value: object) -> str | None:
    """A typed value as stored: trimmed; blank is no value."""
    text = "" if value is None else str(value).strip()
    return text or None


def check_contact(name: object, phone: object) -> list[ContactProblem]:
    """Every problem with a typed contact name and phone (empty when it can be saved). Either
    may be blank (the contact is not known)."""
    problems = []
    name, phone = _clean(name), _clean(phone)
    if name is not None:
        if CONTROL.search(name):
            problems.append(ContactProblem("contact_name", "manage.error.control"))
        if len(name) > CONTACT_NAME_MAX:
            problems.append(
                ContactProblem(
                    "contact_name", "manage.error.name_long", (("max", CONTACT_NAME_MAX),)
                )
            )
    if phone is not None:
        digits = sum(ch.isdigit() for ch in phone)
        if not re.match(PHONE, phone) or digits < PHONE_MIN_DIGITS:
            problems.append(
                ContactProblem("contact_phone", "manage.error.phone", (("min", PHONE_MIN_DIGITS),))
            )
        elif len(phone) > PHONE_MAX:
            problems.append(
                ContactProblem("contact_phone", "manage.error.phone_long", (("max", PHONE_MAX),))
            )
    return problems


def correct_contact(
    warehouse: Warehouse,
    user: User,
    customer_id: str,
    name: object,
    phone: object,
    expected: tuple[object, object] | None = None,
    now: datetime | None = None,
) -> bool:
    """Store a corrected contact name and phone (blank clears one); whether anything changed
    (the same values again record nothing). `expected`: the (name, phone) the form showed; a
    contact changed meanwhile (another user, an import) is refused rather than overwritten.
    Raises ContactValidationError, AccessDeniedError or ChangeRefusedError; nothing written."""
    if not may_correct_contact(user):
        raise AccessDeniedError(f"{user.username} may not correct contacts")
    problems = check_contact(name, phone)
    if problems:
        raise ContactValidationError(problems)
    new = {"contact_name": _clean(name), "contact_phone": _clean(phone)}
    now = now or datetime.now()

    def work(cur: Cursor) -> bool:
        acting = auth.acting(cur, user)
        row = _customer(cur, acting, customer_id, _scope(cur, acting))
        old = {k: _clean(None if pd.isna(row[k]) else row[k]) for k in new}
        if expected is not None and tuple(_clean(v) for v in expected) != tuple(old.values()):
            raise ChangeRefusedError(
                "manage.error.contact_meanwhile",
                f"the contact of customer {customer_id} was changed meanwhile",
                customer=customer_id,
            )
        if old == new:
            return False
        cur.execute(sql("customer_contact_set"), {"customer_id": customer_id, **new})
        _record(cur, customer_id, "contact", old, new, acting, now)
        return True

    return retry.transaction(warehouse, work)


def changes(warehouse: Warehouse, user: User, customer_id: str) -> pd.DataFrame:
    """The changes made in the app to a customer in the user's scope, newest first: change_id,
    change ('owner' | 'contact'), before, after (dicts), changed_by, changed_at."""
    access.require_customer(warehouse, user, customer_id)
    found = warehouse.query("customer_changes_list", customer_id=customer_id)
    for column in ("before", "after"):
        found[column] = found[column].map(lambda v: {} if v is None else json.loads(v))
    return found
