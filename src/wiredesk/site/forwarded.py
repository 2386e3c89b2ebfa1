"""Believing X-Forwarded-Proto and X-Forwarded-For only from the proxies named in the settings.

Behind a TLS-terminating proxy the connection to us is plain HTTP from the proxy's address.
When (and only when) that address is one of `[site] trusted_proxies`, the request's scheme
becomes the one the proxy reports and its client the address the proxy saw, so the admin's
cookie is `Secure`, HSTS is sent, and the sign-in throttle counts real clients rather than the
proxy. From anyone else the headers are ignored: a client cannot claim HTTPS or an address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from wiredesk.exceptions import ConfigError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(entries: Iterable[str]) -> list[Network]:
    found = []
    for entry in entries:
        try:
            found.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError as exc:
            raise ConfigError(
                f"[site] trusted_proxies: {entry!r} is not an address or network"
            ) from exc
    return found


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class TrustedProxies:
    def __init__(self, app: ASGIApp, trusted: Iterable[str] = ()) -> None:
        self.app = app
        self.trusted = networks(trusted)

    def is_trusted(self, host: str) -> bool:
        address = _address(host)
        return address is not None and any(address in network for network in self.trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if (
            scope["type"] != "http"
            or not self.trusted
            or not client
            or not self.is_trusted(client[0])
        ):
            await self.app(scope, receive, send)
            return
        headers: dict[bytes, list[str]] = {}
        for name, value in scope.get("headers", []):
            headers.setdefault(name.lower(), []).append(value.decode("latin-1"))
        scope = dict(scope)
        proto = ",".join(headers.get(b"x-forwarded-proto", [])).split(",")[-1].strip().lower()
        if proto in ("http", "https"):
            scope["scheme"] = proto
        # Read right to left: each trusted proxy appended what it saw; the first address no
        # proxy of ours added is the client's (the ones further left, the client could forge).
        hops = [
            hop for hop in ",".join(headers.get(b"x-forwarded-for", [])).split(",") if hop.strip()
        ]
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                break
            scope["client"] = (str(address), 0)
            if not any(address in network for network in self.trusted):
                break
        await self.app(scope, receive, send)
