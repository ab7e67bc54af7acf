"""The deployment of "Deploying for a larger team" on one machine: PostgreSQL, N app servers
(`streamlit run app.py`) and Debian's nginx in front with the README's configuration
(deploy/nginx.conf), everything on 127.0.0.1 and free ports, everything stopped at the end.

    with stack.running(dsn=wh.dsn, app_servers=2) as s:
        s.url            # https://127.0.0.1:PORT, nginx (self-signed certificate: s.certificate)
        s.servers[0].kill()

The tests and the load benchmarks start it the same way. Without a `dsn` it starts a private
PostgreSQL server of its own (tests/pg_server.py), filled from the DuckDB file `warehouse`
when one is given. nginx runs as a child of this process (`daemon off`), its pid, logs and
temporary files in the stack's directory, so no root and no system service is involved.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from repurchase.ui import server as app_server
from repurchase.ui.server import free_port, streamlit_command

from .pg_server import PostgresServer

REPO = Path(__file__).resolve().parents[1]
NGINX = Path("/usr/sbin/nginx")
SITE = REPO / "deploy" / "nginx.conf"
ROUTE_COOKIE = "repurchase_route"  # the sticky cookie deploy/nginx.conf sets

# What the README's site file needs around it to run unprivileged from a directory of its own:
# paths relative to the prefix (-p), in the foreground so this process owns it.
MAIN_CONF = """\
daemon off;
worker_processes {workers};
pid nginx.pid;
error_log error.log info;
events {{
    worker_connections 4096;
}}
http {{
    # which app server took each request, for which sticky route, with which forwarded header
    log_format stack '$remote_addr "$request" $status upstream=$upstream_addr '
                     'route=$cookie_repurchase_route xff="$http_x_forwarded_for"';
    access_log access.log stack;
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    include site.conf;
}}
"""


class StackError(RuntimeError):
    """A part of the stack did not start; the message carries its log."""


@dataclass
class AppServer:
    """One `streamlit run app.py` process on 127.0.0.1:`port`."""

    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """Die as a crashed machine would: SIGKILL, no clean-up of any kind."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def freeze(self) -> None:
        """Stop answering without closing a connection, as a hung machine: SIGSTOP. Messages
        sent to it wait in its sockets; kill() then drops them unread."""
        if self.alive:
            self.process.send_signal(signal.SIGSTOP)

    def stop(self) -> None:
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def connections(self) -> int:
        """Established TCP connections to this server's port (nginx's upstream connections:
        each open page holds one WebSocket), read from /proc/net/tcp."""
        return established_to(self.port)


@dataclass
class Stack:
    url: str  # nginx, https
    dsn: str  # the database every app server serves
    env: dict[str, str]  # the app servers' environment (a CLI run against the same database)
    servers: list[AppServer]
    directory: Path
    certificate: Path  # nginx's self-signed certificate, for 127.0.0.1
    nginx: subprocess.Popen = field(repr=False)

    @property
    def nginx_conf(self) -> Path:
        return self.directory / "nginx" / "site.conf"

    @property
    def access_log(self) -> Path:
        return self.directory / "nginx" / "access.log"

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts exactly this stack's certificate."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def live_servers(self) -> list[AppServer]:
        return [s for s in self.servers if s.alive]

    def server_for(self, route: str) -> AppServer:
        """The app server nginx sends a browser with sticky cookie `route` to (asked with a
        health request and read from nginx's access log)."""
        marker = f"/_stcore/health?route-probe={secrets.token_hex(6)}"
        request = urllib.request.Request(  # noqa: S310 (our own https URL)
            f"{self.url}{marker}", headers={"Cookie": f"{ROUTE_COOKIE}={route}"}
        )
        with urllib.request.urlopen(request, timeout=10, context=self.ssl_context()):  # noqa: S310
            pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # nginx writes the line after answering
            for line in self.access_log.read_text(errors="replace").splitlines():
                if marker in line:
                    upstream = line.split(" upstream=", 1)[1].split()[0]
                    port = int(upstream.split(",")[-1].strip().rsplit(":", 1)[1])
                    return next(s for s in self.servers if s.port == port)
            time.sleep(0.1)
        raise StackError(f"no access log line for {marker}")

    def route_to(self, server: AppServer) -> str:
        """A sticky cookie value that nginx sends to `server` (hashing is consistent, so
        the value keeps its server while that one lives)."""
        for n in range(64):
            route = f"route{n}"
            if self.server_for(route) is server:
                return route
        raise StackError(f"no route to {server.url} in 64 tries")


def site_conf(
    app_servers: list[int],
    listen: int,
    http_listen: int,
    certificate: Path,
    key: Path,
    source: Path = SITE,
) -> str:
    """The README's nginx configuration with its placeholders filled for 127.0.0.1."""
    upstreams = "\n    ".join(
        f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in app_servers
    )
    values = {
        "@APP_SERVERS@": upstreams,
        "@LISTEN@": f"127.0.0.1:{listen}",
        "@HTTP_LISTEN@": f"127.0.0.1:{http_listen}",
        "@SERVER_NAME@": "127.0.0.1",
        "@CERTIFICATE@": str(certificate),
        "@CERTIFICATE_KEY@": str(key),
    }
    lines = []
    for line in source.read_text().splitlines(keepends=True):
        if not line.lstrip().startswith("#"):  # the comments name the placeholders
            for placeholder, value in values.items():
                line = line.replace(placeholder, value)
        lines.append(line)
    return "".join(lines)


def write_nginx(directory: Path, site: str, workers: int | str = "auto") -> Path:
    """nginx's prefix directory with the main file around `site`; returns the main file."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tmp").mkdir(exist_ok=True)
    (directory / "site.conf").write_text(site)
    main = directory / "nginx.conf"
    main.write_text(MAIN_CONF.format(workers=workers))
    return main


def nginx_command(main: Path, *args: str) -> list[str]:
    prefix = main.parent
    return [str(NGINX), "-p", f"{prefix}/", "-c", str(main), "-e", str(prefix / "error.log"), *args]


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for IP 127.0.0.1 and its key (openssl), valid for two days."""
    cert, key = directory / "certificate.pem", directory / "key.pem"
    subprocess.run(  # noqa: S603 (fixed arguments)
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def established_to(port: int) -> int:
    """How many established IPv4 TCP connections have 127.0.0.1:`port` as their local end."""
    local = f"0100007F:{port:04X}"
    count = 0
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            if fields[1] == local and fields[3] == "01":  # 01: ESTABLISHED
                count += 1
    return count


def start_app_server(env: Mapping[str, str], log: Path) -> AppServer:
    """`streamlit run app.py` on a free port, not yet waited for (see wait_healthy)."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            streamlit_command(port),
            cwd=REPO,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return AppServer(port, process, log)


def wait_healthy(server: AppServer, timeout: float) -> None:
    app_server.wait_healthy(server.url, server.process, server.log, timeout)


@contextlib.contextmanager
def running(
    *,
    dsn: str | None = None,
    warehouse: Path | None = None,
    app_servers: int = 2,
    env: Mapping[str, str] | None = None,
    directory: Path | None = None,
    timeout: float = 180.0,
) -> Iterator[Stack]:
    """PostgreSQL (`dsn`, or a private server), `app_servers` app servers on it, nginx in
    front; yields the Stack and stops all of it, also when the body fails.

    `warehouse`: a DuckDB file copied into the private server's database (ignored with `dsn`);
    `env`: added to the app servers' environment; `directory`: where logs, the model folder
    and nginx's files go (a temporary directory, removed after, if None).
    """
    with contextlib.ExitStack() as stack:
        if directory is None:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="stack-")))
        directory.mkdir(parents=True, exist_ok=True)
        # nginx's workers drop root for `nobody` and must reach their temporary files
        directory.chmod(0o755)
        if dsn is None:
            dsn = _private_database(stack, warehouse, directory)
        anchor = directory / "anchor.duckdb"
        server_env = {
            **os.environ,
            "REPURCHASE_BACKEND": "postgres",
            "REPURCHASE_POSTGRES_DSN": dsn,
            # every server keeps its side files (model artefacts, job logs) beside one anchor,
            # as servers sharing a mounted volume would
            "REPURCHASE_WAREHOUSE": str(anchor),
            # nginx runs on this machine: its X-Forwarded-For names the client (README)
            "REPURCHASE_TRUSTED_PROXIES": "127.0.0.1",
            **(env or {}),
        }
        servers: list[AppServer] = []

        def stop_servers() -> None:
            for server in servers:
                server.stop()

        stack.callback(stop_servers)
        for n in range(app_servers):
            servers.append(start_app_server(server_env, directory / f"server{n + 1}.log"))
        for server in servers:
            wait_healthy(server, timeout)

        nginx, url, certificate = _start_nginx(stack, directory, [s.port for s in servers])
        yield Stack(url, dsn, server_env, servers, directory, certificate, nginx)


def _private_database(stack: contextlib.ExitStack, warehouse: Path | None, directory: Path) -> str:
    from repurchase.services import move_to_postgres
    from repurchase.warehouse.store import Warehouse

    server = stack.enter_context(PostgresServer())
    dsn = server.create_database("repurchase")
    target = Warehouse(directory / "moving.duckdb", dsn=dsn)
    try:
        if warehouse is not None:
            move_to_postgres.move(Warehouse(warehouse, backend="duckdb"), target)
        else:
            target.schema_version()
    finally:
        target.close()
    return dsn


def _start_nginx(
    stack: contextlib.ExitStack, directory: Path, ports: list[int]
) -> tuple[subprocess.Popen, str, Path]:
    prefix = directory / "nginx"
    prefix.mkdir(exist_ok=True)
    certificate, key = self_signed_certificate(prefix)
    listen = free_port()
    site = site_conf(ports, listen, free_port(), certificate, key)
    main = write_nginx(prefix, site)
    checked = subprocess.run(nginx_command(main, "-t"), capture_output=True, text=True)  # noqa: S603
    if checked.returncode != 0:
        raise StackError(f"nginx -t refused the configuration:\n{checked.stderr}")
    with (prefix / "nginx.out").open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            nginx_command(main), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop() -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        # its own process group: workers left by a master that did not finish go with it
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    stack.callback(stop)
    url = f"https://127.0.0.1:{listen}"
    context = ssl.create_default_context(cafile=str(certificate))
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2, context=context):  # noqa: S310
                return process, url, certificate
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                log = (prefix / "error.log").read_text(errors="replace")[-4000:]
                raise StackError(f"nginx did not answer on {url}:\n{log}") from None
            time.sleep(0.2)


def nginx_available() -> bool:
    return NGINX.exists() and shutil.which("openssl") is not None
