"""The load generator's client (bench/st_client.py) drives the real app as a browser does,
through Streamlit's WebSocket protocol, against one local server on the app demo:

* it signs in with the form and sees the rep's own call list (and only their customers);
* a wrong password leaves it on the sign-in page with the app's error, not signed in;
* the card's History button opens that customer's page; the visit form saves a visit that is
  stored once with the fields typed, and the page says "Saved ...";
* the load bench's rep loop (bench/load_ws.py) counts as acknowledged exactly the visits that
  are stored, each once, and its snoozes (Set aside opened, then Snooze) are stored;
* the open page's session watch (a fragment the browser reruns on a timer) is rerun too.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from bench import load_ws
from bench.st_client import Client
from repurchase import i18n
from repurchase.accounts import auth
from repurchase.services import visits
from repurchase.ui.server import running

pytestmark = pytest.mark.slow


@pytest.fixture
def server(app_warehouse):
    wh = app_warehouse
    auth.users.add(wh, "load_rep_0", load_ws.PASSWORD, "rep", rep_id="R002", by=auth.SYSTEM)
    with running(wh.path, timeout=120) as url:
        yield wh, url


def _owned(wh, rep_id: str) -> set[str]:
    with wh.connect() as cur:
        rows = cur.execute("select customer_id from customers where owner_rep_id = ?", [rep_id])
        return {r[0] for r in rows.fetchall()}


async def _journey(url: str) -> dict:
    seen: dict = {}
    wrong = Client(url)
    try:
        await wrong.open()
        wrong.set("login.username", "rep")
        wrong.set("login.password", "not the password at all")
        run = await wrong.click(next(k for k in wrong.page.widgets if k.startswith("FormSub")))
        seen["wrong"] = (run.page.alerts("error"), sorted(run.page.widgets))
    finally:
        await wrong.close()

    client = Client(url)
    try:
        run = await client.open()
        seen["first"] = run.page.texts("heading")
        client.set("login.username", "rep")
        client.set("login.password", auth.DEMO_PASSWORD)
        run = await client.click(next(k for k in client.page.widgets if k.startswith("FormSub")))
        seen["list_headings"] = run.page.texts("heading")
        seen["listed"] = [w.key.rsplit(".", 1)[1] for w in run.page.keyed("list.history.")]
        customer = seen["listed"][-1]
        run = await client.click(f"list.history.{customer}")
        seen["customer"] = (customer, run.page.texts("heading"), run.page.texts("text"))
        await client.goto("log_visit")
        option = next(o for o in client.widget("log.customer_choice").options if customer in o)
        client.set("log.customer_choice", option)
        client.set("log.note", "typed by the load client")
        # a radio sends the option as shown; its options follow visits.RESULTS
        shown = client.widget("log.result").options[visits.RESULTS.index("order")]
        client.set("log.result", shown)
        run = await client.click("log.save_button")
        seen["saved"] = run.page.alerts("success")
        deadline = time.monotonic() + 30  # the watch reruns every few seconds
        while client.fragment_runs == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        seen["fragment_runs"] = client.fragment_runs
        seen["closed"] = client.closed
    finally:
        await client.close()
    return seen


def test_client_signs_in_sees_the_list_and_saves_a_visit(server):
    wh, url = server
    seen = asyncio.run(_journey(url))

    errors, widgets = seen["wrong"]
    assert errors == [i18n.text("login.wrong", "en")]
    assert "nav.sign_out" not in widgets and "login.username" in widgets

    assert seen["first"] == [i18n.text("login.title", "en")]
    assert seen["list_headings"][0] == i18n.text("nav.call_list", "en")
    with wh.connect() as cur:
        rep_id = cur.execute("select rep_id from users where username = 'rep'").fetchone()[0]
    assert seen["listed"] and set(seen["listed"]) <= _owned(wh, rep_id)

    customer, headings, texts = seen["customer"]
    assert headings[0] == i18n.text("nav.customer", "en")
    assert any(f"({customer})" in line for line in texts)

    assert seen["saved"] == [i18n.text("log.saved", "en", customer=customer)]
    with wh.connect() as cur:
        stored = cur.execute(
            "select customer_id, rep_id, result, entered_by from visits "
            "where note = 'typed by the load client'"
        ).fetchall()
    assert stored == [(customer, rep_id, "order", "rep")]
    assert seen["fragment_runs"] >= 1 and seen["closed"] is None


def test_the_load_loop_acknowledges_what_is_stored(server):
    wh, url = server
    stack = load_ws.Stack(url, [], [url], wh, ssl_context=None)
    # two loops of the rep's day, however long they take (the deadline is only a safety net)
    plan = load_ws.Plan("t0ken", time.monotonic() + 600, (0.0, 0.3), snooze_share=1.0, loops=2)
    tally = load_ws.Tally()
    asyncio.run(load_ws.person(0, "rep", "load_rep_0", stack, plan, 0.0, tally))

    stored = load_ws.stored_notes(wh, "t0ken")
    assert len(tally.acknowledged) == 2 and set(stored) == tally.acknowledged
    assert set(stored.values()) == {1}
    assert not tally.errors, tally.reasons
    assert {"open", "sign_in", "call_list", "customer", "log_visit", "save"} <= set(tally.times)
    with wh.connect() as cur:
        snoozed = cur.execute(
            "select count(*) from list_actions"
            " where action = 'snooze' and entered_by = 'load_rep_0'"
        ).fetchone()[0]
    assert tally.snoozed == 2 and snoozed == 2
