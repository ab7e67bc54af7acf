"""Finding: while a job held the warehouse file longer than the lock timeout, signing in
showed Streamlit's generic error. Now the sign-in page says, in the user's language, that the
data is busy and to try again in a minute."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth

from ..conftest import REPO

# A job waits its turn for the file as real ones do: the server's own thread may have it open
# for a moment (writing the day's lists, looking for mails to retry) just as the job starts.
HOLDER = """
import duckdb, sys, time
for attempt in range(300):
    try:
        c = duckdb.connect(sys.argv[1])
        break
    except duckdb.IOException:
        time.sleep(0.1)
else:
    sys.exit("never got the file")
print('held', flush=True)
time.sleep(120)
"""


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Another process holds the file (as an import or a retrain would)."""
    holder = subprocess.Popen(  # noqa: S603 (our interpreter, our code)
        [
            sys.executable,
            "-c",
            HOLDER,
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_signing_in_while_a_job_holds_the_file_says_so(app_warehouse, monkeypatch, language):
    monkeypatch.setenv("REPURCHASE_LOCK_TIMEOUT", "0.5")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = language
    at.run()  # the server is up and has served today
    assert not at.exception
    with held(app_warehouse.path):
        at.text_input(key="login.username").input("rep")
        at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
        at.button[0].click().run()
        assert not at.exception
        assert [w.value for w in at.warning] == [i18n.text("login.busy", language)]
        # a new visitor meanwhile: the same message or the form, never an error
        other = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        other.session_state["ui.language"] = language
        other.run()
        assert not other.exception
    # the job is done: signing in works
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception and at.session_state["auth.user"].username == "rep"
