"""`python -m repurchase <command>`: a module per command family, each calling the services.

Imports services and what is below them; never streamlit.
"""
