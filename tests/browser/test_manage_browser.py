"""In a real browser (Debian's Chromium, Playwright) in both languages: a manager sets the
team's daily call target on Team today and hands a customer over from the customer page; a
rep on a phone corrects a contact and is told, at the form, what is wrong with a bad number.
Screenshots go to build/screenshots/ (or REPURCHASE_SCREENSHOT_DIR): team_today_target_*,
customer_manage_* (desktop) and customer_manage_phone_* (390x844)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import REPO
from .test_browser import EN, ZH, _browser, _sign_in, server  # noqa: F401 (the fixture)

SHOTS = Path(os.environ.get("REPURCHASE_SCREENSHOT_DIR", REPO / "build" / "screenshots"))

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "labels": EN,
        "team_title": "Team today",
        "target_title": "Set the daily call target",
        "target_calls": "Calls per rep and day",
        "target_save": "Set the target",
        "target_saved": "aims at 12 calls per rep and day",
        "calls_title": "Calls against the daily target",
        "customer_link": "Customer",
        "reassign_title": "Hand over to another rep",
        "reassign": "Reassign",
        "handed": "Handed to",
        "changes": "Changes made in the app",
        "contact_title": "Correct the contact",
        "phone": "Phone",
        "save_contact": "Save the contact",
        "bad_phone": "Not a phone number",
        "saved": "Contact saved.",
        "list_title": "Today's call list",
        "customer_title": "Customer",
    },
    "zh": {
        "labels": ZH,
        "team_title": "团队今日",
        "target_title": "设置每日通话目标",
        "target_calls": "每位代表每天通话数",
        "target_save": "设置目标",
        "target_saved": "的目标为每位代表每天 12 通",
        "calls_title": "通话量与每日目标",
        "customer_link": "客户详情",
        "reassign_title": "转给其他销售代表",
        "reassign": "转交",
        "handed": "已转交给",
        "changes": "应用内的更改记录",
        "contact_title": "更正联系人",
        "phone": "电话",
        "save_contact": "保存联系人",
        "bad_phone": "不是有效的电话号码",
        "saved": "联系人已保存。",
        "list_title": "今日回访名单",
        "customer_title": "客户详情",
    },
}


def _to_top(page) -> None:
    """Streamlit scrolls inside its own container: back to its top, where a message shows."""
    page.evaluate(
        "for (const e of document.querySelectorAll('*')) if (e.scrollTop) e.scrollTop = 0"
    )
    page.wait_for_timeout(300)


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-CN", "zh")])
def test_a_manager_sets_the_target_and_hands_a_customer_over(server, locale, lang):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    words = WORDS[lang]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context(
            locale=locale, viewport={"width": 1400, "height": 900}
        ).new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, server, "manager", words["labels"])
        expect(page.get_by_role("heading", name=words["team_title"], exact=True)).to_be_visible()
        expect(page.get_by_text(words["calls_title"])).to_be_visible()
        page.get_by_text(words["target_title"], exact=True).click()
        page.get_by_role("spinbutton", name=words["target_calls"]).fill("12")
        page.get_by_role("button", name=words["target_save"]).click()
        expect(page.get_by_text(words["target_saved"])).to_be_visible()
        page.wait_for_timeout(1500)  # let the tables draw
        saved = page.get_by_text(words["target_saved"])  # the message, then the calls below it
        saved.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"team_today_target_{lang}.png"), full_page=True)

        page.get_by_role("link", name=words["customer_link"]).click()
        page.get_by_text(words["reassign_title"], exact=True).click()
        page.get_by_role("button", name=words["reassign"], exact=True).click()
        expect(page.get_by_text(words["handed"])).to_be_visible()
        expect(page.get_by_text(words["changes"])).to_be_visible()
        page.wait_for_timeout(1500)
        page.get_by_text(words["changes"]).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"customer_handover_{lang}.png"), full_page=True)
        page.get_by_text(words["reassign_title"], exact=True).click()  # closed again
        page.get_by_text(words["contact_title"], exact=True).click()
        page.wait_for_timeout(1500)
        _to_top(page)
        page.screenshot(path=str(SHOTS / f"customer_manage_{lang}.png"), full_page=True)
        browser.close()


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-CN", "zh")])
def test_a_rep_corrects_a_contact_on_the_phone(server, locale, lang):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    words = WORDS[lang]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        context = browser.new_context(
            locale=locale, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, server, "rep", words["labels"])
        expect(page.get_by_role("heading", name=words["list_title"], exact=True)).to_be_visible()
        page.goto(f"{server}/customer")  # the session cookie keeps the rep signed in
        title = page.get_by_role("heading", name=words["customer_title"], exact=True)
        expect(title).to_be_visible()
        page.get_by_text(words["contact_title"], exact=True).click()
        phone = page.get_by_role("textbox", name=words["phone"])
        phone.fill("call me")
        page.get_by_role("button", name=words["save_contact"]).click()
        error = page.get_by_text(words["bad_phone"])
        expect(error).to_be_visible()
        error.scroll_into_view_if_needed()
        box = error.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / f"customer_manage_phone_{lang}.png"))
        phone.fill("+86 138 0013 8000")
        page.get_by_role("button", name=words["save_contact"]).click()
        expect(page.get_by_text(words["saved"])).to_be_visible()
        browser.close()
