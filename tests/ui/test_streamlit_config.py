"""The production settings in .streamlit/config.toml stay hardened."""

from __future__ import annotations

import tomllib

from ..conftest import REPO


def test_config_hides_errors_limits_uploads_and_phones_nobody():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 500
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"]["address"] == "127.0.0.1"  # it once listened on every interface


def test_config_leaves_garbage_to_pythons_own_collector():
    # A full collection after every run and fragment tick was most of a loaded server's time.
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_config_takes_a_click_while_drawing_on_the_same_thread():
    # Fast reruns let two runs of one session change its widget state at once
    # (tests/browser/test_rerun_while_drawing_browser.py).
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["fastReruns"] is False
