"""The call list's words as the day goes on and as a manager reads it: a call made today reads
"today" and takes the stale reasons with it."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from repurchase import i18n

from ..reliability.conftest import signed_in

TODAY = date.today()


def _rep_of(wh, username: str) -> str:
    with wh.connect() as cur:
        return cur.execute(
            "select rep_id from users where username = $u", {"u": username}
        ).fetchone()[0]


def _first_listed(wh, rep_id: str) -> str:
    with wh.connect() as cur:
        return cur.execute(
            "select customer_id from call_lists where rep_id = $r and list_date = $d"
            " and not held_out order by rank limit 1",
            {"r": rep_id, "d": TODAY},
        ).fetchone()[0]


def _texts(at) -> list[str]:
    return [t.value for t in at.text] + [m.value for m in at.markdown]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_call_made_today_reads_today_and_its_stale_reason_is_gone(app_warehouse, lang):
    wh = app_warehouse
    rep = _rep_of(wh, "rep")
    first = _first_listed(wh, rep)
    stale = {"code": "no_demand_recent", "days": 5, "rate": 31}
    with wh.transaction() as cur:
        cur.execute("update visits set follow_up_date = null")  # the first card is `first`
        cur.execute(
            "update call_lists set reasons = $j where customer_id = $c and list_date = $d",
            {"c": first, "d": TODAY, "j": json.dumps([stale, {"code": "key_account"}])},
        )
        cur.execute(
            "insert into visits (rep_id, customer_id, visited_at, method, target, purpose,"
            " result, note, source, entered_by) values ($r, $c, $t, 'phone', 'active',"
            " 'relationship', 'no_order', null, 'app', 'test')",
            {"r": rep, "c": first, "t": datetime.combine(TODAY, datetime.min.time())},
        )
    at = signed_in("rep", language=lang)
    assert not at.exception
    said = _texts(at)
    result = i18n.value_label("result", "no_order", lang)
    assert i18n.text("list.last_visit", lang, days=0, result=result) in said
    assert not any(s.startswith(("Last call 0 days", "0 天前")) for s in said)
    assert f"• {i18n.reason_text(stale, lang)}" not in said
    assert f"• {i18n.text('reason.key_account', lang)}" in said


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_manager_reading_a_reps_list_reads_the_reps_name_not_you(app_warehouse, lang):
    wh = app_warehouse
    rep = _rep_of(wh, "rep")
    with wh.connect() as cur:
        name = cur.execute("select name from reps where rep_id = $r", {"r": rep}).fetchone()[0]
        due = cur.execute(  # the demo gives every rep follow-ups due on its first list
            "select count(*) from visits where rep_id = $r and follow_up_date is not null",
            {"r": rep},
        ).fetchone()[0]
    assert due
    at = signed_in("manager", language=lang)
    at.switch_page("pages/call_list.py").run()
    at.selectbox(key="list.rep").set_value(rep).run()
    assert not at.exception
    shown = [c.value for c in at.caption]
    captions = " ".join(shown)
    you = {"en": "you asked for", "zh": "您约定"}[lang]
    assert you not in captions
    assert name in captions
    assert i18n.text("worklist.drifting_caption", lang) not in shown
    assert i18n.text("worklist.drifting_caption_of", lang, rep=name) in shown
    # the rep's own list still speaks to the rep
    own = signed_in("rep", language=lang)
    assert you in " ".join(c.value for c in own.caption)
