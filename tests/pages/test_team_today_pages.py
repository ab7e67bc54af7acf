"""The manager's today page and the Data page's ranking switch, driven with AppTest on the app
demo (today's lists written, demo users rep / manager / admin)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from repurchase.services import team_today

from ..conftest import REPO
from ..reliability.conftest import signed_in

DENIED_EN = "This page is not available for your role."


def _cells(at: AppTest) -> dict:
    """The team table as {first column: row}."""
    frame = at.dataframe[0].value
    return {row.iloc[0]: row for _, row in frame.iterrows()}


@pytest.mark.parametrize(
    ("language", "title", "total", "listed"),
    [("en", "Team today", "Total", "Listed"), ("zh", "团队今日", "合计", "名单客户")],
)
def test_a_manager_lands_on_the_team_today_with_their_teams_numbers(
    app_warehouse, language, title, total, listed
):
    at = signed_in("manager", language=language)
    assert [t.value for t in at.title] == [title]
    user = at.session_state["auth.user"]
    expected = team_today.team_day(app_warehouse, user, date.today())
    rows = _cells(at)
    assert set(rows) == {*expected.reps.rep_id, total}
    for rep in expected.reps.itertuples():
        assert rows[rep.rep_id][listed] == rep.listed
    assert rows[total][listed] == expected.totals.listed > 0  # the demo wrote today's lists
    assert at.get("download_button")
    assert not at.exception


def test_an_admin_sees_every_team_and_can_narrow_to_one(app_warehouse):
    with app_warehouse.transaction() as cur:
        cur.execute("update reps set team = 'T02' where rep_id = (select max(rep_id) from reps)")
    at = signed_in("admin")
    at.switch_page("pages/team_today.py").run()
    assert not at.exception
    everyone = app_warehouse.query("scope_reps", role="admin", rep_id=None, team=None)
    current = everyone[everyone.left_date.isna()]
    assert set(_cells(at)) == {*current.rep_id, "Total"}
    assert "Team" in at.dataframe[0].value.columns
    at.selectbox(key="team.team").set_value("T02").run()
    assert set(_cells(at)) == {everyone.rep_id.max(), "Total"}


def test_a_rep_is_refused(app_warehouse):
    at = signed_in("rep")
    at.switch_page("pages/team_today.py").run()
    assert [e.value for e in at.error] == [DENIED_EN]
    assert not at.dataframe


def test_opening_a_reps_list_shows_that_reps_call_list(app_warehouse):
    at = signed_in("manager")
    user = at.session_state["auth.user"]
    reps = team_today.team_day(app_warehouse, user, date.today()).reps.rep_id.tolist()
    assert len(reps) >= 2 and at.selectbox(key="team.rep").value == reps[0]
    chosen = reps[1]  # not the one the call list would open on by itself
    at.selectbox(key="team.rep").set_value(chosen)
    at.button(key="team.open").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Today's call list"]
    assert at.selectbox(key="list.rep").value == chosen
    assert at.date_input(key="list.day").value == date.today()


def test_a_day_without_lists_says_so(app_warehouse):
    at = signed_in("manager")
    at.date_input(key="team.day").set_value(date.today() - timedelta(days=3650)).run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "No call lists for" in infos and "No visits logged" in infos
    totals = _cells(at)["Total"]
    assert totals["Listed"] == 0 and totals["Worked"] == "–"


def test_the_page_opened_directly_on_a_fresh_server_asks_to_sign_in(app_warehouse):
    at = AppTest.from_file(str(REPO / "pages" / "team_today.py"), default_timeout=60)
    at.session_state["ui.language"] = "en"
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.dataframe


def test_the_admin_switches_a_teams_ranking_on_the_data_page(app_warehouse):
    at = signed_in("admin")
    at.switch_page("pages/data.py").run()
    assert not at.exception
    team = at.selectbox(key="data.ranking_team").value
    at.radio(key=f"data.ranking_by.{team}").set_value("value")
    at.button(key="data.ranking_save").click().run()
    assert not at.exception
    assert any("ranks by expected order value" in s.value for s in at.success)
    with app_warehouse.connect() as cur:
        row = cur.execute(
            "select rank_by, updated_by from team_settings where team = $t", {"t": team}
        ).fetchone()
    assert row == ("value", "admin")
    assert at.radio(key=f"data.ranking_by.{team}").value == "value"


def test_a_manager_cannot_open_the_data_page_to_switch_ranking(app_warehouse):
    at = signed_in("manager")
    at.switch_page("pages/data.py").run()
    assert [e.value for e in at.error] == [DENIED_EN]
    assert "data.ranking_save" not in [b.key for b in at.button]


def test_markup_in_a_reps_name_shows_as_text(app_warehouse):
    hostile = "**bold** <b>x</b> [link](http://e.x)"
    with app_warehouse.transaction() as cur:
        cur.execute("update reps set name = $n where rep_id = 'R001'", {"n": hostile})
    at = signed_in("manager")
    assert _cells(at)["R001"]["Name"] == hostile  # a table cell: shown exactly as stored
    option = at.selectbox(key="team.rep").options[0]
    assert option == f"R001 · {hostile}"  # a selectbox shows text as it is, markup as text
