"""The call list's cards with AppTest: what a rep and a manager see in both languages, the
rep's skip / moved-up / Undo journey, and the tap-to-call link for hostile phone values.

The values other parts of the worklist write (contacts, expected value, churn risk, the previous
chance, reasons against, follow-up dates) are put into the app warehouse directly."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from repurchase import codes, i18n
from repurchase.lists.list_actions import ListActionError
from repurchase.ui import display

from ..reliability.conftest import signed_in

TODAY = date.today()


def _rep_of(wh, username: str) -> str:
    with wh.connect() as cur:
        return cur.execute(
            "select rep_id from users where username = $u", {"u": username}
        ).fetchone()[0]


def _listed(wh, rep_id: str) -> list[str]:
    with wh.connect() as cur:
        rows = cur.execute(
            "select customer_id from call_lists where rep_id = $r and list_date = $d"
            " and not held_out order by rank",
            {"r": rep_id, "d": TODAY},
        ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture
def worked(app_warehouse):
    return enrich(app_warehouse)


def enrich(wh) -> dict[str, object]:
    """Today's list of the demo rep with what the other parts of the worklist add: the first
    customer has a contact, a value, a risk flag, a previous chance and a reason against; a
    customer off the list asked to be called back (the browser test reuses this)."""
    rep = _rep_of(wh, "rep")
    first = _listed(wh, rep)[0]
    with wh.transaction() as cur:
        # the demo's own follow-ups (some due today) aside: the one below comes first
        cur.execute("update visits set follow_up_date = null")
        cur.execute(
            "update customers set contact_name = '王**经理**',"
            " contact_phone = '+86 (138) 0013-8000' where customer_id = $c",
            {"c": first},
        )
        cur.execute(
            "update scores set expected_value = 123456.7, typical_order = 45000, churn_risk = 0.72,"
            " at_risk = true where customer_id = $c and score_date = $d",
            {"c": first, "d": TODAY},
        )
        reasons = json.loads(
            cur.execute(
                "select reasons from call_lists where customer_id = $c and list_date = $d",
                {"c": first, "d": TODAY},
            ).fetchone()[0]
        )
        reasons.append({"code": "never_contacted", "side": "against"})
        cur.execute(
            "update call_lists set p_previous = p_order - 0.06, reasons = $j"
            " where customer_id = $c and list_date = $d",
            {"c": first, "d": TODAY, "j": json.dumps(reasons)},
        )
        # the customer off the list called longest ago: a visit a minute after their last
        # one asked to call back the next day (overdue by now); nothing later clears it
        follow, last = cur.execute(
            "select c.customer_id, max(v.visited_at) from customers as c left join visits as v"
            " on v.customer_id = c.customer_id where c.owner_rep_id = $r and c.customer_id not in"
            " (select customer_id from call_lists where list_date = $d)"
            " group by c.customer_id order by max(v.visited_at) nulls first, 1 limit 1",
            {"r": rep, "d": TODAY},
        ).fetchone()
        if last is None:  # never called: the first call asked to call back
            last = datetime.combine(TODAY - timedelta(days=5), datetime.min.time())
        due = last.date() + timedelta(days=1)
        cur.execute(
            "insert into visits (rep_id, customer_id, visited_at, method, target, purpose, result,"
            " source, entered_by, follow_up_date) values ($r, $c, $t, 'phone', 'active',"
            " 'relationship', 'not_reached', 'app', 'test', $f)",
            {"r": rep, "c": follow, "t": last + timedelta(minutes=1), "f": due},
        )
    return {"rep": rep, "first": first, "follow": follow, "due": due}


def _texts(at) -> list[str]:
    """Every line the page shows as text, markdown or caption (a card's details are one text)."""
    lines = [line for t in at.text for line in t.value.split("\n")]
    return lines + [m.value for m in at.markdown] + [c.value for c in at.caption]


def _open_set_aside(at, customer_id: str):
    """Click a card's Snooze / skip: its controls are drawn only in the dialog it opens."""
    return at.button(key=f"list.aside.{customer_id}").click().run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_reps_cards_show_contact_value_risk_change_reasons_and_follow_ups(worked, lang):
    at = signed_in("rep", language=lang)
    assert not at.exception
    said = _texts(at)
    tr = lambda key, **p: i18n.text(key, lang, **p)  # noqa: E731
    # the follow-up comes first, overdue since yesterday, whatever its score
    first_card = next(t for t in at.text if "(" in t.value)
    assert first_card.value.endswith(f"({worked['follow']})")
    due = worked["due"]
    marker = (
        tr("worklist.follow_up_due")
        if due == TODAY
        else tr("worklist.follow_up_overdue", day=f"{due:%Y-%m-%d}")
    )
    assert any(marker in s for s in said)
    # the contact line: the name as text, the phone a tel: link of digits only
    assert any(s.endswith(": 王**经理**") for s in said)
    # the number: a button a thumb taps to call, shown as stored, dialling digits only
    call = at.link_button(key=f"list.call.{worked['first']}")
    assert call.proto.url == "tel:+8613800138000"
    assert call.value == "\\+86 \\(138\\) 0013\\-8000"
    assert any(tr("worklist.typical_order", amount="45,000") == s for s in said)
    assert any(tr("worklist.expected_value", amount="123,457") == s for s in said)
    assert any(tr("worklist.churn_badge", risk="72%") in s for s in said)
    assert tr("worklist.change_up", points=6) in said
    assert tr("worklist.against") in said
    assert f"– {i18n.text('reason.never_contacted', lang)}" in said
    assert any(tr("worklist.ranked_by.probability") in s for s in said)
    assert [s.value for s in at.subheader if s.value == tr("worklist.drifting")]
    keys = {w.key for w in at.button if w.key}
    assert f"list.skip.{worked['first']}" not in keys  # drawn only in Snooze / skip's dialog
    assert f"list.drift.history.{worked['first']}" in keys  # flagged: in the drifting section
    assert f"list.drift.log.{worked['first']}" in keys


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_manager_sees_the_cards_but_no_snooze_skip_or_log(worked, lang):
    at = signed_in("manager", language=lang)
    at.switch_page("pages/call_list.py").run()
    assert not at.exception
    at.selectbox(key="list.rep").set_value(worked["rep"]).run()
    assert not at.exception
    keys = {w.key for w in at.button if w.key}
    assert f"list.history.{worked['first']}" in keys
    assert f"list.drift.history.{worked['first']}" in keys
    assert not [k for k in keys if k.startswith(("list.skip.", "list.snooze.", "list.undo."))]
    assert not [k for k in keys if ".log." in k]


def _set_aside(at):
    """The expander of the customers set aside (each card folds its details in one too)."""
    titles = {i18n.text("worklist.set_aside_title", lang, n=1) for lang in i18n.LANGUAGES}
    return next((e for e in at.expander if e.label in titles), None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rep_skips_the_next_moves_up_and_undo_brings_the_customer_back(
    app_warehouse, worked, lang
):
    wh = app_warehouse
    listed = _listed(wh, worked["rep"])
    first = worked["first"]
    at = _open_set_aside(signed_in("rep", language=lang), first)
    assert not at.exception
    keys = {w.key for w in at.button if w.key}
    assert f"list.skip.{first}" in keys and f"list.snooze.{first}" in keys
    at.selectbox(key=f"list.skip_reason.{first}").set_value("customer_away")
    at.text_input(key=f"list.skip_note.{first}").input("<b>away</b> till Monday")
    at.button(key=f"list.skip.{first}").click().run()
    assert not at.exception
    after = _listed(wh, worked["rep"])
    assert after[: len(listed)] == listed and len(after) == len(listed) + 1
    moved = after[-1]
    notices = [s.value for s in at.success]
    assert any(first in n for n in notices) and any(moved in n for n in notices)
    keys = {w.key for w in at.button if w.key}
    assert f"list.skip.{first}" not in keys  # set aside: no card any more
    assert f"list.history.{moved}" in keys  # the next one has a card
    expander = _set_aside(at)
    assert expander.label == i18n.text("worklist.set_aside_title", lang, n=1)
    reason = i18n.text("worklist.skip_reason.customer_away", lang)
    assert any(reason in t.value and "<b>away</b>" in t.value for t in expander.text)
    undo = next(b for b in at.button if b.key and b.key.startswith("list.undo."))
    undo.click().run()
    assert not at.exception
    keys = {w.key for w in at.button if w.key}
    assert f"list.history.{first}" in keys and f"list.history.{moved}" in keys
    assert _set_aside(at) is None
    assert _listed(wh, worked["rep"]) == after  # the moved-up row stays


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_snooze_too_long_or_short_is_refused_in_the_readers_language(worked, lang, app_warehouse):
    first = worked["first"]
    at = _open_set_aside(signed_in("rep", language=lang), first)
    low, high = codes.SNOOZE_DAYS
    expected = i18n.text("worklist.error.days", lang, low=low, high=high)
    for days in (high + 15, low - 1):
        at.number_input(key=f"list.snooze_days.{first}").set_value(days)
        at.button(key=f"list.snooze.{first}").click().run()
        assert not at.exception
        assert [e.value for e in at.error] == [expected]
        # the dialog stays open with the number typed, to be put right
        assert at.number_input(key=f"list.snooze_days.{first}").value == days
    with app_warehouse.connect() as cur:
        stored = cur.execute(
            "select count(*) from list_actions where customer_id = $c", {"c": first}
        ).fetchone()[0]
    assert stored == 0


def test_a_rep_snoozes_from_the_card_and_a_past_list_offers_no_actions(app_warehouse, worked):
    first = worked["first"]
    at = _open_set_aside(signed_in("rep", language="en"), first)
    at.number_input(key=f"list.snooze_days.{first}").set_value(3)
    at.button(key=f"list.snooze.{first}").click().run()
    assert not at.exception
    until = f"{TODAY + timedelta(days=3):%Y-%m-%d}"
    assert any(f"snoozed until {until}" in s.value for s in at.success)
    assert any(t.value == f"Snoozed until {until}" for t in _set_aside(at).text)
    assert not [n for n in at.number_input if n.key.startswith("list.snooze_days.")]  # closed
    with app_warehouse.connect() as cur:
        row = cur.execute(
            "select action, until_day from list_actions where customer_id = $c", {"c": first}
        ).fetchone()
    assert row == ("snooze", TODAY + timedelta(days=3))
    at.date_input(key="list.day").set_value(TODAY - timedelta(days=1)).run()
    assert not at.exception
    keys = {w.key for w in at.button if w.key}
    assert any(k.startswith("list.history.") for k in keys)  # yesterday's list shows
    assert not [k for k in keys if k.startswith(("list.skip.", "list.snooze.", "list.undo."))]
    assert i18n.text("worklist.actions_today_only", "en") in [c.value for c in at.caption]


# ----------------------------------------------------------------------------- tel: links


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("+86 138-0013-8000", "tel:+8613800138000"),
        ("(021) 6543 2100 ext. 12", "tel:02165432100" + "12"),
        ("＋８６ １３８００１３８０００", "tel:+8613800138000"),  # full-width, as typed in Chinese
        ("javascript:alert(1)", "tel:1"),
        ('"><script>alert(1)</script>', "tel:1"),
        ("0)](javascript:alert(1))", "tel:01"),
        ("+1 555 0100 +1 555", "tel:+155501001555"),
        ("call me", None),
        ("", None),
        (None, None),
        (float("nan"), None),
        ("1" * 21, None),
    ],
)
def test_the_tel_href_carries_only_digits_and_a_leading_plus(phone, href):
    assert display.tel_href(phone) == href
    if href:
        assert set(href.removeprefix("tel:")) <= set("+0123456789")


def test_the_contact_line_keeps_names_as_text_and_links_only_a_number():
    line, call = display.contact_line("[x](javascript:alert(1))", "0)](javascript:alert(1))")
    assert call is None  # not a number as people write one: no link
    assert line.endswith(": [x](javascript:alert(1)) · 0)](javascript:alert(1))")
    assert display.contact_line("Ms Li", "none") == (
        f"{display.t('worklist.contact')}: Ms Li · none",
        None,
    )
    line, call = display.contact_line("Ms Li", "+86 (138) 0013-8000")
    assert line.endswith(": Ms Li")
    assert call == "[\\+86 \\(138\\) 0013\\-8000](tel:+8613800138000)"


def test_every_skip_reason_and_refusal_is_said_in_both_languages():
    keys = [f"worklist.skip_reason.{c}" for c in codes.SKIP_REASONS] + [
        "worklist.error.days",
        "worklist.error.reason",
        "worklist.error.note",
        "worklist.error.already_set_aside",
        "worklist.error.not_in_force",
    ]
    for key in keys:
        for lang in i18n.LANGUAGES:
            assert i18n.text(key, lang, low=1, high=30, n=200, reason="x")
    refused = ListActionError("worklist.error.days", "a snooze lasts 1 to 30 days", low=1, high=30)
    assert i18n.text(refused.key, "zh", **refused.params) == "暂缓天数须在 1 到 30 天之间。"
