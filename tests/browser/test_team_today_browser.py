"""In a real browser (Debian's Chromium, Playwright) in both languages: a manager signs in and
lands on the Team today page, downloads the weekly report, and opens a rep's call list.
Screenshots go to /tmp/manager_*.png (or REPURCHASE_SCREENSHOT_DIR)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .test_browser import EN, ZH, _browser, _sign_in, server  # noqa: F401 (the fixture)

SHOTS = Path(os.environ.get("REPURCHASE_SCREENSHOT_DIR", "/tmp"))

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "labels": EN,
        "title": "Team today",
        "report_title": "Weekly call-list report",
        "download": "Download the weekly report",
        "open": "Open call list",
        "rep": "Rep's call list",
        "list_rep": "Rep",
        "list": "Today's call list",
        "total": "Total",
    },
    "zh": {
        "labels": ZH,
        "title": "团队今日",
        "report_title": "回访名单周报",
        "download": "下载周报",
        "open": "打开回访名单",
        "rep": "销售代表的名单",
        "list_rep": "销售代表",
        "list": "今日回访名单",
        "total": "合计",
    },
}


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-CN", "zh")])
def test_a_manager_lands_on_team_today_downloads_the_report_and_opens_a_list(
    server,  # noqa: F811
    tmp_path,
    locale,
    lang,
):
    from playwright.sync_api import expect, sync_playwright

    words = WORDS[lang]
    with sync_playwright() as p:
        browser = _browser(p)
        context = browser.new_context(
            locale=locale, viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, server, "manager", words["labels"])
        expect(page.get_by_role("heading", name=words["title"], exact=True)).to_be_visible()
        expect(page.get_by_role("button", name=words["download"])).to_be_visible()
        page.wait_for_timeout(1500)  # let the table draw
        page.screenshot(path=str(SHOTS / f"manager_today_{lang}.png"), full_page=True)

        with page.expect_download() as download:
            page.get_by_role("button", name=words["download"]).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.name.startswith("weekly_report_") and saved.suffix == ".html"
        report = saved.read_text(encoding="utf-8")
        assert words["report_title"] in report and words["total"] in report
        assert "<script" not in report

        shown = context.new_page()  # the report as a reader opens it from the e-mail
        shown.goto(saved.as_uri())
        expect(shown.get_by_role("heading", name=words["report_title"])).to_be_visible()
        shown.screenshot(path=str(SHOTS / f"manager_report_{lang}.png"), full_page=True)
        shown.close()

        # another rep than the first: the list opens on the rep chosen here
        page.get_by_role("combobox", name=words["rep"]).click()
        second = page.get_by_role("option").nth(1)
        chosen = second.inner_text().strip()
        second.click()
        page.get_by_role("button", name=words["open"]).click()
        expect(page.get_by_role("heading", name=words["list"], exact=True)).to_be_visible()
        picker = page.get_by_role("combobox", name=words["list_rep"], exact=True)
        expect(picker).to_have_value(chosen)  # the list opened is the chosen rep's
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / f"manager_list_{lang}.png"), full_page=True)
        browser.close()
