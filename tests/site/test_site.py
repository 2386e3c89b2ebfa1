from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import feedparser
import httpx
import pytest
from lxml import etree

from conftest import FakeClock
from livesite import serving
from sitekit import publish, site_client, url
from wire import g2, ninjs
from wiredesk import Desk
from wiredesk.site.app import create_app


@pytest.fixture
def site(desk: Desk) -> Iterator[httpx.Client]:
    with site_client(desk) as client:
        yield client


def test_home_section_and_story_pages(desk: Desk, site: httpx.Client) -> None:
    story = publish(
        desk,
        ninjs(
            "urn:a",
            "Chennai, May 30 (PTI) Rain  delayed play.\n\nSecond para.",
            headline="Rain delays final",
            byline="Sports desk",
            category="x",
            genre=[{"name": "Sport"}],
        ),
    )
    home = site.get("/")
    assert home.status_code == 200 and "Rain delays final" in home.text
    assert site.get(f"/{story.section}/").status_code == 200
    page = site.get(url(story))
    assert page.status_code == 200
    assert '<span class="dateline">Chennai, May 30</span> Rain  delayed play.' in page.text
    assert "Sports desk" in page.text and "PTI" in page.text
    assert "Disclaimer: This post has been auto-published" in page.text
    assert page.headers["content-security-policy"].startswith(
        "default-src 'self'; script-src 'none'"
    )
    assert site.get("/no-such-section/").status_code == 404
    assert site.get(f"/wrong-section/{story.slug}").status_code == 404


def test_renditions_text_and_json(desk: Desk, site: httpx.Client) -> None:
    story = publish(
        desk,
        ninjs(
            "urn:b",
            "Delhi, June 1 (IANS) First.\n\nSecond.",
            firstcreated="2026-06-01T01:00:00+05:30",
        ),
    )
    text = site.get(url(story) + ".txt")
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text == (
        "date 2026-05-31 Delhi, June 1 First.\n\nSecond.\n\nDisclaimer: This post has been auto-published from an "
        "agency feed without any modifications to the text and has not been reviewed by an editor\n"
    )
    data = site.get(url(story) + ".json").json()
    assert (data["uri"], data["state"], data["url"], data["agency"], data["body_text"]) == (
        "urn:b",
        "published",
        url(story),
        "IANS",
        "First.\n\nSecond.",
    )


def test_the_text_date_follows_the_site_time_zone(desk: Desk, site: httpx.Client) -> None:
    desk.config.timezone = "Asia/Kolkata"
    with serving(create_app(desk.config, desk.store, clock=desk.clock)) as base:
        story = publish(desk, ninjs("urn:tz", "Text.", firstcreated="2026-06-01T01:00:00+05:30"))
        assert httpx.get(base + url(story) + ".txt").text.startswith("date 2026-06-01 Text.")


def test_agency_html_never_runs(desk: Desk, site: httpx.Client) -> None:
    story = publish(
        desk,
        ninjs(
            "urn:x",
            "",
            headline="<script>window.pwned=1</script>Headline",
            body_html='<p onclick="alert(1)">Safe <script>alert(2)</script>text</p><img src=x onerror=alert(3)>',
            byline="<img src=x onerror=alert(4)>",
        ),
    )
    page = site.get(url(story)).text
    assert (
        "<script>window.pwned" not in page
        and "&lt;script&gt;window.pwned=1&lt;/script&gt;Headline" in page
    )
    # The byline appears escaped in the page, and as JSON data (with "<" escaped) in its JSON-LD.
    shown = page.replace("&lt;img src=x onerror=alert(4)&gt;", "")
    assert "onerror=alert" not in shown.replace("\\u003cimg src=x onerror=alert(4)\\u003e", "")
    data = site.get(url(story) + ".json").json()
    assert "<script>" not in data["body_html"] and "onclick" not in data["body_html"]
    assert "Safe" in data["body_html"]
    assert "<script>" not in site.get("/").text.replace("&lt;script&gt;", "")


def test_atom_feed_sitemaps_search_and_json_listing(desk: Desk, site: httpx.Client) -> None:
    story = publish(
        desk,
        ninjs(
            "urn:f", 'Kabul, Sep 1 (PTI) Fighting & "quotes" <here>.', headline="Panjshir fighting"
        ),
    )
    feed = feedparser.parse(site.get("/feed.atom").content)
    assert not feed.bozo, feed.bozo_exception
    [entry] = feed.entries
    assert entry.title == "Panjshir fighting" and entry.id == "urn:f"
    assert 'Kabul, Sep 1 Fighting &amp; "quotes" &lt;here&gt;.' in entry.content[0].value
    sitemap = etree.fromstring(site.get("/sitemap.xml").content)
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == [desk.config.base_url + url(story)]
    news = site.get("/news-sitemap.xml")
    assert "Panjshir fighting" in news.text and news.headers["content-type"].startswith(
        "application/xml"
    )
    assert "Panjshir fighting" in site.get("/search", params={"q": "quotes"}).text
    assert "No stories match" in site.get("/search", params={"q": "nothing-like-this"}).text
    assert "Panjshir fighting" in site.get("/search", params={"q": "FIGHTING"}).text
    assert [s["uri"] for s in site.get("/api/latest.json").json()["stories"]] == ["urn:f"]
    assert "Sitemap:" in site.get("/robots.txt").text


def test_updates_history_corrections_and_kills(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    story = publish(desk, g2("urn:h", ["The minister lead the talks."], headline="Talks"))
    clock.now += timedelta(minutes=3)
    publish(
        desk,
        g2(
            "urn:h",
            ["The minister led the talks."],
            headline="Talks",
            version=2,
            versioncreated="2026-06-01T10:05:00Z",
            signals=("sig:correction",),
        ),
    )
    page = site.get(url(story)).text
    assert "Updated" in page and "Correction:" in page and "led the talks" in page
    history = site.get(url(story) + "/history").text
    assert "<del>lead</del><ins>led</ins>" in history
    assert "Version 1" in history and "Version 2" in history
    publish(
        desk,
        g2(
            "urn:h",
            ["Withdrawn."],
            headline="KILL",
            version=3,
            versioncreated="2026-06-01T10:09:00Z",
            pubstatus="canceled",
        ),
    )
    for suffix in ("", ".txt", ".json", "/history"):
        assert site.get(url(story) + suffix).status_code == 410
    for path in (
        "/",
        "/feed.atom",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/api/latest.json",
        "/search?q=minister",
    ):
        assert "The minister le" not in site.get(path).text


def test_embargoed_stories_are_invisible_until_their_time(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    story = publish(
        desk, ninjs("urn:e", "Secret budget figures.", embargoed=clock.now + timedelta(hours=1))
    )
    for path in (url(story), url(story) + ".txt", url(story) + ".json", url(story) + "/history"):
        assert site.get(path).status_code == 404
    for path in ("/", "/feed.atom", "/sitemap.xml", "/api/latest.json", "/search?q=budget"):
        assert "Secret budget figures" not in site.get(path).text
    clock.now += timedelta(hours=1)
    assert site.get(url(story)).status_code == 200
    assert "budget" in site.get("/feed.atom").text


def test_also_reported_by_links_near_duplicates(desk: Desk, site: httpx.Client) -> None:
    text = "Fighting is going on between Taliban fighters and the forces of a resistance front in the Panjshir province, officials said on Wednesday."
    a = publish(desk, ninjs("urn:p", text, headline="Panjshir", agency="PTI"))
    b = publish(
        desk,
        ninjs(
            "urn:i",
            text.replace("Wednesday", "Wednesday night"),
            headline="Panjshir",
            agency="IANS",
        ),
    )
    page = site.get(url(a)).text
    assert "Also reported by" in page and url(b) in page


def test_story_summary_is_a_standfirst_and_ninjs_description_text(
    desk: Desk, site: httpx.Client
) -> None:
    data = g2("urn:summary", ["TEASER", "Berlin (dpa) - Text one.", "Two."], headline="Deck test")
    teaser = b'<p class="teaser">A deck &lt;b&gt; in words</p>'
    story = publish(desk, data.replace(b"<p>TEASER</p>", teaser))
    page = site.get(url(story))
    # The agency's teaser is shown once, escaped, under the headline, and is no paragraph.
    assert '<p class="standfirst">A deck &lt;b&gt; in words</p>' in page.text
    assert page.text.count("A deck &lt;b&gt; in words") == 1
    body = site.get(url(story) + ".json").json()
    assert (body["description_text"], body["body_text"]) == (
        "A deck <b> in words",
        "Text one.\n\nTwo.",
    )
    assert (body["dateline"], body["credit"]) == ("Berlin", "dpa")
