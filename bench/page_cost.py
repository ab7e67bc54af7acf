"""What a page costs the server: the wall time to import what a page imports (in a fresh
interpreter, as a new server process pays it), and the CPU time of one warm page view.

    python bench/page_cost.py --warehouse data/warehouse.duckdb [--repeats 7] [--views 5]

Imports: `python -c` runs the page file's own import statements, `--repeats` times; the median,
and whether torch and the training loop were loaded. Page views: AppTest runs the page in this
process as the signed-in role (the script run is what a server thread spends on a page view),
once to warm the caches, then `--views` times; the median CPU time (process_time) per view.
The warehouse must hold the demo (its accounts sign in); it is copied, never changed. The same
script runs on older checkouts (it reads the page files and app.py, nothing else of ours), so
a change can be measured before and after on the same data.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = {"call_list": "rep", "cohorts": "manager", "model": "manager"}
DEMO_PASSWORD = "demo-2026"  # noqa: S105 - the demo's public password


def page_imports(page: str) -> str:
    """The import statements of a page file, as one line of Python."""
    tree = ast.parse((REPO / "pages" / f"{page}.py").read_text(encoding="utf-8"))
    lines = [ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    return "; ".join(lines)


def import_time(page: str, repeats: int) -> tuple[float, bool, bool]:
    probe = (
        "import sys, time; t = time.perf_counter(); "
        f"{page_imports(page)}; "
        "print(time.perf_counter() - t, 'torch' in sys.modules, "
        "any(m.endswith('.train') and m.startswith('repurchase') for m in sys.modules))"
    )
    seconds, torch, train = [], False, False
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.split()
        seconds.append(float(out[0]))
        torch, train = out[1] == "True", out[2] == "True"
    return statistics.median(seconds), torch, train


def view_cpu(page: str, role: str, views: int) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    at.session_state["ui.language"] = "en"
    at.run()
    at.text_input(key="login.username").input(role)
    at.text_input(key="login.password").input(DEMO_PASSWORD)
    at.button[0].click().run()
    at.switch_page(f"pages/{page}.py").run()  # cold: fills the caches
    assert not at.exception, at.exception
    spent = []
    for _ in range(views):
        cpu = time.process_time()
        at.run()
        spent.append(time.process_time() - cpu)
        assert not at.exception, at.exception
    return statistics.median(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=REPO / "data" / "warehouse.duckdb")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--views", type=int, default=5)
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, as a developer runs it
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"page cost at {commit}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"{'page':<10} {'import s':>9} {'torch':>6} {'train':>6} {'warm view CPU ms':>17}")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "warehouse.duckdb"
        shutil.copy(args.warehouse, copy)
        models = args.warehouse.parent / f"{args.warehouse.stem}.models"
        if models.is_dir():
            shutil.copytree(models, Path(folder) / f"{copy.stem}.models")
        os.environ["REPURCHASE_WAREHOUSE"] = str(copy)
        sys.path.insert(0, str(REPO))
        for page, role in PAGES.items():
            seconds, torch, train = import_time(page, args.repeats)
            cpu = view_cpu(page, role, args.views)
            print(f"{page:<10} {seconds:>9.2f} {str(torch):>6} {str(train):>6} {1000 * cpu:>17.0f}")


if __name__ == "__main__":
    main()
