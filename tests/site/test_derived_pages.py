"""Place, country and people pages, and what the story page shows beside its text: real
stories through the desk, real HTTP on loopback, the derived rows set exactly (derivedkit)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import httpx
import pytest
from lxml import etree, html

from conftest import FakeClock
from derivedkit import KABUL, MUMBAI, NEW_DELHI, UNRESOLVED, derive, develop, quote
from sitekit import site_client, url
from wire import ninjs
from wiredesk import Desk
from wiredesk.config import SourceConfig
from wiredesk.store import sources
from wiredesk.store.models import Story

BODY = (
    "Kabul/New Delhi, Sep 1 (PTI) Fighting went on in the valley on Wednesday.\n\n"
    '"We will not give up," said Ahmad Massoud, a leader of the front.\n\n'
    '"The talks have failed," said Ahmad Massoud.'
)
SAID = ('"We will not give up,"', '"The talks have failed,"')


def publish(desk: Desk, uri: str, body: str = BODY, **fields: object) -> Story:
    outcome = desk.receive(ninjs(uri, body, agency="PTI", **fields), source="pti")
    story = desk.store.story(outcome.stories[0])
    assert story is not None
    return story


def kabul_story(desk: Desk, uri: str = "urn:d:1", **fields: object) -> Story:
    story = publish(desk, uri, **fields)
    body = story.body_text
    quotes = [quote(body, text[1:-2], "Ahmad Massoud", "a leader of the front") for text in SAID]
    derive(desk, story.id, [KABUL, NEW_DELHI, UNRESOLVED], quotes)
    return story


@pytest.fixture
def site(desk: Desk) -> httpx.Client:
    with site_client(desk) as client:
        yield client  # type: ignore[misc]


def test_a_place_page_lists_its_stories_and_its_feeds_name_them(
    desk: Desk, site: httpx.Client
) -> None:
    story = kabul_story(desk, headline="Valley fighting")
    elsewhere = publish(desk, "urn:d:2", "Mumbai (PTI) Rain.", headline="Mumbai rain")
    derive(desk, elsewhere.id, [MUMBAI])
    page = site.get("/places/kabul-1138958")
    assert page.status_code == 200
    doc = html.fromstring(page.text)
    assert doc.findtext(".//h1") == "Kabul"
    assert url(story) in doc.xpath("//ol[contains(@class, 'stories')]//a/@href")
    assert "Mumbai rain" not in page.text
    assert doc.xpath("//a[@href='/countries/af']")
    for feed in ("/places/kabul-1138958/feed.atom", "/places/kabul-1138958/feed.rss"):
        answer = site.get(feed)
        assert answer.status_code == 200
        root = etree.fromstring(answer.content)
        assert "Valley fighting" in answer.text and "Mumbai rain" not in answer.text
        selfs = root.xpath("//*[local-name()='link'][@rel='self']/@href")
        assert selfs == [desk.config.base_url.rstrip("/") + feed], selfs
    india = site.get("/countries/in")
    assert "Valley fighting" in india.text and "Mumbai rain" in india.text
    assert "Mumbai rain" in site.get("/countries/in/feed.atom").text


def test_a_place_by_its_id_under_another_name_redirects_and_unknowns_are_404(
    desk: Desk, site: httpx.Client
) -> None:
    kabul_story(desk)
    moved = site.get("/places/cabool-1138958?page=1", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == "/places/kabul-1138958?page=1"
    feed = site.get("/places/x-1138958/feed.rss", follow_redirects=False)
    assert feed.headers["location"] == "/places/kabul-1138958/feed.rss"
    assert site.get("/countries/AF", follow_redirects=False).headers["location"] == "/countries/af"
    for missing in (
        "/places/kabul-1",
        "/places/kabul",
        "/places/kabul-1138958?page=2",
        "/places/kabul-1138958?page=x",
        "/countries/zz",
        "/countries/zz/feed.atom",
        "/countries/afg",
        "/people/nobody",
        "/places/nowhere-99/feed.atom",
    ):
        assert site.get(missing).status_code == 404, missing


def test_hidden_stories_never_show_on_place_country_or_people_pages(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    shown = kabul_story(desk, "urn:d:shown", headline="Shown story")
    later = clock.now + timedelta(hours=2)
    embargoed = kabul_story(desk, "urn:d:emb", headline="Embargoed story", embargoed=later)
    withheld = kabul_story(desk, "urn:d:wh", headline="Withheld story", pubstatus="withheld")
    killed = kabul_story(desk, "urn:d:k", headline="Killed story")
    desk.receive(ninjs("urn:d:k", "Kill.", version=2, pubstatus="canceled"), source="pti")
    assert {s.state for s in (embargoed, withheld)} == {"embargoed", "withheld"}
    outputs = [
        "/places/kabul-1138958",
        "/places/kabul-1138958/feed.atom",
        "/places/kabul-1138958/feed.rss",
        "/countries/af",
        "/countries/in/feed.rss",
        "/people/ahmad-massoud",
    ]
    for path in outputs:
        text = site.get(path).text
        assert "Shown story" in text, path
        for hidden in ("Embargoed story", "Withheld story", "Killed story", killed.slug):
            assert hidden not in text, (path, hidden)
    clock.now = later + timedelta(minutes=1)
    assert "Embargoed story" in site.get("/places/kabul-1138958").text
    assert shown.slug in site.get("/people/ahmad-massoud").text


def test_people_pages_quote_the_body_exactly_and_link_its_paragraphs(
    desk: Desk, site: httpx.Client
) -> None:
    story = kabul_story(desk, headline="Valley fighting")
    page = site.get("/people/ahmad-massoud")
    assert page.status_code == 200
    doc = html.fromstring(page.text)
    assert doc.findtext(".//h1") == "Ahmad Massoud"
    quoted = [q.text_content() for q in doc.xpath("//blockquote")]
    assert quoted == [text[1:-2] for text in SAID]
    assert all(q in story.body_text for q in quoted)
    links = doc.xpath("//ol[@class='quotes']//a/@href")
    assert links == [f"{url(story)}#p-2", f"{url(story)}#p-3"]
    story_page = html.fromstring(site.get(url(story)).text)
    for anchor in ("p-2", "p-3"):
        assert story_page.get_element_by_id(anchor).text_content() in story.body_text


def test_the_story_page_links_places_and_quotes_without_repeating_the_text(
    desk: Desk, site: httpx.Client
) -> None:
    story = kabul_story(desk)
    page = site.get(url(story))
    doc = html.fromstring(page.text)
    places = doc.xpath("//p[@class='places']")[0]
    assert places.xpath(".//a/@href") == [
        "/places/kabul-1138958",
        "/countries/af",
        "/places/new-delhi-1261481",
        "/countries/in",
    ]
    assert places.xpath(".//span[@class='unresolved']/text()") == ["Camp Nowhere"]
    block = doc.xpath("//aside[@class='quotes']")[0]
    assert block.xpath(".//a/@href") == ["/people/ahmad-massoud", "#p-2"] + [
        "/people/ahmad-massoud",
        "#p-3",
    ]
    label = block.text_content()
    assert "give up" not in label and "talks" not in label  # links, not copies
    # The body is still the agency's paragraphs, once each.
    body = [p.text_content() for p in doc.xpath("//div[@class='body']/p")]
    assert "\n\n".join(body).endswith(story.body_text.split("\n\n", 1)[1])
    assert page.text.count("We will not give up") == 1
    script = doc.xpath("//script[@type='application/ld+json']/text()")[0]
    created = json.loads(script)["locationCreated"]
    assert [p["name"] for p in created] == ["Kabul", "New Delhi"]
    assert created[0]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": KABUL.latitude,
        "longitude": KABUL.longitude,
    }
    assert created[0]["address"]["addressCountry"] == "AF"
    assert created[1]["address"]["addressCountry"] == "IN"


def test_the_json_rendition_carries_ninjs_places_and_quote_offsets(
    desk: Desk, site: httpx.Client
) -> None:
    story = kabul_story(desk)
    data = site.get(url(story) + ".json").json()
    kabul, delhi, nowhere = data["places"]
    assert kabul["uri"] == "http://sws.geonames.org/1138958/" and kabul["country"] == "AF"
    assert kabul["geometry_geojson"] == {
        "type": "Point",
        "coordinates": [KABUL.longitude, KABUL.latitude],
    }
    assert delhi["name"] == "New Delhi" and delhi["country"] == "IN"
    assert nowhere == {"name": "Camp Nowhere", "literal": "Camp Nowhere", "rel": "located"}
    for found in data["quotes"]:
        assert found["speaker"] == "Ahmad Massoud" and found["uri"] == "/people/ahmad-massoud"
        assert data["body_text"][found["start"] : found["end"]] in SAID[0] + SAID[1]


def test_the_formats_place_names_reach_the_json_as_ninjs_places_not_a_located_list(
    desk: Desk, site: httpx.Client
) -> None:
    story = publish(desk, "urn:d:9", "Rain fell all week.", places=[{"name": "Kabul"}])
    data = site.get(url(story) + ".json").json()
    assert "located" not in data
    assert [(p["literal"], p["rel"], p["country"]) for p in data["places"]] == [
        ("Kabul", "located", "AF")
    ]


def test_a_development_is_linked_only_while_it_has_another_visible_story(
    desk: Desk, site: httpx.Client
) -> None:
    texts = [
        "Kabul (PTI) The airport reopened for flights on Thursday morning after repairs.",
        "Kabul (Reuters) Banks stayed shut for a third day as queues grew outside them.",
        "Mumbai (PTI) The monsoon arrived a week early, the weather office said.",
    ]
    one, two, alone = (publish(desk, f"urn:d:{n}", t) for n, t in enumerate(texts))
    development = develop(desk, [one.id, two.id])
    develop(desk, [alone.id])
    link = f'href="/developing/{development}"'
    assert link in site.get(url(one)).text and link in site.get(url(two)).text
    assert "/developing/" not in site.get(url(alone)).text
    desk.receive(ninjs("urn:d:1", "Kill.", version=2, pubstatus="canceled"), source="pti")
    assert link not in site.get(url(one)).text


def test_place_pages_are_paged_like_sections(desk: Desk, site: httpx.Client) -> None:
    for n in range(21):
        story = publish(desk, f"urn:d:page:{n}", f"Mumbai (PTI) Story {n}.", headline=f"S{n}")
        derive(desk, story.id, [MUMBAI])
    first = html.fromstring(site.get("/places/mumbai-1275339").text)
    assert len(first.xpath("//ol[contains(@class, 'stories')]/li")) == 20
    assert first.xpath("//link[@rel='next']/@href") == ["/places/mumbai-1275339?page=2"]
    second = site.get("/places/mumbai-1275339?page=2")
    assert re.findall(r">S(\d+)<", second.text) == ["0"]
    assert html.fromstring(second.text).xpath("//link[@rel='prev']/@href") == [
        "/places/mumbai-1275339"
    ]
    assert site.get("/places/mumbai-1275339?page=3").status_code == 404


@pytest.mark.parametrize("name", ["places", "people", "developing", "countries"])
def test_a_section_named_like_these_pages_is_published_beside_them(
    desk: Desk, site: httpx.Client, name: str
) -> None:
    with desk.store.session() as session, session.begin():
        sources.upsert(session, SourceConfig(name="odd", section=name), desk.clock())
    outcome = desk.receive(ninjs("urn:d:odd", "Odd (PTI) Text.", headline="Odd one"), source="odd")
    story = desk.store.story(outcome.stories[0])
    assert story is not None and story.section == f"{name}-news"
    assert site.get(url(story)).status_code == 200
    assert "Odd one" in site.get(f"/{name}-news/").text


def test_a_developing_page_shows_a_kill_as_withdrawn_without_its_words(
    desk: Desk, site: httpx.Client
) -> None:
    texts = [
        "Kabul (PTI) The airport reopened for flights on Thursday morning after repairs.",
        "Kabul (Reuters) Banks stayed shut for a third day as queues grew outside them.",
    ]
    one, two = (publish(desk, f"urn:dv:{n}", t, headline=f"Head {n}") for n, t in enumerate(texts))
    development = develop(desk, [one.id, two.id])
    page = site.get(f"/developing/{development}")
    assert page.status_code == 200 and "Head 0" in page.text and "Head 1" in page.text
    assert url(one) in page.text
    desk.receive(ninjs("urn:dv:1", "Kill.", version=2, pubstatus="canceled"), source="pti")
    page = site.get(f"/developing/{development}")
    assert "withdrawn" in page.text and "Head 1" not in page.text and two.slug not in page.text
    assert site.get("/developing/999").status_code == 404


def test_a_developing_page_shows_the_agencys_times_not_the_desks(
    desk: Desk, site: httpx.Client
) -> None:
    sent = ("2026-06-01T05:10:00+00:00", "2026-06-01T05:25:00+00:00")
    one, two = (
        publish(desk, f"urn:at:{n}", f"Kabul (PTI) Story {n} of the day.", firstcreated=at)
        for n, at in enumerate(sent)
    )
    desk.receive(
        ninjs(
            "urn:at:1",
            "Kabul (PTI) Story 1 of the day, updated.",
            agency="PTI",
            version=2,
            versioncreated=datetime.fromisoformat("2026-06-01T06:00:00+00:00"),
            firstcreated=sent[1],
        ),
        source="pti",
    )
    page = html.fromstring(site.get(f"/developing/{develop(desk, [one.id, two.id])}").text)
    shown = page.xpath("//ol[@class='timeline']//time/@datetime")
    assert shown == [*sent, "2026-06-01T06:00:00+00:00"]
