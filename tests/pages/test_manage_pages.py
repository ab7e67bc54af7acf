"""Managers act and reps correct, on the pages (AppTest on the app demo): the customer page's
contact form and hand-over, Team today's daily target and hand-over. Every AppTest of this
process shares the server's caches, as the sessions of one app server do: a change made in
one session shows in another's next run."""

from __future__ import annotations

from datetime import date

import pytest

from repurchase.services import access, customer_changes
from repurchase.ui import customer_view, team_today_view

from ..reliability.conftest import signed_in

TODAY = date.today()


def _customer_page(username: str, customer_id: str | None = None, language: str = "en"):
    at = signed_in(username, language=language)
    if customer_id is not None:
        at.session_state["customer.id"] = customer_id
    at.switch_page("pages/customer.py").run()
    assert not at.exception
    return at


def _teammate(wh, rep_user) -> str:
    """Another working rep of the demo rep's team."""
    manager = signed_in("manager").session_state["auth.user"]
    targets = customer_changes.reassign_targets(wh, manager, rep_user.rep_id, TODAY)
    assert not targets.empty
    return str(targets.rep_id.iloc[0])


def test_a_manager_hands_a_customer_over_and_the_old_rep_loses_it_at_once(app_warehouse):
    rep_at = signed_in("rep")
    rep = rep_at.session_state["auth.user"]
    listed = access.call_list(app_warehouse, rep, rep.rep_id, TODAY)
    customer = str(listed[listed.on_list].customer_id.iloc[0])
    rep_at.session_state["customer.id"] = customer
    rep_at.switch_page("pages/customer.py").run()
    assert rep_at.selectbox(key="customer.pick").value == customer  # the rep reads it (cached)
    to_rep = _teammate(app_warehouse, rep)

    at = _customer_page("manager", customer)
    assert at.selectbox(key="customer.pick").value == customer
    at.selectbox(key=f"customer.reassign_to.{customer}").set_value(to_rep)
    at.button(key=f"customer.reassign.{customer}").click().run()
    assert not at.exception and not at.error
    success = [s.value for s in at.success]
    assert len(success) == 1 and success[0].startswith(f"Handed to {to_rep} · ")
    assert success[0].endswith("on their call list of today.")
    # the record, on the page
    record = next(d.value for d in at.dataframe if "By" in d.value.columns)
    assert record.iloc[0].tolist()[1:] == ["manager", "Owner", rep.rep_id, to_rep]

    # the old owner's next run: the customer is gone from their picker and their list
    rep_at.run()
    assert not rep_at.exception
    assert customer not in rep_at.selectbox(key="customer.pick").options
    assert rep_at.selectbox(key="customer.pick").value != customer
    assert [w.value for w in rep_at.warning] == [
        f"Customer {customer} is no longer among your customers (handed to another rep); "
        "showing another one."
    ]
    assert (
        customer not in access.call_list(app_warehouse, rep, rep.rep_id, TODAY).customer_id.values
    )
    new_list = access.call_list(app_warehouse, at.session_state["auth.user"], to_rep, TODAY)
    assert customer in new_list.customer_id.values


def test_a_rep_cannot_hand_over_but_corrects_the_contact(app_warehouse):
    at = _customer_page("rep")
    customer = at.selectbox(key="customer.pick").value
    assert not [b for b in at.button if b.key and b.key.startswith("customer.reassign.")]
    at.text_input(key=f"customer.contact_name.{customer}").input("Ms 李 <b>x</b>")
    at.text_input(key=f"customer.contact_phone.{customer}").input("call me maybe")
    at.button[[b.label for b in at.button].index("Save the contact")].click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Not a phone number")
    stored = app_warehouse.query("customer_profile", customer_id=customer).iloc[0]
    assert stored.contact_phone != "call me maybe"  # nothing written

    at.text_input(key=f"customer.contact_phone.{customer}").input("+86 (138) 0013-8000")
    at.button[[b.label for b in at.button].index("Save the contact")].click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Contact saved."]
    stored = app_warehouse.query("customer_profile", customer_id=customer).iloc[0]
    assert (stored.contact_name, stored.contact_phone) == ("Ms 李 <b>x</b>", "+86 (138) 0013-8000")
    # the contact line shows the name as text, exactly as typed
    assert any("Ms 李 <b>x</b>" in str(x.value) for x in at.text)


@pytest.mark.parametrize(
    ("language", "saved"), [("en", "Contact saved."), ("zh", "联系人已保存。")]
)
def test_the_contact_form_speaks_the_readers_language(app_warehouse, language, saved):
    at = _customer_page("manager", language=language)
    customer = at.selectbox(key="customer.pick").value
    at.text_input(key=f"customer.contact_phone.{customer}").input("010 8888 6666")
    button = next(b for b in at.button if b.label in ("Save the contact", "保存联系人"))
    button.click().run()
    assert [s.value for s in at.success] == [saved]


def _calls_table(at):
    return next(d.value for d in at.dataframe if "Calls" in d.value.columns)


def test_a_manager_sets_the_daily_target_and_team_today_counts_against_it(app_warehouse):
    at = signed_in("manager")
    manager = at.session_state["auth.user"]
    table = _calls_table(at)
    # no target yet: the calls alone, never a column of empty cells
    assert list(table.columns) == ["Rep", "Name", "Calls"]
    at.number_input(key=f"team.target_calls.{manager.team}").set_value(3)
    at.button(key="team.target_save").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        f"From {TODAY} on, team {manager.team} aims at 3 calls per rep and day."
    ]
    table = _calls_table(at).set_index("Rep")
    reps = table.drop(index="Total")
    assert set(reps.Target) == {3}
    assert table.Target["Total"] == 3 * len(reps)
    made = reps.Calls.sum()
    assert table.Calls["Total"] == made
    assert table["Of the target"]["Total"] == pytest.approx(made / (3 * len(reps)))
    with app_warehouse.connect() as cur:
        row = cur.execute("select team, calls, updated_by from team_daily_targets").fetchall()
    assert row == [(manager.team, 3, "manager")]


def test_team_today_shows_the_target_in_chinese(app_warehouse):
    at = signed_in("manager", language="zh")
    assert not at.exception
    assert any("通话量与每日目标" in c.value for c in at.markdown)
    calls = lambda: next(d.value for d in at.dataframe if "通话" in d.value.columns)  # noqa: E731
    assert list(calls().columns) == ["销售代表", "姓名", "通话"]
    team = at.session_state["auth.user"].team
    at.number_input(key=f"team.target_calls.{team}").set_value(3)
    at.button(key="team.target_save").click().run()
    assert not at.exception and not at.error
    assert list(calls().columns) == ["销售代表", "姓名", "通话", "目标", "目标完成"]


def test_a_manager_hands_several_customers_over_from_team_today(app_warehouse, monkeypatch):
    monkeypatch.setattr(customer_view, "FLASH_SECONDS", 3600.0)  # a slow machine's runs
    at = signed_in("manager")
    manager = at.session_state["auth.user"]
    from_rep = at.selectbox(key="team.move_from").value
    assert at.button(key="team.move").disabled
    owned = access.customers(app_warehouse, manager)
    theirs = owned[owned.owner_rep_id == from_rep].customer_id.tolist()[:2]
    at.multiselect(key=f"team.move_customers.{from_rep}").set_value(theirs).run()
    assert not at.button(key="team.move").disabled  # nothing chosen: nothing to click
    to_rep = at.selectbox(key=f"team.move_to.{from_rep}").value
    at.button(key="team.move").click().run()
    assert not at.exception and not at.error
    handed = f"2 customers handed from {from_rep} to {to_rep}; today's lists follow."
    assert [s.value for s in at.success] == [handed]
    at.run()  # a rerun nobody asked for (a widget settling) keeps the message on screen
    assert [s.value for s in at.success] == [handed]
    message, at_time = at.session_state[team_today_view.FLASH]
    at.session_state[team_today_view.FLASH] = (message, at_time - 3601)
    at.run()
    assert at.success.len == 0  # read by now: the next run drops it
    owners = access.customers(app_warehouse, manager).set_index("customer_id").owner_rep_id
    assert set(owners[theirs]) == {to_rep}
    for customer in theirs:
        record = customer_changes.changes(app_warehouse, manager, customer).iloc[0]
        assert (record.changed_by, record.before, record.after) == (
            "manager",
            {"owner_rep_id": from_rep},
            {"owner_rep_id": to_rep},
        )


@pytest.mark.parametrize(
    ("language", "refused"),
    [
        ("en", "A daily target is a whole number of calls from 1 to 200."),
        ("zh", "每日目标须为 1 到 200 之间的整数。"),
    ],
)
def test_a_target_out_of_range_is_refused_in_the_readers_language(app_warehouse, language, refused):
    at = signed_in("manager", language=language)
    manager = at.session_state["auth.user"]
    for typed in (0, -3, 99_999_999):
        at.number_input(key=f"team.target_calls.{manager.team}").set_value(typed)
        at.button(key="team.target_save").click().run()
        assert not at.exception
        assert [e.value for e in at.error] == [refused]
        assert not at.success
    with app_warehouse.connect() as cur:
        assert cur.execute("select count(*) from team_daily_targets").fetchone() == (0,)
