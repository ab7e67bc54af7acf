"""The Data and Users pages' reads and writes that are not cached: who can sign in and the
changes to them (accounts.users, the same functions as `python -m repurchase users`), imports
and the first import that replaces the demo, and the background jobs. Each acts as the
signed-in admin on the app's warehouse; the functions called refuse anyone else. (Only these
pages import this module: starting a retrain or a backtest loads the training code.)
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from repurchase.accounts import users
from repurchase.accounts.auth import User
from repurchase.evaluation.backtest import BacktestConfig
from repurchase.model.config import TrainConfig
from repurchase.services import admin_jobs, demo_guard, imports, job_runner
from repurchase.ui.cached import clear_caches
from repurchase.ui.resources import warehouse
from repurchase.ui.session import adopt
from repurchase.warehouse import importer


def is_demo_account(user: User) -> bool:
    """Whether `user` signed in with one of the demo's public accounts."""
    return demo_guard.is_demo_account(warehouse(), user.username)


def check_new_admin(admin: demo_guard.NewAdmin) -> None:
    """The account rules for the admin's own account (demo_guard.check_new_admin)."""
    demo_guard.check_new_admin(warehouse(), admin)


def user_table(user: User) -> pd.DataFrame:
    """Every user (accounts.users.list_users' columns), for an admin."""
    return users.list_users(warehouse(), by=user)


def add_user(
    user: User,
    username: str,
    password: str | None,
    role: str,
    *,
    display_name: str | None,
    rep_id: str | None,
    team: str | None,
    external_id: str | None,
) -> User:
    """A new user; refused if the name is taken (accounts.users.add)."""
    return users.add(
        warehouse(),
        username,
        password,
        role,
        display_name=display_name,
        rep_id=rep_id,
        team=team,
        external_id=external_id,
        by=user,
    )


def set_password(user: User, username: str, password: str, keep_token: str | None) -> int:
    """A new password; how many of their sessions ended (all but `keep_token`'s)."""
    return users.set_password(warehouse(), username, password, by=user, keep_token=keep_token)


def set_role(user: User, username: str, role: str, rep_id: str, team: str) -> int:
    """A new role, rep and team; how many of their sessions ended."""
    return users.set_role(warehouse(), username, role, rep_id=rep_id, team=team, by=user)


def set_external_id(
    user: User, username: str, external_id: str | None, keep_token: str | None
) -> int:
    """Link (or with None unlink) a company account; how many of their sessions ended."""
    return users.set_external_id(warehouse(), username, external_id, by=user, keep_token=keep_token)


def disable(user: User, username: str) -> int:
    """No more sign-ins; how many of their sessions ended."""
    return users.disable(warehouse(), username, by=user)


def enable(user: User, username: str) -> None:
    users.enable(warehouse(), username, by=user)


def sign_out_everywhere(user: User, username: str) -> int:
    """End every session of `username`; how many ended."""
    return users.sign_out_everywhere(warehouse(), username, by=user)


def remove(user: User, username: str) -> None:
    users.remove(warehouse(), username, by=user)


# What the Data page's buttons run (tests make them small): the nightly job with the default
# training, and the default backtest up to today.
RETRAIN_TRAINING = TrainConfig()
BACKTEST = BacktestConfig()
JOBS_REFRESH_SECONDS = 2.0  # the Data page's job panel redraws itself this often
_finished_seen: dict[str, int] = {}  # warehouse path -> latest finished job this process saw


def start_retrain(user: User) -> int:
    """Start the nightly job in a background worker; its job id at once (admin_jobs)."""
    return admin_jobs.start_retrain(warehouse(), user, RETRAIN_TRAINING, date.today())


def start_backtest(user: User) -> int:
    """Start the rolling backtest up to today in a background worker; its job id."""
    return admin_jobs.start_backtest(warehouse(), user, BACKTEST, date.today())


def cancel_job(user: User, job_id: int) -> job_runner.Job:
    return admin_jobs.cancel(warehouse(), user, job_id)


def recent_jobs(user: User, limit: int = 10) -> list[job_runner.Job]:
    """The latest jobs (never cached: the panel shows live progress). When one finished since
    this server last looked, cached results may be stale (a new model may serve): they are
    cleared."""
    wh = warehouse()
    found = admin_jobs.recent(wh, user, limit)
    latest = max((j.job_id for j in found if not j.active), default=0)
    seen = _finished_seen.setdefault(str(wh.path), latest)
    if latest > seen:
        _finished_seen[str(wh.path)] = latest
        clear_caches()
    return found


def check_upload(user: User, files: list) -> importer.ValidationReport:
    """Read and check uploaded files (a dry run: nothing is written)."""
    return imports.check(warehouse(), user, files)


def import_checked(user: User, report: importer.ValidationReport) -> importer.ImportReport:
    """Write a clean report's rows (one transaction), as the signed-in admin."""
    result = imports.write(warehouse(), user, report)
    clear_caches()
    return result


def replace_demo(
    user: User, report: importer.ValidationReport, admin: demo_guard.NewAdmin | None
) -> demo_guard.Replaced:
    """The Data page's confirmed first import into the demo (services.imports.replace_demo).
    An admin who gave their own account is signed in with it, so nobody is locked out."""
    done = imports.replace_demo(warehouse(), user, report, admin)
    clear_caches()
    if done.admin is not None:
        adopt(done.admin)
    return done
