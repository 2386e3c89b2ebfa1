"""Where an HTTP poll (or a picture fetch) may connect: public addresses, and internal ones
only where the source is.

A feed on the internet must not be able to send the poller, by a redirect or by a name that
resolves somewhere else on the next lookup, to 127.0.0.1, the cloud metadata address or the
office network. Every connection the poller makes is checked at the moment it is made, on the
addresses the name resolved to (never on the name's text), and goes to the address checked:

- a public address is always allowed;
- a loopback, link-local or private address only when the source's own location resolves to
  an address of that kind (a feed on the intranet may redirect within the intranet), or when
  the source sets `allow_internal_redirects = true`;
- multicast, broadcast and reserved addresses never.

A picture named by agency copy has no source location of its own: public addresses only,
unless `[pictures] private_hosts` allows internal ones (desk/picture_worker.py).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from wiredesk.exceptions import TransportError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
INTERNAL = frozenset({"loopback", "link-local", "private"})
SHARED = ipaddress.ip_network(
    "100.64.0.0/10"
)  # carrier-grade NAT: not private by the RFC, not public


class Refused(TransportError):
    """A connection the poller would not make."""


def kind_of(address: Address) -> str:
    """public, loopback, link-local, private or reserved."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback or address.is_unspecified:  # 0.0.0.0 reaches this host, too
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast or address.is_reserved:
        return "reserved"
    if address.is_private or address in SHARED:
        return "private"
    return "public" if address.is_global else "reserved"


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to now, in the resolver's order, without repeats."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host!r}: {exc}") from exc
    found: list[Address] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


@dataclass(frozen=True)
class Allowed:
    kinds: frozenset[str]
    # For the message: whose connection this is, and what to change if it was meant.
    origin: str
    advice: str = "set the source option allow_internal_redirects = true if that is intended"

    @classmethod
    def for_location(cls, host: str, port: int, allow_internal: bool) -> Allowed:
        try:
            own = {kind_of(a) for a in resolve(host, port)}
        except httpcore.ConnectError:
            own = set()  # the poll's own connection will say it cannot resolve
        kinds = {"public"} | own | (INTERNAL if allow_internal else set())
        origin = " and ".join(sorted(own)) or "unresolved"
        return cls(frozenset(kinds), f"for a source whose location is {origin}")

    def check(self, host: str, port: int) -> list[Address]:
        """The addresses to connect to for `host`; Refused if any of them is off limits."""
        addresses = resolve(host, port)
        for address in addresses:
            kind = kind_of(address)
            if kind not in self.kinds:
                what = f"{address}, a {kind} address"
                if not _is_literal(host, address):
                    what = f"{host} ({what})"
                raise Refused(f"refused to connect to {what}, {self.origin}; {self.advice}")
        return addresses


def _is_literal(host: str, address: Address) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")) == address
    except ValueError:
        return False


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's own sockets, but only to addresses `Allowed.check` passed."""

    def __init__(self, allowed: Allowed) -> None:
        self.allowed = allowed
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        error: httpcore.ConnectError | None = None
        for address in self.allowed.check(host, port):
            try:
                return self.inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:  # the next address may answer
                error = exc
        raise error or httpcore.ConnectError(f"no address for {host!r}")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise Refused("the poller does not connect to unix sockets")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool on `GuardedBackend` (TLS still checks the
    certificate against the host name, not the address connected to)."""

    def __init__(self, allowed: Allowed) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=GuardedBackend(allowed),
        )


def proxied() -> bool:
    """Whether the environment sends requests through a proxy (which then resolves names)."""
    import urllib.request

    return any(key in urllib.request.getproxies() for key in ("http", "https", "all"))


def request_hook(allowed: Allowed) -> Any:
    """Through a proxy the poller never connects to the far host itself: check each request's
    (and each redirect's) host by name before it goes."""

    def check(request: httpx.Request) -> None:
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        # A name only the proxy can resolve is the proxy's to judge.
        with contextlib.suppress(httpcore.ConnectError):
            allowed.check(request.url.host, port)

    return check
