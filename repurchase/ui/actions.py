"""The pages' writes: each calls a service with the signed-in user, then clears the caches the
change makes stale.
"""

from __future__ import annotations

from datetime import date, datetime

from repurchase.accounts.auth import User
from repurchase.lists import list_actions, team_settings
from repurchase.services import (
    access,
    visit_queue,
    visits,
)
from repurchase.ui.cached import (
    clear_lists_and_history,
    cohort_holdout,
    drifting_away,
    share_options,
    team_proofs,
    team_settings_table,
)
from repurchase.ui.resources import queue_drainer, warehouse


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


def set_holdout_share(user: User, team: str, share: float) -> date:
    """Save a team's hold-out share (admins only); returns the day it takes effect (the next
    hold-out period's start)."""
    starts = team_settings.set_holdout_share(warehouse(), user, team, share)
    team_settings_table.clear()
    share_options.clear()
    team_proofs.clear()
    cohort_holdout.clear()
    return starts
