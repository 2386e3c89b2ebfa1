"""Every story's language, from its file or its script, on its page, in listings, feeds, the
news sitemap and JSON; Urdu right to left."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from lxml import etree, html

from sitekit import publish, site_client, url
from wire import ninjs
from wiredesk import Desk

HINDI = "काबुल/नयी दिल्ली, एक सितंबर (भाषा) अफगानिस्तान के पंजशीर प्रांत में तालिबान और प्रतिरोधी मोर्चे के बीच लड़ाई जारी है।"
URDU = "کابل، یکم ستمبر (یو این آئی) افغانستان کے صوبہ پنجشیر میں طالبان اور مزاحمتی محاذ کے درمیان لڑائی جاری ہے۔"
ENGLISH = "NEW DELHI, Sep 1 (PTI) The fighting in Panjshir went on, officials said on Wednesday."
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC = "{http://purl.org/dc/elements/1.1/}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def site(desk: Desk) -> Iterator[httpx.Client]:
    with site_client(desk) as client:
        yield client


def test_language_detected_and_shown(desk: Desk, site: httpx.Client) -> None:
    hindi = publish(desk, ninjs("urn:hi", HINDI, headline="पंजशीर में लड़ाई जारी"))
    urdu = publish(desk, ninjs("urn:ur", URDU, headline="پنجشیر میں لڑائی جاری"))
    english = publish(desk, ninjs("urn:en", ENGLISH, headline="Fighting goes on"))
    tamil = publish(desk, ninjs("urn:ta", "சென்னை செய்தி", headline="x", language="ta-IN"))
    assert (hindi.language, urdu.language, english.language, tamil.language) == (
        "hi",
        "ur",
        "en",
        "ta-IN",
    )

    page = html.fromstring(site.get(url(hindi)).text)
    assert (page.get("lang"), page.get("dir")) == ("hi", "ltr")
    article = page.find(".//article")
    assert (article.get("lang"), article.get("dir")) == ("hi", "ltr")
    # The site's own words around the story say they are English.
    assert page.find(".//header").get("lang") == "en"
    assert page.find(".//p[@class='renditions']").get("lang") == "en"

    page = html.fromstring(site.get(url(urdu)).text)
    assert (page.get("lang"), page.get("dir")) == ("ur", "rtl")
    assert page.find(".//article").get("dir") == "rtl"
    assert page.find(".//header").get("dir") == "ltr"

    page = html.fromstring(site.get(url(english)).text)
    assert (page.get("lang"), page.get("dir")) == ("en", "ltr")
    assert page.find(".//header").get("lang") is None

    # The home page is the site's; each story in it says its own language.
    home = html.fromstring(site.get("/").text)
    assert home.get("lang") == "en"
    marked = {
        el.get("lang"): el.get("dir")
        for el in home.xpath("//*[@lang]")
        if el.tag in ("li", "article")
    }
    assert marked == {"hi": "ltr", "ur": "rtl", "ta-IN": "ltr"}

    atom = etree.fromstring(site.get("/feed.atom").content)
    assert atom.get(XML_LANG) == "en"
    langs = {e.findtext(f"{ATOM}id"): e.get(XML_LANG) for e in atom.iter(f"{ATOM}entry")}
    assert langs == {"urn:hi": "hi", "urn:ur": "ur", "urn:en": "en", "urn:ta": "ta-IN"}

    rss = etree.fromstring(site.get("/feed.rss").content)
    assert rss.findtext("channel/language") == "en"
    langs = {i.findtext("guid"): i.findtext(f"{DC}language") for i in rss.iter("item")}
    assert langs == {"urn:hi": "hi", "urn:ur": "ur", "urn:en": "en", "urn:ta": "ta-IN"}

    sitemap = etree.fromstring(site.get("/news-sitemap.xml").content)
    langs = {
        u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").rsplit("/", 1)[
            1
        ]: u.findtext(f".//{NEWS}language")
        for u in sitemap
    }
    assert sorted(langs.values()) == ["en", "hi", "ta", "ur"]

    assert site.get(url(hindi) + ".json").json()["language"] == "hi"


def test_file_language_wins_over_the_script(desk: Desk) -> None:
    # The agency says Marathi; the desk does not second-guess it.
    story = publish(desk, ninjs("urn:mr", HINDI, headline="x", language="mr"))
    assert story.language == "mr"


def test_history_marks_the_story_language(desk: Desk, site: httpx.Client) -> None:
    urdu = publish(desk, ninjs("urn:ur:h", URDU, headline="پنجشیر میں لڑائی جاری"))
    page = html.fromstring(site.get(url(urdu) + "/history").text)
    assert page.get("lang") == "en"
    link = page.find(".//h1/a")
    assert (link.get("lang"), link.get("dir")) == ("ur", "rtl")
    assert {d.get("dir") for d in page.findall(".//div[@class='diff']")} == {"rtl"}
