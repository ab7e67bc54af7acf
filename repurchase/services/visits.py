"""Reps log their visits: validated, written in one transaction, audited when changed.

Every write first re-reads the account it acts for inside its own transaction
(`auth.acting`): a rep disabled, or moved to another rep id, a moment ago is refused from that
write on. A rep may log a visit only for a customer they own (the check runs inside the write's
transaction, so nothing is inserted otherwise); an admin may log for anyone, on behalf of the
customer's owner. A rep may edit or delete only the entries they made in the app today; every
create, edit and delete leaves a row in `visit_audit` with the before and after.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from repurchase import codes
from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError, RepurchaseError
from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse, next_id, sql

RESULTS = codes.RESULTS
NOTE_MAX = 2000
BACKDATE_DAYS = 30  # a visit logged later than this is an import, not a log entry
# order_amount is DECIMAL(14, 2): twelve digits before the point
AMOUNT_MAX = 999_999_999_999.99
# NUL and the other control characters (tab, newline and CR are text): the importer refuses
# them too, and a NUL cannot be stored in a DuckDB string
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DEFAULT_CHOICES = {
    "method": ["phone", "im", "onsite", "email"],
    "target": ["active", "no_order_3m", "first_order", "new_customer"],
    "purpose": ["needs_discovery", "quote_follow_up", "relationship", "delivery_follow_up"],
}


@dataclass(frozen=True)
class VisitInput:
    customer_id: str
    visited_at: datetime
    method: str
    target: str
    purpose: str
    result: str
    note: str = ""
    order_amount: float | None = None
    # the form's one-time token: saving the same submission twice stores one visit
    submission_id: str | None = None
    # "call back on ...": a later day, at most codes.FOLLOW_UP_MAX_DAYS after the visit (last,
    # so that entries built positionally, and queue files written before it, still read)
    follow_up_date: date | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a visit entry: the field and an i18n message key (+ params)."""

    field: str
    key: str
    params: tuple[tuple[str, object], ...] = ()


class VisitValidationError(RepurchaseError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.key}" for p in problems))


def check(visit: VisitInput, now: datetime) -> list[Problem]:
    """Every problem with `visit` (empty when it can be saved)."""
    problems = []
    if not visit.customer_id:
        problems.append(Problem("customer_id", "visit.error.customer"))
    if visit.visited_at is None:
        problems.append(Problem("visited_at", "visit.error.when_missing"))
    else:
        if visit.visited_at > now + timedelta(minutes=1):  # clock skew, not the future
            problems.append(Problem("visited_at", "visit.error.future"))
        if visit.visited_at < now - timedelta(days=BACKDATE_DAYS):
            problems.append(
                Problem("visited_at", "visit.error.too_old", (("days", BACKDATE_DAYS),))
            )
    for field in ("method", "target", "purpose"):
        if not getattr(visit, field):
            problems.append(Problem(field, "visit.error.required"))
    for field in ("method", "target", "purpose", "note"):
        if CONTROL.search(getattr(visit, field) or ""):
            problems.append(Problem(field, "visit.error.control"))
    if visit.result not in RESULTS:
        problems.append(Problem("result", "visit.error.result"))
    if len(visit.note or "") > NOTE_MAX:
        problems.append(Problem("note", "visit.error.note_long", (("max", NOTE_MAX),)))
    if visit.order_amount is not None:
        if not math.isfinite(visit.order_amount):
            problems.append(Problem("order_amount", "visit.error.amount_not_number"))
        elif visit.order_amount > AMOUNT_MAX:
            problems.append(
                Problem("order_amount", "visit.error.amount_too_large", (("max", AMOUNT_MAX),))
            )
        elif visit.order_amount < 0:
            problems.append(Problem("order_amount", "visit.error.amount_negative"))
        elif visit.order_amount > 0 and visit.result != "order":
            problems.append(Problem("order_amount", "visit.error.amount_without_order"))
    problems += _follow_up_problems(visit)
    return problems


def _follow_up_problems(visit: VisitInput) -> list[Problem]:
    """A follow-up must fall after the visit's day (the warehouse's check says the same) and
    within codes.FOLLOW_UP_MAX_DAYS of it."""
    follow_up = visit.follow_up_date
    if follow_up is None or visit.visited_at is None:
        return []
    if isinstance(follow_up, datetime):  # a date is wanted; a datetime counts by its day
        follow_up = follow_up.date()
    if not isinstance(follow_up, date):
        return [Problem("follow_up_date", "visit.error.follow_up_not_date")]
    day = visit.visited_at.date()
    if follow_up <= day:
        return [Problem("follow_up_date", "visit.error.follow_up_not_after", (("day", f"{day}"),))]
    if follow_up > day + timedelta(days=codes.FOLLOW_UP_MAX_DAYS):
        return [
            Problem(
                "follow_up_date",
                "visit.error.follow_up_too_far",
                (("days", codes.FOLLOW_UP_MAX_DAYS),),
            )
        ]
    return []


def choices(warehouse: Warehouse) -> dict[str, list[str]]:
    """Values to offer for method, target and purpose: those in use, most used first, then
    the defaults."""
    used = warehouse.query("visit_choices")
    out = {}
    for field, defaults in DEFAULT_CHOICES.items():
        values = used[used.field == field].value.tolist()
        out[field] = values + [d for d in defaults if d not in values]
    return out


def with_submission_key(visit: VisitInput, user: User) -> VisitInput:
    """The visit with its submission key: a digest of who logs it and everything typed
    (customer, time to the minute, method, target, purpose, result, note, amount, follow-up
    day). Saving the same content twice (a double click, a retried queue entry) stores one
    visit; a visit that differs in anything is another."""
    amount = None if visit.order_amount is None else f"{visit.order_amount:.2f}"
    fields = [
        user.username,
        visit.customer_id,
        f"{visit.visited_at:%Y-%m-%dT%H:%M}",
        visit.method,
        visit.target,
        visit.purpose,
        visit.result,
        visit.note or "",
        amount or "",
    ]
    if visit.follow_up_date is not None:
        # only when set: a visit without one keeps the key it had before follow-ups existed
        fields.append(f"{visit.follow_up_date:%Y-%m-%d}")
    digest = hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()
    return dataclasses.replace(visit, submission_id=digest)


def _values(visit: VisitInput) -> dict[str, object]:
    """The stored columns of an entry (an amount only on a visit that got an order)."""
    return {
        "at": visit.visited_at,
        "method": visit.method,
        "target": visit.target,
        "purpose": visit.purpose,
        "result": visit.result,
        "note": visit.note or None,
        "amount": visit.order_amount if visit.result == "order" else None,
        "follow_up": _day(visit.follow_up_date),
    }


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _owner(cur: Cursor, customer_id: str) -> str | None:
    row = cur.execute(sql("visit_customer_owner"), {"customer_id": customer_id}).fetchone()
    return row[0] if row else None


def _row(cur: Cursor, visit_id: int) -> dict[str, object] | None:
    frame = cur.execute(sql("visit_row"), {"visit_id": visit_id}).df()
    if frame.empty:
        return None
    return json.loads(frame.iloc[0].to_json(date_format="iso", default_handler=str))


def _audit(
    cur: Cursor, visit_id: int, action: str, user: User, before: object, after: object
) -> None:
    cur.execute(
        sql("visit_audit_insert"),
        {
            "visit_id": visit_id,
            "action": action,
            "changed_by": user.username,
            "before": None
            if before is None
            else json.dumps(before, ensure_ascii=False, default=str),
            "after": None if after is None else json.dumps(after, ensure_ascii=False, default=str),
        },
    )


def log_visit(
    warehouse: Warehouse, user: User, visit: VisitInput, now: datetime | None = None
) -> int:
    """Save a visit and return its id. Raises VisitValidationError or AccessDeniedError;
    either way nothing is written. A visit with a `submission_id` already stored is not
    stored again: its first visit's id is returned (a double click, a retried queue entry)."""
    now = now or datetime.now()
    problems = check(visit, now)
    if problems:
        raise VisitValidationError(problems)
    if visit.submission_id is None:
        with warehouse.transaction() as cur:
            return _insert(cur, user, visit, now)
    # Two runs saving the same submission at once: the later insert conflicts with the
    # earlier, maybe not yet committed, one; run again, and find it stored.
    return retry.transaction(warehouse, lambda cur: _insert(cur, user, visit, now))


def _submitted(cur: Cursor, submission_id: str) -> int | None:
    row = cur.execute(sql("visit_submission_find"), {"submission_id": submission_id}).fetchone()
    return None if row is None else int(row[0])


def _insert(cur: Cursor, user: User, visit: VisitInput, now: datetime) -> int:
    """The visit's rows, inside the caller's transaction: the account as stored now, the
    submission check, the owner check, the visit, its submission and its audit row."""
    user = auth.acting(cur, user)
    if visit.submission_id is not None:
        stored = _submitted(cur, visit.submission_id)
        if stored is not None:
            return stored
    owner = _owner(cur, visit.customer_id)
    if user.role == "rep" and (owner is None or owner != user.rep_id):
        raise AccessDeniedError(f"{user.username} may not log visits to {visit.customer_id}")
    if user.role == "manager" or owner is None:
        raise AccessDeniedError(f"{user.username} may not log visits to {visit.customer_id}")
    rep_id = user.rep_id if user.role == "rep" else owner
    visit_id = next_id(cur, "visit_id_seq")
    cur.execute(
        sql("visit_insert"),
        {
            "id": visit_id,
            "rep": rep_id,
            "customer": visit.customer_id,
            "by": user.username,
            "now": now,
            **_values(visit),
        },
    )
    if visit.submission_id is not None:
        cur.execute(
            sql("visit_submission_insert"),
            {
                "submission_id": visit.submission_id,
                "visit_id": visit_id,
                "submitted_by": user.username,
                "submitted_at": now,
            },
        )
    _audit(cur, visit_id, "create", user, None, _row(cur, visit_id))
    return int(visit_id)


def _editable(cur: Cursor, user: User, visit_id: int, now: datetime) -> dict[str, object]:
    before = _row(cur, visit_id)
    if before is None or before["entered_by"] != user.username or before["source"] != "app":
        raise AccessDeniedError(f"visit {visit_id} is not an entry of {user.username}")
    if pd.Timestamp(before["entered_at"]).date() != now.date():
        raise AccessDeniedError(f"visit {visit_id} was entered before today and is final")
    return before


def edit_visit(
    warehouse: Warehouse, user: User, visit_id: int, visit: VisitInput, now: datetime | None = None
) -> None:
    """Change one of the user's own entries of today (same customer), audited."""
    now = now or datetime.now()
    problems = check(visit, now)
    if problems:
        raise VisitValidationError(problems)
    with warehouse.transaction() as cur:
        before = _editable(cur, auth.acting(cur, user), visit_id, now)
        if visit.customer_id != before["customer_id"]:
            raise AccessDeniedError("an entry's customer cannot change; delete it and log anew")
        cur.execute(sql("visit_update"), {"visit_id": visit_id, **_values(visit)})
        _audit(cur, visit_id, "edit", user, before, _row(cur, visit_id))


def delete_visit(
    warehouse: Warehouse, user: User, visit_id: int, now: datetime | None = None
) -> None:
    """Delete one of the user's own entries of today; the audit keeps what it was."""
    now = now or datetime.now()
    with warehouse.transaction() as cur:
        before = _editable(cur, auth.acting(cur, user), visit_id, now)
        cur.execute(sql("visit_delete"), {"visit_id": visit_id})
        # the same content logged again after a delete is a new visit, not a duplicate
        cur.execute(sql("visit_submission_delete"), {"visit_id": visit_id})
        _audit(cur, visit_id, "delete", user, before, None)


def entries_today(warehouse: Warehouse, user: User, day: date) -> pd.DataFrame:
    return warehouse.query("entries_by_user", username=user.username, day=day)


def as_input(row: pd.Series) -> VisitInput:
    """A stored visit (entries_today row) back as an editable input."""
    amount = row.order_amount
    follow_up = getattr(row, "follow_up_date", None)
    return VisitInput(
        customer_id=row.customer_id,
        visited_at=pd.Timestamp(row.visited_at).to_pydatetime(),
        method=row.method,
        target=row.target,
        purpose=row.purpose,
        result=row.result,
        note=row.note if isinstance(row.note, str) else "",
        order_amount=None if pd.isna(amount) else float(amount),
        follow_up_date=None if pd.isna(follow_up) else pd.Timestamp(follow_up).date(),
    )
