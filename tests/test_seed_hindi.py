"""Acceptance: the seed story in Hindi (PTI Bhasha), sent as NITF, NewsML-G2, ninjs and RSS,
comes out word for word on the page, in .txt, .json, Atom and RSS, with lang="hi", a readable
address, the news sitemap's language, and its dateline places Kabul and New Delhi.

The ninjs and RSS forms carry the opening in the text (`काबुल/नयी दिल्ली, एक सितंबर (भाषा)`),
where the openings grammar finds it; the quotations come from the Hindi quotation rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import httpx
import pytest
from lxml import etree, html

from livesite import serving
from seedwire_hi import (
    DATELINE,
    FORMATS,
    HEADLINE,
    SEED_HI,
    SPEAKERS,
    read_seed_hi,
)
from wiredesk import Desk
from wiredesk.desk.publish import slugify
from wiredesk.site.app import create_app
from wiredesk.site.render import item_of, text_rendition
from wiredesk.store.models import Story

KABUL, NEW_DELHI = 1138958, 1261481
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SEED = SEED_HI.read_text(encoding="utf-8")


@pytest.fixture
def hindi(desk: Desk, request: pytest.FixtureRequest) -> Iterator[tuple[str, Story]]:
    fmt = request.param
    outcome = desk.receive(FORMATS[fmt](read_seed_hi(SEED)), source="pti", filename=f"hi.{fmt}")
    assert outcome.outcome == "accepted", outcome.detail
    story = desk.store.story(outcome.stories[0])
    assert story is not None and story.state == "published"
    with serving(create_app(desk.config, desk.store, clock=desk.clock)) as base:
        yield base, story


@pytest.mark.parametrize("hindi", sorted(FORMATS), indirect=True)
def test_the_hindi_seed_comes_out_word_for_word(hindi: tuple[str, Story], desk: Desk) -> None:
    base, story = hindi
    seed = read_seed_hi(SEED)
    assert story.headline == HEADLINE
    assert story.language == "hi"
    assert story.slug.startswith(slugify(HEADLINE) + "-")
    assert slugify(HEADLINE) == "पंजशीर-में-तालिबान-और-प्रतिरोधी-मोर्चे-के-बीच-लड़ाई-जारी"
    path = f"/{story.section}/{story.slug}"
    # The first paragraph after its opening, which is shown as the dateline before it.
    first = seed.paragraphs[0]
    expected = [first, *seed.paragraphs[1:]]

    page = html.fromstring(httpx.get(base + path).text)
    assert (page.get("lang"), page.get("dir")) == ("hi", "ltr")
    assert page.findtext(".//h1") == HEADLINE
    shown = [p.text_content() for p in page.findall(".//div[@class='body']/p")]
    assert len(shown) == len(expected)
    assert shown[0].endswith(first)
    assert shown[1:] == expected[1:]

    data = httpx.get(base + path + ".json").json()
    assert data["headline"] == HEADLINE and data["language"] == "hi"
    assert data["body_text"] == "\n\n".join(expected)

    txt = httpx.get(base + path + ".txt").text
    for paragraph in expected:
        assert paragraph in txt

    atom = etree.fromstring(httpx.get(base + "/feed.atom").content)
    [entry] = atom.iter(f"{ATOM}entry")
    assert entry.get(XML_LANG) == "hi"
    assert entry.findtext(f"{ATOM}title") == HEADLINE
    content = html.fromstring(entry.findtext(f"{ATOM}content"))
    assert [p.text_content() for p in content.findall(".//p")][1 : len(expected)] == expected[1:]

    rss = etree.fromstring(httpx.get(base + "/feed.rss").content)
    [item] = rss.iter("item")
    assert item.findtext("{http://purl.org/dc/elements/1.1/}language") == "hi"
    encoded = html.fromstring(item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded"))
    assert [p.text_content() for p in encoded.findall(".//p")][1 : len(expected)] == expected[1:]

    sitemap = etree.fromstring(httpx.get(base + "/news-sitemap.xml").content)
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    assert [el.text for el in sitemap.iter(f"{news}language")] == ["hi"]
    [loc] = sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    assert loc.text.isascii() and unquote(loc.text).endswith(path)


@pytest.mark.parametrize("hindi", sorted(FORMATS), indirect=True)
def test_the_hindi_seed_has_its_dateline_txt_and_places(
    hindi: tuple[str, Story], desk: Desk
) -> None:
    base, story = hindi
    item = item_of(desk.store.current_version(story))
    assert item.dateline == DATELINE
    assert text_rendition(story, item, desk.config.tz).strip() == SEED.strip()
    path = f"/{story.section}/{story.slug}"
    assert httpx.get(base + path + ".txt").text.strip() == SEED.strip()
    places = httpx.get(base + path + ".json").json()["places"]
    ids = [int(p["uri"].rstrip("/").rsplit("/", 1)[1]) for p in places if "uri" in p]
    assert ids[:2] == [KABUL, NEW_DELHI]
    assert [p["literal"] for p in places[:2]] == ["काबुल", "नयी दिल्ली"]
    assert [p["name"] for p in places[:2]] == ["Kabul", "New Delhi"]
    page = httpx.get(base + path).text
    assert 'class="dateline">काबुल/नयी दिल्ली, एक सितंबर</span>' in page


@pytest.mark.parametrize("hindi", sorted(FORMATS), indirect=True)
def test_the_hindi_seed_has_its_quotations_and_speakers(hindi: tuple[str, Story]) -> None:
    base, story = hindi
    data = httpx.get(f"{base}/{story.section}/{story.slug}.json").json()
    assert [q["speaker"] for q in data["quotes"]][:3] == SPEAKERS
    for quote in data["quotes"]:
        assert httpx.get(base + quote["uri"]).status_code == 200
