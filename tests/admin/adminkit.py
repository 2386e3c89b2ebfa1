"""A real site with /admin mounted, served by uvicorn, and helpers to log in to it."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from livesite import serving
from wiredesk import Desk
from wiredesk.admin import admin_middleware, admin_routes, auth
from wiredesk.admin.guard import COOKIE
from wiredesk.ops import ops_routes
from wiredesk.site.app import create_app

USER = "editor"
PASSWORD = "correct horse battery staple"


@dataclass
class AdminSite:
    base: str
    desk: Desk
    token: str

    def client(self, address: str | None = None) -> httpx.Client:
        """A client; with `address` (say 127.0.0.2), one connecting from that loopback address,
        so the server sees a different client, as it would another machine."""
        transport = httpx.HTTPTransport(local_address=address) if address else None
        return httpx.Client(base_url=self.base, timeout=20, transport=transport)


def build_app(desk: Desk) -> object:
    routes = [*admin_routes(desk.config, desk.store, desk), *ops_routes(desk.store)]
    # Wired the way `wiredesk serve` wires it.
    return create_app(
        desk.config,
        desk.store,
        clock=desk.clock,
        extra_routes=routes,
        middleware=admin_middleware(desk.config),
    )


@pytest.fixture
def site(desk: Desk) -> Iterator[AdminSite]:
    with desk.store.session() as session, session.begin():
        auth.set_user(session, USER, PASSWORD, desk.clock())
        token = auth.new_token(session, "ci", desk.clock())
    with serving(build_app(desk)) as base:  # type: ignore[arg-type]
        yield AdminSite(base, desk, token)


def session_id(client: httpx.Client) -> str:
    """The random session id inside the signed admin cookie the client holds."""
    value = client.cookies[COOKIE]
    payload = value.split(".", 1)[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return str(data["sid"])


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def login(client: httpx.Client, username: str = USER, password: str = PASSWORD) -> httpx.Response:
    page = client.get("/admin/login")
    return client.post(
        "/admin/login",
        data={"csrf": csrf_of(page.text), "username": username, "password": password},
    )


@pytest.fixture
def browser(site: AdminSite) -> Iterator[httpx.Client]:
    """A logged-in client holding the admin session cookie."""
    with site.client() as client:
        answer = login(client)
        assert answer.status_code == 303, answer.text
        yield client
