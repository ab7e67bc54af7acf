"""First start as a new user meets it: a fresh clone, `streamlit run app.py`, a browser opens
the app, and the rep signs in to the first call list.

    python bench/first_start_browser.py [--repeats 3]

Each run clones this repository (its committed HEAD) into a temporary folder, so there is no
warehouse, model or cache yet, and starts the README's run command there (`streamlit run
app.py`, on 127.0.0.1) with this interpreter: the packages are installed once, not per run
(the README's `pip install` is not timed). Chromium (Playwright, /usr/bin/chromium) opens the
app, which builds the demo on that first page view; the rep signs in; the time is from
starting the server to the first customer card of the list being visible. Prints each run,
the median and the machine's load average while it ran.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from repurchase.accounts import auth  # noqa: E402
from repurchase.ui.server import CHROMIUM, CHROMIUM_FLAGS, free_port  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _wait_healthy(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("the server did not start")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far: what the build costs whatever else
    the machine runs, where the wall-clock time grows with the load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(limit: float) -> tuple[float, float]:
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)  # noqa: S603,S607
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("REPURCHASE_")}
        started = time.monotonic()
        with (Path(tmp) / "streamlit.log").open("wb") as log:
            server = subprocess.Popen(  # noqa: S603 (our interpreter, the README's command)
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address",
                 "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
                 "--browser.gatherUsageStats", "false"],
                cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            _wait_healthy(url, started + limit)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
                page = browser.new_context(locale="en-US").new_page()
                page.set_default_timeout(limit * 1000)  # the first view builds the demo
                expect.set_options(timeout=limit * 1000)
                page.goto(url)
                page.get_by_role("textbox", name="Username").fill("rep")
                page.get_by_role("textbox", name="Password").fill(auth.DEMO_PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                expect(page.get_by_text("Chance of an order").first).to_be_visible()
                seconds = time.monotonic() - started
                cpu = cpu_seconds(server.pid)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--limit", type=float, default=900.0, help="give up after (s)")
    args = parser.parse_args()
    times, cpus = [], []
    for i in range(args.repeats):
        before = os.getloadavg()[0]
        seconds, cpu = one_run(args.limit)
        times.append(seconds)
        cpus.append(cpu)
        print(f"run {i + 1}: {seconds:.1f} s to the first list, the server used {cpu:.1f} CPU "
              f"seconds (load {before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
              "cores)", flush=True)  # fmt: skip
    print(f"first start to the first list: median {statistics.median(times):.1f} s "
          f"(min {min(times):.1f}, max {max(times):.1f}, n={len(times)}); server CPU time "
          f"median {statistics.median(cpus):.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
