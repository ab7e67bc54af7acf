"""Reminders that reach people: each rep's morning mail (the day's list, the follow-ups due, a
link to the list) and each manager's weekly report, sent over SMTP when an admin has set a mail
server (services.mail_settings); nothing is queued or sent otherwise.

Two steps, both through the outbox table (migration 0022):

* `queue_day` composes the day's mails, each in its reader's language, and stores each one
  under its key (a rep's morning mail for that day, a manager's report for that week). A key
  already in the outbox is never queued again, whoever runs it (the nightly job, an app
  server's daily thread, `send-reminders`), so nobody gets the same mail twice.
* `deliver` sends the due mails. A process takes a mail by one conditional update (claim)
  before sending it, so two processes never send the same one. A failure (the server refuses,
  times out, cannot be reached) is recorded with its error and tried again later with back-off
  (BACKOFF), at most MAX_ATTEMPTS times, and never after the mail's use is over (a morning
  mail expires at the end of its day). When the server cannot be reached at all, the run stops
  at the first failure and records it for every due mail, so a dead server costs one time-out,
  not one per mail. A mail whose sending was interrupted before it was recorded may have gone
  out: it is marked failed, never sent again.

`after_lists` is the nightly hook: both steps, and whatever goes wrong is logged and returned,
never raised, so mail never fails or blocks the job that wrote the lists.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

import pandas as pd

from repurchase import i18n
from repurchase.accounts.auth import User, acting
from repurchase.errors import AccessDeniedError
from repurchase.services import access, mail_content, mail_settings, team_today, weekly_report
from repurchase.services.access import require_admin
from repurchase.services.mail_content import Mail
from repurchase.services.mail_settings import MailSettings, MailSettingsError, valid_address
from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse, changed_rows, next_id, sql

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
BACKOFF = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
STUCK_AFTER = timedelta(minutes=15)  # a send takes seconds; one "sending" this long was cut off
BATCH = 500
SENDER_NAME = "Repurchase"


@dataclass
class Queued:
    configured: bool
    queued: list[str] = field(default_factory=list)  # mail keys queued now
    skipped: list[str] = field(default_factory=list)  # keys already in the outbox


@dataclass
class Delivered:
    sent: list[str] = field(default_factory=list)  # mail keys
    failed: dict[str, str] = field(default_factory=dict)  # mail key -> error
    expired: int = 0
    abandoned: int = 0


@dataclass
class Report:
    queued: Queued
    delivered: Delivered | None
    error: str | None = None  # what stopped the run, logged too

    def summary(self) -> str:
        if not self.queued.configured:
            return "mail: no mail server set, nothing sent"
        d = self.delivered or Delivered()
        said = f"mail: {len(self.queued.queued)} queued, {len(d.sent)} sent, {len(d.failed)} failed"
        return said + (f" ({self.error})" if self.error else "")


class SendError(Exception):
    """One mail was not accepted; `whole_server` when no mail can get through now (the server
    cannot be reached, refused the connection or the sign-in, or timed out)."""

    def __init__(self, message: str, whole_server: bool) -> None:
        self.whole_server = whole_server
        super().__init__(message)


# ------------------------------------------------------------------------------ composing


def _language(stored: object) -> str:
    return stored if stored in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def _recipients(warehouse: Warehouse) -> pd.DataFrame:
    """Enabled users with a valid address who did not opt out (sql/users_mail_recipients)."""
    found = warehouse.query("users_mail_recipients")
    return found[found.email.map(valid_address)].reset_index(drop=True)


def _none(value: object) -> object:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _morning(warehouse: Warehouse, row, today: date, settings: MailSettings) -> Mail | None:
    user = User(row.username, row.display_name, row.role, _none(row.rep_id), _none(row.team))
    rows = access.call_list(warehouse, user, user.rep_id, today)
    return mail_content.morning(
        username=user.username,
        name=user.display_name,
        recipient=row.email,
        language=_language(row.language),
        day=today,
        rows=rows,
        base_url=settings.base_url,
    )


def _weekly(
    warehouse: Warehouse, row, today: date, now: datetime, settings: MailSettings
) -> Mail | None:
    """The report of the last full week (Monday to Sunday before `today`'s week)."""
    user = User(row.username, row.display_name, row.role, _none(row.rep_id), _none(row.team))
    language = _language(row.language)
    last_week = team_today.week_start(today) - timedelta(days=7)
    report = weekly_report.build(warehouse, user, last_week, language, now)
    if report.period.list_days == 0:
        return None  # a week without lists has nothing to report
    return mail_content.weekly(
        username=user.username,
        recipient=row.email,
        language=language,
        period=report.period,
        team=user.team or "",
        report_html=report.html,
        base_url=settings.base_url,
        now=now,
    )


def compose_day(
    warehouse: Warehouse, today: date, now: datetime, settings: MailSettings | None = None
) -> list[Mail]:
    """The mails of `today` not in the outbox yet: each rep's morning mail (when they have
    someone to call) and each manager's report of last week (when it had lists). Reads only.
    A user whose mail cannot be built (a rep moved away meanwhile) is logged and left out."""
    settings = settings or mail_settings.load(warehouse)
    people = _recipients(warehouse)
    last_week = team_today.week_start(today) - timedelta(days=7)
    keys = [
        mail_content.mail_key(mail_content.MORNING, r.username, today)
        if r.role == "rep"
        else mail_content.mail_key(mail_content.WEEKLY, r.username, last_week)
        for r in people.itertuples()
    ]
    done = set(warehouse.query("mail_outbox_keys", keys=keys or [""]).mail_key)
    mails = []
    for row, key in zip(people.itertuples(), keys, strict=True):
        if key in done or row.role not in ("rep", "manager"):
            continue
        try:
            if row.role == "rep":
                mail = _morning(warehouse, row, today, settings)
            else:
                mail = _weekly(warehouse, row, today, now, settings)
        except (AccessDeniedError, ValueError) as exc:
            log.warning("no reminder for %s: %s", row.username, exc)
            continue
        if mail is not None:
            mails.append(mail)
    return mails


def _store(cur: Cursor, mail: Mail, now: datetime) -> bool:
    if cur.execute(sql("mail_outbox_keys"), {"keys": [mail.key]}).fetchone() is not None:
        return False
    cur.execute(
        sql("mail_outbox_insert"),
        {
            "mail_id": next_id(cur, "mail_id_seq"),
            "mail_key": mail.key,
            "kind": mail.kind,
            "username": mail.username,
            "period": mail.period,
            "recipient": mail.recipient,
            "language": mail.language,
            "subject": mail.subject,
            "body_text": mail.text,
            "body_html": mail.html,
            "now": now,
            "expires_at": mail.expires_at,
        },
    )
    return True


def queue_day(warehouse: Warehouse, today: date, now: datetime) -> Queued:
    """Queue `today`'s mails (compose_day), each once; nothing when no mail server is set."""
    settings = mail_settings.load(warehouse)
    result = Queued(configured=settings.configured)
    if not settings.configured:
        return result
    for mail in compose_day(warehouse, today, now, settings):
        # one mail per transaction: a conflict with another process queuing the same key
        # runs again, sees it stored, and skips it
        if retry.transaction(warehouse, lambda cur, m=mail: _store(cur, m, now)):
            result.queued.append(mail.key)
        else:
            result.skipped.append(mail.key)
    return result


# ------------------------------------------------------------------------------ sending


def message(settings: MailSettings, recipient: str, subject: str, text: str, body: str):
    """The MIME message: a plain-text part and its HTML alternative, both UTF-8."""
    msg = EmailMessage()
    msg["From"] = formataddr((SENDER_NAME, settings.sender))
    msg["To"] = recipient
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to a robot
    msg.set_content(text, charset="utf-8")
    msg.add_alternative(body, subtype="html", charset="utf-8")
    return msg


class Connection:
    """One SMTP session for a run's mails, opened at the first send."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
        try:
            if s.security == "starttls":
                smtp.starttls(context=context)
            if s.username:
                smtp.login(s.username, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, msg: EmailMessage) -> None:
        try:
            if self._smtp is None:
                self._smtp = self._open()
            self._smtp.send_message(msg)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            raise SendError(_said(exc), whole_server=False) from exc
        except smtplib.SMTPDataError as exc:
            raise SendError(_said(exc), whole_server=False) from exc
        except (smtplib.SMTPException, OSError) as exc:  # refused, timed out, unreachable
            self.close()
            raise SendError(_said(exc), whole_server=True) from exc

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def _said(exc: BaseException) -> str:
    """An error for the send log: the server's code and words, or the exception's."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, words = next(iter(exc.recipients.values()))
    elif isinstance(exc, smtplib.SMTPResponseException):
        code, words = exc.smtp_code, exc.smtp_error
    else:
        return f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__
    if isinstance(words, bytes):
        words = words.decode("utf-8", "replace")
    return f"{code} {words}"[:500]


def _claim(warehouse: Warehouse, mail_id: int, now: datetime) -> bool:
    def take(cur: Cursor) -> bool:
        cur.execute(sql("mail_outbox_claim"), {"mail_id": mail_id, "now": now})
        return changed_rows(cur) == 1

    return retry.transaction(warehouse, take)


def _failed(warehouse: Warehouse, mail_id: int, attempts: int, error: str, now: datetime) -> None:
    """Record a failed attempt: tried again after the back-off, or given up."""
    if attempts >= MAX_ATTEMPTS:
        status, next_at = "failed", now
    else:
        status, next_at = "pending", now + BACKOFF[min(attempts, len(BACKOFF)) - 1]
    params = {"mail_id": mail_id, "status": status, "next_attempt_at": next_at, "error": error}
    retry.transaction(warehouse, lambda cur: cur.execute(sql("mail_outbox_failed"), params))


def _sent(warehouse: Warehouse, mail_id: int, now: datetime) -> None:
    params = {"mail_id": mail_id, "now": now}
    retry.transaction(warehouse, lambda cur: cur.execute(sql("mail_outbox_sent"), params))


def _tidy(warehouse: Warehouse, now: datetime) -> tuple[int, int]:
    """Expire mails past their use; fail those whose sending was cut off (maybe delivered)."""

    def write(cur: Cursor) -> tuple[int, int]:
        cur.execute(sql("mail_outbox_expire"), {"now": now})
        expired = changed_rows(cur)
        cur.execute(
            sql("mail_outbox_abandon"),
            {
                "before": now - STUCK_AFTER,
                "error": "interrupted while sending; it may have been delivered, so it is "
                "not sent again",
            },
        )
        return expired, changed_rows(cur)

    return retry.transaction(warehouse, write)


def _waiting(warehouse: Warehouse) -> bool:
    """Whether any mail waits to be sent or was left sending."""
    return bool(warehouse.query("mail_outbox_waiting").waiting.iloc[0])


Clock = Callable[[], datetime]


def deliver(
    warehouse: Warehouse,
    now: datetime,
    settings: MailSettings | None = None,
    clock: Clock | None = None,
) -> Delivered:
    """Send the mails due at `now` (see the module's docstring for the rules). `clock` gives
    the time each result is recorded at (tests pass a fixed one)."""
    settings = settings or mail_settings.load(warehouse)
    result = Delivered()
    if not settings.configured or not _waiting(warehouse):
        return result  # a read only: servers look every few minutes, and a write costs a checkpoint
    result.expired, result.abandoned = _tidy(warehouse, now)
    due = warehouse.query("mail_outbox_due", now=now, limit=BATCH)
    connection = Connection(settings)
    server_down: str | None = None
    tick = clock or (lambda: now)
    try:
        for row in due.itertuples():
            if not _claim(warehouse, int(row.mail_id), now):
                continue  # another process took it
            attempts = int(row.attempts) + 1
            if server_down is None:
                msg = message(settings, row.recipient, row.subject, row.body_text, row.body_html)
                try:
                    connection.send(msg)
                except SendError as exc:
                    if exc.whole_server:
                        server_down = str(exc)
                    _failed(warehouse, int(row.mail_id), attempts, str(exc), tick())
                    result.failed[row.mail_key] = str(exc)
                    continue
                _sent(warehouse, int(row.mail_id), tick())
                result.sent.append(row.mail_key)
            else:  # the server cannot be reached: every due mail waits for the next try
                _failed(warehouse, int(row.mail_id), attempts, server_down, tick())
                result.failed[row.mail_key] = server_down
    finally:
        connection.close()
    return result


def after_lists(warehouse: Warehouse, today: date, now: datetime | None = None) -> Report:
    """The nightly hook, run once the day's lists are written: queue the day's mails and send
    what is due. Never raises: a failure is logged and said in the report."""
    moment = now or datetime.now()
    queued = Queued(configured=False)
    try:
        queued = queue_day(warehouse, today, moment)
        delivered = deliver(warehouse, moment) if queued.configured else None
        report = Report(queued, delivered)
    except Exception as exc:  # mail must never fail the job that wrote the lists
        log.exception("reminder mails failed")
        report = Report(queued, None, error=f"{type(exc).__name__}: {exc}")
    if queued.configured:
        log.info(report.summary())
    return report


def retry_due(warehouse: Warehouse, now: datetime | None = None) -> Delivered | None:
    """Send what waits for another try (an app server's thread calls this every 5 minutes);
    None when no mail server is set. Never raises."""
    try:
        settings = mail_settings.load(warehouse)
        if not settings.configured:
            return None
        return deliver(warehouse, now or datetime.now(), settings)
    except Exception:
        log.exception("retrying reminder mails failed")
        return None


# ------------------------------------------------------------------------------ people


def preferences(warehouse: Warehouse, user: User) -> tuple[str | None, bool]:
    """The signed-in user's own address (or None) and whether they opted out."""
    with warehouse.connect() as cur:
        row = cur.execute(sql("users_mail_preferences"), {"username": user.username}).fetchone()
    if row is None:
        return None, False
    return (row[0] or None), bool(row[1])


def set_opt_out(warehouse: Warehouse, user: User, opt_out: bool) -> None:
    """The signed-in user opts out of the reminder mails (or back in), for themselves only."""

    def write(cur: Cursor) -> None:
        acting(cur, user)
        cur.execute(
            sql("users_set_email_opt_out"), {"opt_out": bool(opt_out), "username": user.username}
        )

    retry.transaction(warehouse, write)


def set_email(warehouse: Warehouse, by: User, username: str, email: str | None) -> None:
    """An admin sets (or with None / "" clears) a user's address; MailSettingsError("email")
    for one that is not an address, AccessDeniedError for a non-admin."""
    require_admin(by)
    address = (email or "").strip() or None
    if address is not None and not valid_address(address):
        raise MailSettingsError("email", f"{address!r} is not an e-mail address")

    def write(cur: Cursor) -> None:
        acting(cur, by)
        cur.execute(sql("users_set_email"), {"email": address, "username": username})
        if changed_rows(cur) != 1:
            raise AccessDeniedError(f"there is no user {username!r}")

    retry.transaction(warehouse, write)


def addresses(warehouse: Warehouse, by: User) -> pd.DataFrame:
    """Every user's address, opt-out and language, for an admin (sql/users_mail_list)."""
    require_admin(by)
    return warehouse.query("users_mail_list")


def send_log(warehouse: Warehouse, by: User, limit: int = 50) -> pd.DataFrame:
    """The latest mails and how their sending went, for an admin (sql/mail_outbox_recent)."""
    require_admin(by)
    return warehouse.query("mail_outbox_recent", limit=limit)
