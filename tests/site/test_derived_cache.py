"""Cached place, country and people pages and feeds go with a kill on the next request, from
this process's desk or another's, and the static export drops the story from them too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import FakeClock
from derivedkit import KABUL, derive, quote
from livesite import serving
from wire import ninjs
from wiredesk import Desk, open_desk
from wiredesk.deliver.export import Exporter
from wiredesk.site.app import create_app

BODY = 'Kabul (PTI) The pass closed.\n\n"We are ready," said Fahim Dashti, a spokesman.'
OUTPUTS = (
    "/places/kabul-1138958",
    "/places/kabul-1138958/feed.atom",
    "/places/kabul-1138958/feed.rss",
    "/countries/af",
    "/countries/af/feed.rss",
    "/people/fahim-dashti",
)


@pytest.fixture
def site(desk: Desk, clock: FakeClock) -> Iterator[httpx.Client]:
    desk.config.page_cache_seconds = 60
    app = create_app(desk.config, desk.store, clock=clock)
    desk.listeners.append(app.state.page_cache)
    with serving(app) as base, httpx.Client(base_url=base) as client:
        yield client
    app.state.page_cache.close()


def kabul(desk: Desk, uri: str, headline: str) -> int:
    outcome = desk.receive(ninjs(uri, BODY, headline=headline), source="pti")
    story_id = outcome.stories[0]
    derive(desk, story_id, [KABUL], [quote(BODY, "We are ready,", "Fahim Dashti")])
    return story_id


def kill(desk: Desk, uri: str) -> None:
    desk.receive(ninjs(uri, "Kill.", version=2, pubstatus="canceled"), source="pti")


def test_a_kill_leaves_cached_place_pages_on_the_next_request(
    desk: Desk, site: httpx.Client
) -> None:
    kabul(desk, "urn:dc:1", "Pass closed")
    kabul(desk, "urn:dc:2", "Pass still closed")
    for path in OUTPUTS:
        assert "Pass closed" in site.get(path).text, path
    kill(desk, "urn:dc:1")
    for path in OUTPUTS:
        text = site.get(path).text
        assert "Pass closed" not in text and "Pass still closed" in text, path


def test_a_kill_by_another_process_leaves_them_too(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    kabul(desk, "urn:dc:3", "Other process")
    for path in OUTPUTS:
        assert "Other process" in site.get(path).text, path
    other = open_desk(desk.config)  # its own engine and no listeners: like a `wiredesk worker`
    other.clock = clock
    try:
        kill(other, "urn:dc:3")
    finally:
        other.store.close()
    for path in OUTPUTS:
        answer = site.get(path)
        assert answer.status_code == 404 and "Other process" not in answer.text, path


def test_the_incremental_export_drops_a_killed_story_from_place_pages(
    desk: Desk, tmp_path: Path
) -> None:
    kabul(desk, "urn:dc:4", "Exported then killed")
    kabul(desk, "urn:dc:5", "Exported and kept")
    out = tmp_path / "out"
    exporter = Exporter(desk, out)
    try:
        exporter.full()
        place = out / "places" / "kabul-1138958.html"
        person = out / "people" / "fahim-dashti.html"
        feed = out / "places" / "kabul-1138958" / "feed.atom"
        for file in (place, person, feed, out / "countries" / "af.html"):
            assert "Exported then killed" in file.read_text(), file
        killed = next(s.id for s in desk.store.stories() if s.uri == "urn:dc:4")
        kill(desk, "urn:dc:4")
        exporter.update([killed])
    finally:
        exporter.close()
    for file in (place, person, feed, out / "countries" / "af.html"):
        text = file.read_text()
        assert "Exported then killed" not in text and "Exported and kept" in text, file
