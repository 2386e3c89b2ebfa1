"""Issue 24 #5: characters XML cannot carry are refused at parse time, in one place for every
format (quarantined with the field and offset), and every XML output stays well-formed
whatever the store holds."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from lxml import etree
from sqlalchemy import text

from sitekit import publish, site_client, url
from wire import ninjs
from wiredesk import Desk

HOSTILE = ["\x01", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff"]
XML_OUTPUTS = ["/feed.atom", "/feed.rss", "/sitemap.xml", "/news-sitemap.xml"]


@pytest.fixture
def site(desk: Desk) -> Iterator[httpx.Client]:
    with site_client(desk) as client:
        yield client


def well_formed(site: httpx.Client, paths: list[str]) -> None:
    for path in paths:
        response = site.get(path)
        assert response.status_code == 200, path
        etree.fromstring(response.content)  # raises on an ill-formed document


@pytest.mark.parametrize("char", HOSTILE, ids=[f"U+{ord(c):04X}" for c in HOSTILE])
def test_a_file_with_a_character_xml_cannot_carry_is_quarantined_with_its_offset(
    desk: Desk, site: httpx.Client, char: str
) -> None:
    headline = f"Bad{char}headline"
    outcome = desk.receive(ninjs("urn:x:1", "Body.", headline=headline), source="pti")
    assert outcome.outcome == "quarantined"
    assert f"U+{ord(char):04X} at character 3" in outcome.detail and "headline" in outcome.detail
    body = json.dumps({"uri": "urn:x:2", "headline": "Fine", "body_text": f"Para{char}graph"})
    outcome = desk.receive(body.encode(), source="pti")
    assert outcome.outcome == "quarantined" and "body_text" in outcome.detail
    plain = f"New Delhi, June 1 (PTI) The text{char} goes on.\n".encode()
    assert desk.receive(plain, source="pti").outcome == "quarantined"
    publish(desk, ninjs("urn:x:ok", "Good body.", headline="Good"))
    well_formed(site, XML_OUTPUTS)


def test_every_xml_output_is_well_formed_whatever_the_store_holds(
    desk: Desk, site: httpx.Client
) -> None:
    story = publish(desk, ninjs("urn:x:3", "Good body.", headline="Clean"))
    with desk.store.engine.begin() as conn:  # text stored before the parsers refused these
        conn.execute(
            text("UPDATE stories SET headline = :h WHERE uri = 'urn:x:3'"),
            {"h": "Dirty" + "".join(HOSTILE) + " headline"},
        )
    paths = [*XML_OUTPUTS, f"/{story.section}/feed.atom", f"/{story.section}/feed.rss"]
    well_formed(site, paths)
    assert "Dirty headline" in site.get("/feed.atom").text
    assert site.get(url(story)).status_code == 200
