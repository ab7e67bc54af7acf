"""A rep's open follow-ups as an iCalendar file (RFC 5545), for the calendar on their phone or
desktop: one all-day event per follow-up, on its day, with a reminder at 09:00.

The file follows the RFC where calendars are strict: lines end in CRLF and are folded at 75
octets (never inside a UTF-8 character); TEXT values escape backslash, semicolon, comma and
line breaks; every event has a UID that stays the same for the same follow-up (the visit that
asked for it), so importing a newer download updates the events instead of doubling them, and
a DTSTAMP in UTC. A follow-up cleared by a later visit is no longer in the file.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from repurchase import codes, i18n
from repurchase.accounts.auth import User
from repurchase.services import access
from repurchase.warehouse.store import Warehouse

PRODID = "-//Repurchase call lists//Follow-ups//EN"
UID_DOMAIN = "follow-ups.repurchase"
REMINDER = "PT9H"  # from the all-day event's start (midnight): 09:00 that day
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line
    break (CRLF, CR or LF) written as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return re.sub(r"\r\n|\r|\n", "\\\\n", value)


def fold(line: str) -> str:
    """One content line folded (RFC 5545 3.1): at most 75 octets per physical line, each
    continuation starting with one space, never splitting a UTF-8 character."""
    out, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not out else MAX_OCTETS - 1  # a continuation's space counts
        if size + width > limit:
            out.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


def uid(visit_id: int, customer_id: str) -> str:
    """The same for the same follow-up in every download (the visit that asked for it)."""
    customer = hashlib.sha256(str(customer_id).encode("utf-8")).hexdigest()[:10]
    return f"follow-up-{int(visit_id)}-{customer}@{UID_DOMAIN}"


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is the server's local time
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def _event(row: pd.Series, language: str, stamp: str) -> list[str]:
    day = pd.Timestamp(row.follow_up_date).date()
    summary = i18n.text("mail.ics.summary", language, customer=row.customer_name)
    details = []
    contact = " · ".join(
        str(row[c]) for c in ("contact_name", "contact_phone") if not _blank(row[c])
    )
    if contact:
        details.append(i18n.text("mail.ics.contact", language, contact=contact))
    if not _blank(row.note):
        visited = pd.Timestamp(row.visited_at).date()
        details.append(i18n.text("mail.ics.visited", language, day=visited, note=row.note))
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(row.visit_id, row.customer_id)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if details:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(details))}")
    if not _blank(row.contact_phone):
        lines.append(f"LOCATION:{escape_text(str(row.contact_phone))}")
    return [
        *lines,
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(summary)}",
        f"TRIGGER;RELATED=START:{REMINDER}",
        "END:VALARM",
        "END:VEVENT",
    ]


def render(follow_ups: pd.DataFrame, calendar_name: str, language: str, now: datetime) -> bytes:
    """The calendar of `follow_ups` (sql/rep_follow_ups_calendar.sql's columns), UTF-8."""
    stamp = _utc(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
    ]
    for _, row in follow_ups.iterrows():
        lines += _event(row, language, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def follow_ups(warehouse: Warehouse, user: User, rep_id: str, today: date) -> pd.DataFrame:
    """The rep's open follow-ups from those overdue as long as the list shows them
    (codes.FOLLOW_UP_OVERDUE_DAYS) on, if `user` may see that rep (AccessDeniedError else)."""
    access.require_rep(warehouse, user, rep_id)
    since = today - timedelta(days=codes.FOLLOW_UP_OVERDUE_DAYS)
    return warehouse.query("rep_follow_ups_calendar", rep_id=rep_id, since=since)


def calendar(
    warehouse: Warehouse,
    user: User,
    rep_id: str,
    rep_name: str,
    today: date,
    language: str,
    now: datetime,
) -> tuple[bytes, str]:
    """The rep's follow-ups as an .ics file and its file name, if `user` may see that rep."""
    found = follow_ups(warehouse, user, rep_id, today)
    name = i18n.text("mail.ics.calendar", language, name=rep_name or rep_id)
    return render(found, name, language, now), file_name(rep_id, today)


def file_name(rep_id: str, today: date) -> str:
    """The download's name: the rep's id made safe for any file system, and the day."""
    return f"follow_ups_{re.sub(r'[^A-Za-z0-9_-]', '_', rep_id)}_{today}.ics"
