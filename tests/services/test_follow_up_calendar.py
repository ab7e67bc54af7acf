"""A rep's follow-ups as an iCalendar file: RFC 5545's line endings, folding and escaping, a UID
that stays the same for the same follow-up, all-day dates, only the rep's open follow-ups, and
read back by an independent parser (the icalendar package)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import pytest

from repurchase.accounts.auth import SYSTEM, User
from repurchase.errors import AccessDeniedError
from repurchase.services import follow_up_calendar as ics
from repurchase.services import visits

TODAY = date(2026, 7, 1)
NOW = datetime(2026, 7, 1, 8, 30)
NOTE = 'Wants the price list, call after 3pm; ask for "Zhang"\\Li\nsecond line, with comma'
NAME = "<b>Acme</b>, Ltd.; 北京分公司 " + "长" * 40


@pytest.fixture
def follow_ups(small_warehouse):
    """Two of a rep's customers with an open follow-up (one of them renamed with markup, a
    long Chinese tail and punctuation), one whose follow-up a later visit cleared, and another
    rep's follow-up."""
    wh = small_warehouse
    with wh.connect() as cur:
        reps = [r[0] for r in cur.execute("select rep_id from reps order by rep_id").fetchall()]
        mine = [
            r[0]
            for r in cur.execute(
                "select customer_id from customers where owner_rep_id = $r order by 1 limit 3",
                {"r": reps[0]},
            ).fetchall()
        ]
        theirs = cur.execute(
            "select customer_id from customers where owner_rep_id = $r order by 1 limit 1",
            {"r": reps[1]},
        ).fetchone()[0]
    rows = [  # customer, visited_at, follow-up, note (the demo's history ends on 30 June)
        (mine[0], datetime(2026, 6, 30, 22), date(2026, 7, 3), NOTE),
        (mine[1], datetime(2026, 6, 30, 21), date(2026, 7, 10), ""),
        (mine[2], datetime(2026, 6, 30, 21, 30), date(2026, 7, 5), "old"),
        (mine[2], datetime(2026, 6, 30, 23), None, "called again: cleared"),
        (theirs, datetime(2026, 6, 30, 22), date(2026, 7, 4), "not yours"),
    ]
    for customer, at, due, note in rows:
        entry = visits.VisitInput(
            customer, at, "phone", "active", "relationship", "no_order", note, follow_up_date=due
        )
        visits.log_visit(wh, SYSTEM, entry, now=NOW)
    with wh.transaction() as cur:
        cur.execute(
            "update customers set name = $n where customer_id = $c", {"n": NAME, "c": mine[0]}
        )
        cur.execute(
            "update customers set contact_name = 'Ms. Wu', contact_phone = '+86 138-0013-8000' "
            "where customer_id = $c",
            {"c": mine[0]},
        )
    return wh, User("r", "Rep", "rep", reps[0]), mine


def test_the_calendar_holds_the_reps_open_follow_ups_as_all_day_events(follow_ups):
    wh, rep, mine = follow_ups
    body, name = ics.calendar(wh, rep, rep.rep_id, "Rep", TODAY, "en", NOW)
    assert name == f"follow_ups_{rep.rep_id}_{TODAY}.ics"
    parsed = icalendar.Calendar.from_ical(body)
    events = parsed.walk("VEVENT")
    found = ics.follow_ups(wh, rep, rep.rep_id, TODAY).set_index("customer_id")
    assert len(events) == len(found)
    assert mine[2] not in found.index  # a later visit cleared its follow-up
    owned = wh.query("customers_of_reps", reps=[rep.rep_id]).customer_id
    assert set(found.index) <= set(owned)  # never another rep's
    by_uid = {str(e["UID"]): e for e in events}
    due = {c: by_uid[ics.uid(found.loc[c, "visit_id"], c)].decoded("DTSTART") for c in mine[:2]}
    assert due == {mine[0]: date(2026, 7, 3), mine[1]: date(2026, 7, 10)}
    first = by_uid[ics.uid(found.loc[mine[0], "visit_id"], mine[0])]
    assert first.decoded("DTEND") == date(2026, 7, 4)
    assert str(first["SUMMARY"]) == f"Call back: {NAME}"
    description = str(first["DESCRIPTION"])
    assert NOTE in description and "+86 138-0013-8000" in description
    assert isinstance(first.decoded("DTSTART"), date) and not isinstance(
        first.decoded("DTSTART"), datetime
    )
    assert first.decoded("DTSTAMP").isoformat().endswith("+00:00")


def test_the_file_follows_rfc_5545s_lines_and_escaping(follow_ups):
    wh, rep, _ = follow_ups
    body, _ = ics.calendar(wh, rep, rep.rep_id, "Rep", TODAY, "zh", NOW)
    text = body.decode("utf-8")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF, no bare LF
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:回访:&lt;" not in unfolded  # text, not HTML-escaped
    assert "SUMMARY:回访:<b>Acme</b>\\, Ltd.\\; 北京分公司 " in unfolded
    assert '\\"Zhang\\"' not in unfolded  # double quotes are not escaped in TEXT
    assert 'call after 3pm\\; ask for "Zhang"\\\\Li\\nsecond line\\, with comma' in unfolded
    # a fold never splits a UTF-8 character: every physical line decodes on its own
    for line in body.split(b"\r\n"):
        line.decode("utf-8")


def test_the_uid_is_the_same_for_the_same_follow_up_in_every_download(follow_ups):
    wh, rep, _ = follow_ups
    first, _ = ics.calendar(wh, rep, rep.rep_id, "Rep", TODAY, "en", NOW)
    later, _ = ics.calendar(wh, rep, rep.rep_id, "Rep", TODAY, "zh", NOW + timedelta(hours=5))

    def uids(body: bytes) -> list[str]:
        return sorted(str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT"))

    assert uids(first) == uids(later) and len(set(uids(first))) == len(uids(first)) >= 2


def test_fold_and_escape_on_their_own():
    assert ics.escape_text("a\\b;c,d\r\ne\rf\ng") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    line = "DESCRIPTION:" + "é" * 100
    folded = ics.fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(p.encode("utf-8")) <= 75 for p in parts[:1])
    assert all(len(p.encode("utf-8")) <= 74 for p in parts[1:])


def test_another_reps_calendar_is_refused(follow_ups):
    wh, rep, _ = follow_ups
    with wh.connect() as cur:
        other = cur.execute("select max(rep_id) from reps").fetchone()[0]
    with pytest.raises(AccessDeniedError):
        ics.calendar(wh, rep, other, "x", TODAY, "en", NOW)
