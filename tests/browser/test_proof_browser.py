"""In a real browser, in both languages: the hold-out's proof box on the Cohorts page says
its verdict first and what it counts (every visit method), the Model page has a line per
team, and an admin finds the hold-out share beside the ranking on the Data page. Same set-up
as tests/browser/test_browser.py (Debian's Chromium, 127.0.0.1)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from repurchase import i18n
from repurchase.ui.server import running

from .test_browser import EN, SHOTS, ZH, _browser, _need_browser, _sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path, _app_warehouse_file) -> Iterator[str]:
    _need_browser()
    source = Path(os.environ.get("REPURCHASE_SCREENSHOT_WAREHOUSE", _app_warehouse_file))
    target = tmp_path / "proof.duckdb"
    shutil.copy(source, target)
    with running(target) as url:
        yield url


def _start(key: str, lang: str) -> str:
    """The words a message starts with, before its first parameter."""
    return i18n.text(key, lang, **_BLANKS).split("{")[0][:10]


_BLANKS = dict.fromkeys(
    ("effect", "lift", "low", "high", "weeks", "treated", "control", "min", "team"), "{"
)


@pytest.mark.parametrize(("locale", "lang", "labels"), [("en-US", "en", EN), ("zh-CN", "zh", ZH)])
def test_the_proof_box_says_its_verdict_and_what_it_counts(server, locale, lang, labels):
    from playwright.sync_api import expect, sync_playwright

    def say(key: str) -> str:
        return i18n.text(key, lang)

    verdicts = [
        _start(f"proof.verdict.{v}", lang)
        for v in ("helps", "hurts", "unclear", "unclear_never", "none")
    ]
    covers = _start("proof.covers", lang)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context(
            locale=locale, viewport={"width": 1400, "height": 1100}
        ).new_page()
        page.set_default_timeout(60_000)
        for role in ("manager", "admin"):
            _sign_in(page, server, role, labels)
            page.get_by_role("link", name=say("nav.cohorts")).click()
            expect(page.get_by_role("heading", name=say("cohorts.holdout"))).to_be_visible()
            # the verdict comes first, in a box of its own
            box = page.get_by_role("status").or_(page.get_by_role("alert"))
            said = re.compile("^(" + "|".join(re.escape(v) for v in verdicts) + ")")
            expect(box.filter(has_text=said).first).to_be_visible()
            expect(page.get_by_text(covers).first).to_be_visible()
            page.wait_for_timeout(1500)
            page.screenshot(path=str(SHOTS / f"proof_cohorts_{role}_{lang}.png"), full_page=True)

            page.get_by_role("link", name=say("nav.model")).click()
            expect(page.get_by_role("heading", name=say("proof.model_title"))).to_be_visible()
            page.wait_for_timeout(1500)
            page.screenshot(path=str(SHOTS / f"proof_model_{role}_{lang}.png"), full_page=True)

        page.get_by_role("link", name=say("nav.data")).click()
        # the slider's label, not the settings table's column of the same name (a hidden
        # header of the grid's accessible table can come first in the page)
        share = page.get_by_text(say("proof.share"), exact=True).filter(visible=True)
        expect(share.first).to_be_visible()
        expect(page.get_by_role("button", name=say("proof.share_save"))).to_be_visible()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / f"proof_settings_admin_{lang}.png"), full_page=True)
        browser.close()
