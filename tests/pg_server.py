"""A throwaway PostgreSQL server for the tests: initdb into a temporary directory, start it on
127.0.0.1 and a free port, hand out DSNs, and remove every trace on stop.

Never a system service: the suite must not depend on (or touch) a cluster someone else runs.
Needs Debian's `postgresql` package (the binaries in /usr/lib/postgresql/<version>/bin).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

SUPERUSER = "repurchase"
HOST = "127.0.0.1"

# Settings for a server whose data may be lost at any moment: durability costs time and buys
# nothing here. A benchmark and parallel tests open many connections, hence max_connections.
TEST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
}

# A free port is found before the server binds it, so another process can take it in between;
# a few fresh ports make that race harmless.
_START_ATTEMPTS = 3


class PostgresServerError(RuntimeError):
    """initdb, pg_ctl or an administrative statement failed; the message says which and why."""


def find_bindir() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres, or None when PostgreSQL is absent.

    pg_config first, but only if its bindir really has initdb: libpq-dev installs a pg_config
    without the server. Then Debian's versioned folders (newest first), then PATH.
    """
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            candidates.append(Path(done.stdout.strip()))
    debian = Path("/usr/lib/postgresql")
    versions = [p for p in debian.glob("*/bin") if p.parent.name.isdigit()]
    candidates += sorted(versions, key=lambda p: int(p.parent.name), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if all(os.access(folder / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _server_user() -> str | None:
    """The account initdb and postgres run as: they refuse root, and we run as root in CI."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise PostgresServerError(
        "running as root, but neither a 'postgres' nor a 'nobody' user exists to run the "
        "server as (initdb and postgres refuse root); install Debian's postgresql package"
    )


class PostgresServer:
    """A private PostgreSQL server. Start it with start() or `with PostgresServer() as server:`.

    The superuser is `repurchase`, trusted without a password from 127.0.0.1 and from the unix
    socket, which lives in the private temporary directory.
    """

    def __init__(self, bindir: Path | None = None) -> None:
        found = bindir or find_bindir()
        if found is None:
            raise PostgresServerError(
                "PostgreSQL binaries not found (no initdb via pg_config, "
                "/usr/lib/postgresql/*/bin or PATH); install Debian's postgresql package"
            )
        self.bindir = found
        self.user = SUPERUSER
        self.port: int | None = None
        self.directory: Path | None = None
        self._run_as = _server_user()

    @property
    def data_directory(self) -> Path:
        return self._require_directory() / "data"

    @property
    def log_file(self) -> Path:
        return self._require_directory() / "server.log"

    def start(self) -> PostgresServer:
        if self.directory is not None:
            raise PostgresServerError(f"server already started in {self.directory}")
        self.directory = Path(tempfile.mkdtemp(prefix="repurchase-pg-"))
        try:
            if self._run_as:
                account = pwd.getpwnam(self._run_as)
                os.chown(self.directory, account.pw_uid, account.pw_gid)
            self._initdb()
            self._start_on_a_free_port()
        except BaseException:
            # the failure is what matters; a half-made directory must not hide it
            self._remove_directory(ignore_errors=True)
            raise
        return self

    def dsn(self, dbname: str = "postgres") -> str:
        """A libpq key=value connection string for `dbname` on this server."""
        if self.port is None:
            raise PostgresServerError("the server is not running; call start() first")
        return make_conninfo(host=HOST, port=self.port, user=self.user, dbname=dbname)

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create `name` (a copy of `template` when given) and return its DSN.

        A template must have no open connections while it is copied: PostgreSQL refuses then.
        """
        statement = sql.SQL("create database {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" template {}").format(sql.Identifier(template))
        self._admin(
            statement,
            f"creating database {name!r}" + (f" from template {template!r}" if template else ""),
        )
        return self.dsn(name)

    def drop_database(self, name: str) -> None:
        """Drop `name`, disconnecting whoever is still connected to it."""
        # A test that failed halfway may have left a connection open; a drop must still work.
        terminate = sql.SQL(
            "select pg_terminate_backend(pid) from pg_stat_activity "
            "where datname = {} and pid <> pg_backend_pid()"
        ).format(sql.Literal(name))
        drop = sql.SQL("drop database {} with (force)").format(sql.Identifier(name))
        self._admin(terminate, f"disconnecting the sessions of database {name!r}")
        self._admin(drop, f"dropping database {name!r}")

    def stop(self) -> None:
        """Stop at once (the data is disposable) and delete the directory. Safe to call twice."""
        if self.directory is None:
            return
        try:
            if self.port is not None and (self.data_directory / "postmaster.pid").exists():
                self._run(
                    [self._tool("pg_ctl"), "stop", self._pgdata(), "--mode=immediate", "--wait"],
                    "stopping the server",
                )
        finally:
            self.port = None
            self._remove_directory()

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _initdb(self) -> None:
        self._run(
            [
                self._tool("initdb"),
                self._pgdata(),
                f"--username={SUPERUSER}",
                "--encoding=UTF8",
                # C.UTF-8: the same on every machine (no installed locale needed), code-point
                # order like DuckDB's, and upper()/lower() that still know non-ASCII letters
                "--locale=C.UTF-8",
                "--auth=trust",
                "--no-sync",
                "--no-instructions",
            ],
            "initdb",
        )
        # Trust only the private socket and 127.0.0.1: no ::1, no other address.
        self._write(
            self.data_directory / "pg_hba.conf",
            "local all all trust\nhost all all 127.0.0.1/32 trust\n",
        )

    def _start_on_a_free_port(self) -> None:
        for attempt in range(1, _START_ATTEMPTS + 1):
            port = _free_port()
            self._write_settings(port)
            try:
                start = [self._tool("pg_ctl"), "start", self._pgdata(), f"--log={self.log_file}"]
                self._run([*start, "--wait", "--timeout=60"], f"starting the server on port {port}")
            except PostgresServerError as failed:
                log = self._log_tail()
                taken = re.search(r"could not bind|already in use", log)
                if taken and attempt < _START_ATTEMPTS:
                    continue
                raise PostgresServerError(f"{failed}\n--- server log (tail) ---\n{log}") from None
            self.port = port
            return

    def _write_settings(self, port: int) -> None:
        settings = {
            **TEST_SETTINGS,
            "listen_addresses": f"'{HOST}'",
            "port": str(port),
            "unix_socket_directories": f"'{self.directory}'",
        }
        # A separate file included last, so a retry on another port rewrites it cleanly.
        self._write(
            self.data_directory / "tests.conf",
            "".join(f"{key} = {value}\n" for key, value in settings.items()),
        )
        conf = self.data_directory / "postgresql.conf"
        include = "include = 'tests.conf'\n"
        if include not in conf.read_text():
            self._write(conf, conf.read_text() + include)

    def _admin(self, statement: sql.Composable, what: str) -> None:
        try:
            with psycopg.connect(self.dsn(), autocommit=True, connect_timeout=10) as conn:
                conn.execute(statement)
        except psycopg.Error as failed:
            raise PostgresServerError(f"{what} failed: {failed}") from failed

    def _run(self, command: list[str], what: str) -> None:
        if self._run_as:
            # /usr/sbin is not on every root PATH (a minimal container, a CI runner's shell)
            runuser = shutil.which("runuser", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
            command = [runuser or "runuser", "-u", self._run_as, "--", *command]
        # PG* variables from a developer's shell (PGDATA, PGPORT ...) must not steer the tools;
        # cwd is ours because the server user may not be allowed into the caller's directory.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        done = subprocess.run(
            command,
            cwd=self.directory,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if done.returncode != 0:
            output = (done.stderr or done.stdout).strip()
            raise PostgresServerError(
                f"{what} failed (exit status {done.returncode}): {' '.join(command)}\n{output}"
            )

    def _write(self, path: Path, text: str) -> None:
        """Write a file in the data directory, owned by the server's account like the rest."""
        path.write_text(text)
        if self._run_as:
            account = pwd.getpwnam(self._run_as)
            os.chown(path, account.pw_uid, account.pw_gid)

    def _pgdata(self) -> str:
        return f"--pgdata={self.data_directory}"

    def _tool(self, name: str) -> str:
        return str(self.bindir / name)

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def _require_directory(self) -> Path:
        if self.directory is None:
            raise PostgresServerError("the server has no directory; call start() first")
        return self.directory

    def _remove_directory(self, ignore_errors: bool = False) -> None:
        if self.directory is not None:
            directory, self.directory = self.directory, None
            shutil.rmtree(directory, ignore_errors=ignore_errors)
