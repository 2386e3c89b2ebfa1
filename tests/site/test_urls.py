"""Readable addresses in every script (docs/urls.md), and addresses published before answering
with a 301."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, unquote

import httpx
import pytest
from alembic import command
from lxml import etree, html
from sqlalchemy import text

from sitekit import publish, site_client, url
from wire import ninjs
from wiredesk import Desk
from wiredesk.store.db import alembic_config

HEADLINE = "पंजशीर में तालिबान और प्रतिरोधी मोर्चे के बीच लड़ाई जारी"
BODY = "काबुल/नयी दिल्ली, एक सितंबर (भाषा) अफगानिस्तान के पंजशीर प्रांत में लड़ाई जारी है।"


@pytest.fixture
def site(desk: Desk) -> Iterator[httpx.Client]:
    with site_client(desk) as client:
        yield client


def test_a_hindi_headline_gives_a_readable_address(desk: Desk, site: httpx.Client) -> None:
    story = publish(desk, ninjs("urn:bhasha:1", BODY, headline=HEADLINE))
    assert story.slug.startswith("पंजशीर-में-तालिबान-और-प्रतिरोधी-मोर्चे-के-बीच-लड़ाई-जारी-")
    # On the wire it is percent-encoded, and both forms reach the page.
    encoded = quote(url(story))
    assert encoded.isascii()
    assert site.get(encoded).status_code == 200
    assert "अफगानिस्तान के पंजशीर" in site.get(url(story) + ".txt").text
    page = html.fromstring(site.get(encoded).text)
    canonical = page.find(".//link[@rel='canonical']").get("href")
    assert canonical.isascii() and unquote(canonical).endswith(url(story))
    sitemap = etree.fromstring(site.get("/sitemap.xml").content)
    locs = [el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert all(loc.isascii() for loc in locs)
    assert [unquote(loc).rsplit("/", 2)[-2:] for loc in locs] == [url(story).split("/")[1:]]


def test_old_story_addresses_answer_with_a_301(desk: Desk, site: httpx.Client) -> None:
    """A story published as story-<digest> before slugs kept every script: the upgrade gives
    it its readable slug and keeps the old address as a permanent redirect."""
    story = publish(desk, ninjs("urn:bhasha:2", BODY, headline=HEADLINE))
    readable = story.slug
    old = "story-" + readable.rsplit("-", 1)[1]
    engine = desk.store.engine
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0013")
        connection.execute(text("UPDATE stories SET slug = :old"), {"old": old})
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    moved = desk.store.story(story.id)
    assert moved is not None and moved.slug == readable

    for tail in ("", ".txt", ".json", "/history"):
        answer = site.get(f"/{story.section}/{old}{tail}")
        assert answer.status_code == 301, tail
        assert unquote(answer.headers["location"]) == f"/{story.section}/{readable}{tail}"
        assert answer.headers["location"].isascii()
        assert site.get(answer.headers["location"]).status_code == 200
    # Only in its own section, and a slug no story ever had is still a 404.
    assert site.get(f"/elsewhere/{old}").status_code == 404
    assert site.get(f"/{story.section}/story-00000000").status_code == 404
