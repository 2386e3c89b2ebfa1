"""A real browser logs in to /admin through the form and sees a source's health row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from browserkit import ARGS, CHROMIUM, needs_chromium
from livesite import serving
from wiredesk import Desk
from wiredesk.admin import admin_routes, auth
from wiredesk.config import SourceConfig
from wiredesk.site.app import create_app
from wiredesk.store import sources

PASSWORD = "correct horse battery staple"

pytestmark = needs_chromium


def test_login_through_the_form_and_see_source_health(desk: Desk) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    now = desk.clock()
    with desk.store.session() as session, session.begin():
        auth.set_user(session, "editor", PASSWORD, now)
        row = sources.upsert(session, SourceConfig(name="pti", agency="PTI", transport="ftp"), now)
        row.last_success_at = now - timedelta(minutes=1)
        row.last_error_at, row.last_error = now - timedelta(hours=2), "530 Login incorrect"
    app = create_app(
        desk.config,
        desk.store,
        clock=desk.clock,
        extra_routes=admin_routes(desk.config, desk.store, desk),
    )
    with serving(app) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/admin/")
            assert page.url.startswith(f"{base}/admin/login")
            page.get_by_label("Username").fill("editor")
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base}/admin/")
            row = page.locator('tr[data-source="pti"]')
            assert row.get_by_role("rowheader").inner_text() == "pti"
            text = row.inner_text()
            assert (
                "PTI" in text and "ftp" in text and "ok" in text and "530 Login incorrect" in text
            )
            # The stylesheet loaded under the admin's CSP, and nothing was blocked.
            assert (
                page.locator(".badge.ok").evaluate("e => getComputedStyle(e).fontWeight") == "700"
            )
            assert not [e for e in errors if "Content Security Policy" in e], errors
        finally:
            browser.close()
