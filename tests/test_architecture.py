"""The shape of the package, read from its source with `ast` (function-level imports too).

Imports go one way, down the stack: kernel (config, errors, codes) and the demo generators <
warehouse < accounts < model < lists < evaluation < services < ui, cli < pages, app. SQL is written
only under warehouse/, streamlit is imported only in ui/, serving never imports training, and no
module is too long to read. `ALLOWED_*` below list what is still to be moved; each entry removed
makes the rule stricter, and a stale entry (one the code no longer needs) fails too, so the lists
only shrink.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "repurchase"

# Lower may never import higher. Same rank: one layer (ui and cli are siblings, see below).
RANK = {
    "config": 0,
    "errors": 0,
    "codes": 0,
    "i18n": 0,
    "demo": 1,
    "warehouse": 2,
    "accounts": 3,
    "model": 4,
    "lists": 5,
    "evaluation": 6,
    "services": 7,
    "ui": 8,
    "cli": 8,
    "__main__": 9,
    "pages": 10,
    "app": 10,
}
KERNEL = {"config", "errors", "codes"}
# What may never import the other although they share a rank.
SIBLINGS = {("ui", "cli"), ("cli", "ui")}
# Serving: what scoring a day needs. None of it may reach the training loop.
SERVING = ("repurchase.lists", "repurchase.model.predictor", "repurchase.model.registry")
TRAINING = "repurchase.model.train"

# Today's exceptions, to be emptied.
ALLOWED_UPWARD: set[tuple[str, str]] = set()
ALLOWED_SQL: dict[str, int] = {}
ALLOWED_STREAMLIT: set[str] = set()
ALLOWED_CYCLES: set[frozenset[str]] = set()
ALLOWED_SERVING_TRAINING: set[str] = set()
ALLOWED_LONG_MODULES: set[str] = set()
ALLOWED_LONG_FUNCTIONS: set[str] = set()
ALLOWED_LONG_PAGES: set[str] = set()

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
MAX_PAGE_LINES = 150

# A string is SQL when it reads like a statement, not like a label ("Select a rep").
SQL = re.compile(
    r"""^\s*(
        select\b[\s\S]*\bfrom\b
      | insert\s+(or\s+\w+\s+)?into\b
      | update\s+\w+\s+set\b
      | delete\s+from\b
      | (create|drop)\s+(or\s+replace\s+)?(temp\s+|temporary\s+|unique\s+)?
            (table|view|index|sequence|schema|macro|type)\b
      | alter\s+table\b
      | with\s+\w+\s+as\s*\(
      | (attach|detach)\s+(database\s+)?(if\s+exists\s+)?['"\w$]
      | (begin|commit|rollback)(\s+transaction)?\s*;?\s*$
      | (checkpoint|vacuum|analyze)\b\s*;?\s*$
      | (install|load)\s+\w+\s*;?\s*$
      | copy\s+\w+\s+(from|to)\b
      | (set|reset)\s+\w+\s*(=|to\b)
      | use\s+\w+\s*;?\s*$
      | pragma\s+\w+
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def _files() -> list[Path]:
    found = sorted(PACKAGE.rglob("*.py")) + sorted((REPO / "pages").glob("*.py"))
    return found + [REPO / "app.py"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "repurchase":
        return parts[0]  # pages, app
    return parts[1] if len(parts) > 1 else "config"  # the package's own __init__ is kernel


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in _files()}


@cache
def _tree(module: str) -> ast.Module:
    path = _modules()[module]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _resolve(module: str, name: str) -> str | None:
    """The package module an import names: `a.b` if it is one, else its package `a`."""
    modules = _modules()
    while name:
        if name in modules:
            return name if name != module else None
        name = name.rpartition(".")[0]
    return None


@cache
def _imports(module: str) -> frozenset[str]:
    """Every package module `module` imports, at the top or inside a function."""
    found: set[str] = set()
    is_package = _modules()[module].name == "__init__.py"
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] or [base]
        else:
            continue
        for target in targets:
            resolved = _resolve(module, target)
            if resolved:
                found.add(resolved)
    return frozenset(found)


def _graph() -> dict[str, frozenset[str]]:
    return {module: _imports(module) for module in _modules()}


def _upward() -> set[tuple[str, str]]:
    bad = set()
    for module, targets in _graph().items():
        mine = _layer(module)
        for target in targets:
            theirs = _layer(target)
            if theirs == "__init__" or mine == theirs:
                continue
            too_high = RANK[theirs] > RANK[mine]
            if mine == "demo" and theirs not in KERNEL:
                too_high = True
            if too_high or (mine, theirs) in SIBLINGS:
                bad.add((module, target))
    return bad


def _sql_strings(module: str) -> int:
    tree = _tree(module)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and SQL.search(node.value):
                count += 1
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "x" for part in node.values
            )
            if SQL.search(text):
                count += 1
    return count


def _cycles() -> set[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _reaches(start: str, goal: str) -> bool:
    graph, seen, todo = _graph(), set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _long_functions() -> set[str]:
    found = set()
    for module in _modules():
        if not module.startswith("repurchase"):
            continue
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    found.add(f"{module}.{node.name}")
    return found


def _check(found: set | dict, allowed: set | dict, what: str) -> None:
    if isinstance(found, dict):
        new = {k: v for k, v in found.items() if v > allowed.get(k, 0)}
        stale = {k: v for k, v in allowed.items() if found.get(k, 0) < v}
    else:
        new, stale = found - allowed, allowed - found
    assert not new, f"{what}: {sorted(new, key=str)}"
    assert not stale, f"{what}: fixed, so take them off the allow-list: {sorted(stale, key=str)}"


def test_every_module_has_a_layer():
    unknown = {m for m in _modules() if _layer(m) not in RANK and _layer(m) != "__init__"}
    assert not unknown, f"modules outside any layer: {sorted(unknown)}"


def test_imports_go_down_the_stack():
    _check(_upward(), ALLOWED_UPWARD, "imports that go up the stack")


def test_sql_is_written_only_under_the_warehouse():
    found = {
        m: n
        for m in _modules()
        if not m.startswith("repurchase.warehouse") and (n := _sql_strings(m))
    }
    _check(found, ALLOWED_SQL, "SQL written outside repurchase/warehouse (module: statements)")


def test_streamlit_is_imported_only_in_ui():
    found = {
        module
        for module in _modules()
        if module.startswith("repurchase.")
        and not module.startswith("repurchase.ui")
        and any(
            (
                isinstance(n, ast.Import)
                and any(a.name.split(".")[0] == "streamlit" for a in n.names)
            )
            or (isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "streamlit")
            for n in ast.walk(_tree(module))
        )
    }
    _check(found, ALLOWED_STREAMLIT, "streamlit imported outside repurchase/ui")


def test_no_import_cycles():
    _check(_cycles(), ALLOWED_CYCLES, "import cycles (lazy imports count)")


def test_serving_never_reaches_training():
    serving = {m for m in _modules() if m.startswith(SERVING)}
    _check({m for m in serving if _reaches(m, TRAINING)}, ALLOWED_SERVING_TRAINING, TRAINING)


def test_the_network_imports_only_torch():
    assert not _imports("repurchase.model.network") - {"repurchase.config"}


def test_no_module_too_long_to_read():
    found = {
        m
        for m, p in _modules().items()
        if m.startswith("repurchase") and _lines(p) > MAX_MODULE_LINES
    }
    _check(found, ALLOWED_LONG_MODULES, f"modules over {MAX_MODULE_LINES} lines")


def test_no_function_too_long_to_read():
    _check(_long_functions(), ALLOWED_LONG_FUNCTIONS, f"functions over {MAX_FUNCTION_LINES} lines")


def test_pages_are_thin():
    found = {
        m for m, p in _modules().items() if m.startswith("pages.") and _lines(p) > MAX_PAGE_LINES
    }
    _check(found, ALLOWED_LONG_PAGES, f"pages over {MAX_PAGE_LINES} lines")


@pytest.mark.parametrize(
    ("text", "is_sql"),
    [
        ("select customer_id from visits where rep_id = $rep_id", True),
        ("\n    insert into visits (visit_id) values (?)", True),
        ("update users set active = false where username = ?", True),
        ("with listed as (select 1) select * from listed", True),
        ("delete from visit_queue where id = ?", True),
        ("attach 'x.duckdb' as old", True),
        ("commit", True),
        ("Update the password", False),
        ("Delete this user?", False),
        ("with the chance of an order", False),
    ],
)
def test_the_sql_detector_tells_statements_from_labels(text, is_sql):
    assert bool(SQL.search(text)) is is_sql
