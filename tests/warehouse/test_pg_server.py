"""The private PostgreSQL server the suite starts (tests/pg_server.py): it answers on 127.0.0.1,
copies a template database, drops one that still has a session, and leaves nothing behind."""

from __future__ import annotations

import os
import pwd
import uuid

import psycopg
import pytest

from ..pg_server import HOST, SUPERUSER, PostgresServer, PostgresServerError


def _unique(prefix: str) -> str:
    # the server lives for the whole run: names must not collide with another test's
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def _databases(server: PostgresServer) -> set[str]:
    with psycopg.connect(server.dsn()) as conn:
        return {row[0] for row in conn.execute("select datname from pg_database")}


def test_accepts_a_connection_on_loopback_at_its_port(postgres_server):
    dsn = postgres_server.dsn()
    assert f"host={HOST}" in dsn and f"port={postgres_server.port}" in dsn

    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "select current_user, current_database(), host(inet_server_addr()), "
            "inet_server_port(), current_setting('max_connections')::int, "
            "current_setting('fsync'), pg_encoding_to_char(encoding) "
            "from pg_database where datname = current_database()"
        ).fetchone()
    assert row == (SUPERUSER, "postgres", HOST, postgres_server.port, 300, "off", "UTF8")


def test_the_server_never_runs_as_root(postgres_server):
    pid = int((postgres_server.data_directory / "postmaster.pid").read_text().split()[0])
    server_uid = os.stat(f"/proc/{pid}").st_uid
    if os.geteuid() == 0:
        assert pwd.getpwuid(server_uid).pw_name in ("postgres", "nobody")
    else:
        assert server_uid == os.geteuid()


def test_create_database_from_a_template_copies_its_rows(postgres_server):
    template, copy = _unique("template"), _unique("copy")
    template_dsn = postgres_server.create_database(template)
    with psycopg.connect(template_dsn) as conn:
        conn.execute("create table reps (rep_id text primary key, name text)")
        conn.execute("insert into reps values ('R1', 'Ana'), ('R2', 'Bo'), ('R3', 'Čeněk')")
    # the connection is closed here: PostgreSQL copies only a template nobody is connected to

    copy_dsn = postgres_server.create_database(copy, template=template)
    try:
        assert f"dbname={copy}" in copy_dsn
        with psycopg.connect(copy_dsn) as conn:
            rows = conn.execute("select rep_id, name from reps order by rep_id").fetchall()
        assert rows == [("R1", "Ana"), ("R2", "Bo"), ("R3", "Čeněk")]
    finally:
        postgres_server.drop_database(copy)
        postgres_server.drop_database(template)
    assert {template, copy}.isdisjoint(_databases(postgres_server))


def test_drop_database_disconnects_a_session_left_open(postgres_server):
    name = _unique("left_open")
    dsn = postgres_server.create_database(name)
    forgotten = psycopg.connect(dsn)  # a failed test's connection, never closed
    try:
        postgres_server.drop_database(name)
        assert name not in _databases(postgres_server)
        with pytest.raises(psycopg.OperationalError):
            forgotten.execute("select 1")
    finally:
        forgotten.close()


def test_errors_say_what_failed(postgres_server):
    with pytest.raises(PostgresServerError, match=r"dropping database 'no_such_db'"):
        postgres_server.drop_database("no_such_db")


def test_stop_closes_the_port_and_removes_the_directory(postgres_server):
    # a server of its own (the session's must keep running); the fixture only decides skip/fail
    server = PostgresServer(postgres_server.bindir).start()
    port, directory = server.port, server.directory
    with psycopg.connect(server.dsn()) as conn:
        assert conn.execute("select 1").fetchone() == (1,)

    server.stop()

    assert not directory.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(f"host={HOST} port={port} user={SUPERUSER} dbname=postgres")
    server.stop()  # a second stop (a context manager after an explicit stop) does nothing
