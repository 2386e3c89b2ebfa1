"""Every /admin and /ingest route of the assembled app, discovered by walking its routes, with
every method it accepts and every kind of bad credential: refused, no data, no state change.

A route added later without protection fails here: nothing below lists the routes by hand,
only the few that are public on purpose (the login form and the admin stylesheet).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Mount, Route

from livesite import serving
from wire import ninjs
from wiredesk import Desk
from wiredesk.admin import auth
from wiredesk.admin.guard import COOKIE
from wiredesk.commands.processes import site_for
from wiredesk.config import SourceConfig
from wiredesk.store import sources
from wiredesk.store.models import (
    AdminUser,
    ApiToken,
    AuditEntry,
    Quarantine,
    RawFile,
    Receipt,
    Source,
    Story,
    Version,
)

PASSWORD = "correct horse battery staple"
PUSH_ENV = "WIREDESK_TEST_SWEEP_SECRET"
PUSH_SECRET = "the-real-push-secret-0123456789"
# Public on purpose: the login form itself and the admin's stylesheet.
PUBLIC = {
    ("/admin/login", "GET"),
    ("/admin/login", "HEAD"),
    ("/admin/static/{path}", "GET"),
    ("/admin/static/{path}", "HEAD"),
}
HELD_HEADLINE = "Sweep held story about the sweepword"
MARKERS = (HELD_HEADLINE, "sweep-quarantined.json", "pushsrc", "Visible sweep story")


@dataclass(frozen=True)
class Endpoint:
    path: str  # a template: /admin/held/{story_id:int}/release
    method: str


def walk(routes: list[BaseRoute], prefix: str = "") -> Iterator[Endpoint]:
    for route in routes:
        if isinstance(route, Mount):
            inner = getattr(route, "routes", None) or []
            if inner:
                yield from walk(list(inner), prefix + route.path)
            else:  # an app mounted whole (StaticFiles): any path below it, GET and HEAD
                for method in ("GET", "HEAD"):
                    yield Endpoint(prefix + route.path + "/{path}", method)
        elif isinstance(route, Route):
            for method in sorted(route.methods or {"GET"}):
                yield Endpoint(prefix + route.path, method)
        else:
            raise AssertionError(f"a route of a kind this sweep does not know: {route!r}")


def guarded(app: Any) -> list[Endpoint]:
    found = [e for e in walk(list(app.routes)) if e.path.startswith(("/admin", "/ingest"))]
    assert len(found) >= 20, found  # the admin and push exist and were found
    return found


@dataclass
class Ids:
    held: int
    quarantined: int


def seed(desk: Desk) -> Ids:
    now = desk.clock()
    with desk.store.session() as session, session.begin():
        auth.set_user(session, "editor", PASSWORD, now)
        auth.new_token(session, "ci", now)
        sources.upsert(
            session, SourceConfig(name="pushsrc", transport="push", secret_env=PUSH_ENV), now
        )
    from wiredesk.desk.rules import Rule

    desk.config.rules = [Rule(name="hold", keyword=("sweepword",), action="hold")]
    desk.receive(ninjs("urn:sweep:1", "Delhi text.", headline="Visible sweep story"))
    held = desk.receive(ninjs("urn:sweep:2", "The sweepword.", headline=HELD_HEADLINE))
    bad = desk.receive(b"\x00\x01garbage", filename="sweep-quarantined.json")
    with desk.store.session() as session:
        entry = session.scalars(select(Quarantine)).one()
    assert bad.outcome == "quarantined"
    return Ids(held=held.stories[0], quarantined=entry.id)


def concrete(path: str, ids: Ids) -> str:
    values = {"story_id": ids.held, "entry_id": ids.quarantined, "source": "pushsrc"}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "path":
            return "admin.css"
        return str(values.get(name, 1))

    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, path)


def state(desk: Desk) -> dict[str, object]:
    models = (Story, Version, Receipt, Quarantine, AuditEntry, Source, RawFile, AdminUser, ApiToken)
    with desk.store.session() as session:
        snapshot: dict[str, object] = {
            m.__name__: int(session.scalar(select(func.count()).select_from(m)) or 0)
            for m in models
        }
        snapshot["states"] = sorted(session.execute(select(Story.id, Story.state)).all())
        snapshot["resolved"] = sorted(
            str(q.resolved_at) for q in session.scalars(select(Quarantine))
        )
    archive = desk.config.archive_dir
    snapshot["archive"] = sorted(
        (str(p.relative_to(archive)), p.stat().st_size) for p in archive.rglob("*") if p.is_file()
    )
    return snapshot


def forged_cookie(data: dict[str, object], key: str = "not-the-key") -> str:
    payload = base64.b64encode(json.dumps(data).encode())
    return TimestampSigner(key).sign(payload).decode()


def wrong_session(base: str) -> tuple[dict[str, str], str]:
    """Cookies of a visitor who tried a wrong password, and the CSRF token they were given."""
    with httpx.Client(base_url=base, timeout=20) as client:
        page = client.get("/admin/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf
        answer = client.post(
            "/admin/login",
            data={"csrf": csrf.group(1), "username": "editor", "password": "wrong password!!"},
        )
        assert answer.status_code == 401
        return dict(client.cookies), csrf.group(1)


def refused(answer: httpx.Response) -> bool:
    if answer.status_code in (401, 403):
        return True
    location = answer.headers.get("location", "")
    return answer.status_code in (302, 303, 307) and location.startswith("/admin/login")


def test_every_guarded_route_refuses_every_bad_credential(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PUSH_ENV, PUSH_SECRET)
    ids = seed(desk)
    app = site_for(desk.config, desk)
    endpoints = guarded(app)
    body = b"<nitf/>"
    wrong_sig = "sha256=" + hmac.new(b"wrong secret", body, hashlib.sha256).hexdigest()
    with serving(app) as base:
        cookies, csrf = wrong_session(base)
        attempts: dict[str, dict[str, Any]] = {
            "no credentials": {},
            "wrong password session": {"cookies": cookies},
            "wrong bearer": {"headers": {"Authorization": "Bearer wdk_not-a-real-token"}},
            "forged cookie": {"cookies": {COOKIE: forged_cookie({"uid": 1, "csrf": csrf})}},
            "unsigned cookie": {
                "cookies": {COOKIE: base64.b64encode(b'{"uid": 1}').decode() + ".x.y"}
            },
            "wrong push signature": {"headers": {"X-Wiredesk-Signature": wrong_sig}},
        }
        before = state(desk)
        tried = 0
        for endpoint in endpoints:
            path = concrete(endpoint.path, ids)
            for label, extra in attempts.items():
                with httpx.Client(base_url=base, timeout=20, cookies=extra.get("cookies")) as c:
                    data = {"csrf": csrf} if endpoint.method == "POST" else None
                    content = body if endpoint.path.startswith("/ingest") else None
                    answer = c.request(
                        endpoint.method,
                        path,
                        headers=extra.get("headers"),
                        data=data if content is None else None,
                        content=content,
                    )
                tried += 1
                where = f"{endpoint.method} {path} with {label}: {answer.status_code}"
                if (endpoint.path, endpoint.method) in PUBLIC:
                    assert answer.status_code == 200, where
                elif endpoint.path == "/admin/login":  # POST: a login attempt, refused
                    assert answer.status_code in (401, 403, 429), where
                else:
                    assert refused(answer), where
                for marker in MARKERS:
                    assert marker not in answer.text, f"{where} shows {marker!r}"
        assert state(desk) == before, "a refused request changed something"
    print(f"\n{len(endpoints)} endpoints x {len(attempts)} bad credentials = {tried} requests")


def test_the_sweep_sees_a_route_added_without_protection(desk: Desk) -> None:
    app = site_for(desk.config, desk)

    async def leak(request: Any) -> Any:
        return PlainTextResponse(HELD_HEADLINE)

    mount = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/admin")
    mount.routes.append(Route("/leak", leak))
    assert Endpoint("/admin/leak", "GET") in guarded(app)
    with serving(app) as base:
        assert not refused(httpx.get(base + "/admin/leak", timeout=20))


def sign_in(client: httpx.Client, username: str = "editor", password: str = PASSWORD) -> int:
    page = client.get("/admin/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf, page.status_code
    answer = client.post(
        "/admin/login", data={"csrf": csrf.group(1), "username": username, "password": password}
    )
    return answer.status_code


def at(base: str, address: str) -> httpx.Client:
    """A client connecting from its own loopback address: another machine, to the server."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=base, timeout=20, transport=transport)


def test_a_cookie_replayed_after_logout_is_refused_everywhere(desk: Desk) -> None:
    ids = seed(desk)
    app = site_for(desk.config, desk)
    gets = [e for e in guarded(app) if e.method == "GET" and (e.path, e.method) not in PUBLIC]
    with serving(app) as base:
        with httpx.Client(base_url=base, timeout=20) as editor:
            assert sign_in(editor) == 303
            copied = dict(editor.cookies)
            held = editor.get("/admin/held")
            assert held.status_code == 200 and HELD_HEADLINE in held.text
            csrf = re.search(r'name="csrf" value="([^"]+)"', held.text)
            assert csrf and editor.post("/admin/logout", data={"csrf": csrf.group(1)}).is_redirect
        before = state(desk)
        for endpoint in gets:
            path = concrete(endpoint.path, ids)
            with httpx.Client(base_url=base, timeout=20, cookies=copied) as thief:
                answer = thief.get(path)
            assert refused(answer), f"GET {path} with the logged-out cookie: {answer.status_code}"
            assert HELD_HEADLINE not in answer.text
        with httpx.Client(base_url=base, timeout=20, cookies=copied) as thief:
            release = f"/admin/held/{ids.held}/release"
            assert refused(thief.post(release, data={"csrf": csrf.group(1)}))
        assert state(desk) == before
    print(f"\nlogged-out cookie refused on {len(gets)} GET endpoints and a POST")


def test_a_spraying_run_is_throttled(desk: Desk) -> None:
    from wiredesk.admin.throttle import CLIENT

    seed(desk)
    with serving(site_for(desk.config, desk)) as base, at(base, "127.0.0.9") as sprayer:
        answers = [sign_in(sprayer, f"user{n}", "Password123456!") for n in range(20)]
        assert answers == [401] * CLIENT.free + [429] * (20 - CLIENT.free), answers
        assert sign_in(sprayer) == 429  # a real account's right password waits too, from here


def test_a_locked_account_opens_for_the_right_password_from_another_client(desk: Desk) -> None:
    from wiredesk.admin.throttle import ACCOUNT

    seed(desk)
    with serving(site_for(desk.config, desk)) as base:
        with at(base, "127.0.0.10") as attacker:
            answers = [sign_in(attacker, "editor", "guess number one!") for _ in range(8)]
            assert answers == [401] * ACCOUNT.free + [429] * (8 - ACCOUNT.free)
            assert sign_in(attacker) == 429
        with at(base, "127.0.0.11") as editor:
            assert sign_in(editor) == 303
            assert editor.get("/admin/held").status_code == 200
