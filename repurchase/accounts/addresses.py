"""The client address the sign-in throttle counts against.

Behind a proxy every connection comes from the proxy, which names the client in
X-Forwarded-For. Anyone can send that header, though: a guesser who makes up a fresh address
per attempt makes every wrong guess a first one. So the header counts only on a connection
from a proxy named in REPURCHASE_TRUSTED_PROXIES (none by default), and then the client is the
rightmost entry no trusted proxy wrote: entries further left came from the client.

Streamlit's web server (uvicorn) has its own list (FORWARDED_ALLOW_IPS, loopback by default):
on a connection from one of those it reports an address taken from the header instead of the
connection's. What it picks is a function of the header, so a reported address equal to that
pick means the header was applied and the connection came from one of uvicorn's peers; the app
then trusts it only if it trusts every one of them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from repurchase.accounts.auth import LOCAL_CLIENT

# A connection from one of the web server's peers that the app does not trust: the peer is
# one of several and cannot be told apart, so they all share this name.
UNKNOWN_PROXY = "proxy"
LOOPBACK = ("127.0.0.1", "::1")
_LONGEST = 100  # the throttle stores at most this much of an address
_THIS_MACHINE = [ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")]


class Peers:
    """A set of addresses and networks written as in the settings ("10.0.0.5", "10.0.0.0/8",
    "*" for any); entries that are no address are compared as text."""

    def __init__(self, entries: Sequence[str]) -> None:
        self.any = "*" in entries
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self.literals: set[str] = set()
        for entry in entries:
            try:
                network = ipaddress.ip_network(entry, strict=False)
            except ValueError:
                if entry:
                    self.literals.add(entry)
                continue
            # 127.0.0.1 and ::1 are both this machine: naming one names the other
            self.networks += _THIS_MACHINE if network.is_loopback else [network]

    def __contains__(self, host: str) -> bool:
        if self.any:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return host in self.literals
        return any(address in network for network in self.networks)

    def within(self, other: Peers) -> bool:
        """Whether every member of these peers is a member of `other`."""
        if other.any:
            return True
        if self.any:
            return False
        covered = all(
            any(n.version == o.version and n.subnet_of(o) for o in other.networks)  # type: ignore[arg-type]
            for n in self.networks
        )
        return covered and self.literals <= other.literals


def hosts(forwarded_for: str | None) -> list[str]:
    """The addresses in an X-Forwarded-For value, left (first client) to right (last proxy),
    without ports."""
    if not forwarded_for:
        return []
    return [_without_port(part.strip()) for part in forwarded_for.split(",") if part.strip()]


def _without_port(value: str) -> str:
    if value.startswith("["):  # [IPv6]:port
        end = value.find("]")
        return value[1:end] if end > 0 else value
    if value.count(":") == 1:  # IPv4:port; a bare IPv6 address has several colons
        return value.rsplit(":", 1)[0]
    return value


def server_pick(hops: list[str], server_peers: Peers) -> str:
    """The address uvicorn reports for a header with `hops` on a connection from one of its
    peers: the rightmost entry that is not one of them, else the leftmost."""
    for host in reversed(hops):
        if host not in server_peers:
            return host
    return hops[0]


def resolve(
    reported: str | None,
    forwarded_for: str | None,
    trusted: Sequence[str],
    server_trusted: Sequence[str] = LOOPBACK,
) -> str:
    """The client's address for the throttle.

    `reported`: the address Streamlit reports for the connection (None for loopback);
    `forwarded_for`: the X-Forwarded-For header the connection carried (all its values,
    comma-separated); `trusted`: REPURCHASE_TRUSTED_PROXIES; `server_trusted`: the web
    server's FORWARDED_ALLOW_IPS. Loopback is answered as LOCAL_CLIENT.
    """
    hops = hosts(forwarded_for)
    reported = reported or LOOPBACK[0]
    ours, servers = Peers(trusted), Peers(server_trusted)
    if hops and reported == server_pick(hops, servers):
        peer = None  # one of uvicorn's peers, the header already applied
        peer_trusted = servers.within(ours)
    else:
        peer = reported
        peer_trusted = reported in ours
    if not peer_trusted:
        if peer is not None:
            return _named(peer)
        return LOCAL_CLIENT if servers.within(Peers(LOOPBACK)) else UNKNOWN_PROXY
    for host in reversed(hops):
        if host not in ours:
            return _named(host)
    # every entry is a trusted proxy: the leftmost one is where the request came from
    return _named(hops[0] if hops else reported)


def _named(address: str) -> str:
    try:
        if ipaddress.ip_address(address).is_loopback:
            return LOCAL_CLIENT
    except ValueError:
        pass
    return address[:_LONGEST]
