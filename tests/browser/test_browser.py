"""End to end in a real browser: Debian's Chromium driven by Playwright against `streamlit run`
on 127.0.0.1. A rep signs in, sees the list, logs a visit, sees it in the history, signs out.
Screenshots of every page in both languages go to build/screenshots/ (git-ignored), or to
REPURCHASE_SCREENSHOT_DIR: `REPURCHASE_SCREENSHOT_DIR=docs/screenshots` refreshes the README's.

Never downloads a browser: it needs /usr/bin/chromium (`apt-get install -y chromium`). Without
it the test is skipped, unless REPURCHASE_REQUIRE_BROWSER=1 (CI sets it), where it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from repurchase.accounts import auth
from repurchase.ui.server import CHROMIUM, CHROMIUM_FLAGS, running

from ..conftest import REPO

SHOTS = Path(os.environ.get("REPURCHASE_SCREENSHOT_DIR", REPO / "build" / "screenshots"))

pytestmark = pytest.mark.browser


def _need_browser() -> None:
    missing = not CHROMIUM.exists()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = True
    if missing:
        if os.environ.get("REPURCHASE_REQUIRE_BROWSER") == "1":
            pytest.fail("the browser test needs /usr/bin/chromium and playwright")
        pytest.skip("no /usr/bin/chromium or playwright here (apt-get install -y chromium)")


@pytest.fixture
def server(tmp_path, _app_warehouse_file) -> Iterator[str]:
    """`streamlit run app.py` on 127.0.0.1 with a private copy of the app demo; stopped after."""
    _need_browser()
    source = Path(os.environ.get("REPURCHASE_SCREENSHOT_WAREHOUSE", _app_warehouse_file))
    target = tmp_path / "browser.duckdb"
    shutil.copy(source, target)
    with running(target) as url:
        yield url


def _browser(playwright):
    from playwright.sync_api import expect

    expect.set_options(timeout=60_000)  # a first render imports torch and reads the warehouse
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)


def _sign_in(page, url: str, username: str, labels: dict[str, str]) -> None:
    page.context.clear_cookies()  # the session cookie would sign the previous user back in
    page.goto(url)
    page.get_by_role("textbox", name=labels["username"]).fill(username)
    page.get_by_role("textbox", name=labels["password"]).fill(auth.DEMO_PASSWORD)
    page.get_by_role("button", name=labels["submit"]).click()


def _drawn(page, width: int) -> None:
    """Until the page's run has ended and each of its charts has drawn its plot within `width`
    pixels (a chart redraws itself when the window narrows)."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    page.wait_for_function(
        """width => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(
            chart => {
                const plot = chart.querySelector("svg.main-svg");
                return plot && plot.getBoundingClientRect().width <= width;
            })""",
        arg=width,
    )
    page.wait_for_timeout(300)  # the plot's own transition, for the screenshot only


EN = {"username": "Username", "password": "Password", "submit": "Sign in"}
ZH = {"username": "用户名", "password": "密码", "submit": "登录"}


def test_a_rep_signs_in_sees_the_list_logs_a_visit_sees_it_and_signs_out(server):
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context(
            locale="en-US", viewport={"width": 1400, "height": 1000}
        ).new_page()
        page.set_default_timeout(60_000)
        page.goto(server)
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        _sign_in(page, server, "rep", EN)
        expect(page.get_by_role("heading", name="Today's call list")).to_be_visible()
        expect(page.get_by_text("Chance of an order").first).to_be_visible()
        page.get_by_role("button", name="Log visit").first.click()

        expect(page.get_by_role("heading", name="Log a visit")).to_be_visible()
        page.get_by_text("Got an order", exact=True).first.click()
        page.get_by_role("spinbutton", name="Order amount (optional)").fill("320")
        page.get_by_role("textbox", name="Note").fill("ordered 500 pcs <b>not bold</b>")
        page.get_by_role("button", name="Save visit").click()
        expect(page.get_by_text("Saved the visit to")).to_be_visible()
        entry = page.get_by_text("Got an order").filter(has_text="·").first
        expect(entry).to_be_visible()  # today's entries list it
        page.screenshot(path=str(SHOTS / "log_visit_after_save_en.png"), full_page=True)

        page.get_by_role("link", name="Today's call list").click()
        expect(page.get_by_text("Visited today").first).to_be_visible()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        assert "<b>" not in page.content().split("ordered 500 pcs")[0][-50:]
        browser.close()


PAGES_BY_ROLE = {
    "rep": [
        ("call_list", "Today's call list", "今日回访名单"),
        ("log_visit", "Log a visit", "记录回访"),
        ("customer", "Customer", "客户详情"),
    ],
    "manager": [
        ("team_today", "Team today", "团队今日"),
        ("cohorts", "Does the list work?", "名单效果"),
        ("model", "Model", "模型"),
    ],
    "admin": [("data", "Data", "数据管理"), ("users", "Users", "用户管理")],
}
# The call list's phone shots come from the one-tap test, which works the cards on the phone.
PHONE_TOO = {"team_today", "cohorts", "model", "data", "users", "customer", "log_visit"}
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize(("locale", "lang", "labels"), [("en-US", "en", EN), ("zh-CN", "zh", ZH)])
def test_screenshots_of_every_page(server, locale, lang, labels):
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        context = browser.new_context(locale=locale, viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(server)
        expect(page.get_by_role("heading", name=labels["submit"])).to_be_visible()
        page.screenshot(path=str(SHOTS / f"sign_in_{lang}.png"), full_page=True)
        for role, pages in PAGES_BY_ROLE.items():
            _sign_in(page, server, role, labels)  # no cookie: a fresh session
            for name, en_title, zh_title in pages:
                title = en_title if lang == "en" else zh_title
                page.get_by_role("link", name=title).click()  # the menu keeps the session
                expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
                _drawn(page, DESKTOP["width"])
                page.screenshot(path=str(SHOTS / f"{name}_{lang}.png"), full_page=True)
                if name in PHONE_TOO:  # the same page laid out for a phone, no rerun needed
                    page.set_viewport_size(PHONE)
                    _drawn(page, PHONE["width"])
                    page.screenshot(path=str(SHOTS / f"{name}_phone_{lang}.png"), full_page=True)
                    page.set_viewport_size(DESKTOP)
        browser.close()
