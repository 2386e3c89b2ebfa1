"""The site as readers see it, in Debian's Chromium at a desktop (1366 px) and a phone (390 px)
width: no page, public or admin, scrolls sideways; the front puts the lead beside the next
stories on a desktop and stacks them on a phone; a story names its section and offers share
links; dark mode applies with the reader's colour scheme."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from browserkit import needs_chromium
from conftest import FakeClock
from livesite import serving
from wire import ninjs
from wiredesk import Desk
from wiredesk.admin import admin_routes, auth
from wiredesk.config import SourceConfig
from wiredesk.site.app import create_app
from wiredesk.store import sources
from wiredesk.store.models import Story

pytestmark = needs_chromium
PASSWORD = "correct horse battery staple"
WIDTHS = (1366, 390)
# A long unbroken word and a long headline: what makes narrow layouts overflow.
LONG = "Chhattisgarh-Jharkhand-Odisha-interstate-water-sharing-agreement-renegotiation"
ADMIN_PAGES = ("/admin/", "/admin/quarantine", "/admin/held", "/admin/audit")


@pytest.fixture
def site(desk: Desk, clock: FakeClock) -> Iterator[tuple[str, Story]]:
    if desk.store.url.startswith("postgresql"):
        pytest.skip("the browser checks pages, not the database: SQLite is enough")
    now = desk.clock()
    with desk.store.session() as session, session.begin():
        auth.set_user(session, "editor", PASSWORD, now)
        row = sources.upsert(session, SourceConfig(name="pti", agency="PTI", transport="ftp"), now)
        row.last_error_at, row.last_error = now, f"550 {LONG} not found on the agency's server"
    for n in range(9):
        clock.now += timedelta(minutes=1)
        desk.receive(
            ninjs(
                f"urn:l:{n}",
                f"New Delhi, June 1 (PTI) Story {n} about {LONG} opens here.\n\nMore {n}.",
                headline=f"Story {n}: a long headline about {LONG} and what it means for the states",
                subject=[{"name": "Politics"}],
                urgency=1 if n == 8 else 5,
            ),
            source="pti",
        )
    desk.receive(b"<nitf><broken", source="pti", filename=f"{LONG}.xml")
    story = next(s for s in desk.store.stories() if s.uri == "urn:l:3")
    app = create_app(
        desk.config,
        desk.store,
        clock=desk.clock,
        extra_routes=admin_routes(desk.config, desk.store, desk),
    )
    with serving(app) as base:
        yield base, story


def overflow(page: Any) -> int:
    """How far the page is wider than the window (0: nothing scrolls sideways)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/admin/")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(site: tuple[str, Story], browser: Any, width: int) -> None:
    base, story = site
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    public = (
        "/",
        f"/{story.section}/",
        f"/{story.section}/{story.slug}",
        f"/{story.section}/{story.slug}/history",
        "/search?q=Story",
        "/places/new-delhi-1261481",
        "/countries/in",
    )
    wide = {path: overflow(page) for path in public if page.goto(base + path)}
    log_in(page, base)
    wide |= {path: overflow(page) for path in ADMIN_PAGES if page.goto(base + path)}
    assert wide == dict.fromkeys(wide, 0), wide


def test_the_front_is_a_news_front_on_a_desktop_and_one_column_on_a_phone(
    site: tuple[str, Story], browser: Any
) -> None:
    base, _ = site
    boxes = {}
    for width in WIDTHS:
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(base + "/")
        lead = page.locator(".lead-story").bounding_box()
        beside = page.locator(".stories.next").bounding_box()
        grid = page.locator(".stories.grid > li").evaluate_all(
            "items => new Set(items.map(i => Math.round(i.getBoundingClientRect().top))).size"
            " < items.length"
        )
        boxes[width] = (lead, beside, grid)
        # The breaking strip names the flash (urgency 1), and the current page is marked.
        assert "Story 8" in page.locator(".breaking").inner_text()
        assert page.locator('.sections a[aria-current="page"]').inner_text() == "Latest"
    (lead, beside, grid) = boxes[1366]
    assert beside["x"] >= lead["x"] + lead["width"] and abs(beside["y"] - lead["y"]) < 40
    assert grid, "the grid puts several stories on one row on a desktop"
    (lead, beside, grid) = boxes[390]
    assert beside["y"] >= lead["y"] + lead["height"] and not grid


def test_a_story_names_its_section_and_offers_share_links(
    site: tuple[str, Story], browser: Any
) -> None:
    base, story = site
    page = browser.new_page()
    page.goto(f"{base}/{story.section}/{story.slug}")
    kicker = page.locator(".kicker a")
    assert kicker.get_attribute("href") == f"/{story.section}/"
    assert kicker.inner_text().lower() == story.section.replace("-", " ")
    assert page.locator('.sections a[aria-current="true"]').get_attribute("href") == (
        f"/{story.section}/"
    )
    share = page.locator(".share a").evaluate_all("links => links.map(a => [a.text, a.href])")
    names = [name for name, _ in share]
    assert names == ["WhatsApp", "X", "Facebook", "Email", "Link to copy"]
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical.endswith(f"/{story.section}/{story.slug}")
    assert all(canonical.replace(":", "%3A").replace("/", "%2F") in href for _, href in share[:4])
    assert share[4][1] == canonical
    # No script of any kind on the page, third-party or not.
    assert page.locator("script:not([type='application/ld+json'])").count() == 0
    more = page.locator(".rail h2").all_text_contents()
    assert "Related" in more and any(h.startswith("More in") for h in more)


def test_dark_mode_follows_the_readers_colour_scheme(site: tuple[str, Story], browser: Any) -> None:
    base, story = site
    colours = {}
    for scheme in ("light", "dark"):
        page = browser.new_context(color_scheme=scheme).new_page()
        page.goto(f"{base}/{story.section}/{story.slug}")
        colours[scheme] = page.evaluate(
            "[getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.body).color]"
        )
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(26, 26, 26)"]
    assert colours["dark"] == ["rgb(18, 18, 18)", "rgb(236, 236, 236)"]
