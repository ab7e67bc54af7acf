"""Reminder mails in the pages (AppTest): the admin sets the mail server and an address on the
Users page and sees the latest sends and failures; a rep switches their mails off in the side
bar (stored for every device) and downloads the follow-ups' calendar from the call list."""

from __future__ import annotations

from datetime import date, datetime

import icalendar
from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth
from repurchase.services import mail_settings, reminders

from ..conftest import REPO


def _signed_in(role: str, language: str = "en") -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = language
    at.run()
    at.text_input(key="login.username").input(role)
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception and at.session_state["auth.user"].role == role
    return at


def _submit(at: AppTest, form_label: str) -> None:
    [button] = [b for b in at.button if b.label == form_label]
    button.click().run()


def test_the_admin_sets_the_server_and_an_address_and_sees_the_sends(app_warehouse):
    at = _signed_in("admin")
    at.switch_page("pages/users.py").run()
    assert not at.exception
    assert any("No mail server is set" in i.value for i in at.info)

    at.text_input(key="mail.host").input("smtp.example.com")
    at.text_input(key="mail.sender").input("not an address")
    _submit(at, "Save mail settings")
    assert "The sender is not an e-mail address." in [e.value for e in at.error]
    assert not mail_settings.load(app_warehouse).configured

    at.text_input(key="mail.sender").input("lists@example.com")
    at.text_input(key="mail.password").input("secret")
    _submit(at, "Save mail settings")
    assert not at.exception
    stored = mail_settings.load(app_warehouse)
    assert (stored.host, stored.sender, stored.password) == (
        "smtp.example.com",
        "lists@example.com",
        "secret",
    )
    assert "Mail settings saved." in [s.value for s in at.success]
    assert at.text_input(key="mail.password").value == ""  # never shown back

    at.selectbox(key="mail.address_user").set_value("rep").run()
    at.text_input(key="mail.address.rep").input("rep@example.com")
    _submit(at, "Set address")
    assert not at.exception
    people = reminders.addresses(app_warehouse, auth.SYSTEM).set_index("username")
    assert people.loc["rep", "email"] == "rep@example.com"

    # a failure shows to the admin, with the server's words
    reminders.queue_day(app_warehouse, date.today(), datetime.now())
    with app_warehouse.transaction() as cur:
        cur.execute(
            "update mail_outbox set status = 'failed', attempts = 4, "
            "last_error = '554 5.7.1 Relay access denied', last_attempt_at = queued_at"
        )
    at.run()
    assert any("could not be sent" in e.value for e in at.error)
    log = next(d.value for d in at.dataframe if "Last error" in d.value.columns)
    assert "554 5.7.1 Relay access denied" in set(log["Last error"])


def test_a_rep_switches_their_mails_off_for_every_device(app_warehouse):
    reminders.set_email(app_warehouse, auth.SYSTEM, "rep", "rep@example.com")
    at = _signed_in("rep")
    toggle = at.toggle(key="mail.mine.receive")
    assert toggle.value is True
    toggle.set_value(False).run()
    assert not at.exception
    rep = auth.user(app_warehouse, "rep")
    assert reminders.preferences(app_warehouse, rep) == ("rep@example.com", True)
    again = _signed_in("rep", "zh")  # another device
    assert again.toggle(key="mail.mine.receive").value is False
    assert again.toggle(key="mail.mine.receive").label == "给我发送提醒邮件"


def test_the_call_list_offers_the_follow_ups_calendar(app_warehouse):
    at = _signed_in("rep")
    assert not at.exception
    [button] = [b for b in at.get("download_button") if b.proto.label.startswith("Follow-ups")]
    assert button.proto.label == "Follow-ups to calendar (.ics)"
    rep = auth.user(app_warehouse, "rep")
    from repurchase.services import follow_up_calendar

    body, _ = follow_up_calendar.calendar(
        app_warehouse, rep, rep.rep_id, rep.display_name, date.today(), "en", datetime.now()
    )
    assert icalendar.Calendar.from_ical(body)["VERSION"] == "2.0"
