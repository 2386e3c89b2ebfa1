"""The news front: home and section pages with leads, thumbnails and pages; the head a
crawler reads (canonical, Open Graph, NewsArticle JSON-LD); RSS and section feeds."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import httpx
import pytest
from lxml import etree, html

from conftest import FakeClock
from picturekit import jpeg, ninjs_with_picture
from sitekit import publish, site_client, url
from wire import ninjs
from wiredesk import Desk
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.site.app import PAGE_SIZE
from wiredesk.store.models import Story

RSS_NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "media": "http://search.yahoo.com/mrss/",
    "atom": "http://www.w3.org/2005/Atom",
}


@pytest.fixture
def site(desk: Desk) -> Iterator[httpx.Client]:
    with site_client(desk) as client:
        yield client


def with_picture(desk: Desk, uri: str, name: str, **kwargs: object) -> Story:
    desk.receive(jpeg(1600, 900), source="pti", filename=name)
    story = publish(desk, ninjs_with_picture(uri, name, **kwargs))  # type: ignore[arg-type]
    PictureWorker(desk).drain()
    return story


def json_ld(page: str) -> dict[str, object]:
    tree = html.fromstring(page)
    (script,) = tree.xpath('//script[@type="application/ld+json"]')
    data: dict[str, object] = json.loads(script.text)
    return data


def meta(tree: html.HtmlElement, key: str) -> str:
    found = tree.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')
    return str(found[0]) if found else ""


def test_the_json_ld_matches_the_page_and_cannot_break_out(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    headline = 'Rain </script><script>alert(1)</script> & "thunder" delay final'
    story = with_picture(
        desk,
        "urn:ld",
        "ld.jpg",
        headline=headline,
        caption="Caption </script> with <b>markup</b>",
    )
    clock.now += timedelta(hours=2)
    publish(
        desk,
        ninjs_with_picture(
            "urn:ld",
            "ld.jpg",
            headline=headline,
            version=2,
            caption="Caption </script> with <b>markup</b>",
            body="Chennai, May 30 (PTI) Rain delayed the start again. The toss was put off.",
        ),
    )
    page = site.get(url(story)).text
    assert page.count("</script>") == 1  # only the JSON-LD element's own end tag
    data = json_ld(page)
    tree = html.fromstring(page)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == headline == tree.xpath("string(//h1)")
    times = tree.xpath('//p[@class="meta"]//time/@datetime')
    assert [data["datePublished"], data["dateModified"]] == times
    assert data["dateModified"] != data["datePublished"]
    assert "Updated" in tree.xpath('string(//p[@class="meta"])')
    assert data["author"] == [{"@type": "Organization", "name": "PTI"}]
    assert data["publisher"]["name"] == "wiredesk"  # type: ignore[index]
    assert data["isAccessibleForFree"] is True
    canonical = tree.xpath('string(//link[@rel="canonical"]/@href)')
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
    assert canonical.endswith(url(story))
    # The dateline resolved through the gazetteer: the place, not the words "Chennai, May 30".
    place = data["locationCreated"]
    assert (place["name"], place["sameAs"]) == ("Chennai", "https://www.geonames.org/1264527/")
    assert place["address"] == {"@type": "PostalAddress", "addressCountry": "IN"}
    assert place["url"].endswith("/places/chennai-1264527")
    (image,) = data["image"]  # type: ignore[misc]
    assert image["url"] == meta(tree, "og:image") and image["url"].endswith("/1024.jpg")
    assert (image["width"], image["height"]) == (1024, 576)
    assert image["caption"] == "Caption </script> with <b>markup</b>"
    assert meta(tree, "twitter:card") == "summary_large_image"
    assert meta(tree, "og:title") == headline
    assert meta(tree, "description") == "Rain delayed the start again."
    assert meta(tree, "robots") == "max-image-preview:large"
    assert site.get(image["url"].removeprefix("http://127.0.0.1:8000")).status_code == 200


def test_a_byline_is_the_author_and_a_story_without_pictures_has_a_summary_card(
    desk: Desk, site: httpx.Client
) -> None:
    story = publish(desk, ninjs("urn:by", "Delhi (PTI) Words.", byline="Asha Rao"))
    page = site.get(url(story)).text
    data = json_ld(page)
    assert data["author"] == [{"@type": "Person", "name": "Asha Rao"}]
    assert "image" not in data
    assert meta(html.fromstring(page), "twitter:card") == "summary"


def test_home_has_a_lead_thumbnails_first_sentences_and_pages(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    stories = []
    for n in range(PAGE_SIZE + 3):
        clock.now += timedelta(minutes=1)
        body = f"Delhi, June 1 (PTI) Story {n} opens here. It goes on.\n\nSecond paragraph {n}."
        if n % 2 == 0:
            stories.append(
                with_picture(desk, f"urn:h:{n}", f"h{n}.jpg", body=body, headline=f"Story {n}")
            )
        else:
            stories.append(publish(desk, ninjs(f"urn:h:{n}", body, headline=f"Story {n}")))
    newest = stories[-1]
    tree = html.fromstring(site.get("/").text)
    lead = tree.xpath('//article[contains(@class, "lead-story")]')[0]
    assert lead.xpath("string(.//h2)") == newest.headline
    assert (
        lead.xpath('string(.//p[@class="summary"])')
        == f"Story {len(stories) - 1} opens here. It goes on."
    )
    assert lead.xpath(".//figure//img/@alt") == ["Fans shelter from the rain at Chepauk."]
    # Beside the lead a column of the next four, headlines only; then the grid, with pictures.
    beside = tree.xpath('//div[@class="front"]/ol[contains(@class, "next")]/li')
    grid = tree.xpath('//ol[contains(@class, "grid")]/li')
    teasers = beside + grid
    assert (len(beside), len(teasers)) == (4, PAGE_SIZE - 1)
    first = teasers[0]
    assert first.xpath("string(.//h2)") == stories[-2].headline
    assert first.xpath('string(.//p[@class="summary"])') == f"Story {len(stories) - 2} opens here."
    assert not any(t.xpath(".//img") for t in beside)
    assert [bool(t.xpath(".//img")) for t in grid[:4]] == [False, True, False, True]
    assert tree.xpath('//link[@rel="next"]/@href') == ["/?page=2"]
    assert not tree.xpath('//link[@rel="prev"]')
    second = html.fromstring(site.get("/?page=2").text)
    assert second.xpath('//link[@rel="prev"]/@href') == ["/"]
    assert not second.xpath('//link[@rel="next"]') and not second.xpath(
        '//article[contains(@class, "lead-story")]'
    )
    assert len(second.xpath('//ol[contains(@class, "stories")]/li')) == 3
    assert second.xpath('string(//link[@rel="canonical"]/@href)').endswith("/?page=2")
    for bad in ("3", "0", "x", "-1"):
        assert site.get("/", params={"page": bad}).status_code == 404
    section = html.fromstring(site.get(f"/{newest.section}/").text)
    assert section.xpath('string(//article[contains(@class, "lead-story")]//h2)') == newest.headline
    assert section.xpath('//link[@rel="next"]/@href') == [f"/{newest.section}/?page=2"]


def test_one_date_rule_the_agencys_time_on_every_listing_and_page(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    # Sent by the agency at 09:00 IST, received at 12:00 UTC: the agency's time is shown.
    story = publish(desk, ninjs("urn:d", "Words.", firstcreated="2026-06-01T09:00:00+05:30"))
    agency_time = "2026-06-01T03:30:00+00:00"
    for page in ("/", f"/{story.section}/", url(story), "/search?q=Words"):
        tree = html.fromstring(site.get(page).text)
        assert tree.xpath("//time/@datetime")[0] == agency_time, page
    assert json_ld(site.get(url(story)).text)["datePublished"] == agency_time
    entry = feedparser.parse(site.get("/feed.rss").content).entries[0]
    assert datetime(*entry.published_parsed[:6], tzinfo=UTC).isoformat() == agency_time
    assert agency_time in site.get("/news-sitemap.xml").text


def check_rss2(data: bytes) -> etree._Element:
    """The RSS 2.0 rules a test can check (rssboard.org/rss-specification)."""
    root = etree.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    (channel,) = root.findall("channel")
    for required in ("title", "link", "description"):
        assert (channel.findtext(required) or "").strip(), required
    assert channel.find("atom:link[@rel='self']", RSS_NS) is not None
    parsedate_to_datetime(channel.findtext("lastBuildDate") or "")
    guids = []
    for item in channel.findall("item"):
        assert item.findtext("title") or item.findtext("description")
        assert (item.findtext("link") or "").startswith("http")
        guid = item.find("guid")
        assert guid is not None and guid.get("isPermaLink") == "false"
        guids.append(guid.text)
        date = item.findtext("pubDate") or ""
        assert re.match(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$", date)
        assert parsedate_to_datetime(date).tzinfo is not None
        assert item.find("content:encoded", RSS_NS) is not None
        for media in item.findall("media:content", RSS_NS):
            assert (media.get("url") or "").startswith("http") and media.get("medium") == "image"
    assert len(guids) == len(set(guids))
    return channel


def test_rss_and_section_feeds_validate_and_carry_the_lead_picture(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    pictured = with_picture(desk, "urn:f:1", "f1.jpg", headline="With a picture")
    plain = publish(desk, ninjs("urn:f:2", "Delhi (PTI) Plain words.\n\nTwo.", headline="Plain"))
    killed = publish(desk, ninjs("urn:f:3", "Killed words.", headline="Killed one"))
    publish(desk, ninjs("urn:f:3", "", version=2, pubstatus="canceled"))
    embargoed = publish(
        desk,
        ninjs(
            "urn:f:4",
            "Secret words.",
            headline="Embargoed one",
            embargoed=clock.now + timedelta(hours=1),
        ),
    )
    section = pictured.section
    for feed in ("/feed.rss", f"/{section}/feed.rss"):
        response = site.get(feed)
        assert response.headers["content-type"].startswith("application/rss+xml")
        channel = check_rss2(response.content)
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        by_guid = {e.id: e for e in parsed.entries}
        assert set(by_guid) == {pictured.uri, plain.uri}
        entry = by_guid[pictured.uri]
        assert entry.link.endswith(url(pictured))
        assert "Rain delayed the start." in entry.content[0].value
        assert entry.media_content[0]["url"].endswith("/1024.jpg")
        assert (
            "media:content" not in etree.tostring(channel.xpath("item[guid='urn:f:2']")[0]).decode()
        )
    for feed in ("/feed.atom", f"/{section}/feed.atom"):
        parsed = feedparser.parse(site.get(feed).content)
        assert parsed.bozo == 0 and parsed.version == "atom10"
        assert {e.id for e in parsed.entries} == {pictured.uri, plain.uri}
        assert parsed.entries[-1 if parsed.entries[0].id == plain.uri else 0].media_content
    every = " ".join(site.get(u).text for u in ("/feed.rss", "/feed.atom", f"/{section}/feed.rss"))
    assert killed.headline not in every and embargoed.headline not in every
    assert site.get("/no-such-section/feed.rss").status_code == 404
    assert site.get("/no-such-section/feed.atom").status_code == 404


def test_the_news_sitemap_lists_each_storys_pictures(desk: Desk, site: httpx.Client) -> None:
    story = with_picture(desk, "urn:sm", "sm.jpg")
    root = etree.fromstring(site.get("/news-sitemap.xml").content)
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "image": "http://www.google.com/schemas/sitemap-image/1.1",
    }
    (entry,) = root.findall("s:url", ns)
    assert (entry.findtext("s:loc", namespaces=ns) or "").endswith(url(story))
    (loc,) = entry.findall("image:image/image:loc", ns)
    assert (loc.text or "").endswith("/1024.jpg")


def test_the_json_rendition_gives_the_sites_picture_urls_not_the_agencys(
    desk: Desk, site: httpx.Client
) -> None:
    story = with_picture(desk, "urn:j", "secret-token-j.jpg")
    data = site.get(url(story) + ".json").json()
    (picture,) = data["pictures"]
    assert picture["url"].endswith("/1024.jpg") and picture["caption"]
    assert len(picture["renditions"]) == 8
    assert "secret-token" not in json.dumps(data)
    latest = site.get("/api/latest.json").json()["stories"][0]
    assert latest["pictures"] == data["pictures"]


def test_lists_follow_the_agencys_time_not_the_order_of_arrival(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    # The 05:25 story reaches the desk first, the 05:10 one a minute later.
    later = publish(desk, ninjs("urn:o:1", "Later.", firstcreated="2026-06-01T05:25:00+00:00"))
    clock.now += timedelta(minutes=1)
    earlier = publish(desk, ninjs("urn:o:2", "Earlier.", firstcreated="2026-06-01T05:10:00+00:00"))
    tree = html.fromstring(site.get("/").text)
    links = tree.xpath("//main//h2/a/@href")
    assert links[:2] == [url(later), url(earlier)]
    feed = feedparser.parse(site.get("/feed.rss").content)
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries[:2]] == [later.slug, earlier.slug]
    # An update does not move a story up the list.
    publish(
        desk,
        ninjs(
            "urn:o:2",
            "Earlier, updated.",
            version=2,
            firstcreated="2026-06-01T05:10:00+00:00",
            versioncreated=clock.now,
        ),
    )
    assert html.fromstring(site.get("/").text).xpath("//main//h2/a/@href")[:2] == links[:2]


def test_the_breaking_strip_names_a_fresh_flash_and_leaves_when_it_is_old(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    publish(desk, ninjs("urn:br:1", "Routine.", headline="Routine story", urgency=5))
    flash = publish(desk, ninjs("urn:br:2", "Flash.", headline="Quake hits the coast", urgency=1))
    strip = html.fromstring(site.get("/").text).xpath("//aside[@class='breaking']")
    assert len(strip) == 1 and strip[0].xpath("string(.//a)") == "Quake hits the coast"
    assert strip[0].xpath(".//a/@href") == [url(flash)]
    clock.now += timedelta(minutes=desk.config.breaking_minutes + 1)
    assert not html.fromstring(site.get("/").text).xpath("//aside[@class='breaking']")


def test_the_masthead_logo_comes_from_the_settings(desk: Desk, tmp_path: Path) -> None:
    logo = tmp_path / "paper.png"
    logo.write_bytes(jpeg(40, 40))  # any bytes: the site serves the file as it is
    desk.config.site_logo = logo
    with site_client(desk) as client:
        answer = client.get("/logo")
        assert answer.status_code == 200 and answer.content == logo.read_bytes()
        assert answer.headers["content-type"] == "image/png"
        assert html.fromstring(client.get("/").text).xpath("//a[@class='brand']/img/@src") == [
            "/logo"
        ]
