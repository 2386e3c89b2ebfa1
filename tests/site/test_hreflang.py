"""The same story in two languages, linked by the agency (NewsML-G2 itemMeta/link
rel="irel:translatedFrom"), links each to the other with hreflang."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import unquote

import httpx
import pytest
from lxml import html

from conftest import FakeClock
from sitekit import site_client
from wiredesk import Desk
from wiredesk.formats import parse


def g2(guid: str, lang: str, headline: str, body: str, link: str = "", embargo: str = "") -> bytes:
    linked = f'<link rel="irel:translatedFrom" residref="{link}" version="1"/>' if link else ""
    held = f"<embargoed>{embargo}</embargoed>" if embargo else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="1"
  standard="NewsML-G2" standardversion="2.33" xml:lang="{lang}">
  <itemMeta>
    <itemClass qcode="ninat:text"/><provider qcode="nprov:PTI"/>
    <versionCreated>2026-06-01T10:00:00Z</versionCreated>
    <pubStatus qcode="stat:usable"/>{held}{linked}
  </itemMeta>
  <contentMeta><headline>{headline}</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/nitf+xml">
    <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content>
      <p>{body}</p></body.content></body></nitf>
  </inlineXML></contentSet>
</newsItem>""".encode()


EN = g2("urn:pti:1", "en", "Fighting goes on in Panjshir", "The fighting went on, officials said.")
HI = g2("urn:bhasha:1", "hi", "पंजशीर में लड़ाई जारी", "लड़ाई जारी है, अधिकारियों ने कहा।", "urn:pti:1")
UR = g2("urn:uni:1", "ur", "پنجشیر میں لڑائی جاری", "لڑائی جاری ہے۔", "urn:pti:1")


@pytest.fixture
def site(desk: Desk) -> Iterator[httpx.Client]:
    with site_client(desk) as client:
        yield client


def _alternates(site: httpx.Client, path: str) -> dict[str, str]:
    page = html.fromstring(site.get(path).text)
    return {
        link.get("hreflang"): unquote(link.get("href")).split("/", 3)[3]
        for link in page.findall(".//link[@rel='alternate'][@hreflang]")
    }


def test_the_g2_link_is_read() -> None:
    assert parse(HI).items[0].translations == ["urn:pti:1"]
    assert parse(EN).items[0].translations == []


def test_translations_link_each_other_with_hreflang(
    desk: Desk, site: httpx.Client, clock: FakeClock
) -> None:
    stories = {}
    for lang, data in (("en", EN), ("hi", HI)):
        found = desk.store.story(desk.receive(data, source="pti").stories[0])
        assert found is not None
        stories[lang] = f"{found.section}/{found.slug}"
    expected = {"en": stories["en"], "hi": stories["hi"]}
    # Both ways: the Hindi file names its English original; the original learns of it.
    assert _alternates(site, "/" + stories["en"]) == expected
    assert _alternates(site, "/" + stories["hi"]) == expected
    page = html.fromstring(site.get("/" + stories["en"]).text)
    [also] = page.findall(".//p[@class='translations']/a")
    assert (also.get("hreflang"), also.text) == ("hi", "पंजशीर में लड़ाई जारी")

    # A second translation of the same original joins them all; one under embargo does not.
    urdu = desk.store.story(desk.receive(UR, source="pti").stories[0])
    assert urdu is not None
    held = g2(
        "urn:x:1", "ta", "x", "சண்டை", "urn:pti:1", (clock.now + timedelta(hours=1)).isoformat()
    )
    desk.receive(held, source="pti")
    expected["ur"] = f"{urdu.section}/{urdu.slug}"
    for path in expected.values():
        assert _alternates(site, "/" + path) == expected
    # A story nobody links has none.
    alone = desk.store.story(
        desk.receive(g2("urn:pti:2", "en", "Other", "Other news."), source="pti").stories[0]
    )
    assert alone is not None
    assert _alternates(site, f"/{alone.section}/{alone.slug}") == {}
