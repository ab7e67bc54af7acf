"""The README's nginx configuration (deploy/nginx.conf) in front of two app servers on one
PostgreSQL: nginx accepts it, and through it a page is served, the WebSocket upgrade passes
and each browser is kept on one server (tests/stack.py starts it all on 127.0.0.1)."""

from __future__ import annotations

import subprocess
import urllib.request
from collections.abc import Iterator

import pytest

from .. import stack

pytestmark = [pytest.mark.slow]


def _need_nginx() -> None:
    if not stack.nginx_available():
        pytest.skip("Debian's nginx (/usr/sbin/nginx) and openssl are needed")


def test_nginx_accepts_the_readme_configuration(tmp_path):
    _need_nginx()
    certificate, key = stack.self_signed_certificate(tmp_path)
    main = stack.write_nginx(
        tmp_path / "nginx", stack.site_conf([8501, 8502], 8443, 8080, certificate, key)
    )
    checked = subprocess.run(stack.nginx_command(main, "-t"), capture_output=True, text=True)  # noqa: S603
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr
    site = (tmp_path / "nginx" / "site.conf").read_text()
    assert not [line for line in site.splitlines() if "@" in line and not line.startswith("#")]


@pytest.fixture
def company(app_warehouse, tmp_path) -> Iterator[stack.Stack]:
    _need_nginx()
    with stack.running(dsn=app_warehouse.dsn, directory=tmp_path / "stack") as running:
        yield running


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_pages_come_through_nginx(company):
    context = company.ssl_context()
    with urllib.request.urlopen(f"{company.url}/", context=context) as answer:  # noqa: S310
        assert answer.status == 200
        assert "repurchase_route=" in answer.headers["Set-Cookie"]
