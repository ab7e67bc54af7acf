"""Company sign-in end to end, in a real browser: a mock OpenID Connect provider
(oidc-provider-mock) and `streamlit run` with an `[auth]` secrets file, both on 127.0.0.1, and
Debian's Chromium between them. A rep linked by their email clicks "Sign in with Example Corp",
picks their account on the provider's page, lands on their own call list (only their
customers), signs out of both; then an account nobody is linked to is refused with the message,
in English and in 中文. Screenshots of the sign-in page go to build/screenshots/ (or
REPURCHASE_SCREENSHOT_DIR) as company_sign_in_{en,zh}.png."""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date

import pytest

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.services import access
from repurchase.ui.server import free_port, running
from repurchase.warehouse.store import Warehouse

from .test_browser import SHOTS, _browser, _need_browser

pytestmark = pytest.mark.browser

PROVIDER = "Example Corp"
LINKED = {"sub": "li-na", "email": "Li.Na@example.com", "email_verified": True, "name": "Li Na"}
STRANGER = {"sub": "stranger", "email": "stranger@example.com", "email_verified": True}


@pytest.fixture
def identity_provider() -> Iterator[str]:
    """oidc-provider-mock on 127.0.0.1 with two predefined accounts (its authorization page
    offers each as a button); stopped after."""
    port = free_port()
    claims = [arg for user in (LINKED, STRANGER) for arg in ("--user-claims", json.dumps(user))]
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
        + claims,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                metadata = f"{url}/.well-known/openid-configuration"
                with urllib.request.urlopen(metadata, timeout=2):  # noqa: S310 (our http URL)
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    proc.kill()
                    output = proc.stdout.read().decode(errors="replace")
                    raise RuntimeError(f"the mock provider did not start: {output}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def server(
    tmp_path, _app_warehouse_file, identity_provider
) -> Iterator[tuple[str, auth.User, Warehouse]]:
    """`streamlit run app.py` with company sign-in configured against the mock provider, on a
    private copy of the app demo where the demo rep's customers belong to a user linked by
    email (no password)."""
    _need_browser()
    target = tmp_path / "browser.duckdb"
    shutil.copy(_app_warehouse_file, target)
    wh = Warehouse(target)
    rep_id = auth.authenticate(wh, "rep", auth.DEMO_PASSWORD).rep_id
    user = auth.users.add(
        wh,
        "li.na",
        None,
        "rep",
        rep_id=rep_id,
        display_name="Li Na",
        external_id=LINKED["email"],
        by=auth.SYSTEM,
    )
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "repurchase-test"\n'
        'client_secret = "not-checked-by-the-mock"\n'
        f'server_metadata_url = "{identity_provider}/.well-known/openid-configuration"\n'
        "\n[company_sign_in]\n"
        f'provider_name = "{PROVIDER}"\n',
        encoding="utf-8",
    )
    with running(target, extra_args=["--secrets.files", str(secrets_file)]) as url:
        yield url, user, wh


def _other_reps_customers(wh: Warehouse, user: auth.User) -> set[str]:
    """Names on other reps' lists today that no customer of `user` has."""
    with wh.connect() as cur:
        own = {
            r[0]
            for r in cur.execute(
                "select name from customers where owner_rep_id = $r", {"r": user.rep_id}
            ).fetchall()
        }
        others = {
            r[0]
            for r in cur.execute(
                "select c.name from call_lists l join customers c using (customer_id) "
                "where l.list_date = $d and l.rep_id != $r",
                {"d": date.today(), "r": user.rep_id},
            ).fetchall()
        }
    return others - own


def _choose_account(page, sub: str) -> None:
    """On the mock provider's authorization page, sign in as a predefined account."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_role("button", name=sub, exact=True).click()


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-CN", "zh")])
def test_a_linked_rep_signs_in_with_the_company_and_an_unlinked_account_is_refused(
    server, locale, lang
):
    from playwright.sync_api import expect, sync_playwright

    url, user, wh = server
    tr = lambda key, **p: i18n.text(key, lang, **p)  # noqa: E731
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context(
            locale=locale, viewport={"width": 1400, "height": 1000}
        ).new_page()
        page.set_default_timeout(60_000)
        page.goto(url)
        company = page.get_by_role("button", name=tr("company.button", provider=PROVIDER))
        expect(company).to_be_visible()
        expect(page.get_by_role("textbox", name=tr("login.password"))).to_be_visible()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / f"company_sign_in_{lang}.png"), full_page=True)

        # the linked rep: the provider's page, then their own call list
        company.click()
        _choose_account(page, LINKED["sub"])
        expect(page.get_by_role("heading", name=tr("nav.call_list"))).to_be_visible()
        signed_in = tr("nav.signed_in", name="Li Na", role=tr("role.rep"))
        expect(page.get_by_text(signed_in)).to_be_visible()
        listed = access.call_list(wh, user, user.rep_id, date.today())
        assert not listed.empty
        expect(page.get_by_text(listed.customer_name.iloc[0]).first).to_be_visible()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / f"company_signed_in_{lang}.png"), full_page=True)
        body = page.locator("body").inner_text()
        assert not [name for name in _other_reps_customers(wh, user) if name in body]
        with wh.connect() as cur:
            last_login, live = cur.execute(
                "select u.last_login_at, count(s.token_hash) from users u "
                "left join user_sessions s on s.username = u.username and s.revoked_at is null "
                "where u.username = 'li.na' group by u.last_login_at"
            ).fetchone()
        assert last_login is not None and live == 1

        # signing out leaves the app and the provider (its end-session page, then back)
        page.get_by_role("button", name=tr("nav.sign_out")).click()
        page.get_by_role("button", name="End session").click()
        expect(page.get_by_role("heading", name=tr("login.title"))).to_be_visible()
        with wh.connect() as cur:
            live = cur.execute(
                "select count(*) from user_sessions where username = 'li.na' and revoked_at is null"
            ).fetchone()[0]
        assert live == 0

        # an account nobody is linked to: refused, with what to do, and nothing created
        users_before = wh.table_counts()["users"]
        page.get_by_role("button", name=tr("company.button", provider=PROVIDER)).click()
        _choose_account(page, STRANGER["sub"])
        refused = tr("company.refused.unknown", identity=STRANGER["email"])
        expect(page.get_by_text(refused)).to_be_visible()
        expect(page.get_by_role("heading", name=tr("nav.call_list"))).to_have_count(0)
        page.screenshot(path=str(SHOTS / f"company_sign_in_refused_{lang}.png"), full_page=True)
        assert wh.table_counts()["users"] == users_before
        browser.close()
