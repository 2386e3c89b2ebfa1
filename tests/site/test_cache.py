"""The page cache: repeats come from memory, yet every change shows on the next request after
its commit, from this process or another, and an embargo lifts on time with no transaction."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import text

from conftest import FakeClock
from livesite import serving
from picturekit import jpeg, ninjs_with_picture
from wire import ninjs
from wiredesk import Desk, open_desk
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.site.app import create_app


@pytest.fixture
def site(desk: Desk, clock: FakeClock) -> Iterator[httpx.Client]:
    desk.config.page_cache_seconds = 60
    app = create_app(desk.config, desk.store, clock=clock)
    desk.listeners.append(app.state.page_cache)
    with serving(app) as base, httpx.Client(base_url=base) as client:
        yield client
    app.state.page_cache.close()


def publish(desk: Desk, uri: str, body: str, **fields: object) -> str:
    outcome = desk.receive(ninjs(uri, body, **fields), source="pti")
    story = desk.store.story(outcome.stories[0])
    assert story is not None
    return f"/{story.section}/{story.slug}"


def behind_the_desks_back(desk: Desk, uri: str, headline: str) -> None:
    """A change no desk announces: only a page rendered afresh can show it."""
    with desk.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE stories SET headline = :h WHERE uri = :u"), {"h": headline, "u": uri}
        )


def test_repeats_are_served_from_the_cache(desk: Desk, site: httpx.Client) -> None:
    path = publish(desk, "urn:c:1", "Cached text.", headline="First headline")
    assert "First headline" in site.get(path).text
    assert "First headline" in site.get("/").text
    behind_the_desks_back(desk, "urn:c:1", "Silently changed")
    assert "First headline" in site.get(path).text
    assert "First headline" in site.get("/").text
    assert "x-wiredesk-stories" not in site.get(path).headers


def test_a_kill_answers_410_on_the_very_next_request(desk: Desk, site: httpx.Client) -> None:
    path = publish(desk, "urn:c:2", "Delhi, June 1 (PTI) Soon withdrawn.", headline="Soon gone")
    assert site.get(path).status_code == 200 and "Soon gone" in site.get("/").text
    assert "Soon gone" in site.get("/feed.atom").text
    desk.receive(ninjs("urn:c:2", "Withdrawn.", version=2, pubstatus="canceled"), source="pti")
    assert site.get(path).status_code == 410
    for listing in ("/", "/feed.atom", "/sitemap.xml", "/api/latest.json"):
        assert "Soon gone" not in site.get(listing).text, listing


def test_a_change_from_another_process_shows_on_the_next_request(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    path = publish(desk, "urn:c:3", "Version one text.", headline="Other process")
    assert "Version one text" in site.get(path).text
    other = open_desk(desk.config)  # its own engine and no listeners: like a `wiredesk worker`
    other.clock = clock
    try:
        other.receive(
            ninjs("urn:c:3", "Version two text.", headline="Other process", version=2),
            source="pti",
        )
        assert "Version two text" in site.get(path).text
        other.receive(ninjs("urn:c:3", "Killed.", version=3, pubstatus="canceled"), source="pti")
        assert site.get(path).status_code == 410
    finally:
        other.store.close()


def test_a_story_page_stays_cached_when_another_story_changes(
    desk: Desk, site: httpx.Client
) -> None:
    path = publish(desk, "urn:c:4", "Steady text.", headline="Steady")
    assert "Steady" in site.get(path).text
    behind_the_desks_back(desk, "urn:c:4", "Silently changed")
    publish(desk, "urn:c:5", "Someone else's news.", headline="Unrelated")
    assert "Steady" in site.get(path).text  # its own page was not touched
    assert "Unrelated" in site.get("/").text  # listings were


def test_an_embargo_lifts_on_time_with_no_transaction(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    publish(desk, "urn:c:6", "Already public.", headline="Public one")
    assert "Public one" in site.get("/").text  # cached before the embargoed story exists
    path = publish(
        desk,
        "urn:c:7",
        "Embargoed words.",
        headline="Under embargo",
        embargoed=clock.now + timedelta(minutes=5),
    )
    assert "Under embargo" not in site.get("/").text
    assert site.get(path).status_code == 404
    clock.now += timedelta(minutes=5)
    # No scheduler has run and nothing committed: the instant alone makes it visible.
    assert "Under embargo" in site.get("/").text
    assert site.get(path).status_code == 200


def test_a_search_result_goes_with_its_kill(desk: Desk, site: httpx.Client) -> None:
    path = publish(desk, "urn:c:8", "The zyxquant council met.", headline="Council")
    assert path in site.get("/search", params={"q": "zyxquant"}).text
    desk.receive(ninjs("urn:c:8", "Withdrawn.", version=2, pubstatus="canceled"), source="pti")
    assert path not in site.get("/search", params={"q": "zyxquant"}).text


def test_the_cache_can_be_turned_off(desk: Desk, clock: FakeClock) -> None:
    app = create_app(desk.config, desk.store, clock=clock)  # conftest: page_cache_seconds = 0
    with serving(app) as base, httpx.Client(base_url=base) as client:
        path = publish(desk, "urn:nocache", "Text.", headline="Uncached")
        assert "Uncached" in client.get(path).text
        behind_the_desks_back(desk, "urn:nocache", "Changed in place")
        assert "Changed in place" in client.get(path).text
        assert "x-wiredesk-stories" not in client.get(path).headers


def pictured(desk: Desk, uri: str, name: str, **fields: object) -> tuple[str, str]:
    """A story whose picture file arrived beside it and was checked: its page and 640 JPEG."""
    desk.receive(jpeg(900, 600), source="pti", filename=name)
    outcome = desk.receive(ninjs_with_picture(uri, name, **fields), source="pti")  # type: ignore[arg-type]
    PictureWorker(desk).drain()
    story = desk.store.story(outcome.stories[0])
    assert story is not None
    found = desk.store.pictures([story.uri], desk.clock())[story.uri]
    return f"/{story.section}/{story.slug}", f"/media/{found[0].sha256}/640.jpg"


def test_a_kill_takes_its_pictures_on_the_very_next_request(desk: Desk, site: httpx.Client) -> None:
    path, media = pictured(desk, "urn:c:pic", "c-pic.jpg")
    assert site.get(media).status_code == 200 and media in site.get(path).text
    assert site.get(media).status_code == 200  # decided once, remembered
    desk.receive(ninjs("urn:c:pic", "Withdrawn.", version=2, pubstatus="canceled"), source="pti")
    assert site.get(media).status_code == 410
    assert site.get(path).status_code == 410


def test_a_picture_checked_later_shows_on_the_next_request(desk: Desk, site: httpx.Client) -> None:
    desk.receive(ninjs_with_picture("urn:c:later", "c-later.jpg"), source="pti")
    path = f"/{desk.store.stories()[-1].section}/{desk.store.stories()[-1].slug}"
    assert "/media/" not in site.get(path).text  # cached without a picture
    desk.receive(jpeg(900, 600), source="pti", filename="c-later.jpg")
    assert PictureWorker(desk).drain() == 1
    page = site.get(path).text
    (media,) = set(re.findall(r"/media/[0-9a-f]{64}/640\.jpg", page))
    assert site.get(media).status_code == 200


def test_a_pictures_own_embargo_lifts_on_time(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    path, media = pictured(desk, "urn:c:emb", "c-emb.jpg", picture_uri="urn:c:emb:pic")
    until = clock.now + timedelta(minutes=5)
    embargoed = {
        "uri": "urn:c:emb:pic",
        "type": "picture",
        "version": "2",
        "embargoed": until.isoformat(),
        "description_text": "Not before five minutes.",
        "renditions": {"original": {"href": "c-emb.jpg"}},
    }
    desk.receive(json.dumps(embargoed).encode(), source="pti")
    assert site.get(media).status_code == 404 and "/media/" not in site.get(path).text
    assert site.get(media).status_code == 404  # remembered until something changes
    clock.now = until
    assert site.get(media).status_code == 200
    assert "Not before five minutes." in site.get(path).text


def test_query_strings_no_route_reads_share_one_entry_and_bytes_are_capped(
    desk: Desk, clock: FakeClock
) -> None:
    """Issue 24 #4: 1,500 random query strings, a byte cap, and expired entries leaving."""
    for n in range(30):
        publish(desk, f"urn:cap:{n}", f"Story {n} text. " * 20, headline=f"Story {n}")
    desk.config.page_cache_seconds = 60
    desk.config.page_cache_bytes = 40_000
    app = create_app(desk.config, desk.store, clock=clock)
    cache = app.state.page_cache
    with serving(app) as base, httpx.Client(base_url=base) as client:
        first = client.get("/api/latest.json?utm=0").content
        for n in range(1, 1500):
            assert client.get(f"/api/latest.json?utm={n}&x={n * 7}").content == first
        assert len(cache.entries) == 1
        for n in range(1, 40):  # pages a route does read: distinct, and capped in bytes
            client.get(f"/?page={n}")
            assert cache.bytes <= 40_000
        assert 1 < len(cache.entries) < 40
    cache.close()
    # Expired entries leave when others arrive, not only when asked for again.
    desk.config.page_cache_seconds = 2
    desk.config.page_cache_bytes = 64 * 1024 * 1024
    app = create_app(desk.config, desk.store, clock=clock)
    cache = app.state.page_cache
    with serving(app) as base, httpx.Client(base_url=base) as client:
        client.get("/sitemap.xml")
        client.get("/feed.atom")
        assert len(cache.entries) == 2
        time.sleep(2.1)
        client.get("/feed.rss")
        assert len(cache.entries) == 1
    cache.close()
