"""Streamlit entry point: `streamlit run app.py`. Routing only; every page guards itself."""

from repurchase.ui import navigation

navigation.navigation()
