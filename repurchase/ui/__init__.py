"""The only streamlit-aware package code: the session, cached wrappers of the services, formatting,
charts and the weekly report. Imports services, the i18n catalogue and what is below them.
"""
