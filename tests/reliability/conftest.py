"""Shared helpers of the reliability suite: a signed-in AppTest session, another process
holding the warehouse file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth

from ..conftest import REPO


def signed_in(username: str, password: str = auth.DEMO_PASSWORD, language: str = "en") -> AppTest:
    """The app after `username` signed in with the form, in `language`."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = language
    at.run()
    at.text_input(key="login.username").input(username)
    at.text_input(key="login.password").input(password)
    at.button[0].click().run()
    assert not at.exception and at.session_state["auth.user"].username == username
    return at


@contextmanager
def file_held(path: Path, seconds: float = 60) -> Iterator[subprocess.Popen]:
    """Another process (a job, say) keeps the warehouse file open until the block ends."""
    script = textwrap.dedent(
        f"""
        import duckdb, sys, time
        for attempt in range(300):  # a job waits its turn, as real ones do
            try:
                con = duckdb.connect({str(path)!r})
                break
            except duckdb.IOException:
                time.sleep(0.1)
        else:
            sys.exit("never got the file")
        print("holding", flush=True)
        time.sleep({seconds})
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "holding"
        yield proc
    finally:
        proc.kill()
        proc.wait()
