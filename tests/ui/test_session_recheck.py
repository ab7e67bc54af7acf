"""Open pages re-check their session every few seconds against one read per server, not one
read each: 300 open pages must not cost 75 queries a second."""

from __future__ import annotations

from repurchase.accounts import auth, sessions, users
from repurchase.ui import session as ui_session

PAGES = 60


def _counted(monkeypatch) -> dict[str, int]:
    reads = {"shared": 0, "one": 0}
    shared, one = sessions.live, sessions.resume

    def live(warehouse):
        reads["shared"] += 1
        return shared(warehouse)

    def resume(warehouse, token, *args, **kwargs):
        reads["one"] += 1
        return one(warehouse, token, *args, **kwargs)

    monkeypatch.setattr(sessions, "live", live)
    monkeypatch.setattr(sessions, "resume", resume)
    return reads


def test_many_open_pages_recheck_against_one_shared_read(app_warehouse, monkeypatch):
    tokens = [sessions.start(app_warehouse, "rep", "127.0.0.1").token for _ in range(PAGES)]
    path = str(app_warehouse.path)
    ui_session.session_changed()
    reads = _counted(monkeypatch)
    for _ in range(3):  # three watch ticks of every open page, within the few seconds
        assert [ui_session.live_username(path, token) for token in tokens] == ["rep"] * PAGES
        assert all(ui_session.stored_user(path, "rep").username == "rep" for _ in tokens)
    assert reads == {"shared": 1, "one": 0}


def test_a_disabled_user_is_signed_out_at_the_next_shared_read(app_warehouse, monkeypatch):
    token = sessions.start(app_warehouse, "rep", "127.0.0.1").token
    other = sessions.start(app_warehouse, "manager", "127.0.0.1").token
    path = str(app_warehouse.path)
    ui_session.session_changed()
    assert ui_session.live_username(path, token) == "rep"
    users.disable(app_warehouse, "rep", by=auth.SYSTEM)
    ui_session._live.clear()  # what the few seconds of caching do by themselves
    ui_session._live_session.clear()
    ui_session._stored_user.clear()
    assert ui_session.live_username(path, token) is None
    assert ui_session.stored_user(path, "rep") is None
    assert ui_session.live_username(path, other) == "manager"


def test_a_session_begun_since_the_shared_read_is_read_on_its_own(app_warehouse, monkeypatch):
    path = str(app_warehouse.path)
    ui_session.session_changed()
    ui_session.live_username(path, "no such token")  # the shared read is now cached
    reads = _counted(monkeypatch)
    token = sessions.start(app_warehouse, "rep", "127.0.0.1").token  # a sign-in just now
    assert ui_session.live_username(path, token) == "rep"  # not signed out for being new
    assert reads == {"shared": 0, "one": 1}
