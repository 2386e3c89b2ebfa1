"""Behind a TLS-terminating proxy: X-Forwarded-Proto and -For count only from trusted proxies."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from livesite import serving
from wiredesk import Desk
from wiredesk.admin import auth
from wiredesk.commands.processes import site_for
from wiredesk.config import ConfigError, load
from wiredesk.site.forwarded import TrustedProxies

PASSWORD = "correct horse battery staple"
VIA_TLS_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


@contextmanager
def desk_site(
    desk: Desk, trusted: list[str], base_url: str = "http://news.example"
) -> Iterator[str]:
    desk.config.base_url = base_url
    desk.config.security.trusted_proxies = trusted
    with desk.store.session() as session, session.begin():
        auth.set_user(session, "editor", PASSWORD, desk.clock())
    with serving(site_for(desk.config, desk)) as base:
        yield base


def sign_in(base: str, headers: dict[str, str]) -> httpx.Response:
    # The cookie goes back by hand: a client's jar keeps a Secure cookie off plain http, and
    # this client talks plain http, as the proxy in front of us would.
    with httpx.Client(base_url=base, timeout=20, headers=headers) as client:
        page = client.get("/admin/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf
        client.cookies.clear()
        return client.post(
            "/admin/login",
            data={"csrf": csrf.group(1), "username": "editor", "password": PASSWORD},
            headers={"Cookie": page.headers["set-cookie"].split(";", 1)[0]},
        )


def secure_cookie(answer: httpx.Response) -> bool:
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    return "; secure" in cookie


def test_a_trusted_proxy_makes_the_cookie_secure_and_sends_hsts(desk: Desk) -> None:
    with desk_site(desk, ["127.0.0.1"]) as base:
        answer = sign_in(base, VIA_TLS_PROXY)
        assert answer.status_code == 303 and secure_cookie(answer)
        assert answer.headers["strict-transport-security"] == "max-age=31536000"
        home = httpx.get(base + "/", headers=VIA_TLS_PROXY, timeout=20)
        assert home.headers["strict-transport-security"] == "max-age=31536000"
        # The proxy said plain http (a redirect to https is its business): no HSTS, no Secure.
        plain = sign_in(base, {"X-Forwarded-Proto": "http"})
        assert not secure_cookie(plain) and "strict-transport-security" not in plain.headers
    with desk.store.session() as session:
        from wiredesk.admin import sessions

        listed = sessions.active(session, desk.clock(), sessions.Limits.of(desk.config.security))
    # The client the proxy saw, not the proxy, is who signed in (and whom the throttle counts).
    assert [s.client for s in listed] == ["203.0.113.9", "127.0.0.1"]


@pytest.mark.parametrize("trusted", [[], ["10.0.0.0/8", "::1"]])
def test_anyone_else_claiming_https_is_not_believed(desk: Desk, trusted: list[str]) -> None:
    with desk_site(desk, trusted) as base:
        answer = sign_in(base, VIA_TLS_PROXY)
        assert answer.status_code == 303 and not secure_cookie(answer)
        assert "strict-transport-security" not in answer.headers
        assert (
            "strict-transport-security" not in httpx.get(base + "/", headers=VIA_TLS_PROXY).headers
        )
    with desk.store.session() as session:
        from wiredesk.store.models import AdminSession

        assert [s.client for s in session.query(AdminSession)] == ["127.0.0.1"]


def test_an_https_base_url_always_makes_the_cookie_secure(desk: Desk) -> None:
    with desk_site(desk, [], base_url="https://news.example") as base:
        assert secure_cookie(sign_in(base, {}))


def test_forwarded_for_is_read_from_the_right_past_trusted_hops() -> None:
    seen: list[tuple[str, str]] = []

    async def app(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        seen.append((scope["scheme"], scope["client"][0]))

    import asyncio

    guard = TrustedProxies(app, ["127.0.0.1", "10.0.0.0/8"])  # type: ignore[arg-type]

    def call(client: str, **headers: str) -> tuple[str, str]:
        raw = [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()]
        scope = {"type": "http", "scheme": "http", "client": (client, 5), "headers": raw}
        asyncio.run(guard(scope, None, None))  # type: ignore[arg-type]
        return seen.pop()

    # The client forged the leftmost entry; our two proxies appended theirs.
    assert call("127.0.0.1", x_forwarded_for="6.6.6.6, 198.51.100.7, 10.1.1.1") == (
        "http",
        "198.51.100.7",
    )
    assert call("127.0.0.1", x_forwarded_proto="https") == ("https", "127.0.0.1")
    assert call("127.0.0.1", x_forwarded_proto="gopher") == ("http", "127.0.0.1")
    assert call("192.0.2.1", x_forwarded_proto="https", x_forwarded_for="1.2.3.4") == (
        "http",
        "192.0.2.1",
    )
    assert call("127.0.0.1", x_forwarded_for="[2001:db8::1]:443") == ("http", "2001:db8::1")
    assert call("127.0.0.1", x_forwarded_for="not an address") == ("http", "127.0.0.1")


def test_trusted_proxies_in_wiredesk_toml(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "wiredesk.toml"  # type: ignore[operator]
    path.write_text(
        '[site]\ntrusted_proxies = ["127.0.0.1", "10.0.0.0/8"]\nsession_idle_minutes = 5\n'
    )
    config = load(path)
    assert config.security.trusted_proxies == ["127.0.0.1", "10.0.0.0/8"]
    assert config.security.session_idle_minutes == 5
    path.write_text('[site]\ntrusted_proxies = "127.0.0.1"\n')
    with pytest.raises(ConfigError, match="trusted_proxies is a list"):
        load(path)
    with pytest.raises(ConfigError, match="'proxy.example' is not an address or network"):
        TrustedProxies(lambda *a: None, ["proxy.example"])  # type: ignore[arg-type]
    assert json.dumps(load(tmp_path / "missing.toml").security.trusted_proxies) == "[]"  # type: ignore[operator]
