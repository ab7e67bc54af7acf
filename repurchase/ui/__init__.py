"""The only streamlit-aware package code: session, cached wrappers of services, formatting, charts,
and the catalogues of every label in both languages. Imports services and what is below them.
"""
