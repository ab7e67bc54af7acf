"""Serving never loads the training loop: a server that renders the call list for a rep, in a
fresh interpreter, has not imported repurchase.model.train (the Data page, which starts a
retrain, may)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from ..conftest import REPO

PROBE = textwrap.dedent(
    """
    import sys
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("app.py", default_timeout=300)
    at.session_state["ui.language"] = "en"
    at.run()
    at.text_input(key="login.username").input("rep")
    at.text_input(key="login.password").input("demo-2026")
    at.button[0].click().run()
    at.switch_page("pages/call_list.py").run()
    assert not at.exception, at.exception
    shown = [t.value for t in at.text if "(C" in t.value]
    print(len(shown), "repurchase.model.train" in sys.modules)
    """
)


def test_rendering_the_call_list_does_not_import_the_training_loop(app_warehouse):
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shown, trained = done.stdout.split()[-2:]
    assert int(shown) >= 15  # the page rendered the rep's list
    assert trained == "False"
