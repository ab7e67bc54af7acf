"""Finding: reloading the page or opening a link signed you out. In Debian's Chromium: sign
in, reload -> still signed in; a deep link in a new tab -> signed in; sign out -> a reload
shows the sign-in form; a password reset from the CLI signs the other browsers out, an open page
without a click. Screenshots of the Users page in both languages go where
tests/browser/test_browser.py puts its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from repurchase.ui.server import running

from ..browser.test_browser import EN, SHOTS, ZH, _browser, _need_browser, _sign_in
from ..conftest import REPO

pytestmark = pytest.mark.browser


@pytest.fixture
def app(tmp_path, _app_warehouse_file) -> Iterator[tuple[str, Path]]:
    """tests/browser/test_browser.py's server, also telling where its warehouse is (for the CLI)."""
    _need_browser()
    target = tmp_path / "browser.duckdb"
    shutil.copy(_app_warehouse_file, target)
    with running(target) as url:
        yield url, target


def _signed_in_page(browser, url: str, locale: str = "en-US", labels=EN, name: str = "rep"):
    from playwright.sync_api import expect

    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    _sign_in(page, url, name, labels)
    expect(
        page.get_by_role("button", name="Sign out" if labels is EN else "退出登录")
    ).to_be_visible()
    return context, page


def test_a_session_survives_reloads_and_links_and_ends_on_sign_out_or_reset(app):
    from playwright.sync_api import expect, sync_playwright

    server, warehouse = app

    with sync_playwright() as p:
        browser = _browser(p)
        context, page = _signed_in_page(browser, server)
        expect(page.get_by_role("heading", name="Today's call list")).to_be_visible()
        cookie = [c for c in context.cookies() if c["name"] == "repurchase_session"]
        assert cookie and cookie[0]["sameSite"] == "Strict" and cookie[0]["expires"] > 0

        page.reload()  # a phone reloading the tab
        expect(page.get_by_role("heading", name="Today's call list")).to_be_visible()
        expect(page.get_by_role("heading", name="Sign in")).to_have_count(0)

        tab = context.new_page()  # a link opened in a new tab
        tab.goto(f"{server}/customer")
        expect(tab.get_by_role("heading", name="Customer", exact=True)).to_be_visible()
        tab.close()

        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        page.reload()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        page.goto(f"{server}/customer")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

        # two browsers signed in as the same rep; the password is reset from the CLI
        _, other = _signed_in_page(browser, server)
        _, page = _signed_in_page(browser, server)
        reset = subprocess.run(  # noqa: S603 (our interpreter, our command)
            [sys.executable, "-m", "repurchase", "--warehouse", str(warehouse)]
            + ["users", "set-password", "rep", "--password-stdin"],
            input="kitchen window blue\n",
            capture_output=True,
            text=True,
            cwd=REPO,
            check=False,
        )
        assert reset.returncode == 0, reset.stderr
        assert "2 session(s) ended" in reset.stdout
        other.reload()  # its cookie opens nothing any more
        expect(other.get_by_role("heading", name="Sign in")).to_be_visible()
        # the open page re-checks its session every few seconds and signs itself out
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=20_000)
        browser.close()


@pytest.mark.parametrize(("locale", "lang", "labels"), [("en-US", "en", EN), ("zh-CN", "zh", ZH)])
def test_screenshots_of_the_users_page(app, locale, lang, labels):
    from playwright.sync_api import expect, sync_playwright

    server, _ = app

    SHOTS.mkdir(parents=True, exist_ok=True)
    title = "Users" if lang == "en" else "用户管理"
    with sync_playwright() as p:
        browser = _browser(p)
        _, page = _signed_in_page(browser, server, locale, labels, name="admin")
        page.get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / f"users_{lang}.png"), full_page=True)
        browser.close()
