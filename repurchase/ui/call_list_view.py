"""The call list page's parts: a customer's card (why, how to reach them, the chance, what was
done today, the buttons), the snooze and skip controls, the customers set aside with their Undo,
the customers drifting away, and the list's download.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from repurchase import codes
from repurchase.accounts.auth import User
from repurchase.errors import RepurchaseError
from repurchase.lists import explain
from repurchase.lists.list_actions import Done, ListActionError
from repurchase.services import call_lists
from repurchase.ui import actions, cached, display, one_tap, routes, text, widgets
from repurchase.ui.text import t

NOTICE = "list.notice"  # what the last snooze, skip or Undo did, said once after its rerun
ASIDE_OPEN = "list.aside_open"  # the customer whose Snooze / skip dialog is open


@dataclass(frozen=True)
class ListView:
    """Whose list the page shows and what the signed-in user may do on it."""

    user: User
    rep_id: str
    day: date
    today: date
    can_log: bool  # managers see the lists, reps and admins log visits
    can_act: bool  # snooze and skip: today's list only (a past list is history)
    rep_name: str | None = None  # whose list, when it is not the signed-in user's own


def whose(user: User, rep_id: str) -> str | None:
    """The rep's name when the list is not the signed-in user's own (a manager or an admin
    reads it: "the follow-ups you asked for" would be about the wrong person); None for the
    rep's own list, which speaks to "you"."""
    if user.rep_id == rep_id:
        return None
    names = cached.reps_in_scope(user).set_index("rep_id").name
    return str(names[rep_id]) if rep_id in names.index else rep_id


def rep_picker(user: User, box) -> str:
    """The rep whose list is shown: a rep's own; a manager or admin picks a current rep."""
    if user.is_rep:
        return user.rep_id
    reps = cached.reps_in_scope(user)
    current = reps[reps.left_date.isna()]
    return box.selectbox(
        t("list.rep"),
        current.rep_id.tolist(),
        format_func=lambda r: f"{r} · {current.set_index('rep_id').name[r]}",
        key="list.rep",
    )


def caption(frame: pd.DataFrame, shown: pd.DataFrame, rep_name: str | None = None) -> None:
    """How many are on the list, the model that wrote it, how it is ranked, the follow-ups
    (asked for by "you", or by `rep_name` when another user reads the rep's list)."""
    versions = frame.model_version.dropna()
    versions = versions[versions != ""]
    words = []
    # a day whose lists are not written has only follow-ups and set-asides: "0 customers most
    # likely to order (model )" would say nothing true
    if len(versions) and shown.on_list.any():
        ranked_by = frame.ranked_by.dropna()
        version = text.plain(versions.iloc[0])
        words.append(t("list.caption", n=int(shown.on_list.sum()), version=version))
        if len(ranked_by):
            words.append(t(f"worklist.ranked_by.{ranked_by.iloc[0]}"))
    if shown.follow_up.any():
        n = int(shown.follow_up.sum())
        words.append(
            t("worklist.follow_ups", n=n)
            if rep_name is None
            else t("worklist.follow_ups_of", n=n, rep=text.plain(rep_name))
        )
    st.caption(" ".join(words))


def _name_of(view: ListView, customer_id: str) -> str:
    fresh = cached.call_list(view.user, view.rep_id, view.day)  # re-read: the cache was cleared
    names = fresh.set_index("customer_id").customer_name
    return f"{names[customer_id]} ({customer_id})" if customer_id in names else customer_id


def _said(view: ListView, done: Done, row, key: str, **params: object) -> None:
    notices = [t(key, name=text.plain(f"{row.customer_name} ({row.customer_id})"), **params)]
    if done.moved_up is not None:
        name = text.plain(_name_of(view, done.moved_up))
        notices.append(
            t("worklist.moved_up_notice", name=name)
            if view.rep_name is None
            else t("worklist.moved_up_notice_of", name=name, rep=text.plain(view.rep_name))
        )
    st.session_state[NOTICE] = notices


def _acted(view: ListView, act, row, key: str, **params: object) -> None:
    """Run a snooze or skip; say what it did after the rerun, or why it was refused."""
    try:
        done = act()
    except ListActionError as exc:
        st.error(display.list_action_error(exc))
    except RepurchaseError as exc:
        widgets.fail(exc)
    else:
        _said(view, done, row, key, **params)
        _close()
        st.rerun()


def set_aside_controls(view: ListView, row, box) -> None:
    """Snooze / skip: a button that opens its controls in a dialog over the list. Drawn only
    when asked for: fifteen cards would otherwise send seventy-five widgets that are rarely
    used, the most costly part of the page; and a dialog fits a phone's screen. It stays open
    through the page's reruns until it is closed or has done its work."""
    cid = row.customer_id
    box.button(t("worklist.set_aside"), key=f"list.aside.{cid}", on_click=_open, args=(cid,))
    if st.session_state.get(ASIDE_OPEN) == cid:
        title = f"{t('worklist.set_aside')} · {text.plain(row.customer_name)}"
        st.dialog(title, on_dismiss=_close)(_set_aside_form)(view, row)


def _open(customer_id: str) -> None:
    st.session_state[ASIDE_OPEN] = customer_id


def _close() -> None:
    st.session_state.pop(ASIDE_OPEN, None)


def _set_aside_form(view: ListView, row) -> None:
    """Snooze (days) and skip (reason, note); keys unique per customer."""
    cid = row.customer_id
    # No min/max on the widget: the browser's own range message is English only; the
    # service refuses a number out of range in the reader's language, in the dialog.
    days = st.number_input(
        t("worklist.snooze_days"), value=7, step=1, key=f"list.snooze_days.{cid}"
    )
    if st.button(t("worklist.snooze"), key=f"list.snooze.{cid}"):
        until = call_lists.snooze_until(view.today, int(days))
        snooze = partial(actions.snooze, view.user, cid, int(days))
        _acted(view, snooze, row, "worklist.snoozed", until=f"{until:%Y-%m-%d}")
    st.divider()
    reason = st.selectbox(
        t("worklist.skip_reason"),
        codes.SKIP_REASONS,
        # bound now: Streamlit may format the options again outside this run
        format_func={c: t(f"worklist.skip_reason.{c}") for c in codes.SKIP_REASONS}.get,
        key=f"list.skip_reason.{cid}",
    )
    note = st.text_input(
        t("worklist.skip_note"), max_chars=codes.SKIP_NOTE_MAX, key=f"list.skip_note.{cid}"
    )
    if st.button(t("worklist.skip"), key=f"list.skip.{cid}"):
        skip = partial(actions.skip, view.user, cid, reason, note)
        _acted(view, skip, row, "worklist.skipped")


def open_buttons(view: ListView, row, box, prefix: str, primary: bool = True) -> None:
    """Log a visit (for those who may) and the customer's history, one click each. On a card
    that takes one-tap outcomes the form is the second choice (`primary` False)."""
    cid = row.customer_id
    kind = "primary" if primary else "secondary"
    if view.can_log and box.button(t("list.log"), key=f"{prefix}.log.{cid}", type=kind):
        st.session_state["log.customer"] = cid
        st.switch_page(str(routes.PAGES_DIR / "log_visit.py"))
    if box.button(t("list.history"), key=f"{prefix}.history.{cid}"):
        st.session_state["customer.id"] = cid
        st.switch_page(str(routes.PAGES_DIR / "customer.py"))


def _badges(view: ListView, row, box) -> None:
    """A follow-up due, a customer moved up, a customer drifting away: one line of badges
    (catalogue words only), then the rep's own note of the follow-up as text."""
    badges = []
    if row.follow_up:
        due = pd.Timestamp(row.follow_up_date).date()
        marker = (
            t("worklist.follow_up_due")
            if due >= view.day
            else t("worklist.follow_up_overdue", day=f"{due:%Y-%m-%d}")
        )
        badges.append(f":orange-badge[{marker}]")
    if row.added_for == "moved_up":
        badges.append(f":blue-badge[{t('worklist.moved_up')}]")
    elif row.added_for == "reassigned":  # handed over by the manager after the list was written
        badges.append(f":violet-badge[{t('customer.reassigned_badge')}]")
    if row.at_risk:
        risk = "" if pd.isna(row.churn_risk) else f"{row.churn_risk:.0%}"
        badges.append(f":red-badge[{t('worklist.churn_badge', risk=risk)}]")
    if badges:
        box.markdown(" ".join(badges))
    note = row.follow_up_note if row.follow_up and isinstance(row.follow_up_note, str) else ""
    if note:
        box.text(note)  # the rep's own words, never Markdown


def _contact(row, box) -> None:
    """The contact's name as text, and the number as a button a thumb taps to call (only a
    number as people write one: display.contact_line)."""
    line, call = display.contact_line(row.contact_name, row.contact_phone)
    box.text(line)
    if call:
        number = str(row.contact_phone).strip()
        box.link_button(
            text.plain(number),
            display.tel_href(number),
            key=f"list.call.{row.customer_id}",
            icon=":material/call:",
            width="stretch",
        )


def _chance(row, box) -> None:
    """The chance of an order and its change since the last list, on one line."""
    with box.container(horizontal=True, gap="small"):
        if pd.notna(row.p_order):
            st.caption(f"{t('list.probability')}: {row.p_order:.0%}")
        change = display.change_since_previous(row.p_order, row.p_previous)
        if change:
            st.caption(change)
        if call_lists.little_history(row.n_history):
            st.caption(t("list.little_history"))


def _last_call(row, box) -> None:
    if row.last_visit_at is not None and str(row.last_visit_at) != "NaT":
        result = text.value("result", row.last_result)
        box.text(t("list.last_visit", days=int(row.days_since_visit), result=result))
    else:
        box.text(t("list.never_visited"))


def _reasons(row) -> tuple[list[str], list[str]]:
    reasons_for, against = explain.split(row.reasons)
    # the last call has its own line; the reasons add what the model saw besides it
    seen = ("last_visit_order", "last_visit_no_order")
    return display.say_reasons(reasons_for, skip=seen)[:3], display.say_reasons(against)[:2]


def _details(row, box) -> None:
    """What a rep reads when deciding how to open the call, behind "Why, and more": the
    other reasons and those against, the kind of customer, the orders and their value."""
    said_for, said_against = _reasons(row)
    lines = [f"• {sentence}" for sentence in said_for[1:]]
    if said_against:
        lines.append(t("worklist.against"))
        lines += [f"– {sentence}" for sentence in said_against]
    kinds = ("customer_type", "industry", "tag")
    lines.append(" · ".join(text.value(k, getattr(row, k)) for k in kinds))  # imported codes
    lines.append(t("list.orders_so_far", n=int(row.orders_so_far)))
    lines.append(t("worklist.typical_order", amount=display.money(row.typical_order)))
    lines.append(t("worklist.expected_value", amount=display.money(row.expected_value)))
    box.text("\n".join(lines))  # one element, not one a line: fifteen cards send it all


def _folded(row, box) -> None:
    """A done card's details, folded away: the last call, every reason, the rest."""
    _last_call(row, box)
    said_for, _ = _reasons(row)
    if said_for:
        box.text(f"• {said_for[0]}")
    _details(row, box)


def _about(view: ListView, row, about) -> None:
    """The card's left side: who, how to reach them, the chance, the last call, the first
    reason; the rest folded away so that a card fits a phone's screen."""
    _badges(view, row, about)
    _contact(row, about)
    _chance(row, about)
    _last_call(row, about)
    said_for, _ = _reasons(row)
    if said_for:
        about.text(f"• {said_for[0]}")
    _details(row, about.expander(t("tap.details")))


def _status(row, box) -> None:
    """What was done today, for a reader who does not tap (a manager, a past day)."""
    if row.status != "visited":
        return
    if row.today_result == "not_reached":
        box.warning(t("worklist.not_reached_today"))
    else:
        box.success(t("list.visited_today"))
        box.caption(text.value("result", row.today_result))


def _actions(view: ListView, row, box, taps: bool) -> None:
    """The full form (notes, follow-ups), the history, snooze and skip: one row."""
    with box.container(horizontal=True, gap="small"):
        open_buttons(view, row, st, "list", primary=not taps)
        if view.can_act:
            set_aside_controls(view, row, st)


def card(view: ListView, row) -> None:
    """One customer of the list (a row of cached.call_list) in a bordered box that fits a
    phone's screen: who and why on the left (on top on a phone), the one-tap outcomes on the
    right (under the thumb on a phone). A call that ended (order, no demand) folds the card
    to its outcome; a customer not reached keeps the buttons for the next try."""
    cid = row.customer_id
    taps = view.can_log and view.day == view.today
    done = row.status == "visited" and row.today_result != "not_reached"
    with st.container(border=True, key=f"list_card_{cid}"):
        about, act = st.columns([3, 2])
        with about.container(horizontal=True, gap="small"):
            st.text(f"{row.rank}")
            st.text(f"{row.customer_name}  ({cid})")
        if taps and done:
            one_tap.done_line(view.user, row, act)
            _folded(row, about.expander(t("tap.details")))
            _actions(view, row, act, taps)
            return
        _about(view, row, about)
        if taps:
            if row.status == "visited":
                act.warning(t("worklist.not_reached_today"))
            one_tap.outcome_bar(view.user, row, act)
        else:
            _status(row, act)
        _actions(view, row, act, taps)


def progress(frame: pd.DataFrame) -> None:
    """How many of the day's customers were called today, for the rep working down the list
    (and the cards' thumb-sized buttons for it)."""
    one_tap.thumb_sized()
    if len(frame):
        done = int((frame.status == "visited").sum())
        st.caption(t("tap.progress", done=done, n=len(frame)))


def _undo(view: ListView, row) -> None:
    try:
        actions.undo_list_action(view.user, int(row.action_id))
    except ListActionError as exc:
        st.error(display.list_action_error(exc))
    except RepurchaseError as exc:
        widgets.fail(exc)
    else:
        name_id = f"{row.customer_name} ({row.customer_id})"
        st.session_state[NOTICE] = [t("worklist.undone", name=text.plain(name_id))]
        st.rerun()


def set_aside(view: ListView, aside: pd.DataFrame) -> None:
    """The customers snoozed or skipped, why and until when, each with an Undo."""
    if not len(aside):
        return
    with st.expander(t("worklist.set_aside_title", n=len(aside)), expanded=False):
        for row in aside.itertuples(index=False):
            name, what, undo = st.columns([3, 3, 1])
            name.text(f"{row.customer_name}  ({row.customer_id})")
            if row.set_aside_action == "skip":
                said = t(
                    "worklist.skipped_because",
                    reason=t(f"worklist.skip_reason.{row.set_aside_reason}"),
                )
                note = row.set_aside_note if isinstance(row.set_aside_note, str) else ""
                what.text(f"{said} {note}".strip())
            else:
                until = pd.Timestamp(row.set_aside_until)
                what.text(t("worklist.snoozed_until", until=f"{until:%Y-%m-%d}"))
            if view.can_act and undo.button(
                t("worklist.undo"), key=f"list.undo.{int(row.action_id)}"
            ):
                _undo(view, row)


def drifting(view: ListView) -> None:
    """The rep's customers at risk of drifting away, highest risk first (at most 20)."""
    st.subheader(t("worklist.drifting"))
    st.caption(
        t("worklist.drifting_caption")
        if view.rep_name is None
        else t("worklist.drifting_caption_of", rep=text.plain(view.rep_name))
    )
    try:
        found = cached.drifting_away(view.user, view.rep_id, view.day)
    except RepurchaseError as exc:
        widgets.fail(exc)
    if found.empty:
        st.info(t("worklist.drifting_none"))
    for row in found.head(20).itertuples(index=False):
        with st.container(border=True):
            who, numbers, action = st.columns([3, 3, 2])
            who.text(f"{row.customer_name}  ({row.customer_id})")
            widgets.contact(who, row.contact_name, row.contact_phone)
            risk = "–" if pd.isna(row.churn_risk) else f"{row.churn_risk:.0%}"
            numbers.markdown(f":red-badge[{t('worklist.risk', risk=risk)}]")
            numbers.text(t("worklist.expected_value", amount=display.money(row.expected_value)))
            if pd.notna(row.days_since_visit):
                numbers.text(t("worklist.days_since", days=int(row.days_since_visit)))
            open_buttons(view, row, action, "list.drift")


def download(frame: pd.DataFrame, rep_id: str, day: date) -> None:
    """The whole list (set aside too) as a CSV, reasons in the user's language."""
    export = call_lists.export_frame(frame, text.language())
    widgets.download(export, f"call_list_{rep_id}_{day}.csv", key="list.download")
