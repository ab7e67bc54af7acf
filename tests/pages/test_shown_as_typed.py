"""Names and codes from the company's files reach the screen exactly as typed: a selectbox or
multiselect shows its options as plain text, so nothing in them is escaped, and markup in
them stays text."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth, users
from repurchase.ui import charts, text

from ..conftest import REPO
from .test_worklist_page import enrich

LINK = "https://evil.example <b>B</b> www.evil.example a@evil.example"
NOTE = "X\n====="  # a line of '=' under a line makes a Markdown heading

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
    methods = at.multiselect(key="cohorts.methods.en").options
    assert "On-site" in methods and "IM (QQ/WeChat)" in methods, methods
    assert not any("\\" in m for m in methods), methods

    at.switch_page("pages/users.py").run()
    assert not at.exception
    assert any(o.startswith(f"{USERNAME} · ") for o in at.selectbox(key="users.pick").options)

    at.switch_page("pages/call_list.py").run()
    assert not at.exception
    pickers = [s for s in at.selectbox if f"{rep.rep_id} · {REP_NAME}" in s.options]
    assert pickers, [s.options for s in at.selectbox]


def _markdown_shown(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown (selectbox and multiselect
    options are plain text)."""
    out: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader"):
        out += [e.value for e in at.get(kind)]
    for kind in ("info", "success", "warning", "error"):
        out += [e.value for e in getattr(at, kind)]
    out += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    for widget in at.radio:
        out += [widget.label, *[str(o) for o in widget.options]]
    return out + [e.label for e in at.expander]


def test_contacts_codes_notes_and_ids_reach_the_card_and_the_customer_page_as_text(
    app_warehouse,
):
    worked = enrich(app_warehouse)
    customer = worked["follow"]  # first on the list: a follow-up, overdue
    with app_warehouse.transaction() as cur:
        cur.execute(
            "update customers set contact_name = $l, contact_phone = '+86 (138) 0013-8000',"
            " customer_type = $l where customer_id = $c",
            {"l": LINK, "c": customer},
        )
        cur.execute(
            "update visits set note = $n where customer_id = $c and entered_by = 'test'",
            {"n": NOTE, "c": customer},
        )
    at = _signed_in("rep")
    at.switch_page("pages/call_list.py").run()
    assert not at.exception
    texts = [e.value for e in at.text]
    assert NOTE in texts
    assert any(LINK in s for s in texts)
    call = at.link_button(key=f"list.call.{customer}")  # the card calls with one tap
    assert (call.value, call.proto.url) == ("\\+86 \\(138\\) 0013\\-8000", "tel:+8613800138000")
    for shown in _markdown_shown(at):
        assert "evil" not in shown and "=" not in shown, shown

    at.session_state["customer.id"] = customer
    at.switch_page("pages/customer.py").run()
    assert not at.exception
    texts = [e.value for e in at.text]
    assert any(LINK in s for s in texts) and worked["rep"] in texts
    for shown in _markdown_shown(at):
        assert "evil" not in shown, shown


def test_plotly_text_keeps_what_plotly_would_render_as_markup_as_text():
    assert charts.plotly_text("<b>B</b> & <br>") == "&lt;b&gt;B&lt;/b&gt; &amp; &lt;br&gt;"
    assert charts.plotly_text(None) == ""


def test_text_for_markdown_cannot_start_an_autolink_and_reads_the_same():
    for typed in ("https://evil.example", "see www.evil.example", "li@evil.example"):
        shown = text.plain(typed)
        assert "://" not in shown.replace("\\", "") and "www\\." not in shown
        assert "@e" not in shown
        assert shown.replace("\u2060", "").replace("\\", "") == typed
