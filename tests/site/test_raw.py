"""The agency's own file behind each story: its sha256 on the page and in the JSON, and the bytes
themselves at /<section>/<slug>/raw, under the story's visibility rule."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from conftest import FakeClock
from sitekit import publish, site_client, url
from wire import g2, ninjs
from wiredesk import Desk
from wiredesk.site.render import raw_media_type


@pytest.fixture
def site(desk: Desk) -> Iterator[httpx.Client]:
    with site_client(desk) as client:
        yield client


def test_the_page_and_json_name_the_raw_file_served_byte_for_byte(
    desk: Desk, site: httpx.Client
) -> None:
    data = g2("urn:raw:1", ["Delhi, June 1 (PTI) Rain & ‘wind’."], headline="Rain")
    story = publish(desk, data)
    sha256 = hashlib.sha256(data).hexdigest()

    page = site.get(url(story))
    assert f'<code class="sha256">{sha256}</code>' in page.text
    assert f'href="{url(story)}/raw"' in page.text
    shown = site.get(url(story) + ".json").json()
    assert shown["sha256"] == sha256 and shown["raw_url"] == url(story) + "/raw"

    raw = site.get(url(story) + "/raw")
    assert raw.status_code == 200
    assert raw.content == data
    assert raw.headers["content-type"] == "application/xml"
    assert raw.headers["content-disposition"] == f'attachment; filename="{story.slug}.xml"'
    assert raw.headers["x-content-type-options"] == "nosniff"
    assert raw.headers["x-wiredesk-sha256"] == sha256


def test_the_raw_file_follows_updates_and_kills(desk: Desk, site: httpx.Client) -> None:
    first = ninjs("urn:raw:2", "Chennai, May 30 (PTI) Rain.", version=1)
    story = publish(desk, first)
    raw = site.get(url(story) + "/raw")
    assert raw.content == first and raw.headers["content-type"] == "application/json"
    assert raw.headers["content-disposition"].endswith(f'filename="{story.slug}.json"')
    second = ninjs("urn:raw:2", "Chennai, May 30 (PTI) More rain.", version=2)
    publish(desk, second)
    assert site.get(url(story) + "/raw").content == second
    publish(desk, ninjs("urn:raw:2", "Withdrawn.", version=3, pubstatus="canceled"))
    assert site.get(url(story) + "/raw").status_code == 410


def test_no_raw_file_before_the_embargo_lifts(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    data = ninjs("urn:raw:3", "Secret budget.", embargoed=clock.now + timedelta(hours=1))
    story = publish(desk, data)
    assert site.get(url(story) + "/raw").status_code == 404
    clock.now += timedelta(hours=1)
    assert site.get(url(story) + "/raw").content == data


def news_message(embargo: str) -> bytes:
    def item(guid: str, text: str, embargoed: str = "") -> str:
        when = f"<embargoed>{embargoed}</embargoed>" if embargoed else ""
        return (
            f'<newsItem guid="{guid}" version="1" standard="NewsML-G2"><itemMeta>'
            '<itemClass qcode="ninat:text"/><versionCreated>2026-06-01T10:00:00Z</versionCreated>'
            f'{when}<pubStatus qcode="stat:usable"/></itemMeta><contentMeta>'
            f"<headline>{text}</headline></contentMeta><contentSet>"
            f'<inlineData contenttype="text/plain">{text} in full.</inlineData>'
            "</contentSet></newsItem>"
        )

    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header>'
        "<sent>2026-06-01T10:00:00Z</sent></header><itemSet>"
        f"{item('urn:raw:open', 'Open story')}{item('urn:raw:later', 'Later story', embargo)}"
        "</itemSet></newsMessage>"
    ).encode()


def test_a_file_that_also_carries_embargoed_copy_is_not_served(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    outcome = desk.receive(news_message("2026-06-01T13:00:00Z"), source="dpa")
    open_story, later = (desk.store.story(i) for i in outcome.stories)
    assert open_story is not None and later is not None
    assert site.get(url(open_story)).status_code == 200
    # The open story is public, but its file holds the embargoed one's text.
    assert site.get(url(open_story) + "/raw").status_code == 404
    clock.now += timedelta(hours=1)
    assert site.get(url(open_story) + "/raw").status_code == 200
    assert b"Later story in full." in site.get(url(later) + "/raw").content


@pytest.mark.parametrize(
    ("fmt", "data", "served"),
    [
        ("feed", b'<?xml version="1.0"?><rss version="2.0"/>', ("application/rss+xml", "xml")),
        ("feed", b'<feed xmlns="http://www.w3.org/2005/Atom"/>', ("application/atom+xml", "xml")),
        ("iptc7901", b"\x01dpa", ("text/plain", "txt")),
        ("jsonfeed", b"{}", ("application/feed+json", "json")),
    ],
)
def test_each_format_is_served_as_its_own_type(
    fmt: str, data: bytes, served: tuple[str, str]
) -> None:
    assert raw_media_type(fmt, data) == served
