"""What a server process keeps for every session: the warehouse handle, the serving model, the
thread that stores queued visits once the warehouse frees, and the thread that writes the day's
lists when a new day starts (so no page view ever writes them).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from datetime import date, datetime

import streamlit as st

from repurchase.config import default_warehouse_path, read_only_setting
from repurchase.errors import RepurchaseError
from repurchase.model import registry
from repurchase.services import daily_lists, leftovers, reminders, visit_queue
from repurchase.warehouse.store import Warehouse


@st.cache_resource(show_spinner=False)
def _warehouse(path: str, read_only: bool) -> Warehouse:
    return Warehouse(path, read_only=read_only)


def warehouse() -> Warehouse:
    """The server's warehouse handle (it opens the file only per unit of work), keyed by path
    and mode so a changed REPURCHASE_WAREHOUSE is never served a stale handle."""
    return _warehouse(str(default_warehouse_path()), read_only_setting())


@st.cache_resource(show_spinner=False, max_entries=4)
def _model(path: str, version: str) -> registry.LoadedModel:
    return registry.load(Warehouse(path), version)


def serving_model() -> registry.LoadedModel | None:
    """The serving model, loaded once per server process per version."""
    wh = warehouse()
    version = registry.serving_version(wh)
    return None if version is None else _model(str(wh.path), version)


QUEUE_DRAIN_SECONDS = 5.0


@st.cache_resource(show_spinner=False)
def queue_drainer(path: str) -> threading.Thread:
    """One thread per server process that writes queued visits once the file frees. It looks
    at the queue folder only (no file open) while nothing is queued."""
    wh = Warehouse(path)

    def work() -> None:
        while True:
            time.sleep(QUEUE_DRAIN_SECONDS)
            try:
                if visit_queue.pending(wh) and visit_queue.drain(wh).stored:
                    st.cache_data.clear()
            except Exception:  # a thread that dies would leave queued visits until a restart
                log.exception("storing queued visits failed; trying again shortly")

    thread = threading.Thread(target=work, name="visit-queue-drainer", daemon=True)
    thread.start()
    return thread


DAILY_LISTS_SECONDS = 60.0
# Failed mails wait 5 minutes at least before their next try (services/reminders.py), so the
# thread looks for them that often, not every minute: each look opens the file, and a file a
# job is about to hold is better left alone.
MAIL_RETRY_SECONDS = 300.0
log = logging.getLogger(__name__)


def _write_lists(wh: Warehouse, today: date) -> None:
    daily_lists.write_today(wh, today)
    st.cache_data.clear()
    if daily_lists.written(wh, today):  # the morning mails need the lists
        reminders.after_lists(wh, today)


@st.cache_resource(show_spinner=False)
def daily_lists_writer(path: str) -> threading.Thread:
    """One thread per server process that writes the day's call lists once a new day starts,
    if a model serves and no job has written them (the nightly job normally has). Pages only
    read: a page opened before this thread is done shows that today's lists are being written.
    It first removes what killed backups, restores and queue writes left. It never builds a
    demo or creates a warehouse: that is the first start's."""
    wh = Warehouse(path)
    done: list[date] = []
    next_retry = [0.0]

    def work() -> None:
        try:  # the server's start: what a killed backup, restore or queue write left
            for path in leftovers.clean(wh):
                log.warning("removed %s, left by a process that was killed", path)
        except OSError:
            log.exception("removing what killed processes left failed")
        while True:
            today = date.today()
            if today not in done:
                try:  # the first look reads too: the database may be out of reach
                    if not daily_lists.needs_first_start(wh):
                        _write_lists(wh, today)
                        done.append(today)
                except RepurchaseError as exc:  # busy, or a model that cannot load: say, retry
                    log.warning("today's call lists are not written yet: %s", exc)
                except Exception:  # a thread that dies would never write a list again
                    log.exception("writing today's call lists failed")
            if time.monotonic() >= next_retry[0]:  # mails that failed wait for their next try
                try:
                    reminders.retry_due(wh)
                except RepurchaseError as exc:  # the database out of reach: at the next look
                    log.warning("failed mails are not retried yet: %s", exc)
                next_retry[0] = time.monotonic() + MAIL_RETRY_SECONDS
            if stopping.wait(DAILY_LISTS_SECONDS):
                return

    stopping = threading.Event()
    thread = threading.Thread(target=work, name="daily-lists", daemon=True)
    thread.start()

    def stop() -> None:
        # a daemon thread cut off inside a database call aborts the whole process at exit:
        # let it finish the unit it is in
        stopping.set()
        thread.join(timeout=30)

    atexit.register(stop)
    return thread


def now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)
