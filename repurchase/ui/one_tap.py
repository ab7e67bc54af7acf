"""One tap per call on the call list's card: the amount and the three outcome buttons, what the
tap did (or why it was refused) said on the card itself, and its Undo for a few seconds.

A tap runs in the button's callback, before the page is drawn again, so the whole page (the
card, the count of calls done) is drawn once, already with the visit. The buttons' keys carry
the card's state (quick_outcomes.card_state): once a tap is stored the card is drawn with new
buttons, and a second tap on the old ones (a double tap) reaches no button and stores nothing;
one that does reach the old button carries the old state and finds its visit stored.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from repurchase.accounts.auth import User
from repurchase.errors import RepurchaseError
from repurchase.services import quick_outcomes
from repurchase.services.quick_outcomes import OUTCOMES, Tap
from repurchase.services.visits import VisitValidationError
from repurchase.ui import text, widgets
from repurchase.ui.cached import clear_lists_and_history, drifting_away
from repurchase.ui.resources import queue_drainer, warehouse
from repurchase.ui.text import t

TAPPED = "list.tapped"  # {customer_id: Tapped}: this session's last tap per card, for Undo
SAID = "list.tap_said"  # {customer_id: (kind, message)}: said on the card after its rerun
UNDO_SECONDS = 10  # how long a tap can be undone from the card
TICK_SECONDS = 1.0  # the Undo's countdown, and when it goes


# Thumb-sized targets on a card: 48 px high (WCAG 2.5.5 asks 44 CSS px, a phone's button
# of 40 is missed by a thumb on the move). A fixed rule: nothing of the data is in it.
_THUMB_CSS = (
    "<style>[class*='st-key-list_card_'] button,"
    " [class*='st-key-list_card_'] a[href^='tel:'] {min-height: 3rem;}</style>"
)


def thumb_sized() -> None:
    """Make the cards' buttons and call links thumb-sized (once per page run)."""
    st.html(_THUMB_CSS)


@dataclass(frozen=True)
class Tapped:
    visit_id: int | None  # None: queued while a job holds the warehouse (nothing to undo yet)
    outcome: str
    amount: float | None
    at: float  # time.monotonic() of the tap


def _tapped() -> dict[str, Tapped]:
    return st.session_state.setdefault(TAPPED, {})


def _said() -> dict[str, tuple[str, str]]:
    return st.session_state.setdefault(SAID, {})


def _problem_text(exc: VisitValidationError) -> str:
    # as the Log a visit form says it: the field, then what is wrong with it
    return "; ".join(
        f"{t('log.field.' + p.field)}: {t(p.key, **dict(p.params))}" for p in exc.problems
    )


def _on_tap(user: User, tap: Tap, amount_key: str) -> None:
    """The button's callback: record the tap; keep what to say on the card."""
    tap = dataclasses.replace(tap, amount_text=st.session_state.get(amount_key) or "")
    cid = tap.customer_id
    try:
        saved = quick_outcomes.record(warehouse(), user, tap)
    except VisitValidationError as exc:
        _said()[cid] = ("error", _problem_text(exc))
        return
    except RepurchaseError as exc:
        _said()[cid] = ("error", widgets.error_text(exc))
        return
    clear_lists_and_history()
    drifting_away.clear()
    amount = quick_outcomes.parse_amount(tap.amount_text) if tap.outcome == "order" else None
    _tapped()[cid] = Tapped(saved.visit_id, tap.outcome, amount, time.monotonic())
    if saved.queued:
        queue_drainer(str(warehouse().path))  # the drainer stores it once the database frees
        _said()[cid] = ("info", t("tap.queued_unreachable" if saved.unreachable else "tap.queued"))
    else:
        _said().pop(cid, None)


def outcome_bar(user: User, row, box) -> None:
    """The amount and the three buttons (Not reached, No demand, Order), thumb-sized, in one
    form so typing the amount runs nothing; what the last tap on this card said, under them."""
    cid = row.customer_id
    state = quick_outcomes.card_state(row.last_visit_at, row.today_result)
    amount_key = f"list.tap_amount.{cid}.{state}"
    tap = Tap(
        customer_id=cid,
        outcome="",
        amount_text="",
        card_state=state,
        follow_up=bool(row.follow_up),
        orders_so_far=int(row.orders_so_far),
    )
    with box.form(f"list.tap.{cid}.{state}", border=False, enter_to_submit=False):
        st.text_input(
            t("tap.amount"),
            key=amount_key,
            placeholder=t("tap.amount_placeholder"),
            max_chars=40,
            label_visibility="collapsed",
        )
        with st.container(horizontal=True, gap="small"):
            for outcome in OUTCOMES:
                st.form_submit_button(
                    t(f"tap.{outcome}"),
                    key=f"list.tap_{outcome}.{cid}.{state}",
                    type="primary" if outcome == "order" else "secondary",
                    width="stretch",
                    on_click=_on_tap,
                    args=(user, dataclasses.replace(tap, outcome=outcome), amount_key),
                )
    said(row, box)


def said(row, box) -> None:
    """What the last tap or Undo on this card said, where the rep is looking."""
    kind, message = _said().get(row.customer_id, (None, None))
    if kind == "error":
        box.error(message)
    elif kind == "info":
        box.info(message)


def done_line(user: User, row, box) -> None:
    """The outcome of today's call on a card that is done, and its Undo while it lasts."""
    at = pd.Timestamp(row.last_visit_at)
    tapped = _tapped().get(row.customer_id)
    if row.today_result == "order" and tapped is not None and tapped.amount is not None:
        amount = f"{tapped.amount:,.2f}" if tapped.amount % 1 else f"{tapped.amount:,.0f}"
        box.success(t("tap.done_amount", time=f"{at:%H:%M}", amount=amount))
    else:
        result = text.plain(text.value("result", row.today_result))
        box.success(t("tap.done", time=f"{at:%H:%M}", result=result))
    if tapped is not None and tapped.visit_id is not None and _left(tapped) > 0:
        with box:
            _undo_bar(user, row, tapped)
    said(row, box)


def _left(tapped: Tapped) -> float:
    return UNDO_SECONDS - (time.monotonic() - tapped.at)


def _undo_bar(user: User, row, tapped: Tapped) -> None:
    """Undo with its countdown, redrawn every tick on its own; when the time is up the page is
    drawn once more without it (which also stops the ticking)."""
    cid = row.customer_id

    def bar() -> None:
        left = _left(tapped)
        if left <= 0:
            _tapped().pop(cid, None)
            st.rerun()
        with st.container(horizontal=True, vertical_alignment="center"):
            if st.button(t("tap.undo"), key=f"list.tap_undo.{cid}.{tapped.visit_id}"):
                _undo(user, row, tapped)
            st.caption(t("tap.undo_left", seconds=math.ceil(left)))

    st.fragment(bar, run_every=TICK_SECONDS)()


def _undo(user: User, row, tapped: Tapped) -> None:
    cid = row.customer_id
    try:
        quick_outcomes.undo(warehouse(), user, int(tapped.visit_id))
    except RepurchaseError as exc:
        _said()[cid] = ("error", widgets.error_text(exc))
    else:
        name = text.plain(f"{row.customer_name} ({cid})")
        _said()[cid] = ("info", t("tap.undone", name=name))
        clear_lists_and_history()
        drifting_away.clear()
    _tapped().pop(cid, None)
    st.rerun()
