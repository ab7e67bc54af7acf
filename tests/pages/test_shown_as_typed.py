"""Names and codes from the company's files reach the screen exactly as typed: a selectbox or
multiselect shows its options as plain text, so nothing in them is escaped, and markup in
them stays text."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth, users

from ..conftest import REPO

COMPANY = "Ltd. (Beijing) <b>x</b> **y** [z](https://evil.example)"
REP_NAME = "Wang_Li (East) #1"
USERNAME = "tour.r3"


def _prepare(wh) -> str:
    """A customer, a rep and a user with punctuation and markup in their names; visits made
    on site and by IM (their English names hold a hyphen and brackets)."""
    rep = auth.user(wh, "rep")
    with wh.transaction() as cur:
        customer = cur.execute(
            "select min(customer_id) from customers where owner_rep_id = $r", {"r": rep.rep_id}
        ).fetchone()[0]
        cur.execute(
            "update customers set name = $n where customer_id = $c", {"n": COMPANY, "c": customer}
        )
        cur.execute("update reps set name = $n where rep_id = $r", {"n": REP_NAME, "r": rep.rep_id})
        cur.execute("update visits set method = 'onsite' where customer_id = $c", {"c": customer})
        cur.execute(
            "update visits set method = 'im' where visit_id in "
            "(select visit_id from visits where customer_id <> $c limit 50)",
            {"c": customer},
        )
        users.create(cur, USERNAME, None, "rep", rep_id=rep.rep_id, external_id="t@x.example")
    return customer


def _signed_in(name: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = "en"
    at.run()
    at.text_input(key="login.username").input(name)
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at


def test_pickers_show_names_exactly_as_typed(app_warehouse):
    customer = _prepare(app_warehouse)
    rep = auth.user(app_warehouse, "rep")
    at = _signed_in("admin")

    at.session_state["customer.id"] = customer
    at.switch_page("pages/customer.py").run()
    assert not at.exception
    assert f"{customer} · {COMPANY}" in at.selectbox(key="customer.pick").options

    at.switch_page("pages/cohorts.py").run()
    assert not at.exception
    methods = at.multiselect(key="cohorts.methods").options
    assert "On-site" in methods and "IM (QQ/WeChat)" in methods, methods
    assert not any("\\" in m for m in methods), methods

    at.switch_page("pages/users.py").run()
    assert not at.exception
    assert any(o.startswith(f"{USERNAME} · ") for o in at.selectbox(key="users.pick").options)

    at.switch_page("pages/call_list.py").run()
    assert not at.exception
    pickers = [s for s in at.selectbox if f"{rep.rep_id} · {REP_NAME}" in s.options]
    assert pickers, [s.options for s in at.selectbox]
