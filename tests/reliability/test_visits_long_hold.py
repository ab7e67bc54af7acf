"""A long hold on the file never drops a typed visit: another process holds the warehouse for
longer than the lock timeout just when the page's session re-check (and its cached customers)
have expired, and the rep clicks Save. The page used to say "signing in has to wait" and hide
the form: the visit was neither stored nor queued, and the note was gone."""

from __future__ import annotations

import streamlit as st

from repurchase.services import visit_queue

from .conftest import file_held, signed_in

NOTE = "typed while a job held the file"


def test_a_visit_saved_when_the_session_recheck_meets_a_held_file_is_queued(
    app_warehouse, monkeypatch
):
    # set before the app's warehouse handle is made: the handle reads its lock timeout once,
    # so a later change left every read of the held file waiting the default 15 s
    monkeypatch.setenv("REPURCHASE_LOCK_TIMEOUT", "1")
    at = signed_in("rep")
    at.switch_page("pages/log_visit.py").run()
    assert not at.exception
    at.text_area(key="log.note").input(NOTE)
    with file_held(app_warehouse.path):
        st.cache_data.clear()  # the re-check and the customers are due: both read the file
        at.button(key="log.save_button").click().run()
        assert not at.exception
        warnings = [w.value for w in at.warning]
        assert not any("signing in has to" in w for w in warnings), warnings
        assert any("busy with a job" in s.value for s in at.success), [s.value for s in at.success]
        assert at.session_state["auth.user"].username == "rep"
    waiting = visit_queue.pending(app_warehouse)
    assert [entry.customer_id for entry in waiting] and len(waiting) == 1
    visit_queue.drain(app_warehouse)
    with app_warehouse.connect() as cur:
        stored = cur.execute("select count(*) from visits where note = $n", {"n": NOTE})
        assert stored.fetchone()[0] == 1
