"""Reminder mails end to end: composed from the warehouse, queued in the outbox, sent over SMTP
to a real server the test starts on 127.0.0.1 (aiosmtpd), and checked as received: who got
what, in which language, with the list's customers and data escaped in the HTML part. A server
that refuses or never answers: retried with back-off, bounded, never raising, shown to admins.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError
from repurchase.services import access, jobs, mail_settings, reminders
from repurchase.services.mail_settings import MailSettings, MailSettingsError
from repurchase.warehouse.store import Warehouse

from ..smtp_server import silent_server, smtp_server

TODAY = date.today()
NOW = datetime.combine(TODAY, datetime.min.time()).replace(hour=6)
ADMIN = User("admin", "Admin", "admin")
MARKUP = "<b>Bold</b> & Sons"


def _rep(wh: Warehouse) -> User:
    with wh.connect() as cur:
        row = cur.execute(
            "select username, display_name, role, rep_id, team from users where username = 'rep'"
        ).fetchone()
    return User(*row)


def _settings(port: int, **changes) -> MailSettings:
    base = MailSettings(
        host="127.0.0.1",
        port=port,
        security="none",
        sender="lists@example.com",
        base_url="https://sales.example.com/app",
        timeout_seconds=2.0,
    )
    return replace(base, **changes)


def _configure(wh: Warehouse, settings: MailSettings) -> None:
    mail_settings.save(wh, auth.SYSTEM, settings, keep_password=False)


def _people(wh: Warehouse) -> tuple[User, str]:
    """The demo's rep (English) and a second rep of another rep id (Chinese), both with an
    address; the id of a customer on the English rep's list today, renamed to markup."""
    rep = _rep(wh)
    with wh.connect() as cur:
        other = cur.execute(
            "select rep_id from call_lists where list_date = $d and rep_id <> $r "
            "group by rep_id order by rep_id limit 1",
            {"d": TODAY, "r": rep.rep_id},
        ).fetchone()[0]
    auth_hash = auth.hash_password("a long unguessable phrase 42")
    with wh.transaction() as cur:
        cur.execute(
            "insert into users (username, display_name, password_hash, role, rep_id) "
            "values ('rep2', '王芳', $h, 'rep', $r)",
            {"h": auth_hash, "r": other},
        )
    reminders.set_email(wh, ADMIN_SYSTEM, "rep", "rep@example.com")
    reminders.set_email(wh, ADMIN_SYSTEM, "rep2", "wang@example.com")
    with wh.transaction() as cur:
        cur.execute("update users set language = 'en' where username = 'rep'")
        cur.execute("update users set language = 'zh' where username = 'rep2'")
    listed = access.call_list(wh, rep, rep.rep_id, TODAY)
    customer = str(listed[listed.on_list & (listed.status == "open")].customer_id.iloc[0])
    with wh.transaction() as cur:
        cur.execute(
            "update customers set name = $n where customer_id = $c", {"n": MARKUP, "c": customer}
        )
    return rep, customer


ADMIN_SYSTEM = auth.SYSTEM


def test_nothing_is_queued_or_sent_while_no_mail_server_is_set(app_warehouse):
    _people(app_warehouse)
    with smtp_server() as (_port, handler):
        report = reminders.after_lists(app_warehouse, TODAY, NOW)
    assert not report.queued.configured and report.delivered is None
    assert handler.received == []
    assert app_warehouse.query("mail_outbox_recent", limit=10).empty


@pytest.mark.both_backends
def test_each_rep_gets_their_list_in_their_language_with_names_escaped(app_warehouse):
    rep, marked = _people(app_warehouse)
    with smtp_server() as (port, handler):
        _configure(app_warehouse, _settings(port))
        report = reminders.after_lists(app_warehouse, TODAY, NOW)
    assert report.error is None
    by_to = {r.recipients[0]: r for r in handler.received}
    assert set(by_to) == {"rep@example.com", "wang@example.com"}
    assert all(len(r.recipients) == 1 for r in handler.received)  # nobody sees another's

    english, chinese = by_to["rep@example.com"], by_to["wang@example.com"]
    assert english.message["Subject"].startswith(f"Your calls for {TODAY}")
    assert chinese.message["Subject"].startswith(f"{TODAY} 的拜访")
    assert "Good morning" in english.part("plain")
    assert "早上好" in chinese.part("plain")
    assert "Good morning" not in chinese.part("plain")

    # the list's customers, as the rep's own call list has them, in both parts
    listed = access.call_list(app_warehouse, rep, rep.rep_id, TODAY)
    expected = listed[listed.on_list & (listed.status == "open") & ~listed.follow_up]
    html_part, text_part = english.part("html"), english.part("plain")
    for name in expected.customer_name.head(reminders.mail_content.MAX_LIST_ROWS):
        assert name in text_part
    # markup in a customer's name is text in the HTML part, never markup
    assert MARKUP in text_part
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Sons" in html_part
    assert "<b>Bold</b>" not in html_part
    # the other rep's customers are not in this rep's mail
    assert MARKUP not in chinese.part("plain")
    assert 'href="https://sales.example.com/app/call_list"' in html_part
    assert english.envelope_from == "lists@example.com"

    log = reminders.send_log(app_warehouse, ADMIN)
    assert set(log.status) == {"sent"} and set(log.recipient) == set(by_to)


def test_the_same_morning_mail_is_never_sent_twice(app_warehouse):
    _people(app_warehouse)
    with smtp_server() as (port, handler):
        _configure(app_warehouse, _settings(port))
        first = reminders.after_lists(app_warehouse, TODAY, NOW)
        again = reminders.after_lists(app_warehouse, TODAY, NOW + timedelta(hours=1))
        reminders.retry_due(app_warehouse, NOW + timedelta(hours=2))
    assert len(first.queued.queued) == 2 and again.queued.queued == []
    assert len(handler.received) == 2


def test_a_user_who_opted_out_gets_nothing(app_warehouse):
    rep, _ = _people(app_warehouse)
    reminders.set_opt_out(app_warehouse, rep, True)
    assert reminders.preferences(app_warehouse, rep) == ("rep@example.com", True)
    with smtp_server() as (port, handler):
        _configure(app_warehouse, _settings(port))
        reminders.after_lists(app_warehouse, TODAY, NOW)
    assert [r.recipients for r in handler.received] == [["wang@example.com"]]
    shown = reminders.addresses(app_warehouse, ADMIN).set_index("username")
    assert bool(shown.loc["rep", "email_opt_out"]) is True  # the admin sees it


def test_each_manager_gets_last_weeks_report(app_warehouse):
    with app_warehouse.transaction() as cur:
        cur.execute(
            "update customers set name = $n "
            "where customer_id = (select min(customer_id) from customers)",
            {"n": MARKUP},
        )
        cur.execute(
            "update reps set name = $n "
            "where rep_id = (select rep_id from users where username = 'rep')",
            {"n": "<i>Li</i>"},
        )
        cur.execute("update users set language = 'zh' where username = 'manager'")
    reminders.set_email(app_warehouse, ADMIN_SYSTEM, "manager", "boss@example.com")
    with smtp_server() as (port, handler):
        _configure(app_warehouse, _settings(port))
        reminders.after_lists(app_warehouse, TODAY, NOW)
    [mail] = handler.received
    assert mail.recipients == ["boss@example.com"]
    assert mail.message["Subject"].startswith("周报")
    html_part = mail.part("html")
    assert "&lt;i&gt;Li&lt;/i&gt;" in html_part and "<i>Li</i>" not in html_part
    assert "&lt;i&gt;Li&lt;/i&gt;" not in mail.part("plain") and "<i>Li</i>" in mail.part("plain")


@pytest.mark.both_backends
def test_a_refusing_server_is_retried_with_back_off_then_given_up(app_warehouse):
    _people(app_warehouse)
    refusal = "554 5.7.1 Relay access denied"
    with smtp_server(refuse=refusal) as (port, handler):
        _configure(app_warehouse, _settings(port))
        report = reminders.after_lists(app_warehouse, TODAY, NOW)
        assert report.error is None and len(report.delivered.failed) == 2
        assert all(error.startswith("554") for error in report.delivered.failed.values())
        log = reminders.send_log(app_warehouse, ADMIN)
        assert set(log.status) == {"pending"} and set(log.attempts) == {1}
        assert set(log.last_error) == {"554 5.7.1 Relay access denied"}
        assert set(log.next_attempt_at) == {NOW + reminders.BACKOFF[0]}
        # not due yet: nothing is tried
        assert reminders.deliver(app_warehouse, NOW + timedelta(minutes=4)).failed == {}
        moment = NOW
        for backoff in reminders.BACKOFF:
            moment += backoff
            reminders.deliver(app_warehouse, moment)
        log = reminders.send_log(app_warehouse, ADMIN)
        assert set(log.status) == {"failed"} and set(log.attempts) == {reminders.MAX_ATTEMPTS}
        assert reminders.deliver(app_warehouse, moment + timedelta(hours=5)).failed == {}
    assert handler.received == []


def test_a_retry_delivers_once_the_server_is_back(app_warehouse):
    _people(app_warehouse)
    with smtp_server(refuse="451 4.3.0 try later") as (port, _):
        _configure(app_warehouse, _settings(port))
        reminders.after_lists(app_warehouse, TODAY, NOW)
    with smtp_server() as (port, handler):
        _configure(app_warehouse, _settings(port))
        reminders.retry_due(app_warehouse, NOW + reminders.BACKOFF[0])
    assert sorted(r.recipients[0] for r in handler.received) == [
        "rep@example.com",
        "wang@example.com",
    ]
    log = reminders.send_log(app_warehouse, ADMIN)
    assert set(log.status) == {"sent"} and set(log.attempts) == {2}


def test_a_server_that_never_answers_costs_one_time_out_and_never_raises(
    app_warehouse, monkeypatch
):
    _people(app_warehouse)
    opened = []
    real_open = reminders.Connection._open

    def counted(self):
        opened.append(1)
        return real_open(self)

    monkeypatch.setattr(reminders.Connection, "_open", counted)
    with silent_server() as port:
        _configure(app_warehouse, _settings(port, timeout_seconds=0.3))
        report = reminders.after_lists(app_warehouse, TODAY, NOW)
    assert report.error is None
    assert len(report.delivered.failed) == 2 and report.delivered.sent == []
    assert opened == [1]  # one time-out for the run, not one per mail
    log = reminders.send_log(app_warehouse, ADMIN)
    assert set(log.status) == {"pending"}
    assert all("timed out" in e for e in log.last_error)


def test_the_score_job_sends_the_mails_and_a_broken_mail_step_never_fails_it(
    app_warehouse, monkeypatch
):
    _people(app_warehouse)
    with app_warehouse.transaction() as cur:
        cur.execute("delete from call_lists where list_date = $d", {"d": TODAY})
        cur.execute("delete from scores where score_date = $d", {"d": TODAY})
    with smtp_server() as (port, handler):
        _configure(app_warehouse, _settings(port))
        done = jobs.perform(app_warehouse, "score", jobs.score_params(TODAY))
    assert done.result.list_written
    assert len(handler.received) == 2

    def broken(*_args, **_kwargs):
        raise RuntimeError("the outbox is gone")

    monkeypatch.setattr(reminders, "queue_day", broken)
    report = reminders.after_lists(app_warehouse, TODAY, NOW)
    assert report.error == "RuntimeError: the outbox is gone"


def test_yesterdays_morning_mail_is_not_sent_today(app_warehouse):
    _people(app_warehouse)
    with silent_server() as port:
        _configure(app_warehouse, _settings(port, timeout_seconds=0.2))
        reminders.after_lists(app_warehouse, TODAY, NOW)
    with smtp_server() as (port, handler):
        _configure(app_warehouse, _settings(port))
        tomorrow = NOW + timedelta(days=1)
        delivered = reminders.deliver(app_warehouse, tomorrow)
    assert delivered.expired == 2 and handler.received == []
    assert set(reminders.send_log(app_warehouse, ADMIN).status) == {"expired"}


def test_a_send_cut_off_midway_is_never_sent_again(app_warehouse):
    _people(app_warehouse)
    with silent_server() as port:
        _configure(app_warehouse, _settings(port, timeout_seconds=0.2))
        reminders.queue_day(app_warehouse, TODAY, NOW)
    with app_warehouse.transaction() as cur:  # a process claimed them, then was killed
        cur.execute("update mail_outbox set status = 'sending', last_attempt_at = $t", {"t": NOW})
    with smtp_server() as (port, handler):
        _configure(app_warehouse, _settings(port))
        delivered = reminders.deliver(app_warehouse, NOW + timedelta(hours=1))
    assert delivered.abandoned == 2 and handler.received == []
    log = reminders.send_log(app_warehouse, ADMIN)
    assert set(log.status) == {"failed"}
    assert all("may have been delivered" in e for e in log.last_error)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"sender": "not an address"}, "sender"),
        ({"sender": "a@b.c\r\nBcc: x@y.z"}, "sender"),
        ({"host": "mail.example.com; rm"}, "host"),
        ({"port": 70000}, "port"),
        ({"security": "ssl3"}, "security"),
        ({"sender": ""}, "incomplete"),
        ({"base_url": "javascript:alert(1)"}, "base_url"),
        ({"timeout_seconds": 0}, "timeout"),
    ],
)
def test_settings_that_cannot_work_are_refused_by_name(empty_warehouse, changes, reason):
    with pytest.raises(MailSettingsError) as refused:
        mail_settings.save(empty_warehouse, auth.SYSTEM, replace(_settings(25), **changes))
    assert refused.value.reason == reason
    assert not mail_settings.load(empty_warehouse).configured


def test_only_an_admin_sets_the_server_and_the_password_is_kept_unshown(app_warehouse):
    rep = _rep(app_warehouse)
    with pytest.raises(AccessDeniedError):
        mail_settings.save(app_warehouse, rep, _settings(25))
    with pytest.raises(AccessDeniedError):
        reminders.set_email(app_warehouse, rep, "rep", "me@example.com")
    with pytest.raises(AccessDeniedError):
        reminders.send_log(app_warehouse, rep)
    mail_settings.save(app_warehouse, auth.SYSTEM, _settings(25, username="app", password="s3"))  # noqa: S106
    mail_settings.save(app_warehouse, auth.SYSTEM, _settings(26, username="app", password=""))
    stored = mail_settings.load(app_warehouse)
    assert (stored.port, stored.password) == (26, "s3")
    assert stored.shown()["password"] is True
    with pytest.raises(MailSettingsError):
        reminders.set_email(app_warehouse, auth.SYSTEM, "rep", "rep at example")
