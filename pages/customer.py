"""One customer: profile, every visit and order on a timeline, and the score history."""

import streamlit as st

from repurchase.errors import RepurchaseError
from repurchase.ui import cached, charts, navigation, text, widgets
from repurchase.ui import customer_view as manage

user = navigation.page_setup("customer")
t = text.t

wanted = st.session_state.get("customer.id")
customer_id = widgets.pick_customer(user, "customer.pick", "customer.pick", "customer.id")
st.session_state["customer.id"] = customer_id
mine = set(cached.customers_in_scope(user).customer_id)
if wanted is not None and wanted not in mine:  # handed to another rep since it was opened
    st.warning(t("customer.gone", customer=text.plain(wanted)))

try:
    data = cached.customer_history(user, customer_id)
except RepurchaseError as exc:
    widgets.fail(exc)

profile, visit_rows = data["profile"], data["visits"]
manage.flash()
st.text(f"{profile['name']}  ({customer_id})")
st.text(" · ".join(text.value(k, profile[k]) for k in ("customer_type", "industry", "tag")))
# the same contact line as the call list's card: the number a tap-to-call link
widgets.contact(st, profile["contact_name"], profile["contact_phone"])
manage.contact_form(user, customer_id, profile)  # under the line it corrects, phone included
manage.reassign(user, customer_id, profile)
a, b, c, d = st.columns(4)
a.caption(t("customer.owner"))
a.text(profile["owner_rep_id"])  # an imported id: text, as a metric's value is Markdown
if isinstance(profile["owner_name"], str):
    a.text(profile["owner_name"])
b.metric(t("customer.visits"), f"{int(profile['visits']):,}")
c.metric(t("customer.successful"), f"{int(profile['successful_visits']):,}")
d.metric(t("customer.orders"), f"{int(profile['orders']):,}", help=t("customer.orders_help"))

st.plotly_chart(
    charts.customer_timeline(
        visit_rows, data["orders"], data["scores"], t, lambda r: text.value("result", r)
    ),
    key="customer.timeline",
)
if not data["scores"].empty:
    latest = data["scores"].iloc[-1]
    st.caption(
        t("customer.latest_score", p=f"{latest.p_order:.0%}", day=f"{latest.score_date:%Y-%m-%d}")
    )

st.subheader(t("customer.visit_table"))
widgets.visit_table(visit_rows, key="customer.visit_table", entered_by=True)
widgets.download(visit_rows, f"visits_{customer_id}.csv", key="customer.download")
manage.history(user, customer_id)
