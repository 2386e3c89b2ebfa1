"""Admin sessions live in the database: logout, a new password, removal or revoke end them for
every copy of the cookie, and they end on their own when idle or old."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from adminkit import PASSWORD, USER, AdminSite, browser, csrf_of, login, session_id, site
from click.testing import CliRunner
from sqlalchemy import select

from wiredesk import Desk
from wiredesk.admin import auth, sessions
from wiredesk.admin.guard import COOKIE
from wiredesk.cli import main
from wiredesk.store.models import AdminSession

__all__ = ["browser", "site"]  # fixtures, used by name


def replay(site: AdminSite, cookie: str) -> tuple[int, int]:
    """/admin/ and /admin/api/sources from a fresh client holding only a copy of the cookie."""
    with site.client() as thief:
        thief.cookies.set(COOKIE, cookie, domain="127.0.0.1", path="/admin")
        page = thief.get("/admin/")
        api = thief.get("/admin/api/sources")
    return page.status_code, api.status_code


def cli(desk: Desk, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", desk.config.database_url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_cookie_copied_before_logout_opens_nothing_after(
    site: AdminSite, browser: httpx.Client
) -> None:
    cookie = browser.cookies[COOKIE]
    assert replay(site, cookie) == (200, 200)  # the copy works while the session lives
    out = browser.post("/admin/logout", data={"csrf": csrf_of(browser.get("/admin/").text)})
    assert out.status_code == 303
    assert replay(site, cookie) == (303, 401)
    with site.desk.store.session() as session:
        assert session.scalars(select(AdminSession)).all() == []


def test_only_the_hash_of_the_session_id_is_stored(site: AdminSite, browser: httpx.Client) -> None:
    sid = session_id(browser)
    with site.desk.store.session() as session:
        (row,) = session.scalars(select(AdminSession)).all()
    assert row.sid_hash == sessions.sid_hash(sid) and sid not in row.sid_hash
    assert row.client == "127.0.0.1" and row.user_agent.startswith("python-httpx")


def test_a_new_password_or_removing_the_user_ends_their_sessions(site: AdminSite) -> None:
    with site.client() as first, site.client() as second:
        assert login(first).status_code == 303 and login(second).status_code == 303
        with site.desk.store.session() as session, session.begin():
            auth.set_user(session, "other", PASSWORD, site.desk.clock())
        with site.client() as other:
            assert login(other, username="other").status_code == 303
            with site.desk.store.session() as session, session.begin():
                auth.set_user(session, USER, PASSWORD + " changed", site.desk.clock())
            assert first.get("/admin/").status_code == 303
            assert second.get("/admin/api/held").status_code == 401
            assert other.get("/admin/").status_code == 200  # someone else's password changed
            assert "removed admin user other (1 session ended)" in cli(
                site.desk, "admin", "remove-user", "other"
            )
            assert other.get("/admin/api/held").status_code == 401


def test_idle_and_absolute_timeouts(site: AdminSite, browser: httpx.Client) -> None:
    clock = site.desk.clock
    for _ in range(3):  # kept alive by use: 25 minutes apart is within the 30-minute idle limit
        clock.now += timedelta(minutes=25)  # type: ignore[attr-defined]
        assert browser.get("/admin/").status_code == 200
    clock.now += timedelta(minutes=31)  # type: ignore[attr-defined]
    assert browser.get("/admin/").status_code == 303
    assert login(browser).status_code == 303
    for _ in range(19):  # busy all day, but a sign-in lasts 8 hours whatever happens
        clock.now += timedelta(minutes=25)  # type: ignore[attr-defined]
        assert browser.get("/admin/api/held").status_code == 200
    clock.now += timedelta(minutes=25)  # type: ignore[attr-defined]
    assert browser.get("/admin/api/held").status_code == 401


def test_sessions_list_and_revoke(site: AdminSite) -> None:
    site.desk.clock.now = datetime.now(UTC)  # type: ignore[attr-defined]  # the CLI's clock
    with site.client() as mine, site.client("127.0.0.2") as theirs:
        assert login(mine).status_code == 303 and login(theirs).status_code == 303
        listed = json.loads(cli(site.desk, "admin", "sessions", "list", "--json"))
        assert [(s["who"], s["client"]) for s in listed] == [
            (USER, "127.0.0.1"),
            (USER, "127.0.0.2"),
        ]
        assert session_id(mine) not in json.dumps(listed)
        assert "1 session ended" in cli(
            site.desk, "admin", "sessions", "revoke", str(listed[1]["id"])
        )
        assert theirs.get("/admin/").status_code == 303
        assert mine.get("/admin/").status_code == 200
        table = cli(site.desk, "admin", "sessions", "list")
        assert USER in table and "127.0.0.1" in table and "127.0.0.2" not in table
        assert "1 session ended" in cli(site.desk, "admin", "sessions", "revoke", "--user", USER)
        assert mine.get("/admin/").status_code == 303
        assert "no live admin sessions" in cli(site.desk, "admin", "sessions", "list")


def test_revoke_needs_something_to_revoke(site: AdminSite) -> None:
    result = CliRunner().invoke(
        main, ["--db", site.desk.config.database_url, "admin", "sessions", "revoke"]
    )
    assert result.exit_code == 2 and "--all" in result.output
    missing = CliRunner().invoke(
        main, ["--db", site.desk.config.database_url, "admin", "remove-user", "nobody"]
    )
    assert missing.exit_code == 1 and "no admin user named 'nobody'" in missing.output


@pytest.mark.parametrize("via", ["token form", "password"])
def test_revoke_all_ends_token_and_password_sessions(site: AdminSite, via: str) -> None:
    with site.client() as client:
        if via == "password":
            assert login(client).status_code == 303
        else:
            page = client.get("/admin/login")
            data = {"csrf": csrf_of(page.text), "token": site.token}
            assert client.post("/admin/login", data=data).status_code == 303
        assert client.get("/admin/").status_code == 200
        assert "1 session ended" in cli(site.desk, "admin", "sessions", "revoke", "--all")
        assert client.get("/admin/").status_code == 303
