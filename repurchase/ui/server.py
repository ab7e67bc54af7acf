"""Run `streamlit run app.py` on 127.0.0.1 for a while: the browser test and the page-timing
benchmark start the real server (and the browser) the same way, and always stop it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Debian's Chromium, never a downloaded browser; flags keep it headless and off the network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


# The output files of the servers running now: a test that fails while one runs shows what
# the server printed (a traceback behind Streamlit's redacted error page).
_running_logs: set[Path] = set()


def running_logs() -> list[Path]:
    """The output files of the servers `running` has started and not yet stopped."""
    return sorted(_running_logs)


def log_tail(log: Path, lines: int = 200) -> str:
    """The last `lines` lines a server wrote to `log` (empty if it cannot be read)."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(port: int, extra_args: Sequence[str] = ()) -> list[str]:
    """`streamlit run app.py` on 127.0.0.1:`port`, headless, with this interpreter."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *extra_args,
    ]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    """Until the server at `url` answers its health check; raises with its output if it exits
    or `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):  # noqa: S310
                return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                output = log.read_text(errors="replace")
                raise RuntimeError(f"streamlit did not start on {url}: {output}") from None
            time.sleep(0.3)


@contextmanager
def running(
    warehouse: Path,
    timeout: float = 60.0,
    extra_args: Sequence[str] = (),
    *,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[str]:
    """The app on a free local port, serving `warehouse`; yields its URL, stops it after.
    `extra_args` go to `streamlit run` (e.g. `--secrets.files FILE` for company sign-in);
    `env` adds to this process's environment (e.g. the postgres backend). The server's output
    goes to `log` (a temporary file if none): a pipe nobody reads could fill and stall it."""
    port = free_port()
    with contextlib.ExitStack() as stack:
        if log is None:
            log = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "streamlit.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                streamlit_command(port, extra_args),
                cwd=REPO,
                env={**os.environ, "REPURCHASE_WAREHOUSE": str(warehouse), **(env or {})},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        _running_logs.add(log)
        try:
            wait_healthy(url, proc, log, timeout)
            yield url
        except Exception:
            # what failed in the caller often failed in the server first: show its traceback
            sys.stderr.write(f"--- the app server's output ({log}):\n{log_tail(log)}\n")
            raise
        finally:
            _running_logs.discard(log)
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
