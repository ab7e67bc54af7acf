"""One tap per call: a visit's outcome recorded from the call list's card, and its Undo.

A rep calls a customer from the card and taps what came of it: not reached, no demand, or an
order with its amount. The tap is a visit like the form's (services/visits.log_visit, through
visit_queue.save so a busy warehouse queues it instead of losing it), with what the form would
ask filled in from the card: a phone call (the card's number is a tap-to-call link) made now,
the customer's segment as a CRM shows it at that moment (the model reads it), and a purpose
from why the customer is on the list. Notes and follow-ups stay on the Log a visit form.

Idempotent like the form: a tap's submission key is made from who taps, the customer and the
card as it was drawn (`card_state`: the customer's last visit when the card was drawn). A
double tap, a tap sent again after a reconnect, or a rerun carries the same card state, so it
finds the first visit stored and stores nothing. Once a visit is stored the card is drawn
with a new state, and the next tap (a second call later in the day) is a new visit.

Undo deletes exactly the visit the tap stored, through visits.delete_visit: the rep's own
entry of today, audited as the form's delete is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
import unicodedata
from datetime import date, datetime

import pandas as pd

from repurchase.accounts.auth import User
from repurchase.config import LockSettings
from repurchase.errors import WarehouseLockedError
from repurchase.services import visit_queue, visits
from repurchase.services.visits import Problem, VisitInput, VisitValidationError
from repurchase.warehouse.store import Warehouse

OUTCOMES = ("not_reached", "no_order", "order")  # the card's three buttons, in their order
METHOD = "phone"  # the card's number is a tap-to-call link
OPEN_WAIT_SECONDS = 1.0  # then the visit is queued (visit_queue waits a little more)
DORMANT_DAYS = 90  # "no order in 3 months", the segment the demo's CRM uses too
# what a rep may type around an amount: a currency sign before, the unit after, digit groups
_CURRENCY = re.compile(r"^(?:[¥$]|rmb|cny)?(.*?)(?:元|rmb|cny)?$", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d{1,2})?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?")


@dataclasses.dataclass(frozen=True)
class Tap:
    """One tap on a card: the customer, the outcome, what was typed as the amount (an order
    only), whether the card was a follow-up, and the card's state when it was drawn."""

    customer_id: str
    outcome: str
    amount_text: str
    card_state: str
    follow_up: bool = False
    orders_so_far: int | None = None  # the card's count: the segment while a job holds the file


def card_state(last_visit_at: object, today_result: object) -> str:
    """A short token of what the card showed: the customer's last visit (and today's result).
    A stored tap changes it, an Undo brings the previous one back."""
    seen = f"{last_visit_at}|{today_result}"
    return hashlib.sha256(seen.encode("utf-8")).hexdigest()[:12]


def parse_amount(typed: str | None) -> float:
    """The order amount a rep typed, in currency units. Takes what people type on a phone:
    full-width digits and commas (a Chinese keyboard), digit groups ("12,500" or "12 500"),
    a currency sign or the unit ("¥800", "800元"). Raises VisitValidationError with the
    problem (nothing typed, not a number, negative, zero, too large) for the card to show."""
    problem = _amount_problem(typed)
    if isinstance(problem, Problem):
        raise VisitValidationError([problem])
    return problem


def _amount_problem(typed: str | None) -> Problem | float:
    text = unicodedata.normalize("NFKC", typed or "").strip()
    text = text.replace("，", ",").replace("。", ".")
    if not text:
        return Problem("order_amount", "tap.error.amount_missing")
    negative = text.startswith(("-", "−"))
    text = _CURRENCY.fullmatch(text.lstrip("-−").strip()).group(1).strip()
    text = re.sub(r"(?<=\d)[ \u00a0'_](?=\d{3}\b)", "", text)  # "12 500", "12'500"
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        return Problem("order_amount", "visit.error.amount_not_number")
    amount = float(text)
    if negative and amount > 0:
        return Problem("order_amount", "visit.error.amount_negative")
    if amount == 0:
        return Problem("order_amount", "tap.error.amount_zero")
    if amount > visits.AMOUNT_MAX:
        return Problem(
            "order_amount", "visit.error.amount_too_large", (("max", visits.AMOUNT_MAX),)
        )
    return amount


def segment(warehouse: Warehouse, customer_id: str, day: date) -> str:
    """The customer's target segment on `day` as a CRM shows it (the codes of
    visits.DEFAULT_CHOICES): never ordered, one order, none for three months, or active."""
    found = warehouse.query("customer_segment", customer_id=customer_id, day=day)
    return _segment_of(
        int(found.n_orders.iloc[0]) if len(found) else 0,
        None if not len(found) else found.last_order.iloc[0],
        day,
    )


def _segment_of(n_orders: int, last_order: object, day: date) -> str:
    if n_orders == 0:
        return "new_customer"
    if last_order is None or pd.isna(last_order):  # the count alone: dormancy unknown
        return "first_order" if n_orders == 1 else "active"
    if (day - pd.Timestamp(last_order).date()).days > DORMANT_DAYS:
        return "no_order_3m"
    return "first_order" if n_orders == 1 else "active"


def submission_key(user: User, tap: Tap) -> str:
    """One visit per card drawn: who taps, the customer and the card's state (never the
    outcome: a second button pressed on the same card before it was drawn anew is the same
    call)."""
    fields = ["tap", user.username, tap.customer_id, tap.card_state]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def as_visit(
    warehouse: Warehouse, user: User, tap: Tap, now: datetime, readable: bool = True
) -> VisitInput:
    """The visit a tap records (the segment read from `warehouse` if `readable`, else the
    card's count of orders gives it). Raises VisitValidationError for an unknown outcome, or
    an amount that is missing or wrong on an order, or typed with another outcome (a slip of
    the thumb: which button was meant is not for us to guess)."""
    if tap.outcome not in OUTCOMES:
        raise VisitValidationError([Problem("result", "visit.error.result")])
    amount = None
    if tap.outcome == "order":
        amount = parse_amount(tap.amount_text)
    elif (tap.amount_text or "").strip():
        raise VisitValidationError([Problem("order_amount", "tap.error.amount_not_order")])
    day = now.date()
    visit = VisitInput(
        customer_id=tap.customer_id,
        visited_at=now,
        method=METHOD,
        target=segment(warehouse, tap.customer_id, day)
        if readable
        else _segment_of(tap.orders_so_far or 0, None, day),
        purpose="quote_follow_up" if tap.follow_up else "needs_discovery",
        result=tap.outcome,
        order_amount=amount,
    )
    return dataclasses.replace(visit, submission_id=submission_key(user, tap))


def record(
    warehouse: Warehouse, user: User, tap: Tap, now: datetime | None = None
) -> visit_queue.Saved:
    """Store the tap's visit (or queue it while a job holds the warehouse) and say which.
    Raises VisitValidationError (nothing stored) or AccessDeniedError (not the rep's
    customer, or a manager: managers read lists, they do not call).

    The segment's read and the visit's write share one opening of the file (opening it is
    most of a tap's time). While a job holds the file the rep is not kept waiting for the
    read: the card's count of orders gives the segment, and the visit is queued."""
    now = (now or datetime.now()).replace(microsecond=0)
    patient = Warehouse(
        warehouse.path,
        dsn=warehouse.dsn,
        backend=warehouse.backend,
        lock=LockSettings(timeout_seconds=min(OPEN_WAIT_SECONDS, warehouse.lock.timeout_seconds)),
    )
    with contextlib.ExitStack() as opened:
        try:
            opened.enter_context(patient.connect())
        except WarehouseLockedError:
            return visit_queue.save(
                warehouse, user, as_visit(warehouse, user, tap, now, readable=False), now
            )
        return visit_queue.save(warehouse, user, as_visit(patient, user, tap, now), now)


def undo(warehouse: Warehouse, user: User, visit_id: int, now: datetime | None = None) -> None:
    """Delete the visit a tap stored: only the user's own entry of today (visits.delete_visit
    refuses anything else), its audit row saying what it was."""
    visits.delete_visit(warehouse, user, visit_id, now)
