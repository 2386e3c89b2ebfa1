"""In Chromium: an editor takes a story down from /admin/stories through the form, the story
page then shows the publisher's removal notice, and axe-core finds no violations on the admin
stories and incidents pages or on the notice."""

from __future__ import annotations

from typing import Any

import pytest

from axekit import axe_source
from browserkit import ARGS, CHROMIUM, needs_chromium
from livesite import serving
from wire import ninjs
from wiredesk import Desk
from wiredesk.admin import admin_middleware, admin_routes, auth
from wiredesk.site.app import create_app

PASSWORD = "correct horse battery staple"
pytestmark = needs_chromium


def violations(page: Any, axe: str) -> list[tuple[str, str]]:
    page.evaluate(axe)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"]) for v in result["violations"]]


def test_take_down_from_the_admin_in_a_browser(desk: Desk) -> None:
    if desk.store.url.startswith("postgresql"):
        pytest.skip("the browser checks pages, not the database: SQLite is enough")
    sync_api = pytest.importorskip("playwright.sync_api")
    with desk.store.session() as session, session.begin():
        auth.set_user(session, "editor", PASSWORD, desk.clock())
    story_id = desk.receive(
        ninjs("urn:tdb:1", "Delhi (PTI) Words to remove.", headline="To be removed"),
        source="pti",
    ).stories[0]
    story = desk.store.story(story_id)
    assert story is not None
    app = create_app(
        desk.config,
        desk.store,
        clock=desk.clock,
        extra_routes=admin_routes(desk.config, desk.store, desk),
        middleware=admin_middleware(desk.config),
    )
    axe = axe_source()
    with serving(app) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            context = browser.new_context(bypass_csp=True)
            page = context.new_page()
            page.goto(f"{base}/admin/stories")
            page.get_by_label("Username").fill("editor")
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base}/admin/stories")
            found = {"/admin/stories": violations(page, axe)}
            page.get_by_label("Reason").fill("court order 17")
            page.get_by_role("button", name=f"Take down story {story_id}").click()
            page.wait_for_url(f"{base}/admin/stories")
            assert "removed by the publisher: court order 17" in page.content()
            taken = desk.store.story(story_id)
            assert taken is not None and taken.state == "takendown"
            page.goto(f"{base}/admin/incidents")
            found["/admin/incidents"] = violations(page, axe)
            response = page.goto(f"{base}/{story.section}/{story.slug}")
            assert response is not None and response.status == 410
            assert "removed by the publisher" in page.content()
            found["410"] = violations(page, axe)
            assert found == {k: [] for k in found}, found
            context.close()
        finally:
            browser.close()
