"""What a morning mail says, from a call list built by hand: follow-ups first with their notes,
the list without the customers set aside or already called, a long list cut with a count,
every data text escaped in the HTML part and as typed in the text part; and a sender with
nothing in its outbox writes nothing."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from repurchase.accounts import auth
from repurchase.services import mail_content, mail_settings, reminders
from repurchase.services.mail_settings import MailSettings

from ..conftest import snapshot

DAY = date(2026, 7, 1)
NOTE = "<script>alert(1)</script>\nbring the <i>catalogue</i>"


def _row(rank: int, name: str, **changes) -> dict:
    row = {
        "rank": rank,
        "customer_id": f"C{rank:03d}",
        "customer_name": name,
        "contact_name": "Ms. <Wu>",
        "contact_phone": "+86 138-0013-8000",
        "follow_up": False,
        "follow_up_date": None,
        "follow_up_note": None,
        "on_list": True,
        "status": "open",
        "reasons": [{"code": "due", "every": 30, "since": 41}],
    }
    return row | changes


def _mail(rows: list[dict], language: str = "en") -> mail_content.Mail | None:
    return mail_content.morning(
        username="wang",
        name="王 & <Fang>",
        recipient="wang@example.com",
        language=language,
        day=DAY,
        rows=pd.DataFrame(rows),
        base_url="https://sales.example.com/",
    )


def test_follow_ups_come_first_and_set_aside_or_called_customers_are_left_out():
    rows = [
        _row(1, "Due Co", follow_up=True, follow_up_date=date(2026, 6, 29), follow_up_note=NOTE),
        _row(2, "Listed Co"),
        _row(3, "Snoozed Co", status="set_aside"),
        _row(4, "Called Co", status="visited"),
        _row(5, "Off-list follow-up", on_list=False),
    ]
    mail = _mail(rows)
    assert mail.subject == f"Your calls for {DAY} (on the list: 1, follow-ups due: 1)"
    assert mail.text.index("Due Co") < mail.text.index("Listed Co")
    for absent in ("Snoozed Co", "Called Co", "Off-list follow-up"):
        assert absent not in mail.text and absent not in mail.html
    assert "due 2026-06-29" in mail.text
    assert "<script>alert(1)</script> bring the <i>catalogue</i>" in mail.text  # one line
    assert "&lt;script&gt;" in mail.html and "<script>" not in mail.html
    assert "<i>catalogue" not in mail.html and "Ms. &lt;Wu&gt;" in mail.html
    assert "王 &amp; &lt;Fang&gt;" in mail.html
    assert 'href="https://sales.example.com/call_list"' in mail.html
    assert mail.key == f"morning:wang:{DAY}" and mail.expires_at == datetime(2026, 7, 2)


def test_a_long_list_is_cut_with_a_count_and_an_empty_one_sends_nothing():
    rows = [_row(i, f"Customer {i:03d}") for i in range(1, 56)]
    mail = _mail(rows, "zh")
    shown = mail_content.MAX_LIST_ROWS
    assert f"Customer {shown:03d}" in mail.text and f"Customer {shown + 1:03d}" not in mail.text
    assert f"名单上还有 {55 - shown} 位" in mail.text
    assert _mail([_row(1, "Snoozed", status="set_aside")]) is None


def test_a_sender_with_nothing_waiting_writes_nothing(empty_warehouse):
    settings = MailSettings(host="127.0.0.1", port=1, security="none", sender="a@example.com")
    mail_settings.save(empty_warehouse, auth.SYSTEM, settings)
    before = snapshot(empty_warehouse)
    assert reminders.deliver(empty_warehouse, datetime(2026, 7, 1, 6)).sent == []
    assert snapshot(empty_warehouse) == before
