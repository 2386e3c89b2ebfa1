"""In Debian's Chromium: the story page shows its picture with the caption, the JSON-LD parses
and matches the page, nothing is blocked by the CSP, and axe-core finds no violations on the
home page, a section, a story, search, and the place, country, people and developing pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from axekit import axe_source
from browserkit import needs_chromium
from conftest import FakeClock
from livesite import serving
from picturekit import jpeg, ninjs_with_picture
from wire import ninjs
from wiredesk import Desk
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.desk.publish import slugify
from wiredesk.site.app import create_app
from wiredesk.store.models import Story, StoryDevelopment, StoryPlace

pytestmark = needs_chromium
CAPTION = "Covers stay on the pitch as drizzle falls at Chepauk before the final."


@pytest.fixture
def front(desk: Desk, clock: FakeClock) -> Iterator[tuple[str, Story]]:
    if desk.store.url.startswith("postgresql"):
        pytest.skip("the browser checks pages, not the database: SQLite is enough")
    for n, (name, colour) in enumerate([("a.jpg", (30, 90, 160)), ("b.jpg", (160, 60, 30))]):
        desk.receive(jpeg(1600, 900, colour), source="pti", filename=name)
        clock.now += timedelta(minutes=1)
        desk.receive(
            ninjs_with_picture(
                f"urn:b:{n}",
                name,
                caption=CAPTION if n else "Traders watch the screens in Mumbai.",
                headline=f"Picture story {n}",
            ),
            source="pti",
        )
    clock.now += timedelta(minutes=1)
    desk.receive(ninjs("urn:b:plain", "Delhi (PTI) No picture here. Just words."), source="pti")
    said = '"The rain will stop by Friday," said Asha Rao, a scientist at the weather office.'
    desk.receive(
        ninjs("urn:b:said", f"New Delhi, Mar 2 (PTI) Rain again.\n\n{said}", language="en"),
        source="pti",
    )
    PictureWorker(desk).drain()
    story = next(s for s in desk.store.stories() if s.uri == "urn:b:1")
    with serving(create_app(desk.config, desk.store, clock=desk.clock)) as base:
        yield base, story


def test_the_story_page_shows_its_picture_and_its_json_ld_matches(
    front: tuple[str, Story], browser: Any
) -> None:
    base, story = front
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{base}/{story.section}/{story.slug}")
    image = page.locator("figure.lead img")
    image.wait_for()
    page.wait_for_function("document.querySelector('figure.lead img').complete")
    loaded = image.evaluate(
        "img => ({w: img.naturalWidth, h: img.naturalHeight, src: img.currentSrc, alt: img.alt})"
    )
    assert loaded["w"] > 0 and loaded["h"] > 0 and loaded["alt"] == CAPTION
    assert "/media/" in loaded["src"] and loaded["src"].endswith(".webp")
    assert loaded["w"] / loaded["h"] == pytest.approx(1600 / 900, rel=0.01)
    assert image.is_visible()
    assert page.locator("figure.lead figcaption .caption").inner_text() == CAPTION
    assert page.locator("figure.lead figcaption .credit").inner_text() == "Demo Photographer"
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content() or "")
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == page.locator("h1").inner_text()
    times = page.locator(".story .meta time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert data["datePublished"] == times[0]
    assert data["image"][0]["url"] == page.locator('meta[property="og:image"]').get_attribute(
        "content"
    )
    assert data["image"][0]["caption"] == CAPTION
    # The JSON-LD is data: the CSP (script-src 'none') blocks nothing on the page.
    assert not [e for e in errors if "Content Security Policy" in e], errors
    # Every resource the page asked for loaded (the browser's own favicon probe aside).
    assert [u for u in failed if not u.endswith("/favicon.ico")] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(
    front: tuple[str, Story], browser: Any, desk: Desk, scheme: str
) -> None:
    base, story = front
    axe = axe_source()
    # Injecting axe needs a script, which the site's own CSP rightly refuses.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    found = {}
    with desk.store.session() as session:
        place = session.scalars(select(StoryPlace).where(StoryPlace.name == "New Delhi")).first()
        development = session.scalars(select(StoryDevelopment.development_id)).first()
    assert place is not None and development is not None
    derived = (
        f"/places/{slugify(place.name)}-{place.geonameid}",
        "/countries/in",
        "/people/asha-rao",
        f"/developing/{development}",
    )
    for path in (
        "/",
        f"/{story.section}/",
        f"/{story.section}/{story.slug}",
        f"/{story.section}/{story.slug}/history",
        "/search?q=picture",
        *derived,
    ):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        page.evaluate(axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found[path] = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
        ]
        assert result["passes"] or result["incomplete"] or result["inapplicable"]
    assert found == {path: [] for path in found}, found
    context.close()
