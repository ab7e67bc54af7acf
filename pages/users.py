"""Admin: who can sign in. Add users, set a password, change a role, link a company account
(company sign-in), disable, enable, remove, sign a user out everywhere; every change that alters
what a user may do signs them out in every browser (repurchase/accounts/users.py, the same
functions as `python -m repurchase users`)."""

import streamlit as st

from repurchase.errors import RepurchaseError
from repurchase.ui import admin, mail_view, navigation, session, widgets
from repurchase.ui import users_view as view

user = navigation.page_setup("users")

if message := st.session_state.pop(view.DONE, None):
    st.success(message)

try:
    table = admin.user_table(user)
except RepurchaseError as exc:
    widgets.fail(exc)

# company accounts are shown where company sign-in is on, or where a user already has one
company = session.company_sign_in_configured() or table.external_id.notna().any()

view.user_list(table, company)
view.manage(user, table, company)
view.add_form(user, company)
mail_view.admin_block(user)
