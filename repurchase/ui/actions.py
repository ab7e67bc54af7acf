"""The pages' writes: each calls a service with the signed-in user, then clears the caches the
change makes stale.
"""

from __future__ import annotations

from datetime import date, datetime

from repurchase.accounts.auth import User
from repurchase.evaluation.backtest import BacktestConfig
from repurchase.lists import list_actions, team_settings
from repurchase.model.config import TrainConfig
from repurchase.services import (
    access,
    admin_jobs,
    demo_guard,
    imports,
    job_runner,
    visit_queue,
    visits,
)
from repurchase.ui.cached import (
    clear_caches,
    clear_lists_and_history,
    drifting_away,
    team_settings_table,
)
from repurchase.ui.resources import queue_drainer, warehouse
from repurchase.ui.session import adopt
from repurchase.warehouse import importer


def save_visit(user: User, visit: visits.VisitInput) -> visit_queue.Saved:
    """Log a visit from the form: stored, or queued durably while a job holds the file."""
    wh = warehouse()
    queue_drainer(str(wh.path))
    outcome = visit_queue.save(wh, user, visit, datetime.now())
    if not outcome.queued:
        clear_lists_and_history()
    return outcome


def edit_visit(user: User, visit_id: int, visit: visits.VisitInput) -> None:
    """Change one of the user's own entries of today (audited)."""
    visits.edit_visit(warehouse(), user, visit_id, visit)
    clear_lists_and_history()


def delete_visit(user: User, visit_id: int) -> None:
    """Delete one of the user's own entries of today (audited)."""
    visits.delete_visit(warehouse(), user, visit_id)
    clear_lists_and_history()


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


def _list_changed() -> None:
    """A snooze, skip or Undo changes the list (and who moved up) and the manager's counts."""
    clear_lists_and_history()
    drifting_away.clear()


def snooze(user: User, customer_id: str, days: int) -> list_actions.Done:
    done = access.snooze(warehouse(), user, customer_id, days, date.today())
    _list_changed()
    return done


def skip(user: User, customer_id: str, reason: str, note: str | None) -> list_actions.Done:
    done = access.skip(warehouse(), user, customer_id, reason, note, date.today())
    _list_changed()
    return done


def undo_list_action(user: User, action_id: int) -> None:
    access.undo_list_action(warehouse(), user, action_id, date.today())
    _list_changed()


def set_team_ranking(user: User, team: str, by: str) -> None:
    """Save a team's ranking (admins only); takes effect from the next list written."""
    team_settings.set_rank_by(warehouse(), user, team, by)
    team_settings_table.clear()
