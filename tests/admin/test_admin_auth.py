"""Nobody gets into /admin without credentials: no data out, no state changed."""

from __future__ import annotations

import base64
import json
import logging
from datetime import timedelta

import httpx
import itsdangerous
import pytest
from adminkit import PASSWORD, USER, AdminSite, browser, csrf_of, login, site
from seeding import QUARANTINED_NAME, SECRET_HEADLINE, Seeded, seed

from wiredesk import Desk
from wiredesk.admin import auth
from wiredesk.admin.guard import COOKIE, session_key

__all__ = ["browser", "site"]  # fixtures, used by name

GETS = [
    "/admin/",
    "/admin/quarantine",
    "/admin/quarantine/{q}",
    "/admin/quarantine/{q}/raw",
    "/admin/held",
    "/admin/audit",
    "/admin/audit?story={h}",
]
API_GETS = ["/admin/api/sources", "/admin/api/quarantine", "/admin/api/held", "/admin/api/audit"]
POSTS = [
    "/admin/quarantine/{q}/retry",
    "/admin/held/{h}/release",
    "/admin/held/{h}/drop",
    "/admin/logout",
    "/admin/api/held/{h}/release",
    "/admin/api/held/{h}/drop",
    "/admin/api/quarantine/{q}/retry",
]
LEAKS = (SECRET_HEADLINE, QUARANTINED_NAME, "HTTP 503 from the agency", "urn:", "pti-")


def fill(path: str, seeded: Seeded) -> str:
    return path.format(q=seeded.quarantine_id, h=seeded.held)


def assert_unchanged(desk: Desk, seeded: Seeded) -> None:
    story = desk.store.story(seeded.held)
    assert story is not None and story.state == "held"
    entry = desk.store.quarantine()[-1]
    assert entry.resolved_at is None
    assert desk.store.count(type(story)) == 2


def assert_refused(answer: httpx.Response, *, api: bool) -> None:
    if api:
        assert answer.status_code == 401, (answer.request.url, answer.status_code)
        assert answer.json() == {"error": "authentication required"}
    else:
        assert answer.status_code == 303, (answer.request.url, answer.status_code)
        assert answer.headers["location"].startswith("/admin/login?next=%2Fadmin")
    for leak in LEAKS:
        assert leak not in answer.text


def sweep(client: httpx.Client, seeded: Seeded, **kwargs: object) -> None:
    for path in GETS:
        assert_refused(client.get(fill(path, seeded), **kwargs), api=False)  # type: ignore[arg-type]
    for path in API_GETS:
        assert_refused(client.get(path, **kwargs), api=True)  # type: ignore[arg-type]
    for path in POSTS:
        assert_refused(client.post(fill(path, seeded), data={"csrf": "x"}, **kwargs), api=True)  # type: ignore[arg-type]


def test_no_credentials_refused_everywhere(site: AdminSite) -> None:
    seeded = seed(site.desk)
    with site.client() as client:
        sweep(client, seeded)
    assert_unchanged(site.desk, seeded)


def test_wrong_password_refused_and_no_session(site: AdminSite) -> None:
    seeded = seed(site.desk)
    with site.client() as client:
        answer = login(client, password="not the password at all")
        assert answer.status_code == 401 and "Wrong username or password" in answer.text
        unknown = login(client, username="nobody", password=PASSWORD)
        assert unknown.status_code == 401 and "Wrong username or password" in unknown.text
        sweep(client, seeded)
    assert_unchanged(site.desk, seeded)


def test_wrong_token_refused(site: AdminSite) -> None:
    seeded = seed(site.desk)
    with site.client() as client:
        for header in ("Bearer wdk_wrong", "Basic ZWRpdG9yOnB3", site.token):
            answer = client.get("/admin/api/held", headers={"Authorization": header})
            assert_refused(answer, api=True)
        page = client.get("/admin/login")
        wrong = client.post("/admin/login", data={"csrf": csrf_of(page.text), "token": "wdk_wrong"})
        assert wrong.status_code == 401 and "Wrong token" in wrong.text
        # Enough misses lock the client out; the clock moves on and it may try again.
        site.desk.clock.now += timedelta(minutes=5)  # type: ignore[attr-defined]
        sweep(client, seeded, headers={"Authorization": "Bearer wdk_wrong"})
    assert_unchanged(site.desk, seeded)


def test_a_token_from_elsewhere_or_a_forged_cookie_is_refused(site: AdminSite) -> None:
    seeded = seed(site.desk)
    forged = itsdangerous.TimestampSigner("not our key").sign(
        base64.b64encode(json.dumps({"uid": 1, "csrf": "x"}).encode())
    )
    with site.client() as client:
        client.cookies.set(COOKIE, forged.decode(), domain="127.0.0.1", path="/admin")
        sweep(client, seeded)
    assert_unchanged(site.desk, seeded)


def test_missing_or_wrong_csrf_changes_nothing(site: AdminSite, browser: httpx.Client) -> None:
    seeded = seed(site.desk)
    for path in POSTS:
        for data in ({}, {"csrf": "forged"}):
            answer = browser.post(fill(path, seeded), data=data)
            assert answer.status_code == 403, (path, answer.status_code)
            assert "CSRF" in answer.text and SECRET_HEADLINE not in answer.text
    assert_unchanged(site.desk, seeded)
    assert browser.get("/admin/held").status_code == 200  # logout without a token did nothing


def test_login_form_needs_its_csrf_token(site: AdminSite) -> None:
    with site.client() as client:
        answer = client.post("/admin/login", data={"username": USER, "password": PASSWORD})
        assert answer.status_code == 403
        assert client.get("/admin/held").status_code == 303


def test_login_cookie_logout(site: AdminSite) -> None:
    seed(site.desk)
    with site.client() as client:
        first = client.get("/admin/login?next=/admin/held")
        assert first.status_code == 200
        assert 'for="username"' in first.text and 'for="password"' in first.text
        answer = client.post(
            "/admin/login",
            data={
                "csrf": csrf_of(first.text),
                "username": USER,
                "password": PASSWORD,
                "next": "/admin/held",
            },
        )
        assert answer.status_code == 303 and answer.headers["location"] == "/admin/held"
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/admin" in cookie
        assert "secure" not in cookie  # plain http; https is in test_forwarded.py
        held = client.get("/admin/held")
        assert held.status_code == 200 and SECRET_HEADLINE in held.text
        # The session token changed at login: the pre-login one no longer works.
        assert csrf_of(held.text) != csrf_of(first.text)
        assert held.headers["cache-control"] == "no-store"
        assert "script-src" not in held.headers["content-security-policy"]
        assert "default-src 'none'" in held.headers["content-security-policy"]
        out = client.post("/admin/logout", data={"csrf": csrf_of(held.text)})
        assert out.status_code == 303 and out.headers["location"] == "/admin/login"
        assert client.get("/admin/held").status_code == 303


def test_next_is_never_an_open_redirect(site: AdminSite) -> None:
    with site.client() as client:
        page = client.get("/admin/login")
        answer = client.post(
            "/admin/login",
            data={
                "csrf": csrf_of(page.text),
                "username": USER,
                "password": PASSWORD,
                "next": "//evil.test/admin",
            },
        )
        assert answer.headers["location"] == "/admin/"


def test_token_login_form_and_bearer_api(site: AdminSite) -> None:
    seeded = seed(site.desk)
    with site.client() as client:
        page = client.get("/admin/login")
        answer = client.post("/admin/login", data={"csrf": csrf_of(page.text), "token": site.token})
        assert answer.status_code == 303
        assert "Signed in as <strong>token:ci</strong>" in client.get("/admin/").text
    with site.client() as api:
        bearer = {"Authorization": f"Bearer {site.token}"}
        held = api.get("/admin/api/held", headers=bearer)
        assert held.status_code == 200
        assert [s["headline"] for s in held.json()["held"]] == [SECRET_HEADLINE]
        # A bearer POST needs no CSRF token: browsers never attach this header on their own.
        released = api.post(f"/admin/api/held/{seeded.held}/release", headers=bearer)
        assert released.json() == {"id": seeded.held, "state": "published"}
    audit = site.desk.store.audit(seeded.held)
    assert audit[-1].action == "released" and "token:ci" in audit[-1].detail


def test_passwords_are_scrypt_with_salt(desk: Desk) -> None:
    one, two = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert one != two and one.startswith("scrypt$n=16384,r=8,p=1$")
    assert auth.verify_password(PASSWORD, one) and not auth.verify_password("nope", one)
    assert not auth.verify_password(PASSWORD, "garbage")
    with pytest.raises(ValueError), desk.store.session() as session, session.begin():
        auth.set_user(session, "short", "tiny", desk.clock())
    with desk.store.session() as session, session.begin():
        token = auth.new_token(session, "x", desk.clock())
    from wiredesk.store.models import ApiToken

    with desk.store.session() as session:
        stored = session.query(ApiToken).one()
        assert stored.token_hash == auth.token_hash(token) and token not in stored.token_hash


def test_random_key_when_unset_is_announced_not_printed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("WIREDESK_SECRET_KEY", raising=False)
    session_key.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            key = session_key()
        assert len(key) > 40 and key not in caplog.text
        assert "will not survive a restart" in caplog.text
        monkeypatch.setenv("WIREDESK_SECRET_KEY", "from-the-environment")
        session_key.cache_clear()
        assert session_key() == "from-the-environment"
    finally:
        session_key.cache_clear()


def test_the_public_site_keeps_its_headers_and_sets_no_cookie(site: AdminSite) -> None:
    with site.client() as client:
        home = client.get("/")
        assert home.status_code == 200 and "set-cookie" not in home.headers
        assert home.headers["content-security-policy"].startswith("default-src 'self'")
        assert "cache-control" not in home.headers
        assert client.get("/healthz").text == "ok"
