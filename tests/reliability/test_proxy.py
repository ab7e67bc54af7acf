"""The README's nginx configuration (deploy/nginx.conf) in front of two app servers on one
PostgreSQL, as tests/stack.py starts it on 127.0.0.1: nginx accepts it; each browser is kept
on one server; a rep signs in through it in Chromium, opens the list and saves a visit; and
made-up X-Forwarded-For addresses do not get a guesser past the sign-in throttle.

One deployment for the module (starting it costs more than the tests); the failover test,
which kills a server, is in test_proxy_failover.py with a deployment of its own.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator

import psycopg
import pytest

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.services import move_to_postgres
from repurchase.warehouse.store import Warehouse

from .. import stack
from ..browser.test_browser import EN, _browser, _need_browser
from ..conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _need_nginx() -> None:
    """Skipped without nginx, unless REPURCHASE_REQUIRE_NGINX=1 (CI sets it): there it fails."""
    if not stack.nginx_available():
        reason = "Debian's nginx and openssl are needed (apt-get install -y nginx)"
        if os.environ.get("REPURCHASE_REQUIRE_NGINX") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


def test_nginx_accepts_the_readme_configuration(tmp_path):
    _need_nginx()
    certificate, key = stack.self_signed_certificate(tmp_path)
    site = stack.site_conf([8501, 8502], 8443, 8080, certificate, key)
    main = stack.write_nginx(tmp_path / "nginx", site)
    checked = subprocess.run(stack.nginx_command(main, "-t"), capture_output=True, text=True)  # noqa: S603
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr
    assert not [line for line in site.splitlines() if "@" in line and not line.startswith("#")]
    # what the issue found: the header a browser sent must be replaced, never passed or added to
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "$proxy_add_x_forwarded_for" not in site


def test_the_readme_shows_the_tested_configuration():
    readme = (REPO / "README.md").read_text()
    config = (REPO / "deploy" / "nginx.conf").read_text()
    blocks = re.findall(r"```nginx\n(.*?)```", readme, flags=re.DOTALL)
    assert config in blocks, "README's nginx block differs from deploy/nginx.conf"


# --------------------------------------------------------------------------- live


def app_database(postgres_server, source, name: str, folder) -> str:
    """A database on the suite's PostgreSQL server holding the app demo of `source`, with a
    second rep's account (`rep2`, of the demo rep's team); returns its DSN."""
    dsn = postgres_server.create_database(name)
    wh = Warehouse(folder / "moving.duckdb", dsn=dsn)
    try:
        move_to_postgres.move(Warehouse(source, backend="duckdb"), wh)
        with wh.connect() as cur:
            rep_id, display = cur.execute(
                "select rep_id, name from reps where left_date is null and rep_id <> "
                "(select rep_id from users where username = 'rep') order by rep_id limit 1"
            ).fetchone()
        with wh.transaction() as cur:
            auth.users.create(
                cur,
                "rep2",
                auth.hash_password(auth.DEMO_PASSWORD),
                "rep",
                display_name=display,
                rep_id=rep_id,
                demo=True,
            )
    finally:
        wh.close()
    return dsn


@pytest.fixture(scope="module")
def deployment(postgres_server, _app_warehouse_file, tmp_path_factory) -> Iterator[stack.Stack]:
    _need_nginx()
    _need_browser()
    folder = tmp_path_factory.mktemp("proxy")
    dsn = app_database(postgres_server, _app_warehouse_file, "proxy_app", folder)
    try:
        with stack.running(dsn=dsn, directory=folder / "stack") as running:
            yield running
    finally:
        postgres_server.drop_database("proxy_app")


def new_page(browser, deployment: stack.Stack, route: str | None = None, **context):
    """A page of a fresh browser context on `deployment` (its self-signed certificate
    accepted), placed on a server by the sticky cookie `route` when given."""
    ctx = browser.new_context(
        ignore_https_errors=True,
        locale="en-US",
        viewport={"width": 1400, "height": 1000},
        **context,
    )
    if route is not None:
        ctx.add_cookies([{"name": stack.ROUTE_COOKIE, "value": route, "url": deployment.url}])
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    return page


def sign_in(page, url: str, username: str, password: str = auth.DEMO_PASSWORD) -> None:
    page.goto(url)
    page.get_by_role("textbox", name=EN["username"]).fill(username)
    page.get_by_role("textbox", name=EN["password"]).fill(password)
    page.get_by_role("button", name=EN["submit"]).click()


def test_each_browser_keeps_one_server_and_browsers_spread(deployment):
    first, second = deployment.servers
    to_first, to_second = deployment.route_to(first), deployment.route_to(second)
    for _ in range(3):
        assert deployment.server_for(to_first) is first
        assert deployment.server_for(to_second) is second


def test_a_rep_signs_in_through_nginx_opens_the_list_and_saves_a_visit(deployment):
    from playwright.sync_api import expect, sync_playwright

    note = "through nginx, saved once"
    with sync_playwright() as p:
        browser = _browser(p)
        try:
            page = new_page(browser, deployment)
            sign_in(page, deployment.url, "rep")
            expect(page.get_by_role("heading", name="Today's call list")).to_be_visible()
            expect(page.get_by_text("Chance of an order").first).to_be_visible()
            page.get_by_role("button", name="Log visit").first.click()
            expect(page.get_by_role("heading", name="Log a visit")).to_be_visible()
            page.get_by_role("textbox", name="Note").fill(note)
            page.get_by_role("button", name="Save visit").click()
            expect(page.get_by_text("Saved the visit to")).to_be_visible()
            assert page.get_by_test_id("stException").count() == 0
            cookies = {c["name"]: c for c in page.context.cookies()}
        finally:
            browser.close()
    # nginx placed the browser with its cookie, and the page's WebSocket went through it
    assert cookies[stack.ROUTE_COOKIE]["secure"] and cookies[stack.ROUTE_COOKIE]["httpOnly"]
    log = deployment.access_log.read_text()
    assert re.search(r'"GET /_stcore/stream HTTP/1\.1" 101 upstream=127\.0\.0\.1:\d+', log)
    with psycopg.connect(deployment.dsn) as pg:
        stored = pg.execute("select count(*) from visits where note = %s", (note,)).fetchone()
    assert stored == (1,)


def test_made_up_forwarded_addresses_count_as_one_client(deployment):
    """Nine wrong guesses for one name, each from a connection carrying a fresh made-up
    X-Forwarded-For: all nine count against one client, which is then refused even with the
    right password."""
    from playwright.sync_api import expect, sync_playwright

    wrong = i18n.text("login.wrong", "en")
    throttled = i18n.text("login.throttled", "en", seconds=0).split("Wait")[0].strip()
    with sync_playwright() as p:
        browser = _browser(p)
        try:
            page = new_page(browser, deployment)
            for n in range(9):
                # a fresh page load: a new WebSocket, and a new address claimed for it
                page.set_extra_http_headers({"X-Forwarded-For": f"198.51.100.{n + 10}"})
                sign_in(page, deployment.url, "manager", password=f"not it {n}")
                expect(page.get_by_text(wrong).or_(page.get_by_text(throttled))).to_be_visible()
            page.set_extra_http_headers({"X-Forwarded-For": "198.51.100.99"})
            sign_in(page, deployment.url, "manager")
            expect(page.get_by_text(throttled)).to_be_visible()
            expect(page.get_by_role("heading", name=EN["submit"])).to_be_visible()
        finally:
            browser.close()
    # the made-up addresses reached nginx, which replaced them
    log = deployment.access_log.read_text()
    assert 'xff="198.51.100.10"' in log and 'xff="198.51.100.99"' in log
    with psycopg.connect(deployment.dsn) as pg:
        rows = pg.execute(
            "select client, failures from sign_in_failures where username = 'manager'"
        ).fetchall()
    assert rows == [(auth.LOCAL_CLIENT, 10)]
