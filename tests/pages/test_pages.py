"""The Streamlit pages, driven with AppTest: every page for every role, the guards, a deep
link on a fresh server, and the interactions a rep and a manager rely on."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.services import access
from repurchase.ui import session

from ..conftest import REPO

PAGES = ["call_list", "log_visit", "customer", "cohorts", "model", "data"]
ALLOWED = {
    "rep": {"call_list", "log_visit", "customer"},
    "manager": {"call_list", "customer", "cohorts", "model"},
    "admin": set(PAGES),
}
DENIED_EN = "This page is not available for your role."


def _app(timeout: float = 120) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
    at.session_state["ui.language"] = "en"
    return at


def _signed_in(role: str) -> AppTest:
    at = _app().run()
    at.text_input(key="login.username").input(role)
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception and at.session_state["auth.user"].role == role
    return at


@pytest.mark.parametrize("role", ["rep", "manager", "admin"])
def test_every_page_renders_for_every_role(app_warehouse, role):
    at = _signed_in(role)
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (role, page, at.exception)
        errors = [e.value for e in at.error]
        if page in ALLOWED[role]:
            assert DENIED_EN not in errors, (role, page)
            assert at.title, (role, page)
        else:
            assert errors == [DENIED_EN], (role, page)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_opened_directly_on_a_fresh_server_asks_to_sign_in(app_warehouse, page):
    at = AppTest.from_file(str(REPO / "pages" / f"{page}.py"), default_timeout=60)
    at.session_state["ui.language"] = "en"
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.dataframe and not at.metric  # nothing of the warehouse shows


def test_a_wrong_password_is_refused_and_the_demo_accounts_are_shown(app_warehouse):
    at = _app().run()
    assert "password of each is demo-2026" in at.info[0].value
    at.text_input(key="login.username").input("rep")
    at.text_input(key="login.password").input("nope")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Wrong username or password."]
    assert "auth.user" not in at.session_state


def test_the_call_list_shows_the_reps_own_customers_with_reasons(app_warehouse):
    at = _signed_in("rep")
    user = at.session_state["auth.user"]
    with app_warehouse.connect() as cur:
        own = {
            r[0]
            for r in cur.execute(
                "select customer_id from customers where owner_rep_id = $r", {"r": user.rep_id}
            ).fetchall()
        }
    shown = [t.value for t in at.text if "(C" in t.value]
    assert {s.rsplit("(", 1)[1].rstrip(")") for s in shown} <= own
    # one card per customer on the list: the top 15, plus any follow-up due (the customers
    # drifting away, further down, name theirs too)
    listed = access.call_list(app_warehouse, user, user.rep_id, date.today())
    cards = listed[listed.status != "set_aside"]
    assert int(cards.on_list.sum()) == 15
    assert {f"{r.customer_name}  ({r.customer_id})" for r in cards.itertuples()} <= set(shown)
    assert any(t.value.startswith("• ") for t in at.text)  # plain-words reasons
    assert at.get("download_button")


def test_one_click_opens_the_log_form_for_that_customer_and_saving_shows_it(app_warehouse):
    at = _signed_in("rep")
    first = next(t.value for t in at.text if "(C" in t.value)
    customer = first.rsplit("(", 1)[1].rstrip(")")
    at.button(key=f"list.log.{customer}").click().run()
    assert not at.exception
    assert at.selectbox(key="log.customer_choice").value == customer
    at.radio(key="log.result").set_value("order")
    at.number_input(key="log.amount").set_value(250.0)
    at.text_area(key="log.note").input("**ordered** <b>500 pcs</b>")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert any("Saved the visit" in s.value for s in at.success)
    recent = at.dataframe[0].value
    assert recent.iloc[0]["note"] == "**ordered** <b>500 pcs</b>"  # shown as typed, as data
    at.switch_page("pages/call_list.py").run()
    assert any(s.value.startswith("Visited today at ") for s in at.success)  # and when, what


def test_a_bad_entry_shows_the_field_and_writes_nothing(app_warehouse):
    at = _signed_in("rep")
    at.switch_page("pages/log_visit.py").run()
    before = app_warehouse.table_counts()["visits"]
    at.number_input(key="log.amount").set_value(99.0)  # an amount on a "no demand" visit
    at.button[0].click().run()
    assert [e.value for e in at.error] == [
        "Order amount: only a visit that got an order has an amount"
    ]
    assert app_warehouse.table_counts()["visits"] == before


def test_a_rep_cannot_reach_another_reps_customer_by_any_input(app_warehouse):
    at = _signed_in("rep")
    user = at.session_state["auth.user"]
    with app_warehouse.connect() as cur:
        foreign = cur.execute(
            "select customer_id from customers where owner_rep_id <> $r limit 1", {"r": user.rep_id}
        ).fetchone()[0]
    for page, key in (("customer", "customer.id"), ("log_visit", "log.customer")):
        at.session_state[key] = foreign  # as if a page had been told to open it
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        options = at.selectbox[0].options
        assert all(foreign not in o for o in options)
        assert all(foreign not in t.value for t in at.text)
    at.query_params["customer"] = foreign
    at.switch_page("pages/customer.py").run()
    assert all(foreign not in t.value for t in at.text)


def test_the_language_switch_changes_labels_and_keeps_widget_values(app_warehouse):
    at = _signed_in("manager")
    at.switch_page("pages/call_list.py").run()  # a manager lands on Team today
    picker = at.selectbox(key="list.rep")
    second = picker.options[1]
    picker.select_index(1).run()
    yesterday = at.date_input(key="list.day").value - pd.Timedelta(days=1)
    at.date_input(key="list.day").set_value(yesterday).run()
    assert at.title[0].value == "Today's call list"
    at.sidebar.radio(key="ui.language_choice").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "今日回访名单"
    assert at.selectbox(key="list.rep").label == "销售代表"
    assert (
        at.selectbox(key="list.rep").index == 1
        and at.selectbox(key="list.rep").options[1] == second
    )
    assert at.date_input(key="list.day").value == yesterday


def test_cohorts_show_aggregates_with_intervals_and_greyed_small_cells(app_warehouse):
    at = _signed_in("manager")
    at.switch_page("pages/cohorts.py").run()
    assert not at.exception
    assert "not how good any person is" in at.info[0].value
    figure = at.get("plotly_chart")[0]
    assert figure is not None
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0])[:4] == ["All", "Tenure < 1 y", "Tenure 1-2 y", "Tenure > 2 y"]
    assert len(at.get("download_button")) >= 3


def test_the_admin_sees_upload_problems_row_by_row_before_anything_is_written(app_warehouse):
    at = _signed_in("admin")
    at.switch_page("pages/data.py").run()
    before = app_warehouse.table_counts()
    bad = (
        b"rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount\n"
        b"R001,C00001,2026-13-01,phone,active,x,order,,1\n"
        b"R001,C00001,2026-01-01,phone,active,x,maybe,,\n"
    )
    at.file_uploader(key="data.files").upload("visits_bad.csv", bad, "text/csv").run()
    assert not at.exception
    issues = at.dataframe[0].value
    assert list(issues.line) == [2, 3] and list(issues.column) == ["visit_date", "result"]
    assert app_warehouse.table_counts() == before


def test_signing_out_forgets_the_user(app_warehouse):
    at = _signed_in("rep")
    at.sidebar.button(key="nav.sign_out").click().run()
    assert "auth.user" not in at.session_state
    assert [t.value for t in at.title] == ["Sign in"]


def test_a_changed_role_ends_the_session(app_warehouse):

    at = _signed_in("manager")
    user = at.session_state["auth.user"]
    with app_warehouse.transaction() as cur:
        cur.execute(
            "update users set role = 'rep', rep_id = 'R001', team = null where username = 'manager'"
        )
    session.session_changed()
    at.switch_page("pages/cohorts.py").run()
    assert "auth.user" not in at.session_state
    assert [t.value for t in at.title] == ["Sign in"]
    assert user.role == "manager"


@pytest.mark.parametrize(("language", "words"), [("en", "makes the lists"), ("zh", "名单由")])
def test_the_model_page_says_who_makes_the_lists_and_shows_every_peer(
    app_warehouse, language, words
):
    at = _signed_in("manager")
    at.session_state["ui.language"] = language
    at.switch_page("pages/model.py").run()
    assert not at.exception
    verdicts = [i.value for i in at.info if words in i.value]
    assert len(verdicts) == 1
    from repurchase.model import registry

    model = registry.load(app_warehouse)
    gate = next(d.value for d in at.dataframe if "list_precision" in d.value.columns)
    assert len(gate) == len(model.gate)  # the network and every peer
    served = next(r for r in model.gate if r["method"] == model.serving_method)
    assert f"{served['list_precision']:.1%}" in verdicts[0]


def test_a_version_promoted_by_another_process_shows_on_the_model_page_at_once(app_warehouse):
    """Issue 12: the Model page was cached for five minutes and only the process that promoted
    a version cleared it, so another app server on the same database (or a page open while
    cron's nightly job promoted) kept showing the old serving version."""
    at = _signed_in("manager")
    at.switch_page("pages/model.py").run()
    versions = app_warehouse.query("model_versions")
    serving = versions[versions.status == "serving"].version.iloc[0]
    other = versions[versions.status != "serving"].version.iloc[0]
    assert f"Serving version: {serving}" in [t.value for t in at.text]
    # promoted by another process: straight in the database, no cache of this one cleared
    with app_warehouse.transaction() as cur:
        cur.execute(
            "update model_versions set status = 'retired' where version = $v", {"v": serving}
        )
        cur.execute("update model_versions set status = 'serving' where version = $v", {"v": other})
    at.run()
    assert not at.exception
    assert f"Serving version: {other}" in [t.value for t in at.text]


def test_a_filter_that_leaves_no_visits_keeps_every_section_and_does_not_crash(app_warehouse):
    """Issue 10, blocker 2: a team without senior reps, Level = Senior, crashed the weekly
    trend and took the adoption and hold-out sections with it."""
    with app_warehouse.transaction() as cur:
        cur.execute("update reps set level = 'junior'")
    at = _signed_in("manager")
    at.switch_page("pages/cohorts.py").run()
    at.selectbox(key="cohorts.level.en").select("senior").run()
    assert not at.exception, at.exception
    headers = [h.value for h in at.subheader]
    for key in ("cohorts.trend", "cohorts.per_rep", "cohorts.holdout"):
        assert i18n.text(key, "en") in headers, key


def test_the_weekly_trend_of_no_visits_is_an_empty_chart():
    from repurchase.evaluation import outcomes as evaluate
    from repurchase.ui import charts

    visits = pd.DataFrame({"visit_day": pd.to_datetime([]), "on_list": [], "success": []}).astype(
        {"on_list": bool, "success": int}
    )
    trend = evaluate.weekly_trend(visits)
    assert trend.empty and {"week", "on_rate", "off_rate", "on_high"} <= set(trend.columns)
    fig = charts.weekly_trend(trend, lambda key, **p: i18n.text(key, "en", **p))
    assert [len(trace.x) for trace in fig.data] == [0, 0]


@pytest.mark.parametrize(
    ("role", "offers_log"), [("rep", True), ("admin", True), ("manager", False)]
)
def test_the_call_list_offers_log_visit_only_to_roles_that_may_log(app_warehouse, role, offers_log):
    """Issue 10, blocker 8: managers saw "Log visit" buttons that led to "not available"."""
    at = _signed_in(role)
    at.switch_page("pages/call_list.py").run()
    assert not at.exception
    keys = [b.key for b in at.button if b.key]
    assert any(k.startswith("list.history.") for k in keys)  # the list is shown
    assert any(k.startswith("list.log.") for k in keys) == offers_log


def test_markup_in_an_imported_rep_id_or_name_shows_as_text(app_warehouse):
    """Issue 10: markup in a rep id rendered as HTML in the owner metric and the picker."""
    rep_id, name = "<strong>R9</strong>", "**bold** [link](http://x.example) <img src=x>"
    with app_warehouse.transaction() as cur:
        cur.execute(
            "insert into reps (rep_id, name, gender, birth_date, hire_date, level, team) "
            "select $r, name, gender, birth_date, hire_date, level, team from reps limit 1",
            {"r": rep_id},
        )
        customer = cur.execute("select min(customer_id) from customers").fetchone()[0]
        cur.execute(
            "update customers set owner_rep_id = $r, name = $n where customer_id = $c",
            {"r": rep_id, "n": name, "c": customer},
        )
    at = _signed_in("admin")
    at.session_state["customer.id"] = customer
    at.switch_page("pages/customer.py").run()
    assert not at.exception
    assert rep_id in [e.value for e in at.text]  # as text, never Markdown
    assert not [m for m in at.metric if rep_id in str(m.value)]
    picker = at.selectbox[0]
    option = next(o for o in picker.options if customer in o)
    assert option == f"{customer} · {name}"  # a selectbox shows text as it is, markup too
