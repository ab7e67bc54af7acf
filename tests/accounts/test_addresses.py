"""Which address the sign-in throttle counts against, from what the web server reports for a
connection and the X-Forwarded-For header it carried."""

from __future__ import annotations

import pytest

from repurchase.accounts.addresses import UNKNOWN_PROXY, Peers, hosts, resolve
from repurchase.accounts.auth import LOCAL_CLIENT

NGINX_HERE = ("127.0.0.1",)
NGINX_ELSEWHERE = ("10.0.0.5",)
LOOPBACK = ("127.0.0.1", "::1")  # uvicorn's default FORWARDED_ALLOW_IPS


@pytest.mark.parametrize(
    ("reported", "forwarded_for", "trusted", "server_trusted", "client"),
    [
        # no proxy, no header: the connection's own address
        ("203.0.113.7", None, (), LOOPBACK, "203.0.113.7"),
        (None, None, (), LOOPBACK, LOCAL_CLIENT),
        # a browser that sends a header of its own straight to the app: ignored
        ("203.0.113.7", "198.51.100.1", (), LOOPBACK, "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", NGINX_HERE, LOOPBACK, "203.0.113.7"),
        # nginx on this machine, trusted: the address it wrote (uvicorn already applied it)
        ("198.51.100.1", "198.51.100.1", NGINX_HERE, LOOPBACK, "198.51.100.1"),
        ("198.51.100.1", "198.51.100.1", ("::1",), LOOPBACK, "198.51.100.1"),
        # ... not trusted (the default): every client through it is one, this machine
        ("198.51.100.1", "198.51.100.1", (), LOOPBACK, LOCAL_CLIENT),
        ("198.51.100.9", "198.51.100.9", (), LOOPBACK, LOCAL_CLIENT),
        # a relay on this machine making up an address per attempt, untrusted: one client
        ("192.0.2.44", "192.0.2.44", (), LOOPBACK, LOCAL_CLIENT),
        # a proxy that appends: the forged entry left of the proxy's own is not the client
        ("198.51.100.1", "192.0.2.44, 198.51.100.1", NGINX_HERE, LOOPBACK, "198.51.100.1"),
        # nginx on another machine, trusted: uvicorn left the connection alone
        ("10.0.0.5", "198.51.100.1", NGINX_ELSEWHERE, LOOPBACK, "198.51.100.1"),
        ("10.0.0.5", "192.0.2.44, 198.51.100.1", ("10.0.0.0/24",), LOOPBACK, "198.51.100.1"),
        # ... not trusted: every client is the proxy
        ("10.0.0.5", "198.51.100.1", (), LOOPBACK, "10.0.0.5"),
        # two trusted proxies in a row: the client is left of both
        ("10.0.0.5", "198.51.100.1, 10.0.0.6", ("10.0.0.0/24",), LOOPBACK, "198.51.100.1"),
        # uvicorn told to trust any peer; the app trusts only nginx here: cannot tell, one
        ("198.51.100.1", "198.51.100.1", NGINX_HERE, ("*",), UNKNOWN_PROXY),
        # uvicorn told to trust no one: the connection as it is
        (None, "198.51.100.1", (), ("",), LOCAL_CLIENT),
        (None, "198.51.100.1", NGINX_HERE, ("",), "198.51.100.1"),
        # ports and IPv6 in the header
        ("10.0.0.5", "198.51.100.1:5555", NGINX_ELSEWHERE, LOOPBACK, "198.51.100.1"),
        ("10.0.0.5", "[2001:db8::1]:443", NGINX_ELSEWHERE, LOOPBACK, "2001:db8::1"),
        # the client is this machine (a test through nginx): the name loopback always has
        (None, "127.0.0.1", NGINX_HERE, LOOPBACK, LOCAL_CLIENT),
    ],
)
def test_the_client_is_what_a_trusted_proxy_says_and_nothing_else(
    reported, forwarded_for, trusted, server_trusted, client
):
    assert resolve(reported, forwarded_for, trusted, server_trusted) == client


def test_header_values_are_split_and_stripped_of_ports():
    assert hosts(" 192.0.2.1 , 10.0.0.5:80,[::1]:8501, 2001:db8::2") == [
        "192.0.2.1",
        "10.0.0.5",
        "::1",
        "2001:db8::2",
    ]
    assert hosts(None) == [] and hosts("") == []


@pytest.mark.parametrize(
    ("inner", "outer", "within"),
    [
        (("127.0.0.1", "::1"), ("127.0.0.1",), True),  # loopback is one machine
        (("10.0.0.5",), ("10.0.0.0/24",), True),
        (("10.0.0.0/16",), ("10.0.0.0/24",), False),
        (("*",), ("10.0.0.0/8",), False),
        (("10.0.0.5",), ("*",), True),
        (("10.0.0.5",), (), False),
    ],
)
def test_peers_within(inner, outer, within):
    assert Peers(inner).within(Peers(outer)) is within
