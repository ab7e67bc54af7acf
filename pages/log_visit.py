"""Log a visit in a few clicks; edit or delete today's own entries (audited)."""

import streamlit as st

from repurchase.ui import cached, navigation, resources, text, widgets
from repurchase.ui import log_visit_view as view

user = navigation.page_setup("log_visit")
t = text.t

view.after_save()

if cached.customers_in_scope(user).empty:  # before the form: a form cannot stop half-drawn
    st.info(t("log.no_customers"))
    st.stop()
now = resources.now()

customer_id, entry = view.visit_form(user, now)
if entry is not None:
    view.save(user, entry)

widgets.queued_visits_notice(user)
view.recent_and_today(user, customer_id, now.date())
