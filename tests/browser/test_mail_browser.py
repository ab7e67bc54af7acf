"""Reminder mails in a real browser (Debian's Chromium, Playwright), in both languages: the mails
a real SMTP server received, opened as a reader opens them (desktop and phone); the admin's
E-mail block on the Users page with a failure shown; a rep switching their mails off in the
side bar and downloading the follow-ups' calendar from the call list. Screenshots go to
build/screenshots/ (or REPURCHASE_SCREENSHOT_DIR)."""

from __future__ import annotations

from datetime import date, datetime

import icalendar
import pytest

from repurchase.accounts import auth
from repurchase.services import mail_settings, reminders
from repurchase.services.mail_settings import MailSettings
from repurchase.warehouse.store import Warehouse

from ..smtp_server import smtp_server
from .test_browser import EN, SHOTS, ZH, _browser, _sign_in, server  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "labels": EN,
        "users": "Users",
        "block": "E-mail",
        "failed": "could not be sent",
        "list": "Today's call list",
        "mine": "E-mail",
        "receive": "Send me the reminder mails",
        "ics": "Follow-ups to calendar (.ics)",
        "hello": "Good morning",
        "off": "Reminder mails are off.",
        "log": "Latest mails",
    },
    "zh": {
        "labels": ZH,
        "users": "用户管理",
        "block": "邮件",
        "failed": "未能发送",
        "list": "今日回访名单",
        "mine": "邮件",
        "receive": "给我发送提醒邮件",
        "ics": "回访加入日历(.ics)",
        "hello": "早上好",
        "off": "提醒邮件已关闭。",
        "log": "最近的邮件",
    },
}


def _mails(wh: Warehouse, lang: str) -> dict[str, str]:
    """Send the day's mails to a local server; the HTML each reader received, by user."""
    with wh.transaction() as cur:
        cur.execute("update users set language = $l", {"l": lang})
        cur.execute(
            "update customers set name = '<b>Bold</b> & Sons' where customer_id = ("
            "select min(l.customer_id) from call_lists as l inner join users as u "
            "on u.rep_id = l.rep_id where u.username = 'rep' and l.list_date = $d "
            "and not l.held_out)",
            {"d": date.today()},
        )
    reminders.set_email(wh, auth.SYSTEM, "rep", "rep@example.com")
    reminders.set_email(wh, auth.SYSTEM, "manager", "manager@example.com")
    with smtp_server() as (port, handler):
        settings = MailSettings(
            host="127.0.0.1",
            port=port,
            security="none",
            sender="lists@example.com",
            base_url="http://127.0.0.1",
        )
        mail_settings.save(wh, auth.SYSTEM, settings, keep_password=False)
        reminders.after_lists(wh, date.today(), datetime.now())
    received = {r.recipients[0].split("@")[0]: r.part("html") for r in handler.received}
    assert set(received) == {"rep", "manager"}
    with wh.transaction() as cur:  # the manager's mail, as if the server had refused it
        cur.execute(
            "update mail_outbox set status = 'failed', attempts = 4, "
            "last_error = '554 5.7.1 Relay access denied' where username = 'manager'"
        )
    return received


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-CN", "zh")])
def test_mails_received_then_the_admins_block_and_a_reps_switch(
    server,  # noqa: F811
    tmp_path,
    locale,
    lang,
):
    from playwright.sync_api import expect, sync_playwright

    words = WORDS[lang]
    wh = Warehouse(tmp_path / "browser.duckdb")  # the server's copy (the fixture's path)
    received = _mails(wh, lang)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        for size, viewport in (("desktop", (900, 1000)), ("phone", (390, 844))):
            reader = browser.new_context(
                locale=locale, viewport={"width": viewport[0], "height": viewport[1]}
            )
            mail = reader.new_page()
            mail.set_content(received["rep"])
            expect(mail.get_by_text(words["hello"])).to_be_visible()
            # the name is text: no bold element came from the customer's name
            expect(mail.get_by_text("<b>Bold</b> & Sons")).to_be_visible()
            assert mail.locator("b").count() == 0
            mail.screenshot(path=str(SHOTS / f"mail_morning_{size}_{lang}.png"), full_page=True)
            mail.set_content(received["manager"])
            mail.screenshot(path=str(SHOTS / f"mail_weekly_{size}_{lang}.png"), full_page=True)
            reader.close()

        context = browser.new_context(
            locale=locale, viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, server, "admin", words["labels"])
        page.get_by_role("link", name=words["users"]).click()
        block = page.get_by_role("heading", name=words["block"], exact=True)
        expect(block).to_be_visible()
        expect(page.get_by_text(words["failed"])).to_be_visible()
        block.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # let the tables draw
        page.screenshot(path=str(SHOTS / f"users_mail_{lang}.png"))
        page.get_by_text(words["log"], exact=True).scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / f"users_mail_log_{lang}.png"))

        _sign_in(page, server, "rep", words["labels"])
        expect(page.get_by_role("heading", name=words["list"], exact=True)).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("button", name=words["ics"]).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.suffix == ".ics"
        assert icalendar.Calendar.from_ical(saved.read_bytes())["VERSION"] == "2.0"

        side = page.get_by_test_id("stSidebar")
        side.locator("summary", has_text=words["mine"]).click()  # the side bar's E-mail
        switch = side.locator("input[type=checkbox]")
        expect(switch).to_be_checked()
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / f"mail_switch_{lang}.png"))
        side.get_by_text(words["receive"]).click()
        expect(switch).not_to_be_checked()
        expect(side.get_by_text(words["off"])).to_be_visible()  # said once it is stored
        browser.close()
    rep = auth.user(wh, "rep")
    assert reminders.preferences(wh, rep) == ("rep@example.com", True)
