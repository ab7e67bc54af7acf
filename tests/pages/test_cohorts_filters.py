"""The Cohorts page shows what its filters say: "All" stays "All" through reruns, a one-day
or emptied period shows that period (or says none is chosen), and a filter that leaves no
visits draws no empty charts."""

from __future__ import annotations

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.ui import cohorts_view, text

from ..conftest import REPO


def _cohorts(role: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = "en"
    at.run()
    at.text_input(key="login.username").input(role)
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    at.switch_page("pages/cohorts.py").run()
    assert not at.exception
    return at


def _charts(at: AppTest) -> list[str]:
    return [e.proto.id for e in at.get("plotly_chart")]


def test_team_and_level_keep_showing_all_after_the_filters_change(app_warehouse):
    at = _cohorts("admin")
    at.multiselect(key="cohorts.methods.en").select("phone").run()
    at.selectbox(key="cohorts.level.en").select("senior").run()
    at.selectbox(key="cohorts.level.en").select(cohorts_view.ALL).run()
    at.run()
    assert not at.exception
    for key in ("cohorts.team.en", "cohorts.level.en"):
        box = at.selectbox(key=key)
        # a None value is what Streamlit's front end shows as "Choose an option"
        assert box.value is not None, key
        assert box.format_func(box.value) == "All", key


def test_one_day_and_a_day_without_visits_show_what_the_filter_says(
    app_warehouse,
):
    at = _cohorts("admin")
    first, last = at.date_input(key="cohorts.period.en").value
    quiet = last - timedelta(days=1)
    with app_warehouse.transaction() as cur:
        cur.execute("delete from visits where cast(visited_at as date) = $d", {"d": quiet})

    at.date_input(key="cohorts.period.en").set_value((quiet,)).run()  # one click, then closed
    assert not at.exception
    no_visits = i18n.text("cohorts.no_visits", "en")
    assert no_visits in [e.value for e in at.info]  # that day, which has no visit
    assert "cohorts.bars" not in str(_charts(at)) and "trend" not in str(_charts(at))

    at.date_input(key="cohorts.period.en").set_value((first, last)).run()
    assert not at.exception
    assert len(_charts(at)) == 2


def test_the_period_field_reads_one_date_as_that_day_and_none_as_no_period():
    """An emptied field is None, which the page says instead of showing figures (AppTest
    cannot send an empty list of dates: the proto drops it)."""
    day = cohorts_view.date(2026, 11, 2)
    assert cohorts_view.chosen_period((day,)) == (day, day)
    assert cohorts_view.chosen_period((day, day + timedelta(days=3))) == (
        day,
        day + timedelta(days=3),
    )
    assert cohorts_view.chosen_period(()) is None
    assert cohorts_view.chosen_period(None) is None


def test_the_filters_speak_the_new_language_at_once_and_keep_their_choices(app_warehouse):
    at = _cohorts("admin")
    at.multiselect(key="cohorts.methods.en").select("phone").run()
    at.selectbox(key="cohorts.level.en").select("senior").run()
    first, last = at.date_input(key="cohorts.period.en").value
    period = (first + timedelta(days=1), last)
    at.date_input(key="cohorts.period.en").set_value(period).run()
    assert at.multiselect(key="cohorts.methods.en").value == ["phone"]
    english = {w.proto.id for w in (*at.multiselect, *at.selectbox, *at.date_input)}

    at.radio(key=text.LANGUAGE_WIDGET).set_value("zh").run()
    assert not at.exception
    methods = at.multiselect(key="cohorts.methods.zh")
    level = at.selectbox(key="cohorts.level.zh")
    team = at.selectbox(key="cohorts.team.zh")
    assert methods.label == i18n.text("log.method", "zh")
    assert level.label == i18n.text("cohorts.level", "zh")
    assert team.format_func(team.value) == i18n.text("common.all", "zh")
    assert methods.value == ["phone"] and level.value == "senior"  # the choices stay
    assert methods.format_func("phone") == i18n.value_label("method", "phone", "zh")
    assert at.date_input(key="cohorts.period.zh").value == period
    # new widgets to the browser, which otherwise keeps drawing the English ones
    chinese = {w.proto.id for w in (*at.multiselect, *at.selectbox, *at.date_input)}
    assert not english & chinese

    at.radio(key=text.LANGUAGE_WIDGET).set_value("en").run()  # and back
    assert not at.exception
    assert at.multiselect(key="cohorts.methods.en").value == ["phone"]
    assert at.selectbox(key="cohorts.level.en").label == "Level"
