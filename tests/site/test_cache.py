"""The public micro-cache: fast repeats, and still a kill is gone within a second."""

from __future__ import annotations

import time

import httpx

from livesite import serving
from wire import ninjs
from wiredesk import Desk
from wiredesk.desk.pipeline import utcnow
from wiredesk.site.app import create_app


def test_pages_are_cached_briefly_and_a_kill_still_shows_within_a_second(desk: Desk) -> None:
    desk.clock = utcnow
    desk.config.page_cache_seconds = 0.5
    outcome = desk.receive(
        ninjs("urn:cache", "Delhi, June 1 (PTI) Cached text.", headline="Cached"), source="pti"
    )
    story = desk.store.story(outcome.stories[0])
    assert story is not None
    path = f"/{story.section}/{story.slug}"
    with (
        serving(create_app(desk.config, desk.store)) as base,
        httpx.Client(base_url=base) as client,
    ):
        assert client.get(path).status_code == 200
        desk.receive(
            ninjs("urn:cache", "Withdrawn.", version=2, pubstatus="canceled"), source="pti"
        )
        killed_at = time.monotonic()
        first = client.get(path)
        assert first.status_code in (200, 410)  # the cached copy may still be served briefly
        while client.get(path).status_code != 410:
            assert time.monotonic() - killed_at < 1.0, (
                "the kill did not reach the page within a second"
            )
            time.sleep(0.02)
        assert "Cached text" not in client.get("/").text
        # Private routes are never cached.
        assert client.get("/healthz").headers.get("content-type", "").startswith("text/plain")


def test_the_cache_can_be_turned_off(desk: Desk) -> None:
    desk.clock = utcnow
    outcome = desk.receive(ninjs("urn:nocache", "Text."), source="pti")
    story = desk.store.story(outcome.stories[0])
    assert story is not None
    with (
        serving(create_app(desk.config, desk.store)) as base,
        httpx.Client(base_url=base) as client,
    ):
        path = f"/{story.section}/{story.slug}"
        assert client.get(path).status_code == 200
        desk.receive(ninjs("urn:nocache", "Gone.", version=2, pubstatus="canceled"), source="pti")
        assert client.get(path).status_code == 410
