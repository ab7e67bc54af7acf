"""Failover: one of two app servers behind nginx dies while two reps work, one on each.

The dead server's rep reconnects through nginx to the other server and is still signed in
(sessions live in the database); every visit that showed "saved" is stored once; a visit
whose Save went to the server as it hung and died is not stored and not shown as saved, and
its note is still in the form, so the rep saves it again (once) on the other server. The rep
on the surviving server goes on as if nothing happened.

The server first hangs (SIGSTOP: its connections stay open, as a machine that stopped
answering) so that the Save reaches it for sure, then dies (SIGKILL).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest

from .. import stack
from ..browser.test_browser import SHOTS, _browser, _need_browser
from .test_proxy import _need_nginx, app_database, new_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAVED = "Saved the visit to"


@pytest.fixture(scope="module")
def deployment(postgres_server, _app_warehouse_file, tmp_path_factory) -> Iterator[stack.Stack]:
    _need_nginx()
    _need_browser()
    folder = tmp_path_factory.mktemp("failover")
    dsn = app_database(postgres_server, _app_warehouse_file, "failover_app", folder)
    try:
        with stack.running(dsn=dsn, directory=folder / "stack") as running:
            yield running
    finally:
        postgres_server.drop_database("failover_app")


def _open_log_page(page, url: str, username: str) -> None:
    from playwright.sync_api import expect

    sign_in(page, url, username)
    expect(page.get_by_role("heading", name="Today's call list")).to_be_visible()
    page.get_by_role("link", name="Log a visit").click()
    expect(page.get_by_role("heading", name="Log a visit")).to_be_visible()


def _save(page, note: str) -> None:
    """Type `note`, Save, and see it saved: the form emptied and the "saved" message."""
    from playwright.sync_api import expect

    form = page.get_by_test_id("stForm").first  # today's entries have forms of their own
    box = form.get_by_role("textbox", name="Note")
    box.fill(note)
    form.get_by_role("button", name="Save visit").click()
    expect(box).to_have_value("")
    expect(page.get_by_text(SAVED)).to_be_visible()


def _reconnected(deployment: stack.Stack, route: str, server: stack.AppServer, after: int) -> bool:
    """Whether nginx's log, past its first `after` characters, shows the page asking `server`
    for its settings, which Streamlit does just before it opens its WebSocket anew (a
    WebSocket is logged only when it closes)."""
    log = deployment.access_log.read_text()[after:]
    return any(
        "/_stcore/host-config" in line and " 200 " in line and f"route={route} " in line
        for line in log.splitlines()
        if line.split(" upstream=", 1)[1].split(" route=")[0].endswith(f":{server.port}")
    )


def _stored(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as pg:
        return dict(
            pg.execute(
                "select note, count(*) from visits where note like 'failover %' group by note"
            ).fetchall()
        )


def test_a_dead_servers_reps_carry_on_on_the_other_one(deployment):
    from playwright.sync_api import expect, sync_playwright

    first, second = deployment.servers
    route_a, route_b = deployment.route_to(first), deployment.route_to(second)
    lost = "failover typed as the server died"
    with sync_playwright() as p:
        browser = _browser(p)
        try:
            a = new_page(browser, deployment, route_a)  # rep, on the server that dies
            b = new_page(browser, deployment, route_b)  # rep2, on the one that lives
            _open_log_page(a, deployment.url, "rep")
            _open_log_page(b, deployment.url, "rep2")
            _save(a, "failover rep before")
            _save(b, "failover rep2 before")

            form = a.get_by_test_id("stForm").first
            box = form.get_by_role("textbox", name="Note")
            box.fill(lost)
            first.freeze()
            form.get_by_role("button", name="Save visit").click()
            a.wait_for_timeout(3000)
            expect(box).to_have_value(lost)  # not taken: a save empties the form
            log_size = len(deployment.access_log.read_text())
            first.kill()

            deadline = time.monotonic() + 120
            while not _reconnected(deployment, route_a, second, log_size):
                assert time.monotonic() < deadline, "the page never reconnected to the other server"
                time.sleep(0.2)
            # the page ran again on the other server: still signed in, on the same page, the
            # typed note still in the form and nothing claimed as saved
            expect(a.get_by_role("heading", name="Log a visit")).to_be_visible()
            expect(a.get_by_text("Signed in as")).to_be_visible()
            expect(a.get_by_text(SAVED)).to_have_count(0)
            expect(box).to_have_value(lost)
            assert a.get_by_test_id("stException").count() == 0
            assert lost not in _stored(deployment.dsn)
            SHOTS.mkdir(parents=True, exist_ok=True)
            a.screenshot(path=str(SHOTS / "failover_reconnected_en.png"), full_page=True)

            form.get_by_role("button", name="Save visit").click()  # the rep saves it again
            expect(box).to_have_value("")
            expect(a.get_by_text(SAVED)).to_be_visible()
            _save(a, "failover rep after")
            _save(b, "failover rep2 after")
            assert b.get_by_test_id("stException").count() == 0
        finally:
            browser.close()
    assert not first.alive and second.alive
    assert _stored(deployment.dsn) == {
        "failover rep before": 1,
        "failover rep2 before": 1,
        lost: 1,
        "failover rep after": 1,
        "failover rep2 after": 1,
    }
