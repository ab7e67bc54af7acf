"""The app's pages: their files, the roles that may open each, titles, icons; each role's home."""

from __future__ import annotations

from pathlib import Path

from repurchase.accounts.auth import User

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"


# page -> (file, roles allowed, title key, icon)
PAGES: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "call_list": (
        "call_list.py",
        ("rep", "manager", "admin"),
        "nav.call_list",
        ":material/checklist:",
    ),
    "log_visit": ("log_visit.py", ("rep", "admin"), "nav.log_visit", ":material/edit_note:"),
    "customer": ("customer.py", ("rep", "manager", "admin"), "nav.customer", ":material/person:"),
    "team_today": ("team_today.py", ("manager", "admin"), "nav.team_today", ":material/today:"),
    "cohorts": ("cohorts.py", ("manager", "admin"), "nav.cohorts", ":material/groups:"),
    "model": ("model.py", ("manager", "admin"), "nav.model", ":material/monitoring:"),
    "data": ("data.py", ("admin",), "nav.data", ":material/upload_file:"),
    "users": ("users.py", ("admin",), "nav.users", ":material/manage_accounts:"),
}


HOME = {"rep": "call_list", "manager": "team_today", "admin": "call_list", None: "call_list"}


def may_open(user: User, page: str) -> bool:
    """Whether `user`'s role may open `page` (the same table the page guard reads), so a page
    never offers a button that leads to "not available for your role"."""
    return user.role in PAGES[page][1]
