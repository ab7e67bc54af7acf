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
